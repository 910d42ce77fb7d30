from districts.resources import QuarterResource
from enterprises.models import EnterpriseFigures


class EnterpriseFiguresResource(QuarterResource):
    class Meta:
        model = EnterpriseFigures
        fields = ["unit_code", "unit_name", "period_code", "tech_smes", "high_tech", "specialised_smes",
                  "little_giants", "updated_at"]
        export_order = fields
