"""The one check that weights on a level of a scheme add up to 1, shared by models and admin forms."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TOLERANCE = Decimal("0.001")


def check_weights_sum_to_one(weights, *, level: str) -> None:
    weights = [Decimal(w) for w in weights if w is not None]
    if not weights:
        return
    total = sum(weights)
    if abs(total - 1) > TOLERANCE:
        raise ValidationError(
            _("%(level)s的权重之和应为 1（允许误差 0.001），现在为 %(total)s，请调整权重。"),
            code="weights_sum", params={"level": level, "total": total.normalize()},
        )
