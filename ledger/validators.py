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


ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension -> the ways such a file begins (WPS saves its own formats in either container)
ATTACHMENT_MAGIC = {
    "pdf": (b"%PDF",), "docx": (ZIP,), "xlsx": (ZIP,), "zip": (ZIP,), "doc": (OLE, ZIP), "xls": (OLE, ZIP),
    "wps": (OLE, ZIP), "et": (OLE, ZIP), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def validate_attachment_content(file) -> None:
    """A file is what its extension says (a program renamed .xlsx is refused); the portal never opens it."""
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if extension not in ATTACHMENT_MAGIC:
        return  # the extension validator refuses it
    file.seek(0)
    start = file.read(8)
    file.seek(0)
    if not start.startswith(ATTACHMENT_MAGIC[extension]):
        raise ValidationError(_("文件内容与扩展名 .%(extension)s 不符，请上传原始文件。"),
                              code="content_mismatch", params={"extension": extension})
