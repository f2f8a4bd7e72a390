"""Production settings pass Django's deployment checks, and the schema has no loose ends."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

CLI = str(Path(sys.executable).with_name("newinfra"))


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "NEWINFRA_VAR": str(tmp_path),
        "DEBUG": "0",
        "NEWINFRA_HTTPS": "1",
        "ALLOWED_HOSTS": "newinfra.example.gov.cn",
        "SECRET_KEY": secrets.token_urlsafe(60),
    }
    env.pop("NEWINFRA_TESTING", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for this test process by the browser fixture
    result = subprocess.run(
        [CLI, "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_secret_key_is_generated_once_into_var(tmp_path):
    env = {**os.environ, "NEWINFRA_VAR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    for _ in range(2):
        subprocess.run([CLI, "manage", "check"], env=env, check=True, capture_output=True)
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50 and oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
