"""Hostile input: every text field of every form, as each kind of user, in Swedish and English.

Long, empty, control-character, right-to-left-override, HTML and script payloads (Hypothesis): never a
500, and nothing reflected unescaped. Stored payloads are shown escaped everywhere, PDF and .ics too.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.form_crawler import forms_on
from tests.security_walk import argument_values, example_url

SCRIPT = "<script>alert('x')</script>"
PAYLOADS = st.one_of(
    st.just(""),
    st.just(" " * 3),
    st.just(SCRIPT),
    st.just('"><img src=x onerror=alert(1)>'),
    st.just("\u202eevil\u202c عربي ‏שלום"),
    st.just("' OR 1=1; DROP TABLE users; --"),
    st.just("x" * 20_000),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), min_size=1, max_size=20),
    st.builds(lambda s: f"{SCRIPT}{s}", st.text(max_size=20)),
)

#: Forms whose success ends the test user's session or account: fuzzed, but in a client of their own.
ENDS_SESSION = ("/logout", "/privacy/my-data/delete", "/account/password")


def _wizard_forms(app, client):
    """The request form's pages open one after the other: answer each, collect the next one's form."""
    from tests.request_fixtures import answers

    found = []
    client.post("/ask/restart")
    for step, data in answers(app):
        page = client.get(f"/ask/{step}")
        if page.status_code == 200:
            found += forms_on(f"/ask/{step}", page.get_data(as_text=True))
        page.close()
        client.post(f"/ask/{step}", data=data)
    check = client.get("/ask/check")
    found += forms_on("/ask/check", check.get_data(as_text=True))
    check.close()
    return found


def _forms_for(app, client, citizen=False):
    """Every POST form on every page the logged-in client can open."""
    with app.test_request_context():
        values = argument_values()
        urls = sorted({example_url(rule, values) for rule in app.url_map.iter_rules()
                       if "GET" in rule.methods and not rule.arguments - set(values) and rule.endpoint != "static"})
    found = {}
    pages = [(url, None) for url in urls]
    if citizen:
        pages += [(form.action, form) for form in _wizard_forms(app, client)]
    for url, ready in pages:
        if ready is not None:
            if ready.text_fields:
                found.setdefault(ready.key, ready)
            continue
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            for form in forms_on(url, response.get_data(as_text=True)):
                if form.text_fields and form.action not in ENDS_SESSION and "/language" not in form.action:
                    found.setdefault(form.key, form)
        response.close()
    return list(found.values())


@pytest.mark.slow
@pytest.mark.parametrize("who", ["anna", "erik", "sara", "admin", None])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_hostile_input_on_every_form_field(app, demo, auth, client, who, language):
    if who:
        type(auth)(client).login(who, english=False)
    client.post("/language", data={"lang-language": language, "next": "/"})
    forms = _forms_for(app, client, citizen=who in ("anna", "erik"))
    assert forms, "no forms found"
    fields = [(form, name) for form in forms for name in form.text_fields]

    @settings(max_examples=max(40, 3 * len(fields)), deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(target=st.sampled_from(fields), payload=PAYLOADS)
    def fuzz(target, payload):
        form, name = target
        response = client.post(form.action, data={**form.fields, name: payload})
        body = response.get_data(as_text=True)
        response.close()
        assert response.status_code < 500, (form.action, name, payload[:80], response.status_code)
        assert SCRIPT not in body, (form.action, name)
        assert "onerror=alert(1)>" not in body, (form.action, name)

    fuzz()
