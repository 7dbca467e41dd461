"""Mutation testing (issue 15): mutmut over one area of ftdraft at a time, and the score it earns.

    .venv/bin/python bench/mutation.py store export        # areas: store, export, guards, extract (default: all)
    .venv/bin/python bench/mutation.py extract --ref HEAD  # mutate what is committed (the default)
    .venv/bin/python bench/mutation.py guards --worktree   # mutate the working tree as it is now
    .venv/bin/python bench/mutation.py store --show        # also print each survivor's diff
    .venv/bin/python bench/mutation.py export --retest     # new tests (from --ref/--worktree) on the survivors only

Not part of CI: on 2 cores one area takes many minutes. Each area runs in its own copy of the repository
(`git archive <ref>`, or the working tree) under $TMPDIR/ftdraft-mutation/<area>, so a run never touches the
checkout and never races other edits; mutmut's settings ([tool.mutmut]: source, the files to mutate, the tests
that cover them) are written into that copy's pyproject.toml from AREAS below. Each mutant runs only the
tests that reached the mutated function (mutmut 3 records which tests call which function first).

Score = killed / (killed + survived), where "no tests" (no selected test reaches the mutant) counts as survived,
a timeout counts as killed, and the mutants in EQUIVALENT (each with the reason no test can tell it apart from
the original) are left out. Target: >= 0.85 per area. Prints one line per area, then the survivors' names
(with --show, their diffs) for review: each one is either killed by a new test or added to EQUIVALENT.

--resume goes on with an interrupted run. --retest keeps the mutated source of the earlier run (the score stays
for its commit), takes tests/ from --ref (or the working tree) and re-runs only the survivors: mutmut finds the
new tests and records which functions they reach first. The area's test files must be the same as in that run
(a change to the list makes mutmut start over).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.85


@dataclass(frozen=True)
class Area:
    mutate: tuple[str, ...]  # glob patterns of the files mutated (mutmut's only_mutate)
    tests: tuple[str, ...]  # the test files that cover them (only these run)
    pytest_args: tuple[str, ...] = ()  # more pytest arguments for this area's runs


AREAS: dict[str, Area] = {
    # SQLite only (a PostgreSQL server per mutant would cost more than the rest of the run), and without the
    # two-process test (13 s each time a mutant survives the others; it tests locking, not this file's logic).
    "store": Area(
        ("ftdraft/store.py",),
        (
            "tests/test_store.py",
            "tests/test_store_regressions.py",
            "tests/test_store_messages.py",
            "tests/test_store_contract.py",
        ),
        ("-k", "not postgresql and not two_processes"),
    ),
    "export": Area(
        ("ftdraft/export.py",),
        ("tests/test_export.py", "tests/test_export_units.py", "tests/test_mutants_export.py"),
    ),
    "guards": Area(
        ("ftdraft/guards/*",),
        (
            "tests/test_guards.py",
            "tests/test_injection.py",
            "tests/test_guards_regressions.py",
            "tests/test_mutants_guards.py",
        ),
    ),
    # The reader is also tested per stage (lines, people, owners, intents, open items, sync) and on the labelled
    # fixture cases and review corpus (tests/fixtures/cases, review): those tests kill what test_extract misses.
    "extract": Area(
        ("ftdraft/extract/*",),
        (
            "tests/test_extract.py",
            "tests/test_extract_property.py",
            "tests/test_extract_regressions.py",
            "tests/test_lines.py",
            "tests/test_people_spans.py",
            "tests/test_owners.py",
            "tests/test_intents.py",
            "tests/test_substrings.py",
            "tests/test_open_items.py",
            "tests/test_open_items_agenda.py",
            "tests/test_sync.py",
            "tests/test_sync_data.py",
            "tests/test_lexicon_data.py",
            "tests/test_reader_cases.py",
            "tests/test_reader_cases_dates.py",
            "tests/test_reader_sync_handover.py",
            "tests/test_review_reader.py",
            "tests/test_mutants_extract.py",
        ),
    ),
}

# Mutants no test can kill because the mutated program behaves the same, each with its reason. Keys are
# mutmut's names (`ftdraft.store.x_Store__get__mutmut_7`); they are stable while the function is unchanged.
_NO_ROW_LEAVES = "every Store method builds its result inside the transaction; no ORM row outlives its session"
_ONE_STEP = (
    "with two revisions a database that has alembic_version below head is at the baseline: restamping it is a no-op"
)
_CODEC_CASE = "Python's codec names are case-insensitive ('UTF-8', 'IDNA', 'ASCII' are the same codecs)"
_HEADER_NAME_LENGTH = "email.header.Header uses header_name only for its length: 'to' and 'TO' are as long as 'To'"
_PERSON_FIELDS = "_person is given only Person and Attendee, which always have title and email: the default is unused"
_NOFOLLOW_DEFAULT = "os.O_NOFOLLOW exists on every POSIX system (the default is for Windows)"
_NO_O_BINARY = "os.O_BINARY exists only on Windows: on POSIX the term is 0 whatever the lookup"
_ICS_NAME_CASE = "icalendar keeps property and parameter names case-insensitively and writes them upper-case"
EQUIVALENT: dict[str, str] = {
    "ftdraft.store.xǁStoreǁdelete__mutmut_12": "typing.cast(None, x) is x at run time",
    "ftdraft.store.xǁStoreǁdelete__mutmut_20": "_mine() checked the owner of that primary key in this transaction",
    "ftdraft.store.x_safe_url__mutmut_2": "make_url() accepts a URL object and returns it unchanged",
    "ftdraft.store.xǁStoreǁset_tick__mutmut_12": 'only "1" reads as ticked; any other stored value reads as not',
    "ftdraft.store.x_make_engine__mutmut_16": "the PRAGMA busy_timeout set on connect overrides sqlite3's timeout",
    "ftdraft.store.x_make_engine__mutmut_17": "the PRAGMA busy_timeout set on connect overrides sqlite3's timeout",
    "ftdraft.store.x_upgrade_schema__mutmut_11": "SQLite reads SQL keywords and names in any case",
    "ftdraft.store.x_upgrade_schema__mutmut_12": "SQLite reads SQL keywords and names in any case",
    "ftdraft.store.x_upgrade_schema__mutmut_28": "Alembic's Config (ConfigParser) lower-cases option names",
    "ftdraft.store.x_upgrade_schema__mutmut_37": _ONE_STEP,
    "ftdraft.store.x_upgrade_schema__mutmut_38": _ONE_STEP,
    "ftdraft.store.xǁStoreǁ__init____mutmut_27": _NO_ROW_LEAVES,
    "ftdraft.store.xǁStoreǁ__init____mutmut_29": _NO_ROW_LEAVES,
    "ftdraft.store.xǁStoreǁ__init____mutmut_30": _NO_ROW_LEAVES,
    "ftdraft.store.xǁStoreǁdelete__mutmut_8": "ON DELETE CASCADE removes the items with the engagement row anyway",
    "ftdraft.store.xǁStoreǁblank__mutmut_10": "through the API the customer column is set only with a setup or drafts",
    "ftdraft.store.x_store_message__mutmut_2": "database_url() of a URL object gives the same host and database",
    "ftdraft.store.x__now__mutmut_1": "now(None) equals now(UTC) on a UTC clock (this VM, CI); SQLite keeps no zone",
    # export
    "ftdraft.export.x_ascii_address__mutmut_6": "valid_email admits exactly one '@': partition and rpartition agree",
    "ftdraft.export.x_ascii_address__mutmut_14": _CODEC_CASE,
    "ftdraft.export.x_ascii_address__mutmut_16": _CODEC_CASE,
    "ftdraft.export.x_write_exports__mutmut_27": _CODEC_CASE,
    "ftdraft.export.x_write_exports__mutmut_56": _CODEC_CASE,
    "ftdraft.export.x_write_exports__mutmut_62": _CODEC_CASE,
    "ftdraft.export.x_write_exports__mutmut_69": _CODEC_CASE,
    "ftdraft.export.x__phrase__mutmut_13": _HEADER_NAME_LENGTH,
    "ftdraft.export.x__phrase__mutmut_14": _HEADER_NAME_LENGTH,
    "ftdraft.export.x__phrase__mutmut_15": (
        "every printable ASCII character outside RFC 5322 atext is an address special, so on a cleaned name "
        "'atom and no specials' and 'atom or no specials' agree"
    ),
    "ftdraft.export.x__split_before_address__mutmut_13": (
        "header_text leaves single spaces only (no tabs, no runs, nothing leading or trailing): split() == split(' ')"
    ),
    "ftdraft.export.x__fence__mutmut_11": "with no backtick in the text, max(3, 0 + 1) and max(3, 1 + 1) are both 3",
    "ftdraft.export.x__person__mutmut_10": _PERSON_FIELDS,
    "ftdraft.export.x__person__mutmut_19": _PERSON_FIELDS,
    "ftdraft.export.x__write_no_follow__mutmut_8": _NOFOLLOW_DEFAULT,
    "ftdraft.export.x__write_no_follow__mutmut_11": _NOFOLLOW_DEFAULT,
    "ftdraft.export.x__write_no_follow__mutmut_14": _NOFOLLOW_DEFAULT,
    "ftdraft.export.x__write_no_follow__mutmut_15": _NO_O_BINARY,
    "ftdraft.export.x__write_no_follow__mutmut_21": _NO_O_BINARY,
    "ftdraft.export.x__write_no_follow__mutmut_22": _NO_O_BINARY,
    "ftdraft.export.x__write_no_follow__mutmut_23": "O_BINARY is Windows-only; the default 1 is O_WRONLY, already set",
    "ftdraft.export.x__encoded__mutmut_1": (
        "encoded-words hold no spaces and the callers strip each line: split() and split('\\n') give the same words"
    ),
    "ftdraft.export.x__encoded__mutmut_10": "email.charset.Charset lower-cases the name: 'UTF-8' is 'utf-8'",
    "ftdraft.export.x_placeholder_start__mutmut_10": "time(10) and time(10, 0) are equal (minute defaults to 0)",
    "ftdraft.export.x_invite_to_ics__mutmut_4": (
        "icalendar writes DTSTAMP in UTC: a naive now() is the same instant on a UTC clock (this VM, CI)"
    ),
    "ftdraft.export.x_invite_to_ics__mutmut_5": "icalendar writes DATE-TIME values to the second: microseconds drop",
    **{
        f"ftdraft.export.x_invite_to_ics__mutmut_{n}": _ICS_NAME_CASE
        for n in (43, 49, 56, 65, 73, 79, 86, 92, 99, 105, 113, 138, 142, 146, 152, 163)
    },
    **{
        f"ftdraft.export.x_invite_to_ics__mutmut_{n}": "Component.add(encode=...) leaves a vCalAddress as it is"
        for n in (158, 161, 164)
    },
    **{
        f"ftdraft.export.x_invite_to_ics__mutmut_{n}": (
            "add_missing_timezones() adds nothing for a floating or a UTC start, so the zone test can be looser"
        )
        for n in (166, 170)
    },
    "ftdraft.export.x_email_to_eml__mutmut_10": "head is still empty when To is added: '=' and '+=' give the same list",
    "ftdraft.export.x_email_to_eml__mutmut_5": "EmailMessage.set_content() defaults to charset utf-8",
    "ftdraft.export.x_email_to_eml__mutmut_49": _CODEC_CASE,
    # guards (consistency._same_action, dead code whose 26 mutants were listed here, is deleted)
    **{
        f"ftdraft.guards.vocabulary.x_template_literals__mutmut_{n}": (
            "the shipped templates are valid UTF-8: the decode error handler is never called"
        )
        for n in (12, 14, 17, 18)
    },
    "ftdraft.guards.vocabulary.x_template_literals__mutmut_16": _CODEC_CASE,
    "ftdraft.guards.vocabulary.x__has_docstring__mutmut_8": (
        "an Expr that is not a string constant adds an id no string Constant has: the docstring filter is unchanged"
    ),
    "ftdraft.export.x__unstructured__mutmut_32": (
        "a word over 66 characters takes the encoded branch, so 'Subject:' + one word (<= 75) never needs a fold"
    ),
    "ftdraft.export.x_bundle_to_markdown__mutmut_495": (
        "bundle.md starts with '# ' and ends with a table row or the token line: neither strip changes it"
    ),
}

COPIED = ("ftdraft", "tests", "prompts", "examples", "streamlit_app.py", "pyproject.toml")
KILLED = {"killed", "timeout", "caught by type check"}
SURVIVED = {"survived", "no tests"}


def snapshot(dest: Path, ref: str | None) -> None:
    """The repository as committed at `ref` (git archive), or the working tree when ref is None."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if ref is None:
        for name in COPIED:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "blind"))
            elif src.exists():
                shutil.copy2(src, dest / name)
        return
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, *COPIED], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")


