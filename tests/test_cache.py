"""The disk cache of provider calls, the scripted provider it is tested with, and get_provider."""

from __future__ import annotations

from pathlib import Path

import pytest

from neurologic.providers import CHAT
from neurologic.providers import SCORE
from neurologic.providers import Generation
from neurologic.providers import GenerationRequest
from neurologic.providers import Message
from neurologic.providers import ProviderError
from neurologic.providers import ProviderTimeout
from neurologic.providers import get_provider
from neurologic.providers import known_prefixes
from neurologic.providers.cache import CachedProvider
from neurologic.providers.scripted import ScriptedProvider

SECRET = "sk-test-DO-NOT-STORE-0123456789abcdef"


def req(prompt: str = "Translate: all men are mortal.", **kw) -> GenerationRequest:
    return GenerationRequest(messages=(Message("user", prompt),), **kw)


def counter_provider(model: str = "scripted") -> ScriptedProvider:
    """Answers with a running count, so a fresh model call is visible in the text."""
    calls = {"n": 0}

    def answer(request: GenerationRequest, index: int) -> str:
        calls["n"] += 1
        return f"answer {calls['n']} (sample {index}, T={request.temperature})"

    return ScriptedProvider(answer, model=model)


def dir_bytes(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file())


# -- the cache ---------------------------------------------------------------------------------


def test_miss_then_hit_makes_no_second_call(tmp_path):
    inner = counter_provider()
    cache = CachedProvider(inner, tmp_path)
    first = cache.generate([req()])
    assert (cache.stats.hits, cache.stats.misses, cache.stats.model_calls) == (0, 1, 1)
    second = cache.generate([req()])
    assert second == first
    assert (cache.stats.hits, cache.stats.misses, cache.stats.model_calls) == (1, 1, 1)
    assert len(inner.requests) == 1


def test_cache_persists_across_instances(tmp_path):
    with CachedProvider(counter_provider(), tmp_path) as cache:
        first = cache.generate([req(), req("other")])
    inner = counter_provider()
    with CachedProvider(inner, tmp_path) as warm:
        assert warm.generate([req(), req("other")]) == first
        assert warm.stats.model_calls == 0 and warm.stats.hits == 2
    assert inner.requests == []


@pytest.mark.parametrize(
    "change",
    [
        {"temperature": 0.7},
        {"prompt": "Translate: no men are mortal."},
        {"grammar": 'root ::= "x"'},
        {"stop": ("\n",)},
        {"max_tokens": 7},
        {"seed": 3},
        {"json_schema": {"type": "object"}},
        {"logprobs": True},
    ],
    ids=lambda c: next(iter(c)),
)
def test_anything_that_changes_the_output_changes_the_key(tmp_path, change):
    cache = CachedProvider(counter_provider(), tmp_path)
    base = req()
    cache.generate([base])
    kw = dict(change)
    changed = req(kw.pop("prompt", "Translate: all men are mortal."), **kw)
    cache.generate([changed])
    assert cache.stats.misses == 2 and cache.stats.hits == 0
    cache.generate([base, changed])
    assert cache.stats.hits == 2 and cache.stats.model_calls == 2


def test_model_and_provider_identity_are_in_the_key(tmp_path):
    CachedProvider(counter_provider("model-a"), tmp_path).generate([req()])
    other = CachedProvider(counter_provider("model-b"), tmp_path)
    other.generate([req()])
    assert other.stats.misses == 1


class _WeightsProvider(ScriptedProvider):
    def __init__(self, checksum: str, **kw):
        super().__init__(lambda r, i: f"from {checksum}", **kw)
        self.checksum = checksum

    def describe(self):
        return {**super().describe(), "weights_sha256": self.checksum, "n_threads": 2}


def test_weights_checksum_is_in_the_key(tmp_path):
    a = CachedProvider(_WeightsProvider("aaa"), tmp_path)
    assert a.generate([req()])[0][0].text == "from aaa"
    b = CachedProvider(_WeightsProvider("bbb"), tmp_path)
    assert b.generate([req()])[0][0].text == "from bbb"
    assert b.stats.misses == 1
    assert a.identity()["weights_sha256"] == "aaa"
    assert "n_threads" not in a.identity()  # operational settings do not split the cache


