"""Not found, not allowed and server errors answer with pages in the product's shell."""

from __future__ import annotations

from django.test import Client, RequestFactory
from django.views.defaults import server_error

from rapport.testing import World


def test_not_found_is_a_branded_page_with_the_top_bar(world: World) -> None:
    browser = Client()
    browser.force_login(world.agent)
    page = browser.get("/desk/no-such-page/")
    assert page.status_code == 404
    assert "There is nothing here" in page.text
    assert 'class="top"' in page.text and "Sign out" in page.text
    assert "Go to your start page" in page.text


def test_not_allowed_is_a_branded_page(world: World) -> None:
    browser = Client()
    browser.force_login(world.contact)
    page = browser.get("/settings/sla/")  # staff only
    assert page.status_code == 403
    assert "You can&#x27;t do that here" in page.text or "You can't do that here" in page.text
    assert 'class="top"' in page.text


def test_a_server_error_is_a_branded_page() -> None:
    page = server_error(RequestFactory().get("/"))
    assert page.status_code == 500
    text = page.content.decode()
    assert "Something went wrong on our side" in text and 'class="brand"' in text


def test_a_signed_out_visitor_is_offered_to_sign_in(db: None) -> None:
    page = Client().get("/no-such-page/")
    assert page.status_code == 404
    assert 'href="/accounts/login/"' in page.text
