"""A full or read-only media storage: uploads answer 507 or 503 as problem documents,
leave no partial file behind, and ticket writes without files go on working.

The storages below are Django's FileSystemStorage meeting the operating system's
answer: the full disk fails a write after the first chunk is on disk (as ENOSPC
does, leaving the partial file), the read-only one refuses to create the file
(EROFS).
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.test_bad_input import assert_problem

from rapport.testing import World
from rapport.tickets.models import Attachment, Message, Ticket

CHUNK = 64 * 1024


class _FillsUp(File):  # type: ignore[type-arg]
    """Content whose second chunk finds the disk full."""

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        first = True
        for chunk in super().chunks(CHUNK):
            if not first:
                raise OSError(errno.ENOSPC, "No space left on device")
            first = False
            yield chunk


class FullDisk(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        return str(super()._save(name, _FillsUp(content.file, content.name)))


class ReadOnlyDisk(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        raise OSError(errno.EROFS, "Read-only file system")


def use_storage(settings: Any, backend: type[FileSystemStorage], location: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.{backend.__name__}",
                    "OPTIONS": {"location": str(location)}},
    }  # fmt: skip


def files_under(location: Path) -> list[Path]:
    return [p for p in location.rglob("*") if p.is_file()]


def test_an_upload_to_a_full_disk_is_507_and_leaves_no_partial_file(
    world: World, settings: Any, tmp_path: Path
) -> None:
    use_storage(settings, FullDisk, tmp_path)
    upload = SimpleUploadedFile("scan.pdf", b"%PDF" + b"x" * (3 * CHUNK))
    response = world.client("agent").post("/api/v1/uploads", {"file": upload})
    assert_problem(response, 507, field="file", detail="storage is full")
    assert files_under(tmp_path) == []
    assert not Attachment.objects.exists()


def test_an_upload_to_a_read_only_disk_is_503(world: World, settings: Any, tmp_path: Path) -> None:
    use_storage(settings, ReadOnlyDisk, tmp_path)
    upload = SimpleUploadedFile("notes.txt", b"hello")
    response = world.client("agent").post("/api/v1/uploads", {"file": upload})
    assert_problem(response, 503, field="file", detail="cannot take files")
    assert files_under(tmp_path) == []
    assert not Attachment.objects.exists()


def test_the_same_upload_succeeds_once_there_is_room(
    world: World, settings: Any, tmp_path: Path
) -> None:
    use_storage(settings, FullDisk, tmp_path)
    content = b"%PDF" + b"x" * (3 * CHUNK)
    agent = world.client("agent")
    agent.post("/api/v1/uploads", {"file": SimpleUploadedFile("scan.pdf", content)})
    use_storage(settings, FileSystemStorage, tmp_path)
    response = agent.post("/api/v1/uploads", {"file": SimpleUploadedFile("scan.pdf", content)})
    assert response.status_code == 201, response.json()
    (stored,) = files_under(tmp_path)
    assert stored.name == "scan.pdf" and stored.read_bytes() == content


@pytest.mark.parametrize("backend", [FullDisk, ReadOnlyDisk])
def test_tickets_and_replies_without_files_keep_working(
    world: World, settings: Any, tmp_path: Path, backend: type[FileSystemStorage]
) -> None:
    use_storage(settings, backend, tmp_path)
    agent = world.client("agent")
    response = agent.post_json("/api/v1/tickets", {
        "subject": "Printer jammed", "body": "Paper stuck in tray 2.",
        "provider": world.support.party.pk, "requester": world.contact.pk,
    })  # fmt: skip
    assert response.status_code == 201, response.json()
    number = response.json()["number"]
    response = agent.post_json(f"/api/v1/tickets/{number}/messages", {"body": "On my way."})
    assert response.status_code == 201, response.json()
    assert Message.objects.filter(ticket_id=number).count() == 2
    assert Ticket.objects.filter(pk=number).exists()
