from __future__ import annotations

from django.urls import path

from rapport.policies import kb_views

app_name = "kb"

urlpatterns = [
    path("", kb_views.kb, name="home"),
    path("suggest", kb_views.suggest, name="suggest"),
    path("<int:pk>/", kb_views.article, name="article"),
    path("<int:pk>/vote", kb_views.vote, name="vote"),
    path("<int:pk>/propose", kb_views.propose, name="propose"),
]
