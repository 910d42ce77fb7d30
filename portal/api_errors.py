"""The one shape of every API error: {"code", "message": {"zh", "en"}, "errors": {field: [messages]}}.

Consumers branch on `code` (stable, English, snake_case) and show `message` to people; `errors` names
each field that was refused with what it accepts.
"""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler

# code -> (Chinese, English) for the errors DRF raises itself.
MESSAGES = {
    "invalid": ("请求数据有误，详见 errors 中各字段的说明", "The request is invalid; see errors for each field"),
    "parse_error": (
        "请求内容无法解析，请发送合法的 JSON 或 CSV", "The request body could not be parsed; send valid JSON or CSV"
    ),
    "not_authenticated": (
        "需要登录，或在请求头中提供 API 密钥：Authorization: Api-Key <密钥>",
        "Authentication required: log in, or send the API key in the header Authorization: Api-Key <key>",
    ),
    "authentication_failed": ("API 密钥无效或已撤销", "The API key is invalid or revoked"),
    "permission_denied": ("无权执行此操作", "You do not have permission to perform this action"),
    "not_found": ("未找到该对象，或无权查看", "Not found, or not visible to you"),
    "page_not_found": ("没有这一页：页码超过了最后一页", "No such page: the page number is past the last page"),
    "unknown_format": (
        "没有这种格式：format 可用 json、csv 或 xlsx（以接口文档为准）",
        "No such format: format may be json, csv or xlsx (as the schema says for this endpoint)",
    ),
    "method_not_allowed": ("不支持此请求方法", "Method not allowed"),
    "not_acceptable": (
        "不支持请求的格式；可用 format=json、csv 或 xlsx",
        "The requested format is not supported; use format=json, csv or xlsx",
    ),
    "unsupported_media_type": (
        "不支持的请求内容类型；请用 application/json 或 text/csv",
        "Unsupported request content type; send application/json or text/csv",
    ),
    "throttled": ("请求过于频繁，请稍后再试", "Too many requests; retry later"),
    "request_too_large": ("请求内容超过上限，请分批提交", "The request body is over the limit; send it in batches"),
    "database_unavailable": (
        "数据库暂时不可用，本次请求没有写入任何数据，请稍后重试",
        "The database is unavailable for a moment; nothing of this request was written. Retry shortly",
    ),
}


class ApiError(exceptions.APIException):
    """A refusal of our own (a locked quarter, a version conflict…), with its code and both messages."""

    def __init__(self, *, status_code: int, code: str, zh: str, en: str, errors: dict | None = None):
        self.status_code = status_code
        self.code = code
        self.zh, self.en = zh, en
        self.errors = errors or {}
        super().__init__(detail=zh, code=code)


class RequestTooLarge(exceptions.APIException):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE, whichever parser read it."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = MESSAGES["request_too_large"][0]


class ErrorMessageSerializer(serializers.Serializer):
    zh = serializers.CharField()
    en = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """Every error response of the API."""

    code = serializers.CharField(help_text="稳定的错误代码，如 invalid、not_authenticated、quarter_locked")
    message = ErrorMessageSerializer()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="字段名 -> 该字段的错误说明",
    )


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {field: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])] for field, msgs in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(message) for message in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):  # Django's own check, raised when DRF reads a JSON body
        exc = RequestTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        # The districts services say in Chinese why (wrong unit, locked quarter): keep their words.
        exc = exceptions.PermissionDenied(str(exc)) if str(exc) else exceptions.PermissionDenied()
    if isinstance(exc, ApiError):
        body = {"code": exc.code, "message": {"zh": exc.zh, "en": exc.en}, "errors": exc.errors}
    elif isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": error_message("invalid"), "errors": _field_errors(exc.detail)}
    else:
        code = exc.default_code
        if str(exc.detail) != str(exc.default_detail) and code == "permission_denied":
            # The service's reason (wrong unit, locked quarter), in the language asked for.
            body = {"code": code, "message": error_message(code), "errors": {"non_field_errors": [str(exc.detail)]}}
        else:
            zh, en = MESSAGES.get(code, (str(exc.detail), str(exc.detail)))
            if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
                zh, en = f"{zh}（约 {int(exc.wait) + 1} 秒后）", f"{en} (in about {int(exc.wait) + 1} s)"
            body = {"code": code, "message": {"zh": zh, "en": en}, "errors": {}}
    response.data = body
    return response


def error_message(code: str) -> dict:
    zh, en = MESSAGES[code]
    return {"zh": zh, "en": en}


ERROR_STATUSES = (status.HTTP_400_BAD_REQUEST, status.HTTP_401_UNAUTHORIZED, status.HTTP_403_FORBIDDEN,
                  status.HTTP_404_NOT_FOUND, status.HTTP_429_TOO_MANY_REQUESTS)
