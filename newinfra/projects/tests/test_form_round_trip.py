"""Forms never lose what the user had.

Every model form of the project is found by importing every app's ``forms`` and ``views``
modules; each must have a case below (or a stated reason it edits no existing record), so a new
form cannot bring silent data loss back. A case fills a record, opens its edit page as the user
who edits it, submits the form exactly as a browser would (an ``<input type="date">`` whose value
is not an ISO date is submitted empty, because the browser shows it empty), and checks that no
field changed and no history row was written.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re
from decimal import Decimal

import lxml.html
import pytest
from django import forms
from django.apps import apps
from django.forms.models import model_to_dict

from newinfra.indicators.models import IndicatorProfile
from newinfra.orgs.models import Organization
from newinfra.plans.models import Indicator, Task
from newinfra.projects.models import GreenChannelItem, ProjectContribution, ProjectFlag
from newinfra.projects.tests.helpers import admitted_project, client_for, new_project, user

pytestmark = pytest.mark.django_db

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Model forms that create a new record each time and have no existing record to edit.
CREATE_ONLY = {
    "newinfra.projects.forms.DispatchForm": "每次提交都是新一个月的调度（同月再填即更正，值不预填）",
}


def model_forms() -> dict[str, type]:
    found = {}
    for app in apps.get_app_configs():
        if not app.name.startswith("newinfra."):
            continue
        for suffix in ("forms", "views"):
            try:
                module = importlib.import_module(f"{app.name}.{suffix}")
            except ModuleNotFoundError:
                continue
            for name, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, forms.ModelForm) and obj.__module__ == module.__name__:
                    found[f"{module.__name__}.{name}"] = obj
    return found


def all_forms() -> list[type]:
    out = []
    for app in apps.get_app_configs():
        if not app.name.startswith("newinfra."):
            continue
        for suffix in ("forms", "views"):
            try:
                module = importlib.import_module(f"{app.name}.{suffix}")
            except ModuleNotFoundError:
                continue
            out += [
                obj
                for _, obj in inspect.getmembers(module, inspect.isclass)
                if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__
            ]
    return out


def history_rows() -> int:
    return sum(m.objects.count() for m in apps.get_models() if m.__name__.startswith("Historical"))


def browser_submission(page_html: str, form_xpath: str) -> tuple[str | None, list[tuple[str, str]]]:
    """The form's action and what a browser sends for it, unchanged."""
    doc = lxml.html.fromstring(page_html)
    matches = doc.xpath(form_xpath)
    assert matches, f"no form {form_xpath} on the page"
    form = matches[0]
    dates = {i.get("name") for i in form.xpath(".//input[@type='date']")}
    values = []
    for name, value in form.form_values():
        if name in dates and value and not ISO.match(value):
            value = ""  # the browser shows the box empty and submits nothing
        values.append((name, value))
    return form.get("action"), values


def snapshot(record) -> dict:
    record.refresh_from_db()
    data = model_to_dict(record)
    return {k: (sorted(o.pk for o in v) if isinstance(v, list) else v) for k, v in data.items()}


# --- one case per model form: (user, record, edit page, form on it, extra submit fields) -----------


def project_case():
    task = Task.objects.filter(is_active=True, plan__is_active=True).order_by("pk").first()
    indicator = Indicator.objects.order_by("pk").first()
    project = new_project(
        planned_start=dt.date(2027, 1, 15),
        planned_finish=dt.date(2028, 6, 30),
        description="建设5G宏基站120座，\n室分系统30套。",
        total_investment=Decimal("12345.67"),
        lng=Decimal("113.324520"),
        lat=Decimal("23.106414"),
    )
    project.tasks.set([task])
    ProjectContribution.objects.create(project=project, indicator=indicator, amount=Decimal("120"))
    return (
        "mobile",
        project,
        f"/projects/{project.pk}/edit/",
        "//form[@id='project-form']",
        [("then", "save")],
    )


def flag_case():
    project = admitted_project()
    flag = ProjectFlag.objects.create(
        project=project,
        kind="subsidy",
        date=dt.date(2026, 12, 11),
        document="穗工信〔2026〕12号",
        subsidy_applied=Decimal("300.50"),
        subsidy_granted=Decimal("250"),
        note="首批",
    )
    return "office", flag, f"/projects/{project.pk}/", f"//form[@action='/projects/flags/{flag.pk}/']", []


def green_case():
    project = admitted_project()
    item = GreenChannelItem.objects.create(
        project=project,
        item="用地规划许可",
        state="approved",
        date=dt.date(2026, 12, 11),
        document="穗规〔2026〕7号",
    )
    return "office", item, f"/projects/{project.pk}/", f"//form[@action='/projects/green/{item.pk}/']", []


