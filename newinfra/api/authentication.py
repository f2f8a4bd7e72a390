"""API token authentication with an expiry (kept apart from the views: DRF imports it from settings)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def lifetime() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "NEWINFRA_TOKEN_DAYS", 30)))


def expired(token) -> bool:
    return token.created < timezone.now() - lifetime()


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if expired(token):
            raise AuthenticationFailed("令牌已过期，请重新获取（Token expired: request a new one）。")
        return user, token
