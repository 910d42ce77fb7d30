from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from districts.models import Period
from enterprises import credit_codes
from enterprises.choices import StatusKind
from enterprises.cultivation import note_quarters


class StatusListForm(forms.Form):
    kind = forms.ChoiceField(label=_("资质类型"), choices=StatusKind.choices)
    issued = forms.DateField(label=_("名单公布日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                             help_text=_("文件中没有“发证日期”列时，各行按此日期记录"))
    file = forms.FileField(label=_("文件"), help_text=_("Excel（.xlsx，Excel 或 WPS 保存）或 CSV（UTF-8 或 GBK）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}))


class CultivationTargetForm(forms.Form):
    target = forms.ChoiceField(label=_("培育目标"), choices=StatusKind.chain_choices())
    due = forms.DateField(label=_("目标日期"), widget=forms.DateInput(attrs={"type": "date"}))


class CultivationEntryForm(CultivationTargetForm):
    """An enterprise for the list, found by credit code or exact name among those the user may see."""

    enterprise = forms.CharField(label=_("企业"), max_length=200,
                                 help_text=_("统一社会信用代码或企业全称；企业须已在名录中"))
    field_order = ["enterprise", "target", "due"]

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprises = enterprises

    def clean_enterprise(self):
        text = self.cleaned_data["enterprise"].strip()
        found = list(self.enterprises.filter(
            Q(credit_code=credit_codes.normalise(text)) | Q(name=text))[:2])
        if len(found) != 1:
            raise forms.ValidationError(_("名录中没有找到唯一的该企业：请输入统一社会信用代码或企业全称。")
                                        if not found else _("有多家企业同名，请输入统一社会信用代码。"))
        return found[0]


class CultivationNoteForm(forms.Form):
    period = forms.ModelChoiceField(label=_("季度"), queryset=Period.objects.none())
    text = forms.CharField(label=_("培育情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = note_quarters(today)
        self.fields["period"].label_from_instance = lambda period: period.code
