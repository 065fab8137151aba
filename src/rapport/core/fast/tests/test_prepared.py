"""A prepared query answers exactly what its queryset answers, compiles once per key,
and refuses a builder whose SQL it cannot follow."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import Count, QuerySet
from django.test.utils import CaptureQueriesContext

from rapport.core.fast import prepared
from rapport.core.fast.prepared import NotPreparable, Prepared
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def _tickets(_: None, *, requester: int, above: int) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(requester_id=requester, pk__gt=above)
        .select_related("requester", "status", "agreement")
        .annotate(message_rows=Count("messages"))
        .order_by("id")
    )


def _compile_count(query: Prepared[Any]) -> list[int]:
    """How often `query` compiled, counted by wrapping its compile step."""
    calls = [0]
    original = query._compile

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    query._compile = counting  # type: ignore[method-assign]
    return calls


def test_models_come_back_as_the_queryset_gives_them_with_related_rows(world: World) -> None:
    first, second = world.ticket("contact"), world.ticket("contact")
    actions.reply(world.agent, second, body="On it.")
    world.ticket("employee")  # someone else's: not in the answer
    query = Prepared(_tickets)
    for above in (0, first.pk):
        expected = list(_tickets(None, requester=world.contact.pk, above=above))
        got = query(None, requester=world.contact.pk, above=above)
        assert [t.pk for t in got] == [t.pk for t in expected] != []
        for mine, theirs in zip(got, expected, strict=True):
            assert mine.subject == theirs.subject
            assert mine.created_at == theirs.created_at  # converted, not a string
            assert mine.requester.display_name == theirs.requester.display_name
            assert mine.status.slug == theirs.status.slug
            assert mine.agreement_id == theirs.agreement_id
            assert mine.message_rows == theirs.message_rows
            assert not mine._state.adding


def test_one_statement_per_call_the_same_the_orm_sends(world: World) -> None:
    ticket = world.ticket("contact")
    query = Prepared(_tickets)
    query(None, requester=world.contact.pk, above=0)
    with CaptureQueriesContext(connection) as ours:
        query(None, requester=world.contact.pk, above=ticket.pk - 1)
    with CaptureQueriesContext(connection) as orms:
        list(_tickets(None, requester=world.contact.pk, above=ticket.pk - 1))
    assert len(ours) == 1
    assert ours[0]["sql"] == orms[0]["sql"]


def test_each_key_and_list_length_compiles_once(world: World) -> None:
    world.ticket("contact")
    query = Prepared(lambda internal, *, ids: _messages(internal, ids))
    calls = _compile_count(query)
    for ids in ((1,), (2,), (1, 2), (3, 4), (1,)):
        query(True, ids=ids)
        query(False, ids=ids)
    assert calls[0] == 4  # (True, 1 id), (False, 1 id), (True, 2 ids), (False, 2 ids)


def _messages(internal: bool, ids: tuple[int, ...]) -> QuerySet[Message]:
    qs = Message.objects.filter(ticket_id__in=ids).order_by("id")
    return qs if internal else qs.filter(is_internal=False)


def test_the_key_shapes_the_answer_and_lists_bind_every_item(world: World) -> None:
    first, second = world.ticket("contact"), world.ticket("contact")
    actions.add_note(world.agent, first, body="Internal only.")
    actions.reply(world.agent, second, body="Public.")
    query = Prepared(lambda internal, *, ids: _messages(internal, ids).values("id", "is_internal"))
    everything = query(True, ids=(first.pk, second.pk))
    public = query(False, ids=(first.pk, second.pk))
    assert everything == list(_messages(True, (first.pk, second.pk)).values("id", "is_internal"))
    assert {m["is_internal"] for m in everything} == {True, False}
    assert public and all(not m["is_internal"] for m in public)
    assert query(True, ids=(second.pk,)) == list(
        _messages(True, (second.pk,)).values("id", "is_internal")
    )


def test_tuples_and_flat_values(world: World) -> None:
    ticket = world.ticket("contact")
    pairs = Prepared(lambda _, *, pk: Ticket.objects.filter(pk=pk).values_list("id", "subject"))
    flat = Prepared(lambda _, *, pk: Ticket.objects.filter(pk=pk).values_list("id", flat=True))
    assert pairs(None, pk=ticket.pk) == [(ticket.pk, ticket.subject)]
    assert flat(None, pk=ticket.pk) == [ticket.pk]
    assert flat(None, pk=ticket.pk + 1000) == []


def test_a_string_parameter(world: World) -> None:
    ticket = world.ticket("contact", subject="Printer on fire")
    query = Prepared(
        lambda _, *, subject: Ticket.objects.filter(subject=subject).values_list("id", flat=True)
    )
    assert query(None, subject="Printer on fire") == [ticket.pk]
    assert query(None, subject="Printer") == []


@pytest.mark.parametrize(
    "build",
    [
        # The value goes into a LIKE pattern: the markers cannot be found.
        lambda _, *, text: Ticket.objects.filter(subject__contains=text),
        # The value becomes a LIMIT, written into the SQL itself.
        lambda _, *, size: Ticket.objects.all()[:size],
        # The value picks the statement.
        lambda _, *, pk: Ticket.objects.filter(pk=pk) if pk % 2 else Ticket.objects.none(),
        # The value is not used at all.
        lambda _, *, pk: Ticket.objects.all(),
    ],
)
def test_a_builder_the_markers_cannot_follow_is_refused(world: World, build: Any) -> None:
    name = build.__code__.co_varnames[1]
    value: Any = "jam" if name == "text" else 5
    with pytest.raises(NotPreparable):
        Prepared(build)(None, **{name: value})


def test_values_that_cannot_be_bound_are_refused() -> None:
    query = Prepared(lambda _, *, pk: Ticket.objects.filter(pk=pk))
    with pytest.raises(ValueError):
        query(None, pk=2**63)
    with pytest.raises(TypeError):
        query(None, pk=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        query(None, pk=True)


def test_old_variants_are_dropped_past_the_limit(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(prepared, "MAX_VARIANTS", 2)
    query = Prepared(lambda key, *, pk: Ticket.objects.filter(pk=pk, priority__gte=key))
    calls = _compile_count(query)
    for key in (1, 2, 3, 1):
        query(key, pk=1)
    assert calls[0] == 4  # 1 was dropped when 3 came, and compiled again


def test_each_thread_compiles_on_its_own_connection(world: World) -> None:
    """A compiler belongs to the connection (and thread) it was made for."""
    ticket = world.ticket("contact")
    query = Prepared(lambda _, *, pk: Ticket.objects.filter(pk=pk).values_list("id", flat=True))
    calls = _compile_count(query)
    assert query(None, pk=ticket.pk) == [ticket.pk]
    seen: list[object] = []

    def other() -> None:
        try:
            query(None, pk=ticket.pk)  # another connection: sees no uncommitted rows
            seen.append(calls[0])
        finally:
            connections.close_all()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen == [2]
    query(None, pk=ticket.pk)
    assert calls[0] == 2
