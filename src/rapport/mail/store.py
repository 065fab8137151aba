"""The raw message store: every message byte for byte, named by its sha256.

Written before a delivery is acknowledged. Content addressing makes a second
write of the same message a no-op, and a file cut short by a crash is
noticed (its size is wrong) and written again.

A batch is written first and made durable afterwards, all at once: each file
and each directory that gained an entry is fsynced, the fsyncs issued together
from a few threads. The filesystem's journal commits concurrent fsyncs as one,
so a batch of 25 costs about what one message did alone (3 ms each on ext4
when issued one after another, 0.2 ms each together).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

CHUNK = 1024 * 1024
SYNC_THREADS = 4  # enough for the journal to see the fsyncs of a batch together
_sync_pool: tuple[int, ThreadPoolExecutor] | None = None  # (the pid that made it, the pool)


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
    """Store the bytes under their hash, durably; the path."""
    path = write(stream, sha256, size)
    make_durable([path])
    return path


def write(stream: IO[bytes], sha256: str, size: int) -> str:
    """Store the bytes under their hash (unless already there, whole); the path.

    Not yet durable: `make_durable` must follow before anyone is told it is stored.
    """
    path = path_for(sha256)
    if default_storage.exists(path):
        if default_storage.size(path) == size:
            return path
        default_storage.delete(path)  # cut short by a crash: write it again
    stream.seek(0)
    saved = default_storage.save(path, File(stream))
    if saved != path:  # a concurrent writer won the name: theirs is the same content
        default_storage.delete(saved)
    return path


def make_durable(paths: Iterable[str]) -> None:
    """fsync the files and the directories holding them, concurrently.

    Durable before we say "250 OK": a power cut must not lose an acknowledged
    message. A file already stored is synced again too: a previous writer may
    have crashed between writing it and syncing it.
    """
    targets: set[str] = set()
    for path in paths:
        try:
            local = default_storage.path(path)
        except NotImplementedError:  # remote storage: its own durability applies
            return
        targets.add(local)
        # The entry of a new file lives in its directory; the raw store's bucket
        # directories are created on first use, so their parent's entry too.
        parent = os.path.dirname(local)
        targets.update((parent, os.path.dirname(parent)))
    global _sync_pool
    if _sync_pool is None or _sync_pool[0] != os.getpid():
        # A forked child (a pre-forking server or worker) has none of its parent's threads.
        _sync_pool = (
            os.getpid(),
            ThreadPoolExecutor(SYNC_THREADS, thread_name_prefix="mail-fsync"),
        )
    # list() waits for every fsync and re-raises the first failure.
    list(_sync_pool[1].map(_fsync, sorted(targets)))


def _fsync(local: str) -> None:
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


# Header fields mail systems add or rewrite on the way (trace, delivery, filter and
# authentication results): two copies of one message differ only in these.
_TRACE_FIELDS = re.compile(
    rb"^(received|return-path|delivered-to|x-original-to|envelope-to|x-envelope-to|"
    rb"x-received|arc-[a-z-]+|authentication-results|received-spf|x-spam-[a-z-]+|"
    rb"x-virus-[a-z-]+|x-ms-exchange-[a-z-]+|x-forefront-[a-z-]+|x-gm-[a-z-]+|"
    rb"x-google-smtp-source|x-rcpt-to|x-delivered-to|dkim-filter|x-mailer-daemon)\s*:",
    re.IGNORECASE,
)


def content_digest(path: str) -> str:
    """The sha256 of a stored message without the headers relays add: the same
    message delivered by two routes (two relays, two of our mailboxes) has one."""
    digest = hashlib.sha256()
    with open_raw(path) as handle:
        skipping = False
        for line in handle:
            if line in (b"\r\n", b"\n"):
                digest.update(line)
                break
            if line[:1] in (b" ", b"\t"):  # a folded continuation of the field before
                if not skipping:
                    digest.update(line)
                continue
            skipping = bool(_TRACE_FIELDS.match(line))
            if not skipping:
                digest.update(line)
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
