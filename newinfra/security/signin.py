"""Sign-in protection: after repeated failures a user name or an address is locked for a growing time.

Failures are counted per user name (``NEWINFRA_SIGNIN_USER_LIMIT``, default 5) and per address
(``NEWINFRA_SIGNIN_ADDRESS_LIMIT``, default 20, higher because offices share one address). Each
failure beyond the limit locks the key for twice as long as the last time (1 minute, 2, 4 … at most
``NEWINFRA_SIGNIN_MAX_LOCK`` seconds, default one hour); attempts during a lock are refused without
checking the password and do not count. A success clears the user name's count; an address's
count fades after ``NEWINFRA_SIGNIN_WINDOW`` seconds (default 15 minutes) without failures.

The check sits in the authentication backend, so every way in (the sign-in page, the admin, the
API token) is covered; every failure and every lock is logged to ``newinfra.security``.
"""

from __future__ import annotations

import datetime as dt
import logging
import math

from django.conf import settings
from django.contrib.auth import get_user_model, signals
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import SignInThrottle

log = logging.getLogger("newinfra.security")


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def address_of(request) -> str:
    """The address a sign-in came from. Behind nginx every request comes from the proxy, so that
    one attacker would lock the whole city out: when the direct peer is one of
    ``NEWINFRA_TRUSTED_PROXIES``, the address is the last one in ``X-Forwarded-For`` that is not a
    trusted proxy (earlier entries are whatever the client wrote, and are not believed)."""
    if request is None:
        return ""
    peer = (request.META.get("REMOTE_ADDR") or "").strip()
    trusted = set(getattr(settings, "NEWINFRA_TRUSTED_PROXIES", ()))
    if peer not in trusted:
        return peer
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop[:64]
    return peer


def _keys(request, username) -> list[tuple[str, int]]:
    keys = []
    if username:
        keys.append(
            (f"user:{str(username).strip().lower()[:150]}", _setting("NEWINFRA_SIGNIN_USER_LIMIT", 5))
        )
    if addr := address_of(request):
        keys.append((f"addr:{addr}", _setting("NEWINFRA_SIGNIN_ADDRESS_LIMIT", 20)))
    return keys


def locked_seconds(request, username) -> int:
    """Seconds until ``username`` may try again from this request's address (0: not locked)."""
    now = timezone.now()
    keys = [k for k, _ in _keys(request, username)]
    until = SignInThrottle.objects.filter(key__in=keys, locked_until__gt=now).values_list(
        "locked_until", flat=True
    )
    return max((math.ceil((u - now).total_seconds()) for u in until), default=0)


def lock_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"登录失败次数过多，已暂时锁定，请{minutes}分钟后再试。"


def record_failure(request, username) -> None:
    now = timezone.now()
    window = dt.timedelta(seconds=_setting("NEWINFRA_SIGNIN_WINDOW", 900))
    max_lock = _setting("NEWINFRA_SIGNIN_MAX_LOCK", 3600)
    who = f"user {str(username or '')[:150]!r} from {address_of(request) or '-'}"
    if locked_seconds(request, username):
        log.warning("sign-in refused while locked: %s", who)
        return
    for key, limit in _keys(request, username):
        with transaction.atomic():
            row = SignInThrottle.objects.select_for_update().filter(key=key).first()
            if row is None:
                row = SignInThrottle(key=key, failures=0, last_failure=now)
            elif now - row.last_failure > window:
                row.failures = 0
            row.failures += 1
            row.last_failure = now
            if row.failures >= limit:
                seconds = min(max_lock, 60 * 2 ** (row.failures - limit))
                row.locked_until = now + dt.timedelta(seconds=seconds)
                log.warning("sign-in locked: %s after %d failures, for %d s", key, row.failures, seconds)
            row.save()
    log.warning("sign-in failed: %s", who)


def record_success(request, username) -> None:
    SignInThrottle.objects.filter(key=f"user:{str(username).strip().lower()[:150]}").update(
        failures=0, locked_until=None
    )


class ThrottledModelBackend(ModelBackend):
    """Django's user/password check, refused while the user name or the address is locked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if locked_seconds(request, username):
            raise PermissionDenied("sign-in locked")
        return super().authenticate(request, username=username, password=password, **kwargs)


def _failed(sender, credentials, request=None, **kwargs):
    record_failure(request, credentials.get("username"))


def _succeeded(sender, request, user, **kwargs):
    record_success(request, user.get_username())


def connect_signals() -> None:
    signals.user_login_failed.connect(_failed, dispatch_uid="newinfra-signin-failed")
    signals.user_logged_in.connect(_succeeded, dispatch_uid="newinfra-signin-succeeded")
