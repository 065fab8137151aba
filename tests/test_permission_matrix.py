"""Who may do what through the REST API: every role × every operation.

The rules: agents see their teams' queues (admins and managers see everything); a
client contact sees what they raised and, as org admin, their organisation's; an
employee sees their own requests; a vendor or contractor user sees the tickets their
organisation provides (and what they raised); internal notes never reach clients or
vendor users; directory, agreement and calendar writes are admin-only; an id you may
not see answers 404, never 403.

Status precedence, one rule for every route: a path object you cannot see → 404;
seen but not yours to change → 403; then the body is checked (422, or 404 for an id
in the body you cannot see).

The `MATRIX` of this file and of every `test_permission_matrix_<area>.py` beside it
must together name every operation of the OpenAPI document, so a new endpoint cannot
ship without a row. An area's file imports the machinery from here and runs its own
rows with `run_operation` (the docstring of `matrices` shows one). Each operation is
one test (one world build); inside it every role runs in a savepoint that is rolled
back, so each role meets the same world.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse

from rapport.accounts import actions as accounts
from rapport.accounts.models import ApiToken
from rapport.agreements import actions as agreement_actions
from rapport.agreements.models import Calendar
from rapport.api.api import api
from rapport.core.choices import StatusCategory
from rapport.notifications.actions import notify
from rapport.notifications.models import Notification
from rapport.testing import ROLES, ApiClient, World, build_world
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Attachment, Event, Ticket
from rapport.tickets.reactor import reacts_to
from rapport.tickets.testing import drain_reactions

PROBLEM = "application/problem+json"
EVERYONE = (*ROLES, "anonymous")
STAFF = ("admin", "manager", "agent", "lead", "other_agent")
NON_STAFF = tuple(r for r in ROLES if r not in STAFF)
GLOBEX = ("contact", "org_admin", "colleague")
SUPPORT_STAFF = ("admin", "manager", "agent", "lead")  # may act as provider on Support's tickets
NOTE_SECRET = "zanzibar"  # a word only internal notes contain

# The tickets of the matrix world, and who may see each (see `build_matrix_world`).
TICKET_READERS: dict[str, set[str]] = {
    "contact": {"admin", "manager", "agent", "lead", "contact", "org_admin"},
    "colleague": {"admin", "manager", "agent", "lead", "org_admin", "colleague"},
    "other": {"admin", "manager", "agent", "lead", "other_contact"},
    "employee": {"admin", "manager", "other_agent", "employee"},
    # The agent raised it for Support: the whole team follows its hand-offs.
    "vendor": {"admin", "manager", "agent", "lead", "vendor_user"},
    "contractor": {"admin", "manager", "contact", "org_admin", "contractor_user"},
}
# Who reads the internal notes of each ticket: our staff on the providing side, and on
# work handed to a vendor or contractor the team that asked; never a client or vendor user.
NOTE_READERS: dict[str, set[str]] = {
    "contact": {"admin", "manager", "agent", "lead"},
    "colleague": {"admin", "manager", "agent", "lead"},
    "other": {"admin", "manager", "agent", "lead"},
    "employee": {"admin", "manager", "other_agent"},
    "vendor": {"admin", "manager", "agent", "lead"},
    "contractor": {"admin", "manager"},
}


@dataclass
class Ctx:
    world: World
    tickets: dict[str, Ticket]
    public_attachment: int
    internal_attachment: int
    spare_token: int  # a second token of `contact`, to revoke
    private_calendar: Calendar
    clients: dict[str, ApiClient] = field(default_factory=dict)

    def n(self, name: str) -> int:
        return self.tickets[name].pk

    def pid(self, role: str) -> int:
        return self.world.people[role].pk


def _upload(person: Any, name: str, content: bytes) -> str:
    attachment = ticket_actions.upload(
        person, stream=io.BytesIO(content), filename=name, size=len(content)
    )
    return attachment.token.hex


def build_matrix_world() -> Ctx:
    w = build_world()
    p = w.people
    tickets = {
        "contact": w.ticket("contact"),
        "colleague": w.ticket("colleague"),
        "other": w.ticket("other_contact"),
        "employee": w.ticket("employee", provider=w.it.party),
        "vendor": w.ticket("agent", provider=w.vendor.party, client=w.support.party),
        "contractor": w.ticket("contact", provider=w.contractor.party),
    }
    public = ticket_actions.reply(
        p["agent"], tickets["contact"], body="Manual attached.",
        attachments=[_upload(p["agent"], "manual.txt", b"public manual")],
    )  # fmt: skip
    note = ticket_actions.add_note(
        p["agent"], tickets["contact"], body=f"Customer is difficult ({NOTE_SECRET}).",
        attachments=[_upload(p["agent"], "notes.txt", b"internal only")],
    )  # fmt: skip
    for name in ("colleague", "other", "vendor", "contractor"):
        ticket_actions.add_note(None, tickets[name], body=f"Watch this ({NOTE_SECRET}).")
    ticket_actions.add_note(p["other_agent"], tickets["employee"], body=f"Hm ({NOTE_SECRET}).")
    ticket_actions.reply(p["vendor_user"], tickets["vendor"], body="Technician booked.")
    ticket_actions.tag(p["agent"], tickets["contact"], ["vip"])
    ticket_actions.tag(p["agent"], tickets["other"], ["initech-legal"])
    spare, _ = accounts.create_token(None, p["contact"], name="spare")
    private = agreement_actions.create_calendar(None, name="Night shift", always_open=True)
    ctx = Ctx(
        world=w,
        tickets=tickets,
        public_attachment=public.attachments.get().pk,
        internal_attachment=note.attachments.get().pk,
        spare_token=spare.pk,
        private_calendar=private,
    )
    ctx.clients = {role: w.client(role) for role in EVERYONE}
    return ctx


# --- the table ---------------------------------------------------------------

Call = Callable[[ApiClient, Ctx], HttpResponse]
Check = Callable[[str, Any, Ctx], None]


@dataclass
class Case:
    call: Call
    expect: dict[str, int]
    check: Check | None = None
    prepare: Callable[[Ctx], None] | None = None
    label: str = ""


def outcomes(*groups: tuple[int, Iterable[str]], rest: int = 404) -> dict[str, int]:
    """Expected status per role; anonymous is always 401."""
    expected = dict.fromkeys(ROLES, rest)
    for status, roles in groups:
        for role in roles:
            assert role in expected, role
            expected[role] = status
    expected["anonymous"] = 401
    return expected


def everyone(status: int) -> dict[str, int]:
    return outcomes((status, ROLES))


def admin_only(status: int, *, hidden: Iterable[str] = ()) -> dict[str, int]:
    """Admins may; everyone else who can see the object is forbidden."""
    forbidden = [r for r in ROLES if r != "admin" and r not in set(hidden)]
    return outcomes((status, ["admin"]), (403, forbidden))


def readers(name: str, status: int = 200) -> dict[str, int]:
    return outcomes((status, TICKET_READERS[name]))


def provider_staff_only(name: str, status: int = 200) -> dict[str, int]:
    """The provider's staff may; others who see the ticket are forbidden; the rest 404."""
    allowed = NOTE_READERS[name]
    return outcomes((status, allowed), (403, TICKET_READERS[name] - allowed))


# Checks of what comes back: the right objects, and nothing they may not see.


def names(items: Iterable[dict[str, Any]], key: str = "name") -> set[str]:
    return {item[key] for item in items}


def check_me(role: str, body: Any, ctx: Ctx) -> None:
    assert body["username"] == role


def check_parties(role: str, body: Any, ctx: Ctx) -> None:
    seen = names(body["items"])
    customers = {"Globex": GLOBEX, "Initech": ("other_contact",)}
    for customer, members in customers.items():
        if role in STAFF or role in members:
            assert customer in seen, f"{customer} missing"
        else:
            assert customer not in seen, f"{customer} leaked"
    if role in ("vendor_user", "contractor_user"):
        assert seen == {"PrintCo" if role == "vendor_user" else "FixIt Contractors"}


ORGS_SEEN = {
    **dict.fromkeys(
        STAFF, frozenset({"Rapport Ltd", "Globex", "Initech", "PrintCo", "FixIt Contractors"})
    ),
    **dict.fromkeys(GLOBEX, frozenset({"Globex"})),
    "other_contact": {"Initech"},
    "employee": {"Rapport Ltd"},
    "vendor_user": {"PrintCo"},
    "contractor_user": {"FixIt Contractors"},
}


def check_organisations(role: str, body: Any, ctx: Ctx) -> None:
    assert names(body["items"]) == ORGS_SEEN[role]


