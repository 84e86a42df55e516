"""The professional's workspace: the blueprint, and the inbox of the requests to one's organisation.

Each part of the workspace adds its routes to ``bp`` in its own module, imported at the bottom.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from webapp.services import work

bp = Blueprint("work", __name__, url_prefix="/work")


@bp.get("/")
def index():
    shown = request.args.get("show", "")
    stage = work.Stage(shown) if shown in work.Stage.__members__.values() else None
    return render_template("work/index.html", inbox=work.inbox_for(current_user, stage), stage=stage,
                           stages=list(work.Stage))


from webapp.views import work_cases  # noqa: E402,F401
from webapp.views import work_reports  # noqa: E402,F401
from webapp.views import work_meetings  # noqa: E402,F401
from webapp.views import work_plans  # noqa: E402,F401
