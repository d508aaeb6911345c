"""The desk's 资料库 behind the page: uploads stay in the store's folder, corrections survive re-ingest."""
from __future__ import annotations

import io
import sqlite3
import time

import pytest
from werkzeug.datastructures import MultiDict

from drafter import app as use_cases
from drafter.config.office import load_office
from drafter.corrections import CorrectionError, correct_document
from drafter.store import Store
from drafter.web import create_app

from conftest import SAMPLES


@pytest.fixture
def client(tmp_path):
    app = create_app(tmp_path / "desk" / "store.sqlite", load_office(), token="t0ken")
    client = app.test_client()
    client.set_cookie("drafter_token", "t0ken", domain="localhost")
    return app, client


def wait_for(client, job_page: str) -> str:
    job = job_page.split('hx-get="')[1].split('"')[0] if 'hx-get="' in job_page else None
    for _ in range(200):
        if job is None or "ingest-summary" in job_page:
            return job_page
        time.sleep(0.1)
        job_page = client.get(job).data.decode("utf-8")
    raise AssertionError(job_page)


def test_uploaded_names_never_leave_the_upload_folder(client, tmp_path):
    app, client = client
    files = [(io.BytesIO("阳城县推进智慧城市建设，建成城市运行管理中心。".encode()), "../../逃逸.txt"),
             (io.BytesIO(b"x"), "C:\\Windows\\..\\坏.exe"),
             (io.BytesIO("高平市智慧城管平台上线运行。".encode()), "..\\..\\高平.txt")]
    page = client.post("/library/ingest", data={"csrf_token": app.config["CSRF"], "files": files},
                       content_type="multipart/form-data").data.decode("utf-8")
    summary = wait_for(client, page)
    assert "新导入 2 个" in summary and "坏.exe" in summary
    uploads = tmp_path / "desk" / "上传资料"
    assert sorted(p.name for p in uploads.iterdir()) == ["逃逸.txt", "高平.txt"]
    assert not (tmp_path / "逃逸.txt").exists() and not (tmp_path.parent / "逃逸.txt").exists()


def test_too_many_files_in_one_upload_are_refused_with_what_to_do(client):
    app, client = client
    files = [(io.BytesIO(b"a"), f"{n}.txt") for n in range(201)]
    response = client.post("/library/ingest", data={"csrf_token": app.config["CSRF"], "files": files},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "一次最多上传 200 个文件" in response.data.decode("utf-8")


def test_a_correction_survives_re_ingest(tmp_path):
    office = load_office()
    store_path = tmp_path / "store.sqlite"
    with Store(store_path) as store:
        use_cases.ingest(store, [SAMPLES], office)
        doc = next(d for d in store.documents() if d.county is None and d.city == "晋城市")
        with pytest.raises(CorrectionError, match="不是晋城市的县"):
            correct_document(store, office, doc.id, county="东城")
        correct_document(store, office, doc.id, county="阳城", year="2021年", kind="report")
        assert (doc.file, "阳城县", 2021, "report") in [(d.file, d.county, d.year, d.kind) for d in store.documents()]
    db = sqlite3.connect(store_path)  # as if the place data changed: every file is read again
    db.execute("UPDATE documents SET reading = 'old'")
    db.commit()
    db.close()
    with Store(store_path) as store:
        report = use_cases.ingest(store, [SAMPLES], office)
        assert len(report.reread) == len(list(SAMPLES.iterdir()))
        assert [(d.county, d.year, d.kind) for d in store.documents() if d.file == doc.file] == \
            [("阳城县", 2021, "report")]


def test_a_correction_made_on_the_page_shows_in_the_list(client, tmp_path):
    app, client = client
    with Store(app.config["STORE_PATH"]) as store:
        use_cases.ingest(store, [SAMPLES], load_office())
        doc = store.documents()[0]
    form = MultiDict({"csrf_token": app.config["CSRF"], "county": "高平市", "year": "", "kind": ""})
    assert client.post(f"/library/doc/{doc.id}", data=form).status_code == 302
    listing = client.get("/library?county=高平市").data.decode("utf-8")
    assert doc.file in listing
    assert "年份“abc”不对" in client.post(f"/library/doc/{doc.id}", data=MultiDict(
        {"csrf_token": app.config["CSRF"], "year": "abc"})).data.decode("utf-8")


def test_a_county_correction_makes_the_document_material_of_that_county(tmp_path):
    office = load_office()
    report = tmp_path / "工作总结.txt"
    report.write_text("2024年智慧城市建设工作总结\n我县推进智慧城市建设，建成城市运行管理中心，接入视频监控点位800个。\n",
                      encoding="utf-8")
    with Store(tmp_path / "store.sqlite") as store:
        use_cases.ingest(store, [report], office)
        doc = store.documents()[0]
        assert use_cases.search(store, "智慧城市", office, "沁水")[1] == []
        correct_document(store, office, doc.id, county="沁水")
        hits = use_cases.search(store, "智慧城市", office, "沁水")[1]
        assert [h.source.document for h in hits] == ["工作总结.txt"] and hits[0].county == "沁水县"


def test_a_busy_port_is_said_in_chinese_with_what_to_do(tmp_path):
    import socket
    from conftest import run_drafter
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run_drafter(tmp_path / "store.sqlite", "serve", "--no-browser", "--port", str(busy.getsockname()[1]))
    assert result.exit_code == 1
    assert "无法在端口" in result.output and "--port" in result.output
