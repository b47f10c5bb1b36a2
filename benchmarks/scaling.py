"""Scaling on Ray, in numbers (a benchmark: it prints, it asserts nothing).

``python -m benchmarks.scaling solver --workers 1,2`` re-solves a large saved-translation set
with Prover9 on each number of Ray actors and prints items per second and the ratio. The set is
FOLIO v1 validation's gold FOL, renamed ``--variants`` times, ``--samples`` translations each.

``python -m benchmarks.scaling hosted --concurrency 1,8,32`` sends the OpenAI provider's calls to
a local server that answers after ``--latency-s``, with that many in flight, and prints calls per
second and the ratio to concurrency 1.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any

from solvers.fol import Const
from solvers.fol import Func
from solvers.fol import Term
from solvers.fol import map_terms
from solvers.fol import to_unicode
from solvers.parse import parse

from .datasets import load

# ---------------------------------------------------------------------- a local hosted endpoint

LOCAL_KEY = "sk-test-not-a-real-key-0123456789"
"""The key sent to the local endpoint (it checks none; the client needs one)."""


class LatencyServer:
    """A local OpenAI-compatible chat endpoint: every request is answered with ``text`` after
    ``latency_s``; with ``every_429`` = k, every k-th request gets a 429 (with a short
    ``retry-after-ms``) instead. Counts requests and the most in flight at once."""

    def __init__(self, text: str = "OK", latency_s: float = 0.0, every_429: int = 0) -> None:
        self.text, self.latency_s, self.every_429 = text, latency_s, every_429
        self.requests = 0
        self.rejected = 0
        self.arrivals: list[float] = []  # time.monotonic() of each request's arrival
        self.active = 0
        self.max_active = 0
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                self.rfile.read(int(self.headers.get("content-length") or 0))
                with lock:
                    outer.arrivals.append(time.monotonic())
                    outer.requests += 1
                    reject = outer.every_429 and outer.requests % outer.every_429 == 0
                    outer.rejected += bool(reject)
                    outer.active += 1
                    outer.max_active = max(outer.max_active, outer.active)
                try:
                    if reject:
                        body, status = {"error": {"message": "rate limited"}}, 429
                    else:
                        time.sleep(outer.latency_s)
                        body, status = _completion(outer.text), 200
                    data = json.dumps(body).encode()
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    if reject:
                        self.send_header("retry-after-ms", "20")
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with lock:
                        outer.active -= 1

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> LatencyServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def _completion(text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-local",
        "object": "chat.completion",
        "created": 0,
        "model": "local",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 12, "completion_tokens": 2, "total_tokens": 14},
    }


# ---------------------------------------------------------------------- the saved-translation set


def renamed(texts: Sequence[str], tag: str) -> list[str]:
    """The formulas with every predicate, function and constant renamed by suffix ``tag``
    (the same name always the same new name), so the set is not one item repeated."""

    def term(t: Term) -> Term:
        if isinstance(t, Const):
            return Const(f"{t.name}_{tag}")
        if isinstance(t, Func):
            return Func(f"{t.name}_{tag}", t.args)
        return t

    return [
        to_unicode(map_terms(parse(t, repair=True).formula, term, lambda n, _: f"{n}_{tag}"))
        for t in texts
    ]


def saved_set(variants: int, samples: int) -> list[tuple[str, list[tuple[list[str], str]]]]:
    """``(id, formalizations)`` for every FOLIO validation item × ``variants``."""
    items = []
    for item in load("folio", "all"):
        texts = [*(item.premises_fol or ()), item.conclusion_fol or ""]
        for v in range(variants):
            formalizations = []
            for k in range(samples):
                formulas = renamed(texts, f"v{v}s{k}")
                formalizations.append((formulas[:-1], formulas[-1]))
            items.append((f"{item.id}_v{v}", formalizations))
    return items


class SolveWorkerFactory:
    """Picklable: a Reasoner that re-solves saved formalizations with ``solver``."""

    def __init__(self, solver: str, timeout_s: float = 10.0) -> None:
        self.solver, self.timeout_s = solver, timeout_s

    def __call__(self) -> SolveWorker:
        from neurologic import Reasoner

        return SolveWorker(
            Reasoner(solver=self.solver, sample_more="always", timeout_s=self.timeout_s)
        )


class SolveWorker:
    def __init__(self, reasoner: Any) -> None:
        self.reasoner = reasoner

    def handle(self, formalizations: list[tuple[list[str], str]]) -> str | None:
        return self.reasoner.solve_formalizations(formalizations).label


class ChatWorkerFactory:
    """Picklable: an OpenAI provider for the local endpoint (no cache: every call is real),
    behind the run's rate limiter actor when one is given."""

    def __init__(self, url: str, limiter: Any = None) -> None:
        self.url, self.limiter = url, limiter

    def __call__(self) -> ChatWorker:
        from neurologic.distributed import RateLimitedProvider
        from neurologic.providers import get_provider

        provider = get_provider("openai:local", base_url=self.url, api_key=LOCAL_KEY)
        if self.limiter is not None:
            provider = RateLimitedProvider(provider, self.limiter)
        return ChatWorker(provider)


