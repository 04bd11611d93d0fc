"""An answer that is not JSON: a download, a CSV export, a redirect, or an upload's 308."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Raw:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
