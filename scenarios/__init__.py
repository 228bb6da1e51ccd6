"""Replays of the documented Segment -> Iterable flows: adapter in, user state out."""
