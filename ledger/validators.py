from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ATTACHMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "jpg", "jpeg", "png", "zip"]
MAX_ATTACHMENT_MB = 10


def validate_attachment_size(file) -> None:
    if file.size > MAX_ATTACHMENT_MB * 1024 * 1024:
        raise ValidationError(
            _("附件不能超过 %(limit)s MB，该文件为 %(size).1f MB。"),
            code="too_large", params={"limit": MAX_ATTACHMENT_MB, "size": file.size / 1024 / 1024},
        )
