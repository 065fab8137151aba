"""Admins read every outbound mail on the outbox page, with the reason a mail failed;
nobody else learns the page exists."""

from __future__ import annotations

from django.db import transaction
from django.test import Client

from rapport.mail import outbound
from rapport.mail.models import OutboundMessage, OutboundState
from rapport.testing import World


def _queue(to: str, subject: str, text: str) -> OutboundMessage:
    with transaction.atomic():
        return outbound.queue_mail(to=to, subject=subject, text=text, kind="survey")


def _browser(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def test_an_admin_reads_a_mail_and_its_link(world: World) -> None:
    mail = _queue("contact@example.com", "How did we do?", "Rate us: http://127.0.0.1:8000/s/abc\n")
    page = _browser(world, "admin").get("/settings/outbox/")
    assert page.status_code == 200
    assert "How did we do?" in page.text and "contact@example.com" in page.text
    one = _browser(world, "admin").get(f"/settings/outbox/{mail.pk}")
    assert one.status_code == 200
    assert '<a href="http://127.0.0.1:8000/s/abc"' in one.text


def test_a_failed_mail_shows_its_reason(world: World) -> None:
    mail = _queue("contact@example.com", "Update on your request", "Hello")
    OutboundMessage.objects.filter(pk=mail.pk).update(
        state=OutboundState.FAILED, reason="ConnectionRefusedError: [Errno 111] Connection refused"
    )
    page = _browser(world, "admin").get("/settings/outbox/?state=failed")
    assert "Update on your request" in page.text
    assert "Connection refused" in page.text


def test_agents_and_clients_get_not_found(world: World) -> None:
    mail = _queue("contact@example.com", "Private", "Hello")
    for role in ("agent", "manager", "contact"):
        browser = _browser(world, role)
        assert browser.get("/settings/outbox/").status_code == 404
        assert browser.get(f"/settings/outbox/{mail.pk}").status_code == 404
