"""The storage a profile names (today always LocalStorage under `media_dir`), with URLs
signed by the profile's secret and pointing at `media_base_url` or `ygmon serve`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ygmon.storage.local import LocalStorage
from ygmon.storage.signing import Signer

if TYPE_CHECKING:
    from ygmon.config import LocalProfile


def media_base_url(profile: LocalProfile) -> str:
    if profile.media_base_url:
        return profile.media_base_url.rstrip("/")
    host = profile.serve_host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{profile.serve_port}/media"


def signer_for(profile: LocalProfile) -> Signer:
    # The API's signing secret: the profile's jwt_secret, or the generated one kept
    # beside a local SQLite database.
    from ygmon.storage.secret import signing_secret

    return Signer(signing_secret(profile), media_base_url(profile), profile.media_url_ttl)


def storage_for(profile: LocalProfile, *, signed: bool = True) -> LocalStorage:
    """The profile's storage; `signed=False` skips the secret (the worker never renders
    URLs: the database keeps keys, and readers render them)."""
    if not signed:
        return LocalStorage(profile.media_dir)
    signer = signer_for(profile)
    return LocalStorage(profile.media_dir, url_of=signer.url)
