#!/usr/bin/env python3
"""The Debian package, built from the build folder's executable and checked as it ships.

    check_package.py --build BUILD_DIR --version PROJECT_VERSION [--keep DIR]

1. `cpack -G DEB` in the build folder (the executable already built: nothing is compiled);
2. lintian: no error and no warning (overrides, each explained, in packaging/debian/);
3. the control fields, the files and the conffiles (every file under /etc, nothing else);
4. the package unpacked into a scratch root (`dpkg-deb -x`): its user and state folder made
   there from its own sysusers.d and tmpfiles.d files; `systemd-analyze verify` on its unit
   against that root; `systemd-analyze security --offline` rates the unit (OK at most 1.2);
5. the packaged executable: --version, the packaged configuration loaded (holiday tables and
   catalogue found beside it), then the daemon run from the scratch root under strace with the
   packaged configuration (data moved to a scratch folder): it imports, serves, takes a webhook
   and stops on SIGTERM, while every system call it makes is one the unit's SystemCallFilter
   allows, every socket one of RestrictAddressFamilies, and no mapping is writable and executable
   (MemoryDenyWriteExecute) - what can be checked of the sandbox without systemd as PID 1.

Prints each step's time. Needs lintian, dpkg-dev, fakeroot, file, systemd, strace (scripts/setup).
"""

import argparse
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

UNIT = "tthc-monitor.service"
EXPOSURE_LIMIT = 1.2  # the README's figure: a regression fails here
FAMILIES = {"AF_INET", "AF_INET6", "AF_UNIX"}


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def run(args, **kwargs):
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    return subprocess.run(args, check=False, **kwargs)


class Steps:
    """Times each step and prints it, so CI's log says what the package costs."""

    def __init__(self):
        self.start = time.monotonic()
        self.last = self.start

    def done(self, what):
        now = time.monotonic()
        print(f"ok   {now - self.last:6.2f} s  {what}", flush=True)
        self.last = now


def build_deb(build, out):
    r = run(["cpack", "-G", "DEB", "-B", out], cwd=build)
    if r.returncode != 0:
        fail(f"cpack failed:\n{r.stdout}\n{r.stderr}")
    debs = glob.glob(os.path.join(out, "tthc-monitor_*.deb"))
    if len(debs) != 1:
        fail(f"cpack made {debs}, expected one tthc-monitor_*.deb")
    return debs[0]


def check_lintian(deb):
    r = run(["lintian", "--fail-on", "error,warning", "--display-info", deb])
    print(r.stdout, end="")
    bad = [l for l in r.stdout.splitlines() if re.match(r"^[EW]: ", l)]
    if r.returncode != 0 or bad:
        fail(f"lintian: exit {r.returncode}\n" + "\n".join(bad) + r.stderr)
    # An override that no longer matches anything is a stale explanation.
    stale = [l for l in r.stdout.splitlines() if "unused-override" in l or "mismatched-override" in l]
    if stale:
        fail("lintian overrides that match nothing:\n" + "\n".join(stale))


def field(deb, name):
    return run(["dpkg-deb", "-f", deb, name]).stdout.strip()


def check_control(deb, version, arch):
    expected = {"Package": "tthc-monitor", "Version": f"{version}-1", "Architecture": arch,
                "Section": "admin", "Priority": "optional"}
    for name, value in expected.items():
        if field(deb, name) != value:
            fail(f"control field {name}: {field(deb, name)!r}, expected {value!r}")
    depends = field(deb, "Depends")
    for needed in ("libsqlite3-0", "libboost-json1.81.0", "libboost-url1.81.0", "libspdlog1.10",
                   "libprometheus-cpp-core", "libxlsxwriter", "libssl3", "systemd",
                   "init-system-helpers"):
        if needed not in depends:
            fail(f"Depends lacks {needed}: {depends}")


