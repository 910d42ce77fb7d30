from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    DISTRICT = "district", _("区")
    COUNTY = "county", _("县")
    AUTONOMOUS_COUNTY = "autonomous_county", _("自治县")
    FUNCTIONAL_ZONE = "functional_zone", _("功能区")


class PeriodStatus(models.TextChoices):
    PLANNED = "planned", _("未开放")
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已关闭")


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("已审核通过")
    RETURNED = "returned", _("已退回")


class EntryAccess(models.TextChoices):
    """Per-unit override of the period's open/closed state."""

    FOLLOW_PERIOD = "period", _("随填报期")
    OPEN = "open", _("单独开放")
    CLOSED = "closed", _("单独关闭")


class SubmissionAction(models.TextChoices):
    SUBMIT = "submit", _("提交")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回")
    REOPEN = "reopen", _("重新开放")
    CLOSE = "close", _("关闭填报")
    OPEN = "open", _("开放填报")


EDITABLE_STATES = (SubmissionState.DRAFT, SubmissionState.RETURNED)


class NoteKind(models.TextChoices):
    COMMENT = "comment", _("备注")
    EXPLANATION = "explanation", _("情况说明")
    QUERY = "query", _("核实要求")


# One comment and one explanation per figure and submission; queries may be many.
SINGLE_NOTE_KINDS = (NoteKind.COMMENT, NoteKind.EXPLANATION)


class ApiKeyScope(models.TextChoices):
    INDICATORS = "indicators", _("只读指标")
    READ_ALL = "read", _("只读全部数据")
    WRITE_UNIT = "write", _("读写本单位填报")
class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("检查中")
    READY = "ready", _("待确认")
    REJECTED = "rejected", _("有错误，未导入")
    APPLYING = "applying", _("导入中")
    DONE = "done", _("已导入")
    FAILED = "failed", _("导入失败")


IMPORT_RUNNING = (ImportStatus.CHECKING, ImportStatus.APPLYING)
