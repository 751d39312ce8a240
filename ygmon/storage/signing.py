"""Signed media URLs: an HMAC-SHA256 of the key and an expiry, as S3 presigned URLs work.

`<video src=previewUrl>` sends no Authorization header, so the URL itself carries the
permission: `BASE/KEY?expires=EPOCH&signature=HEX`. The signature covers the key and the
expiry only (not the host), so a CDN in front (`media_base_url`) can forward requests
to `ygmon serve` unchanged. Nothing can be listed, and no other key can be guessed.

Expiries are rounded up to the next whole TTL period (a URL lives between one and two
TTLs): the same asset read twice in a period gets the same URL, so the API, the local
monitor and the terminal app agree, and a refreshing table does not churn.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import time
from contextvars import ContextVar
from urllib.parse import quote

from ygmon.storage.base import InvalidKeyError, check_key

# Domain separation: the media key is derived from the profile's secret, so a media
# signature can never pass for a JWT signature or the other way round.
_LABEL = b"ygmon-media-url-v1"
_DIGITS = re.compile(r"[0-9]{1,12}")

request_base_url: ContextVar[str | None] = ContextVar("ygmon_media_request_base", default=None)
"""Set by the API for one request when no media_base_url is configured: where that
request reached `ygmon serve` (its scheme, host and port), so URLs work whatever port
or name it was reached by."""


class Signer:
    def __init__(self, secret: str | bytes, base_url: str, ttl: float = 3600.0) -> None:
        raw = secret.encode() if isinstance(secret, str) else secret
        self._key = hmac.new(raw, _LABEL, hashlib.sha256).digest()
        self.base_url = base_url.rstrip("/")
        self.ttl = ttl

    def _mac(self, key: str, expires: int) -> str:
        message = f"{key}\n{expires}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def expiry(self, now: float | None = None) -> int:
        now = time.time() if now is None else now
        return int((math.floor(now / self.ttl) + 2) * self.ttl)

    def url(self, key: str, now: float | None = None) -> str:
        check_key(key)
        expires = self.expiry(now)
        base = request_base_url.get() or self.base_url
        return f"{base}/{quote(key)}?expires={expires}&signature={self._mac(key, expires)}"

    def valid(
        self, key: str, expires: str | None, signature: str | None, now: float | None = None
    ) -> bool:
        """True when `signature` signs `key` until `expires` and that time has not passed."""
        # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
        if not expires or not signature or not _DIGITS.fullmatch(expires):
            return False
        try:
            check_key(key)
        except InvalidKeyError:
            return False
        if int(expires) < (time.time() if now is None else now):
            return False
        return hmac.compare_digest(self._mac(key, int(expires)), signature)
