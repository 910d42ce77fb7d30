from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts.models import Period, Unit
from ledger.models import Attachment, ProgressNote, Round, RoundItem, Task
from portal.querysets import unit_id_of

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskForm(forms.ModelForm):
    """A clerk's unit is their own and is not asked; municipal staff choose among the units they may add to."""

    class Meta:
        model = Task
        fields = ["unit", "kind", "title", "article", "office", "owner", "start", "due", "status", "progress",
                  "investment", "description"]
        widgets = {"start": DATE, "due": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = unit_id_of(user)
        if own is not None:
            del self.fields["unit"]
            self.instance.unit_id = self.instance.unit_id or own
        else:
            self.fields["unit"].queryset = Unit.objects.restrict(user, "view")


class ProgressNoteForm(forms.ModelForm):
    class Meta:
        model = ProgressNote
        fields = ["period", "progress", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        started = today.year * 4 + (today.month - 1) // 3  # notes are for quarters that have begun
        recent = Period.objects.filter(ordinal__lte=started, ordinal__gt=started - 8)
        self.fields["period"].queryset = recent.order_by("-ordinal")


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file"]


class RoundForm(forms.ModelForm):
    tasks = forms.ModelMultipleChoiceField(label=_("调度任务"), queryset=Task.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Round
        fields = ["title", "due", "instructions"]
        widgets = {"due": DATE, "instructions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = Task.objects.restrict(user, "view").open().select_related("unit")
        self.fields["tasks"].label_from_instance = lambda task: f"{task.unit} · {task.title}（{task.due:%Y-%m-%d}）"


class RoundAnswerForm(forms.ModelForm):
    class Meta:
        model = RoundItem
        fields = ["answer", "progress"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 2})}

    def clean_answer(self):
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise forms.ValidationError(_("请填写反馈情况：说明本轮调度以来的进展。"))
        return answer
