"""The demo library: a manager signing in sees the library working."""

from __future__ import annotations

import pytest

from rapport.core import clock
from rapport.demo import builder as demo
from rapport.policies import actions
from rapport.policies.models import Document, Proposal, ReadTask, Status
from rapport.tickets.models import Ticket


@pytest.mark.django_db
def test_the_demo_library() -> None:
    demo.build_demo(progress=False)
    kinds = list(Document.objects.values_list("kind", flat=True))
    assert kinds.count("policy") >= 8
    assert (kinds.count("procedure"), kinds.count("article")) == (12, 25)
    returns = Document.objects.get(title="Returns", kind="policy")
    blocked = returns.versions.get(status=Status.IN_REVIEW)
    assert "answered no" in (actions.gate_problem(blocked) or "")
    assert Document.objects.filter(versions__number=2).exists()  # versions to compare
    open_ = Proposal.objects.filter(status="open")
    assert open_.filter(automatic=True).exists() and open_.filter(automatic=False).count() >= 2
    # Every proposal is a ticket measured under an agreement.
    assert not Ticket.objects.filter(proposal__isnull=False, agreement__isnull=True).exists()
    overdue = ReadTask.objects.filter(acknowledged_at__isnull=True, due_at__lt=clock.now())
    assert overdue.filter(person__username="jonas.weber").exists()
    assert Document.objects.filter(exceptions__isnull=False).exists()
    assert Document.objects.filter(citations__isnull=False).exists()
