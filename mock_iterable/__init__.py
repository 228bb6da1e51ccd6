"""A stateful fake of Iterable's REST API, for staging and test suites."""

from .app import create_app
from .config import ProjectSettings, ServerConfig

__all__ = ["ProjectSettings", "ServerConfig", "create_app"]
