from rest_framework import serializers

from districts.serializers import QuarterRowSerializer, UnitScopedSerializer
from funds.models import EconomyFigures, Fund, FundAllocation, FundFlow


class EconomyFiguresSerializer(QuarterRowSerializer):
    class Meta:
        model = EconomyFigures
        fields = [*QuarterRowSerializer.QUARTER_FIELDS, "rd_spending", "industrial_output", "zone_output", "gdp"]


class FundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fund
        fields = ["code", "name", "name_en", "kind"]


class FundFlowSerializer(QuarterRowSerializer):
    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FundFlow
        fields = [*QuarterRowSerializer.QUARTER_FIELDS, "fund", "received", "disbursed"]


class FundAllocationSerializer(UnitScopedSerializer):
    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)
    fund_name = serializers.CharField(source="fund.name", read_only=True)
    disbursed = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, source="disbursed_to_date",
        help_text="该年度最近一个季度报告的累计支出（万元）",
    )

    class Meta:
        model = FundAllocation
        fields = ["id", "unit", "unit_name", "fund", "fund_name", "year", "allocated", "disbursed", "purpose"]
