"""Every write endpoint of the API gets the same hostile bodies; each is refused with a 400 or 413 in the API's
error shape (or the user is refused first), and nothing is written.

The endpoints are found from the URL resolver: every DRF view that takes POST, PUT or PATCH. A new one
fails `test_every_write_endpoint_has_its_arguments` until ARGUMENTS can name its object.
"""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from districts.choices import SubmissionState
from districts.models import Period, Submission, Unit
from districts.services import figures_save, period_open
from enterprises.services import cultivation_entry_save, enterprise_create
from tests.test_guessed_ids import database_state, url_patterns

WRITE_METHODS = ("post", "put", "patch")
ARGUMENTS = {"key": "500112/2026Q3", "unit": "500112", "period": "2026Q3", "pk": None}
BODY_LIMIT = 4096
NESTED = "[" * 1500 + "]" * 1500  # 3 KB: Python's decoder gives up with RecursionError
DEEP = '{"values": ' * 200 + "1" + "}" * 200  # decodes, and nests far deeper than any request of ours
NAN = ('{"values": {"enterprises.tech_smes": NaN}, "rows": [{"unit": "500112", "enterprises.tech_smes": Infinity}],'
       ' "comment": NaN, "reason": NaN, "explanations": NaN}')
HOSTILE = {
    "nested": NESTED.encode(),
    "deep": DEEP.encode(),
    "huge": ('{"rows": [' + ",".join(['{"unit": "500112", "enterprises.tech_smes": "1"}'] * 200) + "]}").encode(),
    "list": b"[1, 2, 3]",
    "string": b'"approve"',
    "number": b"42",
    "null": b"null",
    "nan": NAN.encode(),
    "invalid-utf8": b'{"comment": "\xff\xfe\xfd", "reason": "\xc3\x28", "values": {"enterprises.tech_smes": "\xff"}}',
}
BODY_REFUSED = {400, 413}


def write_endpoints() -> list[tuple[str, str]]:
    """(URL name, method) of every API route that writes."""
    found = set()  # a route comes twice, with and without its format suffix
    for name, pattern, _arguments in url_patterns():
        actions = getattr(pattern.callback, "actions", None) or {}
        found |= {(name, method) for method in WRITE_METHODS if method in actions}
    return sorted(found)


def test_every_write_endpoint_has_its_arguments():
    arguments = {name: args for name, _pattern, args in url_patterns()}
    assert write_endpoints(), "the walk found no write endpoint"
    assert {name: arguments[name] - set(ARGUMENTS) for name, _method in write_endpoints()
            if arguments[name] - set(ARGUMENTS)} == {}


@pytest.fixture
def submitted_quarter(city_staff, yubei_clerk):
    """渝北's 2026Q3 with figures, submitted: each workflow action would act on it if the body were taken."""
    period = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=timezone.localdate() + datetime.timedelta(days=30))
    yubei = Unit.objects.get(code="500112")
    figures_save(user=yubei_clerk, unit=yubei, period=period, values={"enterprises.tech_smes": 7})
    Submission.objects.filter(unit=yubei, period=period).update(state=SubmissionState.SUBMITTED)
    return period


@pytest.fixture
def yubei_rows(city_staff):
    """渝北's own ledger rows and cultivation entry, for the routes that write one row by its id (URL name -> the
    row's id)."""
    from ledger.models import Round, RoundItem
    from ledger.tests.conftest import make_task

    task = make_task("500112", "国家农业高新技术产业示范区创建")
    round_ = Round.objects.create(title="调度", due=datetime.date(2026, 12, 15), created_by=city_staff)
    item = RoundItem.objects.create(round=round_, task=task)
    yubei = Unit.objects.get(code="500112")
    enterprise = enterprise_create(user=city_staff, name="渝北培育企业有限公司", unit=yubei)
    entry = cultivation_entry_save(user=city_staff, unit=yubei, enterprise=enterprise, target="high_tech",
                                   due=datetime.date(2027, 12, 31))
    return {"task-detail": task.pk, "rounditem-detail": item.pk, "cultivationentry-detail": entry.pk,
            "cultivationentry-notes": entry.pk}


@pytest.mark.parametrize(("name", "method"), write_endpoints())
def test_every_hostile_body_to_a_write_endpoint_is_refused_and_nothing_is_written(
    submitted_quarter, yubei_rows, yubei_clerk, city_staff, api_client, settings, name, method
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = BODY_LIMIT
    assert [body for body, data in HOSTILE.items() if len(data) > BODY_LIMIT] == ["huge"]
    url = reverse(name, kwargs={argument: ARGUMENTS[argument] if argument != "pk" else yubei_rows[name]
                                for argument in _arguments_of(name)})
    before = database_state()
    taken = {}
    for body, data in HOSTILE.items():
        answers = {}
        for user in (yubei_clerk, city_staff):
            api_client.force_login(user)
            response = getattr(api_client, method)(url, data, content_type="application/json")
            assert set(response.json()) >= {"code", "message", "errors"}, response.content[:200]
            answers[user.username] = (response.status_code, response.json()["code"])
        # The body is refused; a user who may not take the action at all (or may not reach the row: the same 404 as
        # an absent one) is refused before it is read.
        if not (all(status in BODY_REFUSED or code in ("permission_denied", "not_found")
                    for status, code in answers.values())
                and any(status in BODY_REFUSED for status, _code in answers.values())):
            taken[body] = answers
    assert taken == {}
    assert database_state() == before


def _arguments_of(name: str) -> set[str]:
    return next(args for found, _pattern, args in url_patterns() if found == name)
