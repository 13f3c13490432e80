"""Start one sandboxed worker. Run as ``python -I -S launcher.py CONFIG_JSON`` by the trusted parent.

Linux with namespaces (root, or unprivileged user namespaces): new user (when not root), mount,
network, PID and IPC namespaces; every top-level folder that is not the system's (/home, /root,
/tmp, /work, ...) covered by an empty tmpfs except the paths the worker needs (interpreter, venv,
its own sandbox folder, datasets, caches), and the kit's secrets covered inside those too; every
mount read-only except the sandbox folder (TMPDIR points into it); a fresh /proc; as root, an
unprivileged uid/gid. Everywhere: its own session, rlimits
(memory, CPU, processes, file size, open files), a scrubbed environment. Then ``exec`` the worker.
The status line written to fd 5 says which isolation was applied.
Imports only the standard library: it runs on the sandbox side of the boundary (test_sandbox_side.py).
"""
import ctypes
import fcntl
import json
import os
import resource
import signal
import sys

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC = 0x20000, 0x10000000, 0x20000000, 0x40000000, 0x08000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
STATUS_FD = 5
PR_SET_PDEATHSIG = 1

libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def mount(source, target, fstype, flags, data=None):
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    _check(libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def umount(target):
    _check(libc.umount2(target.encode(), MNT_DETACH), f"umount {target}")


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def _mount_points():
    with open("/proc/self/mountinfo") as f:
        points = [line.split()[4] for line in f]
    return sorted(set(points), key=len)


SYSTEM_DIRS = {"bin", "boot", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "run", "sbin", "sys", "usr", "var"}
STAGES = ("/run", "/dev/shm", "/var/cache")


def plan_hides(cfg):
    """``(path, keeps)``: every top-level folder that is not the system's, and ``/var/tmp``, covered
    except the paths the worker needs (interpreter, venv, sandbox, datasets, caches); then the
    explicit secrets (they matter where a kept path contains them)."""
    keeps = sorted({os.path.realpath(k) for k in cfg["keep"] if os.path.isdir(k)})
    tops = ["/" + e for e in sorted(os.listdir("/")) if e not in SYSTEM_DIRS]
    tops = [t for t in tops if os.path.isdir(t) and not os.path.islink(t)] + ["/var/tmp"]
    plans = [(top, [k for k in keeps if k.startswith(top + "/")]) for top in tops if top not in keeps]
    return plans + [(path, []) for path in cfg["hide"]]


def hide(plans):
    """Cover each path with an empty tmpfs and bind its kept paths back (through a staging tmpfs)."""
    stage = next(p for p in STAGES if os.path.isdir(p))
    mount("tmpfs", stage, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700,size=1m")
    for n, (path, keeps) in enumerate(plans):
        if not os.path.isdir(path) or os.path.islink(path):
            continue
        holders = []
        for m, keep in enumerate(keeps):
            holder = os.path.join(stage, f"{n}-{m}")
            os.mkdir(holder)
            mount(keep, holder, None, MS_BIND | MS_REC)
            holders.append((holder, keep))
        mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k" if keeps else "mode=000,size=4k")
        for holder, keep in holders:
            os.makedirs(keep, exist_ok=True)
            mount(holder, keep, None, MS_BIND | MS_REC)
    umount(stage)


def isolate_filesystem(cfg):
    """Inside the new mount namespace: only what the worker needs is visible, all of it read-only but
    the sandbox folder; a fresh /proc."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    sandbox = cfg["sandbox"]
    mount(sandbox, sandbox, None, MS_BIND | MS_REC)
    hide(plan_hides(cfg))
    for point in reversed(_mount_points()):
        if point == sandbox or point.split("/")[1] in ("proc", "sys", "dev"):
            continue
        try:
            mount(None, point, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        except OSError:
            pass
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)


def enter_namespaces(as_root):
    """New namespaces; only the child that becomes PID 1 returns (the launcher waits for it and exits)."""
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | (0 if as_root else CLONE_NEWUSER)
    _check(libc.unshare(flags), "unshare")
    if not as_root:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
    pid = os.fork()
    if pid:
        wait_and_exit(pid)
    die_with_parent()  # PID 1 of the namespace: when it dies, the kernel kills everything in it
    return True


def wait_and_exit(pid):
    """The launcher outside the new PID namespace: wait for PID 1 there, exit with its status."""
    code = 1
    try:
        signal.signal(signal.SIGUSR2, signal.SIG_IGN)  # the parent's "time is up" is for the worker, not for us
        for fd in (3, 4, STATUS_FD):
            try:
                os.close(fd)
            except OSError:
                pass
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
    finally:
        os._exit(128 - code if code < 0 else code & 0xFF)


def die_with_parent(parent=None):
    """SIGKILL when the parent goes (the kernel clears this on a change of uid: call it again after one).
    ``parent``: the pid the parent must still have (``None`` where it cannot be seen, e.g. from PID 1)."""
    _check(libc.prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0), "prctl")
    if parent is not None and os.getppid() != parent:  # the parent died before the call
        os._exit(1)


def set_limits(limits):
    """rlimits: memory (address space for data), CPU seconds, processes, file size, open files, no core."""
    table = {"data": resource.RLIMIT_DATA, "cpu": resource.RLIMIT_CPU, "nproc": resource.RLIMIT_NPROC,
             "fsize": resource.RLIMIT_FSIZE, "nofile": resource.RLIMIT_NOFILE, "core": resource.RLIMIT_CORE}
    for name, value in limits.items():
        resource.setrlimit(table[name], (value, value))


def place_fds(fds):
    """Move the parent's pipe ends to fds 3 (requests), 4 (answers) and 5 (status)."""
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in fds]
    for fd in fds:
        os.close(fd)
    for target, fd in zip((3, 4, STATUS_FD), high):
        os.dup2(fd, target)
        os.close(fd)

def status(message: dict) -> None:
    """One JSON line to the parent on the status pipe: the isolation, then possibly why the worker never ran."""
    try:
        os.write(STATUS_FD, (json.dumps(message) + "\n").encode())
    except OSError:
        pass


def main():
    cfg = json.loads(sys.argv[1])
    die_with_parent(cfg["parent"])
    place_fds(cfg["fds"])
    os.setsid()
    mode = "basic"
    as_root = os.geteuid() == 0
    if cfg.get("namespaces", True):
        try:
            enter_namespaces(as_root)
            isolate_filesystem(cfg)
            mode = "namespaces"
        except OSError as exc:
            if cfg.get("require_namespaces"):
                raise
            mode = f"basic ({exc.strerror if hasattr(exc, 'strerror') else exc})"
    os.set_inheritable(STATUS_FD, False)  # closes itself once the worker runs
    status({"isolation": mode})
    try:
        if as_root:
            os.chown(cfg["sandbox"], cfg["uid"], cfg["gid"])
            os.setgroups([])
            os.setgid(cfg["gid"])
            os.setuid(cfg["uid"])
            die_with_parent()
        env = dict(cfg["env"])
        if mode != "namespaces":
            env["KIT_REFUSE_SOCKETS"] = "1"  # no network namespace: the worker refuses sockets itself
        set_limits(cfg["limits"])
        os.chdir(cfg["sandbox"])
        os.execve(cfg["python"], [cfg["python"], "-I", "-B", os.path.join(cfg["sandbox"], "_kit_worker.py")], env)
    except BaseException as exc:  # e.g. the unprivileged uid cannot reach the interpreter or the folder
        status({"error": f"cannot start the worker as uid {os.getuid()} ({mode}): {exc}"})
        os._exit(1)


if __name__ == "__main__":
    main()
