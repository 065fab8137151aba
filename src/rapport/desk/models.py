"""The desk's own data: an agent's saved views of a queue."""

from __future__ import annotations

from django.db import models

from rapport.directory.models import Party, Person


class SavedView(models.Model):
    """A queue with filters and a sort, saved under a name by one agent."""

    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=80)
    queue = models.CharField(max_length=20)
    # The filter form's query string (status=…&priority=…&sort=…), validated again on use.
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from rapport.desk.views import view_url

        return view_url(self.queue, self.query, self.pk)


class ClientNote(models.Model):
    """Something staff should know about a client (an organisation or team they
    serve) or a person: written by staff for staff, never shown to clients or vendors."""

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["party", "created_at"], name="client_note_party"),
            models.Index(fields=["person", "created_at"], name="client_note_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(party__isnull=False) | models.Q(person__isnull=False),
                name="client_note_about_someone",
            )
        ]

    def __str__(self) -> str:
        return f"Note by {self.author_id} on {self.created_at:%Y-%m-%d}"
