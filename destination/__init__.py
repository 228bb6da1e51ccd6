"""The documented Segment -> Iterable destination, as a library and a CLI."""

from destination.core import IterableDestination
from destination.results import Result
from destination.settings import Settings, load_settings
from destination.translation import Request, Translation

__all__ = ["IterableDestination", "Request", "Result", "Settings", "Translation", "load_settings"]
