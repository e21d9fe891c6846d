"""``code``: runs a model-written Python program against tests in a sandbox.

The completion holds the program (its last fenced code block, or all of it). The reference
holds the tests: ``{"tests": "<assert-style source>"}`` (HumanEval, MBPP) or
``{"cases": [{"stdin": ..., "stdout": ...}, ...]}`` (competitive programming). The program runs
in a ``process`` (bubblewrap) or ``docker`` sandbox; assert-style tests run in a second one,
and only plain data crosses (see ``harness.py`` and docs/code-sandbox.md for the threat model).
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rewardkit import Result, Sample, Status, Trust, Verifier, hookimpl
from rewardkit.verifiers.code.harness import Outcome, TestError, run_assert_tests, run_io_cases
from rewardkit.verifiers.code.program import ReferenceError_, extract_program, parse_reference
from rewardkit.verifiers.code.sandbox import Backend, Limits, SandboxUnavailable

#: Docker engine used when neither the ``docker_host`` option nor ``DOCKER_HOST`` is set:
#: the private one ``scripts/start-services.sh`` starts.
DEFAULT_DOCKER_HOST = "unix:///run/rewardkit-docker.sock"
DEFAULT_IMAGE = "rewardkit-sandbox:py311"


class CodeOptions(BaseModel):
    """Trust levels: the sandbox (backend, interpreter, image, engine) is the operator's
    choice; a request may only lower the resource limits (docs/server.md)."""

    model_config = ConfigDict(extra="forbid")

    #: ``process`` (bubblewrap namespaces, no daemon) or ``docker`` (a container engine).
    backend: Annotated[Literal["process", "docker"], Trust.OPERATOR] = "process"
    #: Wall-clock seconds per run: one I/O case, or one whole assert-style test.
    time_limit: Annotated[float, Trust.BOUNDED] = Field(default=5.0, gt=0, le=600)
    #: MiB of address space per run.
    memory_limit: Annotated[int, Trust.BOUNDED] = Field(default=512, ge=32)
    #: Reward = fraction of I/O cases passed; otherwise 1.0 only when every case passes.
    partial: bool = False
    #: Bytes of stdout per I/O case (or of one encoded return value) before the run is cut.
    output_limit: Annotated[int, Trust.BOUNDED] = Field(default=1 << 20, ge=1024)
    #: Bytes of the largest file a program may write.
    file_size_limit: Annotated[int, Trust.BOUNDED] = Field(default=16 << 20, ge=0)
    #: Processes (and threads) a run may have at once.
    max_processes: Annotated[int, Trust.BOUNDED] = Field(default=32, ge=1)
    #: Open files a run may hold.
    max_open_files: Annotated[int, Trust.BOUNDED] = Field(default=64, ge=16)
    #: MiB of each tmpfs (``/tmp`` and the work folder).
    tmpfs_size: Annotated[int, Trust.BOUNDED] = Field(default=64, ge=1)
    #: Files and folders a run may create in ``/tmp`` and in the work folder, each.
    max_files: Annotated[int, Trust.BOUNDED] = Field(default=1000, ge=10)
    #: process backend: the interpreter shown read-only inside the sandbox.
    python: Annotated[str, Trust.OPERATOR] = "/usr/bin/python3"
    #: docker backend: the image (it must hold ``/usr/bin/python3``).
    image: Annotated[str, Trust.OPERATOR] = DEFAULT_IMAGE
    #: docker backend: the engine; default ``$DOCKER_HOST``, else the private socket.
    docker_host: Annotated[str | None, Trust.OPERATOR] = None
    #: docker backend: warm containers kept per worker process.
    pool_size: Annotated[int, Trust.BOUNDED] = Field(default=2, ge=1, le=32)
    #: docker backend: CPUs per container.
    cpus: Annotated[float, Trust.BOUNDED] = Field(default=1.0, gt=0)

    def limits(self) -> Limits:
        return Limits(time_limit=self.time_limit, memory_limit=self.memory_limit,
                      output_limit=self.output_limit, file_size_limit=self.file_size_limit,
                      max_processes=self.max_processes, max_open_files=self.max_open_files,
                      tmpfs_size=self.tmpfs_size << 20, max_files=self.max_files)


class CodeVerifier(Verifier):
    name = "code"
    description = "runs the completion's Python program against tests in a sandbox"
    version = "1"
    Options = CodeOptions
    inline = False  # runs untrusted code: always in a worker under the engine's deadline
    timeout = 60.0  # outer guard; each run has its own time_limit

    def __init__(self, options: BaseModel | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._backend: Backend | None = None
        self._backend_pid = 0
        self._backend_lock = threading.Lock()

    def backend(self) -> Backend:
        """This process's backend, made on first use (a forked worker never reuses its
        parent's sandboxes or containers)."""
        with self._backend_lock:
            if self._backend is None or self._backend_pid != os.getpid():
                self._backend = make_backend(self.opts)
                self._backend_pid = os.getpid()
            return self._backend

    @property
    def opts(self) -> CodeOptions:
        assert isinstance(self.options, CodeOptions)
        return self.options

    def close(self) -> None:
        """Stop this process's sandboxes (zygotes, containers); the next run makes new ones."""
        with self._backend_lock:
            backend, self._backend = self._backend, None
        if backend is not None and self._backend_pid == os.getpid():
            with contextlib.suppress(Exception):  # close() must not raise (Verifier.close)
                backend.close()

    def verify(self, sample: Sample) -> Result:
        if sample.reference is None:
            return Result.skipped("sample has no reference tests")
        try:
            spec = parse_reference(sample.reference)
        except ReferenceError_ as exc:
            return Result.error(f"bad reference: {exc}")
        if spec.language not in ("python", "python3", "py"):
            return Result.skipped(f"language {spec.language!r} is not supported (python only)")
        program = extract_program(sample.completion_text)
        options = self.opts
        limits = options.limits()
        try:
            backend = self.backend()
            if spec.tests is not None:
                outcome = run_assert_tests(backend, program, spec.tests, limits)
            else:
                assert spec.cases is not None
                outcome = run_io_cases(backend, program, spec.cases, limits,
                                       stop_on_failure=not options.partial)
        except SandboxUnavailable as exc:
            return Result.error(f"sandbox unavailable ({options.backend}): {exc}",
                                details={"backend": options.backend})
        except TestError as exc:
            return Result.error(str(exc), details={"backend": options.backend})
        return judge(outcome, options)


