"""Option scoring, debiasing, calibration, and when the Reasoner falls back (scripted provider:
the logic is tested here; the real llama.cpp scorer is tested in test_llamacpp_provider.py)."""

from __future__ import annotations

import math
import re

import pytest

from neurologic import Reasoner
from neurologic.decide.choice import question_kind
from neurologic.fallback import FallbackError
from neurologic.fallback import OptionScorer
from neurologic.fallback import debiased_scores
from neurologic.fallback import expected_calibration_error
from neurologic.fallback import fit_temperature
from neurologic.fallback import softmax
from neurologic.language.sentences import split_sentences
from neurologic.providers.scripted import ScriptedProvider


def _steps(answer):
    """The answer's trace as saved (JSON objects keyed by step)."""
    return [event.model_dump(mode="json") for event in answer.trace]


def _option_lines(context: str) -> dict[str, str]:
    return dict(re.findall(r"^([A-J])\. (.*)$", context, flags=re.MULTILINE))


def letter_model(knows: str | None, bias: str = "B", strength: float = 3.0):
    """A fake model that prefers letter ``bias`` by ``strength`` nats and, if ``knows`` is given,
    the letter showing the option whose text contains ``knows`` by 1 nat."""

    def score(context: str, continuations: list[str]) -> list[float]:
        lines = _option_lines(context)
        out = []
        for cont in continuations:
            letter = cont.strip()
            value = strength if letter == bias else 0.0
            if knows is not None and knows in lines.get(letter, ""):
                value += 1.0
            out.append(value - 5.0)
        return out

    return score


OPTIONS = ["the cat sleeps", "the dog barks", "the bird sings", "the fish swims"]


def test_raw_scoring_follows_the_letter_bias_and_cyclic_cancels_it():
    provider = ScriptedProvider([], score_fn=letter_model(knows="bird"))
    raw = OptionScorer(provider, debias="none").score("ctx", "Which?", OPTIONS)
    assert raw.choice == 1  # "B" wins although the model "knows" C
    cyclic = OptionScorer(provider, debias="cyclic").score("ctx", "Which?", OPTIONS)
    assert cyclic.choice == 2
    assert len(cyclic.orders) == 4 and sorted(cyclic.orders[1]) == [0, 1, 2, 3]
    assert math.isclose(sum(cyclic.distribution), 1.0)


def test_content_free_prior_removes_a_constant_letter_bias():
    provider = ScriptedProvider([], score_fn=letter_model(knows="fish"))
    scorer = OptionScorer(provider, debias="content_free")
    scores = scorer.score("ctx", "Which?", OPTIONS)
    assert scores.choice == 3
    assert scores.prior and scores.prior.index(max(scores.prior)) == 1
    calls = scorer.calls
    scorer.score("ctx", "Which again?", OPTIONS)
    assert scorer.calls == calls + 1  # the prior is measured once per option count


def test_debiased_scores_average_over_positions():
    orders = [[0, 1], [1, 0]]
    # position 0 always gets +2: a pure position bias cancels
    scores = debiased_scores(orders, [[2.0, 0.0], [2.0, 0.0]])
    assert math.isclose(scores[0], scores[1])


def test_temperature_fit_and_ece():
    # confident and always right -> sharpen; confident and often wrong -> soften
    right = [[2.0, 0.0]] * 50
    assert fit_temperature(right, [0] * 50) < 0.2
    mixed = [[2.0, 0.0]] * 50
    gold = [0] * 30 + [1] * 20
    t = fit_temperature(mixed, gold)
    p = softmax([2.0, 0.0], t)[0]
    assert abs(p - 0.6) < 0.01
    assert expected_calibration_error([p] * 50, [g == 0 for g in gold]) < 0.01
    assert math.isclose(expected_calibration_error([0.9] * 10, [False] * 10), 0.9)


def test_scorer_refuses_what_it_cannot_do():
    with pytest.raises(FallbackError, match="cannot rank options"):
        OptionScorer(ScriptedProvider([]))
    provider = ScriptedProvider([], score_fn=letter_model(None))
    with pytest.raises(FallbackError, match="debias"):
        OptionScorer(provider, debias="magic")
    with pytest.raises(FallbackError, match="2 to"):
        OptionScorer(provider).score("c", "q", ["only one"])
    with pytest.raises(FallbackError, match="option B"):
        OptionScorer(provider).score("c", "q", ["fine", "  "])


def test_question_kinds():
    assert question_kind("Which of the following must be true?") == "entailed"
    assert question_kind("Which of the following can be inferred from the above?") == "entailed"
    assert question_kind("Which of the following cannot be true?") == "refuted"
    assert question_kind("All of the following must be true EXCEPT:") is None
    assert question_kind("Which of the following, if true, best supports the argument?") is None
    assert split_sentences("A is b.B is c. C? Yes!") == ["A is b.", "B is c.", "C?", "Yes!"]


