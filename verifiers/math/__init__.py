"""``math``: the completion's final answer equals the reference answer mathematically.

A plugin module like any other, declared under the ``rewardkit`` entry-point group. Importing
it is light: math-verify and sympy load in the worker on the first comparison.

- :mod:`.boxes`: every closed ``\\boxed{}`` in one pass, and the closing group of them.
- :mod:`.extraction`: finding the final answer (string work only, linear time).
- :mod:`.references`: reference answers (several acceptable ones, extracted like answers).
- :mod:`.equivalence`: deciding equality (exact numbers in Python, then math-verify/sympy).
- :mod:`.strictness`: the checks of the ``strict`` preset (hedges, retractions, ...).
- :mod:`.options`: the options model and presets; :mod:`.verifier`: the Verifier.
"""

from __future__ import annotations

from rewardkit import hookimpl
from rewardkit.verifiers.math.options import MathOptions
from rewardkit.verifiers.math.verifier import MathVerifier

__all__ = ["MathOptions", "MathVerifier"]


@hookimpl
def register_verifiers(register):  # type: ignore[no-untyped-def]
    register(MathVerifier)
