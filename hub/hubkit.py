"""Drive the class hub as students do: log in, start a server, run notebooks through the kernel API.

Shared by the tests in tests/integration/ and hub/benchmark.py. Loopback only: every URL is
http://127.0.0.1. Runs as root, as the hub does: each student gets a real system account.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import signal
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import psutil
import requests
import websocket

from hub.accounts import remove_account, system_name

HERE = Path(__file__).resolve().parent
BIN = HERE.parent / ".hub-venv" / "bin"  # the students' environment (`make hub-setup`), the hub's too
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class HubError(RuntimeError):
    """The hub or a student's server did not do what a student needed."""


@contextmanager
def accounts_removed(usernames):
    """On exit, even after a failure: end the processes of these students' accounts, then remove them."""
    try:
        yield
    finally:
        for name in usernames:
            try:
                uid = pwd.getpwnam(system_name(name)).pw_uid
            except KeyError:
                continue
            left = [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid]
            for process in left:
                process.kill()
            psutil.wait_procs(left, timeout=10)
            remove_account(name)


@contextmanager
def running_hub(state: Path, *args: str, timeout: float = 90, env: dict | None = None, attempts: int = 3):
    """Start the project's hub (hub/jupyterhub_config.py) on free loopback ports; stop it all on exit.

    Yields (the hub's public URL, the hub's process id). Its log is state/hub.log. Every folder above
    `state` must let others pass (as /tmp does), so that students reach their homes in state/users/. JupyterHub gives
    the proxy 10 s to start; on a machine loaded enough to miss that, the hub exits and is started again.
    """
    state.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, attempts + 1):
        process, url = start_hub(state, args, env)
        try:
            if wait_for_hub(process, url, state, timeout, retry=attempt < attempts):
                yield url, process.pid
                return
        finally:
            stop_process_group(process)


def start_hub(state: Path, args, env: dict | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    environ = {**os.environ, **(env or {}), "COURSE_HUB_STATE": str(state), "COURSE_HUB_PORT": str(port),
               "COURSE_HUB_API_PORT": str(free_port()), "COURSE_HUB_PROXY_API_PORT": str(free_port()),
               "COURSE_HUB_IP": LOOPBACK}
    with open(state / "hub.log", "ab") as log:
        process = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(HERE / "jupyterhub_config.py"), *args],
                                   cwd=state, env=environ, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    return process, f"http://{LOOPBACK}:{port}"


def wait_for_hub(process: subprocess.Popen, url: str, state: Path, timeout: float, retry: bool) -> bool:
    """True once the hub answers; False if it gave up on a slow proxy and may be retried."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            if retry and "Failed to start proxy" in (state / "hub.log").read_text(errors="replace"):
                (state / "hub.log").rename(state / f"hub-{time.time():.0f}.log")
                return False
            raise HubError(f"The hub exited with code {process.returncode}; see {state / 'hub.log'}")
        try:
            if requests.get(f"{url}/hub/api", timeout=5).ok:
                return True
        except requests.RequestException:  # not listening yet, or too busy to answer in time
            pass
        if time.monotonic() > deadline:
            raise HubError(f"The hub did not answer within {timeout:.0f} s; see {state / 'hub.log'}")
        time.sleep(0.2)


def stop_process_group(process: subprocess.Popen, grace: float = 20) -> None:
    """SIGTERM the hub (it stops the servers and the proxy), then kill whatever its group left."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


