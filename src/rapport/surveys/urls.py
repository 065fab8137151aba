from __future__ import annotations

from django.urls import path

from rapport.surveys import views

app_name = "surveys"

urlpatterns = [
    path("s/<str:token>/", views.survey_page, name="survey"),
    path("s/<str:token>/<str:metric>/<int:value>", views.rate, name="rate"),
    path("request/<int:number>/", views.mine, name="mine"),
    path("settings/<int:agreement_id>/", views.settings_page, name="settings"),
]
