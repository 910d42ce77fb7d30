"""Importing an announcement list: matching by code, normalised name or earlier name, all or nothing, twice = once."""
import datetime

import pytest
from django.db import connection

from districts.tests.files import csv_bytes, xlsx_bytes
from enterprises import lists
from enterprises.credit_codes import synthetic
from enterprises.lists import status_list_import
from enterprises.models import Enterprise, StatusRecord
from enterprises.services import enterprise_update, status_record_save

D = datetime.date
HEADER = ["序号", "企业名称", "统一社会信用代码", "证书编号", "发证日期"]


@pytest.fixture
def firms(make_enterprise, city_staff):
    """Four enterprises of 渝北: one known by its code, one by a bracketed name, one renamed, and two of one name."""
    by_code = make_enterprise("500112", "重庆代码科技有限公司", credit_code=synthetic("500112", 501))
    bracketed = make_enterprise("500112", "重庆(渝北)智能装备有限公司", credit_code=None)
    renamed = make_enterprise("500112", "重庆旧名材料有限公司", credit_code=None)
    enterprise_update(user=city_staff, enterprise=renamed, name="重庆新名材料有限责任公司")
    twins = [make_enterprise(code, "重庆同名商贸有限公司", credit_code=None) for code in ("500112", "500112")]
    return {"by_code": by_code, "bracketed": bracketed, "renamed": renamed, "twins": twins}


def clean_list(firms):
    """A GBK CSV with a title row, as a bureau exports it: full-width brackets, stray spaces, an earlier name."""
    return csv_bytes([
        ["2024年重庆市第一批高新技术企业名单"],
        HEADER,
        ["1", "重庆代码科技有限公司（原名）", synthetic("500112", 501), "GR202450000001", "2024-11-20"],
        ["2", " 重庆（渝北）智能装备 有限公司 ", "", "GR202450000002", "2024年11月20日"],
        ["3", "重庆旧名材料有限公司", "", "GR202450000003", "２０２４/１１/２０"],
    ], encoding="gbk")


def records():
    return sorted(StatusRecord.objects.values_list("enterprise__name", "kind", "number", "issued", "valid_until"))


def test_a_clean_list_is_checked_without_writing_then_imported(firms, city_staff):
    content = clean_list(firms)
    check = status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech")
    assert (check.rows, check.changed, check.problems, check.unresolved, check.written) == (3, 3, [], [], False)
    assert records() == []
    done = status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech", dry_run=False)
    assert done.written and done.changed == 3
    until = D(2027, 11, 19)
    assert records() == [
        ("重庆(渝北)智能装备有限公司", "high_tech", "GR202450000002", D(2024, 11, 20), until),
        ("重庆代码科技有限公司", "high_tech", "GR202450000001", D(2024, 11, 20), until),  # matched by its code
        ("重庆新名材料有限责任公司", "high_tech", "GR202450000003", D(2024, 11, 20), until),  # by its earlier name
    ]


def test_importing_the_same_list_again_changes_nothing(firms, city_staff):
    content = clean_list(firms)
    status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech", dry_run=False)
    before = list(StatusRecord.history.values_list("history_id", flat=True))
    again = status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech", dry_run=False)
    assert (again.changed, again.unchanged) == (0, 3)
    assert list(StatusRecord.history.values_list("history_id", flat=True)) == before


def test_unmatched_and_ambiguous_names_are_listed_and_nothing_is_written(firms, city_staff):
    content = xlsx_bytes([
        HEADER,
        ["1", "重庆代码科技有限公司", synthetic("500112", 501), "GR1", datetime.datetime(2024, 11, 20)],
        ["2", "重庆不存在有限公司", "", "GR2", datetime.datetime(2024, 11, 20)],
        ["3", "重庆同名商贸有限公司", "", "GR3", datetime.datetime(2024, 11, 20)],
    ], title="高新技术企业名单", merge_title=True)
    outcome = status_list_import(user=city_staff, content=content, file_name="名单.xlsx", kind="high_tech",
                                 dry_run=False)
    twins = sorted((firm.pk, firm.name) for firm in firms["twins"])
    assert [(row["row"], row["name"], row["candidates"]) for row in outcome.unresolved] == [
        (4, "重庆不存在有限公司", []), (5, "重庆同名商贸有限公司", twins)]
    assert not outcome.written and records() == []


