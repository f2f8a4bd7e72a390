from newinfra.utilities.script import SCRIPTS


def navigation(request) -> dict:
    membership = (
        getattr(getattr(request, "user", None), "membership", None) if request.user.is_authenticated else None
    )
    unread = 0
    if membership is not None:
        from newinfra.supervision.models import Notice

        unread = Notice.objects.filter(
            organization_id=membership.organization_id, read_at__isnull=True
        ).count()
    return {
        "unread_notices": unread,
        "script": getattr(request, "script", "hans"),
        "scripts": SCRIPTS,
        "membership": membership,
        "html_lang": "zh-Hant" if getattr(request, "script", "hans") == "hant" else "zh-Hans",
    }
