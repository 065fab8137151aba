"""Creating documents, editing (a new draft version), audience, approvers, retiring."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction

from rapport.core import clock
from rapport.core.errors import Conflict, Invalid
from rapport.directory.models import Organisation, Person, StaffRole, Team
from rapport.policies import render
from rapport.policies.actions._common import (
    MAX_BODY,
    require_editor,
    require_staff,
    scope_of,
    text,
)
from rapport.policies.models import (
    REVIEW_MONTHS,
    Approver,
    ClientAudience,
    Document,
    DocumentTag,
    Kind,
    Status,
    Version,
)
from rapport.policies.queries import latest_version
from rapport.tickets.actions import clean_tag

MAX_TITLE = 200
MAX_APPROVERS = 10


def _search_text(document: Document, version: Version, tags: Iterable[str]) -> str:
    return "\n".join([version.title, " ".join(tags), render.markdown_to_text(version.body_md)])


def reindex(document: Document, version: Version | None = None) -> None:
    version = version or latest_version(document)
    if version is None:
        return
    tags = list(document.tags.values_list("name", flat=True))
    document.search_text = _search_text(document, version, tags)
    Document.objects.filter(pk=document.pk).update(search_text=document.search_text)


@transaction.atomic
def create_document(
    actor: Person | None,
    *,
    kind: str,
    title: str,
    body: str,
    owner: Person,
    team: Team,
    change_summary: str = "First version",
    tags: Sequence[str] = (),
    all_staff: bool = True,
    audience_teams: Sequence[Team] = (),
    audience_roles: Sequence[str] = (),
    client_audience: str = ClientAudience.NONE,
    client_orgs: Sequence[Organisation] = (),
    is_public: bool = False,
    review_months: int | None = None,
    exception_threshold: int = 3,
) -> Document:
    scope = scope_of(actor)
    require_staff(scope, "write documents")
    if kind not in Kind.values:
        raise Invalid(f"Kind is one of {', '.join(Kind.values)}.", field="kind")
    if not owner.staff_role:
        raise Invalid("The owner must be on staff.", field="owner")
    now = clock.now()
    document = Document(
        kind=kind, title=text(title, "title", limit=MAX_TITLE), owner=owner, team=team,
        review_months=review_months or REVIEW_MONTHS[Kind(kind)],
        exception_threshold=exception_threshold, created_at=now, updated_at=now,
    )  # fmt: skip
    _apply_audience(document, all_staff, audience_roles, client_audience, is_public)
    document.save()
    _set_audience_relations(document, audience_teams, client_orgs)
    names = _set_tags(document, tags)
    version = Version.objects.create(
        document=document, number=1, title=document.title,
        body_md=text(body, "body", limit=MAX_BODY), body_html=render.markdown_to_html(body),
        change_summary=text(change_summary, "change_summary", required=False, limit=500),
        author=actor or owner, created_at=now,
    )  # fmt: skip
    document.search_text = _search_text(document, version, names)
    Document.objects.filter(pk=document.pk).update(search_text=document.search_text)
    return document


def _apply_audience(
    document: Document,
    all_staff: bool,
    roles: Sequence[str],
    client_audience: str,
    is_public: bool,
) -> None:
    bad = [r for r in roles if r not in (StaffRole.AGENT, StaffRole.MANAGER, StaffRole.ADMIN)]
    if bad:
        raise Invalid(f"{bad[0]!r} is not a staff role.", field="audience_roles")
    if client_audience not in ClientAudience.values:
        raise Invalid("Client audience is none, all or chosen.", field="client_audience")
    if document.kind != Kind.ARTICLE and (client_audience != ClientAudience.NONE or is_public):
        # Policies and procedures are internal: they never reach clients or vendors.
        raise Invalid("Only articles can be shown to clients.", field="client_audience")
    document.all_staff = all_staff
    document.audience_roles = sorted(set(roles))
    document.client_audience = client_audience
    document.is_public = is_public


def _set_audience_relations(
    document: Document, teams: Sequence[Team], orgs: Sequence[Organisation]
) -> None:
    document.audience_teams.set(teams)
    document.client_orgs.set(orgs if document.client_audience == ClientAudience.CHOSEN else [])


def _set_tags(document: Document, tags: Sequence[str]) -> list[str]:
    names = sorted({clean_tag(t) for t in tags if t.strip()})
    document.tags.all().delete()
    DocumentTag.objects.bulk_create([DocumentTag(document=document, name=n) for n in names])
    return names


@transaction.atomic
def set_audience(
    actor: Person | None,
    document: Document,
    *,
    all_staff: bool,
    audience_teams: Sequence[Team] = (),
    audience_roles: Sequence[str] = (),
    client_audience: str = ClientAudience.NONE,
    client_orgs: Sequence[Organisation] = (),
    is_public: bool = False,
    tags: Sequence[str] | None = None,
) -> Document:
    require_editor(scope_of(actor), document, "change the audience")
    _apply_audience(document, all_staff, audience_roles, client_audience, is_public)
    document.updated_at = clock.now()
    document.save()
    _set_audience_relations(document, audience_teams, client_orgs)
    if tags is not None:
        _set_tags(document, tags)
        reindex(document)
    return document


@transaction.atomic
def mark_outside_customer_service(
    actor: Person | None, document: Document, *, outside: bool, reason: str = ""
) -> Document:
    """The seed exempts documents outside customer service (safety, benefits, ordering)
    from the customer-factor gate; the reason is required and shown with it."""
    require_editor(scope_of(actor), document, "change this")
    document.outside_customer_service = outside
    document.outside_reason = text(reason, "reason", required=outside) if outside else ""
    document.save(update_fields=["outside_customer_service", "outside_reason"])
    return document


@transaction.atomic
def set_approvers(
    actor: Person | None, document: Document, steps: Sequence[tuple[Person, str]]
) -> list[Approver]:
    """The ordered sign-off list; it replaces the old one (past sign-offs keep theirs)."""
    require_editor(scope_of(actor), document, "choose the approvers")
    if len(steps) > MAX_APPROVERS:
        raise Invalid(f"At most {MAX_APPROVERS} sign-offs.", field="approvers")
    for person, _ in steps:
        if not person.staff_role:
            raise Invalid(f"{person.display_name} is not on staff.", field="approvers")
    latest = latest_version(document)
    if latest is not None and latest.status == Status.IN_REVIEW and latest.signoffs.exists():
        raise Conflict("Sign-offs have started on the version in review.")
    document.approvers.all().delete()
    return Approver.objects.bulk_create(
        Approver(document=document, position=i, person=p, label=text(label, "label",
                 required=False, limit=80))
        for i, (p, label) in enumerate(steps, start=1)
    )  # fmt: skip


@transaction.atomic
def edit(
    actor: Person | None,
    document: Document,
    *,
    body: str,
    change_summary: str,
    title: str | None = None,
) -> Version:
    """Change the text. A draft is edited in place; otherwise a new draft version starts
    from the newest one (published versions never change)."""
    require_editor(scope_of(actor), document, "edit it")
    summary = text(change_summary, "change_summary", limit=500)
    body = text(body, "body", limit=MAX_BODY)
    new_title = text(title, "title", limit=MAX_TITLE) if title is not None else None
    latest = Version.objects.select_for_update().filter(document=document).order_by("-number")[0]
    if latest.status == Status.DRAFT:
        version = latest
    elif latest.status in (Status.IN_REVIEW, Status.APPROVED):
        raise Conflict("Version is in review; reject or publish it before editing.")
    else:
        version = Version(
            document=document, number=latest.number + 1, author=actor or document.owner,
            based_on=latest, created_at=clock.now(),
        )  # fmt: skip
    version.title = new_title or latest.title
    version.body_md = body
    version.body_html = render.markdown_to_html(body)
    version.change_summary = summary
    version.save()
    _mirror(document, version)
    reindex(document, version)
    return version


@transaction.atomic
def start_draft(actor: Person | None, document: Document, **link: object) -> Version:
    """A new draft copied from the newest version (the periodic review's second answer,
    and an accepted proposal's starting point)."""
    require_editor(scope_of(actor), document, "start a draft")
    latest = Version.objects.select_for_update().filter(document=document).order_by("-number")[0]
    if latest.status == Status.DRAFT:
        for key, value in link.items():
            setattr(latest, key, value)
        latest.save()
        return latest
    if latest.status in (Status.IN_REVIEW, Status.APPROVED):
        raise Conflict("Version is in review; finish it before starting another.")
    version = Version.objects.create(
        document=document, number=latest.number + 1, title=latest.title, body_md=latest.body_md,
        body_html=latest.body_html, change_summary="", author=actor or document.owner,
        based_on=latest, created_at=clock.now(), **link,
    )  # fmt: skip
    _mirror(document, version)
    return version


def _mirror(document: Document, version: Version) -> None:
    """Keep the document's status what readers know it by: published (or retired) once
    it has been published, a newer draft notwithstanding; before, the draft's stage."""
    now = clock.now()
    if version.status == Status.PUBLISHED:
        document.status = Status.PUBLISHED
        document.title = version.title
    elif document.published_id is None:
        document.status = version.status
        document.title = version.title
    document.updated_at = now
    Document.objects.filter(pk=document.pk).update(
        status=document.status, updated_at=now, title=document.title
    )


@transaction.atomic
def retire(actor: Person | None, document: Document, *, reason: str = "") -> Document:
    require_editor(scope_of(actor), document, "retire it")
    now = clock.now()
    if document.published_id is None:
        raise Conflict("Only a published document can be retired.")
    Version.objects.filter(pk=document.published_id).update(status=Status.RETIRED)
    document.status = Status.RETIRED
    document.next_review_at = None
    document.updated_at = now
    document.save(update_fields=["status", "next_review_at", "updated_at"])
    # Nobody has to read a retired document any more.
    document.versions.get(pk=document.published_id).read_tasks.filter(
        acknowledged_at__isnull=True
    ).delete()
    return document
