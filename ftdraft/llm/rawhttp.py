"""One chat-completions POST with the standard library, for the requests of a fresh process that do not stream:
the first leaves before the openai SDK could be imported (0.5 s+ of imports), and a run that streams nothing
(the CLI) never imports the SDK at all; one that streams loads it while the extraction request is in flight.

Only plain (non-streamed) JSON requests; proxies from the environment are honoured as the SDK honours them
(HTTP(S)_PROXY, NO_PROXY). Failures are raised in the shapes ftdraft.llm.openai_chat reads from the SDK's
errors: a status error with `status_code`, `body` (the parsed JSON, or the text) and `response.headers`.
"""

from __future__ import annotations

import http.client
import json
import os
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass
class RawResponse:
    headers: Any  # case-insensitive .get(), like httpx.Headers


class RawStatusError(Exception):
    """A non-2xx reply: status_code, body (dict, or str when not JSON), response.headers."""

    def __init__(self, status_code: int, body: Any, headers: Any) -> None:
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code
        self.body = body
        self.response = RawResponse(headers)


class RawTimeout(Exception):
    """No answer within the timeout."""


class RawConnectionError(Exception):
    """The server could not be reached; __cause__ is the OS error."""


class RawUnreadable(Exception):
    """A 2xx reply whose body is not a JSON object."""


def tls_context(url: str) -> ssl.SSLContext | None:
    """For https: the CA bundle the SDK's httpx client trusts (certifi's; SSL_CERT_FILE when set), so both
    transports accept the same servers. None for http. One context per bundle file, shared by every request
    (loading a bundle costs ~10 ms; a context is safe to share between threads)."""
    if not url.lower().startswith("https:"):
        return None
    cafile = os.environ.get("SSL_CERT_FILE")
    if not cafile:
        try:
            import certifi

            cafile = certifi.where()
        except ImportError:
            cafile = None
    return context_for(cafile)


@lru_cache(maxsize=4)
def context_for(cafile: str | None) -> ssl.SSLContext:
    """The default TLS client context trusting `cafile` (None: the system's store), built once per file."""
    return ssl.create_default_context(cafile=cafile)


def signalling(base: type[http.client.HTTPConnection], on_sent: Callable[[], None]) -> type[http.client.HTTPConnection]:
    """`base` (HTTPConnection or HTTPSConnection) calling on_sent once the request is written, as it starts to
    wait for the response."""

    class Connection(base):  # type: ignore[valid-type,misc]
        def getresponse(self) -> http.client.HTTPResponse:
            on_sent()
            return super().getresponse()

    return Connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, on_sent: Callable[[], None]) -> None:
        super().__init__()
        self.on_sent = on_sent

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(signalling(http.client.HTTPConnection, self.on_sent), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, on_sent: Callable[[], None], context: ssl.SSLContext | None) -> None:
        super().__init__(context=context)
        self.on_sent = on_sent
        self.tls = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(signalling(http.client.HTTPSConnection, self.on_sent), req, context=self.tls)


def post_json(
    url: str,
    headers: dict[str, str],
    body: dict[str, Any],
    timeout: float,
    on_sent: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """POST `body` as JSON to `url` and return the JSON reply. on_sent: called once the request is written
    (also when it fails before that). Raises RawStatusError, RawTimeout, RawConnectionError or RawUnreadable."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST")
    for name, value in {"Content-Type": "application/json", "Accept": "application/json", **headers}.items():
        req.add_header(name, value)
    sent = on_sent or (lambda: None)
    # the default opener's handlers, with HTTP(S) connections that say when the request is out (proxies from
    # the environment are honoured as by urlopen)
    opener = urllib.request.build_opener(_HTTPHandler(sent), _HTTPSHandler(sent, tls_context(url)))
    try:
        with opener.open(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        text = exc.read().decode("utf-8", "replace")
        try:
            parsed: Any = json.loads(text)
        except json.JSONDecodeError:
            parsed = text
        raise RawStatusError(exc.code, parsed, exc.headers) from None
    except TimeoutError as exc:
        raise RawTimeout(str(exc)) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise RawTimeout(str(exc.reason)) from None
        raise RawConnectionError(str(exc.reason)) from exc.reason if isinstance(exc.reason, BaseException) else None
    except (ConnectionError, OSError, http.client.HTTPException) as exc:
        raise RawConnectionError(str(exc)) from exc
    finally:
        sent()
    try:
        value = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise RawUnreadable("the body is not JSON") from None
    if not isinstance(value, dict):
        raise RawUnreadable("the body is not a JSON object")
    return value
