"""The process backend's shared artefact folder (issue 16, run-only latency): compiled
programs live on the host in one folder that every session sees read-only, instead of being
sent into each session; and the runner's ``posix_spawn`` of a program keeps its CPU rlimit.

The attack test is written so that it earns reward (prints the expected ``pwned``) or leaves a
file on the host only if a run could list the folder (and so find and run a sibling sample's
correct binary), or write to it (and so replace the cached binary that later samples of the
same program run).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from conftest import sandbox_missing

from rewardkit import Sample
from rewardkit.verifiers.code import CodeVerifier
from rewardkit.verifiers.code.sandbox import SandboxUnavailable
from rewardkit.verifiers.code.sandbox.shared_folder import MOUNT, SharedFolder

SUM = '#include <stdio.h>\nint main(){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b);}\n'
ATTACK = r"""#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void) {
    int got = 0;
    DIR *d = opendir("/rk-artefacts");          /* list it: find a sibling's binary */
    if (d) { struct dirent *e; while ((e = readdir(d))) if (e->d_name[0] != '.') got |= 1;
             closedir(d); }
    if (open("out/main", O_WRONLY) >= 0) got |= 2;   /* rewrite the cached binary */
    char to[512]; ssize_t n = readlink("out", to, sizeof to - 1);
    if (n > 0) {
        to[n] = 0;
        char planted[700]; snprintf(planted, sizeof planted, "%s/planted", to);
        if (open(planted, O_WRONLY | O_CREAT, 0755) >= 0) got |= 4;
        if (chmod(to, 0777) == 0) got |= 8;
    }
    if (open("/rk-artefacts/planted", O_WRONLY | O_CREAT, 0644) >= 0) got |= 16;
    if (got) printf("pwned\n"); else printf("contained\n");
    return 0;
}
"""


@pytest.fixture(scope="module")
def verifier():  # type: ignore[no-untyped-def]
    verifier = CodeVerifier({"backend": "process", "time_limit": 2.0})
    try:
        verifier.language_backend("run")
    except SandboxUnavailable as exc:
        sandbox_missing("process", exc)
    yield verifier
    verifier.close()


def c_sample(source: str, stdin: str, stdout: str) -> Sample:
    return Sample(completion=f"```c\n{source}```",
                  reference={"language": "c", "cases": [{"stdin": stdin, "stdout": stdout}]})


def test_a_run_can_neither_list_nor_write_the_shared_artefacts(verifier):  # type: ignore[no-untyped-def]
    """A sibling's correct binary sits in the folder. Were the folder listable, the attack
    would find it (and could run it for the reward); were it writable, the attack would plant
    a file or rewrite the binary that every later sample of the same program runs. Before
    this change no run saw any other program's artefact (each was sent into its session); the
    shared folder must keep that."""
    assert verifier.verify(c_sample(SUM, "2 3\n", "5\n")).passed
    result = verifier.verify(c_sample(ATTACK, "", "pwned\n"))
    assert result.status.value == "ok" and result.reward == 0.0, result
    assert "'contained'" in result.reason, result  # it ran, and every attempt failed
    folder = verifier.language_backend("run")._shared  # type: ignore[attr-defined]
    os.chmod(folder.path, 0o700)  # the host may list it
    try:
        names = os.listdir(folder.path)
        assert len(names) == 2 and not any(n.startswith(".") for n in names), names
        for name in names:
            assert sorted(os.listdir(os.path.join(folder.path, name))) == ["out"]
            assert os.listdir(os.path.join(folder.path, name, "out")) == ["main"]
    finally:
        os.chmod(folder.path, 0o311)
    # the cached binary is untouched: the same program again still adds
    assert verifier.verify(c_sample(SUM, "40 2\n", "42\n")).passed


def test_each_sample_gets_its_own_work_folder_over_the_shared_binary(verifier):  # type: ignore[no-untyped-def]
    """Two runs of one cached binary: what the first leaves in its work folder (a file next to
    the link) is gone for the second."""
    leave = ('#include <stdio.h>\nint main(){FILE*f=fopen("left","r");'
             'if(f){puts("seen");return 0;}f=fopen("left","w");fputs("x",f);fclose(f);'
             'puts("fresh");}\n')
    for _ in range(2):
        assert verifier.verify(c_sample(leave, "", "fresh\n")).passed


def test_the_folder_is_bounded_but_keeps_what_a_run_holds(tmp_path):  # type: ignore[no-untyped-def]
    folder = SharedFolder(max_bytes=10_000)
    try:
        assert stat.S_IMODE(os.stat(folder.path).st_mode) == 0o311  # never listable
        with folder.holding("held", (("out/main", b"x" * 6000, 0o755),)) as where:
            assert where == f"{MOUNT}/held"
            for i in range(5):  # each pushes the folder past its bound
                with folder.holding(f"other{i}", (("out/main", b"y" * 6000, 0o755),)):
                    pass
            assert os.path.exists(os.path.join(folder.path, "held", "out", "main"))
            assert len(folder) == 1  # each other one went as soon as it was released
        mode = stat.S_IMODE(os.stat(os.path.join(folder.path, "held", "out", "main")).st_mode)
        assert mode == 0o755
        with folder.holding("next", (("out/main", b"z" * 6000, 0o755),)):
            pass  # past the bound: the least recently used one, released now, goes
        assert not os.path.exists(os.path.join(folder.path, "held"))
        assert len(folder) == 1
        with pytest.raises(ValueError), folder.holding("../escape", (("main", b"", 0o644),)):
            pass
        with pytest.raises(ValueError), folder.holding("bad", (("../main", b"", 0o644),)):
            pass
        assert len(folder) == 1  # a refused artefact leaves nothing behind
    finally:
        folder.close()
    assert not os.path.exists(folder.path)


def test_a_killed_workers_folder_is_removed_by_the_next_backend() -> None:
    """A worker killed at its deadline never closes its folder: before, its binaries (up to
    512 MB, a completion's choice) stayed in /tmp for good, one folder per killed worker."""
    program = ("import os, signal, sys\n"
               "from rewardkit.verifiers.code.sandbox.shared_folder import SharedFolder\n"
               "folder = SharedFolder()\n"
               "with folder.holding('abc', (('out/main', b'x' * 1000, 0o755),)):\n"
               "    print(folder.path, flush=True)\n"
               "    os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          timeout=60)
    left = done.stdout.strip()
    assert done.returncode == -9 and os.path.isdir(left), done
    folder = SharedFolder()
    try:
        assert not os.path.exists(left)
        second = SharedFolder()  # a live process's folder stays
        assert os.path.isdir(folder.path)
        second.close()
    finally:
        folder.close()


def test_a_spawned_program_gets_the_case_cpu_limits(verifier):  # type: ignore[no-untyped-def]
    """The runner starts a compiled program with posix_spawn, not a fork that sets the CPU
    rlimit before exec: the limit must still be there, hard limit included (a program that
    could raise its soft limit past the hard one would only meet the wall clock). The program
    waits (up to a second) for the limit the runner sets as it starts."""
    probe = ('#include <stdio.h>\n#include <sys/resource.h>\n#include <time.h>\n'
             'int main(){struct rlimit r;for(int i=0;i<1000;i++){getrlimit(RLIMIT_CPU,&r);'
             'if(r.rlim_max!=RLIM_INFINITY)break;struct timespec t={0,1000000};'
             'nanosleep(&t,0);}printf("%ld %ld\\n",(long)r.rlim_cur,(long)r.rlim_max);}\n')
    result = verifier.verify(c_sample(probe, "", "3 4\n"))  # time_limit 2 s: 3 s, then kill
    assert result.passed, result


def test_a_program_that_closes_its_output_before_it_exits_passes(verifier):  # type: ignore[no-untyped-def]
    """The runner ended a case when the program's pipes closed, and killed the program: one
    that closes stdout and stderr before it exits (as coreutils do) got exit status -9 and
    failed, right output or not."""
    closer = ('#include <stdio.h>\n#include <unistd.h>\n'
              'int main(){printf("5\\n");fclose(stdout);fclose(stderr);usleep(50000);'
              'return 0;}\n')
    result = verifier.verify(c_sample(closer, "", "5\n"))
    assert result.passed, result


def test_without_a_shared_folder_artefacts_are_sent_per_session() -> None:
    """Where the temporary folder's file system forbids exec (no shared folder), a compiled
    program is still run: its files go into each session, as on Docker."""
    verifier = CodeVerifier({"backend": "process", "time_limit": 2.0})
    try:
        try:
            backend = verifier.language_backend("run")
        except SandboxUnavailable as exc:
            sandbox_missing("process", exc)
        backend._shared.close()  # type: ignore[attr-defined]
        backend._shared = None  # type: ignore[attr-defined]
        assert verifier.verify(c_sample(SUM, "20 22\n", "42\n")).passed
    finally:
        verifier.close()
