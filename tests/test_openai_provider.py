"""The OpenAI provider against real HTTP servers on 127.0.0.1.

- llama-cpp-python's OpenAI-compatible server serving SmolLM2-135M-Instruct (started once for the
  module, killed at teardown): generation, n samples, logprobs, stop sequences, grammars, the
  disk cache over HTTP.
- A tiny ``http.server`` that answers from a script: 500 then 200 (retried by the client), 429
  forever, garbage, slow answers, and a record of what the client sent.

No part of the ``openai`` client is mocked.
"""

from __future__ import annotations

import importlib.util
import json
import math
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from neurologic.providers import GRAMMAR
from neurologic.providers import JSON_SCHEMA
from neurologic.providers import SCORE
from neurologic.providers import GenerationRequest
from neurologic.providers import Message
from neurologic.providers import ProviderError
from neurologic.providers import ProviderRateLimited
from neurologic.providers import ProviderTimeout
from neurologic.providers.cache import CachedProvider
from neurologic.providers.models import smollm2_path

pytest.importorskip("openai", reason="the OpenAI provider needs the 'openai' package")
from neurologic.providers.openai_provider import OpenAIProvider  # noqa: E402

SECRET = "sk-test-DO-NOT-STORE-0123456789abcdef"
SERVER_START_TIMEOUT_S = 60.0


def _steps(answer):
    """The answer's trace as saved (JSON objects keyed by step)."""
    return [event.model_dump(mode="json") for event in answer.trace]


def req(prompt: str = "What is the capital of France? Answer in one sentence.", **kw: Any):
    return GenerationRequest(messages=(Message("user", prompt),), **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- a scripted HTTP server ----------------------------------------------------------------------


Reply = tuple[int, Any, dict[str, str]]  # status, body (dict → JSON, bytes as is), headers


class ScriptedHTTPServer:
    """Answers every POST from ``replies`` in order (the last one repeats), after ``delay_s``;
    records the JSON bodies it received and the most requests it had in flight at once."""

    def __init__(self, replies: list[Reply], delay_s: float = 0.0) -> None:
        self.replies = replies
        self.delay_s = delay_s
        self.bodies: list[dict[str, Any]] = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                with outer._lock:
                    outer.bodies.append(json.loads(raw or b"{}"))
                    status, body, headers = outer.replies[
                        min(len(outer.bodies), len(outer.replies)) - 1
                    ]
                    outer.active += 1
                    outer.max_active = max(outer.max_active, outer.active)
                try:
                    if outer.delay_s:
                        time.sleep(outer.delay_s)
                    data = body if isinstance(body, bytes) else json.dumps(body).encode()
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)
                finally:
                    with outer._lock:
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

    @property
    def hits(self) -> int:
        return len(self.bodies)

    def __enter__(self) -> ScriptedHTTPServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


FAST_RETRY = {"retry-after-ms": "10"}  # the client honours it: retries without the backoff


def chat_json(*texts: str, usage: tuple[int, int] = (11, 3)) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [
            {
                "index": i,
                "message": {"role": "assistant", "content": t},
                "finish_reason": "stop",
                "logprobs": None,
            }
            for i, t in enumerate(texts)
        ],
        "usage": {
            "prompt_tokens": usage[0],
            "completion_tokens": usage[1],
            "total_tokens": sum(usage),
        },
    }


def completion_json(offsets: list[int], logprobs: list[float | None]) -> dict[str, Any]:
    return {
        "id": "cmpl-1",
        "object": "text_completion",
        "created": 0,
        "model": "fake",
        "choices": [
            {
                "index": 0,
                "text": "",
                "finish_reason": "length",
                "logprobs": {
                    "text_offset": offsets,
                    "token_logprobs": logprobs,
                    "tokens": ["t"] * len(offsets),
                    "top_logprobs": [None] * len(offsets),
                },
            }
        ],
    }


def provider(url: str, **kw: Any) -> OpenAIProvider:
    options = {"timeout_s": 5.0, "max_retries": 2, "api_key": SECRET}
    options.update(kw)
    return OpenAIProvider("fake-model", base_url=url, **options)


def test_500_then_200_is_retried_by_the_client():
    replies = [(500, {"error": {"message": "boom"}}, FAST_RETRY), (200, chat_json("ok"), {})]
    with ScriptedHTTPServer(replies) as server:
        out = provider(server.url).generate([req()])
    assert [g.text for g in out[0]] == ["ok"] and server.hits == 2
    assert out[0][0].usage.prompt_tokens == 11


