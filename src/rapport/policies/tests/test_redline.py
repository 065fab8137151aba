"""A word-level redline between two versions marks insertions and deletions."""

from __future__ import annotations

from rapport.policies.render import redline


def test_redline_of_a_known_pair() -> None:
    old = "Refund up to 50 EUR without approval."
    new = "Refund up to 80 EUR without any approval."
    assert redline(old, new) == (
        "Refund up to <del>50</del><ins>80</ins> EUR without <ins>any </ins>approval."
    )


def test_redline_escapes_html() -> None:
    assert redline("a <b>", "a <i>") == "a &lt;<del>b</del><ins>i</ins>&gt;"
