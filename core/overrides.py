"""A client's overrides of the operator's config: merged and checked in one place.

The operator (a config file, the CLI, Python code) is trusted with every setting. A client
(a request to the server) may choose verifiers, weights, labels, routing, deadlines and
options, within these rules:

- its options for a verifier are laid over the operator's options for that verifier (and
  the operator's deadline for it applies unless the request sets one);
- an option the verifier marks :attr:`Trust.OPERATOR` is refused (:class:`OptionForbidden`);
- a :attr:`Trust.BOUNDED` option may not exceed the operator's value for it (its configured
  value, else the verifier's default) (:class:`LimitExceeded`);
- deadlines may not exceed ``max_timeout``; an unmarked numeric option named like a deadline
  (``timeout``, ``timeout_s``) or a memory size (``memory_mb``) is held to ``max_timeout`` or
  ``max_memory_mb``, for plugins written before trust levels existed;
- every other field of a verifier's spec (``inline``, ``shadow``) is the operator's: a
  request's spec for a verifier the operator configured keeps the operator's, and one the
  operator did not configure gets none.

Nothing of the client's reaches a verifier (no file is opened, no host contacted) before
these checks pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rewardkit.config import ConfigError, EngineConfig, VerifierSpec, load_config
from rewardkit.plugins import PluginManager
from rewardkit.verifier import Trust, Verifier, option_trust, validate_options

#: Option names taken as a deadline (seconds) or a memory size (MiB) when not marked.
_TIMEOUT_OPTION = re.compile(r"(^|_)timeout(_s|_seconds)?($|_)")
_MEMORY_OPTION = re.compile(r"(^|_)(memory|mem)(_limit)?(_mb|_mib)?$")


class OptionForbidden(ConfigError):
    """A client set an option only the operator may set (a path, host, image, interpreter)."""

    def __init__(self, verifier: str, option: str) -> None:
        self.verifier = verifier
        self.option = option
        super().__init__(
            f"{verifier}.options.{option} may be set only by the operator (the server's config "
            "file or command line), not by a request")


class LimitExceeded(ConfigError):
    """A client asked for more of a resource than the operator allows."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        super().__init__(f"{where}{message}")


def derive_config(operator: EngineConfig, plugins: PluginManager, *,
                  verifiers: Sequence[VerifierSpec] | None = None,
                  route_by: str | None = None, routes: Mapping[str, list[str]] | None = None,
                  timeout: float | None = None, max_timeout: float | None = None,
                  max_memory_mb: int | None = None) -> EngineConfig:
    """The config a client's request runs under: ``operator``'s with the request's overrides.

    Without ``verifiers`` the operator's verifiers (and routing, unless the request routes)
    are used as they are. ``max_timeout`` caps every deadline (and is kept in the result, so a
    verifier's own default deadline is cut too). Raises :class:`OptionForbidden`,
    :class:`LimitExceeded`, ``UnknownVerifier`` or pydantic's ``ValidationError`` (bad options).
    """
    if timeout is not None:
        _at_most(timeout, max_timeout, "timeout", " s")
    elif operator.timeout is not None and max_timeout is not None:
        timeout = min(operator.timeout, max_timeout)
    else:
        timeout = operator.timeout
    if not verifiers:
        specs = list(operator.verifiers)
        if route_by is None:
            route_by, routes = operator.route_by, routes or operator.routes
    else:
        specs = [_checked_spec(spec, operator, plugins, max_timeout, max_memory_mb)
                 for spec in verifiers]
    settings = operator.model_dump(exclude={"verifiers", "route_by", "routes", "timeout",
                                            "max_timeout"})
    cap = max_timeout if operator.max_timeout is None else min(
        operator.max_timeout, max_timeout or math.inf)
    return EngineConfig.model_validate({
        **settings, "verifiers": specs, "route_by": route_by, "routes": dict(routes or {}),
        "timeout": timeout, "max_timeout": cap})


