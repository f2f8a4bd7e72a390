"""Response headers for every page, API answer and export: no caching of what a user may see, a CSP.

Static files are answered by WhiteNoise before this middleware and keep their long cache lifetime.
The Content-Security-Policy allows scripts, styles, images and fonts from the platform itself only
(every asset is local); ECharts draws on canvas and sets styles through the DOM, which the policy
allows. ``NEWINFRA_CSP`` replaces the policy (an empty value turns it off).
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The admin and the API's Swagger page come with inline scripts and styles of their own.
RELAXED_CSP = DEFAULT_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
RELAXED_PATHS = ("/api/docs/", "/admin/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = getattr(settings, "NEWINFRA_CSP", DEFAULT_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        # Nothing a signed-in user receives (pages, API answers, exports) is kept by a browser or proxy.
        response["Cache-Control"] = "no-store"
        response.setdefault("Pragma", "no-cache")
        if self.csp:
            relaxed = self.csp == DEFAULT_CSP and request.path.startswith(RELAXED_PATHS)
            response.setdefault("Content-Security-Policy", RELAXED_CSP if relaxed else self.csp)
        return response