def test_samples_are_cached_individually_and_a_larger_n_reuses_them(tmp_path):
    inner = counter_provider()
    cache = CachedProvider(inner, tmp_path)
    one = cache.generate([req(temperature=0.7, n=1)])[0]
    three = cache.generate([req(temperature=0.7, n=3)])[0]
    assert len(three) == 3 and three[0] == one[0]
    assert (cache.stats.hits, cache.stats.misses) == (1, 3)
    assert inner.requests[-1].n == 2  # without a seed only the missing samples are drawn
    assert len({g.text for g in three}) == 3
    again = cache.generate([req(temperature=0.7, n=2)])[0]
    assert again == three[:2] and cache.stats.model_calls == 2


def test_seeded_request_regenerates_up_to_the_missing_index(tmp_path):
    # A seeded provider's sample i depends on the seed and i; the cache must not shift indices.
    inner = ScriptedProvider(lambda r, i: f"seed {r.seed} sample {i}")
    cache = CachedProvider(inner, tmp_path)
    cache.generate([req(seed=1, temperature=0.7, n=1)])
    three = cache.generate([req(seed=1, temperature=0.7, n=3)])[0]
    assert [g.text for g in three] == [f"seed 1 sample {i}" for i in range(3)]
    assert inner.requests[-1].n == 3


def test_batch_mixes_hits_and_misses_in_order(tmp_path):
    inner = counter_provider()
    cache = CachedProvider(inner, tmp_path)
    cache.generate([req("b")])
    out = cache.generate([req("a"), req("b"), req("c")])
    assert [r[0].text for r in out][1] == "answer 1 (sample 0, T=0.0)"
    assert len(inner.requests) == 3  # one call for "b", then one batch with "a" and "c"
    assert [r.messages[0].content for r in inner.requests[1:]] == ["a", "c"]
    assert cache.stats.generate_calls == 2


def test_logprobs_and_usage_survive_the_round_trip(tmp_path):
    from neurologic.providers import TokenLogprob
    from neurologic.providers import Usage

    g = Generation(
        "∀x (Man(x) → Mortal(x))",
        "length",
        (TokenLogprob("∀", -0.25, (("∀", -0.25), ("all", -2.0))), TokenLogprob("x", -0.5)),
        Usage(12, 2),
    )
    CachedProvider(ScriptedProvider([g]), tmp_path).generate([req(logprobs=True)])
    warm = CachedProvider(ScriptedProvider([]), tmp_path)
    assert warm.generate([req(logprobs=True)]) == [[g]]


def test_errors_store_nothing(tmp_path):
    cache = CachedProvider(ScriptedProvider([ProviderTimeout("slow")]), tmp_path)
    with pytest.raises(ProviderTimeout):
        cache.generate([req()])
    assert len(cache) == 0


def test_score_is_cached_per_continuation(tmp_path):
    inner = ScriptedProvider([], score_fn=lambda ctx, conts: [-float(len(c)) for c in conts])
    cache = CachedProvider(inner, tmp_path)
    assert cache.score("ctx", ["a", "bb"]) == [-1.0, -2.0]
    assert cache.score("ctx", ["bb", "ccc"]) == [-2.0, -3.0]
    assert inner.score_calls == [("ctx", ("a", "bb")), ("ctx", ("ccc",))]
    assert cache.score("other", ["a"]) == [-1.0]
    assert (cache.stats.hits, cache.stats.misses, cache.stats.score_calls) == (1, 4, 3)


