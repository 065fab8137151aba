"""Role-play scenarios, hiring and training assessments, and training assignments.

- A **scenario** is a scripted customer (persona, temperament, the lines in order with
  branches the assessor picks) scored against its own rubric: the three built-in hiring
  dimensions plus the scenario's own.
- An **assessment** is one run of a scenario with a candidate (hiring) or a staff
  member (training), scored by a panel; scores stay blind until every assessor has
  submitted.
- An **assignment** is one piece of training owed by one person, whatever caused it
  (onboarding, a must-read version, a corrective action, a quality review,
  recertification): one engine, and `trigger_key` makes each cause assign once.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from rapport.directory.models import Person, Team
from rapport.people.models.rubrics import Rubric, RubricCategory
from rapport.policies.models import Document, ReadTask
from rapport.tickets.models import Ticket


class Temperament(models.TextChoices):
    """The four classic temperament "colours", named for what a trainer teaches to spot."""

    RED = "red", "Direct: wants results, fast and to the point"
    YELLOW = "yellow", "Expressive: wants to be heard and liked"
    GREEN = "green", "Steady: wants reassurance, patience and no surprises"
    BLUE = "blue", "Analytical: wants facts, details and accuracy"


class ScenarioChannel(models.TextChoices):
    PHONE = "phone", "Phone"
    CHAT = "chat", "Chat"
    EMAIL = "email", "E-mail"
    COUNTER = "counter", "Counter"


class Scenario(models.Model):
    title = models.CharField(max_length=200)
    channel = models.CharField(max_length=8, choices=ScenarioChannel.choices)
    persona_name = models.CharField(max_length=120)
    persona_situation = models.TextField()
    persona_wants = models.TextField()
    temperament = models.CharField(max_length=8, choices=Temperament.choices)
    # The built-in hiring dimensions plus the scenario's own (one rubric per scenario).
    rubric = models.OneToOneField(Rubric, on_delete=models.PROTECT, related_name="scenario")
    documents = models.ManyToManyField(Document, blank=True, related_name="+")
    # A solved ticket the script was drawn from; only admins see which.
    source_ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The scenario a second attempt uses after feedback on this one.
    related = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class ScenarioStep(models.Model):
    """One customer line of the script, what the candidate should do, and the branches
    (`[{"when": what the candidate did, "line": the customer's answer}]`) the assessor
    may pick instead of the main line that follows."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    line = models.TextField()
    expected = models.TextField(blank=True)
    branches = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["scenario", "position", "id"]


class Stage(models.TextChoices):
    APPLIED = "applied", "Applied"
    EXAM = "exam", "Exam taken"
    ROLE_PLAY = "role_play", "Role play"
    SECOND = "second", "Second attempt"
    DECIDED = "decided", "Decided"


class Candidate(models.Model):
    """Someone applying for a job: not staff and never signs in."""

    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.APPLIED)
    notes = models.TextField(blank=True)
    # The staff account made on hire, so the first 90 days can be compared.
    hired_as = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.full_name


class Outcome(models.TextChoices):
    HIRE = "hire", "Hire"
    NO_HIRE = "no_hire", "No hire"
    SECOND_INTERVIEW = "second_interview", "Second interview"


class Decision(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reasons = models.TextField()
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]


class AssessmentStatus(models.TextChoices):
    SCORING = "scoring", "Scoring"
    REVEALED = "revealed", "Revealed"


class Assessment(models.Model):
    purpose = models.CharField(max_length=16)  # Purpose.HIRING or Purpose.TRAINING
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="assessments")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="assessments"
    )
    trainee = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    attempt = models.PositiveSmallIntegerField(default=1)
    # A second attempt follows a first one, after written feedback on it.
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    feedback = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.SCORING
    )
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(candidate__isnull=True) | Q(trainee__isnull=True),
                name="assessment_one_subject",
            )
        ]
        indexes = [models.Index(fields=["trainee", "created_at"], name="assessment_trainee")]


class PanelSeat(models.Model):
    """One assessor of an assessment; `submitted_at` set when their scores are final."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="seats")
    assessor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "assessor"], name="panel_seat_unique")
        ]


class Score(models.Model):
    seat = models.ForeignKey(PanelSeat, on_delete=models.CASCADE, related_name="scores")
    category = models.ForeignKey(RubricCategory, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["seat", "category__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["seat", "category"], name="score_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="score_level_1_5"),
        ]


class Exam(models.Model):
    """A pre-hire exam of scenario questions, each option scored 0–10."""

    title = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]


class ExamQuestion(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    # [{"text": "...", "score": 0–10}, …]
    options = models.JSONField()

    class Meta:
        ordering = ["exam", "position", "id"]


class ExamAttempt(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="exams")
    answers = models.JSONField()
    # Points won over points possible, 0–100.
    score = models.FloatField()
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["-taken_at", "-id"]


class PlanKind(models.TextChoices):
    ONBOARDING = "onboarding", "Onboarding"
    RECURRING = "recurring", "Recurring"


class TrainingPlan(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=PlanKind.choices)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A completion older than this many days is due again (null: never).
    recertify_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # The mean level (1–5) a practised scenario must reach to count as passed.
    pass_mark = models.FloatField(default=3.0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["team", "kind"], name="training_plan_team")]

    def __str__(self) -> str:
        return self.name


class ItemKind(models.TextChoices):
    DOCUMENT = "document", "Read and pass a document"
    SCENARIO = "scenario", "Practise a scenario"
    SESSION = "session", "Attend a session"


class PlanItem(models.Model):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    title = models.CharField(max_length=200)
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Due this many days after the start date (onboarding) or the assignment.
    due_days = models.PositiveSmallIntegerField(default=14)

    class Meta:
        ordering = ["plan", "position", "id"]


class Trigger(models.TextChoices):
    ONBOARDING = "onboarding", "Onboarding"
    PLAN = "plan", "Assigned plan"
    MUST_READ = "must_read", "Must-read document"
    CORRECTIVE = "corrective", "Corrective action"
    QUALITY = "quality", "Quality review"
    RECERTIFICATION = "recertification", "Recertification"


class Evidence(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", "Read and acknowledged"
    SCORE = "score", "Scenario score at or above the pass mark"
    ATTENDED = "attended", "Attended (ticked by the lead)"


class Assignment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    # What caused it, unique per person: the same cause never assigns twice.
    trigger_key = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    title = models.CharField(max_length=200)
    plan = models.ForeignKey(
        TrainingPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(
        PlanItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scenario = models.ForeignKey(
        Scenario, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A must-read assignment stands for the policies app's read task: done when it is.
    read_task = models.OneToOneField(
        ReadTask, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    pass_mark = models.FloatField(default=3.0)
    recertify_days = models.PositiveSmallIntegerField(null=True, blank=True)
    assigned_at = models.DateTimeField()
    due_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    evidence = models.CharField(max_length=16, choices=Evidence.choices, blank=True)
    evidence_note = models.CharField(max_length=500, blank=True)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    # When recertification assigned it again (a completion is renewed once).
    renewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "trigger_key"], name="assignment_once")
        ]
        indexes = [
            models.Index(fields=["person", "due_at"], name="assignment_person"),
            models.Index(
                fields=["due_at"], name="assignment_open", condition=Q(completed_at__isnull=True)
            ),
            models.Index(
                fields=["completed_at"],
                name="assignment_recertify",
                condition=Q(recertify_days__isnull=False, renewed_at__isnull=True),
            ),
        ]

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None