def refresh_tests(dest: Path, ref: str | None) -> None:
    """Only tests/ of the copy, from `ref` (or the working tree): the mutated source stays as it was."""
    shutil.rmtree(dest / "tests")
    if ref is None:
        shutil.copytree(ROOT / "tests", dest / "tests", ignore=shutil.ignore_patterns("__pycache__", "blind"))
        return
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "tests"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")


def git_commit(ref: str) -> str:
    """The short commit id `ref` names now (the score is for that commit, whatever HEAD becomes later)."""
    return subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", ref], check=True, capture_output=True, text=True
    ).stdout.strip()


def configure(dest: Path, area: Area, tests: list[str]) -> None:
    """[tool.mutmut] for this area, appended to the copy's pyproject.toml (never to the checkout's)."""

    def toml_list(items: list[str] | tuple[str, ...]) -> str:
        return "[" + ", ".join(f'"{i}"' for i in items) + "]"

    text = (dest / "pyproject.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", text)
    text += (
        "\n[tool.mutmut]\n"
        'source_paths = ["ftdraft"]\n'
        f"only_mutate = {toml_list(area.mutate)}\n"
        'also_copy = ["prompts", "examples", "streamlit_app.py"]\n'
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
        f"pytest_add_cli_args = {toml_list(['-p', 'no:cacheprovider', '-q', *area.pytest_args])}\n"
        "use_git_change_detection = false\n"
    )
    (dest / "pyproject.toml").write_text(text, encoding="utf-8")


