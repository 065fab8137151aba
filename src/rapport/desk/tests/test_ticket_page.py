"""The ticket page: header, thread, history; reply and note; inline changes via htmx."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from rapport.desk.tests.helpers import signed_in
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Message, Ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_page_shows_header_thread_notes_and_history(world: World) -> None:
    ticket = world.ticket("contact", subject="Checkout fails")
    actions.tag(world.agent, ticket, ["billing"])
    actions.reply(world.agent, ticket, body="We are on it")
    actions.add_note(world.agent, ticket, body="Gateway again")
    page = signed_in(world, "agent").get(f"/desk/t/{ticket.pk}/").content.decode()
    for text in ("Checkout fails", "Globex", "Customer Support", "Globex support", "billing",
                 "We are on it", "tagged it billing", "added an internal note"):  # fmt: skip
        assert text in page, text
    # The note is marked as internal, the reply as a reply.
    note = page.split("Gateway again")[0].rsplit("<article", 1)[1]
    assert 'class="msg internal"' in note and "Internal note" in note
    reply = page.split("We are on it")[0].rsplit("<article", 1)[1]
    assert "from-provider" in reply


def test_reply_with_attachment_and_status(world: World) -> None:
    ticket = world.ticket("contact")
    browser = signed_in(world, "agent")
    upload = SimpleUploadedFile("log.txt", b"error 42", content_type="text/plain")
    response = browser.post(
        f"/desk/t/{ticket.pk}/reply",
        {"body": "Fixed, please check", "status": "pending", "attachments": [upload]},
    )
    assert response.status_code == 302
    page = browser.get(response["Location"]).content.decode()
    assert "Reply sent." in page and "Fixed, please check" in page and "log.txt" in page
    ticket.refresh_from_db()
    assert ticket.status_category == "pending_client"
    message = Message.objects.get(ticket=ticket, body_text="Fixed, please check")
    assert not message.is_internal and message.attachments.get().filename == "log.txt"


def test_each_message_lists_its_own_attachments_in_order(world: World) -> None:
    ticket = world.ticket("contact")
    browser = signed_in(world, "agent")
    files = [SimpleUploadedFile(name, b"x" * size, content_type="text/plain")
             for name, size in (("b<&>.txt", 2048), ("a.log", 10))]  # fmt: skip
    browser.post(f"/desk/t/{ticket.pk}/reply", {"body": "Two files", "attachments": files})
    browser.post(f"/desk/t/{ticket.pk}/note", {"body": "No files"})
    page = browser.get(f"/desk/t/{ticket.pk}/").content.decode()
    message = Message.objects.get(ticket=ticket, body_text="Two files")
    first, second = message.attachments.order_by("id")
    with_files = page.split("Two files")[1].split("</article>")[0]
    assert with_files.index(f"/api/v1/attachments/{first.pk}") < with_files.index(
        f"/api/v1/attachments/{second.pk}"
    )
    assert "b&lt;&amp;&gt;.txt" in with_files and "(2.0 KB)" in with_files
    assert "a.log" in with_files and "(10 B)" in with_files
    without = page.split("No files")[1].split("</article>")[0]
    assert "attachments" not in without


def test_note_is_internal(world: World) -> None:
    ticket = world.ticket("contact")
    response = signed_in(world, "agent").post(f"/desk/t/{ticket.pk}/note", {"body": "Call them"})
    assert response.status_code == 302
    assert Message.objects.get(ticket=ticket, body_text="Call them").is_internal


def test_empty_or_huge_messages_are_field_errors(world: World) -> None:
    ticket = world.ticket("contact")
    browser = signed_in(world, "agent")
    for path in ("reply", "note"):
        for body in ("", "   ", "x" * 200_001, "nul\x00byte"):
            response = browser.post(f"/desk/t/{ticket.pk}/{path}", {"body": body})
            assert response.status_code == 422, (path, len(body))
            assert 'class="errorlist"' in response.content.decode()
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_html_payloads_are_escaped(world: World) -> None:
    ticket = world.ticket("contact", subject="<script>alert('s')</script>")
    browser = signed_in(world, "agent")
    browser.post(f"/desk/t/{ticket.pk}/reply", {"body": '<img src=x onerror="alert(1)">'})
    browser.post(f"/desk/t/{ticket.pk}/note", {"body": "<script>alert(2)</script>"})
    page = browser.get(f"/desk/t/{ticket.pk}/").content.decode()
    assert "<script>alert(" not in page
    assert "<img src=x" not in page and 'onerror="alert' not in page
    assert "&lt;img src=x onerror=" in page  # shown as the text it was
    queue = browser.get("/desk/q/team/").content.decode()
    assert "<script>alert('s')" not in queue and "&lt;script&gt;" in queue


def test_inline_changes_answer_with_the_header(world: World) -> None:
    ticket = world.ticket("contact")
    browser = signed_in(world, "agent")
    response = browser.post(f"/desk/t/{ticket.pk}/status", {"status": "on-hold"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "ticket-changed"
    assert 'id="fields"' in response.content.decode()
    assert "Status changed." in response.content.decode()
    browser.post(f"/desk/t/{ticket.pk}/priority", {"priority": "3"}, **HTMX)
    browser.post(f"/desk/t/{ticket.pk}/assign", {"assignee": world.lead.pk}, **HTMX)
    browser.post(f"/desk/t/{ticket.pk}/tags", {"tag": "Billing"}, **HTMX)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.status.slug, ticket.priority, ticket.assignee) == ("on-hold", 3, world.lead)
    assert [t.name for t in ticket.tags.all()] == ["billing"]
    browser.post(f"/desk/t/{ticket.pk}/tags/remove", {"tag": "billing"}, **HTMX)
    browser.post(f"/desk/t/{ticket.pk}/take", **HTMX)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.assignee == world.agent and not ticket.tags.exists()
    history = browser.get(f"/desk/t/{ticket.pk}/history").content.decode()
    assert "changed priority normal → high" in history and "removed tag billing" in history


def test_inline_bad_input_is_a_field_error(world: World) -> None:
    ticket = world.ticket("contact")
    browser = signed_in(world, "agent")
    cases = [
        ("status", {"status": "nope"}), ("priority", {"priority": "9"}),
        ("assignee" and "assign", {"assignee": world.other_agent.pk}),
        ("tags", {"tag": "not a tag!"}), ("tags", {"tag": ""}),
    ]  # fmt: skip
    for path, data in cases:
        response = browser.post(f"/desk/t/{ticket.pk}/{path}", data, **HTMX)
        assert response.status_code == 422, path
        assert 'class="error small"' in response.content.decode(), path
    # Without htmx the same refusal comes back as a message on the page.
    response = browser.post(f"/desk/t/{ticket.pk}/status", {"status": "nope"}, follow=True)
    assert "Select a valid choice" in response.content.decode()


def test_thread_poll_is_empty_until_something_arrives(world: World) -> None:
    ticket = world.ticket("contact")
    browser = signed_in(world, "agent")
    first = browser.get(f"/desk/t/{ticket.pk}/thread").content.decode()
    stamp = first.split("since=")[1].split('"')[0]
    assert browser.get(f"/desk/t/{ticket.pk}/thread?since={stamp}").status_code == 204
    actions.reply(world.contact, ticket, body="Any news?")
    fresh = browser.get(f"/desk/t/{ticket.pk}/thread?since={stamp}")
    assert fresh.status_code == 200 and "Any news?" in fresh.content.decode()


def test_merge_moves_the_thread(world: World) -> None:
    source = world.ticket("contact", subject="Duplicate", body="Same problem again")
    target = world.ticket("contact", subject="Original")
    browser = signed_in(world, "agent")
    response = browser.post(f"/desk/t/{source.pk}/merge", {"into": target.pk})
    assert response.status_code == 302 and response["Location"] == f"/desk/t/{target.pk}/"
    assert "Same problem again" in browser.get(response["Location"]).content.decode()
    for into in ("", "abc", source.pk, 10**12, 10**30):
        refused = browser.post(f"/desk/t/{target.pk}/merge", {"into": into})
        assert refused.status_code == 422, into
        assert 'class="error small"' in refused.content.decode()


def test_parent_and_children_are_linked(world: World) -> None:
    parent = world.ticket("contact", subject="Office move")
    child = actions.create_ticket(
        world.agent, subject="Move the printers", body="Floor 3", provider=world.vendor.party,
        requester=world.agent, parent=parent,
    )  # fmt: skip
    browser = signed_in(world, "agent")
    assert f'href="/desk/t/{child.pk}/">#{child.pk} Move the printers' in (
        browser.get(f"/desk/t/{parent.pk}/").content.decode()
    )
    assert f'href="/desk/t/{parent.pk}/">#{parent.pk} Office move' in (
        browser.get(f"/desk/t/{child.pk}/").content.decode()
    )


def test_tags_in_order_and_a_new_status_shows_at_once(world: World) -> None:
    from rapport.tickets.models import Status

    ticket = world.ticket("contact")
    actions.tag(world.agent, ticket, ["vpn", "billing", "urgent-ish"])
    browser = signed_in(world, "agent")
    page = browser.get(f"/desk/t/{ticket.pk}/").content.decode()
    shown = [name for name in ("billing", "urgent-ish", "vpn") if f'value="{name}"' in page]
    assert shown == ["billing", "urgent-ish", "vpn"]
    assert (
        page.index('value="billing"') < page.index('value="urgent-ish"') < page.index('value="vpn"')
    )
    assert "Waiting on finance" not in page
    # An admin adds a status: the next page offers it (statuses are cached per process
    # and read again when reference data changes).
    Status.objects.create(
        slug="finance", name="Waiting on finance", category="on_hold", position=99
    )
    page = browser.get(f"/desk/t/{ticket.pk}/").content.decode()
    assert '<option value="finance">Waiting on finance</option>' in page
