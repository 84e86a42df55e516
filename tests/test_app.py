"""The application factory, its configuration and the health check."""
from __future__ import annotations

import stat

import pytest

from webapp import create_app as _create_app

_built = []


def create_app(*args, **kwargs):
    """The factory, remembering each app so that its engine is closed after the test."""
    app = _create_app(*args, **kwargs)
    _built.append(app)
    return app


@pytest.fixture(autouse=True)
def _dispose_engines():
    yield
    while _built:
        _built.pop().extensions["minsip_db"]["engine"].dispose()


def test_healthz_answers_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_says_unavailable_when_the_database_is_not(tmp_path, monkeypatch):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SERVER_NAME": "localhost",
                      "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite3")
    first = create_app()
    second = create_app()
    secret_file = tmp_path / "secret_key"
    assert secret_file.read_text().strip() == first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 48
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


def test_secret_key_and_database_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/minsip")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert str(app.extensions["minsip_db"]["engine"].url).startswith("postgresql+psycopg://u@db.example/minsip")
    assert not (tmp_path / "secret_key").exists()


def test_an_empty_secret_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("")
    with pytest.raises(RuntimeError, match="empty"):
        create_app()


def test_production_cookies_are_secure_httponly_and_lax(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("COOKIE_SECURE", raising=False)
    monkeypatch.setenv("MINSIP_ENV", "production")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_missing_compiled_catalogue_fails_fast(tmp_path):
    with pytest.raises(RuntimeError, match="make translations"):
        create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://", "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path)})


def test_unknown_page_is_a_friendly_translated_404(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Page not found" in body
    assert "Traceback" not in body


def test_unexpected_error_is_a_friendly_500_without_a_stack_trace(app):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals")

    from webapp.services import policy
    policy.PUBLIC_ENDPOINTS = policy.PUBLIC_ENDPOINTS | {"boom"}
    try:
        response = app.test_client().get("/boom-for-test", headers={"Accept-Language": "en"})
    finally:
        policy.PUBLIC_ENDPOINTS = policy.PUBLIC_ENDPOINTS - {"boom"}
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong on our side" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_ping_touches_nothing(app, client):
    from sqlalchemy import event

    statements = []
    engine = app.extensions["minsip_db"]["engine"]
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    response = client.get("/ping")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok\n"
    assert statements == [] and "Set-Cookie" not in response.headers
