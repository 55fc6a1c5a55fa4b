"""A real OpenID Connect provider on loopback (npm oidc-provider, tests/oidc/provider.js) and the
[auth] section that points Streamlit's st.login at it."""

import json
import secrets
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from scripts.server import free_port

HERE = Path(__file__).resolve().parent.parent / "oidc"
CLIENT_ID = "sanqu-test"


def missing() -> str | None:
    """Why the provider cannot start (no node, packages not installed), or None."""
    if not shutil.which("node"):
        return "node is not installed (apt-get install nodejs)"
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        return "npm packages missing: npm ci --prefix tests/oidc"
    return None


class Provider:
    """The provider process and the settings of its one client (the app at `app_port`)."""

    def __init__(self, app_port: int, log: Path):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.redirect = f"http://127.0.0.1:{app_port}/oauth2callback"
        self.secret = secrets.token_urlsafe(24)
        args = ["node", str(HERE / "provider.js"), str(self.port), CLIENT_ID, self.secret, self.redirect]
        self._log = open(log, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(args, cwd=HERE, stdout=self._log, stderr=subprocess.STDOUT)
        for _ in range(80):
            try:
                with urllib.request.urlopen(self.issuer + "/.well-known/openid-configuration", timeout=1) as r:
                    assert json.load(r)["issuer"] == self.issuer
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.25)
        self.stop()
        raise RuntimeError("oidc-provider did not start: " + log.read_text(errors="replace"))

    def secrets_toml(self) -> str:
        """Streamlit's [auth] for this provider (what .streamlit/secrets.toml holds in production)."""
        return "\n".join(
            [
                "[auth]",
                f'redirect_uri = "{self.redirect}"',
                f'cookie_secret = "{secrets.token_urlsafe(32)}"',
                f'client_id = "{CLIENT_ID}"',
                f'client_secret = "{self.secret}"',
                f'server_metadata_url = "{self.issuer}/.well-known/openid-configuration"',
                # Streamlit asks for prompt=select_account unless told otherwise; oidc-provider
                # (as many providers) knows login, consent and none only
                'client_kwargs = { prompt = "login" }',
                "",
            ]
        )

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self._log.close()


def sign_in(page, login: str) -> None:
    """On the provider's own login form (reached from the app's 登录): the login name, any
    password, then its consent screen."""
    page.wait_for_selector("input[name='login']", timeout=30000)
    page.fill("input[name='login']", login)
    page.fill("input[name='password']", "any")
    page.click("button[type='submit']")
    page.wait_for_selector("button[type='submit']", timeout=30000)  # the consent form: Continue
    page.click("button[type='submit']")


def confirm_sign_out(page) -> None:
    """The provider's own sign-out confirmation (st.logout ends the provider's session too)."""
    page.click("button[name='logout'][value='yes']", timeout=30000)