def check_files(deb, ctrl, source):
    listing = run(["dpkg-deb", "-c", deb]).stdout.splitlines()
    files = {}
    for line in listing:
        parts = line.split()
        path = parts[5][1:]  # ./usr/bin/x -> /usr/bin/x
        files[path.rstrip("/") or "/"] = (parts[0], parts[1])
    wanted = {
        "/usr/bin/tthc-monitor": "-rwxr-xr-x",
        "/etc/tthc-monitor/tthc-monitor.toml": "-rw-r--r--",
        "/etc/tthc-monitor/procedures.csv": "-rw-r--r--",
        "/etc/tthc-monitor/units.csv": "-rw-r--r--",
        "/lib/systemd/system/tthc-monitor.service": "-rw-r--r--",
        "/usr/lib/sysusers.d/tthc-monitor.conf": "-rw-r--r--",
        "/usr/lib/tmpfiles.d/tthc-monitor.conf": "-rw-r--r--",
        "/usr/share/man/man1/tthc-monitor.1.gz": "-rw-r--r--",
        "/usr/share/doc/tthc-monitor/copyright": "-rw-r--r--",
        "/usr/share/doc/tthc-monitor/changelog.Debian.gz": "-rw-r--r--",
    }
    for year in sorted(os.listdir(os.path.join(source, "config", "holidays"))):
        wanted[f"/etc/tthc-monitor/holidays/{year}"] = "-rw-r--r--"
    for path, mode in wanted.items():
        if path not in files:
            fail(f"{path} is not in the package")
        if files[path] != (mode, "root/root"):
            fail(f"{path}: {files[path]}, expected {mode} root/root")
    etc = sorted(p for p, (mode, _) in files.items() if p.startswith("/etc/") and mode[0] == "-")
    with open(os.path.join(ctrl, "conffiles"), encoding="utf-8") as f:
        conffiles = sorted(l.strip() for l in f if l.strip())
    if etc != conffiles:
        fail(f"conffiles {conffiles} differ from the files under /etc {etc}")
    for script in ("postinst", "prerm", "postrm"):
        if not os.access(os.path.join(ctrl, script), os.X_OK):
            fail(f"{script} is missing or not executable")
    return len(files)


def check_root(root):
    """The user and state folder made from the package's own files, in the scratch root."""
    tools = [["systemd-sysusers", f"--root={root}"]]
    if os.geteuid() == 0:  # handing the folder to the user needs root, as on a server
        tools.append(["systemd-tmpfiles", f"--root={root}", "--create", "tthc-monitor.conf"])
    for tool in tools:
        r = run(tool)
        if r.returncode != 0:
            fail(f"{' '.join(tool)}: {r.stdout}{r.stderr}")
    with open(os.path.join(root, "etc", "passwd"), encoding="utf-8") as f:
        users = {l.split(":")[0]: l.strip().split(":") for l in f}
    user = users.get("tthc-monitor")
    if not user or int(user[2]) >= 1000 or user[6] not in ("/usr/sbin/nologin", "/sbin/nologin"):
        fail(f"system user: {user}")
    if os.geteuid() != 0:
        print("     not root: the state folder's owner is not checked")
        return
    state = os.stat(os.path.join(root, "var", "lib", "tthc-monitor"))
    if oct(state.st_mode & 0o7777) != "0o750" or state.st_uid != int(user[2]):
        fail(f"/var/lib/tthc-monitor: mode {oct(state.st_mode)} uid {state.st_uid}")


