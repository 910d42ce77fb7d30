"""The base of every django-import-export Resource: Chinese headers and neutralised formulas."""
from import_export import resources
from import_export.formats import base_formats

from portal.cells import neutralise


class SafeResource(resources.ModelResource):
    """Columns headed by the model fields' Chinese verbose names; text cells that Excel would run are quoted."""

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = str(django_field.verbose_name)
        return field

    def get_export_headers(self, selected_fields=None):
        return [neutralise(header) for header in super().get_export_headers(selected_fields)]

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


class CSVForExcel(base_formats.CSV):
    """CSV in UTF-8 with a byte-order mark, so that Excel and WPS open the Chinese text correctly."""

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(dataset, **kwargs)


EXPORT_FORMATS = (base_formats.XLSX, CSVForExcel)