class ChatWorker:
    def __init__(self, provider: Any) -> None:
        self.provider = provider

    def handle(self, prompt: str) -> str:
        from neurologic.providers import GenerationRequest
        from neurologic.providers import Message

        [[generation]] = self.provider.generate(
            [GenerationRequest(messages=(Message("user", prompt),), max_tokens=4)]
        )
        return generation.text


# ---------------------------------------------------------------------- the two benchmarks


def bench_solver(
    workers: Sequence[int], variants: int, samples: int, solver: str, timeout_s: float
) -> list[dict]:
    from neurologic.distributed import connect
    from neurologic.distributed import run_pool

    items = saved_set(variants, samples)
    rows = []
    with connect("local", num_cpus=max(workers)):
        for count in workers:
            start = time.perf_counter()
            labels = dict(
                run_pool(
                    SolveWorkerFactory(solver, timeout_s),
                    items,
                    actors=count,
                    in_flight=2,
                    actor_options={"num_cpus": 1},
                )
            )
            wall = time.perf_counter() - start
            rows.append(
                {
                    "workers": count,
                    "items": len(labels),
                    "samples": len(items[0][1]),
                    "solver": solver,
                    "wall_s": round(wall, 2),
                    "items_per_s": round(len(labels) / wall, 2),
                }
            )
    base = rows[0]["items_per_s"]
    for row in rows:
        row["speedup"] = round(row["items_per_s"] / base, 2)
    return rows


def bench_hosted(concurrency: Sequence[int], calls: int, latency_s: float) -> list[dict]:
    from neurologic.distributed import connect
    from neurologic.distributed import run_pool

    rows = []
    with LatencyServer(latency_s=latency_s) as server, connect("local", num_cpus=2):
        for level in concurrency:
            actors = 2 if level > 1 else 1
            per_actor = max(1, level // actors)
            prompts = [(i, f"call {i}") for i in range(calls)]
            start = time.perf_counter()
            done = dict(
                run_pool(
                    ChatWorkerFactory(server.url),
                    prompts,
                    actors=actors,
                    in_flight=per_actor,
                    actor_options={"num_cpus": 0, "max_concurrency": per_actor},
                )
            )
            wall = time.perf_counter() - start
            rows.append(
                {
                    "concurrency": actors * per_actor,
                    "calls": len(done),
                    "wall_s": round(wall, 2),
                    "calls_per_s": round(len(done) / wall, 2),
                    "server_max_in_flight": server.max_active,
                }
            )
            server.max_active = 0
    base = rows[0]["calls_per_s"]
    for row in rows:
        row["speedup"] = round(row["calls_per_s"] / base, 2)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scaling",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="workload", required=True)
    solver = sub.add_parser("solver", help="re-solve saved translations on 1 vs N workers")
    solver.add_argument("--workers", default="1,2")
    solver.add_argument("--variants", type=int, default=10)
    solver.add_argument("--samples", type=int, default=10)
    solver.add_argument("--solver", default="prover9")
    solver.add_argument("--timeout", type=float, default=10.0, help="seconds per solver call")
    hosted = sub.add_parser("hosted", help="calls to a local endpoint with latency")
    hosted.add_argument("--concurrency", default="1,8,32")
    hosted.add_argument("--calls", type=int, default=128)
    hosted.add_argument("--latency-s", type=float, default=0.5)
    args = parser.parse_args(argv)
    if args.workload == "solver":
        rows = bench_solver(
            [int(w) for w in args.workers.split(",")],
            args.variants,
            args.samples,
            args.solver,
            args.timeout,
        )
    else:
        rows = bench_hosted(
            [int(c) for c in args.concurrency.split(",")], args.calls, args.latency_s
        )
    for row in rows:
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
