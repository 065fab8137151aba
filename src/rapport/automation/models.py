"""Rules that act on tickets (triggers on events, automations on time), macros the
agents apply from the reply box, and webhooks that tell other systems what happened.

Conditions and actions are stored as JSON lists (see `rapport.automation.conditions`
and `rapport.automation.actions.apply`): one table holds every rule whatever it tests,
as Zendesk and Zammad do, and a rule is validated as a whole when it is saved.
"""

from __future__ import annotations

from django.db import models

from rapport.directory.models import Person, Team
from rapport.policies.models import Document
from rapport.tickets.models import Event, Ticket


class RuleKind(models.TextChoices):
    TRIGGER = "trigger", "Trigger"
    AUTOMATION = "automation", "Automation"


class Rule(models.Model):
    """A trigger (checked on every event of the kinds its conditions name) or a
    time-based automation (checked by the periodic sweep)."""

    kind = models.CharField(max_length=12, choices=RuleKind.choices)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    # {"all": [condition, …], "any": [condition, …]}; a condition is
    # {"field": …, "op": …, "value": …}.
    conditions = models.JSONField(default=dict)
    # [{"type": …, "value": …}, …] in the order they run.
    actions = models.JSONField(default=list)
    # Loop guard: at most this many firings on one ticket within an hour.
    max_per_hour = models.PositiveSmallIntegerField(default=3)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    hit_count = models.PositiveIntegerField(default=0)
    last_run_at = models.DateTimeField(null=True, blank=True)
    # Automations: when the sweep next takes this rule (claimed by a conditional UPDATE).
    next_run_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "position", "id"]
        indexes = [
            models.Index(fields=["kind", "is_active", "position"], name="rule_active"),
            models.Index(fields=["next_run_at"], name="rule_next_run"),
        ]

    def __str__(self) -> str:
        return self.name


class Firing(models.Model):
    """One time a rule matched a ticket: applied, or held back by the loop guard.

    Unique per (rule, event) for triggers, so a replayed reaction fires once; an
    automation's firings have no event.
    """

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="firings")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+",
                               db_index=False)  # fmt: skip
    event = models.ForeignKey(Event, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+", db_constraint=False)  # fmt: skip
    applied = models.BooleanField(default=True)
    summary = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "event"], name="firing_once_per_event",
                condition=models.Q(event__isnull=False),
            )
        ]  # fmt: skip
        indexes = [models.Index(fields=["ticket", "rule", "created_at"], name="firing_guard")]


class Visibility(models.TextChoices):
    PERSONAL = "personal", "Only me"
    TEAM = "team", "My team"
    EVERYONE = "everyone", "Everyone"


class Macro(models.Model):
    """A canned reply with placeholders and field actions, applied from the reply box."""

    title = models.CharField(max_length=120)
    shortcut = models.SlugField(max_length=40, blank=True)
    body = models.TextField(blank=True)
    actions = models.JSONField(default=list, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices,
                                  default=Visibility.EVERYONE)  # fmt: skip
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")  # fmt: skip
    # The procedure the macro implements, and the version it was written against: a
    # retired document or a newer published version flags the macro for review.
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")  # fmt: skip
    document_version = models.PositiveIntegerField(null=True, blank=True)
    usage_count = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Webhook(models.Model):
    """A subscription: events of these kinds are POSTed, signed, to `url`."""

    name = models.CharField(max_length=120)
    url = models.URLField(max_length=500)
    # Needed in clear to sign (HMAC); never shown or logged after it is set.
    secret = models.CharField(max_length=200)
    kinds = models.JSONField(default=list)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One event sent (or to be sent) to one webhook, with how each attempt went."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+",
                              db_constraint=False)  # fmt: skip
    payload = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)  # fmt: skip
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["webhook", "event"], name="delivery_once")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]
