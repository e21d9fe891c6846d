"""The engine's configuration: which verifiers, their weights and options, routing and limits.

The same model validates Python arguments, YAML and TOML files, the CLI's flags and the
server's requests, so every face means the same thing by the same word.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rewardkit.errors import one_line

DEFAULT_TIMEOUT = 10.0


class ConfigError(ValueError):
    """A configuration file or value that cannot be used; the message says where and why."""


#: Where disagreements of a shadow verifier are appended, unless its spec names a file.
DISAGREEMENTS_FILE = "rewardkit_disagreements.jsonl"


class ShadowSpec(BaseModel):
    """A second verifier that also judges a sampled share of a verifier's samples, after
    the primary results are returned (see docs/probe.md, "Shadow verification")."""

    model_config = ConfigDict(extra="forbid")

    #: The shadow verifier's name (the same verifier with other options works too).
    verifier: str = Field(min_length=1)
    #: Its options.
    options: dict[str, Any] = Field(default_factory=dict)
    #: Share of the primary's samples it judges (chosen by a hash of the sample, so the
    #: same sample is always in or out).
    sample_rate: float = Field(default=0.05, gt=0, le=1)
    #: Hard deadline per sample in seconds; None: the shadow verifier's own.
    timeout: float | None = Field(default=None, gt=0)
    #: Batches waiting for the shadow at most; a batch arriving past this is not shadowed
    #: (counted as dropped), so a slow shadow never holds memory or the pool for long.
    max_queued: int = Field(default=8, ge=1)
    #: JSONL file the disagreeing samples are appended to, with both verdicts.
    file: str = DISAGREEMENTS_FILE


class VerifierSpec(BaseModel):
    """One verifier as the engine runs it."""

    model_config = ConfigDict(extra="forbid")

    #: The installed verifier's name.
    name: str = Field(min_length=1)
    #: Weight in the combined reward; 0 records the result as a metric only. Finite and
    #: within ±1e6, as a request's: with rewards within float32's range, no sum overflows.
    weight: float = Field(default=1.0, ge=-1e6, le=1e6, allow_inf_nan=False)
    #: Options, validated by the verifier's own options model.
    options: dict[str, Any] = Field(default_factory=dict)
    #: Hard deadline in seconds per sample; None takes the engine's, else the verifier's own.
    timeout: float | None = Field(default=None, gt=0)
    #: The name results carry; lets one verifier run twice with different options.
    label: str | None = None
    #: Override the verifier's own ``inline`` declaration (False forces a worker and deadline).
    inline: bool | None = None
    #: A second verifier scoring a sample of this one's samples, to measure disagreement.
    shadow: ShadowSpec | None = None

    @property
    def key(self) -> str:
        return self.label or self.name

    @classmethod
    def parse(cls, text: str) -> VerifierSpec:
        """``NAME`` or ``NAME:WEIGHT``, as the CLI's ``--verifier`` takes it."""
        name, sep, weight = text.partition(":")
        if not sep:
            return cls(name=name)
        try:
            return cls(name=name, weight=float(weight))
        except ValueError:
            raise ConfigError(f"{text!r}: the weight after ':' must be a number") from None



#: Options a verifier gets in training unless its spec sets them: the math verifier's
#: ``strict`` preset, under which the reward hacks of docs/math.md score 0. Every trainer
#: adapter (TRL, verl, OpenRLHF) applies them; evaluation (``score``, the server) does not.
TRAINING_OPTIONS: dict[str, dict[str, Any]] = {"math": {"preset": "strict"}}


def with_training_presets(specs: list[VerifierSpec]) -> list[VerifierSpec]:
    """``specs`` with :data:`TRAINING_OPTIONS` under each spec's own options."""
    return [spec.model_copy(update={"options": {**TRAINING_OPTIONS[spec.name], **spec.options}})
            if spec.name in TRAINING_OPTIONS else spec for spec in specs]


