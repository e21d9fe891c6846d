"""The program that runs inside a sandbox: it loads the solution, or runs the tests, and
answers the harness.

Docker runs it as the source of ``python3 -I -S -c`` (standard library only) with the limits
as its one argument; it reads one JSON request per line on stdin and writes one JSON reply per
line on stdout. The process backend's zygote (``zygote.py``) loads it once and serves the same
protocol over each session's socket from :class:`Runner`. Before any solution code runs the
channel moves to a private descriptor, fds 0-2 point at ``/dev/null`` and the rlimits apply.
Once solution (or test) code has run, everything here may have been rewritten by it: the
harness trusts a reply only as plain data, and never sends expected values into a solution's
sandbox nor a solution's code into the tests' sandbox.

Requests to a solution's sandbox: ``load`` (run the solution as a module, list its callables),
``call`` (call one with encoded arguments), ``compile`` + ``io`` (run the solution as a program
per test case in a forked child, stdin in, stdout out). To the tests' sandbox (a second one):
``tests`` (run assert-style tests against proxies of the solution's functions). A proxy call is
a ``{"call": name, ...}`` reply; the harness relays it to the solution's sandbox and answers
with a ``result`` request; the last reply is the verdict. The data codec here is also the
harness's. Another language's assert style: ``spawn`` starts that language's host (a child
speaking this protocol on its own pipes) and ``ask`` passes it one request.
"""

import base64
import builtins
import fcntl
import json
import os
import resource
import select
import signal
import sys
import time
import types

#: Deepest nesting of a value carried over the channel.
MAX_DEPTH = 200
#: Most values one decoded message may hold, at every depth together.
MAX_ITEMS = 1 << 20
#: Most keys of one decoded set or dict that may share a hash. Honest data has a few
#: (``hash(-1) == hash(-2)``); crafted colliding keys make every insertion scan them all, so a
#: set of n of them costs n * n / 2 comparisons (65k ints: 20 s).
MAX_COLLISIONS = 16
#: Exit status a forked test case uses to say it ran out of memory.
EXIT_MEMORY = 86
#: Exit status of a forked case whose command could not be executed (as in a shell).
EXIT_NOEXEC = 127
_INT_LIMIT = 1 << 62
#: Where a container's memory cgroup counts its OOM kills: cgroup v2, then v1.
OOM_COUNTERS = ("/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control")
#: The builtin exceptions a solution's error may reach the tests as, by name (tests may expect
#: a ValueError). Never StopIteration, StopAsyncIteration or GeneratorExit: raised inside
#: ``map``, ``filter``, ``zip`` or a generator in the tests they end it silently, so
#: ``all(map(check, cases))`` would pass. Never a BaseException that is not an Exception.
EXCEPTIONS = {cls.__name__: cls for cls in (
    ArithmeticError, AssertionError, AttributeError, BufferError, EOFError, Exception,
    FileExistsError, FileNotFoundError, FloatingPointError, ImportError, IndexError,
    IsADirectoryError, KeyError, LookupError, ModuleNotFoundError, NameError,
    NotADirectoryError, NotImplementedError, OSError, OverflowError, PermissionError,
    RecursionError, RuntimeError, TimeoutError, TypeError, UnboundLocalError, UnicodeError,
    ValueError, ZeroDivisionError)}


def _exit(code=None):
    """``exit()`` and ``quit()``, as the site module defines them: Python runs here with -S,
    which leaves them out, and correct solutions call them to stop."""
    raise SystemExit(code)


for _name in ("exit", "quit"):
    if not hasattr(builtins, _name):
        setattr(builtins, _name, _exit)


class EncodeError(ValueError):
    """A value that is not plain data (or nested too deep) cannot cross the channel."""