def profile_case():
    profile = IndicatorProfile.objects.order_by("pk").first()
    for field, value in {
        "kind": "stock",
        "frequency": "quarter",
        "responsible": Organization.objects.get(name="市工业和信息化局"),
        "district_breakdown": True,
        "baseline": Decimal("12187500"),
        "baseline_year": 2019,
        "min_value": Decimal("0"),
        "max_value": Decimal("100000000"),
        "grace_days": 20,
        "domain": "5g",
    }.items():
        setattr(profile, field, value)
    profile.save()
    indicator = profile.indicator
    return (
        "office",
        profile,
        f"/indicators/{indicator.pk}/profile/",
        "//form[contains(@class, 'form-grid')]",
        [],
    )


CASES = {
    "newinfra.projects.forms.ProjectForm": project_case,
    "newinfra.projects.forms.FlagForm": flag_case,
    "newinfra.projects.forms.GreenItemForm": green_case,
    "newinfra.indicators.views.ProfileForm": profile_case,
}


def test_every_model_form_has_a_round_trip_case():
    assert set(model_forms()) == set(CASES) | set(CREATE_ONLY)


@pytest.mark.parametrize("name", sorted(CASES))
def test_submitting_an_edit_form_unchanged_changes_nothing(name):
    username, record, page, selector, extra = CASES[name]()
    client = client_for(username)
    before, rows = snapshot(record), history_rows()
    response = client.get(page)
    assert response.status_code == 200
    action, values = browser_submission(response.content.decode(), selector)
    response = client.post(action or page, dict_of(values + extra))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot(record) == before
    assert history_rows() == rows


def dict_of(pairs):
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


@pytest.mark.parametrize("form_class", all_forms(), ids=lambda c: c.__name__)
def test_every_date_input_renders_an_iso_date(form_class):
    """Whatever the language, a date input's value is 2026-12-11, the only form a browser accepts."""
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.DateField):
            html = field.widget.render(name, dt.date(2026, 12, 11))
            assert 'value="2026-12-11"' in html, (form_class.__name__, name, html)
            assert 'type="date"' in html


def test_the_order_form_pre_fills_its_deadline_as_an_iso_date():
    task = Task.objects.filter(is_active=True).order_by("pk").first()
    html = client_for("office").get(f"/supervision/orders/new/?task={task.pk}").content.decode()
    box = lxml.html.fromstring(html).xpath("//input[@name='respond_by']")[0]
    assert ISO.match(box.get("value")), box.get("value")


def test_the_freeze_form_pre_fills_its_date_as_an_iso_date():
    html = client_for("office").get("/evaluations/").content.decode()
    box = lxml.html.fromstring(html).xpath("//input[@name='as_of']")[0]
    assert box.get("value") == "2021-12-31"


# --- a refused form shows again what the user typed, 说明 included ----------------------------------


def test_a_refused_value_report_keeps_its_note():
    ind = Indicator.objects.get(name="5G基站")
    page = f"/indicators/{ind.pk}/report/"
    response = client_for("gongxin").post(
        page, {"value_city": "十二万", "note": "口径含室分站点，来源：铁塔公司"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "应为数字，收到“十二万”" in html
    box = lxml.html.fromstring(html).xpath("//input[@name='note']")[0]
    assert box.get("value") == "口径含室分站点，来源：铁塔公司"
    assert lxml.html.fromstring(html).xpath("//input[@name='value_city']")[0].get("value") == "十二万"


def test_a_refused_progress_report_keeps_its_text():
    task = (
        Task.objects.filter(
            responsibilities__organization__name="市工业和信息化局", responsibilities__is_active=True
        )
        .exclude(state__status="closed")
        .order_by("pk")
        .first()
    )
    client = client_for("gongxin")
    response = client.post(
        f"/supervision/tasks/{task.pk}/progress/", {"status": "", "text": "完成5G基站建设1.2万座"}
    )
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "请选择进展状态" in html
    box = lxml.html.fromstring(html).xpath("//form[@id='progress-form']//textarea[@name='text']")[0]
    assert box.text == "完成5G基站建设1.2万座"
    # shown once: the next visit shows the task's own note again
    again = lxml.html.fromstring(client.get(response.url).content.decode())
    assert (
        again.xpath("//form[@id='progress-form']//textarea[@name='text']")[0].text or ""
    ) != "完成5G基站建设1.2万座"


def test_a_refused_roll_confirmation_keeps_its_plan_and_comment():
    from newinfra.projects import services
    from newinfra.projects.models import RollingConfirmation

    project = admitted_project()
    services.start_roll(2041, user("office"))
    c = RollingConfirmation.objects.get(project=project, year=2041)
    client = client_for("mobile")
    response = client.post(
        "/projects/roll/",
        {
            "confirmation": c.pk,
            "plan_2041": "三百",
            "plan_2042": "500",
            "comment": "二期用地待批",
            "action": "keep",
        },
    )
    assert response.status_code == 302
    doc = lxml.html.fromstring(client.get("/projects/roll/").content.decode())
    form = doc.xpath(f"//form[input[@name='confirmation'][@value='{c.pk}']]")[0]
    values = dict(form.form_values())
    assert (values["plan_2041"], values["plan_2042"], values["comment"]) == ("三百", "500", "二期用地待批")
