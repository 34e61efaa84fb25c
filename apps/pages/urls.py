"""Every page of the site. Each area keeps its own URL namespace (`episodes:episode`, …)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from apps.pages.limits import limit_posts
from apps.pages.plain_text import TextConverter
from apps.pages.views import accounts, episodes, exports, notes, search

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
]

note_urls = [
    path("notes/", notes.mine, name="mine"),
    path("notes/<int:pk>/", notes.detail, name="detail"),
    path("notes/<int:pk>/edit/", notes.edit, name="edit"),
    path("notes/<int:pk>/share/", notes.share, name="share"),
    path("notes/<int:pk>/delete/", notes.delete, name="delete"),
    path("claims/<int:pk>/notes/", notes.claim_notes, name="claim_notes"),
    path("episodes/<text:video_id>/notes/new/", notes.new, name="new"),
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
    path("episodes/<text:video_id>/", episodes.episode_detail, name="episode"),
    path("episodes/<text:video_id>/timeline/", episodes.episode_timeline, name="timeline"),
    path("channels/<text:slug>/", episodes.channel_detail, name="channel"),
]

urlpatterns = [
    path("accounts/", include((account_urls, "accounts"))),
    path("", include((note_urls, "annotations"))),
    path("", include((export_urls, "exports"))),
    path("", include((search_urls, "search"))),
    path("", include((episode_urls, "episodes"))),
]
