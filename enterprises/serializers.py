from districts.serializers import QuarterRowSerializer
from enterprises.models import EnterpriseFigures


class EnterpriseFiguresSerializer(QuarterRowSerializer):
    class Meta:
        model = EnterpriseFigures
        fields = [*QuarterRowSerializer.QUARTER_FIELDS, "tech_smes", "high_tech", "specialised_smes", "little_giants"]
