"""API fixtures: personal tokens for the personas and clients that send them."""

import pytest
from django.test import Client

from agreements.api.tokens import do_create_api_token


def token_client(user, name="Testskript", days=30) -> Client:
    """A client that sends a fresh personal token of ``user`` with every request."""
    _token, raw = do_create_api_token(user, name, days)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def api(personas):
    """A token client per persona, made on first use."""
    clients = {}

    def client_for(name):
        if name not in clients:
            clients[name] = token_client(personas[name])
        return clients[name]

    return client_for