# ------------------------------------------------------------------------- the Reasoner


def test_choose_uses_a_proof_when_one_option_is_entailed():
    provider = ScriptedProvider([], score_fn=letter_model(None))
    reasoner = Reasoner(provider=provider, parser="cnl")
    answer = reasoner.choose(
        "All cats are animals. Tom is a cat.",
        "Which of the following must be true?",
        ["Tom is a dog.", "Tom is an animal.", "Tom is not a cat."],
    )
    assert (answer.method, answer.choice, answer.confidence) == ("symbolic", 1, 1.0)
    assert provider.score_calls == []  # the proof decided; no scoring
    assert answer.explain().startswith("B — proved")


def test_choose_rules_out_refuted_options_and_scores_the_rest():
    provider = ScriptedProvider([], score_fn=letter_model(None, bias="C", strength=5.0))
    reasoner = Reasoner(provider=provider, parser="cnl", debias="none")
    answer = reasoner.choose(
        "All cats are animals. Tom is a cat.",
        "Which of the following must be true?",
        ["Tom is big.", "Tom is small.", "Tom is not an animal."],
    )
    # C is the model's favourite but is refuted by the passage
    assert answer.method == "fallback" and answer.choice != 2
    assert answer.distribution[2] == 0.0 and math.isclose(sum(answer.distribution), 1.0)
    assert "Ruled out by a theorem prover: C" in answer.explain()


def test_fallback_answers_only_when_nothing_was_proved():
    provider = ScriptedProvider([], score_fn=letter_model("Uncertain", bias="A", strength=0.0))
    reasoner = Reasoner(provider=provider, parser="cnl")
    proved = reasoner.solve(["All cats are animals.", "Tom is a cat."], "Tom is an animal.")
    assert (proved.label, proved.method) == ("True", "symbolic")
    assert provider.score_calls == []  # a proof exists: the scorer is never asked
    unproved = reasoner.solve(["Cats purr softly whenever they feel content."], "Tom purrs.")
    assert unproved.method == "fallback" and unproved.label == "Uncertain"
    assert _steps(unproved)[-1]["step"] == "fallback"
    assert 0 < unproved.confidence <= 1 and "not proved" in unproved.explain()
    off = Reasoner(provider=provider, parser="cnl", fallback=False)
    assert off.solve(["Cats purr softly whenever they feel content."], "Tom purrs.").label is None


def test_a_tied_vote_is_broken_by_the_scores_never_against_a_proof():
    provider = ScriptedProvider([], score_fn=letter_model("False", bias="A", strength=0.0))
    reasoner = Reasoner(provider=provider, vote="majority", sample_more="always")
    tied = reasoner.solve_formalizations(
        [(["P(a)"], "P(a)"), (["¬P(a)"], "P(a)")], premises=["a is p"]
    )
    assert tied.votes == {"True": 1, "False": 1}
    broken = reasoner._scored.break_tie(tied, ["a is p"], "a is p")
    assert broken.label == "False" and _steps(broken)[-1]["winner"] == "False"
    assert broken.premises_used[0].formula == "¬P(a)"


def test_solve_breaks_an_order_tie_with_the_scorer():
    provider = ScriptedProvider([], score_fn=letter_model("False", bias="A", strength=0.0))
    reasoner = Reasoner(provider=provider, vote="majority", sample_more="always")
    answer = reasoner.solve_saved([(["P(a)"], "P(a)"), (["¬P(a)"], "P(a)")], ["a is p"], "a is p")
    assert (answer.label, answer.tie_break, answer.method) == ("False", "fallback", "symbolic")
    untied = reasoner.solve_saved([(["P(a)"], "P(a)")], ["a is p"], "a is p")
    assert untied.tie_break is None and untied.label == "True"


def test_with_the_proof_rule_an_order_tie_is_between_the_proofs():
    provider = ScriptedProvider([], score_fn=letter_model("Uncertain", bias="A", strength=0.0))
    reasoner = Reasoner(provider=provider, vote="proof", sample_more="always")
    saved = [(["P(a)"], "P(a)"), (["¬P(a)"], "P(a)"), (["P(b)"], "P(a)"), (["P(c)"], "P(a)")]
    answer = reasoner.solve_saved(saved, ["a is p"], "a is p")
    assert answer.votes == {"True": 1, "False": 1, "Uncertain": 2}
    assert answer.tie_break == "fallback" and answer.label in ("True", "False")
    assert set(_steps(answer)[-1]["tied"]) == {"True", "False"}


