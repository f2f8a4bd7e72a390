"""API tokens that expire (``NEWINFRA_TOKEN_DAYS``, default 30) and that their owner can revoke.

``POST /api/auth/token/`` with a user name and password gives the caller's token (a new one when the
old one has expired); ``DELETE /api/auth/token/`` with ``Authorization: Token …`` revokes it.
Sign-in protection applies: a locked user name or address gets 429.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from newinfra.security import signin

from .authentication import ExpiringTokenAuthentication, expired, lifetime


@extend_schema(
    methods=["POST"],
    request=inline_serializer(
        "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
    ),
    responses=inline_serializer(
        "TokenResponse", {"token": serializers.CharField(), "expires": serializers.DateTimeField()}
    ),
)
@extend_schema(methods=["DELETE"], request=None, responses={204: None})
@api_view(["POST", "DELETE"])
@authentication_classes([ExpiringTokenAuthentication])
@permission_classes([AllowAny])
def obtain_token(request):
    """POST: exchange a user name and password for an API token (send it as ``Authorization: Token …``);
    DELETE: revoke the token the request is made with."""
    if request.method == "DELETE":
        if not isinstance(request.auth, Token):
            raise AuthenticationFailed("请用要撤销的令牌调用（Authorization: Token …）。")
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
    username = str(request.data.get("username") or "")
    if seconds := signin.locked_seconds(request, username):
        signin.log.warning(
            "API sign-in refused while locked: user %r from %s", username, signin.address_of(request)
        )
        return Response(
            {"detail": signin.lock_message(seconds)},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(seconds)},
        )
    user = authenticate(request, username=username, password=str(request.data.get("password") or ""))
    if user is None or not user.is_active:
        return Response({"detail": "用户名或密码错误。"}, status=status.HTTP_400_BAD_REQUEST)
    with transaction.atomic():
        token, _ = Token.objects.get_or_create(user=user)
        if expired(token):
            token.delete()
            token = Token.objects.create(user=user)
    signin.record_success(request, user.get_username())
    return Response({"token": token.key, "expires": token.created + lifetime()})
