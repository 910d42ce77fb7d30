"""Small forms of the workflow pages; the figures themselves are validated by check_quarter, not here."""
from django import forms
from django.utils.translation import gettext_lazy as _

from districts.choices import EntryAccess


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}))


class AccessForm(forms.Form):
    access = forms.ChoiceField(label=_("填报开放"), choices=EntryAccess.choices)


class QueryForm(forms.Form):
    figure = forms.ChoiceField(label=_("指标"))
    text = forms.CharField(label=_("需要核实的内容"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = [(slot.key, slot.label) for slot in slots]


class AnswerForm(forms.Form):
    note = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 2}))
