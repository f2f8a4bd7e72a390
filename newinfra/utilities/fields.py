"""A JSON field that is decoded when it is read, not when its row is loaded.

A plan's parse result (``Plan.document``, 75–90 KB of JSON) rides along with every row that joins
its plan (``select_related("plan")`` on tasks, targets and responsibilities, in some 25 places):
Django's JSONField decodes it on load, and decoding it was the largest single cost of the home
page, the ledger and 督办 (docs/benchmarks.md, “Load”). ``LazyJSONField`` keeps the database text
and decodes it the first time the attribute is read, once per instance; a page that never reads
it never pays for it.

Reading ``obj.field`` behaves exactly as with JSONField (the decoded value, which can be changed in
place and saved). The one difference: ``values()``/``values_list()`` of the field itself give the
JSON text (Django applies the same converter to both), so read such a field through the model —
or use a plain JSONField for data that is read with ``values_list`` (as ``Boundary.geometry`` is).
"""

from __future__ import annotations

import json

from django.db import models
from django.db.models.fields.json import KeyTransform
from django.db.models.query_utils import DeferredAttribute


class _JSONText(str):
    """JSON text as it came from the database, not decoded yet."""


class LazyJSONDescriptor(DeferredAttribute):
    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        data = instance.__dict__
        name = self.field.attname
        if name not in data:  # a deferred field: DeferredAttribute loads it (as _JSONText)
            super().__get__(instance, cls)
        value = data[name]
        if type(value) is _JSONText:
            value = data[name] = self.field.decode(value)
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class LazyJSONField(models.JSONField):
    descriptor_class = LazyJSONDescriptor

    def from_db_value(self, value, expression, connection):
        if isinstance(value, str) and not isinstance(expression, KeyTransform):
            return _JSONText(value)
        return super().from_db_value(value, expression, connection)

    def decode(self, text: str):
        try:
            return json.loads(text, cls=self.decoder)
        except json.JSONDecodeError:
            return str(text)

    def deconstruct(self):
        # The same column as JSONField: migrations (and the migration state) see a JSONField, so
        # switching a field to this class needs no migration.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs
