"""A frozen evaluation can be voided with a reason: it leaves the list, stays readable, and the history keeps it."""

import datetime as dt

import pytest

from newinfra.evaluation import services
from newinfra.evaluation.models import Evaluation, Phase
from newinfra.projects.tests.helpers import client_for, user

pytestmark = pytest.mark.django_db


def frozen():
    return services.freeze(user("office"), "误冻结的评估", Phase.MIDTERM, dt.date(2021, 12, 31))


def test_the_office_voids_an_evaluation_with_a_reason_and_it_stays_readable():
    ev = frozen()
    office = client_for("office")
    assert 'id="void-form"' in office.get(f"/evaluations/{ev.pk}/").content.decode()
    response = office.post(f"/evaluations/{ev.pk}/void/", {"reason": ""})
    ev.refresh_from_db()
    assert response.status_code == 302 and not ev.is_voided  # a reason is required
    office.post(f"/evaluations/{ev.pk}/void/", {"reason": "基准日选错，应为2021年12月31日"})
    ev.refresh_from_db()
    assert ev.is_voided and ev.voided_by == user("office") and ev.void_reason.startswith("基准日选错")
    listing = office.get("/evaluations/")
    assert ev not in listing.context["evaluations"] and ev in listing.context["voided"]
    page = office.get(f"/evaluations/{ev.pk}/").content.decode()
    assert 'id="void-banner"' in page
    assert "基准日选错" in page and 'id="void-form"' not in page
    assert office.get(f"/evaluations/{ev.pk}/?format=xlsx").status_code == 200  # still exportable
    last = ev.history.first()
    assert last.void_reason.startswith("基准日选错") and last.history_change_reason == "作废"
    assert ev.history.count() == 2
    assert Evaluation.objects.filter(pk=ev.pk).exists()  # nothing deleted


@pytest.mark.parametrize("username", ["gongxin", "tianhe", "mobile", "leader"])
def test_only_the_office_voids(username):
    ev = frozen()
    assert client_for(username).post(f"/evaluations/{ev.pk}/void/", {"reason": "x"}).status_code == 403
    ev.refresh_from_db()
    assert not ev.is_voided


def test_a_voided_evaluation_cannot_be_voided_again():
    ev = frozen()
    services.void(user("office"), ev, "重复")
    with pytest.raises(services.EvaluationError, match="已作废"):
        services.void(user("office"), ev, "再次")
