"""A program calling the API with a token of one of the `people`."""

import json

from django.test import Client

from api import tokens
from api.models import Access


class TokenClient:
    """A client that sends `Authorization: Bearer <token>` and JSON bodies."""

    def __init__(self, user, akses=Access.WRITE, nama="Uji"):
        self.row, self.token = tokens.issue(user, nama, akses, 30)
        self.client = Client(raise_request_exception=False)

    def _headers(self, headers):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **(headers or {})}

    def get(self, url, data=None, **headers):
        return self.client.get(url, data, **self._headers(headers))

    def post(self, url, body=None, **headers):
        return self.client.post(url, json.dumps(body or {}), content_type="application/json", **self._headers(headers))


def as_token(people, username, akses=Access.WRITE, nama="Uji") -> TokenClient:
    return TokenClient(people[username], akses, nama)
