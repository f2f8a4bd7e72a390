"""Failed sign-ins, counted per user name and per address, for the growing lockout."""

from __future__ import annotations

from django.db import models


class SignInThrottle(models.Model):
    """Failures in a row for one key (``user:<name>`` or ``addr:<address>``) and when the lock ends."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
