#!/usr/bin/env python3
"""`make watch` (tools/watch.sh) in a stand-in project: the real script, a Makefile whose `build`
"compiles" src/value.txt into build/bin/skill (failing like a compiler on "broken"), and a
`skill serve` that records its value and pid while it runs.

Checks: the first build starts the server; a change rebuilds and restarts it; a failed build shows
the compiler's error and keeps the last good server running; a new file also rebuilds; Ctrl-C
(SIGINT to the process group, as a terminal sends it) stops the server and the script, status 0.
It runs without a terminal, as under CI or an IDE.
"""
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEADLINE_S = 30.0

COMPILER = r'''
import pathlib, sys
value = pathlib.Path("src/value.txt").read_text().strip()
extra = pathlib.Path("src/extra.txt")
if extra.exists():
    value += extra.read_text().strip()
if value == "broken":
    print("src/value.txt:1:1: error: expected a value", file=sys.stderr)
    sys.exit(1)
binary = pathlib.Path("build/bin/skill")
binary.parent.mkdir(parents=True, exist_ok=True)
binary.write_text(SERVER.replace("VALUE", value))
binary.chmod(0o755)
'''

# The stand-in server: records "value pid" while it runs, removes the record on SIGTERM.
SERVER = r'''#!/usr/bin/env python3
import os, pathlib, signal, sys, time
record = pathlib.Path("running.txt")
def stop(*_):
    record.unlink(missing_ok=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
assert sys.argv[1:] == ["serve", "--config", "config/local.json"], sys.argv
record.write_text(f"VALUE {os.getpid()}")
for _ in range(3000):  # bounded: the test never runs this long
    time.sleep(0.1)
stop()
'''


class Watch:
    def __init__(self, project):
        self.project = project
        self.lines = []
        self.process = subprocess.Popen(
            ["bash", "tools/watch.sh"], cwd=project, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def idle(self):
        return bool(self.lines) and self.lines[-1] == "watch: waiting for changes"

    def count(self, text):
        return sum(text in line for line in self.lines)

    def wait_for(self, condition, what):
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; watch said:\n" + "\n".join(self.lines))

    def change(self, path, text):
        """Writes `path` once entr watches again, and again if the change went unseen."""
        self.wait_for(self.idle, "the watch loop to wait for changes")
        seen = self.count("change detected")
        for _ in range(5):
            time.sleep(0.3)  # entr sets up its watches after printing
            (self.project / path).write_text(text)
            deadline = time.monotonic() + 3.0
            while time.monotonic() < deadline and self.count("change detected") == seen:
                time.sleep(0.05)
            if self.count("change detected") > seen:
                return
        raise AssertionError(f"no rebuild after writing {path}:\n" + "\n".join(self.lines))


def running(project):
    record = project / "running.txt"
    if not record.exists():
        return None
    value, _, pid = record.read_text().partition(" ")
    return value, int(pid) if pid else 0


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def make_project(project):
    (project / "tools").mkdir()
    shutil.copy(ROOT / "tools/watch.sh", project / "tools/watch.sh")
    for directory in ("include", "src", "app", "www", "config", "cmake"):
        (project / directory).mkdir()
    (project / "CMakeLists.txt").write_text("# stand-in\n")
    (project / "config/local.json").write_text("{}\n")
    (project / "src/value.txt").write_text("v1\n")
    (project / "compile.py").write_text(f"SERVER = {SERVER!r}\n{COMPILER}")
    (project / "Makefile").write_text(".PHONY: build\nbuild:\n\t@python3 compile.py\n")


def main():
    if not shutil.which("entr"):
        sys.exit("entr is missing: run scripts/install-deps.sh")
    with tempfile.TemporaryDirectory() as tmp:
        project = pathlib.Path(tmp)
        make_project(project)
        watch = Watch(project)
        try:
            watch.wait_for(lambda: running(project) and running(project)[0] == "v1",
                           "the first server")
            first_pid = running(project)[1]

            watch.change("src/value.txt", "v2\n")
            watch.wait_for(lambda: running(project) and running(project)[0] == "v2",
                           "the restarted server")
            second_pid = running(project)[1]
            assert second_pid != first_pid and not alive(first_pid), "the old server still runs"

            watch.change("src/value.txt", "broken\n")
            watch.wait_for(lambda: watch.count("the last good server keeps running"),
                           "the failed build")
            assert watch.count("error: expected a value"), "the compiler's error is not shown"
            assert running(project) == ("v2", second_pid) and alive(second_pid), \
                "the last good server stopped after a failed build"

            watch.change("src/value.txt", "v3\n")  # fixed: built and restarted again
            watch.wait_for(lambda: running(project) and running(project)[0] == "v3",
                           "the server after the fix")

            watch.change("src/extra.txt", "-extra\n")  # a new file counts as a change
            watch.wait_for(lambda: running(project) and running(project)[0] == "v3-extra",
                           "the server after a new file")
            third_pid = running(project)[1]

            watch.wait_for(watch.idle, "the watch loop to wait for changes")
            os.killpg(watch.process.pid, signal.SIGINT)
            status = watch.process.wait(timeout=DEADLINE_S)
            assert status == 0, f"watch exited {status}:\n" + "\n".join(watch.lines)
            watch.wait_for(lambda: not alive(third_pid), "the server to stop")
            assert running(project) is None, "the server did not shut down cleanly"
            assert not watch.count("entr failed"), "\n".join(watch.lines)
        finally:
            if watch.process.poll() is None:
                os.killpg(watch.process.pid, signal.SIGKILL)
                watch.process.wait()
            if running(project):
                os.kill(running(project)[1], signal.SIGKILL)
    print("watch: ok")


if __name__ == "__main__":
    main()
