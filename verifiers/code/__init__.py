"""``code``: runs a model-written program (Python, C, C++, Java, JavaScript, Go, Rust)
against tests in a sandbox.

The completion holds the program (its last fenced code block, or all of it). The reference
holds the tests: ``{"tests": "<assert-style source>"}`` (HumanEval, MBPP; Python, or JavaScript
with ``node:assert``) or
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
from rewardkit.json_text import lone_surrogate
from rewardkit.verifiers.code.checkers import Checker, CheckerKind, FloatTolerance
from rewardkit.verifiers.code.compile import CompileCache
from rewardkit.verifiers.code.harness import Outcome, TestError, run_assert_tests, run_io_cases
from rewardkit.verifiers.code.language_runs import assert_hosts, compile_error, run_language
from rewardkit.verifiers.code.languages import Flags, Language, builtin_languages, toolchain_paths
from rewardkit.verifiers.code.program import (
    ReferenceError_,
    TestSpec,
    extract_program,
    fence_language,
    parse_reference,
)
from rewardkit.verifiers.code.sandbox import Backend, Limits, SandboxUnavailable

#: Docker engine used when neither the ``docker_host`` option nor ``DOCKER_HOST`` is set:
#: the private one ``scripts/start-services.sh`` starts.
DEFAULT_DOCKER_HOST = "unix:///run/rewardkit-docker.sock"
DEFAULT_IMAGE = "rewardkit-sandbox:py311"
#: The Docker image for every other language (``scripts/start-services.sh`` builds it).
DEFAULT_LANGUAGE_IMAGE = "rewardkit-sandbox:multi"
_PYTHON = frozenset({"python", "python3", "py", "py3"})


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
    #: How an I/O case's output is compared, where the reference does not say: ``lines``,
    #: ``tokens`` (any layout) or ``float`` (tokens, fractional numbers within
    #: ``float_tolerance``); see ``checkers.py``.
    checker: CheckerKind = "lines"
    #: Absolute or relative error a ``float`` checker accepts, where the reference does not say.
    float_tolerance: FloatTolerance = 1e-6
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
    #: docker backend: the image for languages other than Python (toolchains included).
    language_image: Annotated[str, Trust.OPERATOR] = DEFAULT_LANGUAGE_IMAGE
    #: C standard (``gcc -std=``). GNU dialects by default, as gcc's own default and judges':
    #: strict ISO modes hide POSIX names (``M_PI``, ``strdup``) correct programs use.
    c_standard: Literal["c99", "c11", "c17", "gnu11", "gnu17"] = "gnu17"
    #: C++ standard (``g++ -std=``). GNU C++20 by default, as today's judges run: correct
    #: programs use ``std::ranges``, ``map::contains`` and ``<bit>``. ``<bits/stdc++.h>`` is
    #: precompiled for the default standard and ``optimize`` only (docs/code-sandbox.md).
    cpp_standard: Literal["c++11", "c++14", "c++17", "c++20", "c++23", "gnu++14", "gnu++17",
                          "gnu++20", "gnu++23"] = "gnu++20"
    #: Optimisation of C and C++ (Rust uses opt-level=2, Go and Java their defaults).
    optimize: Literal["-O0", "-O1", "-O2", "-O3", "-Os"] = "-O2"
    #: Rust edition.
    rust_edition: Literal["2015", "2018", "2021", "2024"] = "2021"
    #: Wall-clock seconds of one compile.
    compile_time_limit: Annotated[float, Trust.BOUNDED] = Field(default=30.0, gt=0, le=600)
    #: MiB of memory of one compile (its processes together).
    compile_memory_limit: Annotated[int, Trust.BOUNDED] = Field(default=2048, ge=128)
    #: Bytes of compiler diagnostics before the compile is cut.
    compile_output_limit: Annotated[int, Trust.BOUNDED] = Field(default=256 << 10, ge=1024)
    #: MiB of compiled artefacts kept per worker process (least recently used out).
    compile_cache_size: Annotated[int, Trust.OPERATOR] = Field(default=256, ge=0)

    def limits(self) -> Limits:
        return Limits(time_limit=self.time_limit, memory_limit=self.memory_limit,
                      output_limit=self.output_limit, file_size_limit=self.file_size_limit,
                      max_processes=self.max_processes, max_open_files=self.max_open_files,
                      tmpfs_size=self.tmpfs_size << 20, max_files=self.max_files)

    def compile_limits(self) -> Limits:
        """The compiler's sandbox: its own time, memory and output limits; no address-space
        rlimit (javac, go and rustc reserve far more than they use; the cgroup or container
        bounds them); room for the toolchain's temporary files."""
        return Limits(time_limit=self.compile_time_limit, memory_limit=self.compile_memory_limit,
                      output_limit=self.compile_output_limit, file_size_limit=256 << 20,
                      max_processes=64, max_open_files=256, tmpfs_size=512 << 20,
                      max_files=4000, address_space=False)

    def flags(self) -> Flags:
        return Flags(c_standard=self.c_standard, cpp_standard=self.cpp_standard,
                     optimize=self.optimize, rust_edition=self.rust_edition)


