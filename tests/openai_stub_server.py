"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for tests and bench/llm_path.py.

It speaks enough of the wire protocol for the real openai SDK: JSON replies with usage, streaming SSE
(chunked, with a usage chunk and [DONE]), error statuses with Retry-After. Requests are routed by the
X-Ftdraft-Step header ftdraft sends; each step has a FIFO script of behaviours (a reply, an error, a
hang, a cut stream, a dropped connection, a garbage body), and a responder answers when the script is empty.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ftdraft.config import Settings

# ---------------------------------------------------------------- behaviours


@dataclass
class Reply:
    """A normal completion (streamed when the request asks for a stream)."""

    content: str | None
    finish_reason: str = "stop"
    usage: tuple[int, int] | None = (100, 50)  # prompt, completion; None: the server reports none
    chunks: int = 8  # how many pieces a streamed reply comes in
    reasoning_tokens: int = 0  # reported in completion_tokens_details (and counted in completion tokens)
    cached_tokens: int | None = None  # reported in prompt_tokens_details


@dataclass
class Status:
    """An HTTP error: an OpenAI-style body, or `body` exactly as given (a dict, or a str sent as is:
    servers differ), optional Retry-After (seconds) and other headers."""

    code: int
    message: str = "scripted error"
    retry_after: float | None = None
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Hang:
    """Read the request, then send nothing for `seconds` (the client should time out first)."""

    seconds: float = 5.0


@dataclass
class Drop:
    """Close the connection without a response."""


@dataclass
class Garbage:
    """HTTP 200 whose body is not JSON."""

    body: str = '{"id": "chatcmpl-x", "choices": [ {not json'


@dataclass
class CutStream:
    """A streamed reply that stops midway: `after` content chunks, then the connection drops mid-body."""

    content: str
    after: int = 3
    chunks: int = 8


Behaviour = Reply | Status | Hang | Drop | Garbage | CutStream
Responder = Callable[[str, dict[str, Any]], Behaviour]


@dataclass
class Recorded:
    step: str
    body: dict[str, Any]
    raw: str
    headers: dict[str, str]
    at: float  # time.monotonic() when the request arrived
    path: str = "/v1/chat/completions"  # without the query string
    query: dict[str, list[str]] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """A request header, case-insensitively."""
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)

    @property
    def prompt(self) -> str:
        """What a server tokenises as the prompt: each message's role and content (as the chat template
        lays them out), then a json_schema response_format's schema."""
        text = "".join(f"<|{m.get('role')}|>{m.get('content') or ''}<|end|>" for m in self.body.get("messages", []))
        fmt = self.body.get("response_format") or {}
        if fmt.get("type") == "json_schema":
            text += json.dumps(fmt.get("json_schema", {}).get("schema"), ensure_ascii=False, separators=(",", ":"))
        return text

    @property
    def messages_text(self) -> str:
        """The messages as the prompt lays them out (what a provider's prompt cache compares)."""
        return "".join(f"<|{m.get('role')}|>{m.get('content') or ''}<|end|>" for m in self.body.get("messages", []))

    @property
    def text(self) -> str:
        """Every message's content, joined: what the model would read."""
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []))


# ---------------------------------------------------------------- the server


