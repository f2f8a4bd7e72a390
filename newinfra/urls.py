from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from newinfra.security.forms import SignInForm

admin.site.site_header = "新基建规划实施与项目管理平台 · 管理"
admin.site.site_title = "newinfra 管理"

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}web/favicon.svg")),
    path("login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("newinfra.api.urls")),
    path("projects/", include("newinfra.projects.urls")),
    path("map/", include("newinfra.geo.urls")),
    path("evaluations/", include("newinfra.evaluation.urls")),
    path("", include("newinfra.plans.urls")),
    path("", include("newinfra.orgs.urls")),
    path("", include("newinfra.indicators.urls")),
    path("", include("newinfra.supervision.urls")),
    path("", include("newinfra.web.urls")),
]

# Chinese error pages in the site's frame, with a way back (web/views.py).
handler403 = "newinfra.web.views.forbidden"
handler404 = "newinfra.web.views.not_found"
handler500 = "newinfra.web.views.server_error"
