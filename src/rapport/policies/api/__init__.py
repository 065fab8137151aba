"""The library over HTTP: documents, their versions, redlines, reviews, sign-offs,
acknowledgements, exceptions and citations (`/documents`), and change proposals
(`/proposals`), one module per use case. Reads are scoped as in `policies.queries`
(404, never 403). Importing the modules registers their routes, in this order."""

from __future__ import annotations

from rapport.policies.api import approvals, documents, proposals, reading, versions, work
from rapport.policies.api._common import router

__all__ = ["approvals", "documents", "proposals", "reading", "router", "versions", "work"]
