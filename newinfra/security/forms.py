"""The sign-in form: says when a user name or address is locked instead of "wrong password"."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from . import signin


class SignInForm(AuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        if seconds := signin.locked_seconds(self.request, username):
            signin.log.warning(
                "sign-in refused while locked: user %r from %s", username, signin.address_of(self.request)
            )
            raise ValidationError(signin.lock_message(seconds), code="locked")
        return super().clean()
