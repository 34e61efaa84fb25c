from django.contrib import admin
from django.urls import include, path

from apps.api.site import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("apps.pages.urls")),
]
