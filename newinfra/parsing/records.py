"""The parser's records: ``dataclass``, ``field`` and ``asdict`` as the parser uses them, without
``dataclasses``.

``dataclasses`` imports ``inspect`` (with ``ast``, ``dis``, ``tokenize`` …) and builds three or
four methods per class through ``exec``: about 20 ms before a command-line parse can start, for
twelve small classes. Here a class gets a generated ``__init__`` (fields in annotation order,
defaults, ``field(default_factory=…)``), a ``__repr__`` and an ``__eq__`` that compare the fields
of two records of the same class, as a dataclass does; ``frozen=True`` makes a record read-only
and hashable, otherwise it is unhashable. ``asdict`` gives the nested dict with copied lists and
dicts, as ``dataclasses.asdict`` does.
"""

from __future__ import annotations

_MISSING = object()
_ATOMS = (str, int, float, bool, type(None))


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record."""


class Field:
    __slots__ = ("default", "default_factory")

    def __init__(self, default=_MISSING, default_factory=_MISSING):
        self.default = default
        self.default_factory = default_factory


def field(*, default=_MISSING, default_factory=_MISSING) -> Field:
    return Field(default, default_factory)


def _repr(self) -> str:
    args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_fields__)
    return f"{type(self).__qualname__}({args})"


def _frozen_setattr(self, name, value):
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self, name):
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _hash(self) -> int:
    return hash(tuple(getattr(self, n) for n in self.__record_fields__))


def _make_record(cls, frozen: bool):
    names = list(cls.__dict__.get("__annotations__", {}))
    params, body, scope = [], [], {"_MISSING": _MISSING}
    for name in names:
        default = cls.__dict__.get(name, _MISSING)
        if isinstance(default, Field):
            if default.default_factory is not _MISSING:
                scope[f"_factory_{name}"] = default.default_factory
                params.append(f"{name}=_MISSING")
                value = f"_factory_{name}() if {name} is _MISSING else {name}"
            else:
                scope[f"_default_{name}"] = default.default
                params.append(f"{name}=_default_{name}")
                value = name
            if default.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, default.default)
        elif default is not _MISSING:
            scope[f"_default_{name}"] = default
            params.append(f"{name}=_default_{name}")
            value = name
        else:
            if params and "=" in params[-1]:
                raise TypeError(f"non-default argument {name!r} follows default argument")
            params.append(name)
            value = name
        body.append(f"_set(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    scope["_set"] = object.__setattr__
    mine = "".join(f"self.{n}," for n in names)
    theirs = "".join(f"other.{n}," for n in names)
    source = (
        f"def __init__(self, {', '.join(params)}):\n    "
        + ("\n    ".join(body) or "pass")
        + "\ndef __eq__(self, other):\n    if other.__class__ is self.__class__:\n"
        + f"        return ({mine}) == ({theirs})\n    return NotImplemented\n"
    )
    exec(source, scope)  # two small functions per class (dataclasses makes four)
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    cls.__record_fields__ = tuple(names)
    cls.__match_args__ = tuple(names)
    if "__repr__" not in cls.__dict__:
        cls.__repr__ = _repr
    if "__eq__" not in cls.__dict__:
        scope["__eq__"].__qualname__ = f"{cls.__qualname__}.__eq__"
        cls.__eq__ = scope["__eq__"]
    if frozen:
        cls.__setattr__ = _frozen_setattr
        cls.__delattr__ = _frozen_delattr
        cls.__hash__ = _hash
    elif "__hash__" not in cls.__dict__:
        cls.__hash__ = None  # mutable and compared by value: unhashable, like a dataclass
    return cls


def dataclass(cls=None, /, *, frozen: bool = False):
    """``@dataclass`` or ``@dataclass(frozen=True)`` on a class with annotated fields."""
    if cls is None:
        return lambda c: _make_record(c, frozen)
    return _make_record(cls, frozen)


def _copy(value):
    if isinstance(value, _ATOMS):
        return value
    if hasattr(type(value), "__record_fields__"):
        return asdict(value)
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {_copy(k): _copy(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return type(value)(_copy(v) for v in value)
    from copy import deepcopy

    return deepcopy(value)


def asdict(record) -> dict:
    """The record as a dict, records inside it too; lists and dicts are copies."""
    return {name: _copy(getattr(record, name)) for name in record.__record_fields__}
