"""The languages the ``code`` verifier runs besides Python: how each is compiled and run.

A :class:`Language` is plain data: the source file's name, the compile command (``None`` for
an interpreted language), the run command and the toolchain's version command. Commands are
argument lists (never a shell) with ``{placeholders}`` filled from :class:`Flags` and the
run's memory limit; paths are relative to the sandbox's work folder. Everything runs in a
sandbox: the
compiler in a compile sandbox (its own limits), the program in a run sandbox that receives
only the artefacts under ``out/``.

Another language is one more :class:`Language` in a verifier's ``languages`` (a plugin
registers a subclass of the code verifier that adds it; see docs/code-sandbox.md); nothing
else in the verifier knows language names.
"""

from __future__ import annotations

import functools
import glob
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: Host folders shown read-only in the process backend's sandbox besides ``/usr/lib*``:
#: compilers, assemblers, linkers and headers. Each is bound only if it exists.
#: Globs, because Debian names them by version (the JDK's configuration lives in /etc).
#: So is what scripts/start-services.sh compiles once for every compile (TOOLCHAIN_CACHE):
#: Go's standard library (GO_STD_CACHE) and C++'s ``<bits/stdc++.h>`` (PCH).
TOOLCHAIN_CACHE = "/var/cache/rewardkit"
GO_STD_CACHE = f"{TOOLCHAIN_CACHE}/go-std"
PCH = f"{TOOLCHAIN_CACHE}/pch"
TOOLCHAIN_PATHS = ("/usr/bin", "/usr/include", "/usr/libexec", "/usr/x86_64-linux-gnu",
                   "/usr/aarch64-linux-gnu", "/usr/share/go-*", "/etc/java-*", "/etc/alternatives",
                   TOOLCHAIN_CACHE)
#: Where the compiler writes what the run needs, relative to the run's work folder (which
#: is ``/work`` on the process backend, a fresh folder below it on Docker).
OUT = "out"


@dataclass(frozen=True)
class Flags:
    """Compile options a request may choose (all from fixed lists: no free-form flags)."""

    c_standard: str = "gnu17"
    cpp_standard: str = "gnu++20"
    optimize: str = "-O2"
    rust_edition: str = "2021"