class Student:
    """One hub user with a browser-like session (cookies) and an API token of their own."""

    def __init__(self, hub_url: str, name: str, password: str):
        self.hub_url, self.name, self.password = hub_url, name, password
        self.session = requests.Session()
        self.token = ""

    @property
    def server_url(self) -> str:
        return f"{self.hub_url}/user/{self.name}"

    def api_headers(self) -> dict:
        return {"Authorization": f"token {self.token}"}

    def login(self) -> None:
        """Log in through the hub's form, as a browser does, then make an API token as this user."""
        page = self.session.get(f"{self.hub_url}/hub/login", timeout=120)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        form = {"username": self.name, "password": self.password, "_xsrf": xsrf.group(1) if xsrf else ""}
        reply = self.session.post(f"{self.hub_url}/hub/login", data=form, allow_redirects=False, timeout=120)
        if reply.status_code != 302 or "login" in reply.headers.get("Location", "/hub/login").rsplit("/", 1)[-1]:
            raise HubError(f"{self.name} could not log in (HTTP {reply.status_code}).")
        reply = self.session.post(f"{self.hub_url}/hub/api/users/{self.name}/tokens",
                                  headers={"X-XSRFToken": self.session.cookies.get("_xsrf", "")},
                                  json={"note": "course hub client"}, timeout=120)
        if reply.status_code != 201:
            raise HubError(f"{self.name} could not make an API token (HTTP {reply.status_code}).")
        self.token = reply.json()["token"]

    def hub_api(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.hub_url}/hub/api{path}", headers=self.api_headers(),
                                timeout=kwargs.pop("timeout", 120), **kwargs)

    def start_server(self, timeout: float = 180) -> float:
        """Ask the hub for this student's server; seconds until it answers through the proxy."""
        start = time.monotonic()
        reply = self.hub_api("POST", f"/users/{self.name}/server")
        if reply.status_code not in (201, 202, 400):  # 400: already running
            raise HubError(f"The hub refused to start {self.name}'s server (HTTP {reply.status_code}): "
                           f"{reply.text[:200]}")
        while time.monotonic() - start < timeout:
            servers = self.hub_api("GET", f"/users/{self.name}").json().get("servers", {})
            if "" not in servers:
                raise HubError(f"The hub gave up starting {self.name}'s server (see its log).")
            if servers[""].get("ready"):
                status = requests.get(f"{self.server_url}/api/status", headers=self.api_headers(), timeout=120)
                if status.ok:
                    return time.monotonic() - start
            time.sleep(1)  # thirty students polling faster slow the hub down for everyone
        raise HubError(f"{self.name}'s server was not ready within {timeout:.0f} s.")

    def stop_server(self, timeout: float = 60) -> None:
        self.hub_api("DELETE", f"/users/{self.name}/server")
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if not self.hub_api("GET", f"/users/{self.name}").json().get("servers"):
                return
            time.sleep(0.25)
        raise HubError(f"{self.name}'s server did not stop within {timeout:.0f} s.")

    def contents(self, path: str) -> requests.Response:
        return requests.get(f"{self.server_url}/api/contents/{path}", headers=self.api_headers(), timeout=120)

    def run_notebook(self, path: str, timeout: float = 300) -> tuple[float, list[str]]:
        """Run every code cell of `path` (in the student's folder) in a new kernel, as Lab does.

        Returns (seconds, problems): each error output, stderr text or failed cell, in cell order.
        """
        reply = self.contents(path)
        if not reply.ok:
            raise HubError(f"{self.name} cannot open {path} (HTTP {reply.status_code}).")
        cells = [c for c in reply.json()["content"]["cells"] if c["cell_type"] == "code"]
        start = time.monotonic()
        problems = []
        with self.kernel(path, timeout) as channel:
            for number, cell in enumerate(cells, 1):
                source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                problems += [f"cell {number}: {p}" for p in execute(channel, source, start + timeout)[0]]
        return time.monotonic() - start, problems

    def run_code(self, code: str, timeout: float = 120) -> str:
        """What `code` prints in a new kernel of this student's server; HubError if it fails."""
        with self.kernel("scratch.ipynb", timeout) as channel:
            problems, printed = execute(channel, code, time.monotonic() + timeout)
        if problems:
            raise HubError(f"{self.name}'s code failed: {problems}")
        return printed

    @contextmanager
    def kernel(self, path: str, timeout: float):
        """A websocket to a new kernel for `path`, as Lab opens one; the session is deleted on exit."""
        session = requests.post(f"{self.server_url}/api/sessions", headers=self.api_headers(), timeout=120,
                                json={"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}})
        if session.status_code != 201:
            raise HubError(f"{self.name} could not start a kernel for {path} (HTTP {session.status_code}).")
        session = session.json()
        ws_url = self.server_url.replace("http://", "ws://") + f"/api/kernels/{session['kernel']['id']}/channels"
        try:
            channel = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"],
                                                  timeout=timeout)
            try:
                yield channel
            finally:
                channel.close()
        finally:
            requests.delete(f"{self.server_url}/api/sessions/{session['id']}", headers=self.api_headers(),
                            timeout=120)


def execute(channel: websocket.WebSocket, code: str, deadline: float) -> tuple[list[str], str]:
    """Send one execute_request; collect error outputs and stderr, and stdout, until the kernel is idle."""
    msg_id = uuid.uuid4().hex
    channel.send(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "student",
                   "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))
    problems, printed, replied, idle = [], [], False, False
    while not (replied and idle):
        if time.monotonic() > deadline:
            return problems + ["timed out"], "".join(printed)
        message = json.loads(channel.recv())
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "error":
            problems.append(f"{content['ename']}: {content['evalue']}")
        elif kind == "stream" and content.get("name") == "stderr":
            # one print may arrive in several messages on a busy machine: they make one problem
            if problems and problems[-1].startswith("stderr: "):
                problems[-1] = (problems[-1] + content["text"])[:308]
            else:
                problems.append(f"stderr: {content['text'][:300]}")
        elif kind == "stream":
            printed.append(content["text"])
        elif kind == "execute_reply":
            replied = True
            if content.get("status") != "ok" and not any(p for p in problems):
                problems.append(f"execute_reply status {content.get('status')}")
        elif kind == "status" and content.get("execution_state") == "idle":
            idle = True
    return problems, "".join(printed)
