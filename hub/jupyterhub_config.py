"""The class hub on one machine: `make hub` runs `jupyterhub -f hub/jupyterhub_config.py`, as root.

Students sign up on the hub's login page; the instructor (COURSE_HUB_ADMIN) approves them at
/hub/authorize, which creates their own system account `jupyter-<name>` (The Littlest JupyterHub's
model), and sees who is running at /hub/admin. Each student's server runs the course's own .venv as
that account, in their folder COURSE_HUB_STATE/users/<name> (theirs, mode 700). Settings come from
environment variables (README.md, "Class hub"); the tests override the authenticator on the command line.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # JupyterHub loads this file by path; the rest of hub/ is a package

import jupyterhub  # noqa: E402 - after the path is set

from hub import safety  # noqa: E402
from hub.accounts import SAFE_NAME  # noqa: E402

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file
env = os.environ.get
BIN = Path(sys.executable).parent  # the students' course environment (.hub-venv), JupyterHub's too
STATE = Path(env("COURSE_HUB_STATE", ROOT / ".hub")).resolve()
REPO = env("COURSE_REPO_URL", "")

# Root, as The Littlest JupyterHub runs: only root can start each student's server as that student.
if os.geteuid() != 0:
    sys.exit("The class hub runs as root, so that each student's server runs as the student's own "
             "account and no student can reach another's files (README.md, \"Class hub\"): "
             "run `sudo make hub`.")
os.umask(0o077)  # whatever the hub writes from now on (database, journal, logs) is root's alone
safety.tighten_state(STATE)
open_to_others = safety.writable_by_others([Path(__file__).resolve(), ROOT / "hub", ROOT / "after_mosul", BIN,
                                            Path(jupyterhub.__file__).parent.parent])  # site-packages
if open_to_others:
    sys.exit("Accounts other than root could change the hub's configuration or the course environment: "
             + ", ".join(map(str, open_to_others)) + ". Make them root's and not group- or world-writable.")
closed = safety.closed_to_others([Path(sys.executable), ROOT / "hub"])
if closed:
    sys.exit(f"Students' servers could not run {sys.executable}: other accounts cannot pass through "
             + ", ".join(map(str, closed)) + ". Run the hub from the students' environment, .hub-venv "
             "(`make hub` makes it from /usr/bin/python3).")

# Where it listens. Loopback by default; beyond it, HTTPS (or an acknowledged trusted network).
c.JupyterHub.ip = env("COURSE_HUB_IP", "127.0.0.1")
refusal = safety.serving_refusal(c.JupyterHub.ip, env("COURSE_HUB_SSL_CERT", ""), env("COURSE_HUB_SSL_KEY", ""),
                                 env(safety.TRUSTED_NETWORK, ""))
if refusal:
    sys.exit(refusal)
c.JupyterHub.port = int(env("COURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("COURSE_HUB_API_PORT", "8081"))
if env("COURSE_HUB_SSL_CERT"):
    c.JupyterHub.ssl_cert = env("COURSE_HUB_SSL_CERT")
    c.JupyterHub.ssl_key = env("COURSE_HUB_SSL_KEY")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")

# configurable-http-proxy from the project's package-lock.json, its API on loopback.
c.ConfigurableHTTPProxy.command = [str(ROOT / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('COURSE_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# Sign-up with the instructor's approval (NativeAuthenticator; approving creates the account).
c.JupyterHub.authenticator_class = "hub.course_hub.CourseAuthenticator"
c.CourseAuthenticator.users_dir = str(STATE / "users")
c.NativeAuthenticator.open_signup = False
c.NativeAuthenticator.minimum_password_length = 10
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 60
c.Authenticator.allow_all = True  # NativeAuthenticator lets in only the users the instructor approved
c.Authenticator.admin_users = {env("COURSE_HUB_ADMIN", "instructor")}
c.Authenticator.username_pattern = SAFE_NAME.pattern

# Each student's server: the course .venv, as the student's account, on loopback, in their own folder.
c.JupyterHub.spawner_class = "hub.course_hub.CourseSpawner"
c.CourseSpawner.users_dir = str(STATE / "users")
c.CourseSpawner.course_repo_url = REPO
# jupyterhub-singleuser, started faster (hub/singleuser.py); -P: never import from the student's home
c.Spawner.cmd = [str(BIN / "python"), "-P", "-m", "hub.singleuser"]
c.Spawner.ip = "127.0.0.1"
# Server extensions a student uses. nbgitpuller only through hub/safe_puller.py, which pulls nothing
# without COURSE_REPO_URL and then only that repository (a link gets a sentence saying why not).
# Language servers (jupyter_lsp) and the classic notebook's shim are not loaded: no student uses them.
EXTENSIONS = {"jupyterlab": True, "jupyter_server_terminals": True, "nbgitpuller": False,
              "hub.safe_puller": True, "jupyter_lsp": False, "notebook_shim": False}
# A taken port fails the start instead of the server moving to a port the hub does not know.
# Kernels talk to their server over Unix sockets in the student's own runtime folder, not loopback TCP
# ports: any account could subscribe to a kernel's output channel there (it needs no key), and with
# thirty servers starting kernels at once, a port picked free was sometimes taken before the kernel bound it.
c.Spawner.args = ["--ServerApp.port_retries=0", "--KernelManager.transport=ipc"] + [
    f"--ServerApp.jpserver_extensions={name}={on}" for name, on in EXTENSIONS.items()]
c.Spawner.environment = {"PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                         "COURSE_REPO_URL": REPO}
c.Spawner.default_url = "/lab/tree/exercises"
c.Spawner.start_timeout = 180  # thirty students starting at once on two cores: see `make hub-benchmark`
c.Spawner.http_timeout = 180
c.CourseSpawner.interrupt_timeout = 1  # jupyter-server waits for a second Ctrl-C; SIGTERM stops it cleanly

# A full hub says so instead of slowing everyone down (instructor's guide, "When the hub is full").
c.JupyterHub.active_server_limit = int(env("COURSE_HUB_MAX_SERVERS", "30"))
c.JupyterHub.concurrent_spawn_limit = int(env("COURSE_HUB_MAX_STARTING", "30"))

# Stop servers idle for COURSE_HUB_IDLE_TIMEOUT seconds (files stay; the next login starts afresh).
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={env('COURSE_HUB_IDLE_TIMEOUT', '3600')}",
                f"--cull-every={env('COURSE_HUB_CULL_EVERY', '300')}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
