"""The page gate: every page's area is checked before its view runs (orgs.permissions.may_open)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .permissions import may_open, refusal, url_key


class AreaMiddleware:
    """Refuses a page the user's role may not open with a 403, before the view (and its 405) runs.

    API endpoints are left to `AreaPermission` in DRF, which alone knows token-authenticated users.
    Anonymous users pass: each view sends them to the login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        key = url_key(match)
        if key is None or key.startswith("api:") or not request.user.is_authenticated:
            return None
        if not may_open(request.user, key, request.method, view_kwargs):
            raise PermissionDenied(refusal(request.user, key, request.method))
        return None
