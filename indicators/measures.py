"""The values of an indicator, read from the approved figures in a fixed number of queries per indicator.

Two reads, whatever the number of quarters: `unit_values` gives a batch of units their value per quarter
({(unit_id, period_id): value}), and `group_totals` sums the figures per unit group, per "counted in the
city total or not" and per quarter, which `scope_value` adds up for a group (with its subgroups) or the city.
So a group's or the city's total comes from the same few rows for a full run and for one unit's recompute.
Only quarters whose submission is approved count; platform counts read each platform's status at the quarter's
end (platforms/history.py), and an enterprise count taken from the registry the enterprises holding the status on
the quarter's last day (enterprises.selectors): counts of records, which every unit has without a report.
"""
from collections import Counter
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Exists, Max, OuterRef, Sum
from django.utils import timezone

from districts.choices import SubmissionState
from districts.models import Period, Submission, Unit
from districts.registry import sections
from enterprises.selectors import holders_per_unit, kind_counted_by
from indicators.choices import Method
from platforms.choices import PlatformStatus
from platforms.history import timelines
from platforms.models import Platform

FIGURE_METHODS = (Method.STOCK_SUM, Method.FLOW_SUM, Method.GROWTH_RATE)  # the figure itself, added up
BY_UNIT = ("unit_id", "period_id")
BY_GROUP = ("unit__group_id", "unit__counts_toward_city_total", "period_id")


class Totals(NamedTuple):
    """What some units reported in one quarter: Σ the figure (a ratio's numerator, or a platform count) and
    how many units reported it, and for a ratio Σ its denominator and how many reported that."""

    top: Decimal | None = None
    top_n: int = 0
    bottom: Decimal | None = None
    bottom_n: int = 0


def approved_rows(model, periods):
    approved = Submission.objects.filter(
        unit=OuterRef("unit"), period=OuterRef("period"), state=SubmissionState.APPROVED
    )
    return model.objects.filter(Exists(approved), period__in=periods)


def unit_values(indicator, periods: list[Period], baseline: Period, joined: dict[int, int | None], figures: dict,
                platforms=None) -> dict[tuple[int, int], Decimal]:
    """The indicator per unit and quarter for the units of `joined` (unit id -> ordinal of the quarter it joined),
    from `figures` (their `section_totals` per BY_UNIT); a count of records is 0 for a unit that had joined and has
    none (`platforms`: every platform's `PlatformRecords`, when already read)."""
    if counts_records(indicator):
        counted = periods_with_values(indicator, periods)
        counts = dict.fromkeys(
            ((unit_id, period.pk) for unit_id, since in joined.items() for period in counted
             if since is None or since <= period.ordinal),
            Decimal(0),
        )
        for (unit_id, _, _, period_id), n in record_counts(indicator, periods, baseline, list(joined),
                                                           platforms).items():
            counts[unit_id, period_id] = Decimal(n)
        return counts
    if indicator.method in FIGURE_METHODS:
        return {key: v for key, (v, _) in of(figures, indicator.figure).items()}
    tops, bottoms = of(figures, indicator.figure), of(figures, indicator.denominator)  # a ratio
    return {
        key: top * 100 / bottoms[key][0] for key, (top, _) in tops.items() if key in bottoms and bottoms[key][0]
    }


def counts_records(indicator) -> bool:
    """Whether the indicator counts records at each quarter's end (platforms, or enterprises on the registry) rather
    than adding up what units reported."""
    return indicator.from_registry or indicator.method not in (*FIGURE_METHODS, Method.RATIO)


def periods_with_values(indicator, periods: list[Period]) -> list[Period]:
    """The quarters the indicator may have a value in: all of them, but a registry count only once the quarter has
    ended (its stock at the quarter's end is not known before)."""
    if not indicator.from_registry:
        return periods
    today = timezone.localdate()
    return [period for period in periods if period.end_date < today]


def record_counts(indicator, periods: list[Period], baseline: Period | None, unit_ids=None, platforms=None
                  ) -> Counter:
    """Per (unit, unit group, counted, period id): the indicator's count of records at the quarter's end
    (`platforms`: every platform's `PlatformRecords`, when already read)."""
    if not counts_platforms(indicator):
        return registry_counts(indicator, periods_with_values(indicator, periods), unit_ids)
    return platform_counts(indicator, periods, baseline, unit_ids, platforms)


