# ruff: noqa: E501  (the attacks are C sources, one statement a line would hide them)
"""Containment of compiled programs: the catalogue of tests/test_code_containment.py in C and
C++, on both backends, plus what only native code can do (stack exhaustion, mmap bombs, inline
system calls) and attacks on the compile step.

Every program prints ``pwned`` (the expected output, so it earns reward) only if its attack
worked, or leaves a trace on the host that the test looks for (one prints ``safe`` and must
pass: it checks that each refusal is the sandbox's own). Before issue 16 none of these
could run at all; each docstring says what the attack would have got in a sandbox without the
wall that stops it. The sources are valid C and C++ alike, so each runs in both.
"""

from __future__ import annotations

import platform
import secrets
import subprocess
import time
from pathlib import Path

import pytest
from conftest import host_processes_marked, sandbox_missing

from rewardkit import Result, Sample, Status
from rewardkit.verifiers.code import CodeVerifier
from rewardkit.verifiers.code.sandbox import SandboxUnavailable

LIMITS = {"time_limit": 2.0, "memory_limit": 256, "output_limit": 64 * 1024, "max_files": 200,
          "pool_size": 1, "compile_time_limit": 10.0, "compile_memory_limit": 512}
PRELUDE = """#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <fcntl.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
"""


@pytest.fixture(scope="module")
def verifiers():  # type: ignore[no-untyped-def]
    made: dict[str, CodeVerifier] = {}
    yield made
    for verifier in made.values():
        verifier.close()


#: Both languages on the process backend; C++ on Docker (the same binaries run there: C on
#: Docker would double the slowest part of the suite for no other wall).
TARGETS = [("process", "c"), ("process", "cpp"), ("docker", "cpp")]


@pytest.fixture(params=TARGETS, ids=[f"{b}-{lang}" for b, lang in TARGETS])
def target(request, verifiers):  # type: ignore[no-untyped-def]
    backend, language = request.param
    if backend not in verifiers:
        verifier = CodeVerifier({**LIMITS, "backend": backend})
        try:
            verifier.language_backend("run")
        except SandboxUnavailable as exc:
            sandbox_missing(backend, exc)
        verifiers[backend] = verifier
    return verifiers[backend], language


def io(verifier: CodeVerifier, language: str, body: str, stdout: str = "pwned",
       stdin: str = "") -> Result:
    program = f"```{language}\n{PRELUDE}{body}\n```"
    return verifier.verify(Sample(completion=program, reference={
        "language": language, "cases": [{"stdin": stdin, "stdout": stdout}]}))


def zero(result: Result) -> None:
    assert result.reward == 0.0 and not result.passed, result


def marked_processes() -> int:
    """Host processes whose command line carries the probes' marker."""
    return host_processes_marked(b"rk-lang-marker")


def test_honest_twin_passes(target):  # type: ignore[no-untyped-def]
    result = io(*target, 'int main(){int x; if(scanf("%d",&x)!=1) return 1;'
                                    ' printf("%d\\n", x * 2); return 0;}', "14", "7")
    assert result.passed, result


def test_fork_bomb(target):  # type: ignore[no-untyped-def]
    """Without the pids limit 500 live children fork, and the program says so."""
    body = ("int main(){int n=0; for(int i=0;i<500;i++){pid_t p=fork(); if(p==0){pause();_exit(0);}"
            " if(p>0) n++;} if(n>=500) puts(\"pwned\"); return 0;}")
    started = time.monotonic()
    zero(io(*target, body))
    assert time.monotonic() - started < 15


def test_memory_bombs(target):  # type: ignore[no-untyped-def]
    """One process touching 1 GiB, and four forked ones of 150 MiB each (each under the
    address-space rlimit, together past the 256 MiB limit): without the cgroup or container
    limit both print pwned."""
    one = ("int main(){size_t n=(size_t)1<<30; char*p=(char*)malloc(n); if(!p) return 0;"
           " for(size_t i=0;i<n;i+=4096) p[i]=1; puts(\"pwned\"); return 0;}")
    zero(io(*target, one))
    result = io(*target, FORKED % "")
    zero(result)
    assert result.details["cases"][0]["limit"] == "memory", result


