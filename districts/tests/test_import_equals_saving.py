"""Importing a file stores what saving its rows one by one through the form's write path stores: a property over
random small files (units, quarters, figures, row order and mistakes drawn by hypothesis).

The import checks the file against its history loaded once and kept up to date in memory, then confirms;
`figures_save` reads the database afresh for each row. Both are all or nothing: one refused row and the
file writes nothing, as the saves are rolled back together.
"""
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from districts.choices import ImportStatus
from districts.exceptions import AccessDenied, FiguresRejected, QuarterConflict
from districts.figures import quarter_values
from districts.models import ImportJob, Period, Unit
from districts.services import figures_save
from districts.spreadsheets.importer import import_apply, import_check, import_claim, import_job_create
from districts.tests.files import csv_bytes, header_of
from funds.models import Fund

UNITS = ("500112", "500101", "500102")  # 渝北, 万州; 涪陵 has a high-tech zone
PERIODS = ("2026Q2", "2026Q3")
KEYS = ("enterprises.tech_smes", "enterprises.specialised_smes", "enterprises.little_giants",
        "economy.rd_spending", "economy.zone_output", "economy.industrial_output")
FUND = len(KEYS)  # the column of the first fund's money received, whose key is read from the database

cells = st.one_of(
    st.integers(0, 300).map(str),
    st.integers(0, 300).map(str),
    st.decimals(0, 500, places=2).map(str),
    st.sampled_from(["", "-1", "12.5", "0.125", "3000000000"]),  # blank (left alone) and each kind of mistake
)


@st.composite
def files(draw):
    """The columns (indices into KEYS, FUND for the fund), then rows of distinct (unit code, quarter) with a cell
    for each column."""
    columns = draw(st.lists(st.sampled_from(range(FUND + 1)), min_size=1, max_size=4, unique=True))
    places = draw(st.lists(st.tuples(st.sampled_from(UNITS), st.sampled_from(PERIODS)), min_size=1, max_size=5,
                           unique=True))
    return columns, [(place, draw(st.lists(cells, min_size=len(columns), max_size=len(columns)))) for place in places]


def stored_figures():
    units, periods = Unit.objects.filter(code__in=UNITS), [Period.objects.get_by_code(code) for code in PERIODS]
    return {(unit.code, period.code): quarter_values(unit=unit, period=period) for unit in units for period in periods}


def rolled_back(action):
    """The figures stored after `action`, which is then undone."""
    with transaction.atomic():
        action()
        figures = stored_figures()
        transaction.set_rollback(True)
    return figures


def imported(user, period, keys, rows):
    def run():
        content = csv_bytes([["单位代码", "季度", *(header_of(key) for key in keys)],
                             *([code, quarter, *values] for (code, quarter), values in rows)])
        job, table = import_job_create(user=user, file_name="随机.csv", content=content, period=period)
        job = import_check(job=job, table=table)
        if job.status == ImportStatus.READY:
            assert import_claim(job=job)
            import_apply(job=ImportJob.objects.get(pk=job.pk))
    return run


def saved_one_by_one(user, keys, rows):
    def run():
        with transaction.atomic():
            try:
                for (code, quarter), values in rows:
                    given_values = {key: value for key, value in zip(keys, values, strict=True) if value != ""}
                    if given_values:
                        figures_save(user=user, unit=Unit.objects.get(code=code),
                                     period=Period.objects.get_by_code(quarter), values=given_values)
            except (AccessDenied, FiguresRejected, QuarterConflict):
                transaction.set_rollback(True)
    return run


@pytest.fixture
def history(record):
    """A quarter before the file's, so its first quarter has a flow's earlier year-to-date figure and a jump to
    compare with."""
    record(Unit.objects.get(code="500112"), "2026Q1", {"economy.rd_spending": "120", "enterprises.tech_smes": 40})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(drawn=files())
def test_importing_a_file_stores_what_saving_its_rows_through_the_form_stores(city_staff, quarter, history, drawn):
    columns, rows = drawn
    fund_key = f"fundflow.{Fund.objects.order_by('code').first().code}.received"
    keys = [fund_key if column == FUND else KEYS[column] for column in columns]
    by_import = rolled_back(imported(city_staff, quarter, keys, rows))
    by_form = rolled_back(saved_one_by_one(city_staff, keys, rows))
    assert by_import == by_form


def test_the_property_sees_files_that_are_written(city_staff, quarter, history):
    """The drawn files are not all refused: a plain one is written by both."""
    rows = [(("500112", "2026Q2"), ["150", "7"]), (("500112", "2026Q3"), ["180", "8"])]
    keys = ["economy.rd_spending", "enterprises.tech_smes"]
    by_import = rolled_back(imported(city_staff, quarter, keys, rows))
    assert by_import == rolled_back(saved_one_by_one(city_staff, keys, rows))
    assert by_import[("500112", "2026Q3")]["economy.rd_spending"] == Decimal("180")
