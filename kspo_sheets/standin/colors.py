"""Colours as Google keeps them: 8 bits a channel, printed as the shortest float32."""

from __future__ import annotations

import math
import struct
from functools import lru_cache
from typing import Any

COLOR_KEYS = ("backgroundColor", "foregroundColor", "rgbColor", "color", "tabColor")


@lru_cache(maxsize=4096)  # the same few colours come back again and again
def float32(value: float) -> float | int:
    """The shortest decimal that reads back as the same float32, as Google prints colours."""
    packed = struct.pack("f", value)
    f32 = struct.unpack("f", packed)[0]
    for digits in range(1, 10):
        candidate = float(f"{f32:.{digits}g}")
        if struct.pack("f", candidate) == packed:
            return int(candidate) if candidate.is_integer() else candidate
    return f32


# A colour Google printed is a float32 in its shortest decimal (229/255 as 0.8980392, a hair
# under 229/255): sent back, it must read back the same, as it does in Google.
_FLOAT32_SLACK = 1e-4


def quantize_color(color: dict[str, Any]) -> dict[str, Any]:
    """Google keeps 8 bits per channel and leaves out zero channels: 0.5 reads back 0.49803922,
    and a colour read back, written again, reads back unchanged."""
    out: dict[str, Any] = {}
    for key, value in color.items():
        if key in ("red", "green", "blue") and isinstance(value, int | float):
            level = math.floor(value * 255 + _FLOAT32_SLACK) / 255
            if level:
                out[key] = float32(level)
        elif value is not None:
            out[key] = value
    return out


def normalize_colors(obj: Any) -> Any:
    """Quantize every colour inside a format, rule or properties object (a copy)."""
    if isinstance(obj, list):
        return [normalize_colors(item) for item in obj]
    if not isinstance(obj, dict):
        return obj
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if value is None:
            continue
        if (
            key in COLOR_KEYS
            and isinstance(value, dict)
            and not ({"rgbColor", "themeColor"} & set(value))
        ):
            out[key] = quantize_color(value)
        else:
            out[key] = normalize_colors(value)
    return out
