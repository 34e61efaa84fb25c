"""Who is asking, and how often: the client's address and the rate limits on writes.

`client_address` is the one answer to "which address sent this?": django-axes locks a
username from it (`AXES_CLIENT_IP_CALLABLE`) and the rate limits count by it. Behind
`TRUSTED_PROXY_COUNT` proxies it is the address the outermost proxy saw, read from the right of
X-Forwarded-For; with none it is the connection's own, and X-Forwarded-For, which anyone can
send, is ignored.

`rate_limit_refusal` counts one action of `settings.RATE_LIMITS` for the address and, when
given, the person, in django-ratelimit's fixed windows kept in the cache. The pages and the API
each turn a refusal into their own 429.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass

import redis
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
from ipware.ip import get_client_ip

logger = logging.getLogger(__name__)

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
# One person is usually given a whole IPv6 /64, so it counts as one address.
IPV6_PREFIX = 64
PER_ADDRESS, PER_USER = "address", "user"

# What each action is called in a refusal's message.
ACTIONS = {
    "signup": "accounts created",
    "signin": "sign-in attempts",
    "token": "tokens made",
    "note_write": "notes written, changed or deleted",
    "note_import": "note imports",
    "correction_write": "timestamp corrections",
    "duration_report": "episode lengths reported",
    "account_email": "emails asked for",
    "password_check": "password attempts",
    "episode_add": "episodes added",
    "web_import": "document imports",
}


@dataclass(frozen=True)
class RateLimitRefusal:
    action: str
    retry_after: int  # seconds until the window that is full ends

    @property
    def message(self) -> str:
        wait = f"{self.retry_after} second{'s' if self.retry_after != 1 else ''}"
        return f"Too many {ACTIONS[self.action]} for now. Try again in {wait}."


def client_address(request: HttpRequest) -> str | None:
    """The client's address, trusting X-Forwarded-For only as far as our own proxies wrote it.

    None for a request with no address at all (one made up in code, as the test client's).
    """
    remote_address = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies == 0:
        return remote_address
    # Each trusted proxy appends the address it was reached from; the outermost one's entry,
    # the proxies-th from the right, is the client. Whatever stands left of it, anyone wrote.
    address, _ = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=[FORWARDED_FOR],
        strict=False,
    )
    # No (or too short a) header: the request did not come through the proxies.
    return address or remote_address


def rate_limit_refusal(
    request: HttpRequest,
    action: str,
    *,
    user: AbstractBaseUser | None = None,
    per_address: bool = True,
) -> RateLimitRefusal | None:
    """Count one `action` for the request's address (unless it was counted already) and for
    `user`; a refusal when either is over its rate."""
    rates = settings.RATE_LIMITS.get(action, {})
    keys = {PER_ADDRESS: _address_key(client_address(request))} if per_address else {}
    if user is not None and user.is_authenticated:
        keys[PER_USER] = str(user.pk)
    waits = [
        _seconds_over_rate(request, f"{action}.{who}", rates[who], key)
        for who, key in keys.items()
        if rates.get(who)
    ]
    waits = [wait for wait in waits if wait is not None]
    return RateLimitRefusal(action, max(waits)) if waits else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """django-axes' 429 for a locked username and address, saying when to retry, as ours do."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {"cooloff_timedelta": cool_off}
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def _seconds_over_rate(request: HttpRequest, group: str, rate: str, key: str) -> int | None:
    try:
        usage = get_usage(
            request, group=group, key=lambda _group, _request: key, rate=rate, increment=True
        )
    except redis.RedisError:
        # A shared cache that is down must not take every write down with it: the request
        # goes through uncounted, and the operator is told.
        logger.exception("Rate limit %s not counted: the cache did not answer.", group)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    # The window's last second still counts in it: the next one starts a second after.
    return max(usage["time_left"] + 1, 1)


def _address_key(address: str | None) -> str:
    if address is None:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return str(parsed)
