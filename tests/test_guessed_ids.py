"""Guessing ids in URLs: 万州's clerk neither reads nor changes anything of 渝北's, by any URL that names an object.

The URL patterns are walked from the resolver, and the admin pages from the admin registry. A new
pattern or admin that names an object fails `test_every_url_naming_an_object_is_classified` until it
is added to YUBEI_OBJECT_URLS (and so attacked by the other tests) or to NOT_A_DISTRICT_OBJECT with the
reason it holds nothing of one district.
"""
import datetime
import hashlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from districts.models import FigureNote, ImportJob, Period, Submission, Unit
from districts.services import figures_save, period_open
from enterprises.models import CultivationEntry, Enterprise, EnterpriseFigures, StatusRecord
from enterprises.services import cultivation_entry_save, enterprise_create, status_record_save
from evaluation.tests.conftest import draft, period, scheme  # noqa: F401
from funds.models import EconomyFigures, Fund, FundAllocation, FundFlow
from ledger.models import Attachment, LeaderAssignment, ProgressNote, Round, RoundItem, Task
from ledger.tests.conftest import make_task
from platforms.models import Platform, PlatformMilestone
from portal.admin import RestrictedAdmin, RestrictedInline

OUR_APPS = ("districts", "enterprises", "funds", "platforms", "indicators", "ledger", "evaluation", "briefs")

# URL name -> the kwargs naming 渝北's object (or, for evaluation, a draft no district may see).
YUBEI_OBJECT_URLS = {
    "dashboards:unit": lambda o: {"code": "500112"},
    "districts:quarter": lambda o: {"period_code": "2026Q3", "unit_code": "500112"},
    "platforms:detail": lambda o: {"pk": o["platform"].pk},
    "spreadsheets:job": lambda o: {"pk": o["job"].pk},
    "spreadsheets:job-status": lambda o: {"pk": o["job"].pk},
    "spreadsheets:confirm": lambda o: {"pk": o["job"].pk},
    "ledger:task": lambda o: {"pk": o["task"].pk},
    "ledger:task_edit": lambda o: {"pk": o["task"].pk},
    "ledger:attachment": lambda o: {"pk": o["attachment"].pk},
    "ledger:export": lambda o: {"unit_code": "500112"},
    "ledger:round_answer": lambda o: {"pk": o["round_item"].pk},
    "evaluation:report": lambda o: {"pk": o["draft"].pk},
    "evaluation:pdf": lambda o: {"pk": o["draft"].pk},
    "evaluation:xlsx": lambda o: {"pk": o["draft"].pk},
    "evaluation:sensitivity": lambda o: {"pk": o["draft"].pk},
    "evaluation:publish": lambda o: {"pk": o["draft"].pk},
    "evaluation:new_version": lambda o: {"pk": o["draft"].pk},
    "evaluation:compute": lambda o: {"pk": o["draft"].scheme_id},
    "submission-detail": lambda o: {"unit": "500112", "period": "2026Q3"},
    "submission-approve": lambda o: {"unit": "500112", "period": "2026Q3"},
    "submission-reopen": lambda o: {"unit": "500112", "period": "2026Q3"},
    "submission-return-": lambda o: {"unit": "500112", "period": "2026Q3"},
    "submission-submit": lambda o: {"unit": "500112", "period": "2026Q3"},
    "figures-detail": lambda o: {"unit": "500112", "period": "2026Q3"},
    "enterprisefigures-detail": lambda o: {"pk": o["enterprise_figures"].pk},
    "enterprise-detail": lambda o: {"pk": o["enterprise"].pk},
    "statusrecord-detail": lambda o: {"pk": o["status_record"].pk},
    "cultivationentry-detail": lambda o: {"pk": o["cultivation_entry"].pk},
    "cultivationentry-notes": lambda o: {"pk": o["cultivation_entry"].pk},
    "enterprises:cultivation_entry": lambda o: {"pk": o["cultivation_entry"].pk},
    "economyfigures-detail": lambda o: {"pk": o["economy_figures"].pk},
    "fundflow-detail": lambda o: {"pk": o["fund_flow"].pk},
    "platform-detail": lambda o: {"pk": o["platform"].pk},
    "platformmilestone-detail": lambda o: {"pk": o["milestone"].pk},
    "task-detail": lambda o: {"pk": o["task"].pk},
    "progressnote-detail": lambda o: {"pk": o["progress_note"].pk},
    "rounditem-detail": lambda o: {"pk": o["round_item"].pk},
    "round-detail": lambda o: {"pk": o["round_item"].round_id},  # a round asking 渝北 only
}
NOT_A_DISTRICT_OBJECT = {
    "password_reset_confirm": "a signed token, not an id",
    "dashboards:download": "a dataset name; the unit in its query goes through dashboards.unit_for (tested)",
    "districts:completeness": "a period, shared reference data",
    "districts:period_action": "a period; only municipal staff act on it (test_permissions)",
    "spreadsheets:export": "a list name; rows go through restrict()",
    "ledger:round": "a scheduling round of the bureau across units; its items are district objects",
    "unit-detail": "reference data read by everyone",
    "unitgroup-detail": "reference data read by everyone",
    "period-detail": "reference data read by everyone",
    "fund-detail": "reference data read by everyone",
    "indicator-detail": "reference data read by everyone",
    "plan-detail": "reference data read by everyone",
    "target-detail": "the bureau's published targets",
    "indicatorvalue-detail": "computed from approved figures only",
    "fundallocation-detail": "the bureau's allocations to a unit, read-only in the API",
    "evaluation-detail": "the API lists published evaluations only",
    "briefs:download": "a city-wide brief; district staff read none (briefs/tests)",
}
# Admin models whose rows are no district's unapproved figures: no permission for district staff (auth, axes,
# beat, API keys), shared reference data, published targets and computed values, who belongs where, the
# bureau's own rounds and schemes, and computation logs. Draft evaluations: test_a_draft_evaluation_...
ADMIN_NOT_DISTRICT = {
    "auth.group", "auth.user", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
    "django_celery_beat.periodictask", "django_celery_beat.clockedschedule", "django_celery_beat.crontabschedule",
    "django_celery_beat.solarschedule", "django_celery_beat.intervalschedule", "districts.apikey",
    "districts.unitgroup", "districts.period", "districts.policyarticle", "funds.fund", "indicators.indicator",
    "indicators.plan", "indicators.target", "indicators.indicatorvalue", "districts.membership",
    "ledger.leaderassignment", "ledger.round", "evaluation.scheme", "evaluation.dimension", "evaluation.evaluation",
    "indicators.dashboardrun", "evaluation.evaluationrun", "briefs.quarterlybrief", "briefs.briefsubscription",
    "enterprises.statusvalidity",
}
REFUSED = {403, 404, 405}


