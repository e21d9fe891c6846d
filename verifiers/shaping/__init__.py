"""Shaping rewards: ``format``, ``length`` and ``repetition``.

What GRPO recipes (open-r1, DAPO, TRL's ``trl.rewards``) add to a correctness reward, with
small weights. Each module is its own plugin, declared under the ``rewardkit`` entry-point
group like every built-in verifier.
"""
