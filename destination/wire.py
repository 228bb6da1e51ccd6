"""Request bodies as bytes: one encoder, so batch sizes are measured on what is actually sent."""

from __future__ import annotations

import json
from typing import Any


def encode(body: Any) -> bytes:
    """Compact UTF-8 JSON; NaN and Infinity are refused because they are not JSON."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()