def test_a_person_resolves_the_listed_names_and_the_list_imports(firms, city_staff, make_enterprise):
    content = csv_bytes([HEADER, ["1", "重庆同名商贸有限公司", "", "GR3", "2024-11-20"]])
    chosen = firms["twins"][1]
    outcome = status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech",
                                 resolutions={"重庆同名商贸有限公司": chosen.pk}, dry_run=False)
    assert outcome.written
    assert list(StatusRecord.objects.values_list("enterprise", flat=True)) == [chosen.pk]


def test_a_row_with_a_wrong_check_character_or_date_blocks_the_file(firms, city_staff):
    wrong = synthetic("500112", 501)[:-1] + ("0" if synthetic("500112", 501)[-1] != "0" else "1")
    content = csv_bytes([HEADER, ["1", "重庆代码科技有限公司", wrong, "GR1", "2024-11-20"],
                         ["2", "重庆(渝北)智能装备有限公司", "", "GR2", "2024-13-40"]])
    outcome = status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech",
                                 dry_run=False)
    assert [(p["row"], p["column"]) for p in outcome.problems] == [(2, "C"), (3, "E")]
    assert records() == []


def test_rows_without_a_date_take_the_lists_date(firms, city_staff):
    content = csv_bytes([["企业名称", "入库登记编号"], ["重庆代码科技有限公司", "202450011200001"]])
    outcome = status_list_import(user=city_staff, content=content, file_name="入库.csv", kind="tech_sme",
                                 issued=D(2024, 4, 30), dry_run=False)
    assert outcome.written
    assert records() == [("重庆代码科技有限公司", "tech_sme", "202450011200001", D(2024, 4, 30), D(2024, 12, 31))]


def test_a_clerk_cannot_reach_another_units_enterprise_through_a_list(firms, wanzhou_clerk):
    outcome = status_list_import(user=wanzhou_clerk, content=clean_list(firms), file_name="名单.csv",
                                 kind="high_tech", resolutions={"重庆同名商贸有限公司": firms["twins"][0].pk},
                                 dry_run=False)
    assert len(outcome.unresolved) == 3 and not outcome.written
    assert records() == [] and Enterprise.objects.count() == 5


def test_a_file_that_is_no_list_is_refused_whole(firms, city_staff):
    outcome = status_list_import(user=city_staff, content=b"\xd0\xcf\x11\xe0old", file_name="名单.xls",
                                 kind="high_tech", dry_run=False)
    assert len(outcome.problems) == 1 and not outcome.written


def test_a_corrected_number_changes_the_record_with_its_history(firms, city_staff):
    status_list_import(user=city_staff, content=clean_list(firms), file_name="名单.csv", kind="high_tech",
                       dry_run=False)
    corrected = csv_bytes([HEADER, ["1", "重庆代码科技有限公司", synthetic("500112", 501), "GR202450000009",
                                    "2024-11-20"]])
    check = status_list_import(user=city_staff, content=corrected, file_name="名单.csv", kind="high_tech")
    done = status_list_import(user=city_staff, content=corrected, file_name="名单.csv", kind="high_tech",
                              dry_run=False)
    assert (check.changed, check.unchanged, done.changed, done.unchanged) == (1, 0, 1, 0)
    record = StatusRecord.objects.get(enterprise=firms["by_code"])
    assert record.number == "GR202450000009"
    assert [(h.history_type, h.number, h.history_user) for h in record.history.order_by("history_id")] == [
        ("+", "GR202450000001", city_staff), ("~", "GR202450000009", city_staff)]


