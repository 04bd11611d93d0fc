"""The stand-in's HTTP front: a loopback server speaking the Sheets API v4 (and a sliver
of Drive v3) over real HTTP, with a request log and fault injection."""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import drive, values_api
from .batch_update import batch_update
from .errors import ApiError
from .faults import Fault, Faults, StaffEdit
from .json_out import Chunked, dumps, write_json
from .oauth import AUTH_PATHS, DRIVE, SHEETS, TOKEN_PATHS, Account, scope_error
from .raw import Raw
from .spreadsheets_api import create_spreadsheet, get_spreadsheet
from .state import SheetsState

_SPREADSHEET = re.compile(r"^/v4/spreadsheets/([^/:]+)(:batchUpdate)?$")
_VALUES_BATCH = re.compile(r"^/v4/spreadsheets/([^/:]+)/values:(batchGet|batchUpdate|batchClear)$")
_VALUES = re.compile(r"^/v4/spreadsheets/([^/:]+)/values/(.+?)(:append|:clear)?$")
_DRIVE = re.compile(r"^/drive/v3(/.*)?$")

Json = Any


@dataclass
class RequestRecord:
    """One request as the stand-in saw it (faulted ones included)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body_size: int
    time: float
    authorization: bool
    status: int | None = None  # None: the connection was dropped
    duration: float = 0.0
    fault: str | None = None
    response_bytes: int = 0  # the answer's body as sent (what the client received)


class StandIn:
    """A running fake of the Google Sheets API v4 on a loopback port.

    >>> with StandIn() as standin:
    ...     sid = standin.state.create_spreadsheet("Register", {"Sheet1": [["a", 1]]})
    ...     client = standin.gspread_client()
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        state: SheetsState | None = None,
        verbose: bool = False,
    ) -> None:
        self.host = host
        self._port = port
        self.state = state or SheetsState()
        self.faults = Faults()
        self.requests: list[RequestRecord] = []
        self.internal_errors: list[str] = []
        self.verbose = verbose
        self._log_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> StandIn:
        if self._server is not None:
            return self
        server = _Server((self.host, self._port), _Handler)
        server.standin = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the stand-in is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Root URL to use in place of https://sheets.googleapis.com."""
        return f"http://{self.host}:{self.port}"

    # --- log and counts -------------------------------------------------------------------

    @property
    def request_count(self) -> int:
        with self._log_lock:
            return len(self.requests)

    def reset_counts(self) -> None:
        with self._log_lock:
            self.requests.clear()

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """Requests logged so far, optionally only one method and/or a path substring."""
        with self._log_lock:
            return sum(
                1
                for r in self.requests
                if (method is None or r.method == method.upper())
                and (path is None or path in r.path)
            )

    # --- fault shortcuts (see Faults) -----------------------------------------------------

    def fail(self, status: int = 500, **kwargs: Any) -> None:
        self.faults.fail(status, **kwargs)

    def slow(self, seconds: float, **kwargs: Any) -> None:
        self.faults.slow(seconds, **kwargs)

    def drop(self, **kwargs: Any) -> None:
        self.faults.drop(**kwargs)

    def malformed(self, **kwargs: Any) -> None:
        self.faults.malformed(**kwargs)

    def cut(self, **kwargs: Any) -> None:
        self.faults.cut(**kwargs)

    def between(self, callback: StaffEdit, **kwargs: Any) -> None:
        self.faults.between(callback, **kwargs)

    def gspread_client(self) -> Any:
        """A gspread.Client talking to this stand-in (anonymous credentials)."""
        from .client import gspread_client

        return gspread_client(self.url)

    # --- request handling -----------------------------------------------------------------

    def _log(self, record: RequestRecord) -> None:
        with self._log_lock:
            self.requests.append(record)

    def dispatch(
        self,
        method: str,
        raw_path: str,
        query: dict[str, list[str]],
        raw_body: bytes,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Json]:
        """Answer one request: (status, JSON body, None for an empty 204, or a Raw answer)."""
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        try:
            with self.state.lock:
                if raw_path in TOKEN_PATHS and method == "POST":
                    return self.state.oauth.token(raw_body, headers.get("authorization"))
                if raw_path in AUTH_PATHS and method == "GET":
                    status, where, page = self.state.oauth.authorize(query)
                    return status, Raw(status, page, where)
                caller = self.state.oauth.caller(headers.get("authorization"))
                if raw_path.startswith("/upload/"):
                    base = f"http://{headers.get('host') or f'{self.host}:{self.port}'}"
                    return self._raw(
                        drive.upload(
                            self.state, caller, method, raw_path, query, raw_body, headers, base
                        )
                    )
        except ApiError as err:
            return err.code, err.envelope()
        try:
            body = json.loads(raw_body) if raw_body.strip() else None
        except ValueError:
            return 400, ApiError(400, "Invalid JSON payload received. Unexpected token.").envelope()
        try:
            with self.state.lock:
                return self._raw(self._route(method, raw_path, query, body, caller))
        except ApiError as err:
            return err.code, err.envelope()
        except Exception:  # a bug in the stand-in, not a Google behaviour
            detail = traceback.format_exc()
            self.internal_errors.append(detail)
            if self.verbose:
                print(detail, file=sys.stderr)
            return 500, ApiError(500, "Internal error encountered.").envelope()

    @staticmethod
    def _raw(answer: tuple[int, Json] | Raw) -> tuple[int, Json]:
        if isinstance(answer, Raw):
            return answer.status, answer
        status, payload = answer
        return (payload.status, payload) if isinstance(payload, Raw) else (status, payload)

    def _spreadsheet(self, raw_id: str) -> Any:
        sid = unquote(raw_id)
        ss = self.state.spreadsheets.get(sid)
        if ss is None:
            raise ApiError(404)
        if ss.private:
            raise ApiError(403)
        return ss

    def _route(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Json,
        caller: Account | None = None,
    ) -> tuple[int, Json]:
        state = self.state
        match = _DRIVE.match(path)
        if match:
            return drive.handle(state, caller, method, unquote(match.group(1) or ""), query, body)
        if caller is not None and not caller.allows(SHEETS, DRIVE):
            raise scope_error()
        if path == "/v4/spreadsheets" and method == "POST":
            return 200, create_spreadsheet(state, body)
        match = _SPREADSHEET.match(path)
        if match:
            ss = self._spreadsheet(match.group(1))
            if method == "GET" and not match.group(2):
                return 200, get_spreadsheet(ss, query)
            if method == "POST" and match.group(2):
                return 200, batch_update(
                    state, ss.spreadsheet_id, body, query.get("fields", [""])[-1]
                )
        match = _VALUES_BATCH.match(path)
        if match:
            ss = self._spreadsheet(match.group(1))
            action = match.group(2)
            if action == "batchGet" and method == "GET":
                return 200, values_api.values_batch_get(ss, query)
            if action != "batchGet" and method == "POST":
                with state.transaction(ss.spreadsheet_id) as working:
                    if action == "batchUpdate":
                        return 200, values_api.values_batch_update(working, body)
                    return 200, values_api.values_batch_clear(working, body or {})
        match = _VALUES.match(path)
        if match:
            ss = self._spreadsheet(match.group(1))
            range_text = unquote(match.group(2))
            suffix = match.group(3)
            if method == "GET" and not suffix:
                return 200, values_api.values_get(ss, range_text, query)
            if (method, suffix) in (("PUT", None), ("POST", ":append"), ("POST", ":clear")):
                with state.transaction(ss.spreadsheet_id) as working:
                    if suffix == ":append":
                        return 200, values_api.values_append(working, range_text, query, body)
                    if suffix == ":clear":
                        return 200, values_api.values_clear(working, range_text)
                    return 200, values_api.values_update(working, range_text, query, body)
        raise ApiError(404, f"The requested URL {path} was not found on this server.")


