"""Real peers on this machine for the delivery tests: an SMTP server (aiosmtpd, with STARTTLS,
implicit TLS and login when asked) and an HTTP receiver that checks the webhook signature the
way ``docs/municipality-api.md`` tells a municipality to, and drops repeats by the key.

Failure injection: the SMTP server refuses the next messages with a reply of our choosing;
the receiver answers the next requests with a status, or sleeps past the client's timeout.
A receiver that is not started is "connection refused".
"""

from __future__ import annotations

import contextlib
import email
import hashlib
import hmac
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        assert body is not None
        return str(body.get_content())

    def attachments(self) -> list[tuple[str, str, bytes]]:
        return [
            (part.get_content_type(), str(part.get_filename()), part.get_content())
            for part in self.message.iter_attachments()
        ]


@dataclass
class Mailbox:
    """The SMTP server's handler: keeps what it accepts; refuses on request."""

    messages: list[ReceivedMail] = field(default_factory=list)
    refuse_data: deque[str] = field(default_factory=deque)  # replies to the next DATA
    unknown: set[str] = field(default_factory=set)  # recipients answered 550
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.unknown:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_data:
            return self.refuse_data.popleft()
        self.messages.append(
            ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return f"250 2.0.0 Ok: queued as {len(self.messages)}"

    def by_key(self, key: str) -> list[ReceivedMail]:
        return [m for m in self.messages if m.message["X-Almen-Idempotency-Key"] == key]


class SmtpPeer:
    """aiosmtpd on a free localhost port. ``tls``: None, "starttls" or "implicit"."""

    def __init__(
        self,
        tls: str | None = None,
        ssl_context: Any = None,
        login: tuple[str, str] | None = None,
    ) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        kwargs: dict[str, Any] = {"hostname": "127.0.0.1", "port": self.port}
        if tls == "starttls":
            kwargs.update(tls_context=ssl_context, require_starttls=True)
        elif tls == "implicit":
            kwargs.update(ssl_context=ssl_context)
        if login is not None:
            # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; implicit TLS is TLS too
            kwargs.update(
                authenticator=self._authenticator(login),
                auth_require_tls=tls == "starttls",
                auth_exclude_mechanism=["LOGIN"],  # PLAIN only: one clear answer to a bad login
            )
        self.controller = Controller(self.mailbox, **kwargs)

    def _authenticator(self, login: tuple[str, str]) -> Any:
        def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
            ok = (
                isinstance(data, LoginPassword)
                and (data.login.decode(), data.password.decode()) == login
            )
            if ok:
                self.mailbox.logins.append(data.login.decode())
            return AuthResult(success=ok, handled=False)

        return check

    def __enter__(self) -> SmtpPeer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


@dataclass
class Delivery:
    key: str
    verified: bool
    attempt: str
    body: dict[str, Any] | None
    answered: int


class WebhookReceiver:
    """A municipality's receiver: verifies ``X-Almen-Signature`` (HMAC-SHA256 over
    ``<timestamp>.<body>``), accepts each idempotency key once, answers repeats 200 too."""

    def __init__(self, secret: str, port: int | None = None, delay_seconds: float = 0) -> None:
        self.secret = secret
        self.port = port or free_port()
        self.deliveries: list[Delivery] = []
        self.accepted: dict[str, dict[str, Any]] = {}
        self.script: deque[str] = deque()  # "500", "404", "429", "redirect", "sleep"
        self.sleep_seconds = 2.0
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/almen/notifications"

    def signature_ok(self, timestamp: str | None, signature: str | None, body: bytes) -> bool:
        if not timestamp or not signature or abs(time.time() - int(timestamp)) > 300:
            return False
        expected = hmac.new(
            self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(f"v1={expected}", signature)

    def handle(self, request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        body = request.rfile.read(int(request.headers.get("Content-Length", "0")))
        key = request.headers.get("Idempotency-Key", "")
        verified = self.signature_ok(
            request.headers.get("X-Almen-Timestamp"), request.headers.get("X-Almen-Signature"), body
        )
        with self._lock:
            action = self.script.popleft() if self.script else "ok"
        if action == "sleep":
            time.sleep(self.sleep_seconds)  # past the client's timeout; then it is processed
        parsed = json.loads(body) if verified else None
        status, headers, answer = 200, {}, b'{"status":"accepted"}'
        if not verified:
            status, answer = 401, b'{"error":"bad signature"}'
        elif action in ("500", "404", "429"):
            status, answer = int(action), f'{{"error":"injected {action}"}}'.encode()
        elif action == "redirect":
            status, headers, answer = 307, {"Location": "https://elsewhere.example/"}, b""
        else:
            assert parsed is not None
            with self._lock:
                if key in self.accepted:
                    answer = b'{"status":"duplicate, dropped"}'
                else:
                    self.accepted[key] = parsed
        with self._lock:
            self.deliveries.append(
                Delivery(key, verified, request.headers.get("X-Almen-Attempt", ""), parsed, status)
            )
        return status, headers, answer

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                status, headers, answer = receiver.handle(self)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(answer)  # a client that timed out has gone

            def log_message(self, *args: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wait_for(self, count: int, seconds: float = 10) -> None:
        """Until ``count`` requests have been handled (one may answer after the client left)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.deliveries) >= count:
                    return
            time.sleep(0.02)
        raise AssertionError(f"the receiver handled {len(self.deliveries)}, not {count}")

    def seen(self, key: str) -> list[Delivery]:
        with self._lock:
            return [d for d in self.deliveries if d.key == key]

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def certificate_files(folder: Path) -> tuple[Any, Path]:
    """A test CA and a server certificate for 127.0.0.1 (trustme); returns the server's SSL
    context and the CA file a client must trust."""
    import ssl

    import trustme

    ca = trustme.CA()
    server_cert = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_cert.configure_cert(context)
    ca_file = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return context, ca_file
