"""Where a form sends the reader back to: the `next` it was given, when that is this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest) -> str:
    """`next` from the form or the query when it points at this site, else "".

    Anything else (another host, a `javascript:` URL, http from an https page) would make the
    site an open redirect, so it is dropped rather than followed.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""