def test_500_forever_is_an_error_after_the_clients_retries():
    with ScriptedHTTPServer([(500, {"error": {"message": "boom"}}, FAST_RETRY)]) as server:
        with pytest.raises(ProviderError, match="HTTP 500: boom") as err:
            provider(server.url, max_retries=2).generate([req()])
    assert server.hits == 3
    assert not isinstance(err.value, (ProviderTimeout, ProviderRateLimited))


def test_429_forever_is_rate_limited():
    with ScriptedHTTPServer([(429, {"error": {"message": "slow down"}}, FAST_RETRY)]) as server:
        with pytest.raises(ProviderRateLimited, match="429"):
            provider(server.url, max_retries=2).generate([req()])
    assert server.hits == 3


@pytest.mark.parametrize(
    "body",
    [
        b"{this is not json",
        b"<html>502 Bad Gateway</html>",
        {"unexpected": True},
        {"choices": [{"message": {"content": 7}}]},
    ],
    ids=["broken-json", "html", "wrong-shape", "non-text-content"],
)
def test_garbage_is_a_provider_error(body):
    with ScriptedHTTPServer([(200, body, {})]) as server:
        with pytest.raises(ProviderError, match="malformed|returned no choices"):
            provider(server.url).generate([req()])


def test_slow_server_times_out():
    with ScriptedHTTPServer([(200, chat_json("late"), {})], delay_s=2.0) as server:
        start = time.monotonic()
        with pytest.raises(ProviderTimeout, match="did not answer within 0.3 s"):
            provider(server.url, timeout_s=0.3, max_retries=0).generate([req()])
    assert time.monotonic() - start < 1.9


def test_dead_port_is_a_provider_error_fast():
    start = time.monotonic()
    with pytest.raises(ProviderError, match="cannot reach") as err:
        provider(f"http://127.0.0.1:{free_port()}/v1", max_retries=0, timeout_s=2).generate([req()])
    assert time.monotonic() - start < 5
    assert SECRET not in str(err.value)


def test_rejected_key_message_never_contains_the_key():
    reply = (401, {"error": {"message": f"Incorrect API key provided: {SECRET}"}}, {})
    for status in (401, 403):
        with ScriptedHTTPServer([(status, reply[1], {})]) as server:
            with pytest.raises(ProviderError) as err:
                provider(server.url).generate([req()])
        assert SECRET not in str(err.value) and str(status) in str(err.value)


def test_request_parameters_reach_the_server():
    with ScriptedHTTPServer([(200, chat_json("a", "b"), {})]) as server:
        p = provider(server.url)
        p.generate(
            [
                req(
                    n=2,
                    temperature=0.7,
                    top_p=0.9,
                    stop=("\n\n",),
                    seed=5,
                    max_tokens=33,
                    logprobs=True,
                    top_logprobs=2,
                    grammar='root ::= "a"',
                    json_schema={"type": "object"},
                )
            ]
        )
        p.generate([req(json_schema={"type": "object"})])
    sent, schema_only = server.bodies
    assert sent["n"] == 2 and sent["temperature"] == 0.7 and sent["top_p"] == 0.9
    assert sent["stop"] == ["\n\n"] and sent["seed"] == 5 and sent["max_tokens"] == 33
    assert sent["logprobs"] is True and sent["top_logprobs"] == 2
    assert sent["grammar"] == 'root ::= "a"' and "response_format" not in sent
    assert schema_only["response_format"]["type"] == "json_schema"
    assert schema_only["response_format"]["json_schema"]["schema"] == {"type": "object"}
    assert "grammar" not in schema_only and "n" not in schema_only
    assert GRAMMAR in p.capabilities and SCORE not in p.capabilities


def test_grammar_is_never_sent_to_openai_itself():
    p = OpenAIProvider("gpt-4o-mini", api_key=SECRET)
    assert GRAMMAR not in p.capabilities and JSON_SCHEMA in p.capabilities
    assert p.describe() == {
        "provider": "openai",
        "model": "gpt-4o-mini",
        "base_url": "api.openai.com",
    }


def test_missing_key_without_base_url_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ProviderError, match="OPENAI_API_KEY"):
        OpenAIProvider("gpt-4o-mini").generate([req()])


