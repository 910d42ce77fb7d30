# ruff: noqa: S608 -- SQL built from the staging table's name and placeholders only; values are parameters
"""Import of the status lists bureaus receive (announcement lists of certificates, registration exports), read
by the quarterly import's reader (GBK or UTF-8 CSV, .xlsx from Excel or WPS, title rows, full-width text).

Each row is matched to an enterprise the user may change: by credit code, else by its name after normalising
(full-width and half-width brackets and spaces alike; 有限公司 and 有限责任公司 stay as spelled), else by an
earlier name. A row that matches nothing, or more than one enterprise, is listed for a person to resolve (by
choosing the enterprise for that name, or adding it to the registry) and blocks the whole file: nothing is written
until a check finds no error.

The file is read once, into a temporary table (`enterprises.staging`, one COPY fed as the file is read): one
statement matches every row by credit code and compares it with what is recorded (`status_records_compare_staged`);
Python checks only the credit codes not on the registry and matches by name only the rows not found by their code
(compared in turn); one statement finds a second row of one enterprise and issue day, and one writes
(`status_records_save_compared`). A check without error is kept for its
confirmation, which writes what the check compared if the registry has not changed since (`enterprises.kept_checks`)
and otherwise checks the file again. Importing a list twice changes nothing the second time, and memory does not grow
with the file.
"""
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection, transaction
from django.utils.translation import gettext as _

from districts.spreadsheets.columns import HeaderMatch
from districts.spreadsheets.normalise import clean_text
from districts.spreadsheets.reader import HEADER_SEARCH_ROWS, FileRefused, Layout, column_letter, read_sheet
from enterprises import credit_codes, kept_checks, staging
from enterprises.models import Enterprise, StatusRecord, StatusValidity
from enterprises.services import (
    COMPARED_COLUMNS,
    status_records_compare_staged,
    status_records_compared_counts,
    status_records_save_compared,
)
from portal.planner import local_setting

HEADERS = {
    "credit_code": {"统一社会信用代码", "社会信用代码", "信用代码"},
    "name": {"企业名称", "单位名称", "名称", "企业"},
    "number": {"证书编号", "编号", "入库登记编号", "登记编号", "文号"},
    "issued": {"发证日期", "发证时间", "认定日期", "入库日期", "公布日期"},
    "valid_until": {"有效期至", "有效期截止日期", "截止日期"},
}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$|^(\d{4})(\d{2})(\d{2})$")
PREVIEW_LIMIT = 1000
NUMBER_LENGTH = StatusRecord._meta.get_field("number").max_length
ROWS_PER_STATEMENT = 500  # staged rows named in one statement (SQLite limits a statement's parameters)


def name_key(name) -> str:
    """A name as matched: NFKC (full-width brackets and letters to half-width), no spaces, case folded."""
    return clean_text(name).casefold()


def _match_header(value) -> HeaderMatch | None:
    text = clean_text(value)
    return next((HeaderMatch(role) for role, names in HEADERS.items() if text in names), None)


LIST_LAYOUT = Layout(
    match=_match_header,
    complete=lambda roles: bool(roles & {"credit_code", "name"}),
    missing=lambda tried: _("在工作表（%(sheets)s）的前 %(n)s 行中找不到表头：需要“统一社会信用代码”或“企业名称”列。")
    % {"sheets": "、".join(tried), "n": HEADER_SEARCH_ROWS},
)


class NotADate(ValueError):
    pass


def parse_date(value) -> datetime.date | None:
    """A cell as a date: an Excel date, 2023-12-12, 2023/12/12, 2023年12月12日, 20231212 (full-width too)."""
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE.match(clean_text(value))
    if not match:
        raise NotADate(str(value).strip())
    year, month, day = (int(part) for part in (match.groups()[:3] if match[1] else match.groups()[3:]))
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise NotADate(str(value).strip()) from exc


@dataclass
class ListImport:
    """What a check or import of a list found. `unresolved` are the rows a person must resolve: each with the
    name as written and the candidates (none: no such enterprise; several: which one?)."""

    rows: int = 0
    changed: int = 0
    unchanged: int = 0
    written: bool = False
    problems: list[dict] = field(default_factory=list)
    unresolved: list[dict] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.problems or self.unresolved)

    def problem(self, row, column, message):
        if len(self.problems) < PREVIEW_LIMIT:
            self.problems.append({"row": row, "column": column, "message": str(message)})


