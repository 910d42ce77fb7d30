from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from districts.registry import Figure, Section
from districts.validation import ERROR, Problem, fmt
from enterprises.models import EnterpriseFigures


def little_giants_within_specialised(*, section, unit, values) -> list[Problem]:
    """National "little giants" are a subset of the specialised-and-innovative SMEs."""
    giants, specialised = values.get("enterprises.little_giants"), values.get("enterprises.specialised_smes")
    if giants is None or specialised is None or giants <= specialised:
        return []
    return [Problem("enterprises.little_giants", ERROR, "giants_over_specialised", gettext(
        "“小巨人”企业数（%(giants)s）多于专精特新中小企业数（%(specialised)s）。“小巨人”企业是专精特新中小企业的一部分，"
        "应不多于 %(specialised)s；请核对两项数字。"
    ) % {"giants": fmt(giants), "specialised": fmt(specialised)})]


ENTERPRISE_SECTION = Section(
    key="enterprises",
    label=_("科技企业"),
    model=EnterpriseFigures,
    order=10,
    figures=(
        Figure("enterprises.tech_smes", "tech_smes", "stock", "家", integer=True),
        Figure("enterprises.high_tech", "high_tech", "stock", "家", integer=True),
        Figure("enterprises.specialised_smes", "specialised_smes", "stock", "家", integer=True),
        Figure("enterprises.little_giants", "little_giants", "stock", "家", integer=True),
    ),
    rules=(little_giants_within_specialised,),
)
