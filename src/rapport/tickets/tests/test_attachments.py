from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from rapport.testing import World


def _upload(client, name: str = "report.pdf", data: bytes = b"%PDF-1.4 test") -> str:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/v1/uploads", {"file": SimpleUploadedFile(name, data, "application/pdf")}
    )
    assert response.status_code == 201, response.content
    return str(response.json()["token"])


def test_reply_with_attachment_is_downloadable_by_the_client(world: World) -> None:
    ticket = world.ticket("contact")
    agent = world.client("agent")
    token = _upload(agent, "../../etc/passwd report.pdf")
    reply = agent.post_json(
        f"/api/v1/tickets/{ticket.pk}/messages", {"body": "See attached", "attachments": [token]}
    )
    assert reply.status_code == 201
    (attachment,) = reply.json()["attachments"]
    assert attachment["filename"] == "passwd report.pdf"

    download = world.client("contact").get(attachment["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert download["Content-Disposition"].startswith("attachment")
    assert world.client("other_contact").get(attachment["url"]).status_code == 404


def test_attachment_on_a_note_stays_internal(world: World) -> None:
    ticket = world.ticket("contact")
    agent = world.client("agent")
    token = _upload(agent)
    note = agent.post_json(
        f"/api/v1/tickets/{ticket.pk}/messages",
        {"body": "Internal log", "internal": True, "attachments": [token]},
    )
    url = note.json()["attachments"][0]["url"]
    assert agent.get(url).status_code == 200
    assert world.client("contact").get(url).status_code == 404
    assert world.client("org_admin").get(url).status_code == 404


def test_upload_token_is_single_use_and_personal(world: World) -> None:
    ticket = world.ticket("contact")
    agent = world.client("agent")
    token = _upload(agent)
    stolen = world.client("contact").post_json(
        f"/api/v1/tickets/{ticket.pk}/messages", {"body": "mine now", "attachments": [token]}
    )
    assert stolen.status_code == 422
    assert stolen.json()["errors"][0]["field"] == "attachments"
    path = f"/api/v1/tickets/{ticket.pk}/messages"
    assert agent.post_json(path, {"body": "ok", "attachments": [token]}).status_code == 201
    assert agent.post_json(path, {"body": "again", "attachments": [token]}).status_code == 422
    assert ticket.messages.count() == 2  # the refused replies stored nothing


def test_oversized_upload_is_refused_with_the_limit(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RAPPORT_MAX_ATTACHMENT_BYTES = 1024 * 1024
    refused = world.client("agent").post(
        "/api/v1/uploads", {"file": SimpleUploadedFile("big.bin", b"x" * (1024 * 1024 + 1))}
    )
    assert refused.status_code == 413
    assert "1 MiB" in refused.json()["detail"]
