from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rapport.accounts import views as accounts
from rapport.api.api import api
from rapport.core import views
from rapport.core.forms import ThrottledAuthenticationForm
from rapport.mail import outbox_views
from rapport.mail.account_mail import OutboxPasswordResetForm
from rapport.portal import signup

urlpatterns = [
    path("", accounts.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        accounts.SignInView.as_view(
            authentication_form=ThrottledAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("account/", accounts.account, name="account"),
    # The ticket link in notification mail, for staff and clients alike.
    path("tickets/<int:number>", accounts.ticket_link, name="ticket-link"),
    path("accounts/signup/", signup.signup, name="signup"),
    path("accounts/signup/sent", signup.signup_sent, name="signup-sent"),
    path("accounts/signup/<str:token>/", signup.signup_verify, name="signup-verify"),
    path("settings/signup/", accounts.signup_settings, name="signup-settings"),
    path("account/time-zone", accounts.set_time_zone, name="account-time-zone"),
    path("account/password", accounts.change_password, name="account-password"),
    # Password reset by e-mail: Django's own views, with our templates and the outbox.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            form_class=OutboxPasswordResetForm,
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("desk/", include("rapport.desk.urls")),
    path("notifications/", include("rapport.notifications.urls")),
    path("portal/", include("rapport.portal.urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/new", accounts.token_create, name="token-create"),
    path("tokens/<int:token_id>/revoke", accounts.token_revoke, name="token-revoke"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("settings/", include("rapport.desk.setup.urls")),
    path("settings/sla/", include("rapport.sla.urls")),
    path("settings/outbox/", outbox_views.outbox_list, name="outbox"),
    path("settings/outbox/<int:outbound_id>", outbox_views.outbox_message, name="outbox-message"),
    path("settings/mail/", include("rapport.mail.urls")),
    path("chain/", include("rapport.chain.urls")),
    path("surveys/", include("rapport.surveys.urls")),
    path("scorecards/", include("rapport.scorecards.urls")),
    path("policies/", include("rapport.policies.urls")),
    path("people/", include("rapport.people.urls")),
    path("kb/", include("rapport.policies.kb_urls")),
]
