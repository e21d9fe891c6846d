"""Running the app under uvicorn, with the bind check: no token, no public address."""

from __future__ import annotations

import ipaddress
import json
import os

from rewardkit.config import ConfigError
from rewardkit.server.settings import LOOPBACK_HOSTS, TOKENS_ENV, ServerSettings

#: Seconds an idle keep-alive connection stays open.
KEEP_ALIVE_SECONDS = 5


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, settings: ServerSettings, insecure: bool) -> None:
    """Refuse a non-loopback address without a token unless ``insecure``: ConfigError."""
    if settings.tokens or insecure or is_loopback(host):
        return
    raise ConfigError(
        f"refusing to serve on {host} without authentication: give --token (or set "
        f"{TOKENS_ENV}), bind 127.0.0.1, or pass --insecure if the network is trusted"
    )


def serve(settings: ServerSettings, *, host: str = "127.0.0.1", port: int = 8000,
          http_workers: int = 1, insecure: bool = False, log_level: str = "info") -> None:
    """Serve until interrupted. With ``http_workers`` > 1 each uvicorn process has its own pool."""
    import uvicorn

    from rewardkit.server.app import SETTINGS_ENV, create_app

    check_bind(host, settings, insecure)
    options = {"host": host, "port": port, "log_level": log_level,
               "timeout_keep_alive": KEEP_ALIVE_SECONDS, "server_header": False}
    if http_workers <= 1:
        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
        return
    # Worker processes rebuild the app from the environment: settings as JSON, tokens apart.
    os.environ[SETTINGS_ENV] = json.dumps(settings.model_dump(mode="json", exclude={"tokens"}))
    os.environ[TOKENS_ENV] = ",".join(t.get_secret_value() for t in settings.tokens)
    uvicorn.run("rewardkit.server.app:app_from_environment", factory=True,
                workers=http_workers, **options)  # type: ignore[arg-type]
