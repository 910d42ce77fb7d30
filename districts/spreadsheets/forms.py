from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts.choices import PeriodStatus
from districts.models import Period


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}（{obj.get_status_display()}）"


def recent_periods():
    """Quarters that have begun, and any open for entry, latest first (the reference goes years ahead)."""
    today = timezone.localdate()
    current = today.year * 4 + (today.month - 1) // 3
    return Period.objects.filter(Q(ordinal__lte=current) | Q(status=PeriodStatus.OPEN)).order_by("-ordinal")


def default_period():
    """The latest quarter open for entry, else the current one."""
    return recent_periods().filter(status=PeriodStatus.OPEN).first() or recent_periods().first()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("文件"), help_text=_("Excel（.xlsx，Excel 或 WPS 保存）或 CSV（UTF-8 或 GBK）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    period = PeriodChoiceField(
        queryset=Period.objects.none(), label=_("季度"),
        help_text=_("文件中没有“季度”列时导入到该季度"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = recent_periods()
        self.fields["period"].initial = default_period()