#: Four children touch 150 MiB each and report it; each waits ``%s`` before it starts.
FORKED = ("int main(){int fd[2]; if(pipe(fd)) return 1; for(int k=0;k<4;k++){ if(fork()==0){ %s"
          " size_t n=(size_t)150<<20; char*p=(char*)malloc(n); if(!p) _exit(1);"
          " for(size_t i=0;i<n;i+=4096) p[i]=1; if(write(fd[1],\"x\",1)!=1) _exit(1);"
          " sleep(1); _exit(0);} } close(fd[1]); char c; int got=0;"
          " while(read(fd[0],&c,1)==1) if(++got==4) break;"
          " if(got==4) puts(\"pwned\"); return 0;}")


def test_children_killed_for_memory_after_their_work(target):  # type: ignore[no-untyped-def]
    """The same four children one after another: the kernel kills the largest process when
    the run passes its limit, which is then a child that has already reported. Every child
    reports and pwned is printed; the kill is what says the limit was passed (before issue
    16's fix the Docker backend, whose container is the run's cgroup, missed it: reward 1)."""
    result = io(*target, FORKED % "usleep(k*300000);")
    zero(result)
    assert result.details["cases"][0]["limit"] == "memory", result


def test_mmap_bomb(target):  # type: ignore[no-untyped-def]
    """A 1 TiB MAP_NORESERVE mapping of which 1 GiB is touched: without the address-space
    rlimit and the run's memory limit the touch succeeds."""
    body = ("int main(){size_t n=(size_t)1<<40; char*p=(char*)mmap(0,n,PROT_READ|PROT_WRITE,"
            "MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE,-1,0); if(p==MAP_FAILED){"
            " n=(size_t)1<<30; p=(char*)mmap(0,n,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0);"
            " if(p==MAP_FAILED) return 0;} for(size_t i=0;i<((size_t)1<<30);i+=4096) p[i]=1;"
            " puts(\"pwned\"); return 0;}")
    zero(io(*target, body))


def test_busy_loop_and_sleep_time_out(target):  # type: ignore[no-untyped-def]
    """A loop the compiler cannot remove, and a child that spins after its parent answered:
    the wall clock ends both, whatever the program prints later."""
    started = time.monotonic()
    result = io(*target, "volatile int x; int main(){for(;;) x++; puts(\"pwned\");}")
    zero(result)
    assert result.status is Status.TIMEOUT and result.details["limit"] == "timeout"
    assert time.monotonic() - started < 10


def test_stack_exhaustion(target):  # type: ignore[no-untyped-def]
    """Unbounded recursion with big frames: it can only crash its own process (reward 0, a
    crash), and the verifier serves the next program."""
    body = ("int deep(int n){volatile char pad[4096]; pad[0]=(char)n; return n>=100000000 ? 1 :"
            " deep(n+1)+pad[0];} int main(){ if(deep(0)) puts(\"pwned\"); return 0;}")
    result = io(*target, body)
    zero(result)
    assert result.status is Status.OK and result.details.get("limit") == "crash", result
    assert io(*target, 'int main(){puts("ok");}', "ok").passed


def test_output_flood(target):  # type: ignore[no-untyped-def]
    """Endless output: without the cap the harness would buffer it all."""
    body = ("int main(){static char b[1<<16]; memset(b,'p',sizeof b);"
            " for(;;) fwrite(b,1,sizeof b,stdout);}")
    started = time.monotonic()
    result = io(*target, body)
    zero(result)
    assert result.details["limit"] == "output", result
    assert time.monotonic() - started < 10


def test_writes_outside_the_sandbox(target):  # type: ignore[no-untyped-def]
    """Writes to the root, the toolchains' folders and /etc, and to what every compile reads
    (Go's compiled standard library, the precompiled <bits/stdc++.h>: a program that changed
    them would change every later program's meaning): pwned if any succeeds; and a file in
    /tmp that must not appear on the host's /tmp. Appends, so nothing is truncated."""
    name = f"rk-lang-probe-{secrets.token_hex(4)}"
    body = ("int main(){const char* t[]={\"/rk\",\"/usr/bin/rk\",\"/usr/include/rk.h\",\"/etc/rk\","
            " \"/usr/lib/rk\", \"/var/cache/rewardkit/go-std/rk\","
            " \"/var/cache/rewardkit/pch/gnu++20-O2/bits/stdc++.h.gch\"};"
            " int ok=0; for(int i=0;i<7;i++){FILE*f=fopen(t[i],\"a\");"
            f" if(f){{ok=1; fclose(f);}}}} FILE*h=fopen(\"/tmp/{name}\",\"w\"); if(h) fclose(h);"
            " if(ok) puts(\"pwned\"); return 0;}")
    zero(io(*target, body))
    assert not Path("/tmp", name).exists()


