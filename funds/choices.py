from django.db import models
from django.utils.translation import gettext_lazy as _


class FundKind(models.TextChoices):
    SPECIAL_FUND = "special_fund", _("专项资金")
    INVESTMENT_FUND = "investment_fund", _("基金")
    RISK_POOL = "risk_pool", _("风险补偿资金池")
    CREDIT_LOAN = "credit_loan", _("信用贷款")
