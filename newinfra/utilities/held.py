"""Values computed once per process, for as long as the shared cache vouches for them.

The cache keeps a token under the key and the process keeps the value under the token: a list of
model instances (the attainment of every target, the city's overdue reports) is read from the
process's memory instead of being unpickled on every page (5–10 ms each), while the cache's
lifetime, ``cache.clear()`` and a recomputation by another process still apply to it as they
would to a cached value. Keys carry the data versions the value depends on, as cached values do.
Callers must not change what they get (copy what they modify).
"""

from __future__ import annotations

import uuid

from django.core.cache import cache

_values: dict[str, tuple[str, object]] = {}  # key -> (token, value)
MAX_KEYS = 64  # values of versions gone by are dropped wholesale past this


def held(key: str, compute, lifetime: int = 300):
    token = cache.get(key)
    found = _values.get(key)
    if token is not None and found is not None and found[0] == token:
        return found[1]
    value = compute()
    if token is None:
        token = uuid.uuid4().hex
        cache.set(key, token, lifetime)
    if len(_values) >= MAX_KEYS:
        _values.clear()
    _values[key] = (token, value)
    return value
