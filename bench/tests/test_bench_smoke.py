"""The benchmark harness at a tiny scale on the test database, so CI keeps `make bench` working."""
import pytest

from bench.generate import generate
from bench.run import Rows, measure_all, print_table
from bench.spread import measure_spread
from bench.surge import KEY_NAME
from conftest import current_database_url, is_postgres, require_worker_services
from districts.choices import SubmissionState
from districts.models import ApiKey, Submission, Unit, UnitGroup
from enterprises.models import Enterprise, EnterpriseFigures, StatusRecord
from indicators.models import Indicator, Plan, Target

pytestmark = [pytest.mark.urls("bench.urls"), pytest.mark.slow]


def test_the_generator_is_deterministic_and_only_adds_what_is_missing(db):
    first = generate(units=44, groups=3, quarters=2, seed=3, log=lambda _: None)
    ordered = EnterpriseFigures.objects.order_by("unit__code", "period__ordinal")
    values = list(ordered.values_list("tech_smes", flat=True))
    again = generate(units=44, groups=3, quarters=2, seed=3, log=lambda _: None)
    assert first["units"] == Unit.objects.count() == 44
    assert UnitGroup.objects.filter(code__startswith="bench-p").count() == 2
    assert again["enterprises"] == again["submissions"] == again["new_units"] == 0
    assert EnterpriseFigures.objects.count() == 44 * 2
    assert values == list(ordered.values_list("tech_smes", flat=True))


def keep_one_plan_and_indicator():
    """The computation's cost does not depend on the scale much at this size; one indicator keeps the test short."""
    Plan.objects.exclude(code="guidance-2022").delete()
    Target.objects.exclude(indicator__code="tech_smes").delete()
    Indicator.objects.exclude(code="tech_smes").delete()


# One client: the live server on SQLite shares one in-memory database between threads.
def test_every_measure_of_the_table_has_a_number(transactional_db, live_server, capsys):
    generate(units=41, groups=2, quarters=1, seed=1, log=lambda _: None)
    keep_one_plan_and_indicator()
    result = measure_all(units=43, groups=2, quarters=1, seed=1, csv_rows=20, workbook_units=3,
                         base_url=live_server.url, seconds=0.5, clients=1, log=lambda _: None,
                         measures=("compute", "serve", "import"))  # the others below, with real workers
    measures = [row["measure"] for row in result["rows"]]
    for expected in ("生成数据", "全量计算", "单个单位增量重算", "总览页 吞吐", "总览页 p95", "单位表 CSV 吞吐",
                     "裸视图 .values() JSON", "总览页 SQL 查询数（缓存已热）"):
        assert expected in measures
    assert any(m.startswith("导入 CSV") for m in measures) and any(m.startswith("计算峰值内存") for m in measures)
    assert all(isinstance(row["value"], int | float) for row in result["rows"]), result["rows"]
    serving = [row for row in result["rows"] if row["measure"].endswith("吞吐")]
    assert all('"errors": 0' in row["note"] for row in serving), serving
    print_table(result)
    assert "全量计算" in capsys.readouterr().out


@pytest.mark.worker
def test_the_approval_and_the_deadline_surge_have_their_numbers_through_a_real_worker(live_server,
                                                                                     celery_worker_process):
    generate(units=41, groups=2, quarters=1, seed=1, log=lambda _: None)
    keep_one_plan_and_indicator()
    result = measure_all(units=41, groups=2, quarters=1, seed=1, csv_rows=0, workbook_units=0,
                         base_url=live_server.url, seconds=0.5, clients=2, log=lambda _: None,
                         measures=("freshness", "surge"), approvals=2)
    rows = {row["measure"]: row for row in result["rows"]}
    assert rows["审核通过→API 新值 p95"]["value"] > 0
    assert rows["截止日集中报送 吞吐"]["value"] > 0
    assert rows["截止日集中报送 错误"]["value"] == rows["截止日集中报送 丢失的更新"]["value"] == 0, rows
    assert Submission.objects.filter(state=SubmissionState.SUBMITTED).count() == 41  # every unit's new quarter
    surge_keys = ApiKey.objects.filter(name=KEY_NAME)
    assert surge_keys.count() == 41 and not surge_keys.filter(revoked_at__isnull=True).exists()
    assert not surge_keys.filter(user__is_active=True).exists()  # no unit's write key outlives its run


@pytest.mark.worker
def test_the_spread_measure_times_a_full_run_on_one_real_worker_then_on_two(transactional_db):
    require_worker_services()
    generate(units=41, groups=2, quarters=1, seed=1, log=lambda _: None)
    keep_one_plan_and_indicator()
    from portal.celery import app

    app.conf.task_always_eager = False
    try:
        rows = Rows(lambda _: None)
        measure_spread(rows, log=lambda _: None, timeout=300, env={
            "DATABASE_URL": current_database_url(), "DJANGO_SETTINGS_MODULE": "portal.settings_test",
            "CELERY_TASK_ALWAYS_EAGER": "0"})
    finally:
        app.conf.task_always_eager = True
    one, two = rows.rows
    assert one["value"] > 0 and two["value"] > 0 and two["baseline"] == one["value"]
    assert two["ratio"] == two["value"] / one["value"] and two["target"] == "≤ 0.65"


def test_the_registry_measure_has_its_numbers_and_counts_agree(transactional_db, live_server):
    generate(units=43, groups=2, quarters=2, seed=1, log=lambda _: None)
    result = measure_all(units=43, groups=2, quarters=2, seed=1, csv_rows=0, workbook_units=0,
                         base_url=live_server.url, seconds=0.3, clients=1, log=lambda _: None,
                         measures=("registry",), enterprises=3000, list_rows=200)
    rows = {row["measure"]: row for row in result["rows"]}
    assert Enterprise.objects.count() > 2000 and StatusRecord.objects.count() > 4000
    assert "equal to the SQL's" in rows["名录季末计数（2 个季度）"]["note"]
    for name in ("名录 API 按名称 吞吐", "名录 API 按信用代码 吞吐"):
        assert rows[name]["value"] > 0 and '"errors": 0' in rows[name]["note"]
    imported = rows["名录导入（200 行）检查+确认"]
    assert "0 unresolved, 0 errors" in imported["note"] and "imported 200 changed" in imported["note"]
    if is_postgres():  # each record and its history row, put back
        assert "the 400 rows the import wrote" in rows["名录导入的写入下限"]["note"]
    assert isinstance(rows["名录导入检查峰值内存 RSS（200 行）"]["value"], float)
