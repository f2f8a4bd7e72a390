"""In-app notices to an organisation, sent by e-mail to its members as well."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction

from .models import Notice


def notify(
    organization,
    title: str,
    body: str = "",
    link: str = "",
    kind: str = Notice.Kind.REVIEW,
    key: str | None = None,
):
    """Create the notice once (a ``key`` already used sends nothing) and e-mail the organisation."""
    if key and Notice.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                organization=organization, kind=kind, title=title[:200], body=body, link=link, key=key
            )
    except IntegrityError:  # the same key from a concurrent request
        return None
    recipients = [
        m.user.email for m in organization.members.select_related("user") if m.user.is_active and m.user.email
    ]
    if recipients:
        url = f"{settings.NEWINFRA_BASE_URL}{link}" if link else settings.NEWINFRA_BASE_URL
        text = (
            f"{body}\n\n{url}\n\n——新基建规划实施与项目管理平台"
            if body
            else f"{url}\n\n——新基建规划实施与项目管理平台"
        )
        sent = send_mass_mail(
            [(f"【新基建平台】{title}", text, None, [r]) for r in recipients], fail_silently=True
        )
        Notice.objects.filter(pk=notice.pk).update(emailed=sent)
    return notice