def check_named(name: str) -> Check:
    def check(role: str, body: Any, ctx: Ctx) -> None:
        assert body["name"] == name

    return check


TEAMS_SEEN = {
    **dict.fromkeys((*STAFF, "employee"), frozenset({"Customer Support", "IT Service Desk"})),
    # Outside contacts see the teams that serve them under an agreement.
    **dict.fromkeys((*GLOBEX, "other_contact"), frozenset({"Customer Support"})),
    **dict.fromkeys(("vendor_user", "contractor_user"), frozenset()),
}


def check_teams(role: str, body: Any, ctx: Ctx) -> None:
    assert names(body["items"]) == TEAMS_SEEN[role]


def check_team_members(role: str, body: Any, ctx: Ctx) -> None:
    assert {m["person"] for m in body} == {ctx.pid("agent"), ctx.pid("lead")}


PEOPLE_SEEN = {
    **dict.fromkeys(STAFF, frozenset(ROLES)),
    "org_admin": set(GLOBEX),
    **{role: {role} for role in NON_STAFF if role != "org_admin"},
}


def check_people(role: str, body: Any, ctx: Ctx) -> None:
    assert names(body["items"], "username") == PEOPLE_SEEN[role]


def check_username(username: str) -> Check:
    def check(role: str, body: Any, ctx: Ctx) -> None:
        assert body["username"] == username

    return check


def check_calendars(role: str, body: Any, ctx: Ctx) -> None:
    expected = {"Berlin office", "Night shift"} if role in STAFF else {"Berlin office"}
    assert names(body["items"]) == expected


AGREEMENTS_SEEN = {
    **dict.fromkeys(
        STAFF,
        frozenset(
            {
                "Globex support",
                "Initech support",
                "IT for everyone",
                "PrintCo printer care",
                "FixIt on-site for Globex",
            }
        ),
    ),
    **dict.fromkeys(GLOBEX, frozenset({"Globex support", "FixIt on-site for Globex"})),
    "other_contact": {"Initech support"},
    "employee": {"IT for everyone"},
    "vendor_user": {"PrintCo printer care"},
    "contractor_user": {"FixIt on-site for Globex"},
}


def check_agreements(role: str, body: Any, ctx: Ctx) -> None:
    assert names(body["items"]) == AGREEMENTS_SEEN[role]


def check_statuses(role: str, body: Any, ctx: Ctx) -> None:
    assert {s["category"] for s in body} >= {"open", "solved", "closed"}


def check_tags(role: str, body: Any, ctx: Ctx) -> None:
    # Staff share one vocabulary; others learn no tag of a ticket they cannot see.
    expected = {"vip", "initech-legal"} if role in STAFF else set()
    if role in TICKET_READERS["contact"]:
        expected.add("vip")
    if role in TICKET_READERS["other"]:
        expected.add("initech-legal")
    assert set(body) == expected


def visible_ticket_names(role: str) -> set[str]:
    return {name for name, seen_by in TICKET_READERS.items() if role in seen_by}


def check_ticket_list(role: str, body: Any, ctx: Ctx) -> None:
    numbers = {item["number"] for item in body["items"]}
    expected = {ctx.n(name) for name in visible_ticket_names(role)}
    assert numbers == expected, {n: t.subject for n, t in Ticket.objects.in_bulk(numbers).items()}
    if role in ("vendor_user", "contractor_user"):
        org = ctx.world.vendor if role == "vendor_user" else ctx.world.contractor
        person = ctx.world.people[role]
        provided = Ticket.objects.filter(provider_party=org.party) | Ticket.objects.filter(
            requester=person
        )
        assert numbers == set(provided.values_list("pk", flat=True))


def assert_thread(role: str, name: str, messages: list[dict[str, Any]]) -> None:
    internal = [m for m in messages if m["internal"]]
    if role in NOTE_READERS[name]:
        assert internal, "the provider's staff should see the internal note"
    else:
        assert not internal, f"internal note reached {role}"
        assert all(NOTE_SECRET not in m["body_text"] for m in messages)


def check_ticket_detail(role: str, body: Any, ctx: Ctx) -> None:
    assert body["number"] == ctx.n("contact")
    assert_thread(role, "contact", body["messages"])


def check_messages(role: str, body: Any, ctx: Ctx) -> None:
    assert_thread(role, "contact", body["items"])


def assert_events(role: str, name: str, events: list[dict[str, Any]]) -> None:
    kinds = {e["kind"] for e in events}
    assert "created" in kinds
    if role in NOTE_READERS[name]:
        assert "note" in kinds
    else:
        assert "note" not in kinds, f"a note event reached {role}"


def check_events(role: str, body: Any, ctx: Ctx) -> None:
    assert_events(role, "contact", body["items"])


def check_created_ticket(role: str, body: Any, ctx: Ctx) -> None:
    assert body["requester"]["id"] == ctx.pid(role)
    assert [m["internal"] for m in body["messages"]] == [False]


def check_internal(expected: bool) -> Check:
    def check(role: str, body: Any, ctx: Ctx) -> None:
        assert body["internal"] is expected

    return check


def check_priority(role: str, body: Any, ctx: Ctx) -> None:
    assert body["priority"] == "high"


def check_no_agreement(role: str, body: Any, ctx: Ctx) -> None:
    assert body["agreement"] is None


def check_tags_now(tags: list[str]) -> Check:
    def check(role: str, body: Any, ctx: Ctx) -> None:
        assert body["tags"] == tags

    return check


def check_merged(role: str, body: Any, ctx: Ctx) -> None:
    assert body["number"] == ctx.n("colleague")
    assert Ticket.objects.get(pk=ctx.n("contact")).merged_into_id == ctx.n("colleague")


def check_reopened(role: str, body: Any, ctx: Ctx) -> None:
    assert body["category"] == "open"


def check_download(content: bytes) -> Check:
    def check(role: str, response: Any, ctx: Ctx) -> None:
        assert b"".join(response.streaming_content) == content

    return check


def check_tokens(role: str, body: Any, ctx: Ctx) -> None:
    mine = set(ApiToken.objects.filter(person=ctx.world.people[role]).values_list("pk", flat=True))
    assert {t["id"] for t in body} == mine


def check_revoked(role: str, response: Any, ctx: Ctx) -> None:
    assert ApiToken.objects.get(pk=ctx.spare_token).revoked_at is not None


def check_nothing_found(role: str, body: Any, ctx: Ctx) -> None:
    assert body["items"] == []


def solve(name: str) -> Callable[[Ctx], None]:
    def prepare(ctx: Ctx) -> None:
        solved = ticket_actions.default_status(StatusCategory.SOLVED)
        # A fresh copy: the savepoint of the previous role rolled the row back, not the object.
        ticket_actions.set_status(None, Ticket.objects.get(pk=ctx.n(name)), solved)

    return prepare


def upload_file(c: ApiClient, ctx: Ctx) -> HttpResponse:
    upload = SimpleUploadedFile("log.txt", b"line 1\n", content_type="text/plain")
    return c.post("/api/v1/uploads", {"file": upload})


def agreement_payload(ctx: Ctx) -> dict[str, Any]:
    w = ctx.world
    return {
        "name": "IT for Globex",
        "kind": "sla",
        "provider": w.it.party_id,
        "client": w.customer.party_id,
        "calendar": w.calendar.pk,
        "active_from": "2024-01-01",
    }


def check_clocks(role: str, body: Any, ctx: Ctx) -> None:
    assert {c["kind"] for c in body} == {"first_response", "resolution"}


def check_attainment(role: str, body: Any, ctx: Ctx) -> None:
    counted = body["total"]["pending"] + body["total"]["achieved"] + body["total"]["breached"]
    # Support's tickets: contact, colleague, other, and the vendor's hand-off is PrintCo's.
    expected = {"admin": 12, "manager": 12, "agent": 6, "lead": 6, "other_agent": 2,
                "vendor_user": 2, "contractor_user": 2}[role]  # fmt: skip
    assert counted == expected, counted


def check_preview(role: str, body: Any, ctx: Ctx) -> None:
    assert body["due"]["first_response"] == "2026-03-10T09:30:00Z"
    assert body["due"]["resolution"] == "2026-03-10T13:00:00Z"


def check_calendar_preview(role: str, body: Any, ctx: Ctx) -> None:
    assert body["due_at"] == "2026-03-16T08:30:00Z"  # Monday 09:30 in Berlin
    assert body["open_at_start"] is True


def notify_contact_and_agent(ctx: Ctx) -> None:
    w = ctx.world
    ticket = ctx.tickets["contact"]
    notify([w.contact], "sla_warning", ticket, "For the contact")
    notify([w.agent], "sla_breach", ticket, "For the agent")
    ctx.notification = Notification.objects.get(recipient=w.contact).pk  # type: ignore[attr-defined]