class EngineConfig(BaseModel):
    """Everything a :class:`~rewardkit.RewardEngine` needs besides the plugins."""

    model_config = ConfigDict(extra="forbid")

    verifiers: list[VerifierSpec] = Field(default_factory=list)
    #: A metadata column whose value picks each sample's verifiers (as verl's ``data_source``).
    route_by: str | None = None
    #: Column value → verifier keys. A value not listed here is taken as a verifier key itself.
    routes: dict[str, list[str]] = Field(default_factory=dict)
    #: Hard deadline per sample, in seconds, for every verifier whose spec sets none; None
    #: leaves each verifier its own default (``Verifier.timeout``, else 10 s).
    timeout: float | None = Field(default=None, gt=0)
    #: A ceiling on every verifier's deadline, whatever set it (a server's cap).
    max_timeout: float | None = Field(default=None, gt=0)
    #: Worker processes; None uses every CPU this process may run on.
    workers: int | None = Field(default=None, ge=1)
    #: Results kept in the LRU cache; 0 turns the cache off.
    cache_size: int = Field(default=100_000, ge=0)
    #: How worker processes start; see :class:`rewardkit.execution.local.WorkerPool`.
    start_method: Literal["fork", "forkserver", "spawn"] = "fork"
    #: Address-space limit per worker process in MiB, or None.
    memory_limit_mb: int | None = Field(default=None, ge=64)
    #: Verifier instances (one per distinct name and options) each worker keeps; the least
    #: recently used one is closed, releasing its sandboxes or containers, past this.
    max_instances: int = Field(default=8, ge=1)
    #: Seconds a new worker may take to report ready (plugins imported) before it is
    #: killed and replaced.
    worker_start_timeout: float = Field(default=60.0, gt=0)
    #: Plugins or verifiers that must be installed; a missing one fails at start.
    require: list[str] = Field(default_factory=list)
    #: Where samples are verified: ``local`` worker processes, or a ``ray`` cluster.
    executor: Literal["local", "ray"] = "local"
    #: The Ray cluster to join (``auto``, ``ray://head:10001``); None starts a local one.
    ray_address: str | None = None
    #: Ray actors, each holding a warm worker pool; None: one per alive node.
    ray_actors: int | None = Field(default=None, ge=1)
    #: Custom Ray resources each actor needs (``{"sandbox": 0.01}``): actors go only to the
    #: nodes started with them (``ray start --resources``), e.g. those with Docker or bwrap.
    ray_resources: dict[str, float] = Field(default_factory=dict)
    #: Folders of one-off plugin modules to load besides the installed plugins.
    plugins_dir: list[str] = Field(default_factory=list)

    @field_validator("plugins_dir", mode="before")
    @classmethod
    def _one_dir(cls, value: Any) -> Any:
        return [value] if isinstance(value, str | Path) else value

    @field_validator("verifiers", mode="before")
    @classmethod
    def _verifier_shorthands(cls, value: Any) -> Any:
        # {"math": 1.0, "format": {"weight": 0.1}} and ["math:1.0", "format"] are accepted too.
        if isinstance(value, dict):
            return [
                {"name": name, **spec} if isinstance(spec, dict) else {"name": name, "weight": spec}
                for name, spec in value.items()
            ]
        if isinstance(value, list):
            return [VerifierSpec.parse(item) if isinstance(item, str) else item for item in value]
        return value

    @field_validator("routes", mode="before")
    @classmethod
    def _route_shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict):  # {"gsm8k": "math"} means {"gsm8k": ["math"]}
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _unique_keys(self) -> EngineConfig:
        keys = [spec.key for spec in self.verifiers]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(
                f"verifier {', '.join(duplicates)} is listed twice; give each a distinct 'label'"
            )
        if self.routes and not self.route_by:
            raise ValueError("'routes' needs 'route_by' (the column whose value is routed)")
        return self

    @property
    def worker_count(self) -> int:
        return self.workers or len(os.sched_getaffinity(0))


def load_config(path: str | Path) -> EngineConfig:
    """Read and validate a YAML (``.yaml``/``.yml``) or TOML (``.toml``) engine config.

    In TOML the settings may sit at the top level or under ``[rewardkit]``
    (``[tool.rewardkit]`` in a ``pyproject.toml``). Relative ``plugins_dir`` folders and
    verifier options named ``*_file`` (``rules_file``) are taken relative to the file's
    folder. Raises :class:`ConfigError` naming the file and the problem, in one line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config {path} is not UTF-8 text (byte {exc.start})") from None
    try:
        if path.suffix == ".toml":
            data: Any = tomllib.loads(text)
            data = data.get("tool", {}).get("rewardkit", data.get("rewardkit", data))
        else:
            data = yaml.safe_load(text) or {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path} is not valid {path.suffix.lstrip('.').upper()}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config must be a mapping of settings")
    try:
        config = EngineConfig.model_validate(data)
    except ValueError as exc:
        raise ConfigError(f"{path}: {one_line(exc)}") from None
    # A plugins folder, or a verifier option naming a file (``rules_file``), written in a
    # file is relative to that file, wherever the job runs from.
    config.plugins_dir = [str(path.parent / folder) for folder in config.plugins_dir]
    for spec in config.verifiers:
        if spec.shadow is not None and "file" in spec.shadow.model_fields_set:
            spec.shadow.file = str(path.parent / spec.shadow.file)
        for key, value in spec.options.items():
            if key.endswith("_file") and isinstance(value, str) and value:
                spec.options[key] = str(path.parent / value)
    return config
