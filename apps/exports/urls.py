from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("episodes/<str:video_id>/chapters.vtt", views.chapters_vtt, name="chapters_vtt"),
    path("episodes/<str:video_id>/chapters.json", views.chapters_json, name="chapters_json"),
    path("episodes/<str:video_id>/notes.md", views.notes_markdown, name="notes_markdown"),
    path("notes/export.jsonld", views.notes_export, name="notes_export"),
    path("notes/import/", views.notes_import, name="notes_import"),
]
