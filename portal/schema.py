"""The OpenAPI document: the error shape on every operation, `format` on every list, the API key scheme."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from portal.api_errors import ERROR_STATUSES, ErrorSerializer

FORMAT_PARAMETER = OpenApiParameter(
    "format", str, enum=["json", "csv", "xlsx"],
    description="返回格式：json（默认）、csv（UTF-8 带 BOM）或 xlsx；以 = + - @ 开头的文本前加单引号",
)


class PortalAutoSchema(AutoSchema):
    """Every operation documents the error shape; every list documents `format`."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._is_list_view() and self.method == "GET":
            parameters = [*parameters, FORMAT_PARAMETER]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        statuses = ERROR_STATUSES if self.method == "GET" else (*ERROR_STATUSES, 409)
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
