"""Who we serve and who serves us: organisations, teams, people and the parties they form."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class PartyKind(models.TextChoices):
    TEAM = "team", "Internal team"
    OWN = "own", "Our organisation"
    CUSTOMER = "customer", "Customer"
    VENDOR = "vendor", "Vendor"
    CONTRACTOR = "contractor", "Contractor"


class Party(models.Model):
    """One side of a service relationship: an organisation or an internal team.

    Tickets and agreements point at parties, so one engine measures customers,
    internal teams and vendors alike. `kind` and `name` mirror the organisation
    or team (kept current by the directory actions) to avoid a join per row.
    """

    kind = models.CharField(max_length=16, choices=PartyKind.choices)
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "parties"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_team(self) -> bool:
        return self.kind == PartyKind.TEAM

    @property
    def is_internal(self) -> bool:
        return self.kind in (PartyKind.TEAM, PartyKind.OWN)

    @property
    def can_provide(self) -> bool:
        return self.kind in (PartyKind.TEAM, PartyKind.VENDOR, PartyKind.CONTRACTOR)


class OrgKind(models.TextChoices):
    OWN = "own", "Our organisation"
    CUSTOMER = "customer", "Customer"
    VENDOR = "vendor", "Vendor"
    CONTRACTOR = "contractor", "Contractor"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=OrgKind.choices)
    email_domain = models.CharField(max_length=200, blank=True)
    # Whether people with an address at `email_domain` may sign up to the portal as its
    # contacts (after proving the address). Off unless an admin turns it on.
    self_signup = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    party = models.OneToOneField(Party, on_delete=models.PROTECT, related_name="organisation")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            # Exactly one organisation is "us": teams belong to it.
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(kind="own"), name="one_own_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """An internal department; it belongs to our own organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200, unique=True)
    email = models.EmailField(blank=True)
    party = models.OneToOneField(Party, on_delete=models.PROTECT, related_name="team")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffRole(models.TextChoices):
    NONE = "", "Not staff"
    AGENT = "agent", "Agent"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"


class Person(AbstractUser):
    """Anyone who signs in or writes to us: staff, client contacts, vendor users.

    One person can be both staff and a client contact (an agent raising a
    request to another team is an internal customer).
    """

    full_name = models.CharField(max_length=200, blank=True)
    staff_role = models.CharField(max_length=16, choices=StaffRole.choices, blank=True)
    # An IANA zone ("Europe/Paris"); pages show times in it. Blank: the site's zone (UTC).
    time_zone = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["full_name", "username"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="person_email_unique_ci"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_staff_member(self) -> bool:
        return bool(self.staff_role)

    @property
    def sees_everything(self) -> bool:
        return self.staff_role in (StaffRole.ADMIN, StaffRole.MANAGER)

    @property
    def is_admin(self) -> bool:
        return self.staff_role == StaffRole.ADMIN


class TeamRole(models.TextChoices):
    AGENT = "agent", "Agent"
    LEAD = "lead", "Lead"


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="team_memberships")
    role = models.CharField(max_length=16, choices=TeamRole.choices, default=TeamRole.AGENT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="team_membership_unique")
        ]


class OrgMembership(models.Model):
    """A contact of a customer, an employee of ours, or a user of a vendor/contractor."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="org_memberships")
    is_admin = models.BooleanField(
        default=False, help_text="Sees every request of the organisation."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="org_membership_unique")
        ]
