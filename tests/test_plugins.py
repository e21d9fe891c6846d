"""Plugin discovery through real entry points (dist-info folders on sys.path)."""

import textwrap
from pathlib import Path

import pytest

from rewardkit import PluginError, make_plugin_manager

GOOD = '''
from rewardkit import Verifier, hookimpl

class Shout(Verifier):
    name = "shout"
    description = "1.0 for an all-caps completion"

    def verify(self, sample):
        return sample.completion_text.isupper()

@hookimpl
def register_verifiers(register):
    register(Shout)
'''

DUPLICATE = '''
from rewardkit import Verifier, hookimpl

class AlsoShout(Verifier):
    name = "shout"

    def verify(self, sample):
        return 0.0

@hookimpl
def register_verifiers(register):
    register(AlsoShout)
'''


def install_fake_distribution(root: Path, dist: str, modules: dict[str, str],
                              entry_points: dict[str, str]) -> None:
    """What pip leaves behind, minus pip: modules plus a dist-info with entry_points.txt."""
    for name, source in modules.items():
        (root / f"{name}.py").write_text(textwrap.dedent(source))
    info = root / f"{dist.replace('-', '_')}-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.2.3\n")
    lines = "\n".join(f"{name} = {target}" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[rewardkit]\n{lines}\n")


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("REWARDKIT_LOAD_PLUGINS", raising=False)
    return tmp_path


def test_entry_point_plugin_is_discovered_with_its_distribution(site):
    install_fake_distribution(site, "rewardkit-shout", {"rk_shout": GOOD}, {"shout": "rk_shout"})
    pm = make_plugin_manager()
    info = pm.get_verifier("shout")
    assert (info.plugin, info.distribution, info.version) == ("shout", "rewardkit-shout", "1.2.3")
    assert "exact_match" in pm.get_verifiers()  # built-ins come through the same group
    assert pm.get_verifier("exact_match").distribution == "rewardkit"


def test_plugin_that_fails_to_import_is_reported_not_fatal(site):
    install_fake_distribution(site, "rewardkit-broken", {"rk_broken": "import nonexistent_mod\n"},
                              {"broken": "rk_broken"})
    install_fake_distribution(site, "rewardkit-shout", {"rk_shout": GOOD}, {"shout": "rk_shout"})
    pm = make_plugin_manager()
    assert "shout" in pm.get_verifiers()
    [failure] = pm.failures
    assert failure.plugin == "broken" and failure.distribution == "rewardkit-broken"
    assert "nonexistent_mod" in failure.error
    with pytest.raises(PluginError, match=r"(?s)broken.*failed to load.*nonexistent_mod"):
        pm.require(["broken"])
    pm.require(["shout", "rewardkit-shout", "exact_match"])


def test_require_lists_installed_expected_and_missing(site):
    pm = make_plugin_manager()
    with pytest.raises(PluginError) as info:
        pm.require(["company-rules", "exact_match"])
    message = str(info.value)
    assert "missing: company-rules" in message
    assert "expected: company-rules, exact_match" in message
    assert "installed:" in message and "exact_match" in message


def test_plugin_whose_registration_raises_is_reported(site):
    install_fake_distribution(site, "rewardkit-raises", {
        "rk_raises": "from rewardkit import hookimpl\n\n@hookimpl\n"
                     "def register_verifiers(register):\n    register(object())\n"},
        {"raises": "rk_raises"})
    pm = make_plugin_manager()
    assert "exact_match" in pm.get_verifiers()
    assert [f.plugin for f in pm.failures] == ["raises"]
    assert "Verifier subclass or instance" in pm.failures[0].error


def test_duplicate_verifier_names_name_both_plugins(site):
    install_fake_distribution(site, "rewardkit-shout", {"rk_shout": GOOD}, {"shout": "rk_shout"})
    install_fake_distribution(site, "rewardkit-copycat", {"rk_copycat": DUPLICATE},
                              {"copycat": "rk_copycat"})
    pm = make_plugin_manager()
    with pytest.raises(PluginError) as info:
        pm.get_verifiers()
    message = str(info.value)
    assert "'shout'" in message
    assert "plugin 'shout' (distribution rewardkit-shout)" in message
    assert "plugin 'copycat' (distribution rewardkit-copycat)" in message


def test_allow_list_env(site, monkeypatch):
    install_fake_distribution(site, "rewardkit-shout", {"rk_shout": GOOD}, {"shout": "rk_shout"})
    monkeypatch.setenv("REWARDKIT_LOAD_PLUGINS", "")
    names = set(make_plugin_manager().get_verifiers())
    assert "exact_match" in names and "shout" not in names  # built-ins only
    monkeypatch.setenv("REWARDKIT_LOAD_PLUGINS", "rewardkit-shout")
    assert "shout" in make_plugin_manager().get_verifiers()
    monkeypatch.setenv("REWARDKIT_LOAD_PLUGINS", "other, shout")
    assert "shout" in make_plugin_manager().get_verifiers()


def test_registering_after_listing_refreshes_the_table(plugin_manager):
    from rewardkit import Verifier, hookimpl

    assert "late" not in plugin_manager.get_verifiers()

    class Late(Verifier):
        name = "late"

    class Plugin:
        @hookimpl
        def register_verifiers(self, register):
            register(Late)

    plugin = Plugin()
    plugin_manager.register(plugin)
    assert "late" in plugin_manager.get_verifiers()
    plugin_manager.unregister(plugin)
    assert "late" not in plugin_manager.get_verifiers()


def test_hookimpl_of_unknown_hook_fails_that_plugin_only(site):
    install_fake_distribution(site, "rewardkit-typo", {
        "rk_typo": "from rewardkit import hookimpl\n\n@hookimpl\ndef register_verifier(register):"
                   "\n    pass\n"}, {"typo": "rk_typo"})
    install_fake_distribution(site, "rewardkit-shout", {"rk_shout": GOOD}, {"shout": "rk_shout"})
    pm = make_plugin_manager()
    assert {"shout", "exact_match"} <= set(pm.get_verifiers())
    [failure] = pm.failures
    assert failure.plugin == "typo" and "register_verifier" in failure.error
    assert not pm.has_plugin("typo")


def test_nothing_loads_at_import_time():
    import subprocess
    import sys

    code = ("import sys, rewardkit, rewardkit.plugins as p; "
            "assert p._plugin_manager is None; "
            "heavy = [m for m in ('torch', 'trl', 'fastapi', 'sympy', 'docker', "
            "'rewardkit.verifiers.exact_match') if m in sys.modules]; "
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_plugins_dir_loads_modules_through_the_same_manager(tmp_path):
    (tmp_path / "shout.py").write_text(GOOD)
    (tmp_path / "broken.py").write_text("raise RuntimeError('nope')\n")
    (tmp_path / "_private.py").write_text("raise RuntimeError('never imported')\n")
    pm = make_plugin_manager(plugin_dirs=[tmp_path])
    info = pm.get_verifier("shout")
    assert info.plugin == "shout" and info.distribution is None
    assert pm.plugin_source("shout") == str(tmp_path / "shout.py")
    assert [(f.plugin, f.error) for f in pm.failures] == [("broken", "RuntimeError: nope")]
    with pytest.raises(PluginError, match="does not exist"):
        make_plugin_manager(plugin_dirs=[tmp_path / "missing"])


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_plugins_dir_config_key_is_relative_to_the_config_file(tmp_path, start_method):
    from rewardkit import RewardEngine

    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "shout.py").write_text(GOOD)
    config = tmp_path / "rk.yaml"
    config.write_text(f"plugins_dir: local\nverifiers: [shout]\nworkers: 1\n"
                      f"start_method: {start_method}\n")
    with RewardEngine(config=config) as engine:
        scores = engine.score([{"completion": "LOUD"}, {"completion": "quiet"}])
    assert [s.reward for s in scores] == [1.0, 0.0]
