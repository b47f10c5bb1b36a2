"""Countermodels: a short readable rendering of a Z3 model of premises ∧ ¬goal."""

from __future__ import annotations

import itertools

import z3

from .z3_encoding import Encoder
from .z3_encoding import unscaled

__all__ = ["ModelPrinter"]


class ModelPrinter:
    """A short readable rendering of a model of premises ∧ ¬goal."""

    def __init__(self, enc: Encoder, model: z3.ModelRef, limit: int) -> None:
        self.enc = enc
        self.model = model
        self.limit = limit
        self.truncated = False
        self.universe = self._universe()
        self.labels = self._label_elements()

    def _universe(self) -> list[z3.ExprRef]:
        """The domain; where z3 left the sort out of the model, the constants' values."""
        if self.enc.sort in self.model.sorts():
            return list(self.model.get_universe(self.enc.sort))
        values = [
            self.model.eval(c, model_completion=True)
            for c in self.enc.constants.values()
            if c.sort() == self.enc.sort
        ]
        return list({v.get_id(): v for v in values}.values())

    def _label_elements(self) -> dict[int, str]:
        labels: dict[int, str] = {}
        for name, const in self.enc.constants.items():
            value = self.model.eval(const, model_completion=True)
            labels.setdefault(value.get_id(), name)
        for k, element in enumerate(self.universe):
            labels.setdefault(element.get_id(), f"#{k}")
        return labels

    def _label(self, value: z3.ExprRef) -> str:
        label = self.labels.get(value.get_id())
        if label is not None:
            return label
        if z3.is_int_value(value) and self.enc.sorts.scale != 1:
            return unscaled(value.as_long(), self.enc.sorts.scale)
        return str(value)

    def _over_individuals(self, decl: z3.FuncDeclRef) -> bool:
        """Whether every argument is an individual (tuples of numbers are not listed)."""
        return all(decl.domain(i) == self.enc.sort for i in range(decl.arity()))

    def _tuples(self, arity: int) -> list[tuple[z3.ExprRef, ...]]:
        if len(self.universe) ** arity > 8 * self.limit:
            self.truncated = True
            return []
        return list(itertools.product(self.universe, repeat=arity))

    def render(self) -> str:
        lines = ["Countermodel (all premises true, goal false):"]
        size = len(self.universe)
        if size:
            names = sorted({self._label(e) for e in self.universe})
            lines.append(f"  domain: {size} element{'s' if size != 1 else ''}: {', '.join(names)}")
        aliases = self._aliases()
        if aliases:
            lines.append("  equal: " + ", ".join(aliases))
        true_atoms = self._true_atoms()
        lines.append("  true: " + (", ".join(true_atoms) if true_atoms else "(none)"))
        values = self._function_values()
        if values:
            lines.append("  functions: " + ", ".join(values))
        if self.truncated:
            lines.append("  (listing truncated)")
        else:
            lines.append("  every other atom is false")
        return "\n".join(lines)

    def _aliases(self) -> list[str]:
        out = []
        for name, const in self.enc.constants.items():
            label = self._label(self.model.eval(const, model_completion=True))
            if label != name:
                out.append(f"{name} = {label}")
        return out

    def _true_atoms(self) -> list[str]:
        atoms: list[str] = []
        for name, prop in self.enc.propositions.items():
            if z3.is_true(self.model.eval(prop, model_completion=True)):
                atoms.append(name)
        for name, decl in self.enc.predicates.items():
            if not self._over_individuals(decl):
                continue
            for args in self._tuples(decl.arity()):
                if z3.is_true(self.model.eval(decl(*args), model_completion=True)):
                    atoms.append(f"{name}({', '.join(self._label(a) for a in args)})")
                if len(atoms) >= self.limit:
                    self.truncated = True
                    return atoms
        return atoms

    def _function_values(self) -> list[str]:
        out: list[str] = []
        for name, decl in self.enc.functions.items():
            if not self._over_individuals(decl):
                continue
            for args in self._tuples(decl.arity()):
                value = self.model.eval(decl(*args), model_completion=True)
                labels = ", ".join(self._label(a) for a in args)
                out.append(f"{name}({labels}) = {self._label(value)}")
                if len(out) >= self.limit:
                    self.truncated = True
                    return out
        return out
