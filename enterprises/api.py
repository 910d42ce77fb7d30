from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from enterprises import services
from enterprises.cultivation import with_progress
from enterprises.filtersets import (
    CultivationEntryFilterSet,
    EnterpriseFiguresFilterSet,
    EnterpriseFilterSet,
    StatusRecordFilterSet,
)
from enterprises.models import CultivationEntry, CultivationNote, Enterprise, EnterpriseFigures, StatusRecord
from enterprises.serializers import (
    CultivationEntrySerializer,
    CultivationNoteSerializer,
    EnterpriseFiguresSerializer,
    EnterpriseSerializer,
    StatusRecordSerializer,
    enterprise_rows,
    enterprises_data,
)
from portal.api import JSON_RENDERERS, PortalReadOnlyViewSet, written


class EnterpriseFiguresViewSet(PortalReadOnlyViewSet):
    """Enterprise counts of each unit at quarter end."""

    queryset = EnterpriseFigures.objects.select_related("unit", "period", "updated_by")
    serializer_class = EnterpriseFiguresSerializer
    filterset_class = EnterpriseFiguresFilterSet
    last_modified_field = "updated_at"


class EnterpriseViewSet(PortalReadOnlyViewSet):
    """The enterprise registry: business-sensitive, so the indicator-only key scope does not reach it."""

    queryset = Enterprise.objects.select_related("unit")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    last_modified_field = "updated_at"

    def page_data(self, queryset) -> list:
        """The same JSON as the serializer (which documents it), from .values() rows: see serializers.py."""
        return enterprises_data(self.paginate_queryset(enterprise_rows(queryset)))


class StatusRecordViewSet(PortalReadOnlyViewSet):
    """Status records of the registry's enterprises (certificates, registrations, listings)."""

    queryset = StatusRecord.objects.select_related("enterprise__unit")
    serializer_class = StatusRecordSerializer
    filterset_class = StatusRecordFilterSet
    last_modified_field = "updated_at"


class CultivationEntryViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                              PortalReadOnlyViewSet):
    """The cultivation lists: each entry with whether its enterprise holds the tier today and held it on the due
    day, its reserve-pool recommendation and its quarterly notes.

    Writes go through enterprises/services.py, as on the list's pages: a unit's staff add their own unit's
    enterprises, change their entries and note a quarter (POST notes/); municipal staff do so for every unit and
    alone delete. A write finds its entry among those the caller may change, so another unit's is a 404.
    """

    queryset = CultivationEntry.objects.select_related("unit", "enterprise").prefetch_related(
        Prefetch("notes", CultivationNote.objects.select_related("period")))
    serializer_class = CultivationEntrySerializer
    filterset_class = CultivationEntryFilterSet
    last_modified_field = "updated_at"

    def get_queryset(self):
        if self.request.method in SAFE_METHODS:
            return with_progress(super().get_queryset(), timezone.localdate())
        return self.queryset.all().restrict(self.request.user, "change")

    def get_renderers(self):
        if self.action == "notes":
            return [renderer() for renderer in JSON_RENDERERS]
        return super().get_renderers()

    def check_permissions(self, request):
        # Before the data is read: a reader gets 403, not the 400 of a form they may not send.
        super().check_permissions(request)
        if self.action == "create" and not request.user.has_perm("enterprises.add_cultivationentry"):
            self.permission_denied(request)

    def get_serializer(self, *args, **kwargs):
        if self.request.method not in SAFE_METHODS and self.action != "notes":
            kwargs["enterprise_choices"] = Enterprise.objects.restrict(self.request.user, "change")
        return super().get_serializer(*args, **kwargs)

    def _read_back(self, entry):
        """The entry as the list shows it, with its progress and notes."""
        return with_progress(self.queryset.all(), timezone.localdate()).get(pk=entry.pk)

    def perform_create(self, serializer):
        data = serializer.validated_data
        enterprise = data["enterprise"]
        entry = written(services.cultivation_entry_save, user=self.request.user, unit=enterprise.unit,
                        enterprise=enterprise, target=data["target"], due=data["due"])
        if data.get("recommended"):
            entry = written(services.cultivation_entry_recommend, user=self.request.user, entry=entry,
                            on=data["recommended"])
        serializer.instance = self._read_back(entry)

    def perform_update(self, serializer):
        data, entry = serializer.validated_data, serializer.instance
        if data.get("enterprise", entry.enterprise) != entry.enterprise:
            raise serializers.ValidationError({"enterprise": ["清单条目的企业不能修改；请删除后重新加入"]})
        entry = written(services.cultivation_entry_save, user=self.request.user, unit=entry.unit,
                        enterprise=entry.enterprise, entry=entry, target=data.get("target", entry.target),
                        due=data.get("due", entry.due))
        if "recommended" in data and data["recommended"] != entry.recommended:
            entry = written(services.cultivation_entry_recommend, user=self.request.user, entry=entry,
                            on=data["recommended"])
        serializer.instance = self._read_back(entry)

    def perform_destroy(self, instance):
        services.cultivation_entry_delete(user=self.request.user, entry=instance)

    @extend_schema(request=CultivationNoteSerializer, responses={201: CultivationEntrySerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        """Note a quarter of the entry (this one or the four before it); a second note replaces the first."""
        entry = self.get_object()
        note = CultivationNoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        written(services.cultivation_note_save, user=request.user, entry=entry, **note.validated_data)
        return Response(self.get_serializer(self._read_back(entry)).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("enterprise-figures", EnterpriseFiguresViewSet)
router.register("enterprises", EnterpriseViewSet)
router.register("status-records", StatusRecordViewSet)
router.register("cultivation-entries", CultivationEntryViewSet)
