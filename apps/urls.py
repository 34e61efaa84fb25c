from django.contrib import admin
from django.urls import include, path

from apps.api.site import api
from apps.pages.limits import limit_posts

# The admin's sign-in form counts against the same per-address rate as the site's.
admin.site.login = limit_posts("signin")(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("apps.pages.urls")),
]
