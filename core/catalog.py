"""What is installed: the verifiers and the plugins that failed, as the faces list them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from rewardkit.plugins import PluginManager, get_plugin_manager


class VerifierDescription(BaseModel):
    name: str
    plugin: str
    distribution: str | None
    version: str | None
    #: The file of a plugin loaded from a plugins folder.
    source: str | None = None
    description: str
    #: JSON schema of the verifier's options.
    options: dict[str, Any]


class PluginFailureDescription(BaseModel):
    plugin: str
    distribution: str | None
    error: str


class Catalog(BaseModel):
    verifiers: list[VerifierDescription]
    failures: list[PluginFailureDescription]


def catalog(plugin_manager: PluginManager | None = None) -> Catalog:
    """The installed verifiers (sorted by name) and every plugin that failed to load."""
    pm = plugin_manager if plugin_manager is not None else get_plugin_manager()
    verifiers = [
        VerifierDescription(
            name=info.name,
            plugin=info.plugin,
            distribution=info.distribution,
            version=info.version,
            source=pm.plugin_source(info.plugin),
            description=info.description,
            options=info.factory.Options.model_json_schema(),
        )
        for info in pm.get_verifiers().values()
    ]
    failures = [
        PluginFailureDescription(plugin=f.plugin, distribution=f.distribution, error=f.error)
        for f in pm.failures
    ]
    return Catalog(verifiers=verifiers, failures=failures)
