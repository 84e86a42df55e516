"""The SIP request form's pages: their choices, their saved answers, and the "check your answers" rows.

Kept apart from the blueprint so that the view functions stay thin.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.forms import requests as forms
from webapp.models import InterpreterMode, PlacePreference, StartPath
from webapp.services import contacts as contact_service
from webapp.services import directory, interpreter_languages
from webapp.services import request_drafts as drafts
from webapp.services import requests as request_service
from webapp.views.labels import INTERPRETER_MODES, PLACE_PREFERENCES, START_PATHS

FORMS = {
    "for_whom": forms.ForWhomForm,
    "about_them": forms.AboutThemForm,
    "purpose": forms.PurposeForm,
    "start": forms.StartForm,
    "organisations": forms.OrganisationsForm,
    "contacts": forms.ContactsForm,
    "place": forms.PlaceForm,
    "interpreter": forms.InterpreterForm,
    "interpreter_details": forms.InterpreterDetailsForm,
    "accessibility": forms.AccessibilityForm,
}

#: The page titles (and the "check your answers" questions).
QUESTIONS = {
    "for_whom": _l("Who is the SIP for?"),
    "about_them": _l("About the person"),
    "purpose": _l("What do you want help with?"),
    "start": _l("How did the need start?"),
    "organisations": _l("Which organisations should receive your request?"),
    "contacts": _l("Who from your contact map should be invited?"),
    "place": _l("Where would you like to meet?"),
    "interpreter": _l("Do you need an interpreter?"),
    "interpreter_details": _l("The interpreter"),
    "accessibility": _l("Accessibility needs"),
}

AWARENESS = {
    "agrees": _l("Yes, they know and agree"),
    "informed": _l("They know, but have not said yes yet"),
    "not_informed": _l("No, they do not know yet"),
}

NEEDS = {
    "hearing_loop": _l("A hearing loop"),
    "step_free": _l("Step-free access, no stairs"),
    "easy_read": _l("Easy-to-read text"),
    "other": _l("Something else"),
}

YES_NO = {"yes": _l("Yes"), "no": _l("No")}


def _organisation_label(organisation) -> str:
    return ", ".join(part for part in (organisation.name, organisation.part_of) if part)


def _contact_label(contact) -> str:
    return ", ".join(part for part in (contact.name, contact.role_title, contact.organisation_label) if part)


def configure(form, step: str) -> dict:
    """Set the choices of ``step``'s form; returns extra values its template needs."""
    extra: dict = {}
    if step == "for_whom":
        people = request_service.people_to_ask_for(current_user)
        form.choice.choices = [(drafts.SELF, _("Myself"))] + [
            (f"{drafts.PERSON_PREFIX}{person.id}", _("%(name)s, who lets me ask on their behalf", name=person.name))
            for person in people
        ] + [(drafts.OTHER, _("Someone else, who does not use Min SIP"))]
    elif step == "about_them":
        form.awareness.choices = list(AWARENESS.items())
    elif step == "start":
        form.path.choices = [(path.value, START_PATHS[path]) for path in StartPath]
        extra["hints"] = {
            StartPath.HOME.value: _("You, a relative or staff have seen that you need help from several places."),
            StartPath.DISCHARGE.value: _("You are in hospital and will need help from both the municipality and "
                                         "the region at home. Give the date below."),
        }
    elif step == "organisations":
        form.ids.choices = [(org.id, _organisation_label(org)) for org in directory.principal_organisations()]
    elif step == "contacts":
        choices = request_service.contact_choices(current_user)
        form.ids.choices = [(contact.id, _contact_label(contact)) for contact in choices]
        extra["has_contacts"] = bool(choices)
    elif step == "place":
        form.place.choices = [(place.value, PLACE_PREFERENCES[place]) for place in PlacePreference]
    elif step == "interpreter":
        form.needed.choices = list(YES_NO.items())
    elif step == "interpreter_details":
        form.mode.choices = [(mode.value, INTERPRETER_MODES[mode]) for mode in InterpreterMode]
        extra["language_groups"] = [
            (_("Sign languages"), interpreter_languages.sign_languages()),
            (_("Spoken languages"), interpreter_languages.spoken_languages()),
        ]
    elif step == "accessibility":
        form.needs.choices = list(NEEDS.items())
    return extra


