"""Registration, login, the login throttle and server-side sessions."""
from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import text
from webapp.extensions import db
from webapp.models import LoginAttempt, Role, User, UserSession

EN = {"Accept-Language": "en"}
GOOD_PASSWORD = "mossy granite lanterns"


def _register(client, **overrides):
    data = {"name": "Karin Persson", "email": "Karin@Example.org", "password": GOOD_PASSWORD, "language": "en"}
    data.update(overrides)
    return client.post("/register", data=data, headers=EN)


def test_a_citizen_registers_and_is_logged_in(app, client):
    response = _register(client)
    assert response.status_code == 303
    page = client.get("/", headers=EN)
    assert "Hello, Karin Persson" in text(page)
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == "karin@example.org")).one()
        assert user.role == Role.CITIZEN
        assert user.language == "en"
        assert user.password_hash.startswith("$argon2id$")
        assert GOOD_PASSWORD not in user.password_hash


def test_registration_refuses_a_short_password_and_keeps_what_was_typed(client):
    response = _register(client, password="short pass")
    assert response.status_code == 422
    page = text(response)
    assert "There is a problem" in page
    assert "Use at least 12 characters." in page
    body = response.get_data(as_text=True)
    assert 'value="Karin Persson"' in body and 'value="Karin@Example.org"' in body
    assert 'aria-invalid="true"' in body and 'aria-describedby="password-hint password-error"' in body


def test_registration_refuses_a_common_password(client):
    response = _register(client, password="password1234")
    assert response.status_code == 422
    assert "too common or too easy to guess" in text(response)


def test_registration_accepts_a_long_password_without_composition_rules(app, client):
    long_password = "a sentence that is long enough to be a passphrase " * 3
    assert len(long_password) > 64
    assert _register(client, password=long_password).status_code == 303


def test_registration_refuses_an_invalid_email(client):
    response = _register(client, email="karin@")
    assert response.status_code == 422
    assert "Enter an e-mail address in the form name@example.se." in text(response)


def test_registration_refuses_an_address_already_in_use(client, demo):
    response = _register(client, email="ANNA@example.org")
    assert response.status_code == 422
    assert "There is already an account with this e-mail address" in text(response)


def test_registration_requires_every_field(client):
    response = client.post("/register", data={}, headers=EN)
    assert response.status_code == 422
    page = text(response)
    assert "Enter your name." in page and "Enter your e-mail address." in page and "Choose a password." in page


def test_login_and_logout(client, auth, demo):
    response = auth.login()
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "Anna Andersson" in text(client.get("/"))
    assert auth.logout().status_code == 303
    assert client.get("/account").status_code == 302


def test_login_with_a_wrong_password_says_so_without_telling_which_part(client, demo):
    response = client.post("/login", data={"email": "anna@example.org", "password": "not the password"}, headers=EN)
    assert response.status_code == 422
    assert "The e-mail address or the password is not right." in text(response)
    assert 'value="anna@example.org"' in response.get_data(as_text=True)


def test_login_goes_back_to_the_page_asked_for_but_never_to_another_site(client, auth, demo):
    assert client.get("/account").headers["Location"] == "/login?next=/account"
    response = client.post("/login?next=/account", data={"email": "anna@example.org", "password": "sip-demo-password"})
    assert response.headers["Location"] == "/account"
    auth.logout()
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        response = client.post("/login", data={"email": "anna@example.org", "password": "sip-demo-password",
                                                "next": evil})
        assert response.headers["Location"] == "/", evil
        auth.logout()