def test_host_secrets_and_proc(target):  # type: ignore[no-untyped-def]
    """Reads a host file, and looks through /proc for the host's processes (pytest, dockerd)
    and at pid 1's environment: pwned if any is visible."""
    secret = Path("/tmp") / f"rk-lang-secret-{secrets.token_hex(4)}"
    secret.write_text("TOPSECRET")
    try:
        body = ("int main(){int seen=0; FILE*f=fopen(\"" + str(secret) + "\",\"r\"); if(f) seen=1;"
                " DIR*d=opendir(\"/proc\"); struct dirent*e; char path[300], buf[4096];"
                " while(d && (e=readdir(d))){ snprintf(path,sizeof path,\"/proc/%s/cmdline\",e->d_name);"
                " int fd=open(path,O_RDONLY); if(fd<0) continue; ssize_t n=read(fd,buf,sizeof buf-1);"
                " close(fd); if(n<=0) continue; for(ssize_t i=0;i<n;i++) if(!buf[i]) buf[i]=' ';"
                " buf[n]=0; if(strstr(buf,\"pytest\")||strstr(buf,\"dockerd\")) seen=1; }"
                " int fd=open(\"/proc/1/environ\",O_RDONLY); if(fd>=0){ ssize_t n=read(fd,buf,sizeof buf);"
                " if(n>0) seen=1; close(fd);} if(seen) puts(\"pwned\"); return 0;}")
        zero(io(*target, body))
    finally:
        secret.unlink()


def test_network(target, host_service):  # type: ignore[no-untyped-def]
    """Connects to a service on the host's loopback (its port on stdin) and to TEST-NET-1:
    pwned if either connects."""
    body = ("int tryc(const char*ip,int port){int s=socket(AF_INET,SOCK_STREAM,0); if(s<0) return 0;"
            " struct sockaddr_in a; memset(&a,0,sizeof a); a.sin_family=AF_INET;"
            " a.sin_port=htons((unsigned short)port); inet_pton(AF_INET,ip,&a.sin_addr);"
            " int ok=connect(s,(struct sockaddr*)&a,sizeof a)==0; close(s); return ok;}"
            " int main(){int port=0; if(scanf(\"%d\",&port)!=1) return 1;"
            " if(tryc(\"127.0.0.1\",port)||tryc(\"192.0.2.1\",80)) puts(\"pwned\"); return 0;}")
    zero(io(*target, body, stdin=str(host_service)))


def test_signals_reach_nothing_outside(target):  # type: ignore[no-untyped-def]
    """Kills its parent, pid 1, every pid it can see, and a host process whose pid it is
    given: the host process must live on, and so must the verifier."""
    victim = subprocess.Popen(["sleep", "60"])
    try:
        body = ("int main(){int pid=0; if(scanf(\"%d\",&pid)!=1) return 1; kill(pid,SIGKILL);"
                " kill(getppid(),SIGKILL); kill(1,SIGKILL); kill(-1,SIGKILL); puts(\"pwned\");"
                " return 0;}")
        io(*target, body, stdin=str(victim.pid))
        time.sleep(0.2)
        assert victim.poll() is None, "a sandboxed program killed a host process"
    finally:
        victim.kill()
        victim.wait()
    assert io(*target, 'int main(){puts("ok");}', "ok").passed


def test_double_forked_daemon_is_gone(target):  # type: ignore[no-untyped-def]
    """A daemon (double fork, setsid, a marker in its command line) that would outlive the
    run and serve later samples; it must be gone when the result is."""
    body = ("int main(int argc,char**argv){ if(argc>1){ for(;;) pause(); }"
            " if(fork()==0){ setsid(); if(fork()==0){"
            " char*args[]={(char*)\"rk-lang-marker\",(char*)\"daemon\",0}; char*env[]={0};"
            " execve(\"/proc/self/exe\",args,env); _exit(1); } _exit(0);}"
            " usleep(300000); puts(\"done\"); return 0;}")
    io(*target, body, "done")
    deadline = time.monotonic() + 3
    while marked_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marked_processes() == 0


X86_64 = platform.machine() in ("x86_64", "AMD64")


