"""`{% route %}` writes the URL `{% url %}` would, for every route it is used with."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

ROUTES = [
    ("desk:home", []),
    ("desk:ticket", [1]),
    ("desk:ticket", [2718281828459]),  # the marker's own digits
    ("desk:status", [9_223_372_036_854_775_807]),
    ("desk:delete-view", [12]),
    ("chain:handoff", [345]),
    ("chain:wait", [7]),
    ("portal:home", []),
]


@pytest.mark.parametrize(("name", "args"), ROUTES)
def test_the_same_url_as_reverse(name: str, args: list[int]) -> None:
    # Template arguments are fixed in number: pass the ones this route takes.
    text = "{% load rapport_ui %}{% route name " + " ".join(f"a{i}" for i in range(len(args)))
    template = Template(text + " %}|" + text + " as u %}{{ u }}")
    context = Context({"name": name, **{f"a{i}": a for i, a in enumerate(args)}})
    expected = reverse(name, args=args)
    assert template.render(context) == f"{expected}|{expected}"


def test_a_deployment_under_a_prefix_gets_prefixed_urls() -> None:
    template = Template("{% load rapport_ui %}{% route 'desk:ticket' n %}")
    try:
        set_script_prefix("/help/")
        assert template.render(Context({"n": 42})) == "/help/desk/t/42/"
    finally:
        set_script_prefix("/")
    assert template.render(Context({"n": 42})) == "/desk/t/42/"
