"""The local default: every message becomes an .eml file in the outbox folder.

`ygmon outbox` lists them; any mail client opens them. A file is written under a
temporary name and renamed into place, so a reader never sees half a message, and a
write that fails (a full disk) leaves no temporary file behind.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from ygmon.mail.message import message_bytes

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class OutboxMailer:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def send(self, message: Message) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%f")
        key = _UNSAFE.sub("_", str(message.get("Message-ID", "")).strip("<>"))[:120] or "message"
        path = self.folder / f"{stamp}-{key}.eml"
        tmp = path.with_suffix(".tmp")
        try:
            tmp.write_bytes(message_bytes(message))
            os.replace(tmp, path)
        except OSError:
            # A full disk leaves part of the message in the temporary file: remove it,
            # so the outbox holds whole messages only and the retry starts clean.
            tmp.unlink(missing_ok=True)
            raise

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class OutboxEntry:
    path: Path
    date: datetime | None
    to: str
    subject: str
    message_id: str


def list_outbox(folder: str | Path) -> list[OutboxEntry]:
    """The messages in the outbox, oldest first (an absent folder holds none)."""
    root = Path(folder)
    if not root.is_dir():
        return []
    parser = BytesHeaderParser(policy=policy.default)
    entries = []
    for path in sorted(root.glob("*.eml")):
        with path.open("rb") as fh:
            headers = parser.parse(fh)
        try:
            date = parsedate_to_datetime(str(headers["Date"])) if headers["Date"] else None
        except (TypeError, ValueError):
            date = None
        entries.append(
            OutboxEntry(
                path=path,
                date=date,
                to=str(headers.get("To", "")),
                subject=str(headers.get("Subject", "")),
                message_id=str(headers.get("Message-ID", "")),
            )
        )
    return entries
