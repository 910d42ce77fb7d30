"""How the API knows who calls: `Authorization: Api-Key <key>`, a throttle per key, and what a key's scope allows.

People use their browser session (DRF's SessionAuthentication); this class comes first so that an
anonymous request is answered 401 with a `WWW-Authenticate: Api-Key` challenge.
"""
import math

from django.conf import settings
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import SimpleRateThrottle

from districts.apikeys import api_key_for
from districts.choices import ApiKeyScope
from districts.models import ApiKey

KEYWORD = "Api-Key"


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        keyword, _, token = get_authorization_header(request).decode(errors="replace").partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None
        key = api_key_for(token)
        if key is None:
            raise AuthenticationFailed()
        return key.user, key

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Each key's own rate (ApiKey.throttle_rate); people with a session are not throttled here."""

    scope = "api_key"

    def get_rate(self):
        return None  # set per request from the key, in allow_request

    def allow_request(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return True
        self.rate = request.auth.throttle_rate
        self.num_requests, self.duration = self.parse_rate(self.rate)
        allowed = super().allow_request(request, view)
        # history: this key's request times in the window, newest first (this one included when allowed)
        reset = self.history[-1] + self.duration if self.history else self.now
        request.rate_limit = (self.num_requests, max(self.num_requests - len(self.history), 0), math.ceil(reset))
        return allowed

    def get_cache_key(self, request, view):
        return f"throttle_api_key_{request.auth.pk}"


class ApiAccess(BasePermission):
    """Who may call an endpoint at all; which rows they reach is restrict()'s job.

    People need a session. A key reads within its scope: indicator endpoints (`indicator_data = True`
    on the view) for the indicators scope, everything for the read scope; only a write key writes.
    With PUBLIC_INDICATORS on, anyone may read the indicator endpoints.
    """

    def has_permission(self, request, view):
        indicator_data = getattr(view, "indicator_data", False)
        safe = request.method in SAFE_METHODS
        if not request.user.is_authenticated:
            return settings.PUBLIC_INDICATORS and indicator_data and safe
        key = request.auth if isinstance(request.auth, ApiKey) else None
        if key is None or key.scope == ApiKeyScope.WRITE_UNIT:
            return True
        return safe and (key.scope == ApiKeyScope.READ_ALL or indicator_data)
