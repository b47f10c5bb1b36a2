"""What machine this is, as far as it can change an answer: the CPU and its vector features."""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

_SIMD_FLAGS = frozenset(
    "sse3 ssse3 sse4_1 sse4_2 avx avx2 fma f16c avx512f avx512bw avx512vl avx512dq avx512cd "
    "avx512_vnni avx512_bf16 avx_vnni amx_tile amx_int8 amx_bf16 asimd sve".split()
)
"""The CPU features a llama.cpp build chooses its kernels by."""


def cpu_identity(cpuinfo: str | None = None) -> dict[str, Any]:
    """The CPU's model name and the vector features llama.cpp uses (from ``/proc/cpuinfo``;
    ``platform.processor()`` and no features elsewhere). Greedy decoding with the same weights
    can part ways on another CPU (different floating-point paths), so a run records it and a
    resume on another CPU is refused like any other change of stack."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            cpuinfo = ""
    model, flags = None, set()
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if key in ("model name", "cpu model") and model is None:
            model = value.strip()
        elif key in ("flags", "features"):
            flags.update(value.split())
    return {"model": model or platform.processor() or None, "simd": sorted(flags & _SIMD_FLAGS)}