def test_a_second_row_of_one_enterprise_and_issue_day_is_an_error_naming_the_first(firms, city_staff):
    content = csv_bytes([HEADER, ["1", "重庆代码科技有限公司", synthetic("500112", 501), "GR1", "2024-11-20"],
                         ["2", "重庆(渝北)智能装备有限公司", "", "GR2", "2024-11-20"],
                         ["3", "重庆代码科技有限公司", "", "GR3", "2024/11/20"]])
    outcome = status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech",
                                 dry_run=False)
    assert [(p["row"], p["column"], "第 2 行" in p["message"]) for p in outcome.problems] == [(4, None, True)]
    assert not outcome.written and records() == []


def test_backslashes_tabs_and_nul_characters_in_cells_are_read_as_text(firms, city_staff):
    # Rows with nothing in the list's columns are skipped: they put the NUL characters past the bytes the reader
    # looks at to refuse a UTF-16 file.
    padding = [["备注" * 20] for _n in range(100)]
    content = csv_bytes([HEADER, *padding, ["1", "重庆\\N\t有限公司\x00", "", "GR\\1", "2024-11-20"],
                         ["2", "重庆代码科技有限公司", synthetic("500112", 501), "GR2\x00", "2024-11-20"]])
    outcome = status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech")
    # PostgreSQL's text cannot hold the NUL character: it is left out there.
    assert [(row["row"], row["name"].replace("\x00", ""), row["candidates"]) for row in outcome.unresolved] == [
        (102, "重庆\\N\t有限公司", [])]
    assert (outcome.rows, outcome.changed, outcome.problems) == (2, 1, [])


# A confirmation writes what its check compared only while the registry is as the check read it.
@pytest.fixture
def committed(transactional_db):
    """Each step its own committed transaction, as the check and the confirmation are two requests; a check is kept
    on PostgreSQL only."""
    if connection.vendor != "postgresql":
        pytest.skip("a check is kept on PostgreSQL only")


def imported(user, content, **options):
    return status_list_import(user=user, content=content, file_name="名单.csv", kind="high_tech", dry_run=False,
                              **options)


def numbers():
    return dict(StatusRecord.objects.values_list("enterprise__name", "number"))


def test_a_confirmation_of_an_unchanged_registry_writes_what_the_check_compared(committed, firms, city_staff,
                                                                                 monkeypatch):
    content = clean_list(firms)
    check = status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech")
    monkeypatch.setattr(lists, "read_sheet", None)  # the confirmation does not read the file again
    done = imported(city_staff, content)
    assert (done.written, done.rows, done.changed, done.unchanged) == (True, check.rows, 3, 0)
    assert numbers() == {"重庆(渝北)智能装备有限公司": "GR202450000002", "重庆代码科技有限公司": "GR202450000001",
                         "重庆新名材料有限责任公司": "GR202450000003"}
    assert {h.history_user for h in StatusRecord.history.all()} == {city_staff}


def test_a_record_saved_between_the_check_and_the_confirmation_is_compared_again(committed, firms, city_staff,
                                                                                  yubei_clerk):
    content = clean_list(firms)
    status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech")
    status_record_save(user=yubei_clerk, enterprise=firms["by_code"], kind="high_tech", issued=D(2024, 11, 20),
                       number="GR-FROM-THE-CLERK")
    done = imported(city_staff, content)
    # Checked again: the clerk's record is updated (not inserted a second time), the other two inserted.
    assert (done.written, done.changed, done.unchanged) == (True, 3, 0)
    assert numbers()["重庆代码科技有限公司"] == "GR202450000001"
    record = StatusRecord.objects.get(enterprise=firms["by_code"])
    assert [(h.history_type, h.number, h.history_user) for h in record.history.order_by("history_id")] == [
        ("+", "GR-FROM-THE-CLERK", yubei_clerk), ("~", "GR202450000001", city_staff)]


def test_a_name_made_ambiguous_between_the_check_and_the_confirmation_blocks_the_file(committed, firms,
                                                                                       city_staff, make_enterprise):
    content = clean_list(firms)
    check = status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech")
    assert check.unresolved == []
    second = make_enterprise("500112", "重庆(渝北)智能装备有限公司", credit_code=None)
    done = imported(city_staff, content)
    assert [(row["row"], sorted(pk for pk, _name in row["candidates"])) for row in done.unresolved] == [
        (4, sorted([firms["bracketed"].pk, second.pk]))]
    assert not done.written and StatusRecord.objects.count() == 0