def results(dest: Path, mutmut: str) -> dict[str, str]:
    """mutant name -> status ("killed", "survived", "no tests", "timeout", ...)."""
    out = subprocess.run([mutmut, "results", "--all", "true"], cwd=dest, capture_output=True, text=True).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name:
            found[name] = status
    return found


def score(statuses: dict[str, str]) -> tuple[int, int, int, float | None]:
    """(killed, survived, equivalent, score) with EQUIVALENT left out."""
    killed = sum(1 for n, s in statuses.items() if s in KILLED and n not in EQUIVALENT)
    survived = sum(1 for n, s in statuses.items() if s in SURVIVED and n not in EQUIVALENT)
    equivalent = sum(1 for n in statuses if n in EQUIVALENT)
    total = killed + survived
    return killed, survived, equivalent, (killed / total if total else None)


def run_area(
    name: str, ref: str | None, workdir: Path, children: int, show: bool, resume: bool = False, retest: bool = False
) -> tuple[str, float | None]:
    area = AREAS[name]
    dest = workdir / name
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    stamp = dest / "MUTATED_COMMIT"  # which commit the copy (and so the score) is for, kept across --resume
    again: list[str] = []
    if retest and (dest / "mutants").exists():
        refresh_tests(dest, ref)
        again = [m for m, status in results(dest, mutmut).items() if status in SURVIVED and m not in EQUIVALENT]
    elif not (resume and (dest / "mutants").exists()):
        snapshot(dest, ref)
        stamp.write_text("worktree" if ref is None else git_commit(ref), encoding="utf-8")
    commit = stamp.read_text(encoding="utf-8").strip() if stamp.exists() else "unknown"
    tests = [t for t in area.tests if (dest / t).exists()]
    configure(dest, area, tests)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FTDRAFT_"))}
    started = time.monotonic()
    run = subprocess.run(
        [mutmut, "run", "--max-children", str(children), *again], cwd=dest, env=env, capture_output=True, text=True
    )
    minutes = (time.monotonic() - started) / 60
    statuses = results(dest, mutmut)
    if not statuses or run.returncode != 0:
        print(f"{name}: mutmut exited {run.returncode}; its output ends:", file=sys.stderr)
        print("\n".join((run.stdout + run.stderr).splitlines()[-25:]), file=sys.stderr)
    if not statuses:
        return name, None
    killed, survived, equivalent, value = score(statuses)
    other = len(statuses) - killed - survived - equivalent
    verdict = "n/a" if value is None else f"{value:.3f} ({'meets' if value >= TARGET else 'below'} {TARGET})"
    print(
        f"{name:8} mutants {len(statuses):4}  killed {killed:4}  survived {survived:4}  equivalent {equivalent:3}"
        f"  other {other:3}  score {verdict}  [{minutes:.1f} min, {commit}, tests: {' '.join(tests)}]"
    )
    for mutant, status in sorted(statuses.items()):
        if status in SURVIVED and mutant not in EQUIVALENT:
            print(f"  {status:9} {mutant}")
            if show:
                diff = subprocess.run([mutmut, "show", mutant], cwd=dest, capture_output=True, text=True).stdout
                print("    " + "\n    ".join(diff.strip().splitlines()[1:]))
    return name, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("areas", nargs="*", help=f"areas to mutate: {', '.join(AREAS)} (default: all)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--ref", default="HEAD", help="git ref to mutate (default: HEAD, what is committed)")
    where.add_argument("--worktree", action="store_true", help="mutate the working tree instead of a commit")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "ftdraft-mutation")
    parser.add_argument("--children", type=int, default=2, help="mutants tested at once (default: 2)")
    parser.add_argument("--show", action="store_true", help="print each survivor's diff")
    again = parser.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true", help="reuse the area's copy and mutmut's finished results")
    again.add_argument("--retest", action="store_true", help="refresh the copy's tests/ and re-run the survivors")
    args = parser.parse_args(argv)
    unknown = [a for a in args.areas if a not in AREAS]
    if unknown:
        parser.error(f"unknown area {', '.join(unknown)}: choose from {', '.join(AREAS)}")
    ref = None if args.worktree else args.ref
    scores = [
        run_area(a, ref, args.workdir, args.children, args.show, args.resume, args.retest)
        for a in (args.areas or list(AREAS))
    ]
    return 0 if all(v is not None and v >= TARGET for _, v in scores) else 1


if __name__ == "__main__":
    raise SystemExit(main())
