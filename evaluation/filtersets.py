import django_filters

from evaluation.models import Evaluation


class EvaluationFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="scheme__year", label="评价年度")
    ordering = django_filters.OrderingFilter(fields=(("published_at", "published_at"), ("scheme__year", "year")))

    class Meta:
        model = Evaluation
        fields = ["year"]
