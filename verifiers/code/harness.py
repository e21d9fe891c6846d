"""The trusted side of a code test: it relays plain data between sandboxes and judges.

The solution runs in a sandbox (a :class:`~rewardkit.verifiers.code.sandbox.Session`), and so
does test *code*, in a second sandbox of its own. Nothing here compiles or runs either; what
crosses is plain data:

- I/O cases: stdin in, stdout out; the harness compares stdout with the expected output
  (``checkers.py``).
- assert-style tests: the solution's sandbox loads it and names its callables; the tests'
  sandbox runs the tests with a proxy for each of those the tests use. A proxy call comes here
  as a name and encoded arguments, goes on to the solution's sandbox, and its encoded return
  value (or the name and message of its exception) goes back, relayed as JSON without being
  decoded here. The tests' verdict comes back as plain data too. In JavaScript the same
  requests go to a ``node`` host the runner starts in each sandbox (``assert_host.js``).

So nothing the solution does in its sandbox (exiting early, objects with a rigged ``__eq__``,
monkeypatching, printing "passed", reading memory) reaches the judgement: it can only change
the plain data it answers with. The tests' sandbox never sees the solution's code or objects,
the solution's never sees the tests or their expected values, and test code (a dataset's, or
a client's over REST) touches the host no more than a solution does. Every message is bounded
in size and every wait ends at the run's deadline, so hostile input cannot make this slow.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from typing import Any

from rewardkit.verifiers.code.checkers import Checker
from rewardkit.verifiers.code.program import MAX_COMPLETION
from rewardkit.verifiers.code.sandbox import (
    Backend,
    LimitHit,
    LimitKind,
    Limits,
    SandboxUnavailable,
    Session,
)

#: Seconds a language's assert-style host (``node``) may take to start, besides the time
#: limit, before the sandbox counts as broken (a loaded machine starts it slowly).
HOST_STARTUP = 30.0
#: Seconds the harness waits past a run's time limit before killing the sandbox itself
#: (the runner enforces the limit per I/O case; this covers a runner the solution broke).
GRACE = 0.5


@dataclass
class CaseResult:
    passed: bool
    limit: LimitKind | None = None
    error: str = ""

    def as_dict(self, index: int) -> dict[str, Any]:
        row: dict[str, Any] = {"case": index, "passed": self.passed}
        if self.limit:
            row["limit"] = self.limit
        if self.error:
            row["error"] = self.error[:300]
        return row


@dataclass
class Outcome:
    """What the tests found: one entry per I/O case, or one for an assert-style test."""

    total: int
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(case.passed for case in self.cases)

    @property
    def first_limit(self) -> tuple[int, CaseResult] | None:
        for index, case in enumerate(self.cases):
            if case.limit:
                return index, case
        return None


class TestError(Exception):
    """The tests themselves are broken (not the solution): the result is an ``error``."""


def _oversized(program: str) -> Outcome | None:
    """A failed outcome for a program over the size cap (nothing is run), else None."""
    if len(program) <= MAX_COMPLETION:
        return None
    return Outcome(total=1, cases=[CaseResult(
        False, None, f"the program is {len(program)} characters, over the cap of "
                     f"{MAX_COMPLETION}; it was not run")])


# --- I/O style ------------------------------------------------------------------------

#: The default comparison: lines.
LINES = Checker()


def run_io_cases(backend: Backend, program: str, cases: list[dict[str, Any]], limits: Limits,
                 *, stop_on_failure: bool, setup: list[dict[str, Any]] | None = None,
                 checker: Checker = LINES) -> Outcome:
    """Run ``program`` once per case in one sandbox (a fresh one after a case broke it), its
    output compared by ``checker``.

    ``setup``: the requests that prepare a sandbox for a program in another language (its
    artefacts and command, see ``compile.py``), sent instead of compiling Python."""
    refused = _oversized(program)
    if refused is not None:
        refused.total = len(cases)
        return refused
    # What each case compares, read once: it is checked here and compared per run.
    expected = [checker.expected(str(case.get("stdout", case.get("output", ""))))
                for case in cases]
    for index, lines in enumerate(expected):
        size = checker.least_output(lines)
        if size > limits.output_limit:
            # No program could pass it: the data set's (or the limit's) fault, not the policy's.
            raise TestError(f"case {index} expects {size:,} bytes of output, over "
                            f"output_limit ({limits.output_limit:,}); raise output_limit for "
                            "this data set")
    outcome = Outcome(total=len(cases))
    session: Session | None = None
    try:
        for case, lines in zip(cases, expected):
            carrier: dict[str, Any] | None = None  # the setup request that runs this case too
            if session is None:
                session = backend.open_session()
                messages = setup or [{"op": "compile", "code": program}]
                if messages[-1].get("op") == "exec":  # one round trip less per session
                    *messages, carrier = messages
                try:
                    for message in messages:
                        _ask(session, message, time.monotonic() + limits.time_limit + 10)
                except LimitHit as exc:
                    outcome.cases.append(CaseResult(False, exc.kind, f"while compiling: {exc}"))
                    break
            result = _run_case(session, case, lines, limits, checker, carrier)
            if result.limit or (not result.passed and result.error.startswith("sandbox:")):
                session.close()  # a case that broke its sandbox gets none of the next case's
                session = None
            outcome.cases.append(result)
            if stop_on_failure and not result.passed:
                break
    except _CompileFailed as exc:
        outcome.cases.append(CaseResult(False, None, f"the program does not compile: {exc}"))
    finally:
        if session is not None:
            session.close()
    return outcome


class _CompileFailed(Exception):
    pass


def _ask(session: Session, message: dict[str, Any], deadline: float) -> dict[str, Any]:
    reply = session.request(message, deadline)
    if not reply.get("ok"):
        raise _CompileFailed(_error_text(reply))
    return reply


def _run_case(session: Session, case: dict[str, Any], expected: list[str], limits: Limits,
              checker: Checker, carrier: dict[str, Any] | None = None) -> CaseResult:
    """Run one case against its ``expected`` lines; ``carrier``: an ``exec`` request (the
    program's command) that the case's stdin rides on, so the sandbox sets the command up
    and runs the case at once."""
    stdin = str(case.get("stdin", case.get("input", "")))
    message = {**(carrier or {"op": "io"}), "stdin": base64.b64encode(stdin.encode()).decode()}
    try:
        reply = session.request(message, time.monotonic() + limits.time_limit + GRACE)
    except LimitHit as exc:
        return CaseResult(False, exc.kind, str(exc))
    if not reply.get("ok"):
        return CaseResult(False, "crash", "sandbox: " + _error_text(reply))
    limit = reply.get("limit")
    if limit in ("timeout", "memory", "output", "crash"):
        return CaseResult(False, limit, f"{limit} limit hit")
    exit_code = reply.get("exit")
    if exit_code != 0:
        tail = str(reply.get("stderr", ""))[-300:]
        return CaseResult(False, "crash", f"exit status {exit_code}: {tail}".strip())
    try:
        stdout = base64.b64decode(str(reply.get("stdout", "")), validate=True)
    except ValueError:
        return CaseResult(False, "crash", "sandbox: malformed output")
    if len(stdout) > limits.output_limit:
        return CaseResult(False, "output", "output limit hit")
    difference = checker.difference(stdout.decode("utf-8", "replace"), expected)
    return CaseResult(True) if difference is None else CaseResult(False, None, difference)


# --- assert style -----------------------------------------------------------------------

#: Most callables of a solution the tests' sandbox is told about (each a short identifier).
MAX_NAMES = 4096


def run_assert_tests(backend: Backend, program: str, tests: str, limits: Limits, *,
                     hosts: dict[str, list[dict[str, Any]]] | None = None) -> Outcome:
    """Load ``program`` in one sandbox and run ``tests`` in another against proxies of its
    functions, relaying each call. A fresh pair of sandboxes per call of this function.

    ``hosts``: another language's (see ``language_runs.assert_hosts``): per role,
    ``"solution"`` and ``"tests"``, the requests that start that language's host in the
    sandbox; the same protocol then goes to the host instead of the runner's Python.

    The whole test (loading, the tests and every call) must finish within ``time_limit``.
    """
    refused = _oversized(program)
    if refused is not None:
        return refused
    sessions: list[Session] = []
    try:
        sessions.append(backend.open_session())
        sessions.append(backend.open_session())
        solution, judge = sessions
        if hosts is not None:
            solution, judge = _start_hosts(solution, judge, hosts, limits)
        # the sandboxes' start (and a language host's) is the machine's time, not the test's
        run = _AssertRun(solution, judge, time.monotonic() + limits.time_limit)
        return Outcome(total=1, cases=[run.run(program, tests)])
    finally:
        for session in reversed(sessions):
            session.close()


class _HostSession:
    """A session whose requests go on to the language host the runner started in it."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def request(self, message: dict[str, Any], deadline: float) -> dict[str, Any]:
        return self.session.request({"op": "ask", "message": message}, deadline)

    def close(self) -> None:
        self.session.close()


def _start_hosts(solution: Session, tests: Session, hosts: dict[str, list[dict[str, Any]]],
                 limits: Limits) -> tuple[_HostSession, _HostSession]:
    """Start the language's host in both sandboxes (they boot side by side) and wait until
    each says it is ready; no solution or test code has run yet. A host that cannot start
    (a missing toolchain, a machine too loaded to start it in :data:`HOST_STARTUP` seconds)
    is the sandbox's failure: nothing was judged."""
    deadline = time.monotonic() + limits.time_limit + HOST_STARTUP
    pair = (solution, hosts["solution"]), (tests, hosts["tests"])
    try:
        for session, setup in pair:
            for message in setup:
                _started(session.request(message, deadline))
        for session, _ in pair:
            _started(session.request({"op": "ask"}, deadline))
    except LimitHit as exc:
        raise SandboxUnavailable(f"the language host did not start: {exc}") from None
    return _HostSession(solution), _HostSession(tests)


def _started(reply: dict[str, Any]) -> None:
    if not reply.get("ok"):
        raise SandboxUnavailable(f"the language host did not start: {_error_text(reply)}")


class _AssertRun:
    """One assert-style test: the solution's sandbox, the tests' sandbox and the relay."""

    def __init__(self, solution: Session, tests: Session, deadline: float) -> None:
        self.solution = solution
        self.tests = tests
        self.deadline = deadline
        self.calls = 0

    def run(self, program: str, tests: str) -> CaseResult:
        try:
            reply = self.solution.request({"op": "load", "code": program}, self.deadline)
        except LimitHit as exc:
            return CaseResult(False, exc.kind, f"while loading: {exc}")
        if not reply.get("ok"):
            limit = _limit_said(_error(reply))
            return CaseResult(False, limit, "the solution failed to load: " + _error_text(reply))
        names = _callable_names(reply.get("names"))
        callable_names = frozenset(names)
        try:
            reply = self.tests.request({"op": "tests", "code": tests, "names": names},
                                       self.deadline)
            while "call" in reply:
                answer = self._relay(reply, callable_names)
                if isinstance(answer, CaseResult):  # the solution hit a limit: the test ends
                    return answer
                reply = self.tests.request(answer, self.deadline)
        except LimitHit as exc:  # the tests' sandbox hit a limit (or the whole test's clock)
            return CaseResult(False, exc.kind, f"while testing: {exc}")
        return self._verdict(reply)

    def _relay(self, request: dict[str, Any], names: frozenset[str]) -> dict[str, Any] | CaseResult:
        """Pass one call on to the solution's sandbox; the answer for the tests' sandbox."""
        name = request.get("call")
        if not isinstance(name, str) or name not in names:
            raise TestError("the tests' sandbox asked for a function the solution does not have")
        message = {"op": "call", "name": name, "args": request.get("args"),
                   "kwargs": request.get("kwargs")}
        try:
            reply = self.solution.request(message, self.deadline)
        except LimitHit as exc:
            return CaseResult(False, exc.kind, str(exc))
        self.calls += 1
        if reply.get("ok"):
            return {"op": "result", "ok": True, "value": reply.get("value")}
        error = _error(reply)
        limit = _limit_said(error)
        if limit is not None:  # a MemoryError, or a language host that ended mid-call
            return CaseResult(False, limit, f"{limit} limit hit: {error.get('message', '')}")
        # Only a name and a message go on; the tests' sandbox maps the name to a builtin
        # exception from an allow-list (runner.EXCEPTIONS), never to StopIteration.
        return {"op": "result", "ok": False,
                "error": {"type": str(error.get("type", ""))[:100],
                          "message": str(error.get("message", ""))[:300]}}

    def _verdict(self, reply: dict[str, Any]) -> CaseResult:
        if not reply.get("ok"):
            raise TestError(f"the tests could not run: {_error_text(reply)}")
        kind, message = reply.get("verdict"), str(reply.get("message", ""))[:300]
        if kind == "passed":
            if self.calls == 0:
                raise TestError("the tests never called the solution (check the reference)")
            return CaseResult(True)
        if kind == "failed":
            return CaseResult(False, None, message)
        if kind == "error":
            raise TestError(message)
        raise TestError("the tests' sandbox sent no verdict")


def _callable_names(names: Any) -> list[str]:
    if not isinstance(names, list):
        return []
    # No dunder names: a forged ``__builtins__`` proxy would replace the tests' builtins.
    return [n for n in names[:MAX_NAMES] if isinstance(n, str) and n.isidentifier()
            and len(n) <= 200 and not n.startswith("__")]


def _limit_said(error: dict[str, Any]) -> LimitKind | None:
    """The limit a sandbox's error names (the runner: a MemoryError is ``memory``; a
    language host: the limit it ended on), or None for the solution's own exception."""
    said = error.get("limit")
    return said if said in ("timeout", "memory", "output", "crash") else None


def _error(reply: dict[str, Any]) -> dict[str, Any]:
    error = reply.get("error")
    return error if isinstance(error, dict) else {}


def _error_text(reply: dict[str, Any]) -> str:
    error = _error(reply)
    if error:
        return f"{error.get('type', 'Error')}: {error.get('message', '')}"[:300]
    return "unknown error"
