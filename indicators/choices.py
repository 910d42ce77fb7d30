from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    """How an indicator's value is computed from the reported figures."""

    STOCK_SUM = "stock_sum", _("存量合计")
    FLOW_SUM = "flow_sum", _("年度累计流量合计")
    RATIO = "ratio", _("比值（%）")
    GROWTH_RATE = "growth_rate", _("年均增长率（%）")
    PLATFORM_COUNT = "platform_count", _("平台数量")
    UNITS_REACHED = "units_reached", _("达到状态的单位数")


class Source(models.TextChoices):
    """Where an enterprise count comes from: the figure each unit reports, or the registry's count at quarter end."""

    REPORTED = "reported", _("报送数")
    REGISTRY = "registry", _("企业库统计")


class Direction(models.TextChoices):
    UP = "up", _("越高越好")
    DOWN = "down", _("越低越好")


class Scope(models.TextChoices):
    CITY = "city", _("全市")
    GROUP = "group", _("区域分组")
    UNIT = "unit", _("区县单位")
    EACH_UNIT = "each_unit", _("每个区县")


class AppliesTo(models.TextChoices):
    """Which units an "each unit" target applies to: "every district" means the districts and counties, unless the
    plan includes the functional zones."""

    DIVISIONS = "divisions", _("区县（不含功能区）")
    ALL_UNITS = "all_units", _("区县和功能区")


class Comparison(models.TextChoices):
    GTE = "gte", _("不低于")
    GT = "gt", _("超过")


class Status(models.TextChoices):
    """Where a value stands against its target (thresholds in indicators/progress.py)."""

    ACHIEVED = "achieved", _("已实现")
    ON_TRACK = "on_track", _("进度正常")
    AT_RISK = "at_risk", _("存在风险")
    OFF_TRACK = "off_track", _("进度滞后")
    NO_DATA = "no_data", _("暂无数据")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("等待执行")
    RUNNING = "running", _("计算中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")
    SUPERSEDED = "superseded", _("已由其他计算一并完成")


class RunTrigger(models.TextChoices):
    NIGHTLY = "nightly", _("每晚定时")
    MANUAL = "manual", _("手动（命令行）")
    APPROVAL = "approval", _("季度审核通过")
    CHANGE = "change", _("审核后数据修改")
    REOPEN = "reopen", _("已审核季度重新开放")
    REFERENCE = "reference", _("单位、分组、规划、指标或目标变更")
    REGISTRY = "registry", _("企业库变更")
