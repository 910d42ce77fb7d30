"""The method of one evaluation, frozen with it: what a report says about how its scores were made.
Formulas use the ASCII minus: the PDF's built-in Chinese font has no U+2212.

`scheme_method` copies a scheme's settings when a version is created and again when it is computed;
`Method.of` reads that copy back. Page, PDF, workbook, API and sensitivity all read the copy, never the
scheme, so editing a scheme after publication changes nothing a published report shows.
"""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from evaluation import index
from evaluation.choices import MissingRule, Normalisation
from evaluation.recognition import RISE


def scheme_method(scheme) -> dict:
    return {
        "scheme": scheme.name, "year": scheme.year, "period": scheme.period.code,
        "normalisation": scheme.normalisation, "missing_rule": scheme.missing_rule,
        "recognition_count": scheme.recognition_count, "rise": RISE,
    }


@dataclass(frozen=True)
class Method:
    scheme: str
    year: int
    period: str
    normalisation: str
    missing_rule: str
    recognition_count: int
    rise: int
    dimensions: list  # the frozen tree: dimensions with their weighted indicators

    @classmethod
    def of(cls, evaluation) -> "Method":
        # Every evaluation has its copy (made at creation, or by migration 0002); a row written around the
        # services, as some test fixtures do, shows its scheme instead.
        frozen = evaluation.method or scheme_method(evaluation.scheme)
        return cls(**frozen, dimensions=evaluation.tree.get("dimensions", []))

    @property
    def normalisation_label(self) -> str:
        return str(Normalisation(self.normalisation).label)

    @property
    def missing_rule_label(self) -> str:
        return str(MissingRule(self.missing_rule).label)

    @property
    def minmax(self) -> bool:
        return self.normalisation == index.MINMAX

    def formula(self) -> str:
        if self.minmax:
            return _("标准化得分 = (x - 最小值) ÷ (最大值 - 最小值) × 100，越低越好的指标取 100 减该值；"
                     "最小值和最大值取参评单位中有值者，各单位取值相同时均记 100。")
        return _("标准化得分 = (x - 平均值) ÷ 标准差（总体标准差），越低越好的指标取其相反数；"
                 "平均值和标准差取参评单位中有值者，标准差为 0 时均记 0。")

    def dependence(self) -> str:
        if self.minmax:
            return _("极差标准化使每个单位的得分都取决于该指标最好和最差的单位：这两个单位的数值一变，"
                     "所有单位的得分随之改变。")
        return _("Z 分数标准化使每个单位的得分都取决于全部参评单位的平均值和标准差。")

    def aggregation(self) -> str:
        return _("维度得分 = 维度内各指标标准化得分按权重加权平均；综合得分 = 各维度得分按维度权重加权平均。")

    def missing(self) -> str:
        if self.missing_rule == index.ZERO:
            return _("缺失的指标记 0 分，权重不变。")
        return _("缺失的指标不计入，加权平均只除以有值指标的权重之和，即其权重按比例分给同一层级有值的指标；"
                 "维度内全部缺失时，该维度按同样规则不计入综合得分。")

    def ties(self) -> str:
        return _("综合得分相同的单位名次相同，其后名次顺延（如 1、2、2、4）；组内排名同理。"
                 "建议理由中的名次若与其他单位相同，注明“与另 n 个单位并列”。")

    def recognition(self) -> str:
        count, rise = self.recognition_count, self.rise
        if count == 0:
            return _("本方案不提出激励建议。")
        if count == 1:
            head = _("建议名单 1 个单位：较上期名次上升最多且至少上升 %(rise)s 位的单位；"
                     "没有这样的单位时取综合排名第 1 位。")
        else:
            head = _("建议名单至多 %(count)s 个单位：综合排名前 %(top)s 位，另加较上期名次上升最多且至少上升 "
                     "%(rise)s 位的 1 个单位；没有这样的单位时取第 %(count)s 位。")
        return (head % {"count": count, "top": count - 1, "rise": rise}) + _(
            "上升位数相同取排名靠前者；名单边界上名次并列时按单位名录顺序取。"
            "理由列出综合得分与名次、名次变化，以及最能区分该单位的两个维度及其中最能区分该单位的指标"
            "（“不低于该单位的单位数”最少者，即名次加并列数最小）。"
        )
