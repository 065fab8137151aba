"""Form pieces the desk and the portal share: several files in one field, uploads through
the upload action, and domain errors shown as field errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from rapport.core.errors import RapportError
from rapport.directory.models import Person
from rapport.tickets import actions

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files (the recipe of Django's documentation)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Attach at most {MAX_FILES} files at once.")
        limit = settings.RAPPORT_MAX_ATTACHMENT_BYTES
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for f in cleaned:
            if f.size and f.size > limit:
                raise forms.ValidationError(
                    f"{f.name} is larger than {limit // (1024 * 1024)} MiB."
                )
        return cleaned


def upload_all(person: Person, files: list[UploadedFile]) -> list[str]:
    """Store the files through the upload action; their tokens, for a message to claim."""
    tokens = []
    for f in files:
        attachment = actions.upload(
            person,
            stream=f,
            filename=f.name or "attachment",
            size=f.size or 0,
            content_type=f.content_type or "",
        )
        tokens.append(attachment.token.hex)
    return tokens


def add_domain_error(form: forms.Form, error: RapportError, default_field: str | None) -> None:
    """Show an action's refusal beside the field it names (or the form's top)."""
    field = error.field if error.field in form.fields else default_field
    if error.field == "file" and "attachments" in form.fields:
        field = "attachments"
    form.add_error(field, error.detail)


def run_action(form: forms.Form, default_field: str | None, call: Any) -> Any:
    """Run `call()` in a transaction; a domain error becomes a form error (and None)."""
    try:
        with transaction.atomic():
            return call()
    except RapportError as error:
        add_domain_error(form, error, default_field)
        return None
