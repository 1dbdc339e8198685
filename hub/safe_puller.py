"""nbgitpuller, restricted: only the course repository, only into a plain folder of the student's home.

The hub loads this server extension in each student's server instead of nbgitpuller's own, and only
when COURSE_REPO_URL is set (jupyterhub_config.py). A link naming another repository, or a target
that is absolute, climbs with `..`, or starts with a dot (such as `.ipython`), gets a sentence the
student can read, and nothing is cloned or written.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import PurePosixPath

ALLOWED_REPO = "COURSE_REPO_URL"  # the environment variable the hub gives each student's server


def pull_refusal(repo: str, targetpath: str | None, allowed: str) -> str | None:
    """Why this pull is refused, as a sentence for the student; None if it may go ahead."""
    if not allowed:
        return "This hub does not pull course material from links: ask your instructor for the notebooks."
    if repo.rstrip("/") != allowed.rstrip("/"):
        return (f"This link pulls from {repo!r}, but this hub only pulls the course repository "
                f"{allowed!r}: ask your instructor for the right link.")
    target = repo.rstrip("/").split("/")[-1] if targetpath is None else targetpath
    parts = PurePosixPath(target).parts
    if (not target or "\\" in target or "\0" in target or target.startswith(("/", "~"))
            or any(part in ("..", ".") or part.startswith(".") for part in parts)):
        return (f"This link would put the course in {target!r}: the hub only puts it in a plain folder of "
                "your home (no '/' or '~' at the start, no '..', no name starting with a dot).")
    return None


def _jupyter_server_extension_points():
    return [{"module": "hub.safe_puller"}]


def _load_jupyter_server_extension(app):
    """Register nbgitpuller's pages at nbgitpuller's addresses, each checking the link first."""
    from jupyter_server.utils import url_path_join
    from nbgitpuller._compat import get_base_handler
    from tornado import web

    get_base_handler(app)
    from nbgitpuller.handlers import SyncHandler, UIHandler

    class Checked:
        """Refuses a link pull_refusal objects to (HTTP 400 and the sentence), before nbgitpuller sees it."""

        @web.authenticated
        async def get(self):
            refusal = pull_refusal(self.get_argument("repo", ""), self.get_argument("targetpath", None),
                                   os.environ.get(ALLOWED_REPO, ""))
            if refusal:
                self.set_status(400)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(f"<!doctype html><title>Link refused</title><p>{escape(refusal)}</p>")
                return
            await super().get()

    class CheckedSync(Checked, SyncHandler):
        pass

    class CheckedUI(Checked, UIHandler):
        pass

    base = url_path_join(app.web_app.settings["base_url"], "git-pull")
    app.web_app.settings["nbapp"] = app
    app.web_app.add_handlers(".*", [(url_path_join(base, "api"), CheckedSync), (base, CheckedUI)])