def encode(value, depth=0):
    """Plain data as JSON-able data; tuples, sets, bytes, big ints and odd floats are tagged."""
    if depth > MAX_DEPTH:
        raise EncodeError("value nested too deeply")
    if value is None or type(value) is bool:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        value = int.__index__(value)
        return value if -_INT_LIMIT < value < _INT_LIMIT else {"$i": hex(value)}
    if isinstance(value, float):
        value = float(value)
        return value if value == value and abs(value) != float("inf") else {"$f": repr(value)}
    if isinstance(value, complex):
        return {"$c": [encode(value.real), encode(value.imag)]}
    if isinstance(value, bytes | bytearray):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, list):
        return [encode(item, depth + 1) for item in value]
    if isinstance(value, tuple):
        return {"$t": [encode(item, depth + 1) for item in value]}
    if isinstance(value, frozenset):
        return {"$fs": [encode(item, depth + 1) for item in value]}
    if isinstance(value, set):
        return {"$s": [encode(item, depth + 1) for item in value]}
    if isinstance(value, dict):
        return {"$d": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    raise EncodeError(f"{type(value).__name__} is not plain data")


def decode(data, depth=0, budget=None):
    """The inverse of :func:`encode`; builds builtin types only and raises on anything else.

    Bounded: at most :data:`MAX_ITEMS` values, :data:`MAX_DEPTH` levels and
    :data:`MAX_COLLISIONS` keys per hash in any set or dict, so decoding costs time linear in
    the message, whatever it holds."""
    if budget is None:
        budget = [MAX_ITEMS]
    if depth > MAX_DEPTH:
        raise EncodeError("value nested too deeply")
    budget[0] -= 1
    if budget[0] < 0:
        raise EncodeError("value holds too many items")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [decode(item, depth + 1, budget) for item in data]
    if type(data) is not dict or len(data) != 1:
        raise EncodeError("malformed value")
    (tag, body), = data.items()
    if tag == "$i" and type(body) is str:
        return int(body, 16)
    if tag == "$f" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag == "$b" and type(body) is str:
        return base64.b64decode(body, validate=True)
    if type(body) is not list:
        raise EncodeError("malformed value")
    if tag == "$c" and len(body) == 2:
        return complex(float(decode(body[0], depth + 1, budget)),
                       float(decode(body[1], depth + 1, budget)))
    if tag == "$d":  # a key and its value one level down, as encode() counts them
        if not all(type(pair) is list and len(pair) == 2 for pair in body):
            raise EncodeError("malformed value")
        pairs = [(decode(key, depth + 1, budget), decode(value, depth + 1, budget))
                 for key, value in body]
        _spread([key for key, _ in pairs])
        return dict(pairs)
    items = [decode(item, depth + 1, budget) for item in body]
    if tag == "$t":
        return tuple(items)
    if tag == "$s":
        return set(_spread(items))
    if tag == "$fs":
        return frozenset(_spread(items))
    raise EncodeError("malformed value")


def _spread(keys):
    """``keys``, once no hash is shared by more than :data:`MAX_COLLISIONS` of them."""
    seen = {}
    try:
        for key in keys:
            code = hash(key)
            seen[code] = count = seen.get(code, 0) + 1
            if count > MAX_COLLISIONS:
                raise EncodeError("too many keys share one hash")
    except TypeError:
        raise EncodeError("unhashable key") from None
    return keys


def describe(exc):
    """What the harness learns of an exception: its builtin type name and a short message."""
    kind = "memory" if isinstance(exc, MemoryError) else None
    return {"type": type(exc).__name__, "message": safe_str(exc), "limit": kind}


def exception_for(error):
    """The exception a solution's error (``{"type", "message"}``) reaches the tests as: the
    builtin of that name if it is on :data:`EXCEPTIONS`, else :class:`SolutionError`."""
    error = error if type(error) is dict else {}
    kind, message = str(error.get("type", ""))[:100], str(error.get("message", ""))[:300]
    cls = EXCEPTIONS.get(kind)
    if cls is not None:
        try:
            return cls(message)
        except Exception:
            pass
    return SolutionError(f"{kind}: {message}")


class SolutionError(Exception):
    """The solution raised an exception that is not an allowed builtin (carried by name), or
    returned something that is not plain data."""


class TestsRefused(BaseException):
    """The tests passed a solution function something that is not plain data: the tests
    are broken, not the solution (a BaseException, so ``except Exception`` lets it by)."""


class SolutionFunction:
    """Stands, in the tests' sandbox, for one of the solution's functions: calling it asks
    the harness, which relays the call to the solution's sandbox."""

    def __init__(self, runner, name):
        self._runner = runner
        self.__name__ = self.__qualname__ = name

    def __call__(self, *args, **kwargs):
        return self._runner.call_solution(self.__name__, args, kwargs)

    def __repr__(self):
        return f"<solution function {self.__name__}>"


class Runner:
    def __init__(self, config, reader, out_fd):
        self.config = config
        self.reader = reader
        self.out_fd = out_fd
        self.module = None
        self.program = None
        self.refused = None  # why the tests' sandbox refused the tests, once it has
        self.command = None  # set by ``exec``: what each ``io`` case runs instead of Python
        self.host = None  # set by ``spawn``: another language's host, asked by ``ask``
        self.oom_events = None  # Docker: the container's OOM-kill counter, held open
        self.oom_kills = 0

    def watch_oom(self):
        """Docker: the container is the run's memory cgroup, and the kernel may kill any of
        its processes there (a child that has already done its work, say). Every reply says
        whether a kill happened since the last one, as the process backend finds out from
        outside. Returns why it cannot, or None."""
        for path in OOM_COUNTERS:
            try:
                self.oom_events = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            except OSError:
                continue
            self.oom_kills = self.read_oom_kills()
            return None
        return f"cannot read the container's OOM-kill counter ({' or '.join(OOM_COUNTERS)})"

    def read_oom_kills(self):
        for line in os.pread(self.oom_events, 4096, 0).decode().splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return 0

    def reply(self, message):
        if self.oom_events is not None:
            kills = self.read_oom_kills()
            if kills > self.oom_kills:
                self.oom_kills = kills
                message = {**message, "oom_killed": True}
        data = (json.dumps(message, separators=(",", ":")) + "\n").encode()
        view = memoryview(data)
        while view:
            view = view[os.write(self.out_fd, view):]

    def serve(self):
        if self.config.get("hello_first"):
            # Docker: no byte may come before the harness's first write, or the client
            # library's HTTP reader can swallow it along with the upgrade response.
            self.reader.readline()
        why = self.watch_oom() if self.config.get("watch_oom") else None
        if why:
            self.reply({"ready": False, "error": why})
            return
        self.reply({"ready": True})
        while True:
            line = self.reader.readline()
            if not line:
                return
            request = json.loads(line)
            op = request.get("op")
            try:
                if op == "load":
                    self.reply(self.load(request["code"]))
                elif op == "call":
                    self.reply(self.call(request))
                elif op == "compile":
                    self.program = compile(request["code"], "<solution>", "exec")
                    self.reply({"ok": True})
                elif op == "io":
                    self.reply(self.run_case(base64.b64decode(request["stdin"])))
                elif op == "tests":
                    self.reply(self.run_tests(request["code"], request["names"]))
                elif op in FILE_OPS:  # other languages: files in, a command per case, files out
                    self.reply(FILE_OPS[op](self, request))
                else:
                    self.reply({"ok": False, "error": {"type": "ProtocolError", "message": op}})
            except BaseException as exc:  # the solution's own failure, or a limit
                self.reply({"ok": False, "error": describe(exc)})

    # --- assert style: the solution is a module; the harness calls its functions ---------

    def load(self, code):
        self.limit_cpu()
        namespace = {"__name__": "solution", "__builtins__": builtins}
        exec(compile(code, "<solution>", "exec"), namespace)
        self.module = namespace
        names = [n for n, v in list(namespace.items()) if callable(v) and not n.startswith("__")]
        return {"ok": True, "names": names}

    def call(self, request):
        function = self.module[request["name"]]
        args = decode(request["args"], -1)
        kwargs = decode(request["kwargs"], -1)
        value = function(*args, **kwargs)
        return {"ok": True, "value": encode(value)}

    def limit_cpu(self):
        cpu = int(self.config["time_limit"]) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

    # --- assert style, the tests' sandbox: the tests run here against proxies -------------

    def run_tests(self, source, names):
        """Run the tests; each solution function they use is a :class:`SolutionFunction`.
        Only names the tests use and neither define nor get from builtins become proxies:
        a solution that defines ``abs`` or ``check`` cannot change what the tests compute."""
        self.limit_cpu()
        code = compile(source, "<tests>", "exec")
        wanted = names_used(code) - set(dir(builtins))
        namespace = {"__name__": "__rewardkit_tests__", "__builtins__": builtins}
        for name in names:
            if type(name) is str and name in wanted and not name.startswith("__"):
                namespace[name] = SolutionFunction(self, name)
        self.refused = None
        try:
            exec(code, namespace)
        except TestsRefused:
            pass
        except AssertionError as exc:
            return verdict("failed", "assertion failed" + where(exc))
        except BaseException as exc:
            return verdict("failed", f"{type(exc).__name__}: {safe_str(exc)}"[:300] + where(exc))
        if self.refused:
            return verdict("error", self.refused)
        return verdict("passed", "")

    def call_solution(self, name, args, kwargs):
        if self.refused:
            raise TestsRefused(self.refused)
        try:
            # The argument list and keyword dict are wrappers, not levels of a value (depth -1):
            # a value the solution returned nested to the limit can be passed back to it.
            message = {"call": name, "args": encode(list(args), -1),
                       "kwargs": encode(dict(kwargs), -1)}
        except (EncodeError, RecursionError) as exc:
            self.refused = f"the tests passed an argument the sandbox cannot take: {exc}"
            raise TestsRefused(self.refused) from None
        self.reply(message)
        line = self.reader.readline()
        if not line:
            os._exit(0)  # the harness went away
        answer = json.loads(line)
        if answer.get("ok"):
            try:
                return decode(answer.get("value"))
            except (EncodeError, ValueError, TypeError, RecursionError):
                raise SolutionError("the solution returned a value that is not plain data") \
                    from None
        raise exception_for(answer.get("error"))

    # --- I/O style: the solution is a program, run once per case in a forked child --------

    def run_case(self, stdin):
        limit = self.config["time_limit"]
        cap = self.config["output_limit"]
        memfd = os.memfd_create("stdin")
        os.write(memfd, stdin)
        os.lseek(memfd, 0, os.SEEK_SET)
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        if self.command is not None:
            pid = self.spawn(memfd, out_w, err_w, limit)
        else:
            pid = os.fork()
            if pid == 0:
                self.child(memfd, out_w, err_w, limit)
        os.close(out_w)
        os.close(err_w)
        os.close(memfd)
        pidfd = os.pidfd_open(pid)
        deadline = time.monotonic() + limit
        out, err, hit = bytearray(), bytearray(), None
        open_fds = {out_r, err_r}
        for fd in open_fds:
            os.set_blocking(fd, False)
        exited = False
        while open_fds and not exited:
            left = deadline - time.monotonic()
            if left <= 0:
                hit = "timeout"
                break
            ready, _, _ = select.select([*open_fds, pidfd], [], [], left)
            exited = pidfd in ready
            for fd in [f for f in ready if f != pidfd]:
                if fd == out_r:
                    self.drain(fd, out, open_fds, cap)
                else:
                    self.drain(fd, err, open_fds)
            if len(out) > cap:
                hit = "output"
                break
        if hit is None and not exited:
            # It closed its output (coreutils-style programs do, just before they exit): the
            # run ends when it exits, or at the deadline, not when its pipes close.
            left = deadline - time.monotonic()
            exited = left > 0 and bool(select.select([pidfd], [], [], left)[0])
            hit = None if exited else "timeout"
        if exited:  # what the child wrote before it ended is in the pipes: take it all
            for fd in list(open_fds):
                if fd == out_r:
                    self.drain(fd, out, open_fds, cap)
                else:
                    self.drain(fd, err, open_fds)
            if len(out) > cap:
                hit = "output"
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        _, status = os.waitpid(pid, 0)
        for fd in (out_r, err_r, pidfd):
            os.close(fd)
        self.kill_leftovers()
        code = os.waitstatus_to_exitcode(status)
        if hit is None and code == -signal.SIGXCPU:
            hit = "timeout"
        elif hit is None and code == EXIT_MEMORY:
            hit = "memory"
        elif hit is None and code == -signal.SIGXFSZ:
            hit = "output"
        return {"ok": True, "stdout": base64.b64encode(bytes(out[:cap])).decode(),
                "exit": code, "limit": hit, "stderr": err[-2000:].decode("utf-8", "replace")}

    @staticmethod
    def drain(fd, buffer, open_fds, keep=4 << 20):
        """Read what ``fd`` has; past ``keep`` bytes the rest is read and dropped (stderr, a
        log). A caller that must see every byte up to its cap passes a ``keep`` above the cap
        and stops once the buffer is over it."""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:
                return True
            if not chunk:
                open_fds.discard(fd)
                return False
            if len(buffer) <= keep:
                buffer += chunk
            else:
                return True

    def spawn(self, memfd, out_w, err_w, limit):
        """Start the command (another language's program or compiler) without copying this
        process: ``posix_spawn`` (a vfork) costs a fraction of a fork of the runner, whose
        pages a fork must map and then copy on write. Its own process group, as a forked
        child's; only fds 0-2 reach it."""
        for name in os.listdir("/proc/self/fd"):
            if int(name) > 2:
                try:
                    os.set_inheritable(int(name), False)
                except OSError:
                    pass  # the listing's own descriptor, closed by now
        argv, env = self.command["argv"], self.command["env"]
        stderr = out_w if self.command.get("merge_stderr") else err_w
        cpu = int(limit) + 1
        # posix_spawn sets no rlimits: the child inherits a CPU soft limit from this process
        # for the spawn (the runner's own CPU time stays under it: it is raised by that), and
        # gets its own soft and hard limits as it starts. A fork of the runner set them before
        # exec; in the microseconds between, the inherited soft limit binds.
        own = resource.getrlimit(resource.RLIMIT_CPU)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        inherited = cpu + 1 + int(usage.ru_utime + usage.ru_stime)
        if own[1] != resource.RLIM_INFINITY:
            inherited = min(inherited, own[1])
        resource.setrlimit(resource.RLIMIT_CPU, (inherited, own[1]))
        try:
            pid = os.posix_spawn(argv[0], argv, env, setpgroup=0, file_actions=[
                (os.POSIX_SPAWN_DUP2, memfd, 0), (os.POSIX_SPAWN_DUP2, out_w, 1),
                (os.POSIX_SPAWN_DUP2, stderr, 2)])
        except OSError as exc:  # a missing toolchain: the harness tells it apart
            os.write(stderr, f"cannot execute {argv[0]}: {exc}".encode())
            return self.spawn_failed()
        finally:
            resource.setrlimit(resource.RLIMIT_CPU, own)
        resource.prlimit(pid, resource.RLIMIT_CPU, (cpu, cpu + 1))
        return pid

    @staticmethod
    def spawn_failed():
        """A child that only exits with :data:`EXIT_NOEXEC`, as one whose exec failed."""
        pid = os.fork()
        if pid == 0:
            os._exit(EXIT_NOEXEC)
        return pid

    def child(self, memfd, out_w, err_w, limit):
        try:
            os.setsid()
            os.dup2(memfd, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            os.closerange(3, 1 << 16)  # the channel and the runner's pipes stay out of reach
            cpu = int(limit) + 1
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
            if self.command is not None:  # a compiled program, an interpreter or a compiler
                if self.command.get("merge_stderr"):
                    os.dup2(1, 2)
                try:
                    os.execve(self.command["argv"][0], self.command["argv"], self.command["env"])
                except OSError as exc:  # a missing toolchain: the harness tells it apart
                    os.write(2, f"cannot execute {self.command['argv'][0]}: {exc}".encode())
                    os._exit(EXIT_NOEXEC)
            exec(self.program, {"__name__": "__main__", "__builtins__": builtins})
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except MemoryError:
            code = EXIT_MEMORY
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        try:
            for stream in (sys.stdout, sys.stderr):
                if not getattr(stream, "closed", False):  # closed by the solution: as CPython
                    stream.flush()
        except BaseException:
            code = code or 1
        os._exit(code & 0xFF)

    @staticmethod
    def kill_leftovers():
        # Every process of the sandbox user but this one: daemons a test case left behind.
        # Never as root: both backends run the runner as the unprivileged sandbox user, and
        # a runner started as root outside a sandbox would kill every process of the host.
        for _ in range(3 if os.geteuid() != 0 else 0):
            try:
                os.kill(-1, signal.SIGKILL)
            except OSError:
                break
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass


def names_used(code):
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= names_used(const)
    return names


def verdict(kind, message):
    return {"ok": True, "done": True, "verdict": kind, "message": message[:300]}


def where(exc):
    """`` (tests line N)``: the last line of the tests the exception passed through."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<tests>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return f" (tests line {line})" if line else ""


def safe_str(exc):
    try:
        return str(exc)[:300]
    except BaseException:
        return "<unprintable>"


# --- files and commands (compiled and other interpreted languages) -----------------------


def _work_path(name):
    """``name`` inside the work folder: relative, no ``..`` (the runner's own check; the
    sandbox's walls hold anyway)."""
    parts = str(name).split("/")
    if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"bad file name {name!r}")
    return os.path.join(os.getcwd(), *parts)


def op_put(runner, request):
    """Write one file (base64 ``data``) under the work folder, with its ``mode``."""
    path = _work_path(request["path"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, int(request.get("mode", 0o644)))
    with os.fdopen(fd, "wb") as f:
        f.write(base64.b64decode(request["data"]))
    return {"ok": True}


def _command(request):
    """A request's ``argv`` and ``env`` (only these variables) as strings."""
    argv = [str(a) for a in request["argv"]]
    env = {str(k): str(v) for k, v in dict(request.get("env") or {}).items()}
    return argv, env


def op_exec(runner, request):
    """From now on each ``io`` case executes ``argv`` (with only ``env``) instead of Python.

    ``links``: symbolic links to make in the work folder first (name -> target: artefacts the
    sandbox shows read-only). With ``stdin`` the first case runs at once and its result is the
    reply: a run of a ready program is then one round trip."""
    argv, env = _command(request)
    for folder in request.get("mkdirs") or ():
        os.makedirs(_work_path(folder), exist_ok=True)
    for name, target in dict(request.get("links") or {}).items():
        os.symlink(str(target), _work_path(name))
    runner.command = {"argv": argv, "env": env, "merge_stderr": bool(request.get("merge_stderr"))}
    if "stdin" in request:
        return runner.run_case(base64.b64decode(request["stdin"]))
    return {"ok": True}


def op_collect(runner, request):
    """The regular files under a folder of the work folder: relative path, size, mode."""
    root = _work_path(request["path"])
    files = []
    for folder, _, names in os.walk(root):
        for name in names:
            full = os.path.join(folder, name)
            info = os.lstat(full)
            if not os.path.islink(full) and os.path.isfile(full):
                files.append([os.path.relpath(full, os.getcwd()), info.st_size,
                              info.st_mode & 0o755])
            if len(files) > 1000:
                raise ValueError("too many artefacts")
    return {"ok": True, "files": files}


def op_get(runner, request):
    """One chunk of a file of the work folder, small enough for the channel's line cap."""
    size = 32768 + runner.config["output_limit"] // 2
    with open(_work_path(request["path"]), "rb") as f:
        f.seek(int(request["offset"]))
        data = f.read(size)
    return {"ok": True, "data": base64.b64encode(data).decode()}


def op_spawn(runner, request):
    """Start ``argv`` (with only ``env``) as a long-lived child that reads JSON lines on fd 3
    and answers one per line on fd 4; its stdout goes to ``/dev/null`` (as Python's in assert
    style), its stderr is kept (head and tail) to say why it ended.
    Assert style in another language: the child is that language's host of the solution or of
    the tests, and each ``ask`` passes it one message."""
    argv, env = _command(request)
    if not os.access(argv[0], os.X_OK):
        raise FileNotFoundError(f"cannot execute {argv[0]}")
    pipes = [os.pipe() for _ in range(3)]  # requests, replies, stderr
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            # above 0-4 first (F_DUPFD), so no dup2 below overwrites one not yet moved
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 5) for fd in
                    (pipes[0][0], pipes[1][1], pipes[2][1])]
            null = os.open("/dev/null", os.O_RDWR)
            for target, fd in ((0, null), (1, null), (2, high[2]), (3, high[0]),
                               (4, high[1])):
                os.dup2(fd, target)
            os.closerange(5, 1 << 16)
            cpu = int(runner.config["time_limit"]) + 1
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
            os.execve(argv[0], argv, env)
        finally:
            os._exit(EXIT_NOEXEC)
    for fd in (pipes[0][0], pipes[1][1], pipes[2][1]):
        os.close(fd)
    for fd in (pipes[1][0], pipes[2][0]):
        os.set_blocking(fd, False)
    runner.host = {"pid": pid, "pidfd": os.pidfd_open(pid), "to": pipes[0][1],
                    "from": pipes[1][0], "log": pipes[2][0], "buffer": bytearray(),
                    "said": bytearray()}
    return {"ok": True}


def op_ask(runner, request):
    """Pass ``message`` to the child :func:`op_spawn` started and return its one-line reply
    (an object), or why there is none: it exited, was killed, or said too much. Without a
    ``message``: its next line (the first one says it is ready)."""
    child = runner.host
    if child is None:
        raise ValueError("no child was started")
    if "message" in request:
        data = (json.dumps(request["message"], separators=(",", ":")) + "\n").encode()
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(child["to"], view):]
        except OSError:
            pass  # it is gone: the reply below says how it ended
    cap = runner.config["output_limit"] + 65536
    buffer = child["buffer"]
    while True:
        end = buffer.find(b"\n")
        if end >= 0:
            line = bytes(buffer[:end])
            del buffer[:end + 1]
            reply = json.loads(line)
            if type(reply) is not dict:
                raise ValueError("the child's reply is not an object")
            return reply
        if len(buffer) > cap:
            return _child_ended(child, "output", "the reply is over the output limit")
        ready, _, _ = select.select([child["from"], child["log"], child["pidfd"]], [], [])
        if child["log"] in ready:
            said = child["said"]
            Runner.drain(child["log"], said, {child["log"]})
            del said[1000:-2000]  # V8 says "heap out of memory" first, then a long trace
        if child["from"] in ready and not Runner.drain(child["from"], buffer, set(), cap) \
                and b"\n" not in buffer:
            return _child_ended(child, None, "it ended without a reply")
        if child["pidfd"] in ready and b"\n" not in buffer:
            Runner.drain(child["from"], buffer, set(), cap)
            if b"\n" not in buffer:
                return _child_ended(child, None, "it ended without a reply")


