"""Sending through an SMTP server (smtplib), behind the shared circuit breaker.

The password is read from the environment variable the profile names, at login, and is
never part of a message, a log line or an error. TLS (`starttls` or `tls`) verifies the
server's certificate and host name against the system's CAs; a server with a private CA
is trusted through OpenSSL's SSL_CERT_FILE. One connection is kept per mailer (a
worker thread holds one mailer) and reopened when it has idled past IDLE_SECONDS,
because servers drop idle clients and a send on a dropped connection is ambiguous.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from dataclasses import KW_ONLY, dataclass, field
from email.message import Message
from typing import TYPE_CHECKING

import pybreaker

from ygmon.errors import ConfigError, MailError, MailUnavailableError
from ygmon.mail.breaker import CIRCUIT_OPEN

if TYPE_CHECKING:
    from ygmon.config import LocalProfile

IDLE_SECONDS = 20.0


@dataclass(eq=False)
class SmtpMailer:
    host: str
    port: int
    _: KW_ONLY
    security: str = "starttls"
    username: str | None = None
    password_env: str | None = None
    timeout: float = 10.0
    breaker: pybreaker.CircuitBreaker | None = None
    _conn: smtplib.SMTP | None = field(default=None, init=False, repr=False)
    _last_used: float = field(default=0.0, init=False, repr=False)

    @classmethod
    def from_profile(
        cls, profile: LocalProfile, breaker: pybreaker.CircuitBreaker | None
    ) -> SmtpMailer:
        return cls(
            profile.smtp_host,
            profile.smtp_port,
            security=profile.smtp_security,
            username=profile.smtp_username,
            password_env=profile.smtp_password_env,
            timeout=profile.smtp_timeout,
            breaker=breaker,
        )

    def _password(self) -> str:
        value = os.environ.get(self.password_env or "")
        if value is None:
            raise ConfigError(
                f"config error: smtp_username is set but the environment variable "
                f"{self.password_env or '(smtp_password_env)'} holding the password is not"
            )
        return value

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        conn: smtplib.SMTP
        if self.security == "tls":
            conn = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.security == "starttls":
                conn.starttls(context=context)
        if self.username:
            conn.login(self.username, self._password())
        return conn

    def _send(self, message: Message) -> None:
        if self._conn is not None and time.monotonic() - self._last_used > IDLE_SECONDS:
            self._drop()
        if self._conn is None:
            self._conn = self._connect()
        try:
            self._conn.send_message(message)
        except BaseException:
            # After a failed send the session's state is unknown: start the next afresh.
            self._drop()
            raise
        self._last_used = time.monotonic()

    def send(self, message: Message) -> None:
        try:
            if self.breaker is None:
                self._send(message)
            else:
                self.breaker.call(self._send, message)
        except pybreaker.CircuitBreakerError:
            raise MailUnavailableError(CIRCUIT_OPEN) from None
        except ConfigError:
            raise
        except (OSError, smtplib.SMTPException) as exc:
            reason = _describe(exc, self.security)
            raise MailError(f"mail server {self.host}:{self.port}: {reason}") from None

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()

    def close(self) -> None:
        self._drop()


def _describe(exc: BaseException, security: str) -> str:
    """One line an operator can act on (a TLS error names the likely setting)."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (
            f"TLS certificate not trusted ({exc.verify_message}); a server with a private "
            "CA is trusted by pointing SSL_CERT_FILE at that CA's certificate"
        )
    if isinstance(exc, ssl.SSLError):
        other = "starttls" if security == "tls" else "tls"
        return (
            f"TLS handshake failed ({exc.reason or exc}); smtp_security is '{security}': "
            f"does the server expect '{other}'?"
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else ""
        return f"{exc.smtp_code} {text}".strip()
    return str(exc) or type(exc).__name__
