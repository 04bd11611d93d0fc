"""gspread pointed at the stand-in: its HTTP client with Google's API roots swapped."""

from __future__ import annotations

from typing import Any

import gspread
from google.auth.credentials import AnonymousCredentials, Credentials
from gspread.http_client import HTTPClient
from requests import Response, Session

GOOGLE_ROOTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")


class RootedHTTPClient(HTTPClient):
    """gspread's HTTP client with Google's API roots swapped for ``root_url``.

    gspread builds absolute URLs from module constants; rewriting them per request keeps
    those constants untouched, so real and stand-in clients can coexist in one process.
    """

    def __init__(self, auth: Credentials, session: Session | None = None, *, root_url: str) -> None:
        super().__init__(auth, session)
        self.root_url = root_url.rstrip("/")

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Response:
        for root in GOOGLE_ROOTS:
            if endpoint.startswith(root):
                endpoint = self.root_url + endpoint[len(root) :]
                break
        return super().request(method, endpoint, *args, **kwargs)


def gspread_client(root_url: str, credentials: Credentials | None = None) -> gspread.Client:
    """A gspread.Client whose requests go to ``root_url`` instead of Google.

    Credentials default to anonymous ones, so no Authorization header is sent.
    """
    auth = credentials or AnonymousCredentials()
    client = gspread.Client(auth=auth)
    client.http_client = RootedHTTPClient(auth, root_url=root_url)
    return client
