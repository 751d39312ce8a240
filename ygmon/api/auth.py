"""HS256 bearer tokens: issuing (`ygmon token`) and verifying, with the secret of
ygmon.storage.secret (which signs media URLs too).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

from ygmon.api.issues import storable
from ygmon.errors import UnauthorizedError


@dataclass(frozen=True)
class Identity:
    user_id: str
    role: str
    expires_at: float | None = None
    """The token's `exp` (Unix seconds): a live stream ends there."""

    @property
    def is_admin(self) -> bool:
        return self.role == "ADMIN"


def issue_token(secret: str, role: str, user_id: str, ttl: float) -> str:
    now = int(time.time())
    claims = {"sub": user_id, "role": role, "iat": now, "exp": now + int(ttl)}
    return jwt.encode(claims, secret, algorithm="HS256")


MAX_SUBJECT = 255
"""The audit log's actor column."""


def verify(secret: str, authorization: str | None) -> Identity:
    """The identity in an `Authorization: Bearer` header, or UnauthorizedError.

    Only HS256 is accepted (so `alg: none` and algorithm confusion fail), `exp` is
    required and checked, and the token must name a user and a role (the caller checks
    that the role is ADMIN).
    """
    if not authorization:
        raise UnauthorizedError("Unauthorized")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthorizedError("Unauthorized")
    try:
        claims = jwt.decode(
            token.strip(), secret, algorithms=["HS256"], options={"require": ["exp"]}
        )
    except jwt.PyJWTError:
        raise UnauthorizedError("Unauthorized") from None
    user = claims.get("sub") or claims.get("userId") or claims.get("id")
    role = claims.get("role")
    if not isinstance(user, str | int) or not isinstance(role, str):
        raise UnauthorizedError("Unauthorized")
    # The subject goes into audit rows (255 characters of text): one no database
    # stores is no user's, and must not turn an action into a failed audit write.
    if not storable(str(user)) or len(str(user)) > MAX_SUBJECT:
        raise UnauthorizedError("Unauthorized")
    exp = claims.get("exp")
    return Identity(str(user), role, float(exp) if isinstance(exp, int | float) else None)