@pytest.mark.skipif(not X86_64, reason="the inline system calls are x86-64 assembly")
def test_inline_syscalls(target):  # type: ignore[no-untyped-def]
    """System calls the sandbox forbids, made with the ``syscall`` instruction (and the 32-bit
    ``int 0x80`` entry) rather than libc wrappers: ptrace of the parent, a new user
    namespace, mount, kernel keyrings, process_vm_readv of the parent, bpf. Pwned if any
    succeeds."""
    body = r"""
static long sys6(long n,long a,long b,long c,long d,long e,long f){long r;
 register long r10 __asm__("r10")=d; register long r8 __asm__("r8")=e; register long r9 __asm__("r9")=f;
 __asm__ volatile("syscall":"=a"(r):"a"(n),"D"(a),"S"(b),"d"(c),"r"(r10),"r"(r8),"r"(r9):"rcx","r11","memory");
 return r;}
static long sys32(long n,long a,long b){long r;
 __asm__ volatile("int $0x80":"=a"(r):"a"(n),"b"(a),"c"(b):"memory"); return r;}
int main(){ int bad=0; long ppid=getppid(); char buf[64]; struct { void* b; size_t n; } l={buf,64}, r={buf,64};
 if(sys6(101,16,ppid,0,0,0,0)==0) bad|=1;            /* ptrace(PTRACE_ATTACH, parent) */
 if(sys6(272,0x10000000,0,0,0,0,0)==0) bad|=2;       /* unshare(CLONE_NEWUSER) */
 if(sys6(165,(long)"none",(long)"/tmp",(long)"tmpfs",0,0,0)==0) bad|=4; /* mount */
 if(sys6(248,(long)"user",(long)"rk",(long)"x",1,-4,0)>=0) bad|=8;     /* add_key */
 if(sys6(310,ppid,(long)&l,1,(long)&r,1,0)>0) bad|=16; /* process_vm_readv(parent) */
 if(sys6(321,5,(long)buf,0,0,0,0)>=0) bad|=32;        /* bpf */
 if(sys32(26,16,ppid)==0) bad|=64;                    /* 32-bit ptrace(PTRACE_ATTACH) */
 if(bad) puts("pwned"); else puts("safe"); return 0; }
"""
    result = io(*target, body)
    zero(result)
    assert result.status is Status.OK


def test_kernel_interfaces_no_solution_needs_are_refused(target):  # type: ignore[no-untyped-def]
    """io_uring (whose operations bypass a seccomp filter), bpf, perf_event_open and
    userfaultfd, the usual ways into the kernel for an exploit: each must fail with EPERM, the
    sandbox's own refusal, not with an error from deeper in the kernel. Before, the process
    backend let io_uring_setup succeed and reached bpf and perf_event_open (Docker's
    allow-list already refused them). Pwned if any of them gets past the filter."""
    body = r"""
#include <errno.h>
int main(){ int bad=0; char attr[256]; memset(attr, 0, sizeof attr);
 errno=0; if(syscall(425, 4, attr)>=0 || errno!=EPERM) bad|=1;       /* io_uring_setup */
 errno=0; if(syscall(SYS_bpf, 0, attr, 128)>=0 || errno!=EPERM) bad|=2;
 errno=0; if(syscall(SYS_perf_event_open, attr, 0, -1, -1, 0)>=0 || errno!=EPERM) bad|=4;
 errno=0; if(syscall(SYS_userfaultfd, 0)>=0 || errno!=EPERM) bad|=8;
 if(bad) printf("pwned %d\n", bad); else puts("safe"); return 0; }
"""
    result = io(*target, body, stdout="safe")
    assert result.passed, result


def test_compile_step_is_sandboxed(target):  # type: ignore[no-untyped-def]
    """The compiler runs in a sandbox of its own: an ``#include`` of a host file cannot bring
    it into the program (expected output: the file's content), and ``#include "/dev/zero"``
    ends at the compile limits as a compile error, not a hang or a crash."""
    secret = Path("/tmp") / f"rk-lang-secret-{secrets.token_hex(4)}.h"
    secret.write_text('"TOPSECRET"\n')
    try:
        body = f'int main(){{ puts(\n#include "{secret}"\n); return 0; }}'
        result = io(*target, body, "TOPSECRET")
        zero(result)
        assert result.reason.startswith("compile error"), result
    finally:
        secret.unlink()
    started = time.monotonic()
    result = io(*target, '#include "/dev/zero"\nint main(){}')
    zero(result)
    assert result.status is Status.OK and result.reason.startswith("compile error"), result
    assert time.monotonic() - started < LIMITS["compile_time_limit"] + 10