def check_notifications(role: str, body: Any, ctx: Ctx) -> None:
    texts = [n["text"] for n in body["items"]]
    mine = {"contact": ["For the contact"], "agent": ["For the agent"]}.get(role, [])
    assert texts == mine
    assert body["unread"] == len(mine)


def check_marked_all(role: str, body: Any, ctx: Ctx) -> None:
    assert body["marked"] == (1 if role in ("contact", "agent") else 0)


# --- mail: a reply by e-mail on the contact's ticket, and a quarantined stranger ---


def mail_arrived(ctx: Ctx) -> None:
    from rapport.mail.models import Mailbox
    from rapport.mail.testing import SUPPORT, build, deliver, support_mailbox

    mailbox = Mailbox.objects.filter(address=SUPPORT).first() or support_mailbox(ctx.world)
    reply = deliver(
        build(subject=f"Re: [#{ctx.n('contact')}] Printer on fire",
              text="Now it smokes.\n\nOn Monday, Support wrote:\n> Did you restart it?"),
        mailbox,
    )  # fmt: skip
    assert reply.message_id is not None, reply.reason
    ctx.mail_message = reply.message_id  # type: ignore[attr-defined]
    stranger = deliver(build(sender="stranger@nowhere.example"), mailbox)
    assert stranger.state == "quarantined"
    ctx.quarantined = stranger.pk  # type: ignore[attr-defined]
    ctx.mail_inbound = reply.pk  # type: ignore[attr-defined]
    ctx.mailbox = mailbox.pk  # type: ignore[attr-defined]
    held = deliver(build(subject="Cheap watches", headers={"X-Spam-Flag": "YES"}), mailbox)
    assert held.state == "spam"
    ctx.held_spam = held.pk  # type: ignore[attr-defined]


# --- reactions: one that fails on a tag, so an event of the contact's ticket is parked ---

BROKEN_TAG = "matrix-broken"


@reacts_to("tagged")
def fail_on_broken_tag(event: Event, ticket: Ticket) -> None:
    """Fails on one tag only, so no other test meets it."""
    if event.new_value == BROKEN_TAG:
        raise RuntimeError("the reaction's service is down")


def reaction_parked(ctx: Ctx) -> None:
    from rapport.tickets.models import PendingReaction, ReactionState

    ticket_actions.tag(ctx.world.people["agent"], ctx.tickets["contact"], [BROKEN_TAG])
    drain_reactions()
    row = PendingReaction.objects.get(subscriber__endswith=".fail_on_broken_tag")
    row.state = ReactionState.PARKED
    row.save(update_fields=["state"])
    ctx.parked = row.pk  # type: ignore[attr-defined]


def check_parked(role: str, body: Any, ctx: Ctx) -> None:
    assert [(i["id"], i["ticket"]) for i in body["items"]] == [(ctx.parked, ctx.n("contact"))]  # type: ignore[attr-defined]


def check_retried(role: str, body: Any, ctx: Ctx) -> None:
    assert body["handled"] is False  # still failing: it stays parked, with its error
    assert "service is down" in body["reaction"]["error"]


def check_quarantine(role: str, body: Any, ctx: Ctx) -> None:
    assert [i["sender"] for i in body["items"]] == ["stranger@nowhere.example"]
    assert "nowhere.example" in body["items"][0]["reason"]


def check_mailboxes(role: str, body: Any, ctx: Ctx) -> None:
    assert [m["address"] for m in body] == ["support@rapport.test"]


def check_mailbox(role: str, body: Any, ctx: Ctx) -> None:
    assert body["id"] == ctx.mailbox  # type: ignore[attr-defined]


def check_held_spam(role: str, body: Any, ctx: Ctx) -> None:
    assert [i["subject"] for i in body["items"]] == ["Cheap watches"]


def check_released(role: str, body: Any, ctx: Ctx) -> None:
    assert (body["state"], body["outcome"], body["spam_feedback"]) == ("processed", "ticket", "ham")


def check_marked_spam(role: str, body: Any, ctx: Ctx) -> None:
    assert body["spam_feedback"] == "spam"


def check_replayed(role: str, body: Any, ctx: Ctx) -> None:
    assert body["state"] == "quarantined"  # the cause is not fixed yet
    assert body["attempts"] == 2


def check_original(role: str, body: Any, ctx: Ctx) -> None:
    assert "Did you restart it?" in body["full_text"]
    assert body["sender"] == "contact@example.com"


def check_original_raw(role: str, response: Any, ctx: Ctx) -> None:
    raw = b"".join(response.streaming_content)
    assert b"Now it smokes." in raw and b"Did you restart it?" in raw


# --- the service chain ---------------------------------------------------------


def handed_to_it(x: Ctx) -> None:
    from rapport.chain.actions import hand_off

    hand_off(
        x.world.agent, x.tickets["contact"], provider=x.world.it.party, subject="VPN down",
        note="Check the VPN",
    )  # fmt: skip


def handed_to_vendor(x: Ctx) -> None:
    from rapport.chain.actions import hand_off

    x.tickets["handed"] = hand_off(
        x.world.agent, x.tickets["contact"], provider=x.world.vendor.party,
        subject="Printer", note="Send a technician",
    )  # fmt: skip


def check_parent_shown_to_who_may_open_it(role: str, body: Any, ctx: Ctx) -> None:
    # The vendor works the hand-off; the customer's ticket is not theirs to know of.
    expected = None if role == "vendor_user" else ctx.n("contact")
    assert body["number"] == ctx.n("handed") and body["parent"] == expected, body["parent"]


def handoff_payload(x: Ctx) -> dict[str, Any]:
    return {"provider": x.world.it.party.pk, "subject": "VPN down", "note": "Check the VPN"}


def check_handed_off(role: str, body: Any, ctx: Ctx) -> None:
    assert body["parent"] == ctx.n("contact")
    assert (body["client"]["name"], body["provider"]["name"]) == (
        "Customer Support", "IT Service Desk",
    )  # fmt: skip


def check_handoffs(role: str, body: Any, ctx: Ctx) -> None:
    # Clients never see hand-offs, even of their own ticket.
    expected = 0 if role in GLOBEX else 1
    assert len(body) == expected, body


def check_my_requests(role: str, body: Any, ctx: Ctx) -> None:
    # The agent raised the vendor's ticket for Support; nobody else asked anyone.
    numbers = [item["number"] for item in body["items"]]
    assert numbers == ([ctx.n("vendor")] if role == "agent" else []), numbers


def check_map(role: str, body: Any, ctx: Ctx) -> None:
    assert {e["agreement"]["name"] for e in body["edges"]} >= {"Globex support", "IT for everyone"}


def check_chain_analytics(role: str, body: Any, ctx: Ctx) -> None:
    # Support serves Globex and Initech; IT serves no customer; a manager sees every
    # customer ticket, the contractor's on-site visit included.
    expected = {"admin": 4, "manager": 4, "agent": 3, "lead": 3, "other_agent": 0}[role]
    assert body["external_tickets"] == expected, body["external_tickets"]


CHAIN_STAFF_ONLY = outcomes((200, STAFF), rest=403)


