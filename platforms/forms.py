from django import forms
from django.utils.translation import gettext_lazy as _

from platforms.models import PlatformMilestone


class MilestoneForm(forms.ModelForm):
    """The periods offered are only those the user may fill for the platform's unit."""

    class Meta:
        model = PlatformMilestone
        fields = ["period", "date", "title", "status", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}
        labels = {"period": _("填报期")}

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
