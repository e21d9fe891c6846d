"""The compile step of the ``code`` verifier: a sandboxed compiler, limited on its own, and a
bounded cache of what it built.

The compiler runs in a sandbox of the same backend as the program, opened from a backend
with the *compile* limits (time, memory, output, processes, tmpfs). It sees the source only;
what it writes under ``out/`` is read back as plain bytes (in chunks the channel can carry)
and becomes an :class:`Artefact`, which the run's sandbox receives as files. Diagnostics go
to the compiler's stdout (stderr is merged into it, so they are read from their first line)
and are cut at the compile output limit.

Artefacts and compile errors are cached by a hash of (language, toolchain version, compile
command with its flags, backend, source): a GRPO group that samples the same program many
times compiles it once. The cache holds at most ``max_bytes`` of artefacts (least recently
used first out).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rewardkit.lru import LRU
from rewardkit.verifiers.code.languages import OUT, Flags, Language, toolchain_version
from rewardkit.verifiers.code.sandbox import (
    Backend,
    LimitHit,
    LimitKind,
    Limits,
    SandboxUnavailable,
    Session,
)

#: Lines of diagnostics a result carries (the first ones: the first error is the cause).
DIAGNOSTIC_LINES = 20
#: Bytes of artefacts one compile may produce.
MAX_ARTEFACTS = 256 << 20
#: Environment of compilers and programs (besides a language's own).
BASE_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TMPDIR": "/tmp", "HOME": "/tmp"}
#: Seconds past a compile's time limit before the harness kills its sandbox itself.
_GRACE = 1.0


@dataclass(frozen=True)
class Artefact:
    """What a run needs: files (path relative to the work folder, bytes, mode)."""

    files: tuple[tuple[str, bytes, int], ...]

    @property
    def size(self) -> int:
        return sum(len(data) for _, data, _ in self.files)

    @functools.cached_property
    def digest(self) -> str:
        """SHA-256 of the files (names, modes and bytes): the name of their shared folder."""
        digest = hashlib.sha256()
        for path, data, mode in self.files:
            digest.update(json.dumps([path, mode, len(data)]).encode())
            digest.update(data)
        return digest.hexdigest()

    def setup(self, language: Language, source: str, flags: Flags, memory: int,
              folder: str | None = None) -> list[dict[str, Any]]:
        """The requests that put these files in a run's sandbox and make each I/O case run
        the program. ``folder``: where the sandbox already shows them read-only (a backend's
        shared folder); the work folder then only links to them."""
        run = {"op": "exec", "argv": language.fill(language.run, source, flags, memory),
               "env": {**BASE_ENV, **language.env}}
        if folder is not None:
            tops = sorted({path.split("/")[0] for path, _, _ in self.files})
            return [{**run, "links": {top: f"{folder}/{top}" for top in tops}}]
        messages: list[dict[str, Any]] = [
            {"op": "put", "path": path, "data": base64.b64encode(data).decode(), "mode": mode}
            for path, data, mode in self.files]
        return [*messages, run]


@contextlib.contextmanager
def installed(artefact: Artefact, backend: Backend, language: Language, source: str,
              flags: Flags, memory: int) -> Iterator[list[dict[str, Any]]]:
    """The setup requests of ``artefact`` for sessions of ``backend``, valid while the block
    lasts. A backend that can show files read-only to its sessions (``share``: the process
    backend) holds the artefact in its shared folder, so that no run receives it over its
    channel; any other (or one without such a folder: its ``share`` yields None) gets the
    files with each session."""
    share = getattr(backend, "share", None)
    if share is None:
        yield artefact.setup(language, source, flags, memory)
        return
    with share(artefact.digest, artefact.files) as folder:
        yield artefact.setup(language, source, flags, memory, folder=folder)


@dataclass(frozen=True)
class CompileOutcome:
    """An artefact, or why there is none (the diagnostics' first lines, a limit hit)."""

    artefact: Artefact | None
    diagnostics: str = ""
    limit: LimitKind | None = None
    seconds: float = 0.0
    cached: bool = False


class CompileCache(LRU[str, CompileOutcome]):
    """A bounded least-recently-used map from cache key to :class:`CompileOutcome`, at most
    ``max_bytes`` of artefacts and diagnostics."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(max_bytes, weight=_size)

    @property
    def max_bytes(self) -> int:
        return self.limit

    @property
    def bytes(self) -> int:
        return self.total


def _size(outcome: CompileOutcome) -> int:
    return (outcome.artefact.size if outcome.artefact else 0) + len(outcome.diagnostics) + 256


def cache_key(language: Language, source: str, flags: Flags, backend: str) -> str:
    """The hash of everything the artefact depends on."""
    command = language.fill(language.compile or (), source, flags)
    parts = [language.name, toolchain_version(language.version), command, backend, source]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def compile_program(backend: Backend, language: Language, source: str, flags: Flags,
                    limits: Limits) -> CompileOutcome:
    """Compile ``source`` in a fresh sandbox of ``backend`` (which carries the compile limits).

    Raises :class:`~rewardkit.verifiers.code.sandbox.SandboxUnavailable` when no sandbox can
    be had; a program that does not compile, or whose compiler hits a limit, is an outcome
    without an artefact."""
    started = time.monotonic()
    assert language.compile is not None
    session = backend.open_session()
    try:
        deadline = started + limits.time_limit + _GRACE
        _ask(session, {"op": "put", "path": language.source_name(source),
                       "data": base64.b64encode(source.encode()).decode()}, deadline)
        # the command and its one run in one request (see the runner's ``exec``)
        reply = _ask(session, {"op": "exec", "argv": language.fill(language.compile, source, flags),
                               "env": {**BASE_ENV, **language.env}, "mkdirs": [OUT],
                               "merge_stderr": True, "stdin": ""}, deadline)
        output = base64.b64decode(str(reply.get("stdout", ""))).decode("utf-8", "replace")
        limit = reply.get("limit")
        if limit in ("timeout", "memory", "output", "crash"):
            return CompileOutcome(None, _first_lines(output), limit,
                                  time.monotonic() - started)
        said = output + str(reply.get("stderr", ""))  # stderr is merged into stdout
        if reply.get("exit") == 127 and said.startswith("cannot execute"):
            raise SandboxUnavailable(f"the {language.name} toolchain is missing from the "
                                     f"sandbox: {said[:300]}")
        if said.startswith("failed to initialize build cache"):  # go, before any source is read
            raise SandboxUnavailable(f"the sandbox lacks the {language.name} build cache the "
                                     f"host has (an image older than the host's?): {said[:300]}")
        if reply.get("exit") != 0:
            text = output or str(reply.get("stderr", ""))
            return CompileOutcome(None, _first_lines(text) or f"exit status {reply.get('exit')}",
                                  None, time.monotonic() - started)
        artefact = _collect(session, deadline)
    except LimitHit as exc:
        return CompileOutcome(None, str(exc), exc.kind, time.monotonic() - started)
    finally:
        session.close()
    return CompileOutcome(artefact, "", None, time.monotonic() - started)


def source_artefact(language: Language, source: str) -> CompileOutcome:
    """An interpreted language's artefact: its source."""
    return CompileOutcome(Artefact(((language.source_name(source), source.encode(), 0o644),)))


class _Refused(LimitHit):
    pass


def _ask(session: Session, message: dict[str, Any], deadline: float) -> dict[str, Any]:
    reply = session.request(message, deadline)
    if not reply.get("ok"):
        error = reply.get("error")
        text = f"{error.get('type')}: {error.get('message')}" if isinstance(error, dict) else ""
        raise _Refused("crash", f"the compile sandbox refused: {text}"[:300])
    return reply


def _collect(session: Session, deadline: float) -> Artefact:
    listing = _ask(session, {"op": "collect", "path": OUT}, deadline).get("files")
    if not isinstance(listing, list) or not listing:
        raise _Refused("crash", "the compiler wrote no artefact")
    files, total = [], 0
    for entry in listing:
        path, size, mode = str(entry[0]), int(entry[1]), int(entry[2])
        total += size
        if total > MAX_ARTEFACTS:
            raise _Refused("output", "the artefacts are too large")
        data = bytearray()
        while len(data) < size:
            reply = _ask(session, {"op": "get", "path": path, "offset": len(data)}, deadline)
            chunk = base64.b64decode(str(reply.get("data", "")), validate=True)
            if not chunk:
                break
            data += chunk
        files.append((path, bytes(data[:size]), mode & 0o755))
    return Artefact(tuple(sorted(files)))


def _first_lines(text: str) -> str:
    return "\n".join(text.splitlines()[:DIAGNOSTIC_LINES])[:4000]