def test_rotate2_shows_the_options_as_given_and_rotated_by_half():
    provider = ScriptedProvider([], score_fn=letter_model(knows="bird"))
    scores = OptionScorer(provider, debias="rotate2").score("ctx", "Which?", OPTIONS)
    assert scores.orders == [[0, 1, 2, 3], [2, 3, 0, 1]] and scores.calls == 2
    # the "B" bias lands on a different option in each ordering: halved, not cancelled
    raw = OptionScorer(provider, debias="none").score("ctx", "Which?", OPTIONS)
    assert max(scores.distribution) < max(raw.distribution)
    assert math.isclose(sum(scores.distribution), 1.0)


def option_model(knows: str, common: str):
    """A fake model with no letter preference that finds option ``common`` likely anywhere and
    option ``knows`` more likely after the passage than without it."""

    def score(context: str, continuations: list[str]) -> list[float]:
        if not context.endswith("Answer:"):
            return [-5.0] * len(continuations)  # letters: no preference
        given = "Passage:" in context
        out = []
        for text in continuations:
            value = -10.0 + (4.0 if common in text else 0.0)
            if given:
                value += (2.0 if knows in text else 0.0) - 1.0
            out.append(value)
        return out

    return score


def test_pmi_scores_how_much_the_passage_raises_each_option():
    provider = ScriptedProvider([], score_fn=option_model(knows="bird", common="cat"))
    pmi = OptionScorer(provider, debias="pmi").score("Birds sing.", "Which?", OPTIONS)
    assert pmi.choice == 2 and pmi.orders == [] and pmi.calls == 2
    assert pmi.option_logprobs[0] > pmi.option_logprobs[2]  # as an answer alone, "cat" wins
    assert pmi.scores == [g - b for g, b in zip(pmi.option_logprobs, pmi.option_baseline)]
    both = OptionScorer(provider, debias="rotate2+pmi").score("Birds sing.", "Which?", OPTIONS)
    assert both.choice == 2 and len(both.orders) == 2 and both.calls == 4
    assert math.isclose(sum(both.distribution), 1.0)
    # the neutral baseline sees the question, never the passage
    prompts = [context for context, _ in provider.score_calls]
    neutral = [p for p in prompts if "Passage:" not in p and p.endswith("Answer:")]
    assert neutral and all("Birds sing." not in p and "Which?" in p for p in neutral)


def test_pmi_needs_a_provider_that_scores_continuations():
    from neurologic.providers.base import CHAT
    from neurologic.providers.base import TOP_LOGPROBS

    chat_only = ScriptedProvider([], capabilities={CHAT, TOP_LOGPROBS})
    with pytest.raises(FallbackError, match="scores option texts"):
        OptionScorer(chat_only, debias="pmi")
    OptionScorer(chat_only, debias="rotate2")  # letters from top log-probabilities are fine


def test_a_recorded_pmi_run_re_derives_every_mode_it_measured():
    from benchmarks import calibrate

    provider = ScriptedProvider([], score_fn=option_model(knows="bird", common="cat"))
    scores = OptionScorer(provider, debias="rotate2+pmi").score("Birds sing.", "Which?", OPTIONS)
    item = {"id": "q", "gold": 2, **scores.to_dict()}
    assert calibrate.mode_scores(item, "rotate2+pmi") == scores.scores
    assert calibrate.mode_scores(item, "pmi") == [
        g - b for g, b in zip(scores.option_logprobs, scores.option_baseline)
    ]
    assert calibrate.mode_scores(item, "cyclic") is None  # two orderings were measured, not four
    assert set(calibrate.accuracy_by_mode([item])) == {"none", "rotate2", "pmi", "rotate2+pmi"}


def test_augment_adds_what_logic_derives_to_the_scored_passage_only():
    from neurologic.fallback.augment import HEADING

    context = "If the river floods, the road closes. If the road closes, the bus is late."
    options = ["The bus is late.", "The river is dry."]
    for augment in (False, True):
        provider = ScriptedProvider([], score_fn=letter_model(None))
        answer = Reasoner(provider=provider, parser="cnl", augment=augment).choose(
            context, "Which of the following is most strongly supported?", options
        )
        prompts = [c for c, _ in provider.score_calls]
        assert answer.method == "fallback"
        assert all((HEADING in p) == augment for p in prompts)
        assert any(t["step"] == "augment" for t in _steps(answer)) == augment
        if augment:
            assert all("If the river floods, then the bus is late." in p for p in prompts)
            added = next(t for t in _steps(answer) if t["step"] == "augment")["added"]
            assert added.startswith(HEADING) and "then the bus is late" in added
