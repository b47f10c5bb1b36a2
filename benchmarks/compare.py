"""Whether two runs come from the same inference stack: their manifests and output-changing
config keys, flattened to dotted keys and compared (see :mod:`benchmarks.report` for the rules).
Used by the report (to flag runs that are not comparable) and by the runner (to refuse resuming a
run directory with a different stack)."""

from __future__ import annotations

from typing import Any

# config keys that can change what a run outputs (path/limit/ids: which items are scored).
# Not compared: base_url_given (the provider's manifest names the host), cache, concurrency.
OUTPUT_CONFIG_KEYS = (
    "provider",
    "parser",
    "samples",
    "refine_rounds",
    "solver",
    "timeout_s",
    "translations",
    "at_round",
    "first_samples",
    "temperature",
    "top_p",
    "seed",
    "max_tokens",
    "sampling",
    "path",
    "limit",
    "ids",
)
IGNORED = (
    "timestamps (last key part timestamp/date/time, or ending in _at/_time)",
    "manifest.machine.os",
    "*.path when *.sha256 is equal on both sides",
    "manifest.solver_versions.prover9.binary",
    "manifest.git_commit when manifest.code.sha256 is recorded and equal on both sides",
    "manifest.decided_by (how many samples each solver decided: an outcome, not the stack)",
)
_IGNORED_KEYS = frozenset({"manifest.machine.os", "manifest.solver_versions.prover9.binary"})
# The inference code's own hash decides; the commit only where a side's manifest lacks it.
_CODE_KEYS = frozenset({"manifest.code.sha256", "manifest.code.files", "manifest.git_commit"})
ABSENT = "(absent)"
"""What a comparison shows for a key one side lacks."""
Difference = tuple[str, Any, Any]  # (dotted key, reference value, other value)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts as ``{"a.b.c": leaf}``; an empty dict is a leaf ``{}``; lists are leaves."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, sub in value.items():
            out.update(flatten(sub, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def stack_keys(results: dict[str, Any]) -> dict[str, Any]:
    """Everything in a results.json that can change a number, as dotted keys."""
    manifest = results.get("manifest") if isinstance(results.get("manifest"), dict) else {}
    config = results.get("config") if isinstance(results.get("config"), dict) else {}
    keys = flatten(manifest, "manifest") if manifest else {}
    for name in OUTPUT_CONFIG_KEYS:
        if name in config:
            keys.update(flatten(config[name], f"config.{name}"))
    return keys


def is_ignored(key: str, a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether a difference at ``key`` cannot change a number (see the module docstring)."""
    if key in _IGNORED_KEYS or key.startswith("manifest.decided_by"):
        return True
    if key == "manifest.git_commit":
        code = "manifest.code.sha256"
        return a.get(code) is not None and a.get(code) == b.get(code)
    last = key.rsplit(".", 1)[-1]
    if last in ("timestamp", "date", "time") or last.endswith(("_at", "_time")):
        return True
    if last == "path":
        digest = key[: -len("path")] + "sha256"
        return digest in a and digest in b and a[digest] is not None and a[digest] == b[digest]
    return False


def compare(
    reference: dict[str, Any], other: dict[str, Any]
) -> tuple[list[Difference], list[Difference]]:
    """(stack differences, code differences) between two results.json dicts."""
    a, b = stack_keys(reference), stack_keys(other)
    stack, code = [], []
    for key in sorted(set(a) | set(b)):
        va, vb = a.get(key, ABSENT), b.get(key, ABSENT)
        if va == vb or is_ignored(key, a, b):
            continue
        (code if key in _CODE_KEYS else stack).append((key, va, vb))
    return stack, code
