"""Repeated wrong passwords lock a user name or an address; tokens expire and can be revoked;
nothing a signed-in user sees is cached, and every page carries a Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from newinfra.security.models import SignInThrottle

pytestmark = pytest.mark.django_db
PASSWORD = "newinfra2026"


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _unlock_all():
    """As if the lock time had passed."""
    SignInThrottle.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))


@pytest.mark.parametrize("way", ["page", "api"])
def test_five_wrong_passwords_lock_the_user_name_and_the_right_one_then_waits(way, caplog):
    caplog.set_level(logging.WARNING, logger="newinfra.security")
    page, api = Client(REMOTE_ADDR="10.0.0.1"), APIClient(REMOTE_ADDR="10.0.0.1")

    def attempt(password):
        if way == "page":
            return _login(page, "office", password)
        return api.post("/api/auth/token/", {"username": "office", "password": password}, format="json")

    for _ in range(5):
        r = attempt("wrong-password")
        assert r.status_code in (200, 400)  # the form again / a 400 answer
    r = attempt(PASSWORD)
    if way == "page":
        assert r.status_code == 200 and not _signed_in(page)
        assert "登录失败次数过多" in r.content.decode()
    else:
        assert r.status_code == 429 and "登录失败次数过多" in r.json()["detail"]
        assert int(r["Retry-After"]) > 0
    # another address does not help: the user name is locked
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert "登录失败次数过多" in _login(other, "office", PASSWORD).content.decode()
    assert "sign-in locked: user:office after 5 failures" in caplog.text
    _unlock_all()
    r = attempt(PASSWORD)
    assert _signed_in(page) if way == "page" else r.status_code == 200, r
    # a success clears the count: one more wrong password does not lock again
    attempt("wrong-password")
    assert _login(Client(REMOTE_ADDR="10.0.0.3"), "office", PASSWORD).status_code == 302


def test_the_lock_grows_with_each_failure_after_it_and_attempts_during_it_do_not_count():
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        _login(client, "gongxin", "wrong-password")
    row = SignInThrottle.objects.get(key="user:gongxin")
    first = row.locked_until - row.last_failure
    for _ in range(3):  # during the lock: refused without counting
        _login(client, "gongxin", "wrong-password")
    assert SignInThrottle.objects.get(key="user:gongxin").failures == 5
    _unlock_all()
    _login(client, "gongxin", "wrong-password")
    row = SignInThrottle.objects.get(key="user:gongxin")
    assert row.failures == 6 and row.locked_until - row.last_failure == 2 * first


def test_many_failures_from_one_address_lock_that_address_for_every_user():
    attacker = Client(REMOTE_ADDR="10.9.9.9")
    for n in range(20):
        _login(attacker, f"guess{n}", "wrong-password")
    r = _login(attacker, "mobile", PASSWORD)
    assert not _signed_in(attacker) and "登录失败次数过多" in r.content.decode()
    colleague = Client(REMOTE_ADDR="10.0.0.7")
    assert _login(colleague, "mobile", PASSWORD).status_code == 302 and _signed_in(colleague)


def test_behind_a_trusted_proxy_failures_count_for_the_real_client_not_for_the_proxy(settings):
    settings.NEWINFRA_TRUSTED_PROXIES = ["127.0.0.1"]
    # the attacker also writes a forged first hop; nginx appends the address it really saw
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.7, 10.9.9.9")
    for n in range(20):
        _login(attacker, f"guess{n}", "wrong-password")
    assert "登录失败次数过多" in _login(attacker, "mobile", PASSWORD).content.decode()
    # a colleague behind the same nginx, and the address the attacker forged, still sign in
    for forwarded in ("10.0.0.8", "10.0.0.7"):
        colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        assert _login(colleague, "mobile", PASSWORD).status_code == 302 and _signed_in(colleague)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "address"),
    [
        ("10.1.1.1", "", [], "10.1.1.1"),
        ("10.1.1.1", "6.6.6.6", [], "10.1.1.1"),  # no proxy trusted: the header is anyone's
        ("10.1.1.1", "6.6.6.6", ["127.0.0.1"], "10.1.1.1"),  # not from the proxy: not believed
        ("127.0.0.1", "10.2.2.2", ["127.0.0.1"], "10.2.2.2"),
        ("127.0.0.1", "6.6.6.6, 10.2.2.2", ["127.0.0.1"], "10.2.2.2"),
        ("127.0.0.1", "10.2.2.2, 10.0.0.1", ["127.0.0.1", "10.0.0.1"], "10.2.2.2"),  # two proxies
        ("127.0.0.1", "", ["127.0.0.1"], "127.0.0.1"),
    ],
)
def test_the_address_of_a_sign_in(rf, settings, peer, forwarded, trusted, address):
    from newinfra.security.signin import address_of

    settings.NEWINFRA_TRUSTED_PROXIES = trusted
    request = rf.post("/login/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert address_of(request) == address


def test_an_api_token_expires_and_its_owner_can_revoke_it(settings):
    api = APIClient()
    r = api.post("/api/auth/token/", {"username": "gongxin", "password": PASSWORD}, format="json")
    assert r.status_code == 200, r.content
    key = r.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/tasks/").status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(days=31))
    r = api.get("/api/tasks/")
    assert r.status_code in (401, 403) and "令牌已过期" in r.json()["detail"]
    # asking again gives a new token
    r = APIClient().post("/api/auth/token/", {"username": "gongxin", "password": PASSWORD}, format="json")
    new = r.json()["token"]
    assert new != key
    api.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert api.get("/api/tasks/").status_code == 200
    assert api.delete("/api/auth/token/").status_code == 204
    assert api.get("/api/tasks/").status_code in (401, 403)
    assert not Token.objects.filter(key=new).exists()


@pytest.mark.parametrize("path", ["/", "/projects/", "/projects/?export=xlsx", "/api/projects/", "/login/"])
def test_nothing_a_user_receives_is_cached_and_pages_carry_a_csp(client, path):
    from newinfra.projects.tests.helpers import user

    client.force_login(user("office"))
    r = client.get(path)
    assert r.status_code == 200, path
    assert r["Cache-Control"] == "no-store"
    assert "script-src 'self';" in r["Content-Security-Policy"]
    assert "unsafe-inline" not in r["Content-Security-Policy"]