def url_patterns(resolver=None, namespace=""):
    """(name with namespace, pattern, argument names) of every URL, admin excepted (walked from its registry)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern, set(pattern.pattern.regex.groupindex) - {"format"}


def naming_an_object():
    return sorted({name for name, _, arguments in url_patterns() if arguments})


def test_every_url_naming_an_object_is_classified():
    unclassified = set(naming_an_object()) - set(YUBEI_OBJECT_URLS) - set(NOT_A_DISTRICT_OBJECT)
    assert unclassified == set(), "add them to YUBEI_OBJECT_URLS or NOT_A_DISTRICT_OBJECT"
    assert set(YUBEI_OBJECT_URLS) | set(NOT_A_DISTRICT_OBJECT) <= set(naming_an_object()), "stale entries"


# The admins of district rows: the yubei_objects fixture holds one row of each.
ADMIN_OF_DISTRICT_ROWS = (Unit, Submission, FigureNote, ImportJob, EnterpriseFigures, EconomyFigures, FundAllocation,
                          FundFlow, Platform, PlatformMilestone, Task, Enterprise, StatusRecord,
                          CultivationEntry)


def test_every_admin_is_classified():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered - ADMIN_NOT_DISTRICT == {model._meta.label_lower for model in ADMIN_OF_DISTRICT_ROWS}


@pytest.fixture
def yubei_objects(yubei_clerk, city_staff, draft):  # noqa: F811
    """渝北's unapproved quarter with figures, a platform, an import, a ledger task, and the bureau's draft."""
    yubei = Unit.objects.get(code="500112")
    quarter = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=quarter, deadline=timezone.localdate() + datetime.timedelta(days=30))
    fund = Fund.objects.order_by("code").first()
    figures_save(user=yubei_clerk, unit=yubei, period=quarter,
                 values={"enterprises.tech_smes": 7, "economy.rd_spending": 9, f"fundflow.{fund.code}.received": 3})
    platform = Platform.objects.create(unit=yubei, name="渝北未公开平台", kind="incubator", level="district")
    task = make_task("500112", "渝北未公开任务")
    round_ = Round.objects.create(title="一季度调度", due=datetime.date(2026, 12, 1), created_by=city_staff)
    enterprise = enterprise_create(user=city_staff, name="渝北未公开企业有限公司", unit=yubei)
    status_record, _ = status_record_save(user=city_staff, enterprise=enterprise, kind="high_tech",
                                          issued=datetime.date(2025, 1, 1))
    return {
        "unit": yubei,
        "submission": Submission.objects.get(unit=yubei, period=quarter),
        "note": FigureNote.objects.create(submission=Submission.objects.get(unit=yubei, period=quarter),
                                          figure="enterprises.tech_smes", kind="explanation", text="渝北说明"),
        "enterprise_figures": EnterpriseFigures.objects.get(unit=yubei, period=quarter),
        "economy_figures": EconomyFigures.objects.get(unit=yubei, period=quarter),
        "fund_flow": FundFlow.objects.get(unit=yubei, period=quarter),
        "fund_allocation": FundAllocation.objects.create(fund=fund, unit=yubei, year=2026, allocated=100),
        "platform": platform,
        "milestone": PlatformMilestone.objects.create(platform=platform, period=quarter, title="渝北里程碑",
                                                      date=datetime.date(2026, 8, 1)),
        "job": ImportJob.objects.create(created_by=yubei_clerk, content=b"unit\n", file_name="渝北.csv",
                                        period=quarter),
        "task": task,
        "attachment": Attachment.objects.create(task=task, file=SimpleUploadedFile("渝北.pdf", b"%PDF-1.4"),
                                                name="渝北.pdf", uploaded_by=yubei_clerk),
        "round_item": RoundItem.objects.create(round=round_, task=task),
        "enterprise": enterprise,
        "status_record": status_record,
        "cultivation_entry": cultivation_entry_save(user=city_staff, unit=yubei, enterprise=enterprise,
                                                    target="specialised", due=datetime.date(2027, 12, 31)),
        "progress_note": ProgressNote.objects.create(task=task, period=quarter, progress=30, text="渝北未公开进展",
                                                     author=yubei_clerk),
        "draft": draft,
    }


def table_digest(model) -> str:
    digest = hashlib.sha256()
    for row in model._default_manager.order_by("pk").values_list():
        # PostgreSQL answers a BinaryField as a memoryview, whose repr is its address.
        digest.update(repr([bytes(v) if isinstance(v, memoryview) else v for v in row]).encode())
    return digest.hexdigest()


def database_state() -> dict[str, str]:
    """A digest of every table of our apps, so any change anywhere shows, named by its model."""
    return {model._meta.label: table_digest(model) for model in apps.get_models() if model._meta.app_label in OUR_APPS}


def test_another_districts_clerk_gets_refused_on_every_url_naming_yubeis_objects(
    yubei_objects, wanzhou_clerk, client_for
):
    client = client_for(wanzhou_clerk)
    before = database_state()
    answers = {}
    for name, kwargs_of in YUBEI_OBJECT_URLS.items():
        url = reverse(name, kwargs=kwargs_of(yubei_objects))
        answers[name] = (client.get(url).status_code, client.post(url, {"action": "approve"}).status_code,
                         client.patch(url, {}, content_type="application/json").status_code)
    assert {name: statuses for name, statuses in answers.items() if not set(statuses) <= REFUSED} == {}
    assert database_state() == before


def test_a_draft_evaluation_is_not_in_a_district_clerks_admin(yubei_objects, wanzhou_clerk, client_for):
    client = client_for(wanzhou_clerk)
    evaluation = yubei_objects["draft"]
    draft_page = reverse("admin:evaluation_evaluation_change", args=[evaluation.pk])
    assert client.get(draft_page).status_code == 302  # to the admin index: no such object for them
    # The history pages find an object through its history, outside the admin's rows: refused all the same.
    assert client.get(reverse("admin:evaluation_evaluation_history", args=[evaluation.pk])).status_code in REFUSED
    revision = evaluation.history.latest().history_id
    assert client.get(reverse("admin:evaluation_evaluation_simple_history", args=[evaluation.pk, revision]))\
        .status_code in REFUSED
    runs = client.get(reverse("admin:evaluation_evaluationrun_changelist")).content.decode()
    assert str(evaluation.scheme) not in runs
    assert str(yubei_objects["draft"].scheme) not in client.get(reverse("admin:evaluation_evaluation_changelist"))\
        .content.decode()


def test_another_districts_clerk_gets_no_admin_page_of_yubeis_rows(yubei_objects, wanzhou_clerk, client_for):
    client = client_for(wanzhou_clerk)
    before = database_state()
    leaked = {}
    for instance in yubei_objects.values():
        opts = instance._meta
        if type(instance) not in ADMIN_OF_DISTRICT_ROWS:
            continue
        pages = {view: [instance.pk] for view in ("change", "delete", "history")}
        if hasattr(instance, "history"):  # django-simple-history's page of one revision, which can revert it
            pages["simple_history"] = [instance.pk, instance.history.latest().history_id]
        for view, args in pages.items():
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
            for response in (client.get(url), client.post(url, {"post": "yes"})):
                # The admin answers an object outside get_queryset with a redirect to its index.
                refused = response.status_code in REFUSED or (
                    response.status_code == 302 and response["Location"] == reverse("admin:index"))
                if not refused:
                    leaked[f"{opts.label_lower} {view}"] = response.status_code
    assert leaked == {}
    assert database_state() == before


# Arguments for the URLs that name no district object, so the viewer test can post to them too.
SHARED_URL_ARGUMENTS = {
    "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
    "dashboards:download": {"dataset": "units", "fmt": "csv"},
    "districts:completeness": {"period_code": "2026Q3"},
    "spreadsheets:export": {"key": "enterprises", "extension": "csv"},
    "ledger:round": lambda o: {"pk": o["round_item"].round_id},
    "fundallocation-detail": lambda o: {"pk": o["fund_allocation"].pk},
    "evaluation-detail": lambda o: {"pk": o["draft"].pk},
    "unit-detail": {"code": "500112"},
    "unitgroup-detail": {"code": "central"},
    "period-detail": {"code": "2026Q3"},
    "fund-detail": lambda o: {"code": o["fund_allocation"].fund.code},
    "indicator-detail": {"code": "tech_smes"},
    "plan-detail": {"code": "double-doubling-2027"},
    "target-detail": {"pk": 1},
    "indicatorvalue-detail": {"pk": 1},
    "briefs:download": {"pk": 1},
}
PERIOD_ACTIONS = ("open", "close", "reopen", "lock", "remind")


def every_url(objects):
    """Every URL of the portal with plausible arguments: a viewer's posts to them must change nothing."""
    for name, _pattern, arguments in url_patterns():
        if not arguments:
            yield reverse(name)
        elif name in YUBEI_OBJECT_URLS:
            yield reverse(name, kwargs=YUBEI_OBJECT_URLS[name](objects))
        elif name == "districts:period_action":
            yield from (reverse(name, kwargs={"period_code": "2026Q4", "action": a}) for a in PERIOD_ACTIONS)
        else:
            kwargs = SHARED_URL_ARGUMENTS[name]  # a KeyError here: give the new URL its arguments
            yield reverse(name, kwargs=kwargs(objects) if callable(kwargs) else kwargs)
    for model in admin.site._registry:
        yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def test_a_municipal_viewer_changes_nothing_by_posting_to_any_url(yubei_objects, city_viewer, client_for):
    client = client_for(city_viewer)
    before = database_state()
    statuses = {}
    for url in every_url(yubei_objects):
        if url == reverse("logout"):
            continue  # the viewer's own session, last
        data = {"action": "approve", "comment": "查看人员", "deadline": "2027-01-25", "title": "查看人员",
                "progress": "100", "answer": "查看人员"}
        statuses[url] = client.post(url, data).status_code
    assert database_state() == before
    assert 500 not in statuses.values()


