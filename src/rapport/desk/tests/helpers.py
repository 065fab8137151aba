"""Signed-in browsers (Django's test client) for the desk's tests."""

from __future__ import annotations

from django.test import Client

from rapport.testing import World


def signed_in(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def numbers_on(html: str) -> list[int]:
    """Ticket numbers of a queue page's rows, in order."""
    import re

    return [int(n) for n in re.findall(r'name="tickets" value="(\d+)"', html)]
