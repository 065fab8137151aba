"""Desk pages of the training half: "My training", the team board, a person's record,
scenarios, candidates and assessments."""

from __future__ import annotations

from django.urls import path

from rapport.people import training_assess_views as assess
from rapport.people import training_views as views

urlpatterns = [
    path("", views.home, name="home"),
    path("training/board", views.board, name="training-board"),
    path("training/people/<int:pk>", views.record, name="training-record"),
    path("training/a/<int:pk>/acknowledge", views.acknowledge, name="training-acknowledge"),
    path("training/a/<int:pk>/attended", views.attended, name="training-attended"),
    path("scenarios/", assess.scenarios, name="scenarios"),
    path("scenarios/new", assess.new_scenario, name="scenario-new"),
    path("scenarios/from-ticket", assess.from_ticket, name="scenario-from-ticket"),
    path("scenarios/<int:pk>", assess.scenario, name="scenario"),
    path("candidates/", assess.candidates, name="candidates"),
    path("candidates/<int:pk>", assess.candidate, name="candidate"),
    path("candidates/<int:pk>/decide", assess.decide, name="candidate-decide"),
    path("assessments/start", assess.start, name="assessment-start"),
    path("assessments/<int:pk>", assess.panel, name="assessment"),
    path("assessments/<int:pk>/run", assess.run, name="assessment-run"),
    path("assessments/<int:pk>/feedback", assess.feedback, name="assessment-feedback"),
]
