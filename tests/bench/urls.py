"""The product's URLs plus `/bench/trivial`, the framework's floor for the page figures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from apps.urls import urlpatterns as product_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    # Through the same middleware as every page, but no database, template or serialisation.
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *product_urlpatterns]