class _Names:
    """The enterprises a user may change by normalised name and normalised earlier name, read whole, and only when
    a row is not found by its credit code."""

    def __init__(self, scope):
        self.names, self.codes, self.by_name, self.by_earlier = {}, {}, defaultdict(set), defaultdict(set)
        for pk, code, name, earlier in scope.values_list("pk", "credit_code", "name", "earlier_names").iterator():
            self.names[pk], self.codes[pk] = name, code
            self.by_name[name_key(name)].add(pk)
            for old in earlier:
                self.by_earlier[name_key(old)].add(pk)

    def candidates(self, code: str, key: str) -> set[int]:
        named = self.by_name.get(key) or self.by_earlier.get(key) or set()
        # A name whose enterprise has another code is someone else's name (or a typo): a person decides.
        return {pk for pk in named if not self.codes[pk]} if code else named


class _Rollback(Exception):
    pass


# The file's rows as read, in a temporary table: `faulty` rows have a problem of their own (a date, a length);
# `enterprise_id` is the enterprise a person chose for the row's name.
STAGED = "enterprises_status_list"
STAGED_COLUMNS = {"row": "integer", "code": "varchar(200)", "name": "text", "number": "text", "issued": "date",
                  "valid_until": "date", "faulty": "boolean", "enterprise_id": "bigint"}
# Each staged row beside the record of the enterprise it is matched to (none: enterprise_id NULL), with its row and
# whether its credit code is that of an enterprise the user may change.
COMPARED = f"{STAGED}_compared"
CHECKED_COLUMNS = {"row": "integer", "by_code": "boolean", **COMPARED_COLUMNS}
NAMED = f"{STAGED}_named"  # the rows matched by name, to their enterprise
NAMED_COLUMNS = {"row": "integer", "enterprise_id": "bigint"}


def status_list_import(*, user, content: bytes, file_name: str, kind: str, issued: datetime.date | None = None,
                       resolutions: dict[str, int] | None = None, dry_run: bool = True) -> ListImport:
    """Check (dry_run) or import a list of statuses of one `kind`. `issued` is the list's date for rows that give
    none; `resolutions` maps a name as written in the file to the enterprise (pk) a person chose for it. A check
    without error is kept (`enterprises.kept_checks`): its confirmation writes what it compared unless the registry
    changed since."""
    outcome, resolutions = ListImport(), resolutions or {}
    kept = kept_checks.key(user=user, content=content, file_name=file_name, kind=kind, issued=issued,
                           resolutions=resolutions)
    try:
        with transaction.atomic():
            mark = None if not kept else kept_checks.mark_for_check() if dry_run else kept_checks.registry_mark()
            if not dry_run and mark is not None and (checked := kept_checks.trusted(kept, mark)):
                _import_checked(user, kind, checked, outcome)
                kept_checks.forget(kept)
                return outcome
            try:
                table = read_sheet(content, file_name, layout=LIST_LAYOUT)
            except FileRefused as refused:
                outcome.problem(None, None, refused)
                return outcome
            with staging.temporary_table(STAGED, STAGED_COLUMNS), \
                    staging.temporary_table(COMPARED, CHECKED_COLUMNS):
                _check(user, table, kind, issued, resolutions, outcome)
                if outcome.has_errors:
                    raise _Rollback
                if dry_run:
                    if mark is not None:
                        result = {"rows": outcome.rows, "changed": outcome.changed, "unchanged": outcome.unchanged}
                        kept_checks.keep(kept, mark, result=result,
                                         dump=lambda into: staging.dump(COMPARED, into, list(COMPARED_COLUMNS)))
                    raise _Rollback
                status_records_save_compared(user=user, kind=kind, compared=COMPARED)
            outcome.written = True
    except _Rollback:
        pass
    except FileRefused as refused:  # found while reading the rows (a formula, too many rows): nothing was written
        outcome = ListImport()
        outcome.problem(None, None, refused)
    return outcome


def _import_checked(user, kind, checked, outcome: ListImport) -> None:
    """Write what a kept check of an unchanged registry compared."""
    result, rows = checked
    outcome.rows, outcome.changed, outcome.unchanged = result["rows"], result["changed"], result["unchanged"]
    with staging.temporary_table(COMPARED, COMPARED_COLUMNS):
        staging.load(COMPARED, rows)
        status_records_save_compared(user=user, kind=kind, compared=COMPARED)
    outcome.written = True


