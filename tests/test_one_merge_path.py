"""One merge path: the CLI, the server, the TRL adapter and Python build the same engine
from the same config.

Each face once merged config itself (``score`` with ``exclude_unset``, ``serve`` with a full
dump, the server with its own engine cache); now each goes through ``operator_config`` and
:meth:`RewardEngine.derive`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from rewardkit import RewardEngine, Sample, Verifier, hookimpl, make_plugin_manager
from rewardkit.cli import cli
from rewardkit.config import ConfigError, EngineConfig, VerifierSpec
from rewardkit.engine import OptionForbidden
from rewardkit.verifier import Trust

CONFIG = """\
verifiers:
  - name: exact_match
    weight: 0.5
    timeout: 3
    options: {ignore_case: true}
  - name: exact_match
    label: strict_match
route_by: task
routes: {both: [exact_match, strict_match]}
timeout: 5
workers: 1
cache_size: 7
"""


def effective(engine: RewardEngine) -> dict[str, Any]:
    """What a user can observe of an engine's settings: verifiers, deadlines, routing, pool."""
    return {"verifiers": {k: s.model_dump() for k, s in engine.verifiers.items()},
            "timeouts": engine.timeouts, "route_by": engine.config.route_by,
            "routes": engine.config.routes, "workers": engine.config.worker_count,
            "cache_size": engine.config.cache_size, "executor": engine.config.executor}


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "rewardkit.yaml"
    path.write_text(CONFIG)
    return path


def cli_score_engine(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> RewardEngine:
    import rewardkit.cli as cli_module

    built: list[RewardEngine] = []

    class Spy(RewardEngine):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            built.append(self)

    monkeypatch.setattr(cli_module, "RewardEngine", Spy)
    data = config_file.parent / "in.jsonl"
    data.write_text('{"completion": "A", "reference": "a", "task": "both"}\n')
    result = CliRunner().invoke(cli, ["score", str(data), "--config", str(config_file), "-q"])
    assert result.exit_code == 0, result.output
    assert '"reward": 0.5' in result.output  # case-insensitive match x 0.5, strict one misses
    return built[0]


@pytest.fixture
def cli_serve_engine(config_file: Path, monkeypatch: pytest.MonkeyPatch):
    """The engine a request that overrides nothing gets from ``rewardkit serve --config``."""
    import rewardkit.server.run as run_module
    from rewardkit.server.service import VerificationService

    captured: list[Any] = []
    monkeypatch.setattr(run_module, "serve", lambda settings, **_: captured.append(settings))
    result = CliRunner().invoke(cli, ["serve", "--config", str(config_file)])
    assert result.exit_code == 0, result.output
    service = VerificationService(captured[0])
    yield service.engine_for(None)
    service.close()


def test_same_config_same_settings_via_cli_server_and_python(config_file, monkeypatch,
                                                             cli_serve_engine):
    from rewardkit.trl import reward_functions

    python = RewardEngine(config=config_file)
    score = cli_score_engine(config_file, monkeypatch)
    served = cli_serve_engine
    with reward_functions(config=config_file, patterns=False, warm=False) as funcs:
        assert funcs.engine is not None
        trained = effective(funcs.engine)
    assert effective(score) == effective(python) == effective(served) == trained
    assert python.timeouts == {"exact_match": 3.0, "strict_match": 5.0}


def test_a_request_naming_the_same_verifiers_gets_the_same_settings(config_file,
                                                                    cli_serve_engine):
    served = cli_serve_engine
    python = RewardEngine(config=config_file)
    specs = [{"name": "exact_match", "weight": 0.5, "timeout": 3},
             {"name": "exact_match", "label": "strict_match"}]
    parent = served._parent
    assert parent is not None
    request = parent.derive([VerifierSpec(**s) for s in specs], route_by="task",
                            routes={"both": ["exact_match", "strict_match"]}, max_timeout=60)
    # The operator's options for exact_match are laid under the request's (ignore_case).
    assert effective(request) == effective(python)


def test_derive_shares_pool_and_cache_and_reuses_engines():
    with RewardEngine(["exact_match"], workers=1) as parent:
        child = parent.derive(weights={"exact_match": 2.0})
        assert child.verifiers["exact_match"].weight == 2.0
        assert child.cache is parent.cache and child.plugins is parent.plugins
        assert parent.derive(weights={"exact_match": 2.0}) is child
        child.start_pool()  # exact_match runs inline: warm() would start nothing
        assert child.pool is parent.pool is not None
        child.close()  # a derived engine leaves the shared pool running
        assert parent.pool is not None and parent.pool.size > 0
        with pytest.raises(ConfigError, match="unconfigured"):
            parent.derive(weights={"nope": 1.0})


class PathOptions(BaseModel):
    path: Annotated[str, Trust.OPERATOR] = "/srv/data"


class Pathy(Verifier):
    name = "pathy"
    Options = PathOptions
    inline = True

    def verify(self, sample: Sample) -> float:
        return 1.0


class PathyPlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Pathy)


