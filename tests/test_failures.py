"""Failures carry the formula they are about as data: the parser, the signature check, each
solver and the translator name it by index, and refinement finds the line from that value with no
message text at all."""

from __future__ import annotations

import pytest

from neurologic.answer import SampleResult
from neurologic.answer import SampleStatus
from neurologic.decide.execute import run_formalization
from neurologic.decide.formalizations import culprit_line
from neurologic.translate.conversation import Line
from neurologic.translate.conversation import ProgramText
from solvers import FormulaRef
from solvers import ParseError
from solvers import SignatureError
from solvers import entails
from solvers import get_solver
from solvers import parse
from solvers import parse_formula
from solvers import program_refs
from solvers import read_program
from solvers.fol import Const
from solvers.fol import Pred
from solvers.fol import Var
from solvers.forward import ForwardChainingSolver
from solvers.portfolio import PortfolioSolver
from solvers.result import SolverResult
from solvers.result import Status
from solvers.z3_solver import Z3Solver

P1, P2, P3, C = (
    FormulaRef.premise(0),
    FormulaRef.premise(1),
    FormulaRef.premise(2),
    FormulaRef.conclusion(),
)


def _formulas(*texts: str):
    return [parse_formula(t) for t in texts]


# --------------------------------------------------------------------------- the reference


def test_a_reference_names_its_formula_one_based_and_finds_its_line():
    assert [str(ref) for ref in program_refs(2)] == ["premise 1", "premise 2", "the conclusion"]
    assert (P3.tag, C.tag) == ("P3", "C")
    assert FormulaRef.from_tag("P3") == P3 and FormulaRef.from_tag("C") == C
    assert (P2.line(4), C.line(4)) == (1, 3)
    assert [FormulaRef.of_line(i, 3) for i in range(3)] == [P1, P2, C]
    with pytest.raises(ValueError):
        FormulaRef.from_tag("premise 3")


# --------------------------------------------------------------------------- parser


def test_the_parser_names_the_program_formula_that_does_not_parse():
    with pytest.raises(ParseError) as raised:
        parse("Dog(rex) Cat(tom)", repair=True, formula=P2)
    assert raised.value.formula == P2
    with pytest.raises(ParseError) as raised:
        parse_formula("Likes(ann, [bob])", formula=C)
    assert raised.value.formula == C
    with pytest.raises(ParseError) as raised:
        parse_formula("Likes(ann, [bob])")
    assert raised.value.formula is None


@pytest.mark.parametrize("normalize", [True, False])
def test_reading_a_program_names_the_formula_that_does_not_parse(normalize):
    with pytest.raises(ParseError) as raised:
        read_program(
            ["Dog(rex)", "Dog(rex) Cat(tom)", "Dog(rex)"], program_refs(2), normalize=normalize
        )
    assert raised.value.formula == P2
    with pytest.raises(ParseError) as raised:
        entails(["Dog(rex)"], "Dog(rex) Cat(tom)", check=False)
    assert raised.value.formula == C


# --------------------------------------------------------------------------- signature check


def test_a_signature_error_holds_each_problem_with_its_formula():
    with pytest.raises(SignatureError) as raised:
        entails(["Likes(a, b)", "Tall(x)", "Dog(rex)"], "Likes(a)", normalize=False)
    problems = raised.value.problems
    assert [p.formula for p in problems] == [C, P2]
    assert str(raised.value) == "; ".join(str(p) for p in problems)
    assert raised.value.formula == P2  # the last problem's


# --------------------------------------------------------------------------- solvers


@pytest.mark.parametrize("solver", ["z3", "forward", "portfolio"])
def test_contradictory_premises_name_the_last_premise_of_the_contradiction(solver):
    premises = _formulas("Dog(rex)", "¬Cat(tom)", "¬Dog(rex)", "Cat(rex)")
    result = get_solver(solver).entails(premises, parse_formula("Cat(tom)"), 5.0)
    assert result.status is Status.INCONSISTENT
    assert result.formula == FormulaRef.premise(max(result.used_premises)) == P3


def test_z3_names_the_formula_of_a_sort_clash():
    # Past the signature check: the encoder's own sort inference refuses the program.
    premises = _formulas("Rating(inception, 9)", "Dog(rex)")
    result = Z3Solver().entails(premises, parse_formula("Rating(tenet, good)"))
    assert result.status is Status.ERROR and "SignatureError" in result.message
    assert result.formula == C and "the individual 'good' in the conclusion" in result.message


