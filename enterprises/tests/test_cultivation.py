"""The cultivation list: which entries reached their tier (today and by the due day), and who may change a list."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from districts.exceptions import AccessDenied
from districts.models import Period, Unit
from enterprises.cultivation import cultivation_list
from enterprises.models import CultivationEntry, CultivationNote
from enterprises.services import (
    cultivation_entry_recommend,
    cultivation_entry_save,
    cultivation_note_save,
    status_record_revoke,
    status_record_save,
)

D = datetime.date
TODAY = D(2026, 6, 30)


@pytest.fixture
def yubei_list(make_enterprise, city_staff, yubei_clerk):
    """渝北's list, each aimed at a tier by a due day, with the registry as below (worked out by hand):

    甲 → high-tech by 2026-03-31; certificate issued 2026-03-31: reached on the due day and today.
    乙 → high-tech by 2026-03-31; certificate issued 2026-04-01: not by the due day, reached today.
    丙 → 专精特新 by 2026-12-31; is a little giant from 2026-01-10: a higher tier, reached.
    丁 → high-tech by 2025-12-31; certificate 2022-12-31 (last day 2025-12-30) revoked 2025-06-01: neither.
    戊 → little giant by 2026-12-31; only 专精特新: a lower tier, neither.
    """
    yubei = Unit.objects.get(code="500112")
    made = {}
    plan = {
        "甲": ("high_tech", D(2026, 3, 31), [("high_tech", D(2026, 3, 31))]),
        "乙": ("high_tech", D(2026, 3, 31), [("high_tech", D(2026, 4, 1))]),
        "丙": ("specialised", D(2026, 12, 31), [("little_giant", D(2026, 1, 10))]),
        "丁": ("high_tech", D(2025, 12, 31), [("high_tech", D(2022, 12, 31))]),
        "戊": ("little_giant", D(2026, 12, 31), [("specialised", D(2025, 5, 1))]),
    }
    for name, (target, due, records) in plan.items():
        firm = make_enterprise("500112", f"渝北{name}科技有限公司")
        for kind, issued in records:
            record, _ = status_record_save(user=city_staff, enterprise=firm, kind=kind, issued=issued)
            if name == "丁":
                status_record_revoke(user=city_staff, record=record, on=D(2025, 6, 1), reason="复核不合格")
        made[name] = cultivation_entry_save(user=yubei_clerk, unit=yubei, enterprise=firm, target=target, due=due)
    return made


def progress(user):
    return {entry.enterprise.name[2]: (entry.reached_by_due, entry.reached_today)
            for entry in cultivation_list(user, TODAY)}


def test_an_entry_is_reached_when_the_enterprise_holds_its_tier_or_a_higher_one(yubei_list, yubei_clerk):
    assert progress(yubei_clerk) == {
        "甲": (True, True), "乙": (False, True), "丙": (True, True), "丁": (False, False), "戊": (False, False),
    }


def test_a_clerk_sees_only_their_own_units_list_and_municipal_staff_see_every_list(
        yubei_list, make_enterprise, wanzhou_clerk, city_viewer):
    wanzhou = Unit.objects.get(code="500101")
    firm = make_enterprise("500101", "万州培育有限公司")
    cultivation_entry_save(user=wanzhou_clerk, unit=wanzhou, enterprise=firm, target="high_tech", due=D(2027, 1, 1))
    assert set(progress(wanzhou_clerk)) == {"培"}
    assert len(progress(city_viewer)) == 6


def test_a_clerk_cannot_change_add_to_or_note_another_units_list(yubei_list, make_enterprise, wanzhou_clerk):
    entry = yubei_list["甲"]
    before = (CultivationEntry.objects.count(), CultivationNote.objects.count(),
              list(CultivationEntry.objects.values_list("target", "due", "recommended")))
    yubei, quarter = Unit.objects.get(code="500112"), Period.objects.get_by_code("2026Q2")
    with pytest.raises(AccessDenied):
        cultivation_entry_save(user=wanzhou_clerk, unit=yubei, enterprise=entry.enterprise, target="listed",
                               due=D(2030, 1, 1), entry=entry)
    with pytest.raises(AccessDenied):
        cultivation_entry_recommend(user=wanzhou_clerk, entry=entry, on=D(2026, 6, 1))
    with pytest.raises(AccessDenied):
        cultivation_note_save(user=wanzhou_clerk, entry=entry, period=quarter, text="越权")
    with pytest.raises(ValidationError):  # an enterprise of 渝北 the clerk cannot even see
        cultivation_entry_save(user=wanzhou_clerk, unit=Unit.objects.get(code="500101"),
                               enterprise=entry.enterprise, target="listed", due=D(2030, 1, 1))
    with pytest.raises((AccessDenied, ValidationError)):  # 渝北's list with an enterprise of their own
        cultivation_entry_save(user=wanzhou_clerk, unit=yubei, enterprise=make_enterprise("500101", "万州某公司"),
                               target="listed", due=D(2030, 1, 1))
    assert (CultivationEntry.objects.count(), CultivationNote.objects.count(),
            list(CultivationEntry.objects.values_list("target", "due", "recommended"))) == before


def test_a_list_takes_only_enterprises_registered_in_its_unit(yubei_list, make_enterprise, city_staff):
    with pytest.raises(ValidationError):
        cultivation_entry_save(user=city_staff, unit=Unit.objects.get(code="500112"),
                               enterprise=make_enterprise("500101", "万州外单位有限公司"), target="high_tech",
                               due=D(2027, 1, 1))


def test_one_note_per_entry_and_quarter_saving_again_replaces_it(yubei_list, yubei_clerk):
    quarter = Period.objects.get_by_code("2026Q2")
    cultivation_note_save(user=yubei_clerk, entry=yubei_list["乙"], period=quarter, text="已提交申报材料")
    cultivation_note_save(user=yubei_clerk, entry=yubei_list["乙"], period=quarter, text=" 已通过专家评审 ")
    assert list(CultivationNote.objects.values_list("text", flat=True)) == ["已通过专家评审"]


def test_a_recommendation_into_the_reserve_pool_is_dated_and_can_be_withdrawn(yubei_list, yubei_clerk):
    entry = cultivation_entry_recommend(user=yubei_clerk, entry=yubei_list["丙"], on=D(2026, 5, 20))
    assert CultivationEntry.objects.get(pk=entry.pk).recommended == D(2026, 5, 20)
    cultivation_entry_recommend(user=yubei_clerk, entry=entry, on=None)
    assert CultivationEntry.objects.get(pk=entry.pk).recommended is None