def test_derive_checks_overrides_the_same_for_python_as_for_the_server(tmp_path):
    """A client's overrides derived in Python get the server's refusals (403 there)."""
    pm = make_plugin_manager()
    pm.register(PathyPlugin(), name="pathy")
    with RewardEngine.base(EngineConfig(workers=1), pm) as operator:
        with pytest.raises(OptionForbidden):
            operator.derive([VerifierSpec(name="pathy", options={"path": str(tmp_path)})])
        assert operator.derive(["pathy"]).score([{"completion": "x"}])[0].reward == 1.0
        with pytest.raises(ConfigError, match="no verifiers configured"):
            operator.score([{"completion": "x"}])


def test_a_given_plugin_manager_is_never_changed(tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "extra.py").write_text("")
    pm = make_plugin_manager()
    before = list(pm.plugin_dirs)
    with pytest.raises(ConfigError, match="not loaded"):
        RewardEngine(["exact_match"], plugin_manager=pm, plugins_dir=[str(folder)])
    assert pm.plugin_dirs == before


def test_derived_engines_are_kept_up_to_the_cache_size():
    config = EngineConfig(verifiers=["exact_match"], workers=1)
    with RewardEngine.base(config, derived_cache_size=2) as parent:
        first, second = (parent.derive(weights=[w]) for w in (1.0, 2.0))
        assert parent.derive(weights=[1.0]) is first  # the most recently used again
        parent.derive(weights=[3.0])  # evicts `second`, the least recently used
        assert parent.derive(weights=[1.0]) is first
        assert parent.derive(weights=[2.0]) is not second


PLUGIN_MODULE = '''
from pydantic import BaseModel
from rewardkit import Verifier, hookimpl

class Options(BaseModel):
    factor: float = 2.0

class Folded(Verifier):
    """A verifier from a plugins folder."""
    name = "folded"
    Options = Options
    def verify(self, sample):
        return 1.0

@hookimpl
def register_verifiers(register):
    register(Folded)
'''


def test_cli_and_server_list_the_same_catalogue(tmp_path, monkeypatch):
    """``rewardkit verifiers`` read the plugin manager itself and had no --config: it could
    not list the plugins_dir verifiers ``serve --config`` serves, and its JSON had a
    ``source`` the server's had not. Both now list the engine's catalogue."""
    from fastapi.testclient import TestClient

    import rewardkit.server.run as run_module
    from rewardkit.server import create_app

    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "folded.py").write_text(PLUGIN_MODULE)
    config = tmp_path / "rk.yaml"
    config.write_text("plugins_dir: plugins\nverifiers: [folded]\nworkers: 1\n")
    listed = CliRunner().invoke(cli, ["verifiers", "--json", "--config", str(config)])
    assert listed.exit_code == 0, listed.output
    from_cli = json.loads(listed.output)

    captured: list[Any] = []
    monkeypatch.setattr(run_module, "serve", lambda settings, **_: captured.append(settings))
    assert CliRunner().invoke(cli, ["serve", "--config", str(config)]).exit_code == 0
    served = TestClient(create_app(captured[0])).get("/v1/verifiers").json()["verifiers"]

    assert from_cli == served
    folded = {v["name"]: v for v in served}["folded"]
    assert folded["options"]["properties"]["factor"]["default"] == 2.0
    assert folded["source"].endswith("folded.py")