@pytest.mark.parametrize(
    "premises, goal, about",
    [
        (["Coin(c)", "∀x (Coin(x) → Heads(x) ∨ Tails(x))"], "Heads(c)", P2),
        (["Coin(c)"], "∃x Heads(x)", C),
    ],
)
def test_forward_names_the_formula_outside_its_fragment(premises, goal, about):
    result = ForwardChainingSolver().entails(_formulas(*premises), parse_formula(goal))
    assert result.status is Status.ERROR and result.formula == about
    assert result.message.startswith(f"{about} (")


def test_forward_names_the_premise_with_too_many_instances():
    premises = _formulas("P(a)", "S(b, c)", "∀x ∀y (P(x) → R(x, y))")
    result = ForwardChainingSolver(max_literals=2).entails(premises, parse_formula("R(a, a)"))
    assert result.status is Status.TIMEOUT
    assert result.message == "forward chaining stopped: premise 3 has too many instances"
    assert result.formula == P3


def test_prover9_names_free_variables_one_based_like_every_other_message():
    free = [Pred("Dog", (Var("x"),)), Pred("Cat", (Const("tom"),)), Pred("Cat", (Var("z"),))]
    result = get_solver("prover9").entails(free, Pred("Cat", (Var("y"),)), 5.0)
    assert result.status is Status.ERROR
    assert result.message == ("free variables in premise 1: x; premise 3: z; the conclusion: y")
    assert result.formula == C


class _Fails:
    """A member that always ends with ``result`` (a portfolio's failing member)."""

    def __init__(self, name: str, result: SolverResult) -> None:
        self.name = name
        self.result = result

    def entails(self, premises, goal, timeout_s=10.0) -> SolverResult:
        return self.result


def test_a_portfolio_names_the_formula_its_message_names_last():
    first = _Fails(
        "a", SolverResult(None, Status.ERROR, "a", message="broke on premise 1", formula=P1)
    )
    second = _Fails(
        "b", SolverResult(None, Status.ERROR, "b", message="broke on premise 2", formula=P2)
    )
    silent = _Fails("c", SolverResult(None, Status.TIMEOUT, "c", message="out of time"))
    goal = parse_formula("Dog(rex)")
    assert PortfolioSolver([first, second, silent]).entails([], goal).formula == P2
    assert PortfolioSolver([silent, first]).entails([], goal).formula == P1
    assert PortfolioSolver([silent]).entails([], goal).formula is None


# --------------------------------------------------------------------------- translator


def test_a_program_with_no_formula_for_a_line_names_the_first_such_line():
    program = ProgramText([Line("P1", "", "Dog(rex)"), Line("P2", "", " "), Line("C", "", "")])
    assert program.missing == [P2, C]
    assert program.problem == "no formula written for P2, C"


# --------------------------------------------------------------------------- the sample


@pytest.mark.parametrize(
    "premises, conclusion, status, line",
    [
        (["Dog(rex)", "Dog(rex) Cat(tom)", "Cat(tom)"], "Dog(rex)", "parse_error", 1),
        (["Likes(a, b)", "Dog(rex)", "Likes(a)"], "Dog(rex)", "signature_error", 2),
        (["Dog(rex)", "Tall(x)", "Cat(tom)"], "Dog(rex)", "signature_error", 1),
        (["Dog(rex)", "¬Dog(rex)", "Cat(tom)"], "Cat(tom)", "inconsistent", 1),
        (["Dog(rex)", "Cat(tom)"], "Likes(rex)) ∧", "parse_error", 2),
    ],
)
def test_the_failing_line_is_found_without_any_message_text(premises, conclusion, status, line):
    sample = run_formalization(premises, conclusion, get_solver("z3"), 5.0, normalize=False)
    assert sample.status == status
    n_lines = len(premises) + 1
    assert culprit_line(sample, n_lines) == line
    blank = sample.model_copy(update={"error": ""})
    assert culprit_line(blank, n_lines) == line


def test_a_sample_records_the_formula_as_a_field_kept_out_of_its_json():
    sample = SampleResult(
        premises=["Dog(rex)", ""],
        conclusion="Cat(tom)",
        error="",
        status=SampleStatus.PARSE_ERROR,
        failed_formula=P2,
    )
    assert culprit_line(sample, 3) == 1
    assert "failed_formula" not in sample.model_dump()
    assert "failed_formula" not in sample.model_dump_json()
    unnamed = SampleResult(
        premises=["Dog(rex)"], conclusion="Cat(tom)", error="premise 1", status=SampleStatus.ERROR
    )
    assert culprit_line(unnamed, 2) == 1  # no formula named: the conclusion
