"""The `ftdraft` command line: `ftdraft draft NOTES ...` prints or writes the drafts, `ftdraft schema` the contract.

Known errors (FtdraftError) become one line on stderr and exit 2; anything unexpected is raised, not hidden.
No LLM library is imported here: the offline path must start fast with no key and no network.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from typing import NoReturn

from .errors import FtdraftError, InputError

EXIT_USAGE = 2  # bad input or usage, as argparse does
EXIT_CHECKS = 3  # --strict and a guardrail error
EXIT_NO_MODEL = 4  # --engine llm, and no part came from the model (each part's reason is on stderr)


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line like every other input error."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"ftdraft: {message} (see 'ftdraft {self._sub_name()}--help')\n")

    def _sub_name(self) -> str:
        parts = self.prog.split()[1:]
        return " ".join(parts) + " " if parts else ""


def _call_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--call-date '{value}' is not a date. Use YYYY-MM-DD, e.g. 2026-11-18.") from None


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number of bytes") from None
    if n <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ftdraft", description="Draft a FastTrack Manager's Initiate-phase texts from call notes.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{draft,schema,app}", parser_class=_Parser)

    draft = sub.add_parser("draft", help="draft every text from a notes file", description="Draft every text.")
    draft.add_argument("notes", metavar="NOTES", help="the call notes (.txt or .md, UTF-8)")
    draft.add_argument("--context", metavar="FILE", help="engagement context (YAML or JSON)")
    draft.add_argument("--agenda", metavar="FILE", help="answers per agenda item a-n (YAML or JSON)")
    draft.add_argument("--call-date", metavar="YYYY-MM-DD", help="the call date (overrides the context file)")
    draft.add_argument("--format", choices=("json", "markdown"), default="json", help="stdout format (json)")
    draft.add_argument("--out", metavar="DIR", help="also write every export (.eml, .ics, .md, .json, ftop.txt)")
    draft.add_argument(
        "--engine", choices=("offline", "llm", "auto"), default=None, help="offline, llm or auto (FTDRAFT_ENGINE)"
    )
    draft.add_argument("--strict", action="store_true", help="exit 3 when a guardrail check reports an error")
    draft.add_argument(
        "--max-notes-bytes", type=_positive_int, metavar="N", help="notes size limit (FTDRAFT_MAX_NOTES_BYTES)"
    )

    sub.add_parser("schema", help="print the DraftBundle JSON Schema", description="Print the JSON Schema.")

    app = sub.add_parser(
        "app",
        help="start the app (Streamlit) on http://localhost:8501",
        description="Start the ftdraft app. More `streamlit run` options go after --, e.g. "
        "ftdraft app -- --server.headless true --secrets.files /etc/ftdraft/secrets.toml",
    )
    app.add_argument("--port", type=int, metavar="N", help="port to listen on (8501)")
    app.add_argument("--address", metavar="IP", help="address to listen on (all addresses)")
    app.add_argument("streamlit_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def _draft(args: argparse.Namespace) -> int:
    from .config import get_settings
    from .inputs import load_agenda, load_context, read_notes_file
    from .pipeline import build_bundle
    from .schemas import Engagement

    if hasattr(sys.stdout, "reconfigure"):  # a terminal that cannot show a character gets an escape, not a crash
        sys.stdout.reconfigure(errors="backslashreplace")
    settings = get_settings()
    if args.max_notes_bytes is not None:
        settings = settings.model_copy(update={"max_notes_bytes": args.max_notes_bytes})
    call_date = _call_date(args.call_date) if args.call_date else None
    notes = read_notes_file(args.notes, settings.max_notes_bytes)
    engagement = load_context(args.context) if args.context else Engagement()
    if call_date is not None:
        engagement = engagement.model_copy(update={"call_date": call_date})
    agenda = load_agenda(args.agenda) if args.agenda else None

    bundle = build_bundle(notes, engagement, agenda, engine=args.engine, settings=settings)
    for part, prov in bundle.provenance.items():  # say why, one line per part the model did not write
        if prov.fallback_reason:
            print(f"ftdraft: {part} fell back: {' '.join(prov.fallback_reason.split())}", file=sys.stderr)
    no_model = (args.engine or settings.engine) == "llm" and all(p.engine != "llm" for p in bundle.provenance.values())

    if args.format == "markdown":
        from .export import bundle_to_markdown

        sys.stdout.write(bundle_to_markdown(bundle))
    else:
        sys.stdout.write(bundle.model_dump_json(indent=2) + "\n")
    if args.out:
        from .export import RefusedExport, write_exports

        inputs = [p for p in (args.notes, args.context, args.agenda) if p]
        refused: list[RefusedExport] = []
        try:
            paths = write_exports(bundle, args.out, protect=inputs, refused=refused)
        except OSError as exc:
            raise InputError(f"Cannot write to {args.out}: {exc.strerror or exc}. Pick another --out folder.") from None
        for path in paths:
            print(path, file=sys.stderr)
        for r in refused:
            print(f"ftdraft: not written: {r.path}: {r.reason}.", file=sys.stderr)
        if refused:
            print(f"ftdraft: {len(refused)} export(s) refused; pick another --out folder.", file=sys.stderr)
            return EXIT_USAGE

    if no_model:
        print("ftdraft: --engine llm, but the model wrote nothing: every part is the offline draft.", file=sys.stderr)
        return EXIT_NO_MODEL
    errors = [c for c in bundle.checks if c.severity == "error"]
    if args.strict and errors:
        for c in errors:  # each named, so the FM knows what to fix
            print(f"ftdraft: error: {c.rule} in {c.draft}: {' '.join(c.text.split())[:100]}", file=sys.stderr)
        print(f"ftdraft: {len(errors)} guardrail error(s); fix the drafts or run without --strict.", file=sys.stderr)
        return EXIT_CHECKS
    return 0


def _schema() -> int:
    from .schemas import DraftBundle

    sys.stdout.write(json.dumps(DraftBundle.model_json_schema(), indent=2) + "\n")
    return 0


def app_command(args: argparse.Namespace) -> list[str]:
    """The `streamlit run` command line that serves the packaged page (ftdraft/app/main.py)."""
    from pathlib import Path

    script = Path(__file__).resolve().parent / "app" / "main.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--browser.gatherUsageStats", "false"]
    if args.port is not None:
        cmd += ["--server.port", str(args.port)]
    if args.address:
        cmd += ["--server.address", args.address]
    extra = list(args.streamlit_args or [])
    return cmd + (extra[1:] if extra[:1] == ["--"] else extra)


def _app(args: argparse.Namespace) -> int:
    import subprocess

    cmd = app_command(args)
    if os.name == "posix":
        os.execv(sys.executable, cmd)  # the server takes over this process: signals (Ctrl+C, SIGTERM) reach it
    return subprocess.call(cmd)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and `python -m ftdraft`; returns the exit code.

    Called without argv (the console script, `python -m ftdraft`), the process is ftdraft's own: the cyclic
    garbage collector stays off for the run (one short run that makes no cycles worth collecting; its passes
    over every imported module cost ~0.1 s), and once stdout and stderr are flushed the process ends with
    os._exit, skipping the interpreter's teardown of ~2,000 modules (0.1-0.3 s); every file ftdraft writes is
    closed by then. Called with argv (tests, other programs), it returns the code and changes nothing."""
    own_process = argv is None
    if own_process:
        gc.disable()
    code = _main(argv)
    if own_process:
        exit_now(code)
    return code


def exit_now(code: int) -> NoReturn:
    """Flush stdout and stderr, then end the process at once with `code` (no atexit handlers, no teardown)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that closed the pipe: nothing left to tell
            stream.flush()
    os._exit(code)


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "schema":
            return _schema()
        if args.command == "app":
            return _app(args)
        return _draft(args)
    except FtdraftError as exc:
        message = " ".join(str(exc).split())  # always one line, whatever the message holds
        print(f"ftdraft: {message}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover - `python -m ftdraft` goes through __main__.py
    raise SystemExit(main())
