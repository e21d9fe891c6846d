"""What is installed: the verifiers and the plugins that failed, as the faces list them."""

from __future__ import annotations

import json
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


def option_lines(schema: dict[str, Any]) -> list[str]:
    """``name: type = default`` for each option in an options JSON schema, for a terminal."""
    defs = schema.get("$defs", {})
    lines = []
    for name, field in schema.get("properties", {}).items():
        default = json.dumps(field["default"]) if "default" in field else "(required)"
        lines.append(f"{name}: {_type_name(field, defs)} = {default}")
    return lines


def _type_name(field: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in field:
        return str(field["$ref"]).rsplit("/", 1)[-1]
    if "enum" in field:
        return " | ".join(json.dumps(value) for value in field["enum"])
    if "const" in field:
        return json.dumps(field["const"])
    for union in ("anyOf", "oneOf"):
        if union in field:
            return " | ".join(_type_name(member, defs) for member in field[union])
    kind = field.get("type", "any")
    if kind == "array":
        return f"list[{_type_name(field.get('items', {}), defs)}]"
    if kind == "object":
        return "dict"
    return {"string": "str", "integer": "int", "number": "float", "boolean": "bool",
            "null": "null"}.get(str(kind), str(kind))