def check_unit(root):
    # verify loads the unit's dependencies (sysinit.target, network-online.target, ...) from
    # the root: the machine's own units beside the package's; the man page of Documentation=
    # is looked up in the root too.
    units = os.path.join(root, "lib", "systemd", "system")
    r = run(["cp", "-an", "/lib/systemd/system/.", units])
    if r.returncode != 0:
        fail(f"copying the machine's units: {r.stderr}")
    env = dict(os.environ, MANPATH=os.path.join(root, "usr", "share", "man"))
    r = run(["systemd-analyze", "verify", f"--root={root}", f"/lib/systemd/system/{UNIT}"], env=env)
    if r.returncode != 0 or r.stdout.strip() or r.stderr.strip():
        fail(f"systemd-analyze verify: exit {r.returncode}\n{r.stdout}{r.stderr}")
    r = run(["systemd-analyze", "security", "--no-pager", "--offline=true", f"--root={root}",
             UNIT])
    m = re.search(r"Overall exposure level for \S+: ([0-9.]+) (\w+)", r.stdout)
    if not m:
        fail(f"systemd-analyze security: no rating\n{r.stdout}{r.stderr}")
    exposure, level = float(m.group(1)), m.group(2)
    print(f"     systemd-analyze security: {exposure} {level}")
    if level not in ("PERFECT", "SAFE", "OK") or exposure > EXPOSURE_LIMIT:
        fail(f"unit exposure {exposure} {level}, expected OK at most {EXPOSURE_LIMIT}")
    return exposure, level


def check_commands(exe, conf, version):
    r = run([exe, "--version"])
    if r.returncode != 0 or r.stdout.strip() != f"tthc-monitor {version}":
        fail(f"--version: {r.stdout!r} {r.stderr!r}")
    r = run([exe, "--config", conf, "calendar", "--year", "2026", "--json"])
    if r.returncode != 0 or json.loads(r.stdout)["provisional"] is not False:
        fail(f"calendar with the packaged configuration: {r.stdout}{r.stderr}")
    text = open(conf, encoding="utf-8").read()
    for key in ('path = "/var/lib/tthc-monitor/tthc-monitor.db"',
                'dir = "/var/lib/tthc-monitor/reports"', 'listen = "127.0.0.1:8080"'):
        if key not in text:
            fail(f"the packaged configuration lacks {key}")


def allowed_syscalls():
    """@system-service without @privileged and @resources, groups expanded, as the unit says."""

    def expand(group, seen):
        out = set()
        r = run(["systemd-analyze", "syscall-filter", "--no-pager", group])
        for line in r.stdout.splitlines():
            name = line.strip()
            if not name or name.startswith("#") or name == group:
                continue
            if name.startswith("@"):
                if name not in seen:
                    seen.add(name)
                    out |= expand(name, seen)
            else:
                out.add(name)
        return out

    allowed = expand("@system-service", set())
    return allowed - expand("@privileged", set()) - expand("@resources", set())


def http(port, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body,
                                 headers={"Content-Type": "application/json"} if body else {})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.read()


