"""Platform milestones: a clerk reports their own unit's platforms' progress, in an open quarter."""
import datetime

import pytest

from conftest import is_postgres
from districts.exceptions import AccessDenied, TransitionRefused
from districts.services import period_close
from platforms.choices import STATUS_RANK, PlatformStatus
from platforms.models import Platform, PlatformMilestone
from platforms.services import milestone_add
from tests.threads import while_uncommitted

DAY = datetime.date(2026, 8, 15)


def next_status(platform):
    later = [s for s in PlatformStatus.values if STATUS_RANK[s] > STATUS_RANK[platform.status]]
    return later[0]


def test_a_milestone_with_a_status_moves_the_platform_forward(yubei_clerk, yubei_platform, quarter):
    target = next_status(yubei_platform)
    milestone = milestone_add(user=yubei_clerk, platform=yubei_platform, period=quarter, date=DAY,
                              title="通过验收", status=target)
    platform = Platform.objects.get(pk=yubei_platform.pk)
    assert platform.status == target and milestone.created_by == yubei_clerk
    assert platform.history.latest().history_user == yubei_clerk


def test_a_milestone_cannot_move_the_status_back(yubei_clerk, yubei_platform, quarter):
    yubei_platform.status = PlatformStatus.ESTABLISHED
    yubei_platform.save()
    with pytest.raises(TransitionRefused, match="不能倒退"):
        milestone_add(user=yubei_clerk, platform=yubei_platform, period=quarter, date=DAY, title="x",
                      status=PlatformStatus.PLANNED)
    assert not PlatformMilestone.objects.filter(platform=yubei_platform).exists()
    assert Platform.objects.get(pk=yubei_platform.pk).status == PlatformStatus.ESTABLISHED


def test_it_refuses_a_clerk_of_another_district(wanzhou_clerk, yubei_platform, quarter):
    with pytest.raises(AccessDenied):
        milestone_add(user=wanzhou_clerk, platform=yubei_platform, period=quarter, date=DAY, title="x")
    assert not PlatformMilestone.objects.filter(platform=yubei_platform).exists()


def test_it_refuses_a_clerk_once_the_quarter_is_closed(yubei_clerk, city_staff, yubei_platform, quarter):
    period_close(user=city_staff, period=quarter)
    with pytest.raises(AccessDenied):
        milestone_add(user=yubei_clerk, platform=yubei_platform, period=quarter, date=DAY, title="x")
    assert not PlatformMilestone.objects.filter(platform=yubei_platform).exists()


@pytest.mark.django_db(transaction=True)
def test_a_milestone_begun_while_the_quarter_is_being_closed_is_refused(yubei_clerk, city_staff, yubei_platform,
                                                                         quarter):
    if not is_postgres():
        pytest.skip("row locks need PostgreSQL (SQLite serialises every write anyway)")
    closing, adding = while_uncommitted(
        lambda: period_close(user=city_staff, period=quarter),
        lambda: milestone_add(user=yubei_clerk, platform=yubei_platform, period=quarter, date=DAY, title="x"))
    assert closing is None
    assert isinstance(adding, AccessDenied), adding
    assert not PlatformMilestone.objects.filter(platform=yubei_platform).exists()


def test_the_platform_page_shows_kind_level_status_theme_and_milestones(
    client_for, yubei_clerk, yubei_platform, quarter
):
    milestone_add(user=yubei_clerk, platform=yubei_platform, period=quarter, date=DAY, title="完成规划评审")
    html = client_for(yubei_clerk).get(f"/platforms/{yubei_platform.pk}/").content.decode()
    for text in (yubei_platform.get_kind_display(), yubei_platform.get_level_display(),
                 yubei_platform.get_status_display(), "完成规划评审", "添加进展"):
        assert text in html


def test_the_platform_list_of_a_clerk_has_only_their_units_platforms(client_for, yubei_clerk, chongqing):
    html = client_for(yubei_clerk).get("/platforms/").content.decode()
    assert "渝北区" in html and "巴南区" not in html