def initial_data(step: str, data: dict) -> dict:
    """What the page shows before it is answered: the saved answers, or a suggestion.

    Someone using Min SIP in another language than Swedish is asked with "yes, an interpreter" and
    their language already chosen; both can be changed (an interpreter is always booked when the
    person cannot talk in Swedish, seed 002, step 2).
    """
    saved = dict(data.get(step, {}))
    if step == "start" and saved.get("discharge_date"):
        saved["discharge_date"] = date.fromisoformat(saved["discharge_date"])
    if saved:
        return saved
    suggested = interpreter_languages.preferred_for(current_user.language)
    if step == "interpreter" and suggested:
        return {"needed": "yes"}
    if step == "interpreter_details" and suggested:
        return {"language": suggested}
    return {}


def answers_of(form) -> dict:
    """A page's answers as the draft keeps them (JSON: text, numbers, ISO dates)."""
    answers = {name: value for name, value in form.data.items() if name != "csrf_token"}
    if isinstance(answers.get("discharge_date"), date):
        answers["discharge_date"] = answers["discharge_date"].isoformat()
    if answers.get("discharge_date") is None and "discharge_date" in answers:
        answers["discharge_date"] = ""
    if answers.get("path") == StartPath.HOME.value:
        answers["discharge_date"] = ""
    if answers.get("language") and answers["language"] != interpreter_languages.OTHER_SIGN_LANGUAGE:
        answers["language_name"] = ""
    return answers


@dataclass(frozen=True)
class SummaryRow:
    step: str
    question: str
    lines: list[str]


def summary(data: dict) -> list[SummaryRow]:
    """One row per page answered, for "check your answers"."""
    rows = []
    for step in drafts.steps_for(data):
        answers = data.get(step, {})
        rows.append(SummaryRow(step, str(QUESTIONS[step]), [line for line in _describe(step, answers) if line]))
    return rows


def _describe(step: str, answers: dict) -> list[str]:
    if step == "for_whom":
        choice = answers.get("choice", "")
        if choice == drafts.SELF:
            return [_("Myself")]
        if choice == drafts.OTHER:
            return [_("Someone else, who does not use Min SIP")]
        person = request_service.subject_of(current_user, choice)
        return [person.name if person else _("Someone you can no longer ask for")]
    if step == "about_them":
        return [answers.get("name", ""), answers.get("phone", "") and _("Phone: %(number)s", number=answers["phone"]),
                str(AWARENESS.get(answers.get("awareness"), ""))]
    if step == "purpose":
        return [answers.get("purpose", "")]
    if step == "start":
        path = answers.get("path")
        lines = [str(START_PATHS.get(StartPath(path), "")) if path else ""]
        if path == StartPath.DISCHARGE.value and answers.get("discharge_date"):
            lines.append(_("Leaving hospital on %(date)s", date=format_date(date.fromisoformat(answers["discharge_date"]), "long")))
        return lines
    if step == "organisations":
        names = [directory.get_organisation(i) for i in answers.get("ids", [])]
        return [_organisation_label(org) for org in names if org is not None]
    if step == "contacts":
        chosen = [contact_service.contact_of(current_user, i) for i in answers.get("ids", [])]
        return [_contact_label(c) for c in chosen if c is not None] or [_("Nobody from your contact map")]
    if step == "place":
        place = answers.get("place")
        return [str(PLACE_PREFERENCES[PlacePreference(place)])] if place else []
    if step == "interpreter":
        return [str(YES_NO.get(answers.get("needed"), ""))]
    if step == "interpreter_details":
        mode = answers.get("mode")
        return [interpreter_languages.name_of(answers.get("language", ""), answers.get("language_name", "")),
                str(INTERPRETER_MODES[InterpreterMode(mode)]) if mode else "", answers.get("notes", "")]
    needs = [str(NEEDS[need]) for need in answers.get("needs", []) if need in NEEDS and need != "other"]
    if "other" in answers.get("needs", []):
        needs.append(answers.get("other", ""))
    return needs or [_("None")]


def needs_of(sip) -> list[str]:
    """A sent request's accessibility needs, in words."""
    needs = [str(NEEDS[key]) for key, wanted in (("hearing_loop", sip.needs_hearing_loop),
                                                 ("step_free", sip.needs_step_free),
                                                 ("easy_read", sip.needs_easy_read)) if wanted]
    return needs + ([sip.needs_other] if sip.needs_other else [])


def interpreter_names(sip) -> dict[int, str]:
    """Each interpreter request's language, named in the reader's language."""
    return {interpreter.id: interpreter_languages.name_of(interpreter.language, interpreter.language_name)
            for interpreter in sip.interpreter_requests}
