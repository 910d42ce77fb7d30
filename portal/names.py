"""Reference rows (units, groups, indicators, plans) carry a Chinese name and an English one."""
from django.utils.translation import get_language


class LocalizedName:
    """`local_name` is the English name when the page is in English and one is set, else the Chinese."""

    @property
    def local_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name
