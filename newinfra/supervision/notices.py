"""Notices: the in-app inbox of an organisation, the e-mail to its members, and a chat robot.

One event makes one notice per organisation (``key`` makes it idempotent). After the transaction
that made it commits (a rolled-back action tells nobody anything):
- members who chose 每条通知发邮件 (the default) get one e-mail each; those who chose
  每日汇总 get the day's notices in one e-mail from ``send_digests`` (``newinfra notice-digest``);
- when ``NEWINFRA_NOTICE_WEBHOOK`` is set, the same text goes to that robot (政务微信, 钉钉 and
  粤政易 group robots all take ``{"msgtype": "text", "text": {"content": ...}}``).
A notice is read when its organisation opens the page it links to (``mark_read``).
"""

from __future__ import annotations

import json
import logging
import urllib.request

from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Notice, NoticeSetting

log = logging.getLogger(__name__)
SIGNATURE = "——新基建规划实施与项目管理平台"


def notify(
    organization,
    title: str,
    body: str = "",
    link: str = "",
    kind: str = Notice.Kind.REVIEW,
    key: str | None = None,
):
    """Create the notice once (a ``key`` already used sends nothing); deliver it after commit."""
    if organization is None:
        return None
    if key and Notice.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                organization=organization, kind=kind, title=title[:200], body=body, link=link, key=key
            )
    except IntegrityError:  # the same key from a concurrent request
        return None
    transaction.on_commit(lambda: deliver(notice))
    return notice


def notify_many(organizations, title: str, body: str = "", link: str = "", kind=Notice.Kind.REVIEW, key=""):
    """The same event told to several organisations, one notice each (``key`` gets ``:org``)."""
    seen, out = set(), []
    for org in organizations:
        if org is None or org.pk in seen:
            continue
        seen.add(org.pk)
        n = notify(org, title, body, link, kind, key=f"{key}:{org.pk}" if key else None)
        if n:
            out.append(n)
    return out


def office_organizations():
    """Where the programme office (统筹办) sits: notices for the office go there."""
    from newinfra.orgs.models import Organization, Role

    return list(Organization.objects.filter(members__role=Role.OFFICE).distinct())


def notify_office(title: str, body: str = "", link: str = "", kind=Notice.Kind.REVIEW, key: str = ""):
    return notify_many(office_organizations(), title, body, link, kind, key)


def mark_read(organization_id: int, path: str) -> int:
    """The organisation opened ``path``: its unread notices that link there are read now."""
    if not organization_id or not path:
        return 0
    return Notice.objects.filter(organization_id=organization_id, link=path, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- delivery -------------------------------------------------------------------------------------


def _url(link: str) -> str:
    return f"{settings.NEWINFRA_BASE_URL}{link}" if link else settings.NEWINFRA_BASE_URL


def text_of(notice: Notice) -> str:
    """The plain text every channel sends: title, body, link."""
    parts = [f"【新基建平台】{notice.title}"]
    if notice.body:
        parts.append(notice.body)
    parts.append(_url(notice.link))
    return "\n".join(parts)


def _members(organization, mode: str):
    """Active members of the organisation with an e-mail address whose choice is ``mode``."""
    out = []
    for m in organization.members.select_related("user", "user__notice_setting"):
        u = m.user
        if not (u.is_active and u.email):
            continue
        choice = getattr(getattr(u, "notice_setting", None), "email", NoticeSetting.Email.EACH)
        if choice == mode:
            out.append(u)
    return out


def deliver(notice: Notice) -> None:
    """E-mail the members who want each notice, and post to the robot when one is set."""
    recipients = [u.email for u in _members(notice.organization, NoticeSetting.Email.EACH)]
    if recipients:
        body = (
            f"{notice.body}\n\n{_url(notice.link)}\n\n{SIGNATURE}"
            if notice.body
            else (f"{_url(notice.link)}\n\n{SIGNATURE}")
        )
        sent = send_mass_mail(
            [(f"【新基建平台】{notice.title}", body, None, [r]) for r in recipients], fail_silently=True
        )
        Notice.objects.filter(pk=notice.pk).update(emailed=F("emailed") + sent)
    post_webhook(f"{text_of(notice)}\n（{notice.organization.name}）")


def post_webhook(text: str, url: str | None = None) -> bool:
    """Post ``text`` to the configured group robot; a failure is logged, never raised."""
    url = url if url is not None else getattr(settings, "NEWINFRA_NOTICE_WEBHOOK", "")
    if not url:
        return False
    data = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            reply = response.read(2000)
    except OSError as exc:
        log.warning("notice webhook %s failed: %s", url, exc)
        return False
    try:  # the robots answer HTTP 200 with {"errcode": N} when they refuse a message
        errcode = json.loads(reply or b"{}").get("errcode", 0)
    except ValueError:
        errcode = 0
    if errcode:
        log.warning("notice webhook %s refused the message: %s", url, reply[:200])
        return False
    return True


def send_digests(now=None) -> int:
    """One e-mail per user who chose the daily digest, listing the notices since the last one."""
    now = now or timezone.now()
    sent = 0
    settings_ = NoticeSetting.objects.filter(
        email=NoticeSetting.Email.DIGEST, user__is_active=True, user__membership__isnull=False
    ).select_related("user", "user__membership")
    for s in settings_:
        if not s.user.email:
            continue
        notices = Notice.objects.filter(
            organization_id=s.user.membership.organization_id, created_at__lte=now
        ).order_by("created_at", "id")
        if s.digest_sent_at:
            notices = notices.filter(created_at__gt=s.digest_sent_at)
        notices = list(notices[:200])
        if notices:
            lines = [f"{i}. {n.title}\n   {_url(n.link)}" for i, n in enumerate(notices, 1)]
            send_mail(
                f"【新基建平台】每日通知汇总（{len(notices)}条）",
                "\n".join(lines) + f"\n\n{SIGNATURE}",
                None,
                [s.user.email],
                fail_silently=True,
            )
            sent += 1
        s.digest_sent_at = now
        s.save(update_fields=["digest_sent_at"])
    return sent