def _fault_body(fault: Fault) -> tuple[bytes, dict[str, str]]:
    err = ApiError(fault.status, fault.message)
    if fault.status == 429:
        err.details = [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": {
                    "service": "sheets.googleapis.com",
                    "quota_metric": "sheets.googleapis.com/write_requests",
                },
            }
        ]
    headers = {}
    if fault.retry_after is not None:
        seconds = fault.retry_after
        headers["Retry-After"] = str(int(seconds)) if float(seconds).is_integer() else str(seconds)
    return _encode(err.envelope()), headers


def _encode(payload: Json, *, pretty: bool = True) -> bytes:
    # what json.dumps(payload, ensure_ascii=False, indent=2) gives, or compact
    return dumps(payload, pretty=pretty)


def _pretty(query: dict[str, list[str]]) -> bool:
    """Google's system parameter prettyPrint: answers are indented unless it is false."""
    return (query.get("prettyPrint") or ["true"])[-1].strip().lower() not in ("false", "0")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    standin: StandIn


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    protocol_version = "HTTP/1.1"
    server_version = "ESF"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        # headers and body go out in two writes; without this, Nagle + delayed ACK add ~40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        standin = self.server.standin
        if standin.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        standin = self.server.standin
        started = time.monotonic()
        split = urlsplit(self.path)
        query = parse_qs(split.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        target = f"{unquote(split.path)}?{unquote(split.query)}"
        record = RequestRecord(
            method=method,
            path=unquote(split.path),
            query=query,
            body_size=len(raw_body),
            time=time.time(),
            authorization="Authorization" in self.headers,
        )
        standin._log(record)
        try:
            for hook in standin.faults.due(method):
                with standin.state.lock:
                    hook(standin.state)
            if len(raw_body) > standin.state.payload_limit and not split.path.startswith(
                "/upload/"
            ):
                limit = standin.state.payload_limit
                self._send(
                    400,
                    _encode(
                        ApiError(
                            400, f"Request payload size exceeds the limit: {limit} bytes."
                        ).envelope(),
                        pretty=_pretty(query),
                    ),
                    {},
                    record,
                )
                return
            delay, fault = standin.faults.take(method, target)
            if delay is not None:
                record.fault = "slow"
                time.sleep(delay.seconds)
            if fault is not None:
                record.fault = fault.kind
                if fault.kind == "fail":
                    payload, headers = _fault_body(fault)
                    self._send(fault.status, payload, headers, record)
                    return
                if fault.kind == "malformed":
                    self._send(200, b'{"spreadsheetId": "', {}, record)
                    return
                if fault.kind == "drop" and not fault.processed:
                    self._drop()
                    return
            # A large answer is written while it is made, from the state as it is now: hold
            # the lock until it has gone.
            with standin.state.lock:
                status, payload = standin.dispatch(
                    method, split.path, query, raw_body, dict(self.headers.items())
                )
                # Arm a between-hook before the answer goes out: a fast client may send its
                # next request the moment it has read this one.
                if method == "GET" and split.path.startswith("/v4/spreadsheets/") and status == 200:
                    standin.faults.saw_get(target)
                if fault is not None and fault.kind == "drop":
                    self._drop()
                    return
                if fault is not None and fault.kind == "cut":
                    self._send_cut(status, payload, record, pretty=_pretty(query))
                    return
                if isinstance(payload, Raw):
                    body = payload.body
                elif isinstance(payload, Chunked):
                    self._send_chunked(status, payload, record, pretty=_pretty(query))
                else:
                    body = b"" if payload is None else _encode(payload, pretty=_pretty(query))
            if isinstance(payload, Raw):
                self._send(status, body, payload.headers, record, json_body=False)
            elif not isinstance(payload, Chunked):
                self._send(status, body, {}, record)
        finally:
            record.duration = time.monotonic() - started

    def _send(
        self,
        status: int,
        payload: bytes,
        headers: dict[str, str],
        record: RequestRecord,
        *,
        json_body: bool = True,
    ) -> None:
        record.status = status
        self.send_response(status)
        if status != 204 and json_body:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in headers.items():
            if key.lower() == "content-length":
                continue
            self.send_header(key, value)
        self.end_headers()
        if payload:
            self.wfile.write(payload)
            record.response_bytes = len(payload)

    def _send_chunked(
        self, status: int, payload: Chunked, record: RequestRecord, *, pretty: bool = True
    ) -> None:
        record.status = status
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def chunk(data: bytes) -> None:
            if data:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                record.response_bytes += len(data)

        write_json(payload, chunk, pretty=pretty)
        self.wfile.write(b"0\r\n\r\n")

    def _send_cut(self, status: int, payload: Any, record: RequestRecord, *, pretty: bool) -> None:
        """The answer's headers and the first half of its body, then the connection closes."""
        if isinstance(payload, Raw):
            body = payload.body
        else:
            body = b"" if payload is None else dumps(payload, pretty=pretty)
        record.status = status
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        half = body[: max(1, len(body) // 2)]
        self.wfile.write(b"%x\r\n%s\r\n" % (len(half), half))
        record.response_bytes = len(half)
        self.wfile.flush()
        self._drop()

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
