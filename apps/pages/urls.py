"""Every page of the site. Each area keeps its own URL namespace (`episodes:episode`, …)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter, reverse_lazy

from apps.accounts.emails import VerifiedEmailPasswordResetForm
from apps.pages.limits import limit_posts
from apps.pages.plain_text import TextConverter
from apps.pages.views import (
    accounts,
    adding,
    corrections,
    episodes,
    exports,
    health,
    marks,
    notes,
    search,
)

# Video ids and slugs as `<text:…>`: any text but "/" and NUL (which PostgreSQL refuses).
register_converter(TextConverter, "text")

account_urls = [
    path("signup/", accounts.signup, name="signup"),
    path(
        "login/",
        limit_posts("signin")(
            auth_views.LoginView.as_view(
                template_name="accounts/login.html", redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    # Django's LogoutView accepts POST only: a link or an image cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", accounts.tokens, name="tokens"),
    path("tokens/revoke/", accounts.token_revoke, name="token_revoke"),
    path("", accounts.account, name="account"),
    path("email/", accounts.email_update, name="email"),
    path("email/verify/", accounts.email_verification_resend, name="email_verify_again"),
    path("email/verify/<str:token>/", accounts.email_verification, name="email_verify"),
    path("sign-out-everywhere/", accounts.sessions_end, name="sign_out_everywhere"),
    path("data.zip", accounts.data_download, name="data_download"),
    path("delete/", accounts.account_deletion, name="delete"),
    path(
        "password_change/",
        limit_posts("password_check")(accounts.PasswordChange.as_view()),
        name="password_change",
    ),
    # Password reset: Django's views and token generator. The same answer whether or not an
    # account has the address; mail only to verified addresses; the link lasts
    # PASSWORD_RESET_TIMEOUT and ends when the password changes.
    path(
        "password_reset/",
        limit_posts("account_email")(
            auth_views.PasswordResetView.as_view(
                form_class=VerifiedEmailPasswordResetForm,
                template_name="accounts/password_reset.html",
                email_template_name="accounts/password_reset_email.txt",
                subject_template_name="accounts/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password_reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

note_urls = [
    path("notes/", notes.mine, name="mine"),
    path("notes/<int:pk>/", notes.detail, name="detail"),
    path("notes/<int:pk>/edit/", notes.edit, name="edit"),
    path("notes/<int:pk>/share/", notes.share, name="share"),
    path("notes/<int:pk>/delete/", notes.delete, name="delete"),
    path("notes/<int:pk>/reply/", notes.reply, name="reply"),
    path("claims/<int:pk>/notes/", notes.claim_notes, name="claim_notes"),
    path("episodes/<text:video_id>/notes/new/", notes.new, name="new"),
    path("episodes/<text:video_id>/mark/", marks.mark, name="mark"),
]

export_urls = [
    path("episodes/<text:video_id>/chapters.vtt", exports.chapters_vtt, name="chapters_vtt"),
    path("episodes/<text:video_id>/chapters.json", exports.chapters_json, name="chapters_json"),
    path("episodes/<text:video_id>/notes.md", exports.notes_markdown, name="notes_markdown"),
    path("notes/export.jsonld", exports.notes_export, name="notes_export"),
    path("notes/import/", exports.notes_import, name="notes_import"),
]

search_urls = [
    path("search/", search.search_page, name="search"),
]

episode_urls = [
    path("", episodes.episode_list, name="episode_list"),
    # Before the episode page, whose <text:video_id> would take "new" too.
    path("episodes/new/", adding.episode_new, name="new"),
    path("episodes/<text:video_id>/", episodes.episode_detail, name="episode"),
    path("episodes/<text:video_id>/timeline/", episodes.episode_timeline, name="timeline"),
    path("channels/<text:slug>/", episodes.channel_detail, name="channel"),
    path("claims/<int:pk>/timestamps/", corrections.claim_timestamps, name="claim_timestamps"),
    path(
        "corrections/<int:pk>/apply/",
        corrections.correction_decide,
        {"action": "apply"},
        name="correction_apply",
    ),
    path(
        "corrections/<int:pk>/revert/",
        corrections.correction_decide,
        {"action": "revert"},
        name="correction_revert",
    ),
    path("review/timestamps/", corrections.review_timestamps, name="review_timestamps"),
]

import_urls = [
    path("imports/", adding.import_new, name="new"),
    path("imports/<int:pk>/", adding.import_detail, name="detail"),
]

urlpatterns = [
    path("health/", health.health, name="health"),
    path("", include((import_urls, "imports"))),
    path("accounts/", include((account_urls, "accounts"))),
    path("", include((note_urls, "annotations"))),
    path("", include((export_urls, "exports"))),
    path("", include((search_urls, "search"))),
    path("", include((episode_urls, "episodes"))),
]
