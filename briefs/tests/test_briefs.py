"""The quarterly brief: what it says is the approved figures' arithmetic, it is made when a quarter completes
(once), leaders who subscribed get it by mail once, and only municipal users read it."""
import re

import pytest
from django.core import mail
from django.urls import reverse

from briefs.choices import BriefTrigger
from briefs.models import BriefSubscription, QuarterlyBrief
from briefs.services import brief_generate, brief_subscription_set, briefs_for_completed_quarters
from briefs.tasks import mail_new_briefs
from districts.models import Period
from evaluation.tests.conftest import pdf_text
from indicators import selectors
from indicators.models import Plan

# 2024Q4 and 2025Q4 of the small world, all approved; the zone overlaps the districts and counts toward no total.
FIGURES = {"a": (100, 350), "b": (200, 220), "c": (300, 320), "zone": (50, 70)}


@pytest.fixture
def briefed_world(world):
    for name, (before, after) in FIGURES.items():
        world.report(getattr(world, name), "2024Q4", smes=before)
        world.report(getattr(world, name), "2025Q4", smes=after)
    world.report(world.a, "2026Q1", smes=9000, approved=False)  # submitted, not approved: in no number
    world.target(world.smes, "2025Q4", 1000)
    world.compute()
    return world


def test_the_brief_holds_the_headline_numbers_of_the_approved_figures(briefed_world):
    w = briefed_world
    brief = brief_generate(plan=w.plan, period=w.period("2025Q4"), trigger=BriefTrigger.ON_DEMAND)
    text = pdf_text(brief.file.read())
    flat = re.sub(r"\s+", "", text)

    divisions = ("a", "b", "c")  # the zone is shown and ranked beside them, never added
    city_now = sum(FIGURES[name][1] for name in divisions)
    city_before = sum(FIGURES[name][0] for name in divisions)
    assert f"全市{city_now:,}家" in flat  # 890
    assert "目标不低于1,000家（2025Q4）" in flat
    assert f"同比增长{(city_now - city_before) / city_before * 100:.1f}%" in flat  # 48.3%
    assert "4/4个单位已审核" in flat
    assert "9,000" not in flat and "9000" not in flat

    # the ranking: every unit by its 2025Q4 value, the zone among them
    ranking = flat[flat.index("四、区县排名"):flat.index("五、名次变化")]
    names = {"a": "甲区", "b": "乙区", "c": "丙县", "zone": "丁功能区"}
    expected = sorted(FIGURES, key=lambda name: -FIGURES[name][1])
    assert [ranking.index(names[name]) for name in expected] == sorted(ranking.index(names[n]) for n in expected)

    # the movers: ranks by 2024Q4 value against ranks by 2025Q4 value
    def ranks(index):
        order = sorted(FIGURES, key=lambda name: -FIGURES[name][index])
        return {name: order.index(name) + 1 for name in FIGURES}

    before, now = ranks(0), ranks(1)
    movers = flat[flat.index("五、名次变化"):flat.index("六、")]
    for name in FIGURES:
        change = before[name] - now[name]
        if change > 0:
            assert f"{names[name]}{before[name]}{now[name]}上升{change}位" in movers
        elif change < 0:
            assert f"{names[name]}{before[name]}{now[name]}下降{-change}位" in movers
        else:
            assert names[name] not in movers


