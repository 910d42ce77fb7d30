from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.choices import StatusKind


class StatusListForm(forms.Form):
    kind = forms.ChoiceField(label=_("资质类型"), choices=StatusKind.choices)
    issued = forms.DateField(label=_("名单公布日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                             help_text=_("文件中没有“发证日期”列时，各行按此日期记录"))
    file = forms.FileField(label=_("文件"), help_text=_("Excel（.xlsx，Excel 或 WPS 保存）或 CSV（UTF-8 或 GBK）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}))
