"""The must-read check of a draft: up to five multiple-choice questions a reader must
answer right to acknowledge it. Written by the document's owner while the version is a
draft (it is part of what reviewers and approvers see)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from rapport.core.errors import NotFound
from rapport.directory.access import me, my_scope, staff_required
from rapport.policies import actions, queries
from rapport.policies.forms import CheckForm
from rapport.policies.models import Status
from rapport.tickets.forms import run_action


@require_http_methods(["GET", "POST"])
@staff_required
def check(request: HttpRequest, pk: int) -> HttpResponse:
    scope = my_scope(request)
    try:
        doc = queries.get_document(scope, pk)
    except NotFound:
        raise Http404("No such document")
    if not queries.may_see_drafts(scope, doc):
        raise Http404("No such document")
    version = queries.latest_version(doc)
    if version is None:
        raise Http404("No version")
    questions = list(version.questions.all())
    editable = queries.may_edit(scope, doc) and version.status == Status.DRAFT
    form = CheckForm(request.POST or None, initial=CheckForm.initial_from(questions))
    if request.method == "POST" and form.is_valid():
        saved = run_action(form, None, lambda: actions.set_check(
            me(request), version, form.cleaned_data["questions"]))  # fmt: skip
        if saved is not None:
            count = len(saved)
            messages.success(request, f"Check saved: {count} question{'s' if count != 1 else ''}.")
            return redirect("policies:document", doc.pk)
    return render(request, "policies/check.html", {
        "doc": doc, "version": version, "form": form, "editable": editable,
        "questions": questions,
    }, status=422 if form.errors else 200)  # fmt: skip
