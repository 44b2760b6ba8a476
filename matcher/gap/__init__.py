"""OR-Library generalised assignment problems (GAP), solved by the same engine as the Buddying plan.

A GAP is the Buddying model with nothing but its core: agents (supporters) with a capacity,
jobs (trusts in difficulty) that each use some of the capacity of the agent they go to, and
a cost or profit per pair. Solving the published instances to their published optima is how
we show the engine is right and fast.

Modules, one job each: ``instance`` (the problem and result types), ``reader`` (files),
``heuristics`` (a numpy starting plan), ``relaxation`` (LP bound and reduced-cost fixing),
``knapsack`` (exact per-agent knapsacks), ``lagrangian`` (the Lagrangian bound over them and
its reduced-cost fixing), ``repair`` (plans from knapsack solutions), ``subproblem`` (a
restricted CP-SAT solve on the core's model), ``neighbourhoods`` and ``tabu`` (the local
searches), ``branch`` (Lagrangian branch and bound for the last units), ``solve`` (the
phases) and ``cli`` (``python -m matcher gap``). Reading a file never loads OR-Tools, so
``bench.highs_gap`` can use the reader beside highspy.
"""
from .cli import gap_command
from .heuristics import start_assignment
from .instance import GapInstance, GapResult
from .reader import default_sense, instance_name, parse_gap, read_gap
from .solve import solve_gap
from .subproblem import to_core

__all__ = ["GapInstance", "GapResult", "default_sense", "gap_command", "instance_name", "parse_gap", "read_gap",
           "solve_gap", "start_assignment", "to_core"]
