"""Import of the status lists bureaus receive (announcement lists of certificates, registration exports), read
by the quarterly import's reader (GBK or UTF-8 CSV, .xlsx from Excel or WPS, title rows, full-width text).

Each row is matched to an enterprise the user may change: by credit code, else by its name after normalising
(full-width and half-width brackets and spaces alike; 有限公司 and 有限责任公司 stay as spelled), else by an
earlier name. A row that matches nothing, or more than one enterprise, is listed for a person to resolve (by
choosing the enterprise for that name, or adding it to the registry) and blocks the whole file: nothing is written
until a check finds no error. The matched rows are written a chunk at a time through `status_records_save_many`
(the check only compares them with what is recorded), so importing a list twice changes nothing the second time,
and memory does not grow with the file.
"""
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.utils.translation import gettext as _

from districts.spreadsheets.columns import HeaderMatch
from districts.spreadsheets.normalise import clean_text
from districts.spreadsheets.reader import HEADER_SEARCH_ROWS, FileRefused, Layout, column_letter, read_sheet
from enterprises import credit_codes
from enterprises.models import Enterprise, StatusRecord
from enterprises.services import status_records_save_many

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
CHUNK = 2000  # matched rows written (or compared, by a check) together


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


class _Index:
    """The enterprises a user may change: by credit code, asked of the database for a chunk of rows at a time, and
    by normalised name and normalised earlier name, read whole only when a row is not found by its code."""

    def __init__(self, user):
        self.scope = Enterprise.objects.restrict(user, "change")
        self.by_code: dict[str, int] = {}  # of the codes of the rows being matched
        self._by_name = None

    def look_up(self, codes: set[str]) -> None:
        self.by_code = dict(self.scope.filter(credit_code__in=codes).values_list("credit_code", "pk"))

    def in_scope(self, pks) -> set[int]:
        return set(self.scope.filter(pk__in=pks).values_list("pk", flat=True))

    @property
    def by_name(self):
        if self._by_name is None:
            self.names, self.codes, by_name, by_earlier = {}, {}, defaultdict(set), defaultdict(set)
            rows = self.scope.values_list("pk", "credit_code", "name", "earlier_names")
            for pk, code, name, earlier in rows.iterator():
                self.names[pk], self.codes[pk] = name, code
                by_name[name_key(name)].add(pk)
                for old in earlier:
                    by_earlier[name_key(old)].add(pk)
            self._by_name = by_name, by_earlier
        return self._by_name

    def candidates(self, code: str, key: str) -> set[int]:
        if code in self.by_code:
            return {self.by_code[code]}
        by_name, by_earlier = self.by_name
        named = by_name.get(key) or by_earlier.get(key) or set()
        # A name whose enterprise has another code is someone else's name (or a typo): a person decides.
        return {pk for pk in named if not self.codes[pk]} if code else named

    def name_of(self, pk: int) -> str:
        self.by_name  # noqa: B018 (reads the names)
        return self.names[pk]


class _Rollback(Exception):
    pass


def status_list_import(*, user, content: bytes, file_name: str, kind: str, issued: datetime.date | None = None,
                       resolutions: dict[str, int] | None = None, dry_run: bool = True) -> ListImport:
    """Check (dry_run) or import a list of statuses of one `kind`. `issued` is the list's date for rows that give
    none; `resolutions` maps a name as written in the file to the enterprise (pk) a person chose for it."""
    outcome = ListImport()
    try:
        table = read_sheet(content, file_name, layout=LIST_LAYOUT)
    except FileRefused as refused:
        outcome.problem(None, None, refused)
        return outcome
    try:
        with transaction.atomic():
            _apply(user, table, kind, issued, resolutions or {}, outcome, write=not dry_run)
            if dry_run or outcome.has_errors:
                raise _Rollback
            outcome.written = True
    except _Rollback:
        pass
    return outcome


def _apply(user, table, kind, issued, resolutions, outcome: ListImport, *, write: bool) -> None:
    index = _Index(user)
    in_scope = index.in_scope(set(resolutions.values()))
    resolved = {name_key(name): pk for name, pk in resolutions.items() if pk in in_scope}
    columns = {role: table.column_of(role) for role in HEADERS}
    seen: dict[tuple[int, datetime.date], int] = {}
    rows = iter(table.rows())
    while chunk := [_read(row, columns, issued) for row in islice(rows, CHUNK)]:
        index.look_up({read["code"] for read in chunk if read["code"]})
        matched = []
        for read in chunk:
            outcome.rows += 1
            code = read["code"]
            # A code on the registry passed the check when it was saved: only the others are checked.
            if code and code not in index.by_code and not credit_codes.is_valid(code):
                outcome.problem(read["row"], column_letter(columns["credit_code"]),
                                _("统一社会信用代码“%(code)s”校验不通过。") % {"code": code})
                continue
            if read["problems"]:
                for problem in read["problems"]:
                    outcome.problem(*problem)
                continue
            key = name_key(read["name"])
            found = {resolved[key]} if key in resolved else index.candidates(code, key)
            if len(found) != 1:
                outcome.unresolved.append({"row": read["row"], "name": read["name"], "credit_code": code,
                                           "candidates": sorted((pk, index.name_of(pk)) for pk in found)})
                continue
            pk, on = found.pop(), read["issued"]
            if seen.setdefault((pk, on), read["row"]) != read["row"]:
                outcome.problem(read["row"], None, _("与第 %(row)s 行是同一企业同一发证日期的记录。")
                                % {"row": seen[pk, on]})
                continue
            matched.append((pk, on, read["number"], read["valid_until"]))
        changed, unchanged = status_records_save_many(user=user, kind=kind, rows=matched,
                                                      write=write and not outcome.has_errors)
        outcome.changed, outcome.unchanged = outcome.changed + changed, outcome.unchanged + unchanged


def _read(row, columns, issued) -> dict:
    """A row's values and the problems (row, column, message) that keep it out, its credit code apart."""
    cell = {role: row.cells.get(column) if column is not None else None for role, column in columns.items()}
    read = {"row": row.number, "code": credit_codes.normalise(str(cell["credit_code"] or "")),
            "name": str(cell["name"] or "").strip(), "number": clean_text(cell["number"] or ""), "problems": []}
    dates, problems = {}, read["problems"]
    for role in ("issued", "valid_until"):
        try:
            dates[role] = parse_date(cell[role])
        except NotADate as exc:
            problems.append((row.number, column_letter(columns[role]), _("“%(value)s”不是日期。") % {"value": exc}))
    if problems:
        return read
    read["issued"], read["valid_until"] = dates["issued"] or issued, dates["valid_until"]
    if read["issued"] is None:
        problems.append((row.number, None, _("没有发证日期：请在文件中给出“发证日期”列，或填写名单的公布日期。")))
    elif read["valid_until"] and read["valid_until"] < read["issued"]:
        problems.append((row.number, column_letter(columns["valid_until"]), _("有效期至不能早于发证日期")))
    elif len(read["number"]) > NUMBER_LENGTH:
        too_long = _("编号超过 %(n)s 个字符。") % {"n": NUMBER_LENGTH}
        problems.append((row.number, column_letter(columns["number"]), too_long))
    return read
