"""The runner and Reasoner.solve_many on real Ray clusters on this machine.

A two-node cluster (head and worker, each ``ray start --block`` in its own process group) runs
400 ProofWriter items; the worker node is killed mid-run, and in another run the driver is
SIGKILLed and resumed: every item ends exactly once, with the thread-pool run's answers. The rate
limiter and an OpenAI-compatible server on 127.0.0.1 that answers 429 now and then run on a
private local cluster (``--ray local``). No Ray process outlives the module.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="the distributed extra (ray) is not installed")

from benchmarks import run as runner  # noqa: E402
from benchmarks.scaling import ChatWorkerFactory  # noqa: E402
from benchmarks.scaling import LatencyServer  # noqa: E402
from neurologic import Reasoner  # noqa: E402
from neurologic.distributed import connect  # noqa: E402
from neurologic.distributed import rate_limiter  # noqa: E402
from neurologic.distributed import run_pool  # noqa: E402
from tests.helpers import cnl_proofwriter_args  # noqa: E402

RAY = str(Path(sys.executable).parent / "ray")
# Every Ray process these tests start shares one token made here: a new machine has no
# ~/.ray/auth_token, and without a token `ray start` refuses to start a node.
ENV = {
    **os.environ,
    "RAY_AUTH_MODE": "token",
    "RAY_AUTH_TOKEN": secrets.token_hex(32),
    "RAY_USAGE_STATS_ENABLED": "0",
}
ITEMS = 400
PW = cnl_proofwriter_args("logiclm600", ITEMS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ray_processes() -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [
        line
        for line in out.splitlines()[1:]
        if any(
            k in line
            for k in (
                "raylet",
                "gcs_server",
                "ray::",
                "dashboard/agent",
                "runtime_env/agent",
                "ray start",
            )
        )
        and "ps -eo" not in line
    ]


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def _records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "samples.jsonl").read_text().splitlines() if line]


@pytest.fixture(scope="module", autouse=True)
def no_ray_process_survives():
    yield
    subprocess.run([RAY, "stop", "--force"], env=ENV, capture_output=True, timeout=120)
    deadline = time.monotonic() + 30
    while _ray_processes() and time.monotonic() < deadline:
        time.sleep(1)
    assert _ray_processes() == []


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, str | None]:
    """The thread-pool run's answers."""
    out = tmp_path_factory.mktemp("pw-threads")
    assert runner.main([*PW, "--out", str(out), "--quiet"]) == 0
    return {r["id"]: r["prediction"] for r in _records(out)}


