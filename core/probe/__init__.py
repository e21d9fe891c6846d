"""``rewardkit probe``: attack a verifier with completions that must not earn reward.

Attack families (generic, answer spraying, format, code, structured, and those plugins add
through the ``register_probes`` hook) build adversarial completions from real rows of the
user's data; :func:`probe` scores them with the verifier and reports which earned reward.
See docs/probe.md.
"""

from rewardkit.probe.attacks import Attack, AttackFamily, builtin_families, wrong_answers
from rewardkit.probe.runner import AttackOutcome, FamilyReport, ProbeReport, families, probe

__all__ = [
    "Attack",
    "AttackFamily",
    "AttackOutcome",
    "FamilyReport",
    "ProbeReport",
    "builtin_families",
    "families",
    "probe",
    "wrong_answers",
]