MATRIX: dict[str, list[Case]] = {
    # --- directory ---
    "GET /api/v1/me": [Case(lambda c, x: c.get("/api/v1/me"), everyone(200), check_me)],
    "GET /api/v1/parties": [
        Case(lambda c, x: c.get("/api/v1/parties?limit=100"), everyone(200), check_parties)
    ],
    "GET /api/v1/organisations": [
        Case(lambda c, x: c.get("/api/v1/organisations"), everyone(200), check_organisations)
    ],
    "POST /api/v1/organisations": [
        Case(
            lambda c, x: c.post_json("/api/v1/organisations", {"name": "Acme", "kind": "customer"}),
            admin_only(201),
        )
    ],
    "GET /api/v1/organisations/{org_id}": [
        Case(
            lambda c, x: c.get(f"/api/v1/organisations/{x.world.customer.pk}"),
            outcomes((200, (*STAFF, *GLOBEX))),
            check_named("Globex"),
        )
    ],
    "PATCH /api/v1/organisations/{org_id}": [
        Case(
            lambda c, x: c.patch_json(
                f"/api/v1/organisations/{x.world.customer.pk}", {"notes": "Key account"}
            ),
            outcomes((200, ["admin"]), (403, ("manager", "agent", "lead", "other_agent", *GLOBEX))),
        )
    ],
    "POST /api/v1/organisations/{org_id}/members": [
        Case(
            lambda c, x: c.post_json(
                f"/api/v1/organisations/{x.world.customer.pk}/members",
                {"person": x.pid("other_contact")},
            ),
            outcomes((204, ["admin"]), (403, ("manager", "agent", "lead", "other_agent", *GLOBEX))),
        )
    ],
    "DELETE /api/v1/organisations/{org_id}/members/{person_id}": [
        Case(
            lambda c, x: c.delete(
                f"/api/v1/organisations/{x.world.customer.pk}/members/{x.pid('colleague')}"
            ),
            # The contact cannot see their colleague: 404 before any question of rights.
            outcomes(
                (204, ["admin"]),
                (403, ("manager", "agent", "lead", "other_agent", "org_admin", "colleague")),
            ),
        )
    ],
    "GET /api/v1/teams": [
        Case(lambda c, x: c.get("/api/v1/teams"), everyone(200), check_teams),
    ],
    "POST /api/v1/teams": [
        Case(lambda c, x: c.post_json("/api/v1/teams", {"name": "Facilities"}), admin_only(201))
    ],
    "GET /api/v1/teams/{team_id}": [
        Case(
            lambda c, x: c.get(f"/api/v1/teams/{x.world.support.pk}"),
            outcomes((200, (*STAFF, *GLOBEX, "other_contact", "employee"))),
            check_named("Customer Support"),
        )
    ],
    "PATCH /api/v1/teams/{team_id}": [
        Case(
            lambda c, x: c.patch_json(
                f"/api/v1/teams/{x.world.support.pk}", {"email": "support@example.com"}
            ),
            admin_only(200, hidden=("vendor_user", "contractor_user")),
        )
    ],
    "GET /api/v1/teams/{team_id}/members": [
        Case(
            lambda c, x: c.get(f"/api/v1/teams/{x.world.support.pk}/members"),
            outcomes((200, STAFF)),
            check_team_members,
        )
    ],
    "POST /api/v1/teams/{team_id}/members": [
        Case(
            lambda c, x: c.post_json(
                f"/api/v1/teams/{x.world.support.pk}/members", {"person": x.pid("other_agent")}
            ),
            admin_only(204, hidden=("vendor_user", "contractor_user")),
        )
    ],
    "DELETE /api/v1/teams/{team_id}/members/{person_id}": [
        Case(
            lambda c, x: c.delete(f"/api/v1/teams/{x.world.support.pk}/members/{x.pid('lead')}"),
            # Outside contacts cannot see the lead: 404.
            outcomes((204, ["admin"]), (403, ("manager", "agent", "lead", "other_agent"))),
        )
    ],
    "GET /api/v1/people": [
        Case(lambda c, x: c.get("/api/v1/people?limit=100"), everyone(200), check_people)
    ],
    "POST /api/v1/people": [
        Case(lambda c, x: c.post_json("/api/v1/people", {"username": "newbie"}), admin_only(201))
    ],
    "GET /api/v1/people/{person_id}": [
        Case(
            lambda c, x: c.get(f"/api/v1/people/{x.pid('colleague')}"),
            outcomes((200, (*STAFF, "org_admin", "colleague"))),
            check_username("colleague"),
        )
    ],
    "PATCH /api/v1/people/{person_id}": [
        Case(
            lambda c, x: c.patch_json(
                f"/api/v1/people/{x.pid('colleague')}", {"full_name": "Col League"}
            ),
            # Everyone may change their own name; an org admin is no directory admin.
            outcomes(
                (200, ("admin", "colleague")),
                (403, ("manager", "agent", "lead", "other_agent", "org_admin")),
            ),
        ),
        Case(
            lambda c, x: c.patch_json(f"/api/v1/people/{x.pid('colleague')}", {"is_active": False}),
            outcomes(
                (200, ["admin"]),
                (403, ("manager", "agent", "lead", "other_agent", "org_admin", "colleague")),
            ),
            label="deactivate",
        ),
    ],
    # --- agreements and calendars ---
    "GET /api/v1/calendars": [
        Case(lambda c, x: c.get("/api/v1/calendars"), everyone(200), check_calendars)
    ],
    "POST /api/v1/calendars": [
        Case(
            lambda c, x: c.post_json("/api/v1/calendars", {"name": "Sydney", "always_open": True}),
            admin_only(201),
        )
    ],
    "GET /api/v1/calendars/{calendar_id}": [
        Case(
            lambda c, x: c.get(f"/api/v1/calendars/{x.world.calendar.pk}"),
            everyone(200),
            check_named("Berlin office"),
        ),
        Case(
            lambda c, x: c.get(f"/api/v1/calendars/{x.private_calendar.pk}"),
            outcomes((200, STAFF)),
            label="unused by their agreements",
        ),
    ],
    "PATCH /api/v1/calendars/{calendar_id}": [
        Case(
            lambda c, x: c.patch_json(
                f"/api/v1/calendars/{x.world.calendar.pk}", {"name": "Berlin HQ"}
            ),
            admin_only(200),
        ),
        Case(
            lambda c, x: c.patch_json(
                f"/api/v1/calendars/{x.private_calendar.pk}", {"name": "Nights"}
            ),
            admin_only(200, hidden=NON_STAFF),
            label="unused by their agreements",
        ),
    ],
    "GET /api/v1/agreements": [
        Case(lambda c, x: c.get("/api/v1/agreements"), everyone(200), check_agreements)
    ],
    "POST /api/v1/agreements": [
        Case(lambda c, x: c.post_json("/api/v1/agreements", agreement_payload(x)), admin_only(201))
    ],
    "GET /api/v1/agreements/{agreement_id}": [
        Case(
            lambda c, x: c.get(f"/api/v1/agreements/{x.world.sla.pk}"),
            outcomes((200, (*STAFF, *GLOBEX))),
            check_named("Globex support"),
        )
    ],
    "PATCH /api/v1/agreements/{agreement_id}": [
        Case(
            lambda c, x: c.patch_json(
                f"/api/v1/agreements/{x.world.sla.pk}", {"clients_choose_priority": True}
            ),
            outcomes((200, ["admin"]), (403, ("manager", "agent", "lead", "other_agent", *GLOBEX))),
        )
    ],
    # --- tickets ---
    "GET /api/v1/statuses": [
        Case(lambda c, x: c.get("/api/v1/statuses"), everyone(200), check_statuses)
    ],
    "GET /api/v1/tags": [Case(lambda c, x: c.get("/api/v1/tags"), everyone(200), check_tags)],
    "GET /api/v1/tickets": [
        Case(lambda c, x: c.get("/api/v1/tickets?limit=100"), everyone(200), check_ticket_list),
        Case(
            lambda c, x: c.get(f"/api/v1/tickets?q={NOTE_SECRET}"),
            everyone(200),
            # Notes are not indexed, so nobody finds a ticket by a word of its notes.
            check_nothing_found,
            label="search by a word of a note",
        ),
    ],
    "POST /api/v1/tickets": [
        Case(
            lambda c, x: c.post_json(
                "/api/v1/tickets",
                {"subject": "Help", "body": "Please.", "provider": x.world.support.party_id},
            ),
            # Not a matter of rights but of the domain (422): no agreement has Support serve
            # a vendor or a contractor. Staff may raise anything (Support's own agents ask
            # as the organisation).
            outcomes((201, (*STAFF, *GLOBEX, "other_contact", "employee")), rest=422),
            check_created_ticket,
        ),
        Case(
            lambda c, x: c.post_json(
                "/api/v1/tickets",
                {
                    "subject": "Help",
                    "body": "Please.",
                    "provider": x.world.support.party_id,
                    "requester": x.pid("colleague"),
                },
            ),
            # Staff raise on behalf of anyone; an org admin sees the colleague but may not.
            outcomes((201, (*STAFF, "colleague")), (403, ["org_admin"])),
            label="on behalf of the colleague",
        ),
    ],
    "GET /api/v1/tickets/{number}": [
        Case(
            lambda c, x: c.get(f"/api/v1/tickets/{x.n('contact')}"),
            readers("contact"),
            check_ticket_detail,
        ),
        Case(
            lambda c, x: c.get(f"/api/v1/tickets/{x.n('vendor')}"),
            readers("vendor"),
            lambda role, body, ctx: assert_thread(role, "vendor", body["messages"]),
            label="work handed to a vendor",
        ),
        Case(
            lambda c, x: c.get(f"/api/v1/tickets/{x.n('handed')}"),
            readers("vendor"),
            check_parent_shown_to_who_may_open_it,
            prepare=handed_to_vendor,
            label="a hand-off of a customer's ticket",
        ),
    ],
    "PATCH /api/v1/tickets/{number}": [
        Case(
            lambda c, x: c.patch_json(f"/api/v1/tickets/{x.n('contact')}", {"priority": "high"}),
            provider_staff_only("contact"),
            check_priority,
        ),
        Case(
            lambda c, x: c.patch_json(f"/api/v1/tickets/{x.n('contact')}", {"agreement": None}),
            provider_staff_only("contact"),
            check_no_agreement,
            label="agreement",
        ),
        Case(
            lambda c, x: c.patch_json(f"/api/v1/tickets/{x.n('contact')}", {"status": "solved"}),
            # A client may mark their own request solved.
            readers("contact"),
            label="solve",
        ),
        Case(
            lambda c, x: c.patch_json(f"/api/v1/tickets/{x.n('vendor')}", {"priority": "high"}),
            # The priority of work handed to a vendor is Support's, who handed it off;
            # the vendor's user provides it and is measured by it, so may not change it.
            provider_staff_only("vendor"),
            check_priority,
            label="work handed to a vendor",
        ),
        Case(
            lambda c, x: c.patch_json(f"/api/v1/tickets/{x.n('vendor')}", {"agreement": None}),
            # Removing the UC would cancel the vendor's own clocks.
            provider_staff_only("vendor"),
            check_no_agreement,
            label="the agreement of work handed to a vendor",
        ),
        Case(
            lambda c, x: c.patch_json(f"/api/v1/tickets/{x.n('contractor')}", {"priority": "high"}),
            # A contractor serving our customer in our name: our staff set the terms.
            provider_staff_only("contractor"),
            check_priority,
            label="work a contractor does for our customer",
        ),
        Case(
            lambda c, x: c.patch_json(f"/api/v1/tickets/{x.n('vendor')}", {"status": "solved"}),
            # The vendor's user still replies, asks for information and solves.
            readers("vendor"),
            label="a vendor solves",
        ),
        Case(
            lambda c, x: c.patch_json(
                f"/api/v1/tickets/{x.n('contractor')}", {"status": "pending"}
            ),
            outcomes(
                (200, ("admin", "manager", "contractor_user")), (403, ["contact", "org_admin"])
            ),
            label="a contractor asks for information",
        ),
    ],
    "GET /api/v1/tickets/{number}/messages": [
        Case(
            lambda c, x: c.get(f"/api/v1/tickets/{x.n('contact')}/messages"),
            readers("contact"),
            check_messages,
        )
    ],
    "POST /api/v1/tickets/{number}/messages": [
        Case(
            lambda c, x: c.post_json(
                f"/api/v1/tickets/{x.n('contact')}/messages", {"body": "Any news?"}
            ),
            readers("contact", 201),
            check_internal(False),
            label="reply",
        ),
        Case(
            lambda c, x: c.post_json(
                f"/api/v1/tickets/{x.n('contact')}/messages", {"body": "psst", "internal": True}
            ),
            provider_staff_only("contact", 201),
            check_internal(True),
            label="note",
        ),
        Case(
            lambda c, x: c.post_json(
                f"/api/v1/tickets/{x.n('contractor')}/messages", {"body": "On site at 9."}
            ),
            readers("contractor", 201),
            check_internal(False),
            label="reply on a contractor's ticket",
        ),
        Case(
            lambda c, x: c.post_json(
                f"/api/v1/tickets/{x.n('vendor')}/messages", {"body": "psst", "internal": True}
            ),
            # The vendor's user is no staff of ours: a note is never theirs to write or read.
            provider_staff_only("vendor", 201),
            check_internal(True),
            label="note on work handed to a vendor",
        ),
    ],
    "GET /api/v1/tickets/{number}/events": [
        Case(
            lambda c, x: c.get(f"/api/v1/tickets/{x.n('contact')}/events?limit=100"),
            readers("contact"),
            check_events,
        )
    ],
    "POST /api/v1/tickets/{number}/tags": [
        Case(
            lambda c, x: c.post_json(
                f"/api/v1/tickets/{x.n('contact')}/tags", {"tags": ["urgent-fix"]}
            ),
            provider_staff_only("contact"),
            check_tags_now(["urgent-fix", "vip"]),
        ),
        Case(
            lambda c, x: c.post_json(f"/api/v1/tickets/{x.n('vendor')}/tags", {"tags": ["toner"]}),
            provider_staff_only("vendor"),
            check_tags_now(["toner"]),
            label="work handed to a vendor",
        ),
    ],
    "DELETE /api/v1/tickets/{number}/tags/{tag}": [
        Case(
            lambda c, x: c.delete(f"/api/v1/tickets/{x.n('contact')}/tags/vip"),
            provider_staff_only("contact"),
            check_tags_now([]),
        )
    ],
    "POST /api/v1/tickets/{number}/merge": [
        Case(
            lambda c, x: c.post_json(
                f"/api/v1/tickets/{x.n('contact')}/merge", {"into": x.n("colleague")}
            ),
            # The contact sees only the source, the colleague only the target: 404.
            outcomes((200, SUPPORT_STAFF), (403, ["org_admin"])),
            check_merged,
        )
    ],
    "POST /api/v1/tickets/{number}/reopen": [
        Case(
            lambda c, x: c.post(f"/api/v1/tickets/{x.n('contact')}/reopen"),
            readers("contact"),
            check_reopened,
            prepare=solve("contact"),
        )
    ],
    "POST /api/v1/uploads": [Case(upload_file, everyone(201))],
    "GET /api/v1/attachments/{attachment_id}": [
        Case(
            lambda c, x: c.get(f"/api/v1/attachments/{x.public_attachment}"),
            readers("contact"),
            check_download(b"public manual"),
            label="on a reply",
        ),
        Case(
            lambda c, x: c.get(f"/api/v1/attachments/{x.internal_attachment}"),
            outcomes((200, NOTE_READERS["contact"])),
            check_download(b"internal only"),
            label="on an internal note",
        ),
    ],
    # --- tokens ---
    "GET /api/v1/tokens": [Case(lambda c, x: c.get("/api/v1/tokens"), everyone(200), check_tokens)],
    "POST /api/v1/tokens": [
        Case(lambda c, x: c.post_json("/api/v1/tokens", {"name": "ci"}), everyone(201))
    ],
    "DELETE /api/v1/tokens/{token_id}": [
        Case(
            lambda c, x: c.delete(f"/api/v1/tokens/{x.spare_token}"),
            # Only your own tokens, even for an admin (the web UI revokes others').
            outcomes((204, ["contact"])),
            check_revoked,
        )
    ],  # --- service levels ---
    "GET /api/v1/tickets/{number}/clocks": [
        Case(
            lambda c, x: c.get(f"/api/v1/tickets/{x.n('contact')}/clocks"),
            provider_staff_only("contact"),
            check_clocks,
        ),
        Case(
            lambda c, x: c.get(f"/api/v1/tickets/{x.n('vendor')}/clocks"),
            # The vendor is measured on it; the team that handed it over follows it.
            readers("vendor"),
            check_clocks,
            label="handed to a vendor",
        ),
    ],
    "GET /api/v1/attainment": [
        Case(
            lambda c, x: c.get("/api/v1/attainment?since=2000-01-01T00:00:00Z"),
            outcomes((200, (*STAFF, "vendor_user", "contractor_user")), rest=403),
            check_attainment,
        )
    ],
    "GET /api/v1/agreements/{agreement_id}/sla": [
        Case(
            lambda c, x: c.get(f"/api/v1/agreements/{x.world.sla.pk}/sla"),
            outcomes((200, STAFF), (403, GLOBEX)),
        )
    ],
    "PUT /api/v1/agreements/{agreement_id}/sla": [
        Case(
            lambda c, x: c.put(
                f"/api/v1/agreements/{x.world.sla.pk}/sla",
                {
                    "warning_percents": [60],
                    "escalations": [
                        {"at_percent": 100, "action": "notify", "recipients": ["team_lead"]}
                    ],
                },
                content_type="application/json",
            ),
            outcomes((200, ["admin"]), (403, ("manager", "agent", "lead", "other_agent", *GLOBEX))),
        )
    ],
    "GET /api/v1/agreements/{agreement_id}/preview": [
        Case(
            lambda c, x: c.get(
                f"/api/v1/agreements/{x.world.sla.pk}/preview"
                "?priority=urgent&at=2026-03-10T10:00:00%2B01:00"
            ),
            outcomes((200, (*STAFF, *GLOBEX))),
            check_preview,
        )
    ],
    "GET /api/v1/calendars/{calendar_id}/preview": [
        Case(
            lambda c, x: c.get(
                f"/api/v1/calendars/{x.world.calendar.pk}/preview"
                "?start=2026-03-13T16:30:00%2B01:00&minutes=60"
            ),
            everyone(200),
            check_calendar_preview,
        ),
        Case(
            lambda c, x: c.get(f"/api/v1/calendars/{x.private_calendar.pk}/preview"),
            outcomes((200, STAFF)),
            label="unused by their agreements",
        ),
    ],
    # --- notifications: everyone has their own, and only their own ---
    "GET /api/v1/notifications": [
        Case(
            lambda c, x: c.get("/api/v1/notifications"),
            everyone(200),
            check_notifications,
            prepare=notify_contact_and_agent,
        )
    ],
    "POST /api/v1/notifications/{notification_id}/read": [
        Case(
            lambda c, x: c.post(f"/api/v1/notifications/{x.notification}/read"),
            outcomes((200, ["contact"])),
            prepare=notify_contact_and_agent,
        )
    ],
    "POST /api/v1/notifications/read": [
        Case(
            lambda c, x: c.post("/api/v1/notifications/read"),
            everyone(200),
            check_marked_all,
            prepare=notify_contact_and_agent,
        )
    ],
    # --- reactions ---
    "GET /api/v1/reactions/parked": [
        Case(
            lambda c, x: c.get("/api/v1/reactions/parked"),
            admin_only(200),
            check_parked,
            prepare=reaction_parked,
        )
    ],
    "POST /api/v1/reactions/parked/{reaction_id}/retry": [
        Case(
            lambda c, x: c.post(f"/api/v1/reactions/parked/{x.parked}/retry"),
            admin_only(200),
            check_retried,
            prepare=reaction_parked,
        )
    ],
    # --- mail ---
    "GET /api/v1/mail/inbound": [
        Case(
            lambda c, x: c.get("/api/v1/mail/inbound?state=quarantined"),
            admin_only(200),
            check_quarantine,
            prepare=mail_arrived,
        )
    ],
    "GET /api/v1/mail/mailboxes": [
        Case(
            lambda c, x: c.get("/api/v1/mail/mailboxes"),
            admin_only(200),
            check_mailboxes,
            prepare=mail_arrived,
        )
    ],
    "GET /api/v1/mail/mailboxes/{mailbox_id}": [
        Case(
            lambda c, x: c.get(f"/api/v1/mail/mailboxes/{x.mailbox}"),
            admin_only(200),
            check_mailbox,
            prepare=mail_arrived,
        )
    ],
    "PATCH /api/v1/mail/mailboxes/{mailbox_id}": [
        Case(
            lambda c, x: c.patch_json(
                f"/api/v1/mail/mailboxes/{x.mailbox}",
                {"unknown_sender_organisation": x.world.customer.pk},
            ),
            admin_only(200),
            check_mailbox,
            prepare=mail_arrived,
        )
    ],
    "GET /api/v1/mail/spam": [
        Case(
            lambda c, x: c.get("/api/v1/mail/spam"),
            outcomes((200, STAFF), rest=403),
            check_held_spam,
            prepare=mail_arrived,
        )
    ],
    "POST /api/v1/mail/inbound/{inbound_id}/not-spam": [
        Case(
            lambda c, x: c.post(f"/api/v1/mail/inbound/{x.held_spam}/not-spam"),
            outcomes((200, STAFF), rest=403),
            check_released,
            prepare=mail_arrived,
        )
    ],
    "POST /api/v1/mail/inbound/{inbound_id}/spam": [
        Case(
            lambda c, x: c.post(f"/api/v1/mail/inbound/{x.mail_inbound}/spam"),
            outcomes((200, SUPPORT_STAFF), (404, ["other_agent"]), rest=403),
            check_marked_spam,
            prepare=mail_arrived,
        )
    ],
    "POST /api/v1/mail/inbound/{inbound_id}/replay": [
        Case(
            lambda c, x: c.post(f"/api/v1/mail/inbound/{x.quarantined}/replay"),
            admin_only(200),
            check_replayed,
            prepare=mail_arrived,
        )
    ],
    "GET /api/v1/tickets/{number}/messages/{message_id}/original": [
        Case(
            lambda c, x: c.get(
                f"/api/v1/tickets/{x.n('contact')}/messages/{x.mail_message}/original"
            ),
            readers("contact"),
            check_original,
            prepare=mail_arrived,
        )
    ],
    "GET /api/v1/tickets/{number}/messages/{message_id}/original.eml": [
        Case(
            lambda c, x: c.get(
                f"/api/v1/tickets/{x.n('contact')}/messages/{x.mail_message}/original.eml"
            ),
            readers("contact"),
            check_original_raw,
            prepare=mail_arrived,
        )
    ],
    "POST /api/v1/tickets/{number}/handoffs": [
        Case(
            lambda c, x: c.post_json(
                f"/api/v1/tickets/{x.n('contact')}/handoffs", handoff_payload(x)
            ),
            provider_staff_only("contact", 201),
            check_handed_off,
        )
    ],
    "GET /api/v1/tickets/{number}/handoffs": [
        Case(
            lambda c, x: c.get(f"/api/v1/tickets/{x.n('contact')}/handoffs"),
            readers("contact"),
            check_handoffs,
            prepare=handed_to_it,
        )
    ],
    "POST /api/v1/tickets/{number}/wait": [
        Case(
            lambda c, x: c.post(f"/api/v1/tickets/{x.n('contact')}/wait"),
            provider_staff_only("contact"),
            prepare=handed_to_it,
        )
    ],
    "GET /api/v1/chain/requests": [
        Case(lambda c, x: c.get("/api/v1/chain/requests"), CHAIN_STAFF_ONLY, check_my_requests)
    ],
    "GET /api/v1/chain/map": [
        Case(
            lambda c, x: c.get("/api/v1/chain/map?since=2000-01-01T00:00:00Z"),
            CHAIN_STAFF_ONLY,
            check_map,
        )
    ],
    "GET /api/v1/chain/analytics": [
        Case(
            lambda c, x: c.get("/api/v1/chain/analytics?since=2000-01-01T00:00:00Z"),
            CHAIN_STAFF_ONLY,
            check_chain_analytics,
        )
    ],
}