def test_a_server_ignoring_n_is_asked_again_with_new_seeds():
    with ScriptedHTTPServer([(200, chat_json("one"), {})]) as server:
        out = provider(server.url).generate([req(n=3, seed=5, temperature=1.0)])
    assert len(out[0]) == 3 and server.hits == 3
    assert [b["seed"] for b in server.bodies] == [5, 6, 7]
    assert [b.get("n", 1) for b in server.bodies] == [3, 2, 1]
    assert sum(g.usage.completion_tokens for g in out[0]) == 9  # each call's usage counted once


def test_batches_run_with_bounded_concurrency():
    with ScriptedHTTPServer([(200, chat_json("x"), {})], delay_s=0.3) as server:
        out = provider(server.url, concurrency=2).generate([req(str(i)) for i in range(5)])
    assert len(out) == 5 and server.max_active == 2
    assert sorted(b["messages"][0]["content"] for b in server.bodies) == list("01234")


def test_score_sums_the_continuations_echoed_logprobs():
    # "ab" + " cd": tokens "ab"@0 (no logprob: first), " c"@2, "d"@4, then the generated token.
    reply = completion_json([0, 2, 4, 5], [None, -1.5, -0.25, -9.0])
    with ScriptedHTTPServer([(200, reply, {})]) as server:
        assert provider(server.url).score("ab", [" cd"]) == [-1.75]
    sent = server.bodies[0]
    assert sent["prompt"] == "ab cd" and sent["echo"] is True and sent["logprobs"] >= 0


@pytest.mark.parametrize(
    "reply",
    [
        (404, {"error": {"message": "not found"}}, {}),
        (200, completion_json([5], [-0.5]), {}),
    ],  # generated-token logprobs only: no echo
    ids=["no-endpoint", "no-echo"],
)
def test_score_on_a_server_that_cannot_is_an_error(reply):
    with ScriptedHTTPServer([reply]) as server:
        with pytest.raises(ProviderError, match="cannot score"):
            provider(server.url).score("ab", [" cd"])


# -- llama-cpp-python's server with SmolLM2 ----------------------------------------------------


def _server_skip_reason() -> str | None:
    for module in (
        "llama_cpp",
        "uvicorn",
        "fastapi",
        "sse_starlette",
        "starlette_context",
        "pydantic_settings",
    ):
        if importlib.util.find_spec(module) is None:
            return f"llama-cpp-python[server] is not installed (no {module})"
    try:
        smollm2_path()
    except ProviderError as exc:  # models.ModelError: not installed, or checksum mismatch
        return f"SmolLM2 GGUF unavailable: {exc}"
    return None


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory) -> Iterator[str]:
    reason = _server_skip_reason()
    if reason:
        pytest.skip(reason)
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(smollm2_path()),
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
        "--n_ctx",
        "2048",
        "--n_threads",
        "1",
        "--verbose",
        "False",
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited ({proc.returncode}):\n" + _tail(log_path))
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"llama_cpp.server not ready after {SERVER_START_TIMEOUT_S:g} s:\n"
                    + _tail(log_path)
                )
            time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _tail(path: Path) -> str:
    return path.read_bytes()[-2000:].decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def smol(llama_server) -> OpenAIProvider:
    return OpenAIProvider(
        "smollm2-135m-instruct", base_url=llama_server, timeout_s=60, max_retries=0, api_key=SECRET
    )


def test_generate_over_http(smol):
    [[g]] = smol.generate([req(max_tokens=10)])
    assert "Paris" in g.text
    assert g.usage.prompt_tokens > 0 and 0 < g.usage.completion_tokens <= 10
    assert g.finish_reason in {"stop", "length"} and g.logprobs is None


def test_n_samples_over_http(smol):
    [samples] = smol.generate([req(max_tokens=6, n=3, temperature=1.0, seed=11)])
    assert len(samples) == 3 and all(s.text for s in samples)


def test_logprobs_over_http(smol):
    [[g]] = smol.generate([req(max_tokens=5, logprobs=True, top_logprobs=3)])
    assert g.logprobs and len(g.logprobs) <= 5
    assert "".join(t.token for t in g.logprobs) == g.text
    for t in g.logprobs:
        assert t.logprob <= 0 and 1 <= len(t.top) <= 4
        assert max(lp for _, lp in t.top) >= t.logprob - 1e-6  # greedy picks a top candidate
    assert g.total_logprob is not None and math.isfinite(g.total_logprob)


