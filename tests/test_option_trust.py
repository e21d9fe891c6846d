"""Trust levels for options: the operator sets anything, a request is held to its trust level.

Each REST test below is an attack a client could make before trust levels existed; its
docstring says how it worked then. The operator's faces (Python, config files, the CLI) keep
every option.
"""

from __future__ import annotations

import json
import re
import socket
import sys
from typing import Annotated, Any

import httpx
import pytest
from click.testing import CliRunner
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from test_server_support import running_server

from rewardkit import (
    EngineConfig,
    Result,
    RewardEngine,
    Sample,
    Trust,
    Verifier,
    VerifierSpec,
    get_plugin_manager,
    hookimpl,
    make_plugin_manager,
)
from rewardkit.cli import cli
from rewardkit.engine import LimitExceeded, OptionForbidden, derive_config
from rewardkit.verifier import option_trust

PROBLEM = "application/problem+json"
RULES_YAML = "rules:\n  - {field: material, type: enum, allowed: [6061-T6]}\n"

# Every file the test process opens, while a test watches (audit hooks cannot be removed).
_opened: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], str | bytes):
        _opened.append(str(args[0]))


sys.addaudithook(_audit)


class BudgetOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    steps: Annotated[int, Trust.BOUNDED] = Field(default=10, ge=1)
    window: Annotated[int | None, Trust.BOUNDED] = 100
    endpoint: Annotated[str, Trust.OPERATOR] = "http://grader.internal"
    strict: bool = False


class Budgeted(Verifier):
    """Reports the options it ran with (so a test sees what a request got)."""

    name = "budgeted"
    Options = BudgetOptions
    inline = True

    def verify(self, sample: Sample) -> Result:
        return Result(reward=1.0, details=self.options.model_dump())


class FussyOptions(BaseModel):
    """A plugin's own validator that raises what pydantic does not turn into an error."""

    model_config = ConfigDict(extra="forbid")

    limit: Any = 1

    @field_validator("limit")
    @classmethod
    def _a_count(cls, value: Any) -> int:
        if isinstance(value, str):
            return {"low": 1, "high": 10}[value]  # KeyError for another word
        return int(value)  # TypeError for a list


class Fussy(Verifier):
    name = "fussy"
    Options = FussyOptions
    inline = True

    def verify(self, sample: Sample) -> Result:
        return Result(reward=1.0)


class BudgetPlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Budgeted)
        register(Fussy)


