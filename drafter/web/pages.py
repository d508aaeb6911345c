"""资料库, 提案 and 检索: forms that call the library, and what it says back."""
from __future__ import annotations

import re
import secrets
import tempfile
import threading
import unicodedata
from pathlib import Path

from flask import Blueprint, current_app, g, redirect, render_template, request

from .. import app as use_cases
from ..corrections import KINDS, correct_document
from ..errors import DrafterError
from ..proposals import read_proposals
from ..read import SUPPORTED_SUFFIXES
from ..store import Store
from . import MAX_FILES

blueprint = Blueprint("pages", __name__)

UPLOAD_FOLDER = "上传资料"


# --- 资料库 ------------------------------------------------------------------------------------------

@blueprint.get("/library")
def library():
    docs = g.store.documents()
    wanted = {k: request.args.get(k, "").strip() for k in ("q", "city", "county", "year", "kind")}

    def shown(d) -> bool:
        return ((not wanted["q"] or wanted["q"] in d.title or wanted["q"] in d.file)
                and (not wanted["city"] or d.city == wanted["city"])
                and (not wanted["county"] or (d.county or "") == wanted["county"])
                and (not wanted["year"] or str(d.year or "") == wanted["year"])
                and (not wanted["kind"] or d.kind == wanted["kind"]))
    options = {
        "city": sorted({d.city for d in docs if d.city}),
        "county": sorted({d.county for d in docs if d.county}),
        "year": sorted({str(d.year) for d in docs if d.year}, reverse=True),
        "kind": sorted({d.kind for d in docs}),
    }
    return render_template("library.html", docs=[d for d in docs if shown(d)], total=len(docs), wanted=wanted,
                           options=options, page="library")


@blueprint.post("/library/ingest")
def start_ingest():
    """Files uploaded (saved under the store's folder) or a folder on this machine, ingested in the
    background; the page follows the job by its id."""
    skipped: list[tuple[str, str]] = []
    paths: list[Path] = []
    files = [f for f in request.files.getlist("files") if f.filename]
    if len(files) > MAX_FILES:
        raise DrafterError(f"一次最多上传 {MAX_FILES} 个文件。",
                           "请分几次上传，或在“文件夹路径”中填写资料所在的文件夹。")
    if files:
        folder = Path(current_app.config["STORE_PATH"]).resolve()
        folder = (folder.parent if folder.suffix else folder) / UPLOAD_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        for upload in files:
            name = safe_name(upload.filename)
            if name is None or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                skipped.append((upload.filename, "不是支持的文件类型（.txt .html .htm .docx .pdf）或文件名无效"))
                continue
            target = folder / name
            if target.resolve().parent != folder.resolve():
                skipped.append((upload.filename, "文件名无效"))
                continue
            upload.save(target)
            paths.append(target)
    typed = request.form.get("folder", "").strip()
    if typed:
        paths.append(Path(typed).expanduser())
    if not paths and not skipped:
        raise DrafterError("没有选择文件，也没有填写文件夹。", "请选择要上传的文件，或填写资料所在文件夹的路径。")
    job = _start_job(paths, skipped)
    return render_template("ingest_status.html", job=job, job_id=job["id"])


@blueprint.get("/library/ingest/<job_id>")
def ingest_status(job_id: str):
    with current_app.config["JOBS_LOCK"]:
        job = dict(current_app.config["JOBS"].get(job_id) or {})
    if not job:
        raise DrafterError("找不到这次导入。", "请重新导入。")
    return render_template("ingest_status.html", job=job, job_id=job_id)


def _start_job(paths: list[Path], skipped: list[tuple[str, str]]) -> dict:
    config = current_app.config
    job = {"id": secrets.token_hex(8), "done": 0, "total": 0, "current": "", "report": None, "error": None,
           "skipped_uploads": skipped}
    with config["JOBS_LOCK"]:
        config["JOBS"][job["id"]] = job

    def progress(done, total, path):
        with config["JOBS_LOCK"]:
            job.update(done=done, total=total, current=path.name)

    def run():
        try:
            with Store(config["STORE_PATH"]) as store:
                report = use_cases.ingest(store, paths, config["OFFICE"], progress=progress) if paths else None
            with config["JOBS_LOCK"]:
                job["report"] = report or use_cases.IngestReport()
        except DrafterError as e:
            with config["JOBS_LOCK"]:
                job["error"] = e
        except Exception as e:  # noqa: BLE001 - the job must end with a message, never hang the bar
            with config["JOBS_LOCK"]:
                job["error"] = DrafterError(f"导入时程序内部出错（{type(e).__name__}: {e}）。", "请把这条信息发给维护人员。")
    threading.Thread(target=run, daemon=True).start()
    return job


# Characters a file name may not hold on Windows or Linux, and path separators of both.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_name(name: str) -> str | None:
    """An uploaded file's name as a bare file name inside the upload folder; None when nothing is left.
    Only the last part of what the browser sent counts ("../../x.txt", "C:\\a\\b.txt" → "x.txt", "b.txt")."""
    name = unicodedata.normalize("NFC", re.split(r"[\\/]", name)[-1])
    name = _UNSAFE.sub("_", name).strip().lstrip(".")
    return name[:200] or None


@blueprint.get("/library/doc/<int:doc_id>")
def document(doc_id: int):
    doc = next((d for d in g.store.documents() if d.id == doc_id), None)
    if doc is None:
        raise DrafterError("资料库中没有这个文档（可能已被重新导入）。", "请回到资料库列表。")
    office = current_app.config["OFFICE"]
    return render_template("document.html", doc=doc, counties=office.gazetteer.places_of(office.city),
                           kinds=KINDS, page="library")


@blueprint.post("/library/doc/<int:doc_id>")
def correct(doc_id: int):
    correct_document(g.store, current_app.config["OFFICE"], doc_id, request.form.get("county"),
                     request.form.get("year"), request.form.get("kind"))
    return redirect(f"/library?corrected={doc_id}")


# --- 提案 ---------------------------------------------------------------------------------------------

@blueprint.get("/proposals")
def proposals():
    return render_template("proposals.html", proposals=g.store.proposals(), page="proposals",
                           imported=request.args.get("imported"))


@blueprint.post("/proposals/import")
def import_proposals():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise DrafterError("没有选择提案目录文件。", "请选择 CSV 文件（表头 案号,案由,第一提案人,届次,答复类别[,类型]）。")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (safe_name(upload.filename) or "提案目录.csv")
        upload.save(path)
        count = g.store.save_proposals(read_proposals(path))
    return redirect(f"/proposals?imported={count}")


@blueprint.get("/proposals/<proposal_id>")
def proposal(proposal_id: str):
    return render_template("proposal.html", p=use_cases.find_proposal(g.store, proposal_id), page="proposals")


# --- 检索 ---------------------------------------------------------------------------------------------

@blueprint.get("/search")
def search():
    text = request.args.get("q", "").strip()
    office = current_app.config["OFFICE"]
    query = hits = None
    if text:
        kind = request.args.get("kind") or None
        limit = request.args.get("limit", "")
        query, hits = use_cases.search(g.store, text, office, request.args.get("county") or None,
                                       kind if kind in ("progress", "plan") else None,
                                       min(int(limit), 200) if limit.isdigit() and int(limit) > 0 else 10)
    return render_template("search.html", text=text, query=query, hits=hits, page="search",
                           counties=office.gazetteer.places_of(office.city), args=request.args,
                           warnings=use_cases.store_warnings(g.store, office))