def _child_ended(child, limit, why):
    """The error reply for a child that cannot answer (killed now if it still runs)."""
    if "exit" not in child:
        try:
            os.killpg(child["pid"], signal.SIGKILL)
        except OSError:
            pass
        child["exit"] = os.waitstatus_to_exitcode(os.waitpid(child["pid"], 0)[1])
    code = child["exit"]
    if limit is None and code == -signal.SIGXCPU:
        limit = "timeout"
    elif limit is None:
        limit = "memory" if b"heap out of memory" in child["said"] else "crash"
    tail = child["said"][-300:].decode("utf-8", "replace")
    return {"ok": False, "error": {"type": "Exited", "limit": limit,
                                   "message": f"{why} (exit status {code}) {tail}".strip()}}


FILE_OPS = {"put": op_put, "exec": op_exec, "collect": op_collect, "get": op_get,
            "spawn": op_spawn, "ask": op_ask}


def apply_limits(config):
    memory = config["memory_limit"] * 1024 * 1024
    # Runtimes that reserve far more address space than they use (JVM, V8, Go) run without
    # the address-space rlimit; the run's cgroup or container bounds their memory.
    address_space = [(resource.RLIMIT_AS, memory)] if config.get("address_space", True) else []
    limits = [*address_space, (resource.RLIMIT_CORE, 0),
              (resource.RLIMIT_FSIZE, config["file_size_limit"]),
              (resource.RLIMIT_NOFILE, config["max_open_files"])]
    if config.get("max_processes"):
        limits.append((resource.RLIMIT_NPROC, config["max_processes"]))
    # Judges give recursion room: a correct DFS down a path of 10^6 nodes needs ~100 MB of
    # stack, and 8 MiB (the usual default) made it a crash. Half the memory limit, which
    # still bounds it (stack pages count as memory); never above the hard limit we inherit.
    hard = resource.getrlimit(resource.RLIMIT_STACK)[1]
    stack = max(memory // 2, 8 << 20)
    limits.append((resource.RLIMIT_STACK,
                   stack if hard == resource.RLIM_INFINITY else min(stack, hard)))
    for kind, value in limits:
        resource.setrlimit(kind, (value, value))


def main():
    config = json.loads(sys.argv[1])
    reader = os.fdopen(os.dup(0), "rb")
    out_fd = os.dup(1)
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    workdir = config.get("workdir")
    if workdir:
        os.makedirs(workdir, mode=0o700, exist_ok=True)
        os.chdir(workdir)
    sys.argv[1:] = []  # nothing of the configuration is left for the solution to read
    sys.set_int_max_str_digits(0)
    apply_limits(config)
    Runner(config, reader, out_fd).serve()


if __name__ == "__main__":
    main()
