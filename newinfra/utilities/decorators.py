"""Access decorators for page views. The rules themselves live in the apps' permissions modules
(``orgs.permissions.member_required`` is built from ``requires``); this module only wraps a view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def requires(check: Callable[[object], bool], message: str):
    """A decorator: signed in, then ``check(user)`` or 403 with ``message`` (Chinese, shown to the user)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
