"""The raw message store: every message byte for byte, named by its sha256.

Written before a delivery is acknowledged. Content addressing makes a second
write of the same message a no-op, and a file cut short by a crash is
noticed (its size is wrong) and written again.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

CHUNK = 1024 * 1024


def path_for(sha256: str) -> str:
    return f"mail/raw/{sha256[:2]}/{sha256}.eml"


def spool(source: bytes | IO[bytes]) -> tuple[IO[bytes], str, int]:
    """A readable copy of the message with its sha256 and size.

    Large messages go to a temporary file, so a 50 MB attachment never sits in
    memory twice.
    """
    digest = hashlib.sha256()
    if isinstance(source, bytes):
        digest.update(source)
        return io.BytesIO(source), digest.hexdigest(), len(source)
    spooled = tempfile.SpooledTemporaryFile(max_size=4 * CHUNK)  # noqa: SIM115 - returned
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        spooled.write(chunk)
        size += len(chunk)
    spooled.seek(0)
    return spooled, digest.hexdigest(), size


def save(stream: IO[bytes], sha256: str, size: int) -> str:
    """Store the bytes under their hash (unless already there, whole); the path."""
    path = path_for(sha256)
    if default_storage.exists(path):
        if default_storage.size(path) == size:
            return path
        default_storage.delete(path)  # cut short by a crash: write it again
    stream.seek(0)
    saved = default_storage.save(path, File(stream))
    if saved != path:  # a concurrent writer won the name: theirs is the same content
        default_storage.delete(saved)
    _fsync(path)
    return path


def _fsync(path: str) -> None:
    # Durable before we say "250 OK": a power cut must not lose an acknowledged message.
    try:
        local = default_storage.path(path)
    except NotImplementedError:  # remote storage: its own durability applies
        return
    fd = os.open(local, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_raw(path: str) -> IO[bytes]:
    return default_storage.open(path, "rb")


def read_raw(path: str) -> bytes:
    with open_raw(path) as handle:
        return handle.read()
