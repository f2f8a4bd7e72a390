"""Form widgets shared by every app.

``<input type="date">`` only accepts ISO dates (2027-01-15): a value in the locale's format
(zh-hans renders 2027/01/15) is rejected by the browser, the box shows empty and saving the form
unchanged blanks the date. Every date input therefore renders ISO, whatever the language.
"""

from __future__ import annotations

from django import forms

ISO_DATE = "%Y-%m-%d"


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's argument name)
        super().__init__(attrs=attrs, format=format or ISO_DATE)


class MonthInput(forms.DateInput):
    """``<input type="month">``: 2027-01."""

    input_type = "month"

    def __init__(self, attrs=None, format=None):  # noqa: A002
        super().__init__(attrs=attrs, format=format or "%Y-%m")
