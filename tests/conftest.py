"""Shared fixtures: a fresh fake per test, through Flask's test client."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from mock_iterable import ProjectSettings, ServerConfig, create_app

# In CI the property tests replay the same examples every run, so a red build always means
# a change broke something; `make fuzz` and local runs keep exploring new inputs.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

API_KEY = "test-key"


def make_client(**settings):
    app = create_app(ServerConfig(projects={API_KEY: ProjectSettings(**settings)}))
    client = app.test_client()
    client.environ_base["HTTP_API_KEY"] = API_KEY
    return client


@pytest.fixture
def client():
    """An email-based project (Iterable's default), the key sent on every request."""
    return make_client()


@pytest.fixture
def hybrid_client():
    return make_client(project_type="hybrid")


@pytest.fixture
def userid_client():
    return make_client(project_type="userId")
