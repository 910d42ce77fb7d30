"""The temporary table a whole file goes through: what goes in comes out, however long the file."""
import datetime

import pytest
from django.db import connection, transaction

from enterprises import staging

COLUMNS = {"row": "integer", "name": "text", "code": "varchar(20)", "issued": "date"}


def staged(rows) -> list[tuple]:
    with transaction.atomic(), staging.temporary_table("staging_test", COLUMNS), connection.cursor() as cursor:
        staging.fill("staging_test", COLUMNS, iter(rows))
        cursor.execute("SELECT row, name, code, issued FROM staging_test ORDER BY row")
        return cursor.fetchall()


@pytest.mark.django_db
def test_a_file_longer_than_a_piece_of_copy_text_is_staged_whole_with_its_awkward_cells():
    awkward = ['企业,"甲"', "第一行\n第二行", "C:\\N\t", "", "  有空格  "]
    day = datetime.date(2024, 11, 20)
    rows = [(n, awkward[n % len(awkward)] + str(n), "" if n % 3 else f"C{n}", None if n % 7 else day)
            for n in range(20_000)]
    assert staging.PIECE < 20_000 * 10  # the COPY text comes in several pieces
    assert staged(rows) == rows


@pytest.mark.django_db
def test_nul_characters_are_left_out_of_text_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's text holds no NUL character; SQLite's keeps it")
    assert staged([(1, "重庆\x00有限公司", "A\x00B", None)]) == [(1, "重庆有限公司", "AB", None)]


class Refused(Exception):
    pass


@pytest.mark.django_db
def test_an_error_raised_while_the_rows_are_read_reaches_the_caller_as_it_was():
    def rows():
        yield from ((n, "企业", "C", None) for n in range(10_000))
        raise Refused("第 10001 行")

    with pytest.raises(Refused, match="第 10001 行"):
        staged(rows())
