from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusKind(models.TextChoices):
    """The statuses of the cultivation chain, in the chain's order."""

    TECH_SME = "tech_sme", _("科技型企业入库")
    HIGH_TECH = "high_tech", _("高新技术企业")
    SPECIALISED = "specialised", _("专精特新中小企业")
    LITTLE_GIANT = "little_giant", _("专精特新“小巨人”")
    LISTED = "listed", _("上市/挂牌")
    LISTING_RESERVE = "listing_reserve", _("上市储备库")

    @classmethod
    def chain(cls) -> list["StatusKind"]:
        """The tiers of the cultivation chain, lowest first (the reserve pool is a list, not a tier)."""
        return [kind for kind in cls if kind != cls.LISTING_RESERVE]

    @classmethod
    def chain_choices(cls) -> list[tuple[str, str]]:
        return [(kind.value, kind.label) for kind in cls.chain()]


class ValidityRule(models.TextChoices):
    YEARS = "years", _("自发证日起若干年")
    YEAR_END = "year_end", _("至发证当年年底")
    OPEN = "open", _("撤销前一直有效")