@pytest.fixture(scope="module")
def server():
    engine = {"verifiers": [{"name": "budgeted", "options": {"steps": 20}},
                            {"name": "code", "options": {"backend": "docker"}}]}
    with running_server(engine=engine, plugins=[BudgetPlugin()], max_timeout=5.0) as running:
        yield running


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def problem(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{kind}" and body["status"] == status
    return body


def both_routes(http: httpx.Client, verifier: str, options: dict[str, Any],
                sample: dict[str, Any]) -> list[httpx.Response]:
    """The same options sent through /v1/verify and through /v1/score."""
    return [
        http.post(f"/v1/verify/{verifier}", json={"sample": sample, "options": options}),
        http.post("/v1/score", json={"samples": [sample],
                                     "verifiers": [{"name": verifier, "options": options}]}),
    ]


# --- declarations ----------------------------------------------------------------------------

#: Option names that hold a path, a host, an image, an interpreter or a sandbox choice.
_OPERATOR_NAME = re.compile(r"(^|_)(path|file|dir|folder|host|url|socket|image|python|"
                            r"interpreter|executable|command|backend|plugins?)s?$", re.I)


def test_every_installed_verifier_marks_paths_hosts_images_interpreters_operator_only():
    pm = get_plugin_manager()
    checked = 0
    for name, info in pm.get_verifiers().items():
        for option, level in option_trust(info.factory.Options).items():
            if _OPERATOR_NAME.search(option) and not option.startswith(("max_", "num_")):
                assert level is Trust.OPERATOR, f"{name}.{option} must be Trust.OPERATOR"
                checked += 1
    assert checked >= 5  # code: backend python image docker_host; rules: rules_file
    code = option_trust(pm.get_verifier("code").factory.Options)
    assert {k for k, v in code.items() if v is Trust.OPERATOR} == {
        "backend", "python", "image", "docker_host", "language_image", "compile_cache_size"}
    assert {k for k, v in code.items() if v is Trust.BOUNDED} >= {
        "time_limit", "memory_limit", "output_limit", "file_size_limit", "max_processes",
        "max_open_files", "tmpfs_size", "max_files", "pool_size", "cpus",
        "compile_time_limit", "compile_memory_limit", "compile_output_limit"}
    rules = option_trust(pm.get_verifier("rules").factory.Options)
    assert rules["rules_file"] is Trust.OPERATOR and rules["rules"] is Trust.CLIENT


def test_the_options_schema_tells_clients_each_level(http):
    verifiers = {v["name"]: v for v in http.get("/v1/verifiers").json()["verifiers"]}
    code = verifiers["code"]["options"]["properties"]
    assert code["docker_host"]["x-trust"] == "operator"
    assert code["time_limit"]["x-trust"] == "bounded"
    assert "x-trust" not in code["partial"]


# --- operator-only options over REST ---------------------------------------------------------


def test_a_request_cannot_make_rules_open_a_server_file(http, tmp_path):
    """Before: ``rules_file`` from a request was opened by the server when it built the
    engine, and the YAML or validation error came back in the 422 detail, file content
    included: any file the server could read leaked a piece at a time. Now the request is
    refused before anything is opened."""
    global _opened
    secret = tmp_path / "secret.yaml"
    secret.write_text("api_key: hunter2-do-not-leak\n")
    _opened = []
    try:
        responses = both_routes(http, "rules", {"rules_file": str(secret)},
                                {"completion": "material: 6061-T6"})
        opened = [path for path in _opened if "secret" in path]
    finally:
        _opened = None
    for response in responses:
        body = problem(response, 403, "operator-only-option")
        assert body["option"] == "rules_file" and body["verifier"] == "rules"
        assert "rules.options.rules_file" in body["detail"]
        assert "hunter2" not in response.text
    assert opened == []


def test_a_request_may_still_send_its_own_rule_set(http):
    rules = {"rules": [{"field": "material", "type": "enum", "allowed": ["6061-T6"]}]}
    result = http.post("/v1/verify/rules", json={"sample": {"completion": "material: 6061-T6"},
                                                 "options": {"rules": rules}}).json()
    assert (result["status"], result["reward"]) == ("ok", 1.0)


@pytest.mark.parametrize("pattern", [
    r"(?:a{4294967295}){4294967295}",  # re.compile raises OverflowError
    "(" * 2000 + ")" * 2000,  # RecursionError
    "(?:" * 5000 + ")" * 5000,
    "(",  # re.error, as before
])
def test_a_regex_that_does_not_compile_is_a_422_not_a_server_error(http, pattern):
    """Before: a pattern whose ``re.compile`` raised OverflowError or RecursionError (not
    ``re.error``) escaped validation, and the server answered 500 and dropped the connection.
    The long ones are now refused by their length, before any compile."""
    rules = {"rules": [{"field": "material", "type": "regex", "pattern": pattern}]}
    for response in both_routes(http, "rules", {"rules": rules},
                                {"completion": "material: 6061-T6"}):
        body = problem(response, 422, "invalid-options")
        assert "is not a valid regex" in body["detail"] or \
            "a regex may have at most 1,000" in body["detail"], body
    assert http.get("/healthz").status_code == 200


@pytest.mark.parametrize("value, error", [([1], "TypeError"), ("medium", "KeyError")])
def test_whatever_a_plugins_option_validator_raises_is_a_422(http, value, error):
    """Pydantic turns only ValueError and AssertionError into validation errors; before, any
    other exception from a plugin's validator was a 500."""
    responses = both_routes(http, "fussy", {"limit": value}, {"completion": "x"})
    for response in responses:
        body = problem(response, 422, "invalid-options")
        assert error in body["detail"]
    with pytest.raises(ValidationError, match=error):
        RewardEngine([{"name": "fussy", "options": {"limit": value}}],
                     plugin_manager=_budget_pm())


def _budget_pm():  # type: ignore[no-untyped-def]
    pm = make_plugin_manager()
    pm.register(BudgetPlugin())
    return pm


def test_a_request_cannot_point_the_code_verifier_at_its_own_docker_host(http):
    """Before: the code verifier built its docker backend from the request's ``docker_host``,
    so the worker connected to any address the client named (here a listener the test
    holds), and a hostile engine there could answer every run as passed (reward 1.0). Now
    the request is refused: nothing connects."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(1.0)
    host = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    sample = {"completion": "def f():\n    return 1\n", "reference": {"tests": "assert f() == 1"}}
    try:
        for response in both_routes(http, "code", {"docker_host": host}, sample):
            body = problem(response, 403, "operator-only-option")
            assert body["option"] == "docker_host"
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody came
    finally:
        listener.close()


@pytest.mark.parametrize(("option", "value"), [
    ("image", "attacker/reward-always-one:latest"),
    ("python", "/tmp/evil/python3"),
    ("backend", "process"),  # the operator chose docker: a request may not pick a weaker one
])
def test_a_request_cannot_choose_the_code_sandbox(http, option, value):
    """Before: a request set the image the container runs, the interpreter the sandbox
    shows, or the backend; each let a client replace the sandbox the operator chose."""
    sample = {"completion": "x", "reference": {"tests": "assert True"}}
    for response in both_routes(http, "code", {option: value}, sample):
        body = problem(response, 403, "operator-only-option")
        assert body["option"] == option and option in body["detail"]


def test_a_third_party_operator_only_option_is_refused_too(http):
    response = http.post("/v1/verify/budgeted", json={"sample": {"completion": "x"},
                                                      "options": {"endpoint": "http://evil"}})
    assert problem(response, 403, "operator-only-option")["option"] == "endpoint"


# --- bounded options over REST ---------------------------------------------------------------


def test_requests_get_the_operator_options_and_may_lower_bounds(http):
    def ran_with(options: dict[str, Any]) -> dict[str, Any]:
        response = http.post("/v1/verify/budgeted", json={"sample": {"completion": "x"},
                                                          "options": options})
        assert response.status_code == 200, response.text
        details: dict[str, Any] = response.json()["details"]
        return details

    assert ran_with({})["steps"] == 20  # the operator's value, not the default 10
    assert ran_with({"steps": 20, "strict": True}) == {
        "steps": 20, "window": 100, "endpoint": "http://grader.internal", "strict": True}
    assert ran_with({"steps": 3, "window": 50})["window"] == 50


@pytest.mark.parametrize(("verifier", "options", "where", "limit"), [
    ("budgeted", {"steps": 21}, "budgeted.options.steps", "20"),  # the operator's value
    ("budgeted", {"window": 101}, "budgeted.options.window", "100"),  # the default
    ("budgeted", {"window": None}, "budgeted.options.window", "100"),  # None: no limit
    ("code", {"time_limit": 30}, "code.options.time_limit", "5"),
    ("code", {"memory_limit": 8192}, "code.options.memory_limit", "512"),
    ("code", {"pool_size": 32}, "code.options.pool_size", "2"),
    ("code", {"max_processes": 10_000}, "code.options.max_processes", "32"),
    ("code", {"output_limit": 1 << 30}, "code.options.output_limit", str(1 << 20)),
])
def test_bounded_options_cannot_exceed_the_operator_value(http, verifier, options, where, limit):
    """Before: only option names like ``timeout``/``memory_mb`` were capped; a request could
    ask the code sandbox for 10 000 processes, 1 GiB of output or 32 warm containers."""
    sample = {"completion": "x", "reference": {"tests": "assert True"}}
    for response in both_routes(http, verifier, options, sample):
        body = problem(response, 422, "limit-exceeded")
        assert body["option"] == where
        assert where in body["detail"] and f"at most {limit}" in body["detail"]


def test_bad_values_of_bounded_options_are_invalid_options(http):
    response = http.post("/v1/verify/budgeted", json={"sample": {"completion": "x"},
                                                      "options": {"steps": "many"}})
    assert "steps" in problem(response, 422, "invalid-options")["detail"]


# --- the check itself, and the operator's faces ------------------------------------------------


@pytest.fixture
def pm():
    manager = make_plugin_manager()
    manager.register(BudgetPlugin(), name="budget")
    return manager


def test_derive_config_merges_over_the_operator_and_checks(pm):
    operator = EngineConfig(verifiers=[{"name": "budgeted", "options": {"steps": 20}}],
                            workers=3, timeout=30)
    config = derive_config(operator, pm, verifiers=[VerifierSpec(name="budgeted",
                                                                 options={"steps": 5})],
                           max_timeout=10)
    assert config.verifiers[0].options == {"steps": 5}
    assert (config.workers, config.timeout, config.max_timeout) == (3, 10, 10)
    labelled = derive_config(operator, pm, verifiers=[
        VerifierSpec(name="budgeted", label="other", options={"strict": True})])
    assert labelled.verifiers[0].options == {"steps": 20, "strict": True}
    with pytest.raises(OptionForbidden, match=r"budgeted\.options\.endpoint"):
        derive_config(operator, pm, verifiers=[VerifierSpec(name="budgeted",
                                                            options={"endpoint": "x"})])
    with pytest.raises(LimitExceeded, match="at most 20"):
        derive_config(operator, pm, verifiers=[VerifierSpec(name="budgeted",
                                                            options={"steps": 21})])
    with pytest.raises(LimitExceeded, match="at most 10 s"):
        derive_config(operator, pm, timeout=11, max_timeout=10)


def test_the_operator_deadline_of_a_verifier_applies_unless_the_request_sets_one(pm):
    operator = EngineConfig(verifiers=[{"name": "budgeted", "timeout": 3}])
    [inherited] = derive_config(operator, pm, verifiers=[VerifierSpec(name="budgeted")],
                                max_timeout=10).verifiers
    [own] = derive_config(operator, pm, verifiers=[VerifierSpec(name="budgeted", timeout=1)],
                          max_timeout=10).verifiers
    assert (inherited.timeout, own.timeout) == (3, 1)


def test_the_operator_raises_a_bound_in_its_config(pm):
    operator = EngineConfig(verifiers=[{"name": "code", "options": {"time_limit": "30"}}])
    config = derive_config(operator, pm, verifiers=[VerifierSpec(name="code",
                                                                 options={"time_limit": 20})])
    assert config.verifiers[0].options["time_limit"] == 20
    with pytest.raises(LimitExceeded, match="at most 30"):
        derive_config(operator, pm, verifiers=[VerifierSpec(name="code",
                                                            options={"time_limit": "31"})])


def test_python_and_the_cli_may_set_operator_only_options(tmp_path):
    rules_file = tmp_path / "part.yaml"
    rules_file.write_text(RULES_YAML)
    with RewardEngine([{"name": "rules", "options": {"rules_file": str(rules_file)}}],
                      workers=1) as engine:
        assert engine.score([{"completion": "material: 6061-T6"}])[0].reward == 1.0
    result = CliRunner().invoke(cli, ["verify", "rules", "--completion", "material: 6061-T6",
                                      "--option", f"rules_file={rules_file}", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["reward"] == 1.0