def wait_for(predicate, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    fail(f"timed out waiting for {what}")


def check_daemon(exe, conf, work):
    """The packaged executable and configuration, data in a scratch folder, under strace."""
    # As the service runs: not as root (SQLite, for one, hands a file to its owner only as root).
    user = []
    state = os.path.join(work, "state")
    os.makedirs(state)
    if os.geteuid() == 0:
        user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        os.chmod(work, 0o711)
        os.chown(state, 65534, 65534)
    text = open(conf, encoding="utf-8").read().replace('"/var/lib/tthc-monitor/', f'"{state}/')
    # Beside the packaged one, so that its relative paths (holidays, tables) still resolve.
    local = os.path.join(os.path.dirname(conf), "check.toml")
    with open(local, "w", encoding="utf-8") as f:
        f.write(text)
    r = run([exe, "--config", local, "simulate", "--from", "2026-10-01", "--to", "2026-10-07",
             "--out", "-"])
    lines = r.stdout.splitlines()
    if len(lines) < 100:
        fail(f"simulate gave {len(lines)} lines: {r.stderr}")
    half = len(lines) // 2
    first = os.path.join(state, "first.jsonl")
    with open(first, "w", encoding="utf-8") as f:
        f.write("\n".join(lines[:half]) + "\n")
    os.chmod(first, 0o644)

    trace = os.path.join(state, "trace")
    strace = user + ["strace", "-f", "-qq", "-o", trace, "-e", "trace=all", "-e", "signal=none"]
    r = run(strace + [exe, "--config", local, "import", first])
    if r.returncode not in (0, 3):  # 3: the simulator's deliberately bad records, rejected
        fail(f"import: {r.stdout}{r.stderr}")
    traces = [open(trace, encoding="utf-8", errors="replace").read()]

    out = open(os.path.join(work, "daemon.out"), "w+", encoding="utf-8")
    daemon = subprocess.Popen(strace + ["-o", trace + ".run", exe, "--config", local, "run",
                                        "--port", "0"], stdout=out, stderr=subprocess.STDOUT)
    try:
        def port():
            out.seek(0)
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", out.read())
            return int(m.group(1)) if m else None

        p = wait_for(port, "the daemon's port")

        def ready():
            try:
                return http(p, "/readyz")[0] == 200
            except OSError:
                return False

        wait_for(ready, "/readyz")
        body = ("[" + ",".join(lines[half:]) + "]").encode()
        status, answer = http(p, "/api/v1/mc", body)
        if status != 200:
            fail(f"webhook: {status} {answer[:300]!r}")
        for path in ("/", "/api/v1/overview", "/metrics", "/api/v1/dossiers?limit=5"):
            if http(p, path)[0] != 200:
                fail(f"GET {path}")
        children = run(["pgrep", "-P", str(daemon.pid)]).stdout.split()
        if not children:
            fail("the daemon is not running under strace")
        with open(f"/proc/{children[0]}/maps", encoding="utf-8") as f:
            wx = [l for l in f if re.match(r"\S+ rwx", l)]
        if wx:
            fail("writable and executable mappings:\n" + "".join(wx))
        os.kill(int(children[0]), signal.SIGTERM)
        code = daemon.wait(timeout=60)
        if code != 0:
            out.seek(0)
            fail(f"the daemon stopped with {code}:\n{out.read()}")
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    traces.append(open(trace + ".run", encoding="utf-8", errors="replace").read())

    # The sandbox's system call filter and socket families, checked against what was made.
    allowed = allowed_syscalls()
    used, families = set(), set()
    for text in traces:
        for line in text.splitlines():
            m = re.match(r"^\d+\s+(?:<\.\.\. )?(\w+)[( ]", line)
            if m:
                used.add(m.group(1))
            s = re.match(r"^\d+\s+socket\((AF_\w+)", line)
            if s:
                families.add(s.group(1))
    denied = sorted(used - allowed)
    if denied:
        fail(f"system calls outside SystemCallFilter: {denied}")
    if not families <= FAMILIES:
        fail(f"socket families outside RestrictAddressFamilies: {sorted(families - FAMILIES)}")
    print(f"     {len(used)} distinct system calls, all allowed; socket families {sorted(families)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--keep", help="leave the .deb in this folder")
    args = ap.parse_args()
    source = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    steps = Steps()
    with tempfile.TemporaryDirectory(prefix="tthc-package.") as work:
        deb = build_deb(args.build, os.path.join(work, "out"))
        print(f"     {os.path.basename(deb)}: {os.path.getsize(deb) / 1e6:.2f} MB, "
              f"Installed-Size {field(deb, 'Installed-Size')} KiB")
        steps.done("cpack -G DEB")
        check_lintian(deb)
        steps.done("lintian")
        ctrl = os.path.join(work, "control")
        run(["dpkg-deb", "-e", deb, ctrl])
        check_control(deb, args.version, arch)
        count = check_files(deb, ctrl, source)
        steps.done(f"control fields, {count} entries, conffiles")
        root = os.path.join(work, "root")
        run(["dpkg-deb", "-x", deb, root])
        check_root(root)
        steps.done("system user and state folder in a scratch root")
        check_unit(root)
        steps.done("systemd-analyze verify and security")
        exe = os.path.join(root, "usr", "bin", "tthc-monitor")
        conf = os.path.join(root, "etc", "tthc-monitor", "tthc-monitor.toml")
        check_commands(exe, conf, args.version)
        check_daemon(exe, conf, work)
        steps.done("the packaged daemon under strace: import, serve, webhook, SIGTERM")
        if args.keep:
            shutil.copy(deb, args.keep)
    print(f"ok   {time.monotonic() - steps.start:6.2f} s  in all")


if __name__ == "__main__":
    main()