# --- surveys and scorecards ---------------------------------------------------------

MEASURERS = (*STAFF, "vendor_user", "contractor_user")  # the providing side, as attainment


def surveyed_and_solved(ctx: Ctx) -> None:
    from rapport.surveys import actions as survey_actions

    survey_actions.configure(None, ctx.world.sla, csat=True)
    # A fresh copy: each role's run is rolled back, the objects in ctx are not.
    ticket = Ticket.objects.get(pk=ctx.n("contact"))
    ticket_actions.set_status(ctx.world.agent, ticket, ticket_actions.default_status("solved"))
    drain_reactions()  # the survey is the surveys app's reaction to the solve


def check_surveys(role: str, body: Any, ctx: Ctx) -> None:
    expected = 1 if role in SUPPORT_STAFF else 0
    assert len(body["items"]) == expected, body


def check_scorecards(role: str, body: Any, ctx: Ctx) -> None:
    seen = names(body["rows"])
    expected = {"agent": {"Customer Support"}, "lead": {"Customer Support"},
                "other_agent": {"IT Service Desk"}, "vendor_user": {"PrintCo"},
                "contractor_user": {"FixIt Contractors"}}.get(role)  # fmt: skip
    if expected is None:
        assert {"Customer Support", "IT Service Desk", "PrintCo"} <= seen, seen
    else:
        assert seen == expected, seen


