"""The parser's records (newinfra/parsing/records.py) behave as the dataclasses they replace: the
same classes declared with ``dataclasses`` give the same construction, repr, equality, hashing,
read-only fields and ``asdict``."""

import dataclasses

import pytest

from newinfra.parsing import records


def _declare(make, field):
    @make
    class Task:
        number: str
        title: str
        lead_units: list[str] = field(default_factory=list)
        deadline: str | None = None
        flags: list[dict] = field(default_factory=list)
        level: int = field(default=1)

    return Task


CASES = [
    (("1", "加快5G建设"), {}),
    (("2", "建设数据中心", ["市工业和信息化局"]), {"deadline": "2024年底前"}),
    (("3",), {"title": "t", "flags": [{"kind": "no_units", "span": "t"}], "level": 2}),
]


@pytest.mark.parametrize(("args", "kwargs"), CASES)
def test_a_record_is_built_shown_compared_and_copied_as_a_dataclass(args, kwargs):
    ours, theirs = (
        _declare(records.dataclass, records.field),
        _declare(dataclasses.dataclass, dataclasses.field),
    )
    a, b = ours(*args, **kwargs), theirs(*args, **kwargs)
    assert repr(a) == repr(b)
    assert records.asdict(a) == dataclasses.asdict(b)
    assert a == ours(*args, **kwargs) and a != ours("9", "other")
    assert (a == b) is False  # records of different classes are not equal, as with dataclasses
    with pytest.raises(TypeError):
        hash(a)
    copy = records.asdict(a)
    copy["lead_units"].append("x")
    copy["flags"].append({})
    assert a.lead_units == list(b.lead_units) and a.flags == list(b.flags)  # asdict copies
    assert ours("1", "t").lead_units is not ours("1", "t").lead_units  # a new list per record


def test_missing_and_extra_arguments_are_refused_alike():
    ours, theirs = (
        _declare(records.dataclass, records.field),
        _declare(dataclasses.dataclass, dataclasses.field),
    )
    for call in (lambda cls: cls("1"), lambda cls: cls("1", "t", nope=1)):
        with pytest.raises(TypeError):
            call(theirs)
        with pytest.raises(TypeError):
            call(ours)


def _declare_frozen(make):
    @make(frozen=True)
    class SourceText:
        text: str
        format: str
        encoding: str | None = None

    return SourceText


def test_a_frozen_record_is_read_only_and_hashable():
    ours, theirs = _declare_frozen(records.dataclass), _declare_frozen(dataclasses.dataclass)
    a = ours("规划", "txt", "gb18030")
    assert hash(a) == hash(ours("规划", "txt", "gb18030")) and len({a, ours("规划", "txt", "gb18030")}) == 1
    assert repr(a) == repr(theirs("规划", "txt", "gb18030"))
    for obj in (a, theirs("规划", "txt")):
        with pytest.raises(AttributeError):
            obj.text = "other"