def estimate_tokens(text: str) -> int:
    """~4 characters per token (OpenAI's rule of thumb for English and JSON)."""
    return -(-len(text) // 4)


class Personality:
    """How one real server answers, for StubServer(personality=...): `check` returns the error the real
    server sends for a request it refuses (None: it serves it), `shape` turns the scripted reply into what
    that server sends back (think blocks, reasoning tokens, cut replies). Subclasses in tests/personalities/."""

    count_tokens = True  # usage from the request's size (prompt, cached prefix) instead of fixed numbers
    cache_min_tokens = 1024  # OpenAI caches a repeated prefix from 1,024 tokens, in steps of 128

    def check(self, rec: Recorded) -> Behaviour | None:
        return None

    def shape(self, reply: Reply, rec: Recorded) -> Reply:
        return reply

    def route_ok(self, rec: Recorded) -> bool:
        return rec.path.rstrip("/").endswith("/chat/completions")


@dataclass
class StubServer:
    responder: Responder
    latency: float = 0.0  # added before every response (before the first byte of a stream)
    model: str = "stub-model"
    requests: list[Recorded] = field(default_factory=list)
    personality: Personality | None = None

    def __post_init__(self) -> None:
        self._scripts: dict[str, deque[Behaviour]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._hold: tuple[int, str, float] | None = None
        self._held = 0
        self._in_flight = 0
        self.max_in_flight = 0  # the most requests (of the held steps) in the server at once
        self.hold_timed_out = False  # a held request gave up waiting for the others: they were not concurrent
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -------------------------------------------------------------- control

    def script(self, step: str, *behaviours: Behaviour) -> None:
        """Queue behaviours for a step ("extract", "draft:follow_up", ...) or "*" for any step."""
        with self._lock:
            self._scripts[step].extend(behaviours)

    def hold_until(self, n: int, step_prefix: str, timeout: float = 10.0) -> None:
        """Requests whose step starts with `step_prefix` wait in the server until `n` of them have arrived,
        then all are answered: requests sent one after another (each waiting for its answer) never meet,
        the wait times out and `hold_timed_out` says so. Concurrency asserted without a clock."""
        with self._lock:
            self._hold, self._held = (n, step_prefix, timeout), 0

    def _enter(self, step: str) -> bool:
        with self._arrived:
            if self._hold is None or not step.startswith(self._hold[1]):
                return False
            n, _prefix, timeout = self._hold
            self._held += 1
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            self._arrived.notify_all()
            if not self._arrived.wait_for(lambda: self._held >= n, timeout):
                self.hold_timed_out = True
            return True

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def start(self) -> StubServer:
        server = self

        class Handler(_Handler):
            stub = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="openai-stub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes hung handlers
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "start() the server first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def steps(self) -> list[str]:
        with self._lock:
            return [r.step for r in self.requests]

    def requests_for(self, step: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.step == step]

    # -------------------------------------------------------------- per request

    def _next(self, step: str, body: dict[str, Any]) -> Behaviour:
        with self._lock:
            for key in (step, "*"):
                if self._scripts[key]:
                    return self._scripts[key].popleft()
        return self.responder(step, body)

    def _record(self, rec: Recorded) -> None:
        with self._lock:
            self.requests.append(rec)


class _Handler(BaseHTTPRequestHandler):
    stub: StubServer
    protocol_version = "HTTP/1.1"  # chunked streams, so a cut stream is a real protocol error

    def log_message(self, format: str, *args: Any) -> None:  # quiet under pytest
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8")
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            body = {}
        step = self.headers.get("X-Ftdraft-Step", "unknown")
        url = urlsplit(self.path)
        rec = Recorded(step, body, raw, dict(self.headers.items()), time.monotonic(), url.path, parse_qs(url.query))
        self.stub._record(rec)
        personality = self.stub.personality
        if not (personality.route_ok(rec) if personality else url.path.rstrip("/").endswith("/chat/completions")):
            self._json(404, {"error": {"message": f"no route {url.path}", "type": "not_found"}})
            return
        held = self.stub._enter(step)
        try:
            self._answer(rec, step, body)
        finally:
            if held:
                self.stub._leave()

    def _answer(self, rec: Recorded, step: str, body: dict[str, Any]) -> None:
        personality = self.stub.personality
        refused = personality.check(rec) if personality else None
        behaviour = refused or self.stub._next(step, body)
        if personality is not None and isinstance(behaviour, Reply):
            behaviour = personality.shape(behaviour, rec)
            if personality.count_tokens:
                behaviour = self._counted(behaviour, rec)
        if self.stub.latency and not isinstance(behaviour, Hang) and self.stub._stopping.wait(self.stub.latency):
            return
        self.close_connection = True
        if isinstance(behaviour, Hang):
            self.stub._stopping.wait(behaviour.seconds)
        elif isinstance(behaviour, Drop):
            self._abort()
        elif isinstance(behaviour, Garbage):
            self._raw(200, behaviour.body.encode(), "application/json")
        elif isinstance(behaviour, Status):
            headers = {"Retry-After": f"{behaviour.retry_after:g}"} if behaviour.retry_after is not None else {}
            headers.update(behaviour.headers)
            if isinstance(behaviour.body, str):
                self._raw(behaviour.code, behaviour.body.encode(), "application/json", headers)
            else:
                error = behaviour.body or {
                    "error": {"message": behaviour.message, "type": "scripted", "code": str(behaviour.code)}
                }
                self._json(behaviour.code, error, headers)
        elif isinstance(behaviour, CutStream):
            self._stream(Reply(behaviour.content, chunks=behaviour.chunks), body, cut_after=behaviour.after)
        elif body.get("stream"):
            self._stream(behaviour, body)
        else:
            self._json(200, self._completion(behaviour, body))

    # -------------------------------------------------------------- wire format

    def _counted(self, reply: Reply, rec: Recorded) -> Reply:
        """`reply` with usage a real server would report: prompt tokens from the request's size, the
        prefix it shares with an earlier request as cached tokens (OpenAI: from 1,024 tokens, in steps of
        128), completion tokens from the content plus any reasoning tokens."""
        prompt = estimate_tokens(rec.prompt)
        cached = 0
        mine = rec.messages_text
        with self.stub._lock:
            earlier = [r.messages_text for r in self.stub.requests if r is not rec and r.at <= rec.at]
        least = self.stub.personality.cache_min_tokens if self.stub.personality else 1024
        for other in earlier:
            n = len(os.path.commonprefix([mine, other])) // 4
            cached = max(cached, n // 128 * 128 if n >= least else 0)
        completion = estimate_tokens(reply.content or "") + reply.reasoning_tokens
        return replace(reply, usage=(prompt, completion), cached_tokens=cached)

    def _completion(self, reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": "chatcmpl-stub",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.stub.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.content},
                    "finish_reason": reply.finish_reason,
                }
            ],
        }
        if reply.usage:
            out["usage"] = usage_json(reply)
        return out

    def _stream(self, reply: Reply, body: dict[str, Any], cut_after: int | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        text = reply.content or ""
        size = max(1, -(-len(text) // max(1, reply.chunks)))
        pieces = [text[i : i + size] for i in range(0, len(text), size)] or [""]

        def chunk(delta: dict[str, Any], finish: str | None = None, usage: dict[str, Any] | None = None) -> None:
            data = {
                "id": "chatcmpl-stub",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": self.stub.model,
                "choices": [] if usage else [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            if usage:
                data["usage"] = usage
            self._chunk(f"data: {json.dumps(data)}\n\n".encode())

        try:
            chunk({"role": "assistant", "content": ""})
            for i, piece in enumerate(pieces):
                if cut_after is not None and i >= cut_after:
                    self._abort()  # mid-body, no terminating chunk: the client sees a broken stream
                    return
                chunk({"content": piece})
                time.sleep(0.001)  # separate network writes, like a real server
            chunk({}, finish=reply.finish_reason)
            if reply.usage and (body.get("stream_options") or {}).get("include_usage"):
                chunk({}, usage=usage_json(reply))
            self._chunk(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout, budget): nothing to clean up

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _json(self, code: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self._raw(code, json.dumps(payload).encode(), "application/json", headers)

    def _raw(self, code: int, data: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _abort(self) -> None:
        """Drop the TCP connection at once (RST where the OS allows), mid-response."""
        try:
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True


def usage_json(reply: Reply) -> dict[str, Any]:
    assert reply.usage is not None
    p, c = reply.usage
    usage: dict[str, Any] = {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}
    if reply.cached_tokens is not None:
        usage["prompt_tokens_details"] = {"cached_tokens": reply.cached_tokens}
    if reply.reasoning_tokens:
        usage["completion_tokens_details"] = {"reasoning_tokens": reply.reasoning_tokens}
    return usage


def stub_settings(base_url: str | None, api_key: str, **limits: object) -> Settings:
    """ftdraft pointed at a stub server: no .env read, the stub's model name, and the caller's limits
    (FTDRAFT_REQUEST_TIMEOUT, FTDRAFT_TOTAL_BUDGET, FTDRAFT_MAX_RETRIES, ...). base_url None: no base URL set
    (the SDK's default endpoint, or Azure's when the limits name one)."""
    values: dict[str, object] = {
        "OPENAI_API_KEY": api_key,
        "OPENAI_BASE_URL": base_url or "",
        "FTDRAFT_MODEL": "stub-model",
    }
    values.update(limits)
    settings = Settings(_env_file=None, **values)  # type: ignore[arg-type]
    return settings if base_url is not None else settings.model_copy(update={"openai_base_url": None})


def free_port() -> int:
    """A port nothing listens on (for connection-refused tests)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- canned valid replies


@dataclass
class CannedReplies:
    """A responder that answers every ftdraft step validly: `facts_json` for extraction, drafts that
    address `to` (roster people as {"name", "email", "role"}) for the rest."""

    facts_json: str
    to: list[dict[str, Any]]
    cc: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, step: str, body: dict[str, Any]) -> Behaviour:
        return Reply(self.content(step))

    def content(self, step: str) -> str:
        if step == "extract":
            return self.facts_json
        name = step.removeprefix("draft:")
        email = {
            "to": self.to,
            "cc": self.cc,
            "subject": f"Model-written {name.replace('_', ' ')}",
            "body": f"Hi all,\n\nThis is the model's {name} draft.\n\nThanks,\nAlex",
        }
        if name == "follow_up":
            return "Subject: Recap of our account-team sync\n\nHi all,\n\nThanks for the time today. Summary follows.\n"
        if name == "intro_request":
            return json.dumps({"email": email, "customer_blurb": "FastTrack helps you deploy Microsoft 365."})
        if name == "ftop":
            text = "\n".join(
                ["Participants: Priya, Tom", "Discussion points: intent", "Customer questions: none",
                 "FTC actions: shared the FastTrack process", "Playbook task: Kickoff Call", "Next actions:",
                 "Service Intent:"]
            )  # fmt: skip
            return json.dumps(
                {"participants": ["Priya Raman (ATS)"], "discussion_points": ["Intent for EXO"], "text": text}
            )
        return json.dumps(email)