def printco_card(ctx: Ctx) -> None:
    from rapport.scorecards import actions as scorecard_actions

    card = scorecard_actions.create_weighted(
        None, provider=ctx.world.vendor.party, name="PrintCo review",
        criteria=[{"name": "Resolution", "metric": "resolution_attainment", "weight": 70},
                  {"name": "Review", "metric": "manual", "weight": 30}],
    )  # fmt: skip
    ctx.card = card.pk  # type: ignore[attr-defined]
    ctx.review = card.criteria.get(metric="manual").pk  # type: ignore[attr-defined]


def check_cards(role: str, body: Any, ctx: Ctx) -> None:
    expected = {"PrintCo review"} if role in ("admin", "manager", "vendor_user") else set()
    assert names(body) == expected


def weighted_payload(ctx: Ctx) -> dict[str, Any]:
    return {"provider": ctx.world.it.party_id, "name": "IT desk",
            "criteria": [{"name": "CSAT", "metric": "csat", "weight": 100}]}  # fmt: skip


MATRIX.update({
    "GET /api/v1/agreements/{agreement_id}/survey": [
        Case(lambda c, x: c.get(f"/api/v1/agreements/{x.world.sla.pk}/survey"),
             outcomes((200, (*STAFF, *GLOBEX))))
    ],
    "PUT /api/v1/agreements/{agreement_id}/survey": [
        Case(lambda c, x: c.put(f"/api/v1/agreements/{x.world.sla.pk}/survey",
                                {"csat": True, "nps": True}, content_type="application/json"),
             outcomes((200, ["admin"]), (403, (*STAFF[1:], *GLOBEX))))
    ],
    "GET /api/v1/surveys": [
        Case(lambda c, x: c.get("/api/v1/surveys"), outcomes((200, MEASURERS), rest=403),
             check_surveys, prepare=surveyed_and_solved)
    ],
    "GET /api/v1/scorecards": [
        Case(lambda c, x: c.get("/api/v1/scorecards"), outcomes((200, MEASURERS), rest=403),
             check_scorecards)
    ],
    "GET /api/v1/scorecards/series": [
        Case(lambda c, x: c.get("/api/v1/scorecards/series?count=2"),
             outcomes((200, MEASURERS), rest=403))
    ],
    "GET /api/v1/scorecards/weighted": [
        Case(lambda c, x: c.get("/api/v1/scorecards/weighted"),
             outcomes((200, MEASURERS), rest=403), check_cards, prepare=printco_card)
    ],
    "POST /api/v1/scorecards/weighted": [
        Case(lambda c, x: c.post_json("/api/v1/scorecards/weighted", weighted_payload(x)),
             outcomes((201, ("admin", "manager")), rest=403))
    ],
    "GET /api/v1/scorecards/weighted/{scorecard_id}": [
        Case(lambda c, x: c.get(f"/api/v1/scorecards/weighted/{x.card}"),  # type: ignore[attr-defined]
             outcomes((200, ("admin", "manager", "vendor_user")),
                      (404, ("agent", "lead", "other_agent", "contractor_user")), rest=403),
             prepare=printco_card)
    ],
    "PUT /api/v1/scorecards/weighted/{scorecard_id}/ratings": [
        Case(lambda c, x: c.put(f"/api/v1/scorecards/weighted/{x.card}/ratings",  # type: ignore[attr-defined]
                                {"criterion": x.review, "date": "2026-03-10", "score": 8},  # type: ignore[attr-defined]
                                content_type="application/json"),
             outcomes((200, ("admin", "manager")), (403, ["vendor_user"]),
                      (404, ("agent", "lead", "other_agent", "contractor_user")), rest=403),
             prepare=printco_card)
    ],
})  # fmt: skip