def judge(outcome: Outcome, options: CodeOptions) -> Result:
    """The Result of a finished test: reward, status and the limit that was hit, if any."""
    passed, total = outcome.passed, outcome.total
    details: dict[str, Any] = {
        "backend": options.backend, "passed": passed, "total": total,
        "cases": [case.as_dict(i) for i, case in enumerate(outcome.cases)][:20],
    }
    hit = outcome.first_limit
    if hit is not None:
        index, case = hit
        details["limit"] = case.limit
        details["limit_case"] = index
    if options.partial:
        reward = passed / total if total else 0.0
    else:
        reward = 1.0 if passed == total else 0.0
    if reward == 1.0:
        return Result(reward=1.0, reason=f"all {total} test(s) passed", details=details)
    if hit is not None:
        index, case = hit
        reason = f"{case.limit} limit hit (case {index}): {case.error}"[:300]
        if case.limit == "timeout" and not (options.partial and reward > 0):
            return Result(status=Status.TIMEOUT, reason=reason, details=details)
        return Result(reward=reward, reason=reason, details=details)
    failing = next((i for i, case in enumerate(outcome.cases) if not case.passed), None)
    why = outcome.cases[failing].error if failing is not None else "not run"
    reason = f"{passed}/{total} test(s) passed; case {failing} failed: {why}"[:300]
    return Result(reward=reward, reason=reason, details=details)


def make_backend(options: CodeOptions) -> Backend:
    """The backend the options name (imports docker only when it is chosen)."""
    limits = options.limits()
    if options.backend == "docker":
        from rewardkit.verifiers.code.sandbox.docker_backend import DockerBackend

        host = options.docker_host or os.environ.get("DOCKER_HOST") or DEFAULT_DOCKER_HOST
        return DockerBackend(limits, image=options.image, docker_host=host,
                             pool_size=options.pool_size, cpus=options.cpus)
    from rewardkit.verifiers.code.sandbox.process_backend import ProcessBackend

    return ProcessBackend(limits, python=options.python, cpus=options.cpus)


@hookimpl
def register_verifiers(register):  # type: ignore[no-untyped-def]
    register(CodeVerifier)
