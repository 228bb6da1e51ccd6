"""Exceptions that carry a user-facing reason instead of a stack trace."""


class ValidationError(ValueError):
    """An event Iterable would reject (or that cannot be mapped); the message names the field."""


class SkipEvent(Exception):
    """An event deliberately not sent (settings or unsupported call); the message is the reason."""


class SettingsError(ValueError):
    """Settings the destination cannot start with, reported before any event is read."""


class InputError(ValueError):
    """An events file that cannot be read as Segment events."""
