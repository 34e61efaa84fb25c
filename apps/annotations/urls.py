from django.urls import path

from . import views

app_name = "annotations"

urlpatterns = [
    path("notes/", views.mine, name="mine"),
    path("notes/<int:pk>/", views.detail, name="detail"),
    path("notes/<int:pk>/edit/", views.edit, name="edit"),
    path("notes/<int:pk>/share/", views.share, name="share"),
    path("notes/<int:pk>/delete/", views.delete, name="delete"),
    path("episodes/<str:video_id>/notes/new/", views.new, name="new"),
]
