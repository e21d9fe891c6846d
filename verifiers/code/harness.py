"""The trusted side of a code test: runs the tests and judges, outside every sandbox.

The solution runs in a sandbox (a :class:`~rewardkit.verifiers.code.sandbox.Session`); the
tests, their expected values and the comparison stay here. What crosses is plain data: stdin
in and stdout out for I/O cases; a function name and encoded arguments in, an encoded return
value out for assert-style tests, where each solution function the tests use is a
:class:`SandboxFunction` proxy. So nothing the solution does in its sandbox (exiting early,
objects with a rigged ``__eq__``, monkeypatching, printing "passed", reading memory) reaches
the judgement; it can only change the plain data it answers with.
"""

from __future__ import annotations

import base64
import builtins
import time
import types
from dataclasses import dataclass, field
from typing import Any

from rewardkit.verifiers.code.sandbox import Backend, LimitHit, LimitKind, Limits, Session
from rewardkit.verifiers.code.sandbox.runner import EncodeError, decode, encode

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


# --- I/O style ------------------------------------------------------------------------


def normalize_output(text: str) -> list[str]:
    """Lines with trailing white space removed, and trailing empty lines dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def run_io_cases(backend: Backend, program: str, cases: list[dict[str, Any]], limits: Limits,
                 *, stop_on_failure: bool) -> Outcome:
    """Run ``program`` once per case in one sandbox (a fresh one after a case broke it)."""
    outcome = Outcome(total=len(cases))
    session: Session | None = None
    try:
        for case in cases:
            if session is None:
                session = backend.open_session()
                try:
                    _ask(session, {"op": "compile", "code": program},
                         time.monotonic() + limits.time_limit + 10)
                except LimitHit as exc:
                    outcome.cases.append(CaseResult(False, exc.kind, f"while compiling: {exc}"))
                    break
            result = _run_case(session, case, limits)
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


def _run_case(session: Session, case: dict[str, Any], limits: Limits) -> CaseResult:
    stdin = str(case.get("stdin", case.get("input", "")))
    expected = normalize_output(str(case.get("stdout", case.get("output", ""))))
    message = {"op": "io", "stdin": base64.b64encode(stdin.encode()).decode()}
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
    got = normalize_output(stdout.decode("utf-8", "replace"))
    if got == expected:
        return CaseResult(True)
    return CaseResult(False, None, _first_difference(got, expected))


def _first_difference(got: list[str], expected: list[str]) -> str:
    for line, (a, b) in enumerate(zip(got, expected), start=1):
        if a != b:
            return f"line {line} differs: got {a[:80]!r}"
    return f"got {len(got)} lines, expected {len(expected)}"


# --- assert style -----------------------------------------------------------------------


class SandboxLimitHit(BaseException):
    def __init__(self, hit: LimitHit) -> None:
        super().__init__(str(hit))
        self.hit = hit


class SolutionError(Exception):
    """The solution raised an exception that is not a builtin one (carried by name)."""


class SandboxFunction:
    """Stands for one of the solution's functions; calling it runs the call in the sandbox."""

    def __init__(self, runner: _AssertRun, name: str) -> None:
        self._runner = runner
        self.__name__ = self.__qualname__ = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._runner.call(self.__name__, args, kwargs)

    def __repr__(self) -> str:
        return f"<solution function {self.__name__}>"


class _AssertRun:
    def __init__(self, session: Session, deadline: float) -> None:
        self.session = session
        self.deadline = deadline
        self.calls = 0
        self.hit: LimitHit | None = None

    def call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if self.hit is not None:
            raise SandboxLimitHit(self.hit)
        try:
            message = {"op": "call", "name": name, "args": encode(list(args)),
                       "kwargs": encode(dict(kwargs))}
        except (EncodeError, RecursionError) as exc:
            raise TestError(f"the tests passed an argument the sandbox cannot take: {exc}") \
                from None
        try:
            reply = self.session.request(message, self.deadline)
        except LimitHit as exc:
            self.hit = exc
            raise SandboxLimitHit(exc) from None
        self.calls += 1
        if reply.get("ok"):
            try:
                return decode(reply.get("value"))
            except (EncodeError, ValueError, TypeError, RecursionError):
                raise SolutionError("the solution returned a value that is not plain data") \
                    from None
        error = reply.get("error") if isinstance(reply.get("error"), dict) else {}
        if error.get("limit") == "memory":
            self.hit = LimitHit("memory", "memory limit hit")
            raise SandboxLimitHit(self.hit)
        raise _exception_for(error)


