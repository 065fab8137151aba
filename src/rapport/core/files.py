"""Saving files through Django's storage when the storage cannot take them.

A full disk (ENOSPC, a quota, a file-size limit) or a read-only or unwritable
media directory made an upload answer 500 and left the partly written file
behind: Django's FileSystemStorage writes in place, chunk by chunk, and keeps
what it wrote when a write fails. `save_field_file` saves the way `FieldFile.save`
does, and on such an error removes whatever was written and raises
`StorageUnavailable` — 507 when the storage is full, 503 when it refuses writes —
which the API answers as a problem document and forms show as an error. Nothing
else depends on storage: writes without files go on working.
"""

from __future__ import annotations

import errno
import logging
from typing import Any

from django.core.files import File
from django.db.models.fields.files import FieldFile

from rapport.core.errors import RapportError

log = logging.getLogger(__name__)

FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StorageUnavailable(RapportError):
    status = 503
    title = "Service unavailable"


class StorageFull(StorageUnavailable):
    status = 507
    title = "Insufficient storage"


def save_field_file(field_file: FieldFile, name: str, content: File[Any]) -> None:
    """`field_file.save(name, content, save=False)`, cleaning up after a storage error."""
    storage = field_file.storage
    wanted = field_file.field.generate_filename(field_file.instance, name)
    # The name the storage will pick (it adds a suffix if taken), worked out the way
    # it will: the storage reports the name only on success, and a failed write
    # partway leaves that file behind.
    target = storage.get_available_name(wanted, max_length=field_file.field.max_length)
    try:
        field_file.save(name, content, save=False)
    except OSError as exc:
        _remove_partial(storage, target)
        raise _unavailable(exc) from exc


def _remove_partial(storage: Any, name: str) -> None:
    try:
        if storage.exists(name):
            storage.delete(name)
    except OSError:  # a read-only directory may refuse this too: nothing was written then
        log.warning("Could not remove the partly written file %s", name, exc_info=True)


def _unavailable(exc: OSError) -> StorageUnavailable:
    if exc.errno in FULL:
        log.error("File storage is full: %s", exc)
        return StorageFull(
            "File storage is full; the file was not kept. Try again later, or send the "
            "message without it.", field="file",
        )  # fmt: skip
    log.error("File storage refused a write: %s", exc)
    return StorageUnavailable(
        "File storage cannot take files right now; the file was not kept. Try again "
        "later, or send the message without it.", field="file",
    )  # fmt: skip
