"""Finding, loading and asking plugins.

The plugin manager is built on first use (never at import time): it adds the hook
specifications, loads each entry point of the ``rewardkit`` group in its own try/except
(a broken plugin is recorded, not fatal), then checks every implementation against its spec.
Built-in verifiers come through the same entry-point group as third-party ones.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import importlib.util
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from rewardkit import hookspecs
from rewardkit.models import Result, Sample
from rewardkit.verifier import Verifier

if TYPE_CHECKING:
    from rewardkit.probe import AttackFamily

ENTRY_POINT_GROUP = "rewardkit"
#: Comma-separated allow-list of plugins (entry-point or distribution names) to load.
#: Unset: load every installed plugin. Set but empty: load no third-party plugin.
ALLOW_ENV = "REWARDKIT_LOAD_PLUGINS"
#: Our own distribution: its entry points (the built-in verifiers) are always loaded.
BUILTIN_DISTRIBUTION = "rewardkit"


class PluginError(Exception):
    """A plugin problem the caller must hear about: a duplicate name, a required plugin missing."""


class UnknownVerifier(PluginError, KeyError):
    """No installed verifier has the requested name."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@dataclass(frozen=True)
class PluginFailure:
    """A plugin that could not be loaded or that failed while registering its verifiers."""

    plugin: str
    distribution: str | None
    error: str
    traceback: str


@dataclass(frozen=True)
class VerifierInfo:
    """An installed verifier and where it came from."""

    name: str
    factory: type[Verifier] | Verifier
    plugin: str
    distribution: str | None
    version: str | None

    @property
    def description(self) -> str:
        return self.factory.description

    def create(self, options: dict[str, Any] | None = None) -> Verifier:
        """A verifier instance with ``options`` (validated; raises ``ValidationError``)."""
        if isinstance(self.factory, Verifier):
            if not options:
                return self.factory
            return type(self.factory)({**self.factory.options.model_dump(), **options})
        return self.factory(options)


