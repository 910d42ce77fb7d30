"""A keep-alive JSON client of the portal's API over plain http.client: as a logged-in person or with an API key.

A person's writes carry a CSRF token as a browser's would: the same random secret in the cookie and the header.
"""
import http.client
import json
import secrets
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client


def user_with_role(username: str, role: str, **extra):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults=extra)
    user.groups.add(Group.objects.get(name=role))
    return user


def session_cookie(user) -> str:
    """A `sessionid=…` cookie of a new session of `user`, stored where the server reads sessions."""
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


class ApiClient:
    def __init__(self, base_url: str, *, cookie: str = "", api_key: str = ""):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        self.headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if api_key:
            self.headers["Authorization"] = f"Api-Key {api_key}"
        if cookie:
            token = secrets.token_hex(16)  # 32 characters: the form of an unmasked CSRF secret
            self.headers |= {"Cookie": f"{cookie}; csrftoken={token}", "X-CSRFToken": token}

    def call(self, method: str, path: str, body=None) -> tuple[int, object]:
        """The answer's status and its JSON (None when it has none)."""
        payload = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        try:
            self.connection.request(method, path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # opened again by the next call
            raise
        try:
            return response.status, json.loads(content) if content else None
        except ValueError:
            return response.status, None

    def close(self):
        self.connection.close()
