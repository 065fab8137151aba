"""Quality review pages under /people/quality/."""

from __future__ import annotations

from django.urls import path

from rapport.people import quality_views as views

urlpatterns = [
    path("quality/", views.review_queue, name="review_queue"),
    path("quality/sample", views.draw_sample, name="draw_sample"),
    path("quality/t/<int:number>/", views.review_conversation, name="review_conversation"),
    path("quality/r/<int:pk>/", views.review_detail, name="review"),
    path("quality/r/<int:pk>/acknowledge", views.acknowledge, name="acknowledge_coaching"),
    path("quality/r/<int:pk>/dispute", views.dispute, name="dispute"),
    path("quality/disputes/", views.disputes, name="disputes"),
    path("quality/disputes/<int:pk>/decide", views.decide, name="decide_dispute"),
    path("quality/calibrations/", views.calibrations, name="calibrations"),
    path("quality/calibrations/<int:pk>/", views.calibration, name="calibration"),
    path("quality/calibrations/<int:pk>/close", views.close_calibration,
         name="close_calibration"),
]  # fmt: skip
