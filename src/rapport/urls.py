from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rapport.accounts import views as accounts
from rapport.api.api import api
from rapport.core import views
from rapport.core.forms import ThrottledAuthenticationForm

urlpatterns = [
    path("", accounts.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=ThrottledAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("account/", accounts.account, name="account"),
    path("desk/", include("rapport.desk.urls")),
    path("portal/", include("rapport.portal.urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/new", accounts.token_create, name="token-create"),
    path("tokens/<int:token_id>/revoke", accounts.token_revoke, name="token-revoke"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("settings/sla/", include("rapport.sla.urls")),
    path("settings/mail/", include("rapport.mail.urls")),
    path("chain/", include("rapport.chain.urls")),
    path("surveys/", include("rapport.surveys.urls")),
    path("scorecards/", include("rapport.scorecards.urls")),
    path("policies/", include("rapport.policies.urls")),
    path("kb/", include("rapport.policies.kb_urls")),
]