def test_a_quarter_is_briefed_when_its_last_unit_is_approved_and_only_once(world, django_capture_on_commit_callbacks):
    for unit in (world.a, world.b, world.c, world.zone):
        world.report(unit, "2024Q4", smes=100)
        world.report(unit, "2025Q4", smes=120, approved=unit != world.c)
    world.target(world.smes, "2025Q4", 1000)
    with django_capture_on_commit_callbacks(execute=True):
        world.compute()
    assert [b.period.code for b in QuarterlyBrief.objects.all()] == ["2024Q4"]  # 2025Q4 waits for 丙县

    world.report(world.c, "2025Q4", smes=120)  # the last unit approved
    # A run that ends before this approval reaches the snapshot (one already under way) does not brief the
    # quarter: the brief would show the last unit as waiting.
    assert briefs_for_completed_quarters(run=selectors.latest_run()) == []
    with django_capture_on_commit_callbacks(execute=True):
        run = world.compute()
    completed = QuarterlyBrief.objects.get(period=world.period("2025Q4"))
    assert (completed.trigger, completed.run, completed.plan) == (BriefTrigger.COMPLETED, run, world.plan)
    assert completed.file.read().startswith(b"%PDF")

    with django_capture_on_commit_callbacks(execute=True):
        world.compute()
    assert QuarterlyBrief.objects.count() == 2


def test_subscribed_leaders_get_each_new_brief_by_mail_once(reported, city_viewer, city_staff, yubei_clerk):
    city_viewer.email, city_staff.email, yubei_clerk.email = "leader@example.cn", "staff@example.cn", "yb@example.cn"
    for user in (city_viewer, city_staff, yubei_clerk):
        user.save()
    brief_subscription_set(user=city_viewer, subscribed=True)
    made = briefs_for_completed_quarters(run=selectors.latest_run())
    brief_generate(plan=made[0].plan, period=made[0].period, trigger=BriefTrigger.ON_DEMAND, requested_by=city_staff)

    assert mail_new_briefs.delay().get() == len(made) == Plan.objects.filter(active=True).count()
    assert {m.to[0] for m in mail.outbox} == {"leader@example.cn"}
    assert all(m.attachments[0][2] == "application/pdf" and m.attachments[0][1].startswith(b"%PDF")
               for m in mail.outbox)
    assert mail_new_briefs.delay().get() == 0  # each brief is mailed once; one asked for on demand is not mailed


def test_a_district_clerk_can_neither_subscribe_nor_read_a_brief(reported, yubei_clerk, client_for):
    brief = brief_generate(plan=Plan.objects.get(code="guidance-2022"), period=Period.objects.get_by_code("2023Q4"),
                           trigger=BriefTrigger.ON_DEMAND)
    client = client_for(yubei_clerk)
    answers = [client.get(reverse("briefs:list")).status_code,
               client.get(reverse("briefs:download", args=[brief.pk])).status_code,
               client.post(reverse("briefs:generate"), {"plan": "guidance-2022", "period": "2023Q4"}).status_code,
               client.post(reverse("briefs:subscription"), {"subscribed": "1"}).status_code]
    assert answers == [403, 404, 403, 403]
    assert not BriefSubscription.objects.exists()
    assert QuarterlyBrief.objects.count() == 1


def test_a_viewer_reads_and_subscribes_but_only_staff_generate(reported, city_viewer, city_staff, client_for):
    client = client_for(city_viewer)
    page = client.get(reverse("briefs:list"), {"plan": "guidance-2022", "period": "2023Q4"})
    assert "2023Q4 尚无季度简报" in page.content.decode()
    assert client.post(reverse("briefs:generate"), {"plan": "guidance-2022", "period": "2023Q4"}).status_code == 403
    assert client.post(reverse("briefs:subscription"), {"subscribed": "1"}).status_code == 302
    assert BriefSubscription.objects.filter(user=city_viewer).exists()

    client = client_for(city_staff)
    answer = client.post(reverse("briefs:generate"), {"plan": "guidance-2022", "period": "2023Q4"})
    brief = QuarterlyBrief.objects.get()
    assert answer.status_code == 302 and (brief.trigger, brief.requested_by) == (BriefTrigger.ON_DEMAND, city_staff)
    download = client_for(city_viewer).get(reverse("briefs:download", args=[brief.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "2023Q4 季度简报" in pdf_text(b"".join(download.streaming_content))


def test_the_beat_entry_mails_new_briefs(chongqing):
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.get(task="briefs.tasks.mail_new_briefs")
    assert entry.expire_seconds
