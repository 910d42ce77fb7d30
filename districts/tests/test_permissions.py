"""The permission matrix: every role × every write path of the quarter × the quarter's state.

Where a write is refused the response says so and the database is exactly as before.
"""
import datetime

import pytest

from districts.models import Period, Submission, SubmissionEvent
from districts.services import figures_save, submission_approve, submission_submit
from enterprises.models import EnterpriseFigures
from funds.models import EconomyFigures
from platforms.models import Platform, PlatformMilestone

ROLES = ["yubei_clerk", "wanzhou_clerk", "city_staff", "city_viewer", "anonymous"]
STATES = ["open", "submitted", "approved"]
QUARTER_URL = "/quarters/2026Q3/500112/"


def allowed(path, role, state):
    """Who may do what: the clerk of the unit while the quarter is open, city staff their own steps."""
    own_open = role == "yubei_clerk" and state == "open"
    city = role == "city_staff"
    return {
        "form_save": own_open or city,
        "form_submit": own_open,
        "approve": city and state == "submitted",
        "return": city and state == "submitted",
        "reopen": city and state == "approved",
        "admin_change": own_open or city,
        "admin_add": own_open or city,
        "milestone_add": own_open or city,
    }[path]


@pytest.fixture
def setup(request, yubei_clerk, wanzhou_clerk, city_staff, city_viewer, yubei, quarter, yubei_submission):
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={"enterprises.tech_smes": 100})
    state = request.param
    if state in ("submitted", "approved"):
        submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={})
    if state == "approved":
        submission_approve(user=city_staff, submission=yubei_submission)
    return state


def snapshot(yubei, quarter):
    submission = Submission.objects.get(unit=yubei, period=quarter)
    return (
        list(EnterpriseFigures.objects.filter(unit=yubei).values("tech_smes", "version")),
        EconomyFigures.objects.filter(unit=yubei).count(),
        (submission.state, submission.version, submission.access),
        SubmissionEvent.objects.count(),
        PlatformMilestone.objects.count(),
        list(Platform.objects.filter(unit=yubei).values_list("status", flat=True)),
    )


def attempt(path, client, yubei, quarter):
    version = Submission.objects.get(unit=yubei, period=quarter).version
    figures = EnterpriseFigures.objects.get(unit=yubei, period=quarter)
    platform = Platform.objects.filter(unit=yubei).first()
    posts = {
        "form_save": (QUARTER_URL, {"action": "save", "version": version, "enterprises.tech_smes": "120"}),
        "form_submit": (QUARTER_URL, {"action": "submit", "version": version, "enterprises.tech_smes": "120"}),
        "approve": (QUARTER_URL, {"action": "approve"}),
        "return": (QUARTER_URL, {"action": "return", "comment": "请核对"}),
        "reopen": (QUARTER_URL, {"action": "reopen", "comment": "口径调整"}),
        "admin_change": (f"/admin/enterprises/enterprisefigures/{figures.pk}/change/", {"tech_smes": "120"}),
        "admin_add": ("/admin/funds/economyfigures/add/",
                      {"unit": yubei.pk, "period": quarter.pk, "rd_spending": "10"}),
        "milestone_add": (f"/platforms/{platform.pk}/",
                          {"period": quarter.pk, "date": datetime.date(2026, 8, 1), "title": "完成一期建设",
                           "status": "", "note": ""}),
    }
    url, data = posts[path]
    return client.post(url, data)


@pytest.mark.parametrize("setup", STATES, indirect=True)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["form_save", "form_submit", "approve", "return", "reopen", "admin_change",
                                  "admin_add", "milestone_add"])
def test_every_role_on_every_write_path(request, client, setup, path, role, yubei, quarter):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    before = snapshot(yubei, quarter)
    response = attempt(path, client, yubei, quarter)
    if allowed(path, role, setup):
        assert response.status_code == 302, response.content.decode()[:2000]
        assert snapshot(yubei, quarter) != before
        return
    assert snapshot(yubei, quarter) == before
    if role == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    elif role == "wanzhou_clerk" and not path.startswith("admin"):
        assert response.status_code == 404  # another unit's quarter and platforms are invisible
    else:
        assert response.status_code in (200, 302, 403), response.status_code


@pytest.mark.parametrize("role", ["yubei_clerk", "city_viewer", "anonymous"])
def test_only_city_staff_open_a_period_from_the_period_list(request, client, role, chongqing):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post("/quarters/2026Q4/actions/open/", {"deadline": "2027-01-25"})
    assert response.status_code in (302, 403)
    assert Period.objects.get_by_code("2026Q4").status == "planned"
    assert not Submission.objects.filter(period__year=2026, period__quarter=4).exists()
