"""起草: the clerk's choices travel in the form itself (no draft state on the server), so two tabs drafting
at once never meet; each request asks the workbench again and shows what it says."""
from __future__ import annotations

import datetime
import io
import tempfile
from dataclasses import replace
from pathlib import Path

from flask import Blueprint, current_app, g, render_template, request, send_file

from .. import workbench
from ..app import split_names
from ..errors import DrafterError
from ..formats import find_format, list_formats

blueprint = Blueprint("drafting", __name__)


@blueprint.get("/draft")
def draft():
    office = current_app.config["OFFICE"]
    setup = {"proposal": request.args.get("proposal", ""), "counties": request.args.getlist("county"),
             "template": request.args.get("template") or "政协提案答复", "keywords": request.args.get("keywords", ""),
             "date": request.args.get("date", "")}
    work = None
    if setup["proposal"] and setup["counties"]:
        fmt, choices = _request(setup)
        bench = workbench.candidates(g.store, office, choices.proposal_id, choices.counties, fmt,
                                     choices.keywords, choices.draft_date)
        work = _work(bench, fmt, bench.picked(), setup)
    return _page(setup, work)


def _page(setup: dict, work: dict | None):
    office = current_app.config["OFFICE"]
    return render_template("draft.html", proposals=g.store.proposals(), setup=setup, work=work, page="draft",
                           formats=[fmt for _, fmt in list_formats() if not isinstance(fmt, DrafterError)],
                           counties=office.gazetteer.places_of(office.city))


@blueprint.post("/draft/update")
def update():
    """Apply one of the clerk's moves (cut, take, up, down) to the choices the form holds, and show again."""
    setup = _setup_of_form()
    fmt, choices = _request(setup)
    bench = workbench.candidates(g.store, current_app.config["OFFICE"], choices.proposal_id, choices.counties, fmt,
                                 choices.keywords, choices.draft_date)
    choices = _moved(_choices_of_form(bench, choices), request.form.get("op", ""))
    work = _work(bench, fmt, choices, setup)
    if request.headers.get("HX-Request"):
        return render_template("draft_work.html", work=work, setup=setup)
    return _page(setup, work)


@blueprint.post("/draft/download")
def download():
    """The .docx or the sources.json of the choices in the form, written by the library in a folder of
    this request's own."""
    setup = _setup_of_form()
    fmt, choices = _request(setup)
    bench = workbench.candidates(g.store, current_app.config["OFFICE"], choices.proposal_id, choices.counties, fmt,
                                 choices.keywords, choices.draft_date)
    choices = _choices_of_form(bench, choices)
    name = f"{bench.proposal.id}答复.docx"
    with tempfile.TemporaryDirectory() as folder:
        result = workbench.draft_with_choices(g.store, current_app.config["OFFICE"], fmt, choices,
                                              Path(folder) / name, comments=request.form.get("comments") != "no")
        wanted = result.sources if request.form.get("what") == "sources" else result.docx
        data = wanted.read_bytes()
    return send_file(io.BytesIO(data), as_attachment=True, download_name=wanted.name,
                     mimetype="application/json" if wanted.suffix == ".json" else
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _setup_of_form() -> dict:
    form = request.form
    return {"proposal": form.get("proposal", ""), "counties": form.getlist("county"),
            "template": form.get("template") or "政协提案答复", "keywords": form.get("keywords", ""),
            "date": form.get("date", "")}


def _request(setup: dict):
    try:
        date = datetime.date.fromisoformat(setup["date"]) if setup["date"] else None
    except ValueError as e:
        raise DrafterError(f"落款日期“{setup['date']}”不对。", "请写成 2024-05-08 的样子，或留空（今天）。") from e
    choices = workbench.Choices(setup["proposal"], ",".join(setup["counties"]),
                                tuple(split_names(setup["keywords"])), date)
    return find_format(setup["template"]), choices


def _choices_of_form(bench: workbench.Workbench, request_choices: workbench.Choices) -> workbench.Choices:
    return replace(request_choices,
                   progress={p.full: tuple(request.form.getlist(f"keep-{p.full}")) for p in bench.places},
                   plans=tuple(request.form.getlist("keep-plans")))


def _moved(choices: workbench.Choices, op: str) -> workbench.Choices:
    """One move of the page: "cut|<list>|<key>", "take|…", "up|…", "down|…"; <list> a county's full name or
    "plans". Only the order of keys changes here; what a key means the workbench decides."""
    move, _, rest = op.partition("|")
    where, _, key = rest.partition("|")
    lists = {"plans": list(choices.plans), **{county: list(keys) for county, keys in choices.progress.items()}}
    keys = lists.get(where, [])
    if move == "cut" and key in keys:
        keys.remove(key)
    elif move == "take" and key not in keys:
        keys.append(key)
    elif move in ("up", "down") and key in keys:
        at = keys.index(key)
        to = at - 1 if move == "up" else at + 1
        if 0 <= to < len(keys):
            keys[at], keys[to] = keys[to], keys[at]
    plans = tuple(lists.pop("plans"))
    return replace(choices, progress={c: tuple(k) for c, k in lists.items()}, plans=plans)


def _work(bench: workbench.Workbench, fmt, choices: workbench.Choices, setup: dict) -> dict:
    """What the template shows: per county the chosen passages in order and the others best first, the
    same for plans, and the preview's blocks."""
    counties = []
    for section in bench.counties:
        chosen = [bench.find(k) for k in choices.progress.get(section.place.full, ())]
        counties.append({"place": section.place, "chosen": chosen,
                         "others": [k for k in section.progress if k.key not in {c.key for c in chosen}]})
    plans_chosen = [bench.find(k) for k in choices.plans]
    plans_others = [k for k in bench.plans if k.key not in {c.key for c in plans_chosen}]
    places = {p.code: p.full for p in bench.places}
    blocks = workbench.preview_of(bench, current_app.config["OFFICE"], fmt, choices)
    return {"bench": bench, "counties": counties, "plans_chosen": plans_chosen, "plans_others": plans_others,
            "origin": lambda key: places.get(key.split("-")[0], "全市"), "blocks": blocks, "fmt": fmt}
