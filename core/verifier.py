"""The base class every verifier derives from, and how its answers become Results."""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import Enum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, GetJsonSchemaHandler, ValidationError
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, InitErrorDetails

from rewardkit.models import Result, Sample, Status

#: What ``verify`` may return: a full Result, or a bare reward (bools count as 1.0 / 0.0).
Verdict = Result | float | bool


class VerifierOptions(BaseModel):
    """Base class for a verifier's options: an option it does not declare is an error.

    pydantic's ``BaseModel`` ignores unknown fields, so ``--option ignorecase=1`` (a typo)
    would be accepted and do nothing; derive from this class instead.
    """

    model_config = ConfigDict(extra="forbid")


class NoOptions(VerifierOptions):
    """The options model of a verifier that takes none: any option is an error."""


class Trust(Enum):
    """Who may set a verifier option: put a member in the option's ``Annotated`` metadata.

    The operator (a config file, the CLI, Python code) may set every option. A request (a
    client of the server) may set ``CLIENT`` options freely, ``BOUNDED`` ones up to the
    operator's value, and no ``OPERATOR`` option. An option that says nothing is ``CLIENT``.

    Example::

        class FetchOptions(BaseModel):
            endpoint: Annotated[str, Trust.OPERATOR] = "http://grader.internal"
            max_retries: Annotated[int, Trust.BOUNDED] = Field(default=3, ge=0)
            strict: bool = False  # CLIENT: any valid value
    """

    #: Any valid value, from anyone.
    CLIENT = "client"
    #: A resource bound (time, memory, output, counts, sizes, pool sizes): a number where
    #: more costs the server more. A request may lower it, never raise it above the
    #: operator's value (or ask for None, "no limit", unless the operator's value is None).
    BOUNDED = "bounded"
    #: Only the operator: paths, hosts, images, interpreters, plugin folders, sandbox choice.
    OPERATOR = "operator"

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        # Clients read the options' JSON schema (GET /v1/verifiers): tell them the level.
        schema = handler(core_schema)
        schema["x-trust"] = self.value
        return schema


def option_trust(options: type[BaseModel]) -> dict[str, Trust]:
    """The trust level of each field of an options model (``CLIENT`` when it declares none)."""
    levels = {}
    for name, info in options.model_fields.items():
        marks = [mark for mark in info.metadata if isinstance(mark, Trust)]
        levels[name] = marks[-1] if marks else Trust.CLIENT
    return levels


class Verifier:
    """Base class of verifiers.

    A subclass sets :attr:`name` and implements :meth:`verify`; it may also implement
    :meth:`verify_batch` (one call for many samples) or :meth:`averify` (async). The engine
    uses ``verify_batch`` when a verifier defines it, else ``verify``, else ``averify``.

    Example::

        class Contains(Verifier):
            name = "contains"
            description = "1.0 when the reference text occurs in the completion"

            def verify(self, sample: Sample) -> bool:
                return str(sample.reference) in sample.completion_text
    """

    #: The name users select the verifier by; unique among installed verifiers.
    name: ClassVar[str] = ""
    #: One line for ``rewardkit verifiers``.
    description: ClassVar[str] = ""
    #: Bump when verdicts change, so cached results of the old version are not reused.
    version: ClassVar[str] = "1"
    #: Pydantic model of the options; unknown options are rejected unless it allows extras.
    #: Mark options a request must not set, or may only lower, with :class:`Trust`.
    Options: ClassVar[type[BaseModel]] = NoOptions
    #: Declares ``verify`` trivially safe (pure, fast, cannot hang or crash the process):
    #: it then runs in the calling process, without a worker or a hard deadline.
    inline: ClassVar[bool] = False
    #: Default hard deadline in seconds for one sample; None takes the engine's.
    timeout: ClassVar[float | None] = None
    #: False when verdicts are not a pure function of the sample (never cache them).
    cacheable: ClassVar[bool] = True

    options: BaseModel

    def __init__(self, options: BaseModel | dict[str, Any] | None = None) -> None:
        if isinstance(options, self.Options):
            self.options = options
        else:
            # ValidationError names each bad option: a clear error, raised before any scoring.
            self.options = validate_options(self.Options, options or {})

    def verify(self, sample: Sample) -> Verdict:
        """Judge one sample. Raise to report an error; the engine turns it into a Result."""
        raise NotImplementedError(f"verifier {self.name!r} implements no verify method")

    def verify_batch(self, samples: Sequence[Sample]) -> Sequence[Verdict]:
        """Judge several samples in one call; return one verdict per sample, in order."""
        raise NotImplementedError

    async def averify(self, sample: Sample) -> Verdict:
        """Judge one sample asynchronously (for verifiers that wait on I/O)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what this instance holds: sandboxes, containers, connections, threads.

        Called when a worker evicts the instance (it keeps a bounded number), when a worker
        or the pool shuts down, and when an engine closes. The default does nothing. It must
        not raise, must be safe to call twice, and should leave the instance able to
        acquire its resources again (lazily) if it is used after all.
        """

    @classmethod
    def preload(cls) -> None:
        """Load once what every worker would otherwise load on its own: heavy imports, parsers.

        The local pool calls it for each verifier its engine's config names, once, in the
        process its workers are forked from, before it forks them: workers then start warm
        and share those pages instead of each importing and warming the same libraries (with
        ``forkserver`` or ``spawn`` it is not called). It runs without a hard deadline and
        outside any worker, so use fixed inputs only: never samples, and start no processes,
        threads, sandboxes or connections. An exception is logged and ignored (the workers
        then load lazily). The default does nothing.
        """

    @classmethod
    def has_batch(cls) -> bool:
        """True when the subclass implements :meth:`verify_batch`."""
        return cls.verify_batch is not Verifier.verify_batch

    @classmethod
    def has_sync(cls) -> bool:
        """True when the subclass implements :meth:`verify`."""
        return cls.verify is not Verifier.verify

    @classmethod
    def has_async(cls) -> bool:
        """True when the subclass implements :meth:`averify`."""
        return cls.averify is not Verifier.averify

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} {self.options!r}>"


def validate_options(model: type[BaseModel], data: Any) -> BaseModel:
    """``model.model_validate(data)``, raising ``ValidationError`` for whatever a validator
    raises: pydantic wraps only ``ValueError`` and ``AssertionError``, and a plugin's own
    validator may raise anything (``re.compile`` raises ``OverflowError``), while bad options
    in a request must still be a clear 422, not a server error."""
    try:
        return model.model_validate(data)
    except ValidationError:
        raise
    except Exception as exc:
        error = InitErrorDetails(type="value_error", loc=(), input=data,
                                 ctx={"error": f"{type(exc).__name__}: {exc}"})
        raise ValidationError.from_exception_data(model.__name__, [error]) from exc


def to_result(verdict: object, verifier: str, seconds: float) -> Result:
    """Normalise what a verifier returned into a Result (an ``error`` one if it is not valid)."""
    if isinstance(verdict, Result):
        return verdict.model_copy(update={"verifier": verifier, "seconds": seconds})
    if isinstance(verdict, bool):
        return Result(reward=float(verdict), verifier=verifier, seconds=seconds)
    if isinstance(verdict, int | float) and math.isfinite(verdict):
        return Result(reward=float(verdict), verifier=verifier, seconds=seconds)
    what = repr(verdict) if isinstance(verdict, int | float) else type(verdict).__name__
    return Result(
        status=Status.ERROR,
        reason=f"verifier returned {what}; expected a Result, a finite number or a bool",
        verifier=verifier,
        seconds=seconds,
    )