def schema_operations() -> set[str]:
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    return {
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method in operations
    }


def matrices() -> dict[str, dict[str, list[Case]]]:
    """This file's MATRIX and each area's, by module name. An area's file is::

    import pytest
    from test_permission_matrix import Case, outcomes, run_operation

    MATRIX = {"GET /api/v1/things": [Case(lambda c, x: c.get("/api/v1/things"), ...)]}

    @pytest.mark.parametrize("operation", sorted(MATRIX))
    def test_operation(operation: str, db: None) -> None:
        run_operation(MATRIX, operation)
    """
    found = {__name__: MATRIX}
    for path in sorted(Path(__file__).parent.glob("test_permission_matrix_*.py")):
        found[path.stem] = importlib.import_module(path.stem).MATRIX
    return found


def test_matrix_covers_every_operation_of_the_schema() -> None:
    operations = schema_operations()
    named: dict[str, str] = {}
    for module, matrix in matrices().items():
        for operation in matrix:
            assert operation not in named, f"{operation} is in {named[operation]} and {module}"
            named[operation] = module
    missing = sorted(operations - named.keys())
    stale = sorted(named.keys() - operations)
    assert not missing, f"add these operations to a permission matrix: {missing}"
    assert not stale, f"these matrix rows name no operation any more: {stale}"


def test_every_case_names_every_role() -> None:
    for matrix in matrices().values():
        for operation, cases in matrix.items():
            for case in cases:
                assert set(case.expect) == set(EVERYONE), operation


# --- policies: the library and change proposals -----------------------------
# A published internal policy (must-read, all staff), a draft procedure of Customer
# Support, an article for Globex only and one for every client. Drafts reach only the
# owner, the owning team (its reviewers), approvers and admins; internal documents
# never reach clients or vendor users; a client sees only the articles meant for it.

EMPLOYEE_AND_STAFF = (*STAFF, "employee")
DRAFT_READERS = ("admin", "manager", "agent", "lead")
DOC_READERS: dict[str, tuple[str, ...]] = {
    "policy": EMPLOYEE_AND_STAFF,
    "draft": DRAFT_READERS,
    "globex": (*EMPLOYEE_AND_STAFF, *GLOBEX),
    "everyone": tuple(ROLES),
}


def library(ctx: Ctx) -> None:
    from rapport.policies import actions as policy_actions

    w = ctx.world
    p = w.people

    def doc(kind: str, title: str, **kw: Any) -> Any:
        return policy_actions.create_document(
            p["manager"], kind=kind, title=title, body=f"# {title}\n\nText of {title}.",
            owner=p["manager"], team=w.support, **kw,
        )  # fmt: skip

    policy = doc("policy", "Refunds")
    version = policy.versions.get()
    policy_actions.submit(p["manager"], version)
    policy_actions.record_review(
        p["lead"], version, answer="yes", customer_view="a", employee_view="b",
        company_view="c", partner_view="d", autonomy="e",
    )  # fmt: skip
    policy_actions.approve(p["manager"], version)
    policy_actions.publish(p["manager"], version, must_read=True)
    draft = doc("procedure", "Returns")
    globex = doc("article", "Globex VPN", client_audience="chosen", client_orgs=[w.customer])
    everyone = doc("article", "Reset the router", client_audience="all")
    for article in (globex, everyone):
        policy_actions.publish(p["manager"], article.versions.get())
    ctx.docs = {"policy": policy.pk, "draft": draft.pk, "globex": globex.pk,  # type: ignore[attr-defined]
                "everyone": everyone.pk}  # fmt: skip


def submitted_draft(ctx: Ctx) -> None:
    from rapport.policies import actions as policy_actions
    from rapport.policies.models import Document

    library(ctx)
    draft = Document.objects.get(pk=ctx.docs["draft"])  # type: ignore[attr-defined]
    policy_actions.submit(ctx.world.people["manager"], draft.versions.get())


def reviewed_draft_with_approver(ctx: Ctx) -> None:
    from rapport.policies import actions as policy_actions
    from rapport.policies.models import Document

    library(ctx)
    p = ctx.world.people
    draft = Document.objects.get(pk=ctx.docs["draft"])  # type: ignore[attr-defined]
    policy_actions.set_approvers(p["manager"], draft, [(p["lead"], "Team lead")])
    version = draft.versions.get()
    policy_actions.submit(p["manager"], version)
    policy_actions.record_review(p["agent"], version, answer="yes", customer_view="a",
                                 new_hire_can_follow=True)  # fmt: skip


def a_proposal(ctx: Ctx) -> None:
    from rapport.policies import actions as policy_actions
    from rapport.policies.models import Document

    library(ctx)
    policy = Document.objects.get(pk=ctx.docs["policy"])  # type: ignore[attr-defined]
    proposal = policy_actions.file_proposal(
        ctx.world.people["agent"], policy, what_is_wrong="a", why="b", proposed_fix="c"
    )
    ctx.proposal = proposal.pk  # type: ignore[attr-defined]


def readers_of(name: str, status: int = 200) -> dict[str, int]:
    return outcomes((status, DOC_READERS[name]))


def check_library(role: str, body: Any, ctx: Ctx) -> None:
    seen = {item["id"] for item in body["items"]}
    for name, pk in ctx.docs.items():  # type: ignore[attr-defined]
        if role in DOC_READERS[name]:
            assert pk in seen, f"{name} missing"
        else:
            assert pk not in seen, f"{name} leaked"


def d(ctx: Ctx, name: str) -> int:
    return ctx.docs[name]  # type: ignore[attr-defined,no-any-return]


