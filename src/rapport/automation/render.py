"""Macro text: placeholders rendered by Jinja's sandbox, from plain values only.

The template sees dictionaries of strings and numbers (never models), so a macro
author cannot reach the ORM or a method; the sandbox refuses unsafe attributes
anyway. Undefined placeholders render empty.
"""

from __future__ import annotations

from typing import Any

from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from rapport.core.errors import Invalid
from rapport.directory.models import Person
from rapport.tickets.models import Ticket

MAX_BODY = 20_000
_env = SandboxedEnvironment(autoescape=False)


def context(ticket: Ticket, agent: Person | None) -> dict[str, Any]:
    requester = ticket.requester
    full = requester.display_name or ""
    agent_name = agent.display_name if agent else ""
    return {
        "requester": {"name": full, "first_name": full.split(" ")[0] if full else "",
                      "email": requester.email},
        "ticket": {"number": ticket.pk, "subject": ticket.subject,
                   "priority": ticket.priority_name, "status": ticket.status.name,
                   "due": ticket.sla_due_at.isoformat() if ticket.sla_due_at else "",
                   "resolution_due": ticket.resolution_due_at.isoformat()
                   if ticket.resolution_due_at else ""},
        "agent": {"name": agent_name, "first_name": agent_name.split(" ")[0] if agent_name else ""},
    }  # fmt: skip


def check(body: str) -> str:
    """The body if it parses; Invalid (field `body`) otherwise."""
    if len(body) > MAX_BODY:
        raise Invalid(f"A macro's text is at most {MAX_BODY} characters.", field="body")
    try:
        _env.parse(body)
    except TemplateError as exc:
        raise Invalid(f"The placeholders do not parse: {exc}", field="body") from None
    return body


def render(body: str, ticket: Ticket, agent: Person | None) -> str:
    try:
        return _env.from_string(body).render(context(ticket, agent))[:MAX_BODY]
    except TemplateError as exc:
        raise Invalid(f"The macro could not be rendered: {exc}", field="body") from None