@pytest.fixture()
def two_nodes(tmp_path):
    """A head node and a worker node, one CPU each, each in its own process group."""
    port = _free_port()
    address = f"127.0.0.1:{port}"
    logs = tmp_path / "ray-logs"
    logs.mkdir()
    common = [
        "--num-cpus=1",
        "--object-store-memory=100000000",
        "--block",
        "--resources",
        '{"neurologic_model": 1}',
    ]
    head = subprocess.Popen(
        [
            RAY,
            "start",
            "--head",
            f"--port={port}",
            "--node-ip-address=127.0.0.1",
            "--include-dashboard=false",
            *common,
        ],
        env=ENV,
        start_new_session=True,
        stdout=(logs / "head.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    worker = None
    try:
        _wait_for_nodes(address, 1)
        worker = subprocess.Popen(
            [RAY, "start", f"--address={address}", "--node-ip-address=127.0.0.1", *common],
            env=ENV,
            start_new_session=True,
            stdout=(logs / "worker.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        _wait_for_nodes(address, 2)
        yield address, worker
    finally:
        if worker is not None:
            _kill_group(worker)
        _kill_group(head)
        subprocess.run([RAY, "stop", "--force"], env=ENV, capture_output=True, timeout=120)


def _wait_for_nodes(address: str, count: int, timeout_s: float = 120.0) -> None:
    script = (
        "import ray,sys; ray.init(address=sys.argv[1], log_to_driver=False);"
        "print(sum(1 for n in ray.nodes() if n['Alive']))"
    )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        probe = subprocess.run(
            [sys.executable, "-c", script, address],
            env=ENV,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if probe.returncode == 0 and probe.stdout.strip().splitlines()[-1:] == [str(count)]:
            return
        time.sleep(1)
    raise AssertionError(f"the cluster at {address} did not reach {count} nodes")


def _driver(address: str, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            *PW,
            "--ray",
            address,
            "--ray-actors",
            "2",
            "--out",
            str(out),
            "--quiet",
            *extra,
        ],
        env=ENV,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[1],
    )


def _wait_lines(path: Path, at_least: int, proc: subprocess.Popen, timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while _lines(path) < at_least:
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.05)


def test_killing_the_worker_node_mid_run_loses_and_repeats_nothing(two_nodes, reference, tmp_path):
    address, worker = two_nodes
    out = tmp_path / "run"
    driver = _driver(address, out)
    _wait_lines(out / "samples.jsonl", 40, driver)
    _kill_group(worker)  # the worker node, its actor and the calls it held
    written_when_killed = _lines(out / "samples.jsonl")
    _, stderr = driver.communicate(timeout=600)
    assert driver.returncode == 0, stderr.decode()[-2000:]
    assert written_when_killed < ITEMS, "the node was killed after the run had finished"
    records = _records(out)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) == ITEMS
    assert {r["id"]: r["prediction"] for r in records} == reference
    results = json.loads((out / "results.json").read_text())
    assert results["manifest"]["cluster"]["nodes"]  # the cluster is recorded
    assert results["config"]["ray"] is True


def test_a_sigkilled_driver_resumes_with_every_item_once(two_nodes, reference, tmp_path):
    address, _ = two_nodes
    out = tmp_path / "run"
    driver = _driver(address, out)
    _wait_lines(out / "samples.jsonl", 60, driver)
    os.killpg(driver.pid, signal.SIGKILL)
    driver.wait(timeout=30)
    assert 0 < _lines(out / "samples.jsonl") < ITEMS
    again = _driver(address, out)
    _, stderr = again.communicate(timeout=600)
    assert again.returncode == 0, stderr.decode()[-2000:]
    records = _records(out)
    ids = [r["id"] for r in records if r["id"]]
    assert len(ids) == len(set(ids)) == ITEMS
    assert {r["id"]: r["prediction"] for r in records} == reference


def test_a_shared_rate_limiter_holds_two_actors_to_the_limit():
    """2 actors × 50 calls against 20 requests/s: the 100 requests arrive over 99/20 = 4.95 s."""
    with LatencyServer() as server, connect("local", num_cpus=2) as ray_module:
        limiter = rate_limiter(ray_module, 20.0, None)
        answers = dict(
            run_pool(
                ChatWorkerFactory(server.url, limiter),
                [(i, f"call {i}") for i in range(100)],
                actors=2,
                in_flight=4,
                actor_options={"num_cpus": 1, "max_concurrency": 4},
            )
        )
    assert len(answers) == 100 and server.requests == 100
    span = max(server.arrivals) - min(server.arrivals)
    assert abs(span - 4.95) <= 0.495, span


def test_a_server_that_answers_429_now_and_then_loses_no_item(tmp_path):
    cache = tmp_path / "cache"
    args = [
        "--dataset",
        "folio",
        "--limit",
        "6",
        "--provider",
        "openai:local",
        "--parser",
        "llm",
        "--samples",
        "1",
        "--refine-rounds",
        "0",
        "--alternatives",
        "0",
        "--readings",
        "0",
        "--no-fallback",
        "--cache",
        str(cache),
        "--quiet",
    ]
    with LatencyServer(text="Dog(x)", every_429=3) as server:
        os.environ["OPENAI_API_KEY"] = "sk-test-not-a-real-key-0123456789"
        try:
            assert (
                runner.main(
                    [
                        *args,
                        "--base-url",
                        server.url,
                        "--ray",
                        "local",
                        "--requests-per-s",
                        "50",
                        "--out",
                        str(tmp_path / "ray"),
                    ]
                )
                == 0
            )
            rejected = server.rejected
            records = _records(tmp_path / "ray")
            # the cache actor wrote the one cache: a rerun on one machine makes no model call
            before = server.requests
            assert (
                runner.main([*args, "--base-url", server.url, "--out", str(tmp_path / "threads")])
                == 0
            )
            assert server.requests == before
        finally:
            os.environ.pop("OPENAI_API_KEY", None)
    assert rejected > 0
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) == 6
    assert not any("429" in e or "rate" in e.lower() for r in records for e in r["errors"])
    again = _records(tmp_path / "threads")
    assert all(r["usage"]["model_calls"] == 0 for r in again)
    assert [r["prediction"] for r in again] == [r["prediction"] for r in records]


def test_solve_many_on_ray_answers_in_input_order_as_one_machine_does():
    problems = [
        (["All cats are animals.", "Tom is a cat."], "Tom is an animal."),
        (["Bob is big."], "Bob is not big."),
        (["Anne is kind."], "Anne is red."),
    ] * 4
    reasoner = Reasoner(parser="cnl", solver="z3")
    here = [a.label for a in reasoner.solve_many(problems)]
    there = [a.label for a in reasoner.solve_many(problems, ray="local", actors=2)]
    assert here == there == ["True", "False", "Uncertain"] * 4


def test_without_ray_the_runner_says_how_to_install_it(tmp_path):
    script = (
        "import sys; sys.modules['ray'] = None\n"
        "from benchmarks.run import main\n"
        f"sys.exit(main({[*PW, '--ray', 'local', '--out', str(tmp_path / 'x')]!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        timeout=120,
    )
    assert done.returncode == 2
    assert 'pip install "neurologic[distributed]"' in done.stderr


class _SleepyFactory:
    """Sleeps ``payload`` seconds and answers with its process id (pickled by value)."""

    def __call__(self):
        return _Sleepy()


class _Sleepy:
    def handle(self, seconds: float) -> int:
        time.sleep(seconds)
        return os.getpid()


def test_a_call_that_outlives_its_limit_is_a_timeout_and_its_actor_is_replaced():
    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        with connect("local", num_cpus=2):
            results = dict(
                run_pool(
                    _SleepyFactory(),
                    [("slow", 60.0), ("quick", 0.0), ("after", 0.0)],
                    actors=1,
                    in_flight=1,
                    call_timeout_s=0.5,
                    timeout_margin_s=0.5,
                    on_timeout=lambda key, payload: "timed out",
                )
            )
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert results["slow"] == "timed out"
    assert isinstance(results["quick"], int) and results["quick"] == results["after"]