MATRIX.update({
    "GET /api/v1/documents": [
        Case(lambda c, x: c.get("/api/v1/documents?limit=100"), everyone(200), check_library,
             prepare=library)
    ],
    "POST /api/v1/documents": [
        Case(lambda c, x: c.post_json("/api/v1/documents", {
                "kind": "article", "title": "New", "body": "Text", "team": x.world.support.pk}),
             outcomes((201, STAFF), rest=403))
    ],
    "GET /api/v1/documents/{document_id}": [
        Case(lambda c, x, name=name: c.get(f"/api/v1/documents/{d(x, name)}"),  # type: ignore[misc]
             readers_of(name), prepare=library, label=name)
        for name in DOC_READERS
    ],
    "GET /api/v1/documents/{document_id}/versions": [
        Case(lambda c, x: c.get(f"/api/v1/documents/{d(x, 'policy')}/versions"),
             readers_of("policy"), prepare=library)
    ],
    "GET /api/v1/documents/{document_id}/versions/{version_number}": [
        Case(lambda c, x: c.get(f"/api/v1/documents/{d(x, 'draft')}/versions/1"),
             readers_of("draft"), prepare=library, label="draft"),
        Case(lambda c, x: c.get(f"/api/v1/documents/{d(x, 'globex')}/versions/1"),
             readers_of("globex"), prepare=library, label="article"),
    ],
    "POST /api/v1/documents/{document_id}/versions": [
        Case(lambda c, x: c.post_json(f"/api/v1/documents/{d(x, 'policy')}/versions",
                                      {"body": "New text", "change_summary": "Why"}),
             outcomes((201, ("admin", "manager")),
                      (403, ("agent", "lead", "other_agent", "employee"))), prepare=library)
    ],
    "GET /api/v1/documents/{document_id}/redline": [
        Case(lambda c, x: c.get(f"/api/v1/documents/{d(x, 'policy')}/redline?from=1&to=1"),
             readers_of("policy"), prepare=library)
    ],
    "POST /api/v1/documents/{document_id}/versions/{version_number}/transition": [
        Case(lambda c, x: c.post_json(f"/api/v1/documents/{d(x, 'draft')}/versions/1/transition",
                                      {"action": "submit"}),
             outcomes((200, ("admin", "manager")), (403, ("agent", "lead"))), prepare=library)
    ],
    "POST /api/v1/documents/{document_id}/versions/{version_number}/reviews": [
        Case(lambda c, x: c.post_json(f"/api/v1/documents/{d(x, 'draft')}/versions/1/reviews",
                                      {"answer": "yes", "customer_view": "Helps",
                                       "new_hire_can_follow": True}),
             outcomes((201, ("admin", "agent", "lead")), (403, ["manager"])),  # the author
             prepare=submitted_draft)
    ],
    "POST /api/v1/documents/{document_id}/versions/{version_number}/signoffs": [
        Case(lambda c, x: c.post_json(f"/api/v1/documents/{d(x, 'draft')}/versions/1/signoffs",
                                      {"decision": "approved"}),
             outcomes((201, ["lead"]), (403, ("admin", "manager", "agent"))),
             prepare=reviewed_draft_with_approver)
    ],
    "POST /api/v1/documents/{document_id}/versions/{version_number}/acknowledge": [
        Case(lambda c, x: c.post_json(
                f"/api/v1/documents/{d(x, 'policy')}/versions/1/acknowledge", {}),
             outcomes((200, STAFF)), prepare=library)
    ],
    "GET /api/v1/documents/{document_id}/acknowledgements": [
        Case(lambda c, x: c.get(f"/api/v1/documents/{d(x, 'policy')}/acknowledgements"),
             outcomes((200, STAFF)), prepare=library)
    ],
    "GET /api/v1/documents/{document_id}/exceptions": [
        Case(lambda c, x: c.get(f"/api/v1/documents/{d(x, 'policy')}/exceptions"),
             outcomes((200, STAFF)), prepare=library)
    ],
    "POST /api/v1/documents/{document_id}/exceptions": [
        Case(lambda c, x: c.post_json(f"/api/v1/documents/{d(x, 'policy')}/exceptions",
                                      {"ticket": x.n("contact"), "why": "Loyal",
                                       "instead": "Refunded 70 EUR", "within_autonomy": True}),
             outcomes((201, SUPPORT_STAFF)), prepare=library)
    ],
    "GET /api/v1/documents/{document_id}/citations": [
        Case(lambda c, x: c.get(f"/api/v1/documents/{d(x, 'policy')}/citations"),
             outcomes((200, STAFF)), prepare=library)
    ],
    "POST /api/v1/documents/{document_id}/citations": [
        Case(lambda c, x: c.post_json(f"/api/v1/documents/{d(x, 'policy')}/citations",
                                      {"ticket": x.n("contact"), "clause": "Refunds"}),
             outcomes((201, SUPPORT_STAFF)), prepare=library)
    ],
    "GET /api/v1/proposals": [
        Case(lambda c, x: c.get("/api/v1/proposals"), everyone(200), prepare=a_proposal)
    ],
    "POST /api/v1/proposals": [
        Case(lambda c, x: c.post_json("/api/v1/proposals", {
                "document": d(x, "globex"), "what_is_wrong": "Step missing", "why": "Stuck",
                "proposed_fix": "Add the step"}),
             readers_of("globex", 201), prepare=library)
    ],
    "GET /api/v1/proposals/{proposal_id}": [
        Case(lambda c, x: c.get(f"/api/v1/proposals/{x.proposal}"),  # type: ignore[attr-defined]
             outcomes((200, STAFF)), prepare=a_proposal)
    ],
    "POST /api/v1/proposals/{proposal_id}/decision": [
        Case(lambda c, x: c.post_json(f"/api/v1/proposals/{x.proposal}/decision",  # type: ignore[attr-defined]
                                      {"decision": "decline", "reason": "Legal says no"}),
             outcomes((200, ("admin", "manager")), (403, ("agent", "lead", "other_agent"))),
             prepare=a_proposal)
    ],
})  # fmt: skip


def _run(role: str, case: Case, ctx: Ctx) -> str | None:
    """One role's attempt, rolled back afterwards; a failure message or None."""
    expected = case.expect[role]
    with transaction.atomic():
        if case.prepare is not None:
            case.prepare(ctx)
        response = case.call(ctx.clients[role], ctx)
        try:
            problem = _check(role, case, ctx, response, expected)
        finally:
            transaction.set_rollback(True)
    return problem


def _check(role: str, case: Case, ctx: Ctx, response: Any, expected: int) -> str | None:
    content_type = response.get("Content-Type", "")
    body: Any = None
    if not response.streaming:
        body = response.json() if response.content and "json" in content_type else None
    if response.status_code != expected:
        return f"expected {expected}, got {response.status_code}: {body}"
    if response.status_code >= 400:
        if not content_type.startswith(PROBLEM):
            return f"{response.status_code} is {content_type!r}, not a problem document"
        if body.get("status") != expected or not body.get("detail"):
            return f"problem document without status or detail: {body}"
        return None
    if case.check is not None:
        try:
            case.check(role, response if response.streaming else body, ctx)
        except AssertionError as exc:
            return f"wrong content: {exc}"
    return None


def run_operation(matrix: dict[str, list[Case]], operation: str) -> None:
    """Every case of the operation, for every role, in one world."""
    ctx = build_matrix_world()
    failures = []
    for case in matrix[operation]:
        name = f"{operation} [{case.label}]" if case.label else operation
        for role in EVERYONE:
            problem = _run(role, case, ctx)
            if problem:
                failures.append(f"{role:>15} × {name}: {problem}")
    assert not failures, "\n" + "\n".join(failures)


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_operation(operation: str, db: None) -> None:
    run_operation(MATRIX, operation)


def test_no_internal_note_reaches_clients_or_vendor_users(db: None) -> None:
    """Every role × every ticket: visible exactly to its readers, notes only to its staff."""
    ctx = build_matrix_world()
    internal_attachments = list(
        Attachment.objects.filter(message__is_internal=True).values_list("pk", flat=True)
    )
    failures = []
    for role in ROLES:
        client = ctx.clients[role]
        for name in TICKET_READERS:
            base = f"/api/v1/tickets/{ctx.n(name)}"
            detail = client.get(base)
            messages = client.get(f"{base}/messages?limit=100")
            events = client.get(f"{base}/events?limit=100")
            statuses = {detail.status_code, messages.status_code, events.status_code}
            if role not in TICKET_READERS[name]:
                if statuses != {404}:
                    failures.append(f"{role} × #{name}: {statuses}, expected 404")
                continue
            try:
                assert statuses == {200}, statuses
                assert_thread(role, name, detail.json()["messages"])
                assert_thread(role, name, messages.json()["items"])
                assert_events(role, name, events.json()["items"])
            except AssertionError as exc:
                failures.append(f"{role} × #{name}: {exc}")
        if role not in STAFF:
            for attachment_id in internal_attachments:
                response = client.get(f"/api/v1/attachments/{attachment_id}")
                if response.status_code != 404:
                    failures.append(f"{role} downloaded internal attachment {attachment_id}")
    assert not failures, "\n" + "\n".join(failures)
