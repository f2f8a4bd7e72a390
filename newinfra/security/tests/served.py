"""A platform served by gunicorn with several worker processes on its own file SQLite database.

Used by the tests that need real concurrency (several processes writing one SQLite file, an upload
holding a worker while another request is answered).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from newinfra.conftest import CLI, free_port

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Served:
    url: str
    var: Path
    env: dict

    def request(self, method: str, path: str, body=None, token: str = "", timeout: float = 30):
        """(status, parsed JSON or text) of one API call."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Token {token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def token(self, username: str, password: str = "newinfra2026") -> str:
        status, body = self.request("POST", "/api/auth/token/", {"username": username, "password": password})
        assert status == 200, body
        return body["token"]

    def manage(self, *args: str) -> str:
        out = subprocess.run(
            CLI + ["manage", *args], env=self.env, check=True, capture_output=True, text=True, cwd=ROOT
        )
        return out.stdout


def serve(var: Path, workers: int = 4, extra_env: dict | None = None):
    """Migrate and seed a fresh database in ``var``, then start gunicorn; yields a ``Served``."""
    env = {**os.environ, "NEWINFRA_VAR": str(var), "NEWINFRA_TESTING": "1", **(extra_env or {})}
    env.pop("DATABASE_URL", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    for step in (["migrate"], ["seed-demo"]):
        subprocess.run(CLI + step, env=env, check=True, capture_output=True, cwd=ROOT)
    port = free_port()
    server = subprocess.Popen(
        [
            GUNICORN,
            "newinfra.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        raise RuntimeError("the platform did not start")
    try:
        yield Served(url, var, env)
    finally:
        server.terminate()
        server.wait(timeout=20)
