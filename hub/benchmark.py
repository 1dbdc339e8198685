"""Load benchmark of the class hub: N simulated students at once, on loopback. Prints figures; not a test.

    make hub-benchmark                  # 30 students
    make hub-benchmark N=10
    sudo .venv/bin/python -m hub.benchmark --students 10 --deadline 600

Run it as root, as the hub runs. It starts its own hub (hub/jupyterhub_config.py, dummy
authenticator, free loopback ports, a temporary folder), with one real system account per student
(removed at the end), then every student at the same moment logs in through the login form, starts
a server, and runs a chapter notebook and then an exercise notebook cell by cell through the kernel
API. It prints the time to a ready server and per notebook (p50, p95, max), peak memory per student
server (its process and kernels, RSS summed) and for the whole machine, CPU seconds per student
server, and every failure. It stops by itself:
at most 60 students, and nothing runs past --deadline seconds.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

from hub import hubkit

ROOT = Path(__file__).resolve().parents[1]

PASSWORD = "benchmark-only-password"
MAX_STUDENTS = 60
MB = 1024 * 1024


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class MemorySampler(threading.Thread):
    """Every half second: RSS of each student's server with its kernels, and the machine's used memory."""

    def __init__(self, hub_pid: int):
        super().__init__(daemon=True)
        self.hub = psutil.Process(hub_pid)
        self.per_student: dict[str, int] = {}
        self.cpu_seconds: dict[str, float] = {}
        self.hub_and_proxy = 0
        self.machine_peak = 0
        self.machine_start = self.used()
        self.stop = threading.Event()

    @staticmethod
    def used() -> int:
        memory = psutil.virtual_memory()
        return memory.total - memory.available

    def run(self):
        while not self.stop.wait(0.5):
            self.machine_peak = max(self.machine_peak, self.used())
            hub_side = self.hub.memory_info().rss
            for process in self.hub.children():  # the proxy, the culler, and one server per student
                try:
                    line = " ".join(process.cmdline())
                    if "jupyterhub-singleuser" in line or "hub.singleuser" in line:
                        user = process.environ().get("JUPYTERHUB_USER", "?")
                        tree = [process, *process.children(recursive=True)]
                        rss = sum(p.memory_info().rss for p in tree)
                        self.per_student[user] = max(self.per_student.get(user, 0), rss)
                        times = [p.cpu_times() for p in tree]  # children_*: kernels already ended
                        cpu = sum(t.user + t.system + t.children_user + t.children_system for t in times)
                        self.cpu_seconds[user] = max(self.cpu_seconds.get(user, 0), cpu)
                    elif "configurable-http-proxy" in line:
                        hub_side += process.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self.hub_and_proxy = max(self.hub_and_proxy, hub_side)


def one_student(url: str, name: str, notebooks: list[str], deadline: float) -> dict:
    result = {"name": name, "ready": None, "runs": {}, "failures": []}
    student = hubkit.Student(url, name, PASSWORD)
    try:
        student.login()
        result["ready"] = student.start_server(timeout=max(1, deadline - time.monotonic()))
        for path in notebooks:
            seconds, problems = student.run_notebook(path, timeout=max(1, deadline - time.monotonic()))
            result["runs"][path] = seconds
            result["failures"] += [f"{path} {p}" for p in problems]
    except Exception as error:  # noqa: BLE001 - a benchmark reports every failure and carries on
        result["failures"].append(f"{type(error).__name__}: {error}")
    return result


def row(label: str, values: list[float], unit: str = "s") -> str:
    figures = "  ".join(f"{name} {percentile(values, p):7.1f} {unit}" for name, p in
                        (("p50", 50), ("p95", 95), ("max", 100)))
    return f"{label:<34} {figures}   (n={len(values)})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30, help="how many at once (default 30, at most 60)")
    parser.add_argument("--deadline", type=float, default=900, help="stop everything after this many seconds")
    parser.add_argument("--chapter", default="chapters/02_mosul.ipynb")
    parser.add_argument("--exercise", default="exercises/01_rise.ipynb")
    args = parser.parse_args(argv)
    if not 1 <= args.students <= MAX_STUDENTS:
        parser.error(f"--students must be between 1 and {MAX_STUDENTS}.")

    run = uuid.uuid4().hex[:6]
    names = [f"bench{run}-{i:02d}" for i in range(1, args.students + 1)]
    load_before = os.getloadavg()
    started = time.monotonic()
    deadline = started + args.deadline
    with tempfile.TemporaryDirectory(prefix="course-hub-benchmark-") as state, hubkit.accounts_removed(names):
        environ = {"COURSE_HUB_MAX_SERVERS": str(args.students), "COURSE_HUB_MAX_STARTING": str(args.students)}
        with hubkit.running_hub(Path(state), "--JupyterHub.authenticator_class=dummy",
                                f"--DummyAuthenticator.password={PASSWORD}", env=environ) as (url, hub_pid):
            hub_up = time.monotonic() - started
            sampler = MemorySampler(hub_pid)
            sampler.start()
            with ThreadPoolExecutor(args.students) as pool:
                results = list(pool.map(lambda n: one_student(url, n, [args.chapter, args.exercise], deadline),
                                        names))
            wall = time.monotonic() - started
            sampler.stop.set()
            sampler.join()
        log = ROOT / ".hub" / "benchmark-hub.log"
        log.parent.mkdir(exist_ok=True)
        shutil.copyfile(Path(state) / "hub.log", log)

    ready = [r["ready"] for r in results if r["ready"] is not None]
    print(f"Class hub load benchmark: {args.students} students at once, {os.cpu_count()} CPUs, "
          f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM, load average before "
          f"{' '.join(f'{x:.1f}' for x in load_before)}, after {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          "(1, 5, 15 min)")
    print(f"hub ready after {hub_up:.1f} s; all students done after {wall:.1f} s")
    print(row("time to a ready server", ready))
    for path in (args.chapter, args.exercise):
        print(row(f"run {path}", [r["runs"][path] for r in results if path in r["runs"]]))
    servers = [v / MB for v in sampler.per_student.values()]
    print(row("peak memory per student server", servers, "MB"))
    print(row("CPU time per student server", list(sampler.cpu_seconds.values())))
    print(f"peak memory, hub + proxy             {sampler.hub_and_proxy / MB:7.0f} MB")
    print(f"peak memory used, whole machine      {sampler.machine_peak / MB:7.0f} MB "
          f"({(sampler.machine_peak - sampler.machine_start) / MB:+.0f} MB over the moment students began; "
          f"other users' processes included)")
    failed = [r for r in results if r["failures"]]
    print(f"failures: {len(failed)} of {len(results)} students (the hub's log: {log})")
    for r in failed:
        for failure in r["failures"][:3]:
            print(f"  {r['name']}: {failure[:300]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
