"""Deciding formalizations: run each one through a solver, read the conclusion again, and vote.

Modules: :mod:`.execute` (parse, check and solve one formalization), :mod:`.formalizations`
(decide several and explain the winner), :mod:`.readings` (other readings of an undecided
conclusion), :mod:`.vote` (voting rules), :mod:`.symbolic` (the symbolic path of the Reasoner:
translate, refine, decide) and :mod:`.choice` (multiple choice, given a solve function).
"""