class PluginManager(pluggy.PluginManager):
    """pluggy's manager with rewardkit's typed calls on top; the only way the engine asks plugins.

    Faces (CLI, server, trainer adapter) go through :class:`rewardkit.RewardEngine`, which
    holds one of these.
    """

    def __init__(self) -> None:
        super().__init__("rewardkit")
        self.add_hookspecs(hookspecs)
        self.failures: list[PluginFailure] = []
        #: Folders whose modules were loaded as plugins (spawned workers load them again).
        self.plugin_dirs: list[str] = []
        self._distributions: dict[str, tuple[str | None, str | None]] = {}
        self._sources: dict[str, str] = {}
        self._verifiers: dict[str, VerifierInfo] | None = None

    # Registration changes what verifiers exist: forget the table built from the old set.
    def register(self, plugin: object, name: str | None = None) -> str | None:
        self._verifiers = None
        return super().register(plugin, name)

    def unregister(self, plugin: object | None = None, name: str | None = None) -> Any:
        self._verifiers = None
        return super().unregister(plugin, name)

    def load_entry_points(self, allow: Iterable[str] | None = None) -> None:
        """Load the ``rewardkit`` entry points, built-ins always, others if ``allow`` admits them.

        ``allow`` is a collection of entry-point or distribution names; None admits all.
        Entry points load in a fixed order (distribution, then name); each failure is
        recorded in :attr:`failures` and the rest still load.
        """
        allowed = None if allow is None else {name.strip() for name in allow if name.strip()}
        entry_points = sorted(
            metadata.entry_points(group=ENTRY_POINT_GROUP),
            key=lambda ep: (_dist_name(ep) != BUILTIN_DISTRIBUTION, _dist_name(ep) or "", ep.name),
        )
        for ep in entry_points:
            dist = _dist_name(ep)
            if self.has_plugin(ep.name) or self.is_blocked(ep.name):
                continue
            admitted = allowed is None or ep.name in allowed or dist in allowed
            if dist != BUILTIN_DISTRIBUTION and not admitted:
                continue
            if self._load_one(ep.name, dist, ep.load):
                self._distributions[ep.name] = (dist, ep.dist.version if ep.dist else None)

    def load_directory(self, path: str | os.PathLike[str]) -> None:
        """Load every ``*.py`` module in ``path`` (not starting with ``_``) as a plugin.

        For one-off verifiers that are not worth a package. Modules load in name order, each
        in its own try/except like entry points; a plugin is named after its file.
        Raises :class:`PluginError` when ``path`` is not a folder.
        """
        folder = Path(path).resolve()
        if not folder.is_dir():
            raise PluginError(f"plugins folder {str(path)!r} does not exist or is not a folder")
        self.plugin_dirs.append(str(folder))
        tag = hashlib.blake2b(str(folder).encode(), digest_size=4).hexdigest()
        for file in sorted(folder.glob("*.py")):
            if file.name.startswith("_") or self.has_plugin(file.stem):
                continue
            module_name = f"rewardkit_local_plugin_{tag}_{file.stem}"
            self._load_one(file.stem, None, functools.partial(_import_file, module_name, file))
            self._distributions.setdefault(file.stem, (None, None))
            self._sources[file.stem] = str(file)

    def _load_one(self, name: str, dist: str | None, load: Callable[[], object]) -> bool:
        try:
            self.register(load(), name=name)
            # An implementation of a hook that does not exist (a typo) fails this plugin
            # alone, not the whole manager.
            self.check_pending()
        except Exception as exc:
            if self.has_plugin(name):
                self.unregister(name=name)
            self.failures.append(_failure(name, dist, exc))
            return False
        return True

    def plugin_source(self, plugin_name: str) -> str | None:
        """The file a plugin loaded from a plugins folder came from, else None."""
        return self._sources.get(plugin_name)

    def get_verifiers(self) -> dict[str, VerifierInfo]:
        """Every registered verifier by name, asking each plugin once (cached until plugins change).

        Raises :class:`PluginError` naming both plugins when two register the same name.
        A plugin whose ``register_verifiers`` raises is recorded in :attr:`failures`.
        """
        if self._verifiers is not None:
            return self._verifiers
        table: dict[str, VerifierInfo] = {}
        plugins = [
            (name, plugin)
            for name, plugin in self.list_name_plugin()
            if any(impl.plugin is plugin for impl in self.hook.register_verifiers.get_hookimpls())
        ]
        for plugin_name, plugin in plugins:
            dist, version = self._distributions.get(plugin_name, (None, None))
            found: list[VerifierInfo] = []

            def register(factory: type[Verifier] | Verifier, _found: list[VerifierInfo] = found,
                         _plugin: str = plugin_name, _dist: str | None = dist,
                         _version: str | None = version) -> None:
                _found.append(_verifier_info(factory, _plugin, _dist, _version))

            # Asking one plugin at a time is what lets a duplicate name point at both plugins.
            others = [other for _, other in plugins if other is not plugin]
            try:
                self.subset_hook_caller("register_verifiers", others)(register=register)
            except Exception as exc:
                self.failures.append(_failure(plugin_name, dist, exc))
                continue
            for info in found:
                if info.name in table:
                    first = table[info.name]
                    raise PluginError(
                        f"verifier name {info.name!r} is registered by two plugins: "
                        f"{_describe(first)} and {_describe(info)}; uninstall or disable one "
                        f"(see {ALLOW_ENV})"
                    )
                table[info.name] = info
        self._verifiers = dict(sorted(table.items()))
        return self._verifiers

    def get_verifier(self, name: str) -> VerifierInfo:
        """The verifier called ``name``; :class:`UnknownVerifier` lists close matches."""
        verifiers = self.get_verifiers()
        if name in verifiers:
            return verifiers[name]
        close = difflib.get_close_matches(name, verifiers, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        known = ", ".join(verifiers) or "none"
        raise UnknownVerifier(f"no verifier named {name!r}{hint} (installed: {known})")

    def require(self, names: Iterable[str]) -> None:
        """Fail fast unless every named plugin (or verifier) is loaded.

        Raises :class:`PluginError` listing what is installed, what is expected and what is
        missing, with the load error of any that failed.
        """
        expected = sorted(set(names))
        have = {name for name, _ in self.list_name_plugin()} | set(self.get_verifiers())
        have |= {dist for dist, _ in self._distributions.values() if dist}
        missing = [name for name in expected if name not in have]
        if not missing:
            return
        failed = {f.plugin: f.error for f in self.failures} | {
            f.distribution: f.error for f in self.failures if f.distribution
        }
        lines = [f"required plugins are missing: {', '.join(missing)}"]
        lines += [f"  {name} failed to load: {failed[name]}" for name in missing if name in failed]
        lines.append(f"  expected: {', '.join(expected)}")
        lines.append(f"  installed: {', '.join(sorted(have)) or 'none'}")
        raise PluginError("\n".join(lines))

    def has_prepare_sample(self) -> bool:
        """True when some plugin implements ``prepare_sample`` (else samples need no copy)."""
        return bool(self.hook.prepare_sample.get_hookimpls())

    def prepare_sample(self, sample: Sample, verifier: str) -> Sample:
        """A copy of ``sample`` normalised by every ``prepare_sample`` implementation."""
        prepared = sample.model_copy(deep=True)
        self.hook.prepare_sample(sample=prepared, verifier=verifier)
        return prepared

    def classify_pattern(self, sample: Sample, result: Result) -> str | None:
        """The first reasoning-pattern label a plugin gives ``sample``, or None."""
        label: str | None = self.hook.classify_pattern(sample=sample, result=result)
        return label

    def attack_families(self) -> list[AttackFamily]:
        """The attack families plugins register through ``register_probes``, in plugin order.

        A plugin whose ``register_probes`` raises is recorded in :attr:`failures`.
        """
        families: list[AttackFamily] = []
        for name, plugin in self.list_name_plugin():
            impls = [impl for impl in self.hook.register_probes.get_hookimpls()
                     if impl.plugin is plugin]
            if not impls:
                continue
            others = [other for _, other in self.list_name_plugin() if other is not plugin]
            try:
                self.subset_hook_caller("register_probes", others)(register=families.append)
            except Exception as exc:
                self.failures.append(_failure(name, self._distributions.get(name, (None,))[0],
                                              exc))
        return families

    def plugin_distribution(self, plugin_name: str) -> tuple[str | None, str | None]:
        """(distribution, version) a plugin was loaded from; (None, None) if registered in code."""
        return self._distributions.get(plugin_name, (None, None))


def allow_list_from_env() -> list[str] | None:
    """The allow-list in ``REWARDKIT_LOAD_PLUGINS``: None when unset, [] when set but empty."""
    value = os.environ.get(ALLOW_ENV)
    if value is None:
        return None
    return [name for name in value.split(",") if name.strip()]


def make_plugin_manager(*, load_entry_points: bool = True, allow: Iterable[str] | None = None,
                        plugin_dirs: Iterable[str | os.PathLike[str]] = ()) -> PluginManager:
    """A new plugin manager; with ``load_entry_points``, installed plugins are loaded into it.

    ``allow`` defaults to the ``REWARDKIT_LOAD_PLUGINS`` allow-list. Each of ``plugin_dirs``
    is then loaded with :meth:`PluginManager.load_directory`.
    """
    pm = PluginManager()
    if load_entry_points:
        pm.load_entry_points(allow if allow is not None else allow_list_from_env())
    for folder in plugin_dirs:
        pm.load_directory(folder)
    pm.check_pending()
    return pm


_plugin_manager: PluginManager | None = None


def get_plugin_manager() -> PluginManager:
    """The process-wide plugin manager, built on first use and cached."""
    global _plugin_manager
    if _plugin_manager is None:
        _plugin_manager = make_plugin_manager()
    return _plugin_manager


def _import_file(module_name: str, path: Path) -> object:
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # so its classes pickle by reference
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


def _dist_name(ep: metadata.EntryPoint) -> str | None:
    return ep.dist.name if ep.dist is not None else None


def _failure(plugin: str, dist: str | None, exc: BaseException) -> PluginFailure:
    return PluginFailure(
        plugin=plugin,
        distribution=dist,
        error=f"{type(exc).__name__}: {exc}",
        traceback="".join(traceback.format_exception(exc)),
    )


def _describe(info: VerifierInfo) -> str:
    where = f" (distribution {info.distribution})" if info.distribution else ""
    return f"plugin {info.plugin!r}{where}"


def _verifier_info(factory: object, plugin: str, dist: str | None,
                   version: str | None) -> VerifierInfo:
    if not (isinstance(factory, Verifier)
            or (isinstance(factory, type) and issubclass(factory, Verifier))):
        raise TypeError(f"register() takes a Verifier subclass or instance, not {factory!r}")
    name = factory.name
    if not name or not isinstance(name, str):
        raise TypeError(f"verifier {factory!r} has no name")
    return VerifierInfo(name, factory, plugin, dist, version)
