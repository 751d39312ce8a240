"""LocalStorage keeps every key inside its root, writes atomically, and signs URLs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ygmon.storage import InvalidKeyError, LocalStorage
from ygmon.storage.signing import Signer

ESCAPING = [
    "",
    "..",
    "../x",
    "a/../../x",
    "a/..",
    "/etc/passwd",
    "//etc/passwd",
    "a//b",
    "a/",
    "./a",
    "a/./b",
    ".hidden",
    "a\x00b",
    "a\\..\\b",
    "C:\\x",
    "~/x",
    "-i",
    "x" * 600,
    "a b",
    "concat:a|b",
    "%2e%2e/x",
]


@pytest.mark.parametrize("key", ESCAPING)
def test_storage_rejects_every_escaping_or_odd_key(tmp_path: Path, key: str) -> None:
    storage = LocalStorage(tmp_path / "root")
    for call in (storage.path, storage.exists, storage.delete, storage.url, storage.temp_path):
        with pytest.raises(InvalidKeyError):
            call(key)


def test_a_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("no")
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside, root / "link")
    (root / "file.txt").symlink_to(outside / "secret.txt")
    storage = LocalStorage(root)
    for key in ("link/secret.txt", "file.txt", "link"):
        with pytest.raises(InvalidKeyError):
            storage.path(key)


def test_put_replaces_atomically_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    assert storage.put_bytes("a/b.bin", b"old") == 3
    tmp = storage.temp_path("a/b.bin")
    assert tmp.parent == storage.path("a/b.bin").parent and tmp.name.startswith(".")
    tmp.write_bytes(b"new!")
    assert storage.put_file("a/b.bin", tmp) == 4
    assert storage.open("a/b.bin").read() == b"new!"
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b.bin"]
    storage.delete("a/b.bin")
    assert not storage.exists("a/b.bin")


def test_signed_urls_verify_and_refuse_tampering_and_expiry() -> None:
    signer = Signer("s" * 32, "https://cdn.example.com/media/", ttl=60)
    url = signer.url("previews/a.mp4", now=1000)
    base, _, query = url.partition("?")
    assert base == "https://cdn.example.com/media/previews/a.mp4"
    params = dict(p.split("=") for p in query.split("&"))
    assert int(params["expires"]) == 1080  # rounded: between one and two TTLs
    assert signer.url("previews/a.mp4", now=1019) == url
    assert signer.valid("previews/a.mp4", params["expires"], params["signature"], now=1079)
    assert not signer.valid("previews/a.mp4", params["expires"], params["signature"], now=1081)
    assert not signer.valid("previews/b.mp4", params["expires"], params["signature"], now=1000)
    assert not signer.valid("previews/a.mp4", "1140", params["signature"], now=1000)
    assert not signer.valid("previews/a.mp4", params["expires"], "0" * 64, now=1000)
    assert not signer.valid("../a.mp4", params["expires"], params["signature"], now=1000)
    other = Signer("t" * 32, "https://cdn.example.com/media", ttl=60)
    assert not other.valid("previews/a.mp4", params["expires"], params["signature"], now=1000)
