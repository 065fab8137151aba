"""Secrets of mailboxes (IMAP passwords) encrypted at rest with Fernet.

The key is derived from SECRET_KEY, so a database dump alone does not reveal
the passwords; rotating SECRET_KEY means entering them again.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

_CONTEXT = b"rapport.mail.credentials.v1"


def _fernet() -> Fernet:
    digest = hashlib.sha256(_CONTEXT + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def decrypt(token: str) -> str:
    """The secret; raises ValueError when it was encrypted under another SECRET_KEY."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("The stored password cannot be read: was SECRET_KEY changed?")
