"""Django's database sessions, read with a prepared statement.

Every page a signed-in person opens reads their session first. The statement is
the one `django.contrib.sessions.backends.db` sends, less the expiry condition:
that is checked here in Python against the row, so the statement has no date in
it and is compiled once per connection (`core.prepared`) instead of on every
request. Writing, rotating and deleting sessions are Django's own. With fast
paths off, settings choose Django's own engine instead; should this store be in use
anyway (a test switching them off), it reads as Django's db engine does.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.utils import timezone

from rapport.core import fast
from rapport.core.fast.prepared import Prepared


@Prepared
def _session(_: None, *, key: str) -> QuerySet[Session]:
    return Session.objects.filter(session_key=key)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        if not fast.enabled():
            return super()._get_session_from_db()  # type: ignore[misc]  # not in the stubs
        try:
            key = self.session_key
            found = _session(None, key=key) if key else []
        except SuspiciousOperation as error:
            logger = logging.getLogger(f"django.security.{error.__class__.__name__}")
            logger.warning(str(error))
            found = []
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None
        return None