def counts_platforms(indicator) -> bool:
    return counts_records(indicator) and not indicator.from_registry


def of(figures: dict[str, dict], key: str) -> dict:
    """A figure's sums among `section_totals`, by the key an indicator names it with."""
    return figures[sections.figure(key)[1].key]


def reads_baseline(indicator) -> bool:
    """Whether `group_totals` depends on the plan's baseline: a platform count of new platforms only."""
    return counts_records(indicator) and bool(indicator.params.get("since_baseline"))


def group_totals(indicator, periods: list[Period], baseline: Period, figures: dict[str, dict], platforms=None
                 ) -> dict[tuple[int, bool, int], Totals]:
    """The indicator's sums per (unit group, counted in the city total, period id), from `figures` (every figure's
    sums over the same periods, `section_totals`); a platform count reads its platforms (three queries), or counts
    them among `platforms` (every platform's `PlatformRecords`)."""

    if counts_records(indicator):
        totals = Counter()
        for (_, group_id, counted, period_id), n in record_counts(indicator, periods, baseline,
                                                                  platforms=platforms).items():
            totals[group_id, counted, period_id] += n
        return {key: Totals(Decimal(n)) for key, n in totals.items()}
    if indicator.method in FIGURE_METHODS:
        return {key: Totals(v, n) for key, (v, n) in of(figures, indicator.figure).items()}
    tops = of(figures, indicator.figure)  # a ratio
    bottoms = of(figures, indicator.denominator)
    return {key: Totals(*tops.get(key, (None, 0)), *bottoms.get(key, (None, 0))) for key in tops | bottoms}


def adds_uncounted(indicator) -> bool:
    """Whether a scope's value adds units not counted in the city total: a ratio of a zone-only numerator (high-tech
    zones' output), where every unit that reports it counts, functional zones included, as 重庆高新区's zone is
    not in its hosts' reports."""
    return indicator.method == Method.RATIO and sections.figure(indicator.figure)[1].zone_only


def scope_value(indicator, parts: list[tuple[bool, Totals]], expected: int) -> tuple[Decimal | None, int] | None:
    """The indicator for some units taken together from their groups' totals ((counted, totals) pairs), with the
    number of units reporting (counts of records need no report: every unit `expected` then); None if none did.

    Only units counted in the city total add up, except where `adds_uncounted`: there the numerator adds the
    uncounted units' reports too, and they are among the units reporting.
    """
    counted = [totals for is_counted, totals in parts if is_counted]
    if counts_records(indicator):
        return sum((t.top for t in counted), Decimal(0)), expected
    if indicator.method in FIGURE_METHODS:
        n = sum(t.top_n for t in counted)
        return (sum(t.top for t in counted if t.top_n), n) if n else None
    n = sum(t.bottom_n for t in counted)  # a ratio
    if not n:
        return None
    uncounted = [t for is_counted, t in parts if not is_counted] if adds_uncounted(indicator) else []
    tops = [t.top for t in counted + uncounted if t.top_n]
    bottom = sum(t.bottom for t in counted if t.bottom_n)
    return (sum(tops) * 100 / bottom if tops and bottom else None), n + sum(t.top_n for t in uncounted)


PLATFORM_FILTERS = ("kind", "featured", "level")  # the platform fields an indicator's params may ask for
FILTERS_AT = 5  # where they start in a row of `PlatformRecords`


class PlatformRecords(NamedTuple):
    """Platforms as a count reads them: (pk, unit, unit group, counted, joined ordinal, *PLATFORM_FILTERS) each, and
    their timelines."""

    rows: list[tuple]
    history: dict

    @classmethod
    def of(cls, platforms):
        history = timelines(platforms)  # before the rows: a platform created in between has no timeline yet
        return cls(list(platforms.order_by().values_list(
            "pk", "unit_id", "unit__group_id", "unit__counts_toward_city_total", "unit__joined__ordinal",
            *PLATFORM_FILTERS)), history)


