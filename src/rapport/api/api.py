"""The REST API v1: every app's router under /api/v1/."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from rapport import __version__
from rapport.accounts.api import router as tokens_router
from rapport.accounts.auth import api_auth
from rapport.agreements.api import router as agreements_router
from rapport.automation.api import router as automation_router
from rapport.chain.api import router as chain_router
from rapport.core.api_input import bounded
from rapport.core.errors import RapportError
from rapport.core.problems import handle
from rapport.directory.api import router as directory_router
from rapport.improvement.api import router as improvement_router
from rapport.improvement.api_pareto import router as improvement_pareto_router
from rapport.mail.api import router as mail_router
from rapport.notifications.api import router as notifications_router
from rapport.people.api import router as people_router
from rapport.policies.api import router as policies_router
from rapport.proactive.api import router as proactive_router
from rapport.scorecards.api import router as scorecards_router
from rapport.sla.api import router as sla_router
from rapport.surveys.api import router as surveys_router
from rapport.tickets.api import router as tickets_router
from rapport.tickets.reactions_api import router as reactions_router

api = NinjaAPI(
    title="Rapport API",
    version=__version__,
    description=(
        "Service management for customers, internal teams, vendors and contractors. "
        "Authenticate with the browser session or `Authorization: Bearer <token>` "
        "(`rapport token create USERNAME`). Errors are `application/problem+json`."
    ),
    urls_namespace="api-v1",
    auth=api_auth,
    openapi_url="/openapi.json",
    docs_url="/docs",
)

for exc_class in (
    Exception,
    RapportError,
    ValidationError,
    HttpError,
    Http404,
    PermissionDenied,
    SuspiciousOperation,
):
    api.add_exception_handler(exc_class, handle)  # type: ignore[arg-type]

# Every operation's parsed input is checked for out-of-range dates and numbers.
api.add_decorator(bounded)

api.add_router("", directory_router)
api.add_router("", agreements_router)
api.add_router("", tickets_router)
api.add_router("", reactions_router)
api.add_router("", tokens_router)
api.add_router("", sla_router)
api.add_router("", notifications_router)
api.add_router("", mail_router)
api.add_router("", chain_router)
api.add_router("", surveys_router)
api.add_router("", scorecards_router)
api.add_router("", policies_router)
api.add_router("", proactive_router)
api.add_router("", people_router)
api.add_router("", improvement_router)
api.add_router("", improvement_pareto_router)
api.add_router("", automation_router)