def _check(user, table, kind, issued, resolutions, outcome: ListImport) -> None:
    """Stage the file's rows, match them and compare them with the records; the problems, the rows to resolve and the
    counts go to `outcome`, by row."""
    scope = Enterprise.objects.restrict(user, "change")
    in_scope = set(scope.filter(pk__in=set(resolutions.values())).values_list("pk", flat=True))
    resolved = {name_key(name): pk for name, pk in resolutions.items() if pk in in_scope}
    columns = {role: table.column_of(role) for role in HEADERS}
    own = _stage(table, columns, kind, issued, resolved, outcome)
    _compare_by_code(scope, kind)
    with connection.cursor() as cursor:
        problems = _match_the_rest(cursor, scope, kind, columns, own, outcome)
        problems += [problem for row_problems in own.values() for problem in row_problems]
        problems += _duplicates(cursor)
    outcome.changed, outcome.unchanged = status_records_compared_counts(compared=COMPARED)
    for problem in sorted(problems, key=lambda problem: problem[0]):
        outcome.problem(*problem)


def _stage(table, columns, kind, issued, resolved, outcome: ListImport) -> dict[int, list[tuple]]:
    """Read the file once into the staging table. Returns the problems of the rows' own values, of the first rows
    that have some: enough for the preview, since each such row shows at least one problem."""
    rule = StatusValidity.objects.filter(kind=kind).first()
    ends = {}  # issue day -> the rule's last day, for the rows that give none
    own: dict[int, list[tuple]] = {}

    def rows():
        for row in table.rows():
            outcome.rows += 1
            code, name, number, on, until, problems = _read(row, columns, issued)
            if problems:
                if len(own) < PREVIEW_LIMIT:
                    own[row.number] = problems
                yield row.number, code, name, number, None, None, True, None
                continue
            if until is None and rule is not None:
                until = ends[on] if on in ends else ends.setdefault(on, rule.valid_until(on))
            chosen = resolved.get(name_key(name)) if resolved else None
            yield row.number, code, name, number, _iso(on), _iso(until), False, chosen

    filled = ("row", "code", "name", "number", "issued", "valid_until", "faulty", "enterprise_id")
    staging.fill(STAGED, {column: STAGED_COLUMNS[column] for column in filled}, rows())
    return own


def _compare_by_code(scope, kind) -> None:
    """Match every staged row by its credit code and compare it with the record of its enterprise, in one statement:
    a row a person resolved keeps their choice; one with a problem of its own matches nothing."""
    enterprises, params = scope.order_by().values("id", "credit_code").query.sql_with_params()
    if connection.vendor == "postgresql":
        # A look-up of the credit-code index per row (LIMIT keeps it one): joined by hash, the planner reads every
        # enterprise of the registry, whatever the file's length. Its cost estimate would have the statement
        # compiled (JIT), which takes longer than the look-ups.
        by_code = f"LATERAL (SELECT id FROM ({enterprises}) e WHERE e.credit_code = s.code LIMIT 1) e ON TRUE"
    else:
        by_code = f"({enterprises}) e ON e.credit_code = s.code"
    matched = (f"(SELECT s.row, e.id IS NOT NULL AS by_code, CASE WHEN NOT s.faulty THEN COALESCE(s.enterprise_id, "
               f"e.id) END AS enterprise_id, s.issued, s.number, s.valid_until FROM {STAGED} s LEFT JOIN {by_code})")
    with connection.cursor() as cursor, local_setting(cursor, "jit", "off"):
        status_records_compare_staged(kind=kind, rows=matched, days=STAGED, params=params, compared=COMPARED,
                                      carried=("row", "by_code"))


def _match_the_rest(cursor, scope, kind, columns, own, outcome: ListImport) -> list[tuple]:
    """Of the rows whose credit code is no enterprise's: the wrong credit codes' problems (which take the place of a
    row's own), the rows matched by name or earlier name (compared again) and the rows to resolve."""
    cursor.execute(f"SELECT row, code, name, faulty, enterprise_id FROM {STAGED} WHERE row IN (SELECT row FROM "
                   f"{COMPARED} WHERE NOT by_code) ORDER BY row")
    not_found = cursor.fetchall()
    # A code on the registry passed the check when it was saved: only the others are checked.
    wrong = [(row, code) for row, code, *_rest in not_found if code and not credit_codes.is_valid(code)]
    problems = []
    for row, code in wrong:
        own.pop(row, None)
        if len(problems) < PREVIEW_LIMIT:
            problems.append((row, column_letter(columns["credit_code"]),
                             _("统一社会信用代码“%(code)s”校验不通过。") % {"code": code}))
    _leave_out(cursor, [row for row, _code in wrong])
    wrong_rows = {row for row, _code in wrong}
    unmatched = [(row, code, name) for row, code, name, faulty, chosen in not_found
                 if not faulty and chosen is None and row not in wrong_rows]
    if unmatched:
        names, by_name = _Names(scope), []
        for row, code, name in unmatched:
            found = names.candidates(code, name_key(name))
            if len(found) == 1:
                by_name.append((row, found.pop()))
            else:
                outcome.unresolved.append({"row": row, "name": name, "credit_code": code,
                                           "candidates": sorted((pk, names.names[pk]) for pk in found)})
        if by_name:
            _compare_by_name(cursor, kind, by_name)
    return problems