def _exception_for(error: dict[str, Any]) -> Exception:
    """A builtin exception of the type the solution raised (tests may expect one), else
    :class:`SolutionError`. Never a BaseException such as SystemExit."""
    kind, message = str(error.get("type", "")), str(error.get("message", ""))[:300]
    cls = getattr(builtins, kind, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            return cls(message)
        except Exception:
            pass
    return SolutionError(f"{kind}: {message}")


def run_assert_tests(backend: Backend, program: str, tests: str, limits: Limits) -> Outcome:
    """Load ``program`` in a sandbox and run ``tests`` here against proxies of its functions.

    The whole test (load and every call) must finish within ``time_limit``.
    """
    try:
        test_code = compile(tests, "<tests>", "exec")
    except SyntaxError as exc:
        raise TestError(f"the tests do not compile: {exc}") from None
    outcome = Outcome(total=1)
    session = backend.open_session()
    try:
        deadline = time.monotonic() + limits.time_limit
        run = _AssertRun(session, deadline)
        try:
            reply = session.request({"op": "load", "code": program}, deadline)
        except LimitHit as exc:
            outcome.cases.append(CaseResult(False, exc.kind, f"while loading: {exc}"))
            return outcome
        if not reply.get("ok"):
            error = reply.get("error") if isinstance(reply.get("error"), dict) else {}
            limit = "memory" if error.get("limit") == "memory" else None
            outcome.cases.append(CaseResult(False, limit, "the solution failed to load: "
                                            + _error_text(reply)))
            return outcome
        names = reply.get("names")
        names = [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
        namespace = _test_namespace(test_code, names, run)
        outcome.cases.append(_execute(test_code, namespace, run))
        return outcome
    finally:
        session.close()


def _test_namespace(code: types.CodeType, names: list[str], run: _AssertRun) -> dict[str, Any]:
    # Only names the tests use and neither define nor get from builtins become proxies: a
    # solution that defines ``abs`` or ``len`` cannot change what the tests compute with.
    wanted = _names_used(code) - set(dir(builtins))
    namespace: dict[str, Any] = {"__name__": "__rewardkit_tests__", "__builtins__": builtins}
    for name in names:
        if name in wanted and name.isidentifier():
            namespace[name] = SandboxFunction(run, name)
    return namespace


def _names_used(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names_used(const)
    return names


def _execute(code: types.CodeType, namespace: dict[str, Any], run: _AssertRun) -> CaseResult:
    try:
        exec(code, namespace)
    except SandboxLimitHit as exc:
        return CaseResult(False, exc.hit.kind, str(exc.hit))
    except TestError:
        raise
    except AssertionError as exc:
        return CaseResult(False, run.hit.kind if run.hit else None,
                          f"assertion failed{_where(exc)}")
    except Exception as exc:
        return CaseResult(False, run.hit.kind if run.hit else None,
                          f"{type(exc).__name__}: {exc}"[:300] + _where(exc))
    if run.hit is not None:  # the tests swallowed a limit: still a failure
        return CaseResult(False, run.hit.kind, str(run.hit))
    if run.calls == 0:
        raise TestError("the tests never called the solution (check the reference)")
    return CaseResult(True)


def _where(exc: BaseException) -> str:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<tests>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return f" (tests line {line})" if line else ""


def _error_text(reply: dict[str, Any]) -> str:
    error = reply.get("error")
    if isinstance(error, dict):
        return f"{error.get('type', 'Error')}: {error.get('message', '')}"[:300]
    return "unknown error"