def test_stop_sequence_over_http(smol):
    [[full]] = smol.generate([req(max_tokens=12)])
    words = full.text.split()
    assert len(words) >= 3, full.text
    stop = words[2]
    [[cut]] = smol.generate([req(max_tokens=12, stop=(stop,))])
    assert cut.text == full.text[: full.text.find(stop)]
    assert stop not in cut.text


def test_grammar_over_http(smol):
    [[g]] = smol.generate([req("Is the sky blue?", max_tokens=4, grammar='root ::= "yes" | "no"')])
    assert g.text in {"yes", "no"}


def test_unsupported_response_format_is_a_provider_error(smol):
    # llama-cpp-python's server accepts only "text"/"json_object" response formats.
    with pytest.raises(ProviderError, match="HTTP") as err:
        smol.generate([req(max_tokens=4, json_schema={"type": "object"})])
    assert SECRET not in str(err.value)


def test_score_plumbing_over_http(llama_server):
    # The server echoes prompt logprobs (though shifted by a position for a model without BOS,
    # which is why ``score`` is not declared by default); this checks the request round trip.
    p = OpenAIProvider(
        "smollm2", base_url=llama_server, max_retries=0, capabilities={"chat", "score"}
    )
    [score] = p.score("The capital of France is", [" Paris"])
    assert math.isfinite(score) and score < 0


def test_warm_cache_over_http_makes_no_call_and_stores_no_key(smol, tmp_path):
    requests = [req(max_tokens=8), req("Name a colour.", max_tokens=8, temperature=0.8, n=2)]
    with CachedProvider(smol, tmp_path) as cold:
        first = cold.generate(requests)
        assert cold.stats.model_calls == 1 and cold.stats.misses == 3
    with CachedProvider(smol, tmp_path) as warm:
        assert warm.generate(requests) == first
        assert warm.stats.model_calls == 0 and warm.stats.hits == 3
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert SECRET.encode() not in stored


def test_a_full_solve_over_http(smol):
    """The whole pipeline through the OpenAI client against the local server: the symbol table,
    each sentence the controlled-English grammar does not cover translated under the formula
    grammar built from the table (sent to the server as GBNF), the line check, the solver, and
    the translation's log-probability from the server's token logprobs."""
    from neurologic import Reasoner

    reasoner = Reasoner(provider=smol, solver="z3", refine_rounds=1, fallback=False)
    premises = [
        "All dogs are animals.",
        "Rex is a dog.",
        "Rex happily chases every red ball in the park.",
    ]
    answer = reasoner.solve(premises, "Rex is an animal.")
    assert (answer.label, answer.method) == ("True", "symbolic")
    assert [u.sentence for u in answer.premises_used] == premises[:2]
    assert [t["step"] for t in _steps(answer)][:2] == ["cnl", "symbols"]
    (program,) = [t for t in _steps(answer) if t["step"] == "formulas"]
    assert program["status"] == "ok" and program["output"].count("\n") == 3
    assert program["logprob"] is not None and program["logprob"] < 0  # P3 is the model's
    assert answer.samples[0].logprob == program["logprob"]
    assert answer.usage["calls"] >= 2 and answer.usage["completion_tokens"] > 0


def test_a_solve_over_http_whose_formulas_never_parse_ends_in_a_recorded_failure(smol):
    """With no usable symbol table (the 135M model declares none that the sentences mention)
    there is no grammar, and free text goes to the parser: every round's error of the one
    translation asked for is recorded, with the server's log-probabilities, and nothing is
    raised."""
    from neurologic import Reasoner

    reasoner = Reasoner(
        provider=smol, solver="z3", parser="llm", samples=1, refine_rounds=1, fallback=False
    )
    answer = reasoner.solve(["All dogs are animals.", "Rex is a dog."], "Rex is an animal.")
    programs = [t for t in _steps(answer) if t["step"] in ("formulas", "refine")]
    assert [t["round"] for t in programs] == [0, 1]
    assert all(t["logprob"] is not None and t["logprob"] <= 0 for t in programs)
    if answer.label is None:
        assert answer.method == "none" and all(s.error for s in answer.samples)
    else:  # the model wrote something that parses after all
        assert answer.method == "symbolic"
