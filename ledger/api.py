"""The ledger in the API: tasks and projects, progress notes, scheduling rounds and their answers.

Everyone with access reads what `restrict(user, "view")` shows them, as on the pages. Writes go
through ledger/services.py, which re-checks `restrict(user, action)` inside the transaction; the unit
of a row is never taken from the request: a clerk's (or unit key's) new task is their own unit's, a
note belongs to the task's unit, an answer to the item's.
"""
from django.db.models import Prefetch
from rest_framework import mixins, serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.routers import SimpleRouter

from districts.models import Unit
from ledger import services
from ledger.filtersets import ProgressNoteFilterSet, RoundFilterSet, RoundItemFilterSet, TaskFilterSet
from ledger.models import ProgressNote, Round, RoundItem, Task
from ledger.serializers import ProgressNoteSerializer, RoundItemSerializer, RoundSerializer, TaskSerializer
from portal import roles
from portal.api import PortalReadOnlyViewSet, written
from portal.querysets import unit_id_of


class LedgerViewSet(PortalReadOnlyViewSet):
    """A write finds its row among those the caller may change; a read among those they may see."""

    def get_queryset(self):
        if self.request.method in SAFE_METHODS:
            return super().get_queryset()
        return self.queryset.all().restrict(self.request.user, "change")

    def check_permissions(self, request):
        # Before the data is read: a reader gets 403, not the 400 of a form they may not send.
        super().check_permissions(request)
        if self.action == "create" and not request.user.has_perm(f"ledger.add_{self.queryset.model._meta.model_name}"):
            self.permission_denied(request)


class TaskViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, LedgerViewSet):
    """Key tasks and projects (`kind=project`) of each unit; a unit's staff create and update their own."""

    queryset = Task.objects.select_related("unit", "article")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    last_modified_field = "updated_at"

    def get_serializer(self, *args, **kwargs):
        if self.request.method not in SAFE_METHODS:
            kwargs["unit_choices"] = Unit.objects.restrict(self.request.user, "view")
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        unit = data.pop("unit", None)
        own = unit_id_of(self.request.user)
        if unit is None and own is None:
            raise serializers.ValidationError({"unit": ["请填写任务所属区县代码，如 500112"]})
        serializer.instance = written(services.task_create, actor=self.request.user,
                                      unit=unit or Unit.objects.get(pk=own), **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if data.pop("unit", serializer.instance.unit) != serializer.instance.unit:
            raise serializers.ValidationError({"unit": ["任务所属单位不能通过接口修改"]})
        serializer.instance = written(services.task_update, task=serializer.instance, actor=self.request.user,
                                      **data)


class ProgressNoteViewSet(mixins.CreateModelMixin, LedgerViewSet):
    """Quarterly progress notes of tasks; posting a note for a quarter that has one replaces it."""

    queryset = ProgressNote.objects.select_related("task__unit", "period", "author")
    serializer_class = ProgressNoteSerializer
    filterset_class = ProgressNoteFilterSet
    last_modified_field = "updated_at"

    def get_serializer(self, *args, **kwargs):
        if self.request.method not in SAFE_METHODS:
            kwargs["task_choices"] = Task.objects.restrict(self.request.user, "change")
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = written(services.progress_note_save, task=data["task"], period=data["period"],
                                      progress=data["progress"], text=data["text"], actor=self.request.user)


class RoundViewSet(PortalReadOnlyViewSet):
    """Scheduling rounds the caller has items in (the bureau: all), each with the items they may see."""

    queryset = Round.objects.select_related("created_by")
    serializer_class = RoundSerializer
    filterset_class = RoundFilterSet

    def get_queryset(self):
        visible = RoundItem.objects.restrict(self.request.user, "view").select_related("task__unit", "answered_by")
        return super().get_queryset().filter(pk__in=visible.values("round")).prefetch_related(
            Prefetch("items", queryset=visible, to_attr="visible_items"))


class RoundItemViewSet(mixins.UpdateModelMixin, LedgerViewSet):
    """The tasks asked about in rounds and the answers; a unit's staff answer their own (PATCH answer, progress)."""

    queryset = RoundItem.objects.select_related("task__unit", "answered_by")
    serializer_class = RoundItemSerializer
    filterset_class = RoundItemFilterSet
    last_modified_field = "answered_at"

    def get_queryset(self):
        # Units answer for themselves; the bureau reads the answers (as on the round page).
        if self.request.method not in SAFE_METHODS and not roles.is_district_staff(self.request.user):
            return self.queryset.none()
        return super().get_queryset()

    def perform_update(self, serializer):
        data = serializer.validated_data
        item = serializer.instance
        serializer.instance = written(services.round_answer, item=item, answer=data.get("answer", item.answer),
                                      progress=data.get("progress", item.progress), actor=self.request.user)


router = SimpleRouter()
router.register("tasks", TaskViewSet)
router.register("progress-notes", ProgressNoteViewSet)
router.register("rounds", RoundViewSet)
router.register("round-items", RoundItemViewSet)