class CodeVerifier(Verifier):
    name = "code"
    description = "runs the completion's program (Python, C, C++, Java, JavaScript, Go, Rust) " \
        "against tests in a sandbox"
    version = "2"  # 2: a case whose stdin or stdout is not text is a bad reference
    Options = CodeOptions
    inline = False  # runs untrusted code: always in a worker under the engine's deadline
    timeout = 60.0  # outer guard; each run has its own time_limit

    def __init__(self, options: BaseModel | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._backend: Backend | None = None
        self._backend_pid = 0
        self._backend_lock = threading.Lock()
        # other languages: backends by role ("compile", "run", "vm"), made on first use
        self._language_backends: dict[str, Backend] = {}
        self.compile_cache = CompileCache(self.opts.compile_cache_size << 20)
        self.languages: dict[str, Language] = {}
        for language in builtin_languages():
            for tag in language.tags:
                self.languages[tag] = language

    def backend(self) -> Backend:
        """This process's backend, made on first use (a forked worker never reuses its
        parent's sandboxes or containers)."""
        with self._backend_lock:
            if self._backend is None or self._backend_pid != os.getpid():
                self._backend = make_backend(self.opts)
                self._backend_pid = os.getpid()
                self._language_backends = {}
            return self._backend

    def language_backend(self, role: Literal["compile", "run", "vm"]) -> Backend:
        """This process's backend for one role of another language: the compiler's (compile
        limits), the program's (run limits), or a VM's (run limits, no address-space rlimit)."""
        self.backend()  # a forked worker drops its parent's backends first
        with self._backend_lock:
            backend = self._language_backends.get(role)
            if backend is None:
                options = self.opts
                limits = options.compile_limits() if role == "compile" else options.limits()
                if role == "vm":
                    limits = Limits(**{**limits.runner_config(), "address_space": False})
                backend = make_backend(options, limits=limits, languages=True)
                self._language_backends[role] = backend
            return backend

    @property
    def opts(self) -> CodeOptions:
        assert isinstance(self.options, CodeOptions)
        return self.options

    def close(self) -> None:
        """Stop this process's sandboxes (zygotes, containers); the next run makes new ones."""
        with self._backend_lock:
            backend, self._backend = self._backend, None
            others, self._language_backends = list(self._language_backends.values()), {}
        if self._backend_pid == os.getpid():
            for each in [backend, *others]:
                if each is not None:
                    with contextlib.suppress(Exception):  # close() must not raise
                        each.close()

    def verify(self, sample: Sample) -> Result:
        if sample.reference is None:
            return Result.skipped("sample has no reference tests")
        try:
            spec = parse_reference(sample.reference)
        except ReferenceError_ as exc:
            return Result.error(f"bad reference: {exc}")
        bad = lone_surrogate(sample.completion_text)
        if bad is not None:
            # No program file holds it (UTF-8 has no form for it): a wrong program, said as
            # such in every language, before any encoding of it can raise.
            return Result(reward=0.0, reason=f"the completion is not Unicode text: it holds "
                          f"the lone surrogate \\u{ord(bad):04x}")
        language_name = spec.language
        if not spec.explicit:  # the reference names none: the completion's fence may
            language_name = fence_language(sample.completion_text) or "python"
        if language_name not in _PYTHON:
            language = self.languages.get(language_name)
            if language is None:
                return Result.skipped(f"language {language_name!r} is not supported "
                                      f"(supported: python, {', '.join(self.language_names())})")
            return self._verify_language(language, sample.completion_text, spec)
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
                                       stop_on_failure=not options.partial,
                                       checker=self.checker(spec))
        except SandboxUnavailable as exc:
            return Result.error(f"sandbox unavailable ({options.backend}): {exc}",
                                details={"backend": options.backend})
        except TestError as exc:
            return Result.error(str(exc), details={"backend": options.backend})
        return judge(outcome, options)

    def language_names(self) -> list[str]:
        return sorted({language.name for language in self.languages.values()})

    def checker(self, spec: TestSpec) -> Checker:
        """The comparison of ``spec``'s cases: the reference's, else the options'."""
        return Checker(spec.checker or self.opts.checker,
                       spec.float_tolerance or self.opts.float_tolerance)

    def _verify_language(self, language: Language, completion: str, spec: TestSpec) -> Result:
        options = self.opts
        details: dict[str, Any] = {"backend": options.backend, "language": language.name}
        tests, cases = spec.tests, spec.cases
        if tests is not None:
            if language.assert_host is None:
                return Result.error(f"assert-style tests are not supported for "
                                    f"{language.name}; give I/O 'cases'", details=details)
            return self._verify_asserts(language, completion, tests, details)
        assert cases is not None
        source = extract_program(completion, language.tags)
        label = options.backend if options.backend == "process" else \
            f"docker:{options.language_image}"
        try:
            outcome, compiled = run_language(
                language, source, cases,
                compile_backend=lambda: self.language_backend("compile"),
                run_backend=lambda: self.language_backend("vm" if language.vm else "run"),
                cache=self.compile_cache, backend_label=label, flags=options.flags(),
                limits=options.limits(), compile_limits=options.compile_limits(),
                stop_on_failure=not options.partial, checker=self.checker(spec))
        except SandboxUnavailable as exc:
            return Result.error(f"sandbox unavailable ({options.backend}): {exc}",
                                details=details)
        except TestError as exc:
            return Result.error(str(exc), details=details)
        if outcome is None:
            return compile_error(compiled, details)
        result = judge(outcome, options)
        result.details.update(details, compile_cached=compiled.cached,
                              compile_seconds=round(compiled.seconds, 3))
        return result


    def _verify_asserts(self, language: Language, completion: str, tests: str,
                        details: dict[str, Any]) -> Result:
        """Assert style in another language: its host loads the program in one sandbox and
        runs the tests in another, as for Python (see ``assert_host.js``)."""
        options = self.opts
        program = extract_program(completion, language.tags)
        hosts = assert_hosts(language, options.flags(), options.limits())
        try:
            backend = self.language_backend("vm" if language.vm else "run")
            outcome = run_assert_tests(backend, program, tests, options.limits(), hosts=hosts)
        except SandboxUnavailable as exc:
            return Result.error(f"sandbox unavailable ({options.backend}): {exc}",
                                details=details)
        except TestError as exc:
            return Result.error(str(exc), details=details)
        result = judge(outcome, options)
        result.details.update(details)
        return result


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
        # A crash (a runtime error, a signal) is no limit of ours: said as what it is.
        what = "crashed" if case.limit == "crash" else f"{case.limit} limit hit"
        reason = f"{what} (case {index}): {case.error}"[:300]
        if case.limit == "timeout" and not (options.partial and reward > 0):
            return Result(status=Status.TIMEOUT, reason=reason, details=details)
        return Result(reward=reward, reason=reason, details=details)
    failing = next((i for i, case in enumerate(outcome.cases) if not case.passed), None)
    why = outcome.cases[failing].error if failing is not None else "not run"
    reason = f"{passed}/{total} test(s) passed; case {failing} failed: {why}"[:300]
    return Result(reward=reward, reason=reason, details=details)


def make_backend(options: CodeOptions, limits: Limits | None = None,
                 languages: bool = False) -> Backend:
    """The backend the options name (imports docker only when it is chosen). ``languages``:
    one for other languages (toolchains shown, the language image, an executable ``/work``)."""
    limits = limits or options.limits()
    if options.backend == "docker":
        from rewardkit.verifiers.code.sandbox.docker_backend import DockerBackend

        host = options.docker_host or os.environ.get("DOCKER_HOST") or DEFAULT_DOCKER_HOST
        image = options.language_image if languages else options.image
        return DockerBackend(limits, image=image, docker_host=host,
                             pool_size=options.pool_size, cpus=options.cpus,
                             executable_work=languages)
    from rewardkit.verifiers.code.sandbox.process_backend import ProcessBackend

    return ProcessBackend(limits, python=options.python, cpus=options.cpus,
                          toolchains=toolchain_paths() if languages else ())


@hookimpl
def register_verifiers(register):  # type: ignore[no-untyped-def]
    register(CodeVerifier)
