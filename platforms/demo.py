"""Demo platform progress: featured platforms built at different speeds, one new innovative county."""
import datetime

from platforms.choices import PlatformKind, PlatformLevel, PlatformStatus
from platforms.models import Platform, PlatformMilestone

THEMES = ("智能制造", "生物医药", "现代农业", "新材料", "数字经济", "绿色低碳", "文旅科技", "生态康养")
PLANNING = datetime.timedelta(days=180)  # a demo platform is founded (planned) half a year before building starts
NEW_INNOVATIVE_COUNTY = "500233"  # 忠县 reaches national innovative county status in the demo; 丰都 does not


def _day(period) -> datetime.date:
    return period.end_date - datetime.timedelta(days=10)


def _milestone(platform, period, status, title):
    return PlatformMilestone(platform=platform, period=period, date=_day(period), status=status, title=title)


def seed(ctx):
    milestones = []
    by_ordinal = {p.ordinal: p for p in ctx.periods}
    first, last = ctx.periods[0], ctx.periods[-1]
    featured_units = set(Platform.objects.filter(featured=True).values_list("unit__code", flat=True))
    for unit in ctx.units:
        if unit.code in featured_units:
            continue
        speed = ctx.rng.random()
        theme = ctx.rng.choice(THEMES)
        start = first.ordinal + ctx.rng.randint(1, 6)
        platform = Platform.objects.create(
            unit=unit, name=f"{unit.name.removesuffix('区').removesuffix('县')}科技创新中心",
            kind=PlatformKind.INNOVATION_PARK, level=PlatformLevel.DISTRICT, featured=True, theme=theme,
            status=PlatformStatus.PLANNED, founded=_day(by_ordinal[start]) - PLANNING,
        )
        milestones.append(_milestone(platform, by_ordinal[start], PlatformStatus.UNDER_CONSTRUCTION, "开工建设"))
        status = PlatformStatus.UNDER_CONSTRUCTION
        if speed > 0.3:  # about a third of the units are still building their platform
            done = min(start + 4 + int((1 - speed) * 10), last.ordinal)
            milestones.append(_milestone(platform, by_ordinal[done], PlatformStatus.ESTABLISHED, "建成投用"))
            status = PlatformStatus.ESTABLISHED
        platform.status = status
        platform.save(update_fields=["status"])

    county = Platform.objects.get(unit__code=NEW_INNOVATIVE_COUNTY, kind=PlatformKind.INNOVATIVE_COUNTY)
    accepted = by_ordinal[first.ordinal + 10]
    milestones.append(_milestone(county, accepted, PlatformStatus.ESTABLISHED, "通过国家创新型县验收"))
    county.status = PlatformStatus.ESTABLISHED
    county.save(update_fields=["status"])
    PlatformMilestone.objects.bulk_create(milestones)
    ctx.log(f"platforms: {len(milestones)} milestones")
