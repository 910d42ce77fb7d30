"""The OpenAPI document: the error shape on every operation, `format` on every list, the API key scheme."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from portal.api_errors import ERROR_STATUSES, ErrorSerializer
from portal.negotiation import documented_formats

FORMAT_DESCRIPTION = {
    "json": "json（默认）", "csv": "csv（UTF-8 带 BOM，空列表也有标题行）", "xlsx": "xlsx",
}


IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match", str, OpenApiParameter.HEADER,
    description="上次响应的 ETag；未变化时返回 304 且无内容。每个读取接口都返回 ETag",
)


NOT_MODIFIED = "未修改：If-None-Match 中有当前的 ETag（弱 ETag W/\"…\" 亦可），无内容"


class PortalAutoSchema(AutoSchema):
    """Every operation documents the error shape; every read documents the `format`s it answers."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "GET":
            formats = documented_formats(self.view.get_renderers())
            description = "返回格式：" + "、".join(FORMAT_DESCRIPTION[name] for name in formats)
            if "csv" in formats:
                description += "；以 = + - @ 开头的文本前加单引号"
            parameters = [*parameters, OpenApiParameter("format", str, enum=formats, description=description),
                          IF_NONE_MATCH]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        statuses = ERROR_STATUSES if self.method == "GET" else (*ERROR_STATUSES, 409)
        if self.method == "GET" and direction == "response":
            responses.setdefault("304", {"description": NOT_MODIFIED})
        for code in statuses:
            responses.setdefault(
                str(code), self._get_response_for_code(ErrorSerializer, str(code), ["application/json"], direction)
            )
        return responses


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "districts.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": "请求头 `Authorization: Api-Key <密钥>`；密钥由市科技局在管理后台创建，只显示一次。",
        }
