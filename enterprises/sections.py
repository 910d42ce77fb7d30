from django.utils.translation import gettext_lazy as _

from districts.registry import Figure, Section
from enterprises.models import EnterpriseFigures

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
)
