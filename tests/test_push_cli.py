"""``flask push-keys``: a VAPID key pair into the instance folder (private key mode 600), or printed as
environment variables; the configuration reads the environment first, then the instance folder."""
from __future__ import annotations

import stat

from webapp import create_app
from webapp.services import push
from webapp.services.push import b64url_decode


def _runner(make_app, monkeypatch, folder):
    monkeypatch.setenv("INSTANCE_PATH", str(folder))
    return make_app().test_cli_runner()


def test_push_keys_prints_the_environment_variables(make_app, monkeypatch, tmp_path):
    tmp_path = tmp_path / "instance"
    result = _runner(make_app, monkeypatch, tmp_path).invoke(args=["push-keys", "--subject", "mailto:drift@example.org",
                                                                   "--print"])
    assert result.exit_code == 0, result.output
    values = dict(line.split("=", 1) for line in result.output.strip().splitlines())
    assert set(values) == {"VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "VAPID_SUBJECT"}
    assert len(b64url_decode(values["VAPID_PRIVATE_KEY"])) == 32
    assert len(b64url_decode(values["VAPID_PUBLIC_KEY"])) == 65
    assert values["VAPID_SUBJECT"] == "mailto:drift@example.org"
    assert not tmp_path.exists() or list(tmp_path.iterdir()) == []  # nothing written


def test_push_keys_writes_the_instance_folder_and_the_app_uses_them(make_app, monkeypatch, tmp_path):
    tmp_path = tmp_path / "instance"
    runner = _runner(make_app, monkeypatch, tmp_path)
    result = runner.invoke(args=["push-keys", "--subject", "mailto:drift@example.org"])
    assert result.exit_code == 0, result.output
    private = tmp_path / "vapid_private_key"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    public = (tmp_path / "vapid_public_key").read_text().strip()
    for name in ("VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "VAPID_SUBJECT", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite3")
    app = create_app()
    try:
        with app.app_context():
            assert push.is_configured() and push.public_key() == public
            assert push.keys().subject == "mailto:drift@example.org"
        # The environment comes first.
        private_env, public_env = push.generate_keys()
        monkeypatch.setenv("VAPID_PRIVATE_KEY", private_env)
        monkeypatch.setenv("VAPID_PUBLIC_KEY", public_env)
        second = create_app()
        with second.app_context():
            assert push.public_key() == public_env
        second.extensions["minsip_db"]["engine"].dispose()
    finally:
        app.extensions["minsip_db"]["engine"].dispose()


def test_push_keys_never_replaces_keys_by_accident(make_app, monkeypatch, tmp_path):
    tmp_path = tmp_path / "instance"
    runner = _runner(make_app, monkeypatch, tmp_path)
    runner.invoke(args=["push-keys", "--subject", "mailto:drift@example.org"])
    first = (tmp_path / "vapid_private_key").read_text()
    again = runner.invoke(args=["push-keys", "--subject", "mailto:drift@example.org"])
    assert again.exit_code != 0 and "--force" in again.output
    assert (tmp_path / "vapid_private_key").read_text() == first
    forced = runner.invoke(args=["push-keys", "--subject", "https://minsip.example.org/contact", "--force"])
    assert forced.exit_code == 0
    assert (tmp_path / "vapid_private_key").read_text() != first
    assert stat.S_IMODE((tmp_path / "vapid_private_key").stat().st_mode) == 0o600


def test_push_keys_needs_a_subject(make_app, monkeypatch, tmp_path):
    tmp_path = tmp_path / "instance"
    monkeypatch.delenv("VAPID_SUBJECT", raising=False)
    result = _runner(make_app, monkeypatch, tmp_path).invoke(args=["push-keys"])
    assert result.exit_code != 0 and "--subject mailto:" in result.output
    bad = _runner(make_app, monkeypatch, tmp_path).invoke(args=["push-keys", "--subject", "drift@example.org"])
    assert bad.exit_code != 0
