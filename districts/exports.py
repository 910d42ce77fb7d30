"""The lists that export to Excel and CSV, registered by the apps that own them.

Like the section registry: figures apps register their Resources from `AppConfig.ready()`, and the
export page and download links in districts serve them through `restrict(user, "view")`.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class ExportList:
    key: str  # in URLs: /data/export/<key>.xlsx
    label: str
    resource: type  # a portal.resources.SafeResource
    order: int = 100

    @property
    def model(self):
        return self.resource._meta.model

    @property
    def quarterly(self) -> bool:
        """Its rows belong to a quarter, so it can be exported for one period."""
        return any(field.name == "period" for field in self.model._meta.fields)


class ExportRegistry:
    def __init__(self):
        self._lists: dict[str, ExportList] = {}

    def register(self, export_list: ExportList) -> ExportList:
        self._lists[export_list.key] = export_list
        return export_list

    def __iter__(self):
        return iter(sorted(self._lists.values(), key=lambda item: (item.order, item.key)))

    def get(self, key: str) -> ExportList | None:
        return self._lists.get(key)


export_lists = ExportRegistry()
