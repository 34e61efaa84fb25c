from django.urls import path

from . import views

app_name = "episodes"

urlpatterns = [
    path("", views.episode_list, name="episode_list"),
    path("episodes/<str:video_id>/", views.episode_detail, name="episode"),
    path("episodes/<str:video_id>/timeline/", views.episode_timeline, name="timeline"),
    path("channels/<str:slug>/", views.channel_detail, name="channel"),
]
