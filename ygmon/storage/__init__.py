"""Where asset files live: the Storage interface (ygmon.storage.base), the local
filesystem implementation (ygmon.storage.local) and signed media URLs
(ygmon.storage.signing)."""

from ygmon.storage.base import InvalidKeyError, Storage
from ygmon.storage.factory import storage_for
from ygmon.storage.local import LocalStorage

__all__ = ["InvalidKeyError", "LocalStorage", "Storage", "storage_for"]
