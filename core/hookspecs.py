"""Every hook rewardkit calls. Plugins implement them with ``@rewardkit.hookimpl``.

A plugin implements any subset, and an implementation may accept fewer arguments than the
specification lists, so new arguments can be added here without breaking existing plugins.
``docs/hooks.md`` documents each hook; a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from rewardkit.models import Result, Sample
    from rewardkit.probe import AttackFamily
    from rewardkit.verifier import Verifier

hookspec = pluggy.HookspecMarker("rewardkit")
hookimpl = pluggy.HookimplMarker("rewardkit")


@hookspec
def register_verifiers(register: Callable[[type[Verifier] | Verifier], None]) -> None:
    """Register the verifiers this plugin provides.

    :param register: call it once per verifier, with a :class:`~rewardkit.Verifier` subclass
        or a configured instance of one. A name that another plugin already registered is an
        error that names both plugins.

    Returns nothing. Example::

        @hookimpl
        def register_verifiers(register):
            register(Contains)
    """


@hookspec
def prepare_sample(sample: Sample, verifier: str) -> None:
    """Normalise a sample before ``verifier`` judges it (and before the result cache is looked up).

    :param sample: a copy the engine made for this verifier; change its fields in place.
        Every implementation sees the changes of those called before it; they run in
        pluggy's order (the last registered first; ``tryfirst``/``trylast`` move one).
    :param verifier: the name of the verifier about to judge the sample, so a plugin can
        leave verifiers alone that need the raw text.

    Returns nothing. Runs in the calling process for every sample: keep it cheap. An
    exception is that sample's ``error`` result for this verifier, not the batch's. Example::

        @hookimpl
        def prepare_sample(sample, verifier):
            if verifier == "math" and isinstance(sample.completion, str):
                sample.completion = sample.completion.split("</think>")[-1]
    """


@hookspec(firstresult=True)
def classify_pattern(sample: Sample, result: Result) -> str | None:
    """Label the reasoning pattern a completion uses (for pattern telemetry during training).

    :param sample: the sample as the verifier saw it.
    :param result: the verifier's result for it.

    Return a short label such as ``"step_by_step"``, or None to let the next plugin decide.
    The first label returned wins; completions no plugin labels count as ``"other"``, and so
    do those an implementation raises on (the first exception is logged).
    Example::

        @hookimpl
        def classify_pattern(sample, result):
            if "```python" in sample.completion_text:
                return "code_assisted"
            return None
    """


@hookspec
def register_probes(register: Callable[[AttackFamily], None]) -> None:
    """Register attack families for ``rewardkit probe``: completions in this plugin's domain
    that its verifiers must not reward.

    :param register: call it once per family, with a :class:`~rewardkit.probe.AttackFamily`
        whose ``build(sample)`` returns the :class:`~rewardkit.probe.Attack` completions made
        from one real row (its prompt and reference). A builder with nothing to say about a
        row returns no attacks. A family name another plugin (or a built-in) uses is an error.

    Returns nothing. Example::

        from rewardkit.probe import Attack, AttackFamily

        def unit_swaps(sample):
            if isinstance(sample.reference, dict) and "nominal" in sample.reference:
                number = str(sample.reference["nominal"]).split()[0]
                yield Attack("no_unit", f"Torque: {number}")

        @hookimpl
        def register_probes(register):
            register(AttackFamily("unit_confusion", unit_swaps, "numbers in the wrong unit"))
    """