def test_another_persons_confirmation_and_a_second_confirmation_check_again(committed, firms, city_staff, yubei_clerk):
    content = csv_bytes([["企业名称", "统一社会信用代码", "证书编号", "发证日期"],
                         ["重庆代码科技有限公司", synthetic("500112", 501), "GR1", "2024-11-20"]])
    status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech")
    status_list_import(user=yubei_clerk, content=content, file_name="名单.csv", kind="high_tech")
    first = imported(yubei_clerk, content)
    second = imported(city_staff, content)
    assert (first.written, first.changed, second.written, second.changed, second.unchanged) == (True, 1, True, 0, 1)
    assert StatusRecord.history.count() == 1


def test_with_the_cache_out_of_reach_a_list_is_checked_and_imported_all_the_same(committed, firms, city_staff,
                                                                                  settings):
    """A kept check only saves work: with Redis down, nothing is kept and the confirmation checks the file again."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0"}}  # nothing listens on the discard port
    content = clean_list(firms)
    check = status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech")
    done = imported(city_staff, content)
    assert (check.problems, check.changed, done.written, done.changed) == ([], 3, True, 3)
    assert numbers() == {"重庆(渝北)智能装备有限公司": "GR202450000002", "重庆代码科技有限公司": "GR202450000001",
                         "重庆新名材料有限责任公司": "GR202450000003"}


def test_a_list_refused_while_its_rows_are_read_is_one_problem_and_nothing_is_written(firms, city_staff, settings):
    settings.IMPORT_MAX_ROWS = 2
    outcome = status_list_import(user=city_staff, content=clean_list(firms), file_name="名单.csv", kind="high_tech",
                                 dry_run=False)
    assert [(p["row"], "超过 2 行" in p["message"]) for p in outcome.problems] == [(None, True)]
    assert not outcome.written and records() == []


def test_a_name_a_person_resolved_takes_the_enterprise_they_chose_over_the_rows_credit_code(firms, city_staff):
    content = csv_bytes([HEADER, ["1", "重庆代码科技有限公司", synthetic("500112", 501), "GR1", "2024-11-20"]])
    chosen = firms["bracketed"]
    outcome = status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech",
                                 resolutions={"重庆代码科技有限公司": chosen.pk}, dry_run=False)
    assert outcome.written
    assert list(StatusRecord.objects.values_list("enterprise", flat=True)) == [chosen.pk]


def test_a_wrong_credit_code_takes_the_place_of_a_rows_own_problem_and_a_registered_one_does_not(firms, city_staff):
    registered = synthetic("500112", 501)
    wrong = registered[:-1] + ("0" if registered[-1] != "0" else "1")
    content = csv_bytes([HEADER, ["1", "重庆代码科技有限公司", registered, "GR1", "不是日期"],
                         ["2", "重庆(渝北)智能装备有限公司", wrong, "GR2", "不是日期"],
                         ["3", "重庆旧名材料有限公司", "", "GR3", "2024-11-20"]])
    outcome = status_list_import(user=city_staff, content=content, file_name="名单.csv", kind="high_tech")
    assert [(p["row"], p["column"]) for p in outcome.problems] == [(2, "E"), (3, "C")]
    # Only the row matched by its earlier name counts: the two with a problem match nothing.
    assert (outcome.unresolved, outcome.changed, outcome.unchanged) == ([], 1, 0)


def test_a_check_leaves_the_planner_settings_of_the_callers_transaction_as_they_were(firms, city_staff):
    """The code look-ups run without the JIT; the caller's later statements are planned as before."""
    def jit():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jit')")
            return cursor.fetchone()[0]

    if connection.vendor != "postgresql":
        pytest.skip("the JIT is PostgreSQL's")
    before = jit()
    for dry_run in (True, False):
        status_list_import(user=city_staff, content=clean_list(firms), file_name="名单.csv", kind="high_tech",
                           dry_run=dry_run)
        assert jit() == before