def _checked_spec(spec: VerifierSpec, operator: EngineConfig, plugins: PluginManager,
                  max_timeout: float | None, max_memory_mb: int | None) -> VerifierSpec:
    factory = plugins.get_verifier(spec.name).factory  # an unknown name raises here
    if spec.timeout is not None:
        _at_most(spec.timeout, max_timeout, f"{spec.key}.timeout", " s")
    levels = option_trust(factory.Options)
    for name in spec.options:
        if levels.get(name) is Trust.OPERATOR:
            raise OptionForbidden(spec.name, name)
    mine = _operator_spec(spec, operator)
    base = dict(mine.options) if mine is not None else {}
    merged = validate_options(factory.Options, {**base, **spec.options})
    ceiling = _ceilings(factory, base)
    for name in spec.options:
        value = getattr(merged, name, spec.options[name])
        where = f"{spec.key}.options.{name}"
        if levels.get(name) is Trust.BOUNDED:
            if name not in ceiling:
                raise LimitExceeded(where, ": the operator set no value to bound it; "
                                    "a request may not set it")
            _at_most(value, ceiling[name], where)
        elif _is_number(value) and _TIMEOUT_OPTION.search(name):
            _at_most(value, max_timeout, where, " s")
        elif _is_number(value) and _MEMORY_OPTION.search(name):
            _at_most(value, max_memory_mb, where, " MiB")
    timeout = spec.timeout if spec.timeout is not None or mine is None else mine.timeout
    # The operator's spec with the request's choices laid over it: its options (checked
    # above), deadline (capped), weight and label. Every other field (``inline``, ``shadow``)
    # stays the operator's; a request's own copy of them is never read.
    start = mine if mine is not None else VerifierSpec(name=spec.name)
    return start.model_copy(update={"options": {**base, **spec.options}, "timeout": timeout,
                                    "weight": spec.weight, "label": spec.label})


def _operator_spec(spec: VerifierSpec, operator: EngineConfig) -> VerifierSpec | None:
    """The operator's spec of this verifier: the one with the same key, else the same name."""
    named = [s for s in operator.verifiers if s.name == spec.name]
    same_key = [s for s in named if s.key == spec.key]
    chosen = same_key or named
    return chosen[0] if chosen else None


def _ceilings(factory: type[Verifier] | Verifier, base: dict[str, Any]) -> dict[str, Any]:
    """Each option's operator value: configured, else the registered instance's or default
    (validated, so ``"10"`` in a YAML file compares as the number the verifier gets)."""
    start = factory.options.model_dump() if isinstance(factory, Verifier) else {}
    try:
        return validate_options(factory.Options, {**start, **base}).model_dump()
    except ValidationError:  # required options the operator leaves to each request
        values = {name: info.get_default(call_default_factory=True)
                  for name, info in factory.Options.model_fields.items()
                  if not info.is_required()}
        return {**values, **start, **base}


def _at_most(value: Any, limit: Any, where: str, unit: str = "") -> None:
    """Refuse ``value`` above ``limit`` (None: no limit); None, "no limit", passes no limit.

    A bound that is not a number allows only the operator's own value.
    """
    if limit is None or value == limit:
        return
    if value is None or not (_is_number(value) and _is_number(limit)) or value > limit:
        shown = "none (no limit)" if value is None else f"{_num(value)}{unit}"
        raise LimitExceeded(where, f"={shown}; this server allows at most {_num(limit)}{unit}")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)



def operator_config(config: EngineConfig | Mapping[str, Any] | str | Path | None = None,
                    verifiers: Any = None, *, extend: Mapping[str, Sequence[str]] | None = None,
                    **settings: Any) -> EngineConfig:
    """The operator's config: a file, dict or :class:`EngineConfig`, with ``verifiers`` and
    ``settings`` (fields; None leaves the config's value) laid over it, and ``extend``'s lists
    (``require``, ``plugins_dir``) added to the config's. Every face builds its config here:
    the CLI's ``score`` and ``serve``, ``RewardEngine(...)`` and the TRL adapter.

    Raises :class:`ConfigError` for a file or value that cannot be used.
    """
    if isinstance(config, str | Path):
        base = load_config(config).model_dump(exclude_unset=True)
    elif isinstance(config, EngineConfig):
        base = config.model_dump(exclude_unset=True)
    else:
        base = dict(config or {})
    if verifiers is not None:
        base["verifiers"] = verifiers if isinstance(verifiers, Mapping) else list(verifiers)
    base.update({key: value for key, value in settings.items() if value is not None})
    for key, values in (extend or {}).items():
        if values:
            base[key] = [*base.get(key, []), *values]
    try:
        return EngineConfig.model_validate(base)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def weighted(specs: Sequence[VerifierSpec],
             weights: Mapping[str, float] | Sequence[float]) -> list[VerifierSpec]:
    """``specs`` with ``weights`` (by key, or one per spec in order) applied.

    Raises :class:`ConfigError` (a ``ValueError``) for a key no spec has or a wrong count.
    """
    keys = [spec.key for spec in specs]
    if isinstance(weights, Mapping):
        unknown = sorted(set(weights) - set(keys))
        if unknown:
            raise ConfigError(f"weights name unconfigured verifiers {unknown} "
                              f"(configured: {keys})")
        by_key = {key: float(value) for key, value in weights.items()}
    else:
        if len(weights) != len(keys):
            raise ConfigError(f"{len(weights)} weights for {len(keys)} verifiers {keys}")
        by_key = {key: float(value) for key, value in zip(keys, weights)}
    return [spec.model_copy(update={"weight": by_key.get(spec.key, spec.weight)})
            for spec in specs]