def _compare_by_name(cursor, kind, by_name: list[tuple[int, int]]) -> None:
    """Compare the rows matched by name, (row, enterprise) each, with their records, in place of their rows
    compared to no enterprise."""
    with staging.temporary_table(NAMED, NAMED_COLUMNS):
        staging.fill(NAMED, NAMED_COLUMNS, by_name)
        cursor.execute(f"DELETE FROM {COMPARED} WHERE row IN (SELECT row FROM {NAMED})")
        named = (f"(SELECT s.row, FALSE AS by_code, n.enterprise_id, s.issued, s.number, s.valid_until FROM {STAGED} "
                 f"s JOIN {NAMED} n ON n.row = s.row)")
        status_records_compare_staged(kind=kind, rows=named, days=STAGED, compared=COMPARED,
                                      carried=("row", "by_code"))


def _duplicates(cursor) -> list[tuple]:
    """The rows naming an enterprise and issue day an earlier row named: a problem each, and left out."""
    cursor.execute(f"SELECT row, first FROM (SELECT row, MIN(row) OVER (PARTITION BY enterprise_id, issued) AS "
                   f"first FROM {COMPARED} WHERE enterprise_id IS NOT NULL) named WHERE row <> first ORDER BY row")
    again = cursor.fetchall()
    _leave_out(cursor, [row for row, _first in again])
    return [(row, None, _("与第 %(row)s 行是同一企业同一发证日期的记录。") % {"row": first})
            for row, first in again[:PREVIEW_LIMIT]]


def _leave_out(cursor, rows: list[int]) -> None:
    """Match these rows to no enterprise, whatever they name: they change nothing."""
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        batch = rows[start:start + ROWS_PER_STATEMENT]
        cursor.execute(f"UPDATE {COMPARED} SET enterprise_id = NULL, record_id = NULL, changed = FALSE "
                       f"WHERE row IN ({', '.join(['%s'] * len(batch))})", batch)


def _read(row, columns, issued) -> tuple:
    """A row's credit code, name, number, issue day and valid-until (None: the rule's), and the problems (row,
    column, message) of its own values that keep it out, its credit code apart."""
    cell = row.cells.get
    code = credit_codes.normalise(str(cell(columns["credit_code"]) or ""))
    name, number = str(cell(columns["name"]) or "").strip(), _plain(cell(columns["number"]))
    try:
        on, until = _date(cell(columns["issued"])) or issued, _date(cell(columns["valid_until"]))
    except NotADate:
        return code, name, number, None, None, _date_problems(row, columns)
    if on is None:
        problem = (row.number, None, _("没有发证日期：请在文件中给出“发证日期”列，或填写名单的公布日期。"))
    elif until and until < on:
        problem = (row.number, column_letter(columns["valid_until"]), _("有效期至不能早于发证日期"))
    elif len(number) > NUMBER_LENGTH:
        problem = (row.number, column_letter(columns["number"]), _("编号超过 %(n)s 个字符。") % {"n": NUMBER_LENGTH})
    else:
        return code, name, number, on, until, None
    return code, name, number, on, until, [problem]


def _date_problems(row, columns) -> list[tuple]:
    problems = []
    for role in ("issued", "valid_until"):
        try:
            _date(row.cells.get(columns[role]))
        except NotADate as exc:
            problems.append((row.number, column_letter(columns[role]), _("“%(value)s”不是日期。") % {"value": exc}))
    return problems


def _plain(value) -> str:
    text = str(value or "")
    return text if text.isascii() and text.isalnum() else clean_text(text)  # which leaves such text as it is


_date = lru_cache(maxsize=1024)(parse_date)  # a list gives few dates, over and over


@lru_cache(maxsize=1024)
def _iso(day: datetime.date | None) -> str | None:
    """A day as staged (what str() of it would give the csv module, once per day)."""
    return day and day.isoformat()
