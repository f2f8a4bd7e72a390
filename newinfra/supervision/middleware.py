"""Opening the page a notice links to marks that notice read, whichever way the user got there."""

from __future__ import annotations

from .notices import mark_read


class NoticeReadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "GET" and response.status_code == 200:
            user = getattr(request, "user", None)
            m = getattr(user, "membership", None) if getattr(user, "is_authenticated", False) else None
            if m is not None and not request.path.startswith(("/static/", "/api/")):
                mark_read(m.organization_id, request.path)
        return response
