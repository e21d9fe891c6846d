"""What a server operator decides: engine config, limits, tokens. Clients cannot change these."""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from rewardkit.config import EngineConfig

#: Comma-separated bearer tokens the server accepts (besides ``--token``).
TOKENS_ENV = "REWARDKIT_API_TOKENS"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class ServerSettings(BaseModel):
    """The server's configuration; every limit a request is held to comes from here."""

    model_config = ConfigDict(extra="forbid")

    #: The engine config: the default verifiers of ``/v1/score``, the worker pool, the cache.
    engine: EngineConfig = Field(default_factory=EngineConfig)
    #: Bearer tokens accepted; empty means no authentication (loopback only, unless insecure).
    tokens: list[SecretStr] = Field(default_factory=list)
    #: Largest request body in bytes, checked before the body is parsed.
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    #: Most samples in one ``/v1/score`` request.
    max_batch: int = Field(default=1024, ge=1)
    #: Most samples admitted and not yet scored, over all requests; beyond it: 503.
    max_pending: int = Field(default=8192, ge=1)
    #: Most of those one caller (token, or address without auth) may have; beyond it: 429.
    max_caller_pending: int = Field(default=4096, ge=1)
    #: The largest per-sample deadline (seconds) a request may ask for.
    max_timeout: float = Field(default=60.0, gt=0)
    #: The largest memory (MiB) a verifier option may ask for; None: the engine's limit, if any.
    max_memory_mb: int | None = Field(default=None, ge=64)
    #: Requests per second each token (or client address, without auth) may make; 0: no limit.
    rate_limit: float = Field(default=0.0, ge=0)
    #: Requests a token may make in a burst above the steady rate.
    rate_burst: int = Field(default=64, ge=1)
    #: Seconds a client may take between two chunks of its request body; beyond it: 408.
    read_timeout: float = Field(default=30.0, gt=0)
    #: Responses remembered for ``Idempotency-Key`` replays, and for how long (seconds).
    idempotency_size: int = Field(default=10_000, ge=0)
    idempotency_ttl: float = Field(default=24 * 3600.0, gt=0)
    #: Bytes of stored responses, over all callers and for one caller.
    idempotency_max_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    idempotency_caller_bytes: int = Field(default=16 * 1024 * 1024, ge=0)
    #: Distinct verifier configs whose engines are kept warm.
    engine_cache_size: int = Field(default=32, ge=1)
    #: Seconds a client is told to wait (Retry-After) when the queue is full.
    retry_after: int = Field(default=1, ge=1)
    #: Keep the tail of a verifier's traceback in error results' details (off: paths leak).
    expose_tracebacks: bool = False

    def token_values(self) -> list[bytes]:
        return [token.get_secret_value().encode() for token in self.tokens]

    @property
    def memory_cap_mb(self) -> int | None:
        return self.max_memory_mb or self.engine.memory_limit_mb


def tokens_from_env(extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """``extra`` tokens plus those in ``REWARDKIT_API_TOKENS``, blanks dropped."""
    env = os.environ.get(TOKENS_ENV, "")
    return [t.strip() for t in [*extra, *env.split(",")] if t.strip()]


def settings_from(engine: EngineConfig | dict[str, Any] | None = None,
                  **fields: Any) -> ServerSettings:
    """Settings from an engine config and any other :class:`ServerSettings` field."""
    if engine is not None:
        fields["engine"] = engine
    return ServerSettings.model_validate(fields)
