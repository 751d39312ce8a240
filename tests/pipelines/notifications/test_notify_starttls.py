"""The SMTP mailer against a real aiosmtpd on loopback that requires STARTTLS, with a
self-signed certificate made here by openssl: trusted, the mail goes over TLS and is
accepted; misconfigured, it fails with one clear line and nothing is accepted."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from ygmon.errors import MailError
from ygmon.mail.message import build_message
from ygmon.mail.smtp import SmtpMailer


class TlsSink:
    """Keeps, per accepted message, the TLS version its session ran (None: plain)."""

    def __init__(self) -> None:
        self.accepted: list[str | None] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        info = session.ssl or {}
        sslobj = info.get("ssl_object")
        self.accepted.append(sslobj.version() if sslobj is not None else None)
        return "250 OK"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[int, TlsSink]]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = TlsSink()
    controller = Controller(
        sink, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True
    )
    controller.start()
    yield port, sink
    controller.stop()


def _message(n: int) -> Any:
    return build_message(
        from_address="ygmon <noreply@ygmon.test>",
        to="ann@x.test",
        subject=f"Over TLS {n}",
        text="Encrypted on the wire.\n",
        msg_id=f"<tls.{n}@ygmon.test>",
        date=datetime.now(UTC),
    )


def _send(port: int, security: str, n: int) -> None:
    mailer = SmtpMailer("127.0.0.1", port, security=security, timeout=5)
    try:
        mailer.send(_message(n))
    finally:
        mailer.close()


def test_starttls_with_a_trusted_certificate_sends_over_tls(
    starttls_server: tuple[int, TlsSink],
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port, sink = starttls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    before = len(sink.accepted)
    _send(port, "starttls", 1)
    assert sink.accepted[before:] in (["TLSv1.2"], ["TLSv1.3"])  # None: sent in the clear


@pytest.mark.parametrize(
    ("security", "trusted", "said"),
    [
        ("starttls", False, "TLS certificate not trusted (self-signed certificate)"),
        ("tls", True, "TLS handshake failed"),
        ("none", True, "530"),
    ],
    ids=["untrusted-certificate", "tls-against-starttls", "plain-against-required-starttls"],
)
def test_misconfigured_tls_fails_with_one_clear_line(
    starttls_server: tuple[int, TlsSink],
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    security: str,
    trusted: bool,
    said: str,
) -> None:
    port, sink = starttls_server
    if trusted:
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    else:
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    before = len(sink.accepted)
    with pytest.raises(MailError) as caught:
        _send(port, security, 2)
    text = str(caught.value)
    assert text.startswith(f"mail server 127.0.0.1:{port}: ") and said in text, text
    assert "\n" not in text and "Traceback" not in text
    assert len(sink.accepted) == before