def platform_counts(indicator, periods: list[Period], baseline: Period | None, unit_ids=None,
                    records: PlatformRecords | None = None) -> Counter:
    """Per (unit, unit group, counted, period id): the platforms matching the indicator's params whose status
    at the quarter's end is at least the one asked (or 1 if any, for "units reached"), for units joined by then.
    The platforms are read, or taken among `records` (every platform, read once for a run's country-wide counts).

    A platform's status at a date is platforms/history.py's rule. With `since_baseline`, only those that were not
    there yet at the baseline's end (new ones) count; without a baseline, all do.
    """
    params = indicator.params
    filters = {key: params[key] for key in PLATFORM_FILTERS if key in params}
    wanted = params.get("status_at_least", PlatformStatus.PLANNED)
    if records is None:
        records = PlatformRecords.of(Platform.objects.filter(
            **filters, **({} if unit_ids is None else {"unit_id__in": unit_ids})))
    else:  # compared as the database would: each param as the field's value
        asked = [(FILTERS_AT + PLATFORM_FILTERS.index(key), Platform._meta.get_field(key).get_prep_value(value))
                 for key, value in filters.items()]
        units = None if unit_ids is None else set(unit_ids)
        records = records._replace(rows=[
            row for row in records.rows
            if all(row[at] == value for at, value in asked) and (units is None or row[1] in units)])
    history = records.history
    new_only = params.get("since_baseline") and baseline is not None
    ends = [(period.pk, period.ordinal, period.end_date) for period in periods]  # end_date is worked out each time
    counts = Counter()
    for platform_id, unit_id, group_id, counted, joined, *_ in records.rows:
        timeline = history.get(platform_id)  # None: created since its history was read; the next run counts it
        if timeline is None or new_only and timeline.at_least(wanted, baseline.end_date):
            continue
        for period_id, ordinal, end in ends:
            if (joined is None or joined <= ordinal) and timeline.at_least(wanted, end):
                counts[unit_id, group_id, counted, period_id] += 1
    if indicator.method == Method.UNITS_REACHED:
        return Counter(dict.fromkeys(counts, 1))
    return counts


def registry_counts(indicator, periods: list[Period], unit_ids=None) -> Counter:
    """Per (unit, unit group, counted, period id): the enterprises holding the status the indicator's figure counts
    on the quarter's last day, in the unit they were registered in that day, for units joined by then."""
    held = holders_per_unit(kind_counted_by(indicator.figure), [period.end_date for period in periods])
    units = Unit.objects.all() if unit_ids is None else Unit.objects.filter(pk__in=unit_ids)
    counts = Counter()
    for unit_id, group_id, counted, joined in units.order_by().values_list(
        "pk", "group_id", "counts_toward_city_total", "joined__ordinal"
    ):
        for period in periods:
            if (joined is None or joined <= period.ordinal) and (n := held.get((unit_id, period.end_date))):
                counts[unit_id, group_id, counted, period.pk] = n
    return counts


def section_totals(periods, by: tuple[str, ...] = BY_GROUP, unit_ids=None, keys=None
                   ) -> tuple[dict[str, dict], dict[tuple[int, int], object]]:
    """Every figure's Σ and count per `by` ({figure key: {(group, counted, period id): (Σ, count)}} for BY_GROUP;
    BY_UNIT, of `unit_ids`: {figure key: {(unit, period id): (Σ, count)}}), or only those of the figure `keys`, and
    the latest save of any approved figure per (unit group or unit, period id), in one query per section (with `keys`,
    per section holding one of them: a save of figures no indicator reads is not a save of the data used)."""
    sums, latest = {}, {}
    for section in sections:
        figures = [figure for figure in section.figures if keys is None or figure.key in keys]
        if not figures:  # records such as platform milestones, not quarterly values, or figures not read
            continue
        aggregates = {"at": Max("updated_at")}
        for number, figure in enumerate(figures):
            sums[figure.key] = {}
            aggregates |= {f"v{number}": Sum(figure.field), f"n{number}": Count(figure.field)}
        rows = approved_rows(section.model, periods)
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=unit_ids)
        columns = rows.order_by().values(*by).annotate(**aggregates).values_list(*by, *aggregates)
        keyed = len(by)
        for row in columns:
            key, at = row[:keyed], row[keyed]
            for number, figure in enumerate(figures):
                if row[keyed + 2 + 2 * number]:  # a figure no unit filled in has no sum
                    sums[figure.key][key] = row[keyed + 1 + 2 * number: keyed + 3 + 2 * number]
            if (key[0], key[-1]) not in latest or at > latest[key[0], key[-1]]:
                latest[key[0], key[-1]] = at
    return sums, latest


def figures_read(indicators) -> set[str]:
    """The keys of the figures the indicators add up or divide."""
    return {sections.figure(key)[1].key for indicator in indicators
            for key in (indicator.figure, indicator.denominator) if key}
