"""Running a program in a language other than Python: compile (cached), then I/O cases.

Assert style (JavaScript): :func:`assert_hosts` starts the language's host of the solution and
of the tests, each in its own sandbox, and the harness relays between them as for Python.

The verifier calls :func:`run_language` with three backends of the chosen kind: one with the
compile limits, one with the run limits, and one with the run limits but no address-space
rlimit (for the JVM, V8 and Go, bounded by the run's cgroup or container instead). The
harness then runs the I/O cases exactly as for Python; only the sandbox's setup differs.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from rewardkit import Result
from rewardkit.verifiers.code.checkers import Checker
from rewardkit.verifiers.code.compile import (
    BASE_ENV,
    CompileCache,
    CompileOutcome,
    cache_key,
    compile_program,
    installed,
    source_artefact,
)
from rewardkit.verifiers.code.harness import Outcome, run_io_cases
from rewardkit.verifiers.code.languages import Flags, Language
from rewardkit.verifiers.code.sandbox import Backend, Limits


def compile_cached(cache: CompileCache, backend: Backend, backend_label: str,
                   language: Language, source: str, flags: Flags,
                   limits: Limits) -> CompileOutcome:
    """The compile outcome for ``source``: from the cache, or compiled now and cached (a
    limit hit is not cached: it may depend on the machine's load)."""
    key = cache_key(language, source, flags, backend_label)
    found = cache.get(key)
    if found is not None:
        return CompileOutcome(found.artefact, found.diagnostics, found.limit, 0.0, cached=True)
    outcome = compile_program(backend, language, source, flags, limits)
    if outcome.limit is None:
        cache.put(key, outcome)
    return outcome


def compile_error(outcome: CompileOutcome, details: dict[str, Any]) -> Result:
    """Reward 0, status ok, reason ``compile error``: the program is wrong, not the verifier."""
    details = {**details, "stage": "compile", "diagnostics": outcome.diagnostics,
               "compile_seconds": round(outcome.seconds, 3)}
    if outcome.limit:
        details["limit"] = outcome.limit
    reason = "compile error" + (f" ({outcome.limit} limit hit)" if outcome.limit else "")
    return Result(reward=0.0, reason=reason, details=details)


def run_language(language: Language, source: str, cases: list[dict[str, Any]], *,
                 compile_backend: Callable[[], Backend], run_backend: Callable[[], Backend],
                 cache: CompileCache, backend_label: str, flags: Flags, limits: Limits,
                 compile_limits: Limits, stop_on_failure: bool, checker: Checker,
                 ) -> tuple[Outcome | None, CompileOutcome]:
    """Compile (unless interpreted or cached) and run every I/O case; the outcome is None
    when the program did not compile."""
    if language.compile is None:
        compiled = source_artefact(language, source)
    else:
        compiled = compile_cached(cache, compile_backend(), backend_label, language, source,
                                  flags, compile_limits)
    if compiled.artefact is None:
        return None, compiled
    backend = run_backend()
    with installed(compiled.artefact, backend, language, source, flags,
                   limits.memory_limit) as setup:
        outcome = run_io_cases(backend, source, cases, limits,
                               stop_on_failure=stop_on_failure, setup=setup, checker=checker)
    return outcome, compiled


def assert_hosts(language: Language, flags: Flags,
                 limits: Limits) -> dict[str, list[dict[str, Any]]]:
    """Per role of an assert-style test (``solution``, ``tests``), the requests that start
    ``language``'s host in a sandbox: its source as the program, run with the role."""
    assert language.assert_host is not None
    put = {"op": "put", "path": language.source_name(""),
           "data": base64.b64encode(language.assert_host.read_bytes()).decode()}
    argv = language.fill(language.run, "", flags, limits.memory_limit)
    env = {**BASE_ENV, **language.env}
    return {role: [put, {"op": "spawn", "argv": [*argv, role], "env": env}]
            for role in ("solution", "tests")}
