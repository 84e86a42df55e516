"""The professional's workspace: the blueprint, and the inbox of the requests to one's organisation.

Each part of the workspace adds its routes to ``bp`` in its own module, imported at the bottom.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from webapp.services import work
from webapp.services.response_cache import cacheable

bp = Blueprint("work", __name__, url_prefix="/work")


@bp.get("/")
@cacheable  # its rows are logged once per reader and day: kept once that day's entries are written
def index():
    shown = request.args.get("show", "")
    stage = work.Stage(shown) if shown in work.Stage.__members__.values() else None
    page = request.args.get("page", 1, type=int)  # not a number: the first page; out of range: the nearest
    return render_template("work/index.html", inbox=work.inbox_for(current_user, stage, page), stage=stage,
                           stages=list(work.Stage))


from webapp.views import work_cases  # noqa: E402,F401
from webapp.views import work_reports  # noqa: E402,F401
from webapp.views import work_meetings  # noqa: E402,F401
from webapp.views import work_plans  # noqa: E402,F401