def test_every_post_without_the_csrf_token_is_refused(yubei_objects, city_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(city_staff)
    before = database_state()
    accepted = {url: status for url in every_url(yubei_objects)
                if (status := client.post(url, {"action": "approve"}).status_code) != 403}
    assert accepted == {}
    assert database_state() == before


def test_every_admin_and_inline_of_the_portal_goes_through_restrict():
    """The walk below cannot reach an object no fixture made; this holds every admin to the shared mechanism."""
    ours = {model: model_admin for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in OUR_APPS}
    assert {model._meta.label for model, model_admin in ours.items() if not isinstance(model_admin, RestrictedAdmin)}\
        == set()
    assert {inline.__name__ for model_admin in ours.values() for inline in model_admin.inlines
            if not issubclass(inline, RestrictedInline)} == set()


@pytest.fixture
def wanzhou_objects(yubei_objects, wanzhou_clerk, city_staff):
    """万州's rows beside 渝北's, each carrying a text that must never reach 渝北's clerk; the bureau's people
    around them (a superuser, 万州's leader) who are no one 渝北's clerk may see listed."""
    wanzhou = Unit.objects.get(code="500101")
    root = get_user_model().objects.create_superuser("root_admin", password="pw-for-tests-1")
    quarter = Period.objects.get_by_code("2026Q3")
    figures_save(user=wanzhou_clerk, unit=wanzhou, period=quarter, values={"enterprises.tech_smes": 5})
    FigureNote.objects.create(submission=Submission.objects.get(unit=wanzhou, period=quarter),
                              figure="enterprises.tech_smes", kind="explanation", text="万州未公开说明")
    task = make_task("500101", "万州未公开任务")
    RoundItem.objects.create(round=yubei_objects["round_item"].round, task=task, answer="万州未公开反馈",
                             answered_by=wanzhou_clerk)
    platform = Platform.objects.create(unit=wanzhou, name="万州未公开平台", kind="incubator", level="district")
    PlatformMilestone.objects.create(platform=platform, period=quarter, title="万州未公开里程碑",
                                     date=datetime.date(2026, 8, 1), created_by=wanzhou_clerk)
    leader = get_user_model().objects.create_user("wanzhou_leader", password="pw-for-tests-1")
    assignment = LeaderAssignment(leader=leader, note="万州未公开分片")
    assignment._history_user = root
    assignment.save()
    assignment.units.set([wanzhou])
    yubei_leader = LeaderAssignment(leader=get_user_model().objects.create_user("yubei_leader"), note="渝北分片")
    yubei_leader._history_user = root  # changed by someone 渝北's clerk may not see listed
    yubei_leader.save()
    yubei_leader.units.set([yubei_objects["unit"]])
    return ["万州未公开", wanzhou_clerk.username, root.username, leader.username]


def admin_pages_of(user, per_model: int = 5):
    """Every admin page a user can reach: each list, add form, and the change and history pages of the first
    `per_model` rows the admin shows them (the rows a fixture made first, then reference rows)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        yield reverse(f"{prefix}_changelist")
        yield reverse(f"{prefix}_add")
        for pk in model_admin.get_queryset(request).order_by("-pk").values_list("pk", flat=True)[:per_model]:
            yield reverse(f"{prefix}_change", args=[pk])
            yield reverse(f"{prefix}_history", args=[pk])


def test_a_clerk_sees_no_other_units_rows_or_people_on_any_admin_page(
    wanzhou_objects, yubei_clerk, yubei_objects, client_for
):
    client = client_for(yubei_clerk)
    # 渝北's milestone, with its choices of people, is among the pages: its own admin and its platform's inline.
    leaks, answered = {}, {}
    for url in admin_pages_of(yubei_clerk):
        response = client.get(url)
        answered[url] = response.status_code
        page = response.content.decode() if response.status_code == 200 else ""
        if found := [marker for marker in wanzhou_objects if marker in page]:
            leaks[url] = found
    assert leaks == {}
    assert 500 not in answered.values()
    round_page = reverse("admin:ledger_round_change", args=[yubei_objects["round_item"].round_id])
    assert answered[round_page] == 200 and "渝北未公开任务" in client.get(round_page).content.decode()