@dataclass(frozen=True)
class Language:
    """How to build and run one language. Commands are argv templates; placeholders:
    ``{source}`` (the source's path), ``{out}`` (the artefacts' folder), ``{memory}`` (MiB of
    the run's memory limit), ``{heap}`` (three quarters of it), ``{stack_kb}`` (KiB of stack
    a runtime may use: the runner's stack rlimit, half the memory, less native frames' room),
    ``{main}`` (Java's class to run), ``{stem}`` (Java's file name) and the fields of
    :class:`Flags`."""

    name: str
    tags: frozenset[str]  #: fence tags and ``reference.language`` values that select it
    source: str  #: file name of the source inside ``/work``; ``{stem}.java`` for Java
    run: tuple[str, ...]
    version: tuple[str, ...]  #: prints the toolchain's version (part of the cache key)
    compile: tuple[str, ...] | None = None
    #: True for runtimes that reserve far more address space than they use (JVM, V8, Go):
    #: they run without the per-process address-space rlimit, bounded by the run's cgroup
    #: (process backend) or container (Docker) memory limit instead.
    vm: bool = False
    env: dict[str, str] = field(default_factory=dict)
    #: Maps (source) to the value of ``{main}``: Java's class to run.
    main: Callable[[str], str] | None = None
    #: Maps (source) to the value of ``{stem}``: Java's file name, that of its public class.
    stem: Callable[[str], str] | None = None
    #: Assert style: a host program run as the source with ``run`` and the argument
    #: ``solution`` or ``tests`` (the protocol of ``assert_host.js``); None: I/O style only.
    assert_host: Path | None = None

    def source_name(self, source: str) -> str:
        return self.source.format(main=self.main(source) if self.main else "main",
                                  stem=self.stem(source) if self.stem else "main")

    def fill(self, template: tuple[str, ...], source: str, flags: Flags,
             memory: int = 512) -> list[str]:
        values = {"source": self.source_name(source), "out": OUT,
                  "memory": memory, "heap": max(16, memory * 3 // 4),
                  # the runner's stack rlimit (half the memory), less room for native frames
                  "stack_kb": max(4096, memory * 1024 // 2 - 4096),
                  "main": self.main(source) if self.main else "main",
                  "stem": self.stem(source) if self.stem else "main",
                  "c_standard": flags.c_standard, "cpp_standard": flags.cpp_standard,
                  "optimize": flags.optimize, "rust_edition": flags.rust_edition}
        return [part.format(**values) for part in template]

    @property
    def tool(self) -> str:
        """The executable that must exist for this language to be available."""
        return (self.compile or self.run)[0]


#: Comments, text blocks, strings and char literals: blanked out before Java is scanned. Each
#: alternative also matches when unterminated (to the line's or the text's end), so no start
#: is ever retried further on: linear in the source, whatever a completion holds.
_JAVA_NOISE = re.compile(r'//[^\n]*|/\*.*?(?:\*/|\Z)|"""(?:\\.|[^\\])*?(?:"""|\Z)'
                         r'|"(?:\\.|[^"\\\n])*(?:"|$)|\'(?:\\.|[^\'\\\n])*(?:\'|$)', re.S | re.M)
#: ``[ \t]``, not ``\s``, before the keyword: ``\s*`` at each line start would run over every
#: blank line after it and back, quadratic in a completion of empty lines.
_JAVA_PACKAGE = re.compile(r"^[ \t]*package\s+([\w$]+(?:\s*\.\s*[\w$]+)*)\s*;", re.M)
#: Words, and the punctuation the scan needs: braces, ``;`` and ``(``.
_JAVA_TOKEN = re.compile(r"[A-Za-z_$][\w$-]*|[{};(]")
_JAVA_TYPE_WORDS = frozenset({"class", "interface", "enum", "record"})


@dataclass(frozen=True)
class JavaTypes:
    """What a Java source declares at its top level, as javac and ``java`` need it."""

    package: str  #: "" for the default package
    public: str | None  #: the public top-level type: the source file must carry its name
    main: str | None  #: the first top-level type that declares ``static void main(``

    @classmethod
    def scan(cls, source: str) -> JavaTypes:
        """One pass over the tokens of ``source`` (comments and literals blanked out), braces
        counted: a type named in a comment or a string, or nested in another, is not
        top-level, and ``main`` counts only as a member of a top-level type."""
        text = _JAVA_NOISE.sub(lambda m: " " * len(m.group()), source)
        tokens = _JAVA_TOKEN.findall(text)
        depth, current, public, main = 0, None, None, None
        public_said = static_said = False  # in the declaration read so far
        for index, token in enumerate(tokens):
            if token in ("{", "}", ";"):
                depth += (token == "{") - (token == "}")
                public_said = static_said = False
            elif depth == 0:
                if token == "public":
                    public_said = True
                elif token in _JAVA_TYPE_WORDS and index + 1 < len(tokens) \
                        and tokens[index + 1][0] not in "{};(":
                    current = tokens[index + 1]
                    if public_said and public is None:
                        public = current
                    public_said = False
            elif depth == 1 and main is None:
                if token == "static":
                    static_said = True
                elif (token == "main" and static_said and tokens[index - 1] == "void"
                      and tokens[index + 1:index + 2] == ["("]):
                    main = current
        package = _JAVA_PACKAGE.search(text)
        return cls(re.sub(r"\s+", "", package.group(1)) if package else "", public, main)


@functools.lru_cache(maxsize=16)
def _java_types(source: str) -> JavaTypes:
    # One scan per source: its file name and its class are asked for at each step.
    return JavaTypes.scan(source)


def java_file(source: str) -> str:
    """The stem of a Java source's file: its public top-level type, else ``Main``."""
    return _java_types(source).public or "Main"


def java_main(source: str) -> str:
    """The class ``java`` runs: the top-level type with ``main`` (else the file's), with its
    package. ``class Solution`` holding ``main`` runs as ``Solution``, not ``Main``."""
    types = _java_types(source)
    name = types.main or types.public or "Main"
    return f"{types.package}.{name}" if types.package else name


def _which(name: str, fallback: str) -> str:
    """``/usr/bin/<name>`` with its links resolved (Debian's alternatives point the JDK's
    commands into /usr/lib/jvm; the sandbox then needs no /etc/alternatives for them)."""
    path = f"/usr/bin/{name}"
    return os.path.realpath(path) if os.path.exists(path) else fallback


#: ``ONLINE_JUDGE`` is defined as programming judges define it: correct programs guard a
#: ``freopen("input.txt", ...)`` for their authors' own runs with ``#ifndef ONLINE_JUDGE``.
_GCC = ("-pipe", "{optimize}", "-DONLINE_JUDGE", "-o", "{out}/main", "{source}")
_JVM = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
        "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=128m", "-Xss64m")


def builtin_languages() -> list[Language]:
    """The built-in languages, their tools found on this host's ``/usr/bin``."""
    java, javac = _which("java", "/usr/bin/java"), _which("javac", "/usr/bin/javac")
    go = _which("go", "/usr/bin/go")
    # Go >= 1.20 ships no compiled standard library: a build with an empty GOCACHE compiles
    # runtime, fmt and the rest first (~10 s). scripts/start-services.sh fills GO_STD_CACHE
    # with them (`go build std`, this environment); sandboxes see it read-only (go ignores
    # the writes it cannot make), so a compile builds only the program. Without it, each
    # compile builds its standard packages in its own /tmp.
    gocache = GO_STD_CACHE if os.path.isdir(GO_STD_CACHE) else "/tmp/gocache"
    return [
        Language("c", frozenset({"c"}), "main.c",
                 compile=("/usr/bin/gcc", "-std={c_standard}", *_GCC, "-lm"),
                 run=(f"./{OUT}/main",), version=("/usr/bin/gcc", "--version")),
        # <bits/stdc++.h> takes 2-3 s to compile, more than most programs that include it:
        # start-services.sh precompiles it for the default flags into PCH/gnu++20-O2/bits,
        # which this -I puts first. g++ uses it only where the flags match and falls back
        # to the header otherwise (another standard, -O3: that folder does not exist).
        Language("cpp", frozenset({"cpp", "c++", "cxx", "cc"}), "main.cpp",
                 compile=("/usr/bin/g++", "-std={cpp_standard}",
                          f"-I{PCH}/{{cpp_standard}}{{optimize}}", *_GCC),
                 run=(f"./{OUT}/main",), version=("/usr/bin/g++", "--version")),
        Language("java", frozenset({"java"}), "{stem}.java",
                 compile=(javac, "-J-Xmx512m", "-J-XX:+UseSerialGC", "-J-XX:TieredStopAtLevel=1",
                          "-encoding", "UTF-8", "-d", "{out}", "{source}"),
                 run=(java, "-Xmx{heap}m", *_JVM, "-Xshare:auto", "-DONLINE_JUDGE=true",
                      "-cp", "{out}", "{main}"),
                 version=(java, "-version"), vm=True, main=java_main, stem=java_file),
        Language("javascript", frozenset({"javascript", "js", "node", "nodejs"}), "main.js",
                 run=("/usr/bin/node", "--max-old-space-size={heap}", "--stack-size={stack_kb}",
                      "{source}"),
                 version=("/usr/bin/node", "--version"), vm=True,
                 assert_host=Path(__file__).with_name("assert_host.js")),
        Language("go", frozenset({"go", "golang"}), "main.go",
                 compile=(go, "build", "-ldflags=-s -w", "-o", "{out}/main",
                          "{source}"),
                 run=(f"./{OUT}/main",), version=(go, "version"), vm=True,
                 env={"GOCACHE": gocache, "GOPATH": "/tmp/gopath", "GO111MODULE": "off",
                      "GOFLAGS": "-buildvcs=false", "CGO_ENABLED": "0", "GOTOOLCHAIN": "local",
                      "GOMAXPROCS": "1"}),
        Language("rust", frozenset({"rust", "rs"}), "main.rs",
                 compile=("/usr/bin/rustc", "--edition", "{rust_edition}", "-C", "opt-level=2",
                          "-C", "strip=symbols", "-C", "codegen-units=1",
                          "-C", "linker=/usr/bin/gcc", "-o", "{out}/main",
                          "{source}"),
                 run=(f"./{OUT}/main",), version=("/usr/bin/rustc", "--version")),
    ]


def available(language: Language) -> bool:
    return os.access(language.tool, os.X_OK)


@functools.cache
def toolchain_version(command: tuple[str, ...]) -> str:
    """The first line a toolchain prints about its version (host side, run once)."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=30, check=False,
                              env={"PATH": "/usr/bin:/bin"})
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    text = (done.stdout or done.stderr).decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "unknown"


def toolchain_paths() -> tuple[str, ...]:
    found = [path for pattern in TOOLCHAIN_PATHS for path in sorted(glob.glob(pattern))]
    return tuple(path for path in found if os.path.isdir(path) and not os.path.islink(path))
