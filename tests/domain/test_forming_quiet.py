"""The exact optimiser prints nothing: HiGHS writes a two-line banner to stdout the first time it is
used in a process unless ``output_flag`` is off before any other call (``forming.program.new_highs``).

In a fresh interpreter, since the banner comes once per process and another test may have used HiGHS
already in this one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent

SCRIPT = """
from bansou.domain.forming import Person, Request, lp_relaxation_bound, propose_exactly

pool = [
    Person(key=f"p{i}", practises=frozenset({"B:2", f"C:{i % 9 + 1}"}), basics=True,
           may_be_core=i % 2 == 0, order=i)
    for i in range(12)
]
request = Request(b_rules=("B:2",), c_rules=("C:1", "C:2", "C:3"), size_min=3, size_max=5)
outcome = propose_exactly(pool, request, alternatives=2)
assert outcome.proposals, outcome
lp_relaxation_bound(pool, request)
"""


def test_a_first_exact_proposal_in_a_process_prints_nothing() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr == ""
