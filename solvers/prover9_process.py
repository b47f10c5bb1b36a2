"""One Prover9 process: started in its own process group under an address-space limit, waited
for with a deadline, killed with its group when it overruns; its exit read as a reason."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "KILL_MARGIN_S",
    "MEMORY_LIMIT_BYTES",
    "Prover9Run",
    "finish_run",
    "kill_group",
    "start_run",
]

MEMORY_LIMIT_BYTES = 2 * 1024**3
"""Address-space limit (RLIMIT_AS) of each Prover9 process: a backstop behind ``max_megs``."""
KILL_MARGIN_S = 0.5
"""How much longer than the requested time the Python side waits before killing Prover9."""

_EXIT_REASONS = {
    0: "max_proofs",
    1: "fatal_error",
    2: "sos_empty",
    3: "max_megs",
    4: "max_seconds",
    5: "max_given",
    6: "max_kept",
    7: "action",
    101: "sigint",
    102: "sigsegv",
}
_LIMIT_EXITS = frozenset({3, 4, 5, 6, 102})
"""max_megs, max_seconds, max_given, max_kept, and SIGSEGV: Prover9 segfaults now and then when
the RLIMIT_AS backstop makes an allocation fail (or on stack exhaustion), so a crash there means
"out of resources", not "bad input"."""


@dataclass(frozen=True)
class Prover9Run:
    """One Prover9 process: exit code (``None`` if we killed it), stdout, stderr, wall time."""

    exit_code: int | None
    output: str
    errors: str
    elapsed_s: float
    pid: int

    @property
    def reason(self) -> str:
        """Prover9's exit reason (``max_proofs``, ``sos_empty``, …) or ``killed``/``signal N``."""
        if self.exit_code is None:
            return "killed"
        if self.exit_code < 0:
            return f"signal {-self.exit_code}"
        if self.out_of_memory:
            return "out_of_memory"
        return _EXIT_REASONS.get(self.exit_code, f"exit {self.exit_code}")

    @property
    def proved(self) -> bool:
        return self.exit_code == 0

    @property
    def out_of_memory(self) -> bool:
        """Prover9 ran into the RLIMIT_AS backstop (it reports a fatal ``palloc`` error)."""
        return self.exit_code == 1 and "out of memory" in self.output[-2000:]

    @property
    def hit_limit(self) -> bool:
        return self.exit_code is None or self.exit_code in _LIMIT_EXITS or self.out_of_memory

    @property
    def search_failed(self) -> bool:
        return self.exit_code == 2

    @property
    def failed(self) -> bool:
        """Prover9 refused the input or crashed."""
        return not (self.proved or self.hit_limit or self.search_failed)


def start_run(
    binary: Path, input_text: str, memory_limit: int
) -> tuple[subprocess.Popen[bytes], float]:
    """Start Prover9 on ``input_text`` (fed from an anonymous temp file) in its own session."""
    with tempfile.TemporaryFile() as stdin:
        stdin.write(input_text.encode("utf-8"))
        stdin.seek(0)
        started = time.perf_counter()
        proc = subprocess.Popen(
            [str(binary)],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            close_fds=True,
        )
    _limit_memory(proc.pid, memory_limit)
    return proc, started


def _limit_memory(pid: int, limit: int) -> None:
    """Set RLIMIT_AS on the child right after it starts.

    Done with ``prlimit`` rather than ``preexec_fn`` so ``subprocess`` keeps its fast vfork
    path (preexec_fn costs ~2 ms per call and is unsafe with threads). Prover9 first reads its
    whole input, so the limit is in place long before the search allocates anything.
    """
    prlimit = getattr(resource, "prlimit", None)  # Linux only
    if prlimit is None:
        return
    try:
        prlimit(pid, resource.RLIMIT_AS, (limit, limit))
    except OSError:
        pass  # already exited, or not allowed: Prover9's max_megs still applies


def finish_run(proc: subprocess.Popen[bytes], started: float, deadline: float) -> Prover9Run:
    """Wait for ``proc`` until ``deadline``; past it, kill its whole process group."""
    code: int | None
    try:
        out, err = proc.communicate(timeout=max(0.0, deadline - time.perf_counter()))
        code = proc.returncode
    except subprocess.TimeoutExpired:
        code = proc.poll()  # it may have finished while we waited on another run
        if code is None:
            kill_group(proc)
        out, err = proc.communicate()
    except BaseException:
        kill_group(proc)
        raise
    elapsed = time.perf_counter() - started
    return Prover9Run(code, _decode(out), _decode(err), elapsed, proc.pid)


def _decode(data: bytes | None) -> str:
    return data.decode("utf-8", "replace") if data else ""


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group ``proc`` leads (it was started in a new session), then reap."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