def test_ten_failures_lock_that_account_from_that_address_only(app, client, auth, demo, clock):
    for _ in range(10):
        assert auth.login(password="wrong password here", headers=EN).status_code == 422
    blocked = auth.login(headers=EN)  # even the right password
    assert blocked.status_code == 429
    assert "You have tried to log in too many times" in text(blocked)
    # Another address, and another account from the same address, are not affected.
    other_ip = app.test_client().post("/login", data={"email": "anna@example.org", "password": "sip-demo-password"},
                           environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other_ip.status_code == 303
    other_client = app.test_client()
    assert other_client.post("/login", data={"email": "erik@example.org",
                                             "password": "sip-demo-password"}).status_code == 303
    # After 15 minutes the account can be tried again from the first address.
    clock.advance(minutes=16)
    assert auth.login().status_code == 303


def test_nine_failures_then_success_resets_the_count(client, auth, demo, clock):
    for _ in range(9):
        auth.login(password="wrong password here")
    assert auth.login().status_code == 303
    auth.logout()
    for _ in range(9):
        auth.login(password="wrong password here")
    assert auth.login().status_code == 303


def test_attempts_are_recorded(app, auth, demo):
    auth.login(password="wrong password here")
    auth.login()
    with app.app_context():
        attempts = db.session.scalars(sa.select(LoginAttempt).order_by(LoginAttempt.id)).all()
        assert [(a.email, a.success) for a in attempts] == [("anna@example.org", False), ("anna@example.org", True)]


def _session_cookie(client):
    return client.get_cookie("minsip").value


def test_logout_invalidates_the_session_on_the_server(app, client, auth, demo):
    auth.login()
    old_cookie = _session_cookie(client)
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("minsip", old_cookie)
    assert replay.get("/account").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(UserSession.revoked_at.is_(None))) == 0


def test_password_change_ends_every_other_session(app, client, auth, demo):
    auth.login()
    other_device = app.test_client()
    AuthHelper = type(auth)
    AuthHelper(other_device).login()
    old_cookie = _session_cookie(client)
    response = client.post("/account/password", data={
        "password-current_password": "sip-demo-password", "password-new_password": GOOD_PASSWORD,
    })
    assert response.status_code == 303
    assert client.get("/account").status_code == 200  # this browser got a new session
    assert other_device.get("/account").status_code == 302
    replay = app.test_client()
    replay.set_cookie("minsip", old_cookie)
    assert replay.get("/account").status_code == 302
    auth.logout()
    assert auth.login(password=GOOD_PASSWORD).status_code == 303


def test_password_change_needs_the_current_password(client, auth, demo):
    auth.login()
    response = client.post("/account/password", data={
        "password-current_password": "wrong one", "password-new_password": GOOD_PASSWORD,
    })
    assert response.status_code == 422
    assert "The current password is not right." in text(response)


def test_idle_timeout_of_30_minutes(client, auth, demo, clock):
    auth.login()
    clock.advance(minutes=29)
    assert client.get("/account").status_code == 200
    clock.advance(minutes=29)  # active a moment ago: still logged in
    assert client.get("/account").status_code == 200
    clock.advance(minutes=31)
    assert client.get("/account").status_code == 302


def test_absolute_timeout_of_12_hours(client, auth, demo, clock):
    auth.login()
    for _ in range(25):  # active every 29 minutes for just over 12 hours
        clock.advance(minutes=29)
        response = client.get("/account")
    assert response.status_code == 302


def test_authenticated_pages_are_not_stored(client, auth, demo):
    auth.login()
    assert client.get("/account").headers["Cache-Control"] == "no-store"


def test_profile_change_saves_name_and_language(app, client, auth, demo):
    auth.login(english=False)
    response = client.post("/account/profile", data={"profile-name": "Anna B. Andersson", "profile-language": "ar"})
    assert response.status_code == 303
    page = client.get("/account").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in page
    with app.app_context():
        assert db.session.get(User, demo["anna"].id).name == "Anna B. Andersson"


def test_profile_change_refuses_an_empty_name(client, auth, demo):
    auth.login()
    response = client.post("/account/profile", data={"profile-name": " ", "profile-language": "en"})
    assert response.status_code == 422


def test_nul_characters_are_dropped_from_what_is_typed(app, client, auth, demo):
    # Nobody types NUL, and PostgreSQL refuses it in text: the rest of the answer is kept.
    auth.login()
    response = client.post("/account/profile", data={"profile-name": "Anna\x00 Andersson\x00",
                                                     "profile-language": "en"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(User, demo["anna"].id).name == "Anna Andersson"
