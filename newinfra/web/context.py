from .script import SCRIPTS


def navigation(request) -> dict:
    membership = (
        getattr(getattr(request, "user", None), "membership", None) if request.user.is_authenticated else None
    )
    return {
        "script": getattr(request, "script", "hans"),
        "scripts": SCRIPTS,
        "membership": membership,
        "html_lang": "zh-Hant" if getattr(request, "script", "hans") == "hant" else "zh-Hans",
    }