def test_no_api_key_in_cache_files(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    cache = CachedProvider(counter_provider(), tmp_path)
    cache.generate([req(n=2, temperature=1.0), req("x", logprobs=True)])
    cache.close()
    data = dir_bytes(tmp_path)
    assert data  # something was written
    assert SECRET.encode() not in data
    assert b"answer 1" in data  # values are plain JSON text, so this grep is meaningful


def test_openai_provider_describe_and_cache_hold_no_key(tmp_path, monkeypatch):
    pytest.importorskip("openai")
    from neurologic.providers.openai_provider import OpenAIProvider

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    p = OpenAIProvider("m", base_url="http://user:pw@127.0.0.1:9/v1?token=abc", api_key=SECRET)
    described = repr(p.describe())
    assert SECRET not in described and "pw" not in described and "token" not in described
    assert p.describe()["base_url"] == "http://127.0.0.1:9/v1"
    cache = CachedProvider(p, tmp_path)
    assert SECRET not in repr(cache.identity())


def test_a_provider_that_leaks_a_secret_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SOME_API_KEY", SECRET)

    class Leaky(ScriptedProvider):
        def describe(self):
            return {**super().describe(), "base_url": f"http://x/?key={SECRET}"}

    with pytest.raises(ProviderError, match="secret") as err:
        CachedProvider(Leaky(["t"]), tmp_path).generate([req()])
    assert SECRET not in str(err.value)
    echo = CachedProvider(ScriptedProvider([f"the key is {SECRET}"]), tmp_path)
    with pytest.raises(ProviderError, match="secret"):
        echo.generate([req()])
    assert SECRET.encode() not in dir_bytes(tmp_path)


# -- the scripted provider ---------------------------------------------------------------------


def test_scripted_consumes_one_response_per_sample_and_records_requests():
    p = ScriptedProvider(["a", "b", "c"])
    out = p.generate([req(n=2), req("second")])
    assert [[g.text for g in gens] for gens in out] == [["a", "b"], ["c"]]
    assert [r.messages[0].content for r in p.requests] == [
        "Translate: all men are mortal.",
        "second",
    ]
    assert p.remaining == 0
    with pytest.raises(ProviderError, match="ran out"):
        p.generate([req()])


def test_scripted_stop_exceptions_cycle_and_usage():
    p = ScriptedProvider(["x = 1\nrest", ProviderTimeout("too slow"), "ok"], cycle=True)
    first = p.generate([req(stop=("\n",))])[0][0]
    assert first.text == "x = 1" and first.usage.completion_tokens == 3
    assert first.usage.prompt_tokens == 5
    with pytest.raises(ProviderTimeout):
        p.generate([req()])
    assert p.generate([req(n=2)])[0][1].text == "x = 1\nrest"  # cycled


def test_scripted_score_and_capabilities():
    assert ScriptedProvider(["a"]).capabilities == {CHAT}
    with pytest.raises(ProviderError, match="score"):
        ScriptedProvider(["a"]).score("c", ["x"])
    s = ScriptedProvider(["a"], score_fn=lambda c, xs: [0.0 for _ in xs])
    assert SCORE in s.capabilities and s.score("c", ["x", "y"]) == [0.0, 0.0]


def test_scripted_from_file(tmp_path):
    (tmp_path / "r.json").write_text('["one", "two"]', encoding="utf-8")
    (tmp_path / "r.jsonl").write_text('"one"\n"two"\n', encoding="utf-8")
    for name in ("r.json", "r.jsonl"):
        p = get_provider(f"scripted:{tmp_path / name}")
        assert [g.text for g in p.generate([req(n=2)])[0]] == ["one", "two"]
    (tmp_path / "bad.json").write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(ProviderError, match="list of strings"):
        get_provider(f"scripted:{tmp_path / 'bad.json'}")


# -- get_provider ------------------------------------------------------------------------------


def test_get_provider_parses_specs():
    s = get_provider("scripted:", responses=["r"], model="m")
    assert isinstance(s, ScriptedProvider) and s.model == "m"
    pytest.importorskip("openai")
    o = get_provider("openai:llama3:8b", base_url="http://127.0.0.1:9/v1")
    assert (o.name, o.model) == ("openai", "llama3:8b")  # only the first colon splits


def test_get_provider_unknown_prefix_lists_known_ones():
    with pytest.raises(ProviderError) as err:
        get_provider("nosuch:model")
    for prefix in ("openai:", "llamacpp:", "scripted:"):
        assert prefix in str(err.value)
    assert known_prefixes()[:3] == ["openai", "llamacpp", "scripted"]
    with pytest.raises(ProviderError, match="model"):
        get_provider("openai:")


def test_get_provider_uses_entry_points(monkeypatch):
    import neurologic.providers as providers

    class EP:
        name, value = "fake", "somewhere:factory"

        def load(self):
            return lambda rest, **opts: ScriptedProvider([rest], **opts)

    monkeypatch.setattr(providers, "entry_points", lambda group: [EP()])
    p = get_provider("fake:hello", model="plugin")
    assert p.model == "plugin" and p.generate([req()])[0][0].text == "hello"
    assert "fake" in known_prefixes()
