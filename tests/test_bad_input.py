"""Bad input gets a clear answer in Chinese, exit 1, and nothing the clerk had is lost."""
from __future__ import annotations

import errno
import json
import multiprocessing
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

import drafter.app
import drafter.ingest
import drafter.store
from drafter.cli import cli, draft_reply
from drafter.errors import StoreError
from drafter.store import Store
from drafter.store.schema import MIGRATIONS, SCHEMA_VERSION, scope_of
from drafter.text import wordcut

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
PROPOSALS = ROOT / "corpus" / "proposals.csv"
SHIPPED_FORMAT = ROOT / "templates" / "政协提案答复"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# --- helpers ---------------------------------------------------------------------------------------

def run(store: Path, *args: str):
    """`drafter --store STORE ARGS`; an exception escaping the CLI fails the test outright."""
    return CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=False)


def run_reply(store: Path, *args: str):
    return CliRunner().invoke(draft_reply, ["--store", str(store), *args], catch_exceptions=False)


def refused(result, *words: str, code: int = 1) -> str:
    """The command failed with `code`, a Chinese message holding every word, and no traceback."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    return result.stderr


def contents(store: Path) -> dict:
    """Everything a clerk keeps in a store, read straight from the SQLite file."""
    db = sqlite3.connect(store)
    try:
        return {
            "documents": db.execute("SELECT path, sha256, title, county FROM documents ORDER BY path").fetchall(),
            "paragraphs": db.execute("SELECT document_id, seq, text FROM paragraphs ORDER BY id").fetchall(),
            "sentences": db.execute("SELECT paragraph_id, seq, text FROM sentences ORDER BY id").fetchall(),
            "terms": db.execute("SELECT count(*) FROM sentence_index").fetchone(),
            "proposals": db.execute("SELECT id, title, proposer, session, category, kind FROM proposals "
                                    "ORDER BY id").fetchall(),
        }
    finally:
        db.close()


def integrity(store: Path) -> str:
    db = sqlite3.connect(store)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def listed_files(store: Path) -> list[str]:
    result = run(store, "documents", "--json")
    assert result.exit_code == 0, result.output
    return sorted(d["file"] for d in json.loads(result.stdout))


def leftovers(folder: Path) -> list[str]:
    """Temporary or half-written files a failed draft might leave behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.startswith("."))


def sample_copy(tmp_path: Path, name: str = "archive") -> Path:
    folder = tmp_path / name
    shutil.copytree(SAMPLES, folder)
    return folder


# --- proposals and counties ------------------------------------------------------------------------

def test_an_unknown_proposal_number_names_the_nearest_registered_ones_and_how_to_import(sample_store, tmp_path):
    before = contents(sample_store)
    err = refused(run_reply(sample_store, "--proposal", "TA0396", "--counties", "阳城",
                            "--output", str(tmp_path / "r.docx")),
                  "找不到", "TA0396", "相近的案号", "TA0395", "drafter proposals import")
    assert "TA0395" in err
    assert not (tmp_path / "r.docx").exists()
    assert contents(sample_store) == before


def test_a_proposal_number_like_no_other_still_lists_what_is_registered(sample_store, tmp_path):
    refused(run(sample_store, "proposals", "show", "XYZ-1"), "找不到", "已登记的案号", "TA0395",
            "drafter proposals import")


def test_an_empty_register_says_there_are_no_proposals_yet(tmp_path):
    refused(run_reply(tmp_path / "s.sqlite", "--proposal", "TA0395", "--counties", "阳城",
                      "--output", str(tmp_path / "r.docx")),
            "找不到", "还没有任何提案", "drafter proposals import")


def test_a_registered_proposal_whose_title_is_blank_is_refused_before_drafting(sample_store, tmp_path):
    db = sqlite3.connect(sample_store)
    db.execute("UPDATE proposals SET title = '  ' WHERE id = 'TA0395'")
    db.commit()
    db.close()
    out = tmp_path / "reply.docx"
    refused(run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out)),
            "TA0395", "案由为空", "重新导入")
    assert not out.exists()


def _reply(store, tmp_path, counties):
    out = tmp_path / "reply.docx"
    result = run_reply(store, "--proposal", "TA0395", "--counties", counties, "--output", str(out))
    return result, out


def test_a_county_of_another_city_is_refused_and_named_as_such(sample_store, tmp_path):
    result, out = _reply(sample_store, tmp_path, "阳城,阳谷")
    refused(result, "阳谷", "聊城市", "不属于晋城市", "阳城县、")
    assert not out.exists() and leftovers(tmp_path) == []


def test_a_near_miss_county_suggests_the_right_one_in_the_form_typed(sample_store, tmp_path):
    result, out = _reply(sample_store, tmp_path, "阳成")
    refused(result, "不认识", "阳成", "是否要写“阳城”")
    result, out = _reply(sample_store, tmp_path, "高平,阳成县")
    refused(result, "阳成县", "是否要写“阳城县”")
    assert not out.exists()


@pytest.mark.parametrize("counties", ["", " ", "，,"])
def test_no_counties_lists_the_citys_counties(sample_store, tmp_path, counties):
    result, out = _reply(sample_store, tmp_path, counties)
    refused(result, "没有给出县", "--counties", "阳城县", "高平市")
    assert not out.exists()


@pytest.mark.parametrize("counties", ["阳城,阳城县", "阳城，阳城", "高平市、阳城、高平"])
def test_a_county_given_twice_is_refused(sample_store, tmp_path, counties):
    result, out = _reply(sample_store, tmp_path, counties)
    refused(result, "重复")
    assert not out.exists()


def test_a_missing_option_is_a_usage_error_without_traceback(sample_store, tmp_path):
    result = CliRunner().invoke(draft_reply, ["--store", str(sample_store), "--proposal", "TA0395"])
    assert result.exit_code == 2
    assert "--counties" in result.output and "Traceback" not in result.output


# --- the output file -------------------------------------------------------------------------------

EDITED = b"PK\x03\x04 a draft the clerk has already edited by hand"


def test_an_existing_draft_is_not_overwritten_without_force(sample_store, tmp_path):
    out = tmp_path / "reply.docx"
    out.write_bytes(EDITED)
    result = run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out))
    refused(result, "已存在", "reply.docx", "--force")
    assert out.read_bytes() == EDITED
    assert not (tmp_path / "reply.sources.json").exists()
    assert leftovers(tmp_path) == []


def test_an_existing_sources_list_alone_is_not_overwritten_either(sample_store, tmp_path):
    side = tmp_path / "reply.sources.json"
    side.write_text("{\"edited\": true}\n", encoding="utf-8")
    result = run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城",
                       "--output", str(tmp_path / "reply.docx"))
    refused(result, "已存在", "reply.sources.json", "--force")
    assert side.read_text(encoding="utf-8") == "{\"edited\": true}\n"
    assert not (tmp_path / "reply.docx").exists()


def test_force_replaces_an_existing_draft_keeping_its_permissions(sample_store, tmp_path):
    out = tmp_path / "reply.docx"
    out.write_bytes(EDITED)
    out.chmod(0o640)
    result = run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() != EDITED
    assert any("阳城县" in p.text for p in docx.Document(str(out)).paragraphs)
    assert json.loads((tmp_path / "reply.sources.json").read_text(encoding="utf-8"))["counties"] == ["阳城县"]
    assert out.stat().st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == []


def test_a_new_draft_is_an_ordinary_file_not_a_private_temporary_one(sample_store, tmp_path):
    out = tmp_path / "reply.docx"
    umask = os.umask(0o022)
    try:
        result = run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out))
    finally:
        os.umask(umask)
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "reply.sources.json").stat().st_mode & 0o777 == 0o644


def test_a_missing_output_folder_is_named_and_not_created(sample_store, tmp_path):
    out = tmp_path / "no-such-folder" / "reply.docx"
    refused(run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out)),
            "输出文件夹不存在", "no-such-folder")
    assert not out.parent.exists()


def test_an_output_name_that_is_not_docx_is_refused(sample_store, tmp_path):
    refused(run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城",
                      "--output", str(tmp_path / "reply.txt")), ".docx")
    assert list(tmp_path.glob("reply*")) == []


def test_a_read_only_output_folder_is_refused(sample_store, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: a read-only folder is still writable")
        refused(run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城",
                          "--output", str(folder / "reply.docx")), "没有写权限", "--output")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_a_folder_the_clerk_may_not_write_to_is_refused_before_any_work(sample_store, tmp_path, monkeypatch):
    # The same as above, but also when the tests run as root: the folder is reported unwritable.
    folder = tmp_path / "locked"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == folder and mode & os.W_OK
                        else real_access(p, mode, **kw))
    refused(run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城",
                      "--output", str(folder / "reply.docx")), "没有写权限", "locked")
    assert list(folder.iterdir()) == []


def _crash_after_some_bytes(exc):
    def write_docx(blocks, path, layout, comments=True):
        Path(path).write_bytes(b"PK\x03\x04 half a document")
        raise exc
    return write_docx


@pytest.mark.parametrize("exc, words", [
    (RuntimeError("boom"), ("程序内部出错", "--debug")),
    (OSError(errno.ENOSPC, "No space left on device"), ("无法写出文件", "磁盘空间")),
])
def test_a_crash_mid_write_leaves_no_half_draft_and_no_temporary_files(sample_store, tmp_path, monkeypatch,
                                                                        exc, words):
    monkeypatch.setattr(drafter.app, "write_docx", _crash_after_some_bytes(exc))
    out = tmp_path / "reply.docx"
    refused(run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out)), *words)
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("store.sqlite")] == []


def test_a_crash_while_replacing_with_force_keeps_the_old_draft(sample_store, tmp_path, monkeypatch):
    monkeypatch.setattr(drafter.app, "write_docx", _crash_after_some_bytes(RuntimeError("boom")))
    out = tmp_path / "reply.docx"
    out.write_bytes(EDITED)
    refused(run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out), "--force"))
    assert out.read_bytes() == EDITED
    assert not (tmp_path / "reply.sources.json").exists()
    assert leftovers(tmp_path) == []


def test_when_the_sources_list_cannot_be_written_the_draft_is_not_put_in_place_either(sample_store, tmp_path,
                                                                                      monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(drafter.app.json, "dumps", no_space)
    out = tmp_path / "reply.docx"
    refused(run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out)),
            "无法写出文件", "磁盘空间")
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("store.sqlite")] == []


def test_with_debug_a_crash_shows_its_traceback(sample_store, tmp_path, monkeypatch):
    monkeypatch.setattr(drafter.app, "write_docx", _crash_after_some_bytes(RuntimeError("boom")))
    result = CliRunner().invoke(draft_reply, ["--store", str(sample_store), "--proposal", "TA0395", "--counties",
                                              "阳城", "--output", str(tmp_path / "r.docx"), "--debug"])
    assert isinstance(result.exception, RuntimeError)
    assert not (tmp_path / "r.docx").exists() and leftovers(tmp_path) == []


# --- ingest ----------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def zip_bomb(tmp_path_factory) -> Path:
    """210 MB of zeros packed into a file called .docx: well past what any real reply unpacks to."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(210):
                member.write(chunk)
    return path


def _encrypted_pdf(path: Path) -> None:
    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    with open(path, "wb") as f:
        writer.write(f)


def _hostile_files(folder: Path, zip_bomb: Path) -> dict[str, str]:
    """Bad files beside the good ones, each with a word its reason must contain."""
    folder.mkdir(exist_ok=True)
    (folder / "损坏.docx").write_bytes(b"PK\x03\x04" + random.Random(1).randbytes(2000))
    shutil.copy(zip_bomb, folder / "炸弹.docx")
    _encrypted_pdf(folder / "加密.pdf")
    (folder / "空白.txt").write_bytes(b"")
    (folder / "二进制.txt").write_bytes(random.Random(2).randbytes(4096))
    (folder / "图片.txt").write_bytes(bytes.fromhex("89504e470d0a1a0a0000000d49484452") + random.Random(5).randbytes(3000))
    (folder / "旧版.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    return {"损坏.docx": "损坏", "炸弹.docx": "过大", "加密.pdf": "密码", "空白.txt": "为空", "二进制.txt": "二进制",
            "图片.txt": "二进制", "旧版.docx": ".doc"}


def test_bad_files_are_skipped_each_with_its_reason_and_the_rest_stored(sample_store, tmp_path, zip_bomb):
    before = listed_files(sample_store)
    folder = tmp_path / "new"
    folder.mkdir()
    shutil.copy(SAMPLES / sorted(os.listdir(SAMPLES))[0], folder / "好的材料.txt")
    (folder / "好的材料.txt").write_text("阳城县数据局2024年工作总结\n\n阳城县建成了县级政务云平台，"
                                         "全县42个部门的业务系统全部迁移上云。\n", encoding="gb18030")
    reasons = _hostile_files(folder / "坏的", zip_bomb)
    (folder / "说明.xlsx").write_bytes(b"not read")

    result = run(sample_store, "ingest", str(folder))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stdout.splitlines()
    for name, reason in reasons.items():
        line = next((l for l in lines if "跳过" in l and name in l), None)
        assert line is not None, (name, result.stdout)
        assert reason in line, line
    assert "新导入 1 个" in result.stdout and f"跳过 {len(reasons)} 个" in result.stdout
    assert any("忽略" in l and "说明.xlsx" in l for l in lines)
    assert listed_files(sample_store) == sorted(before + ["好的材料.txt"])
    assert integrity(sample_store) == "ok"


def test_a_stored_file_that_turns_corrupt_keeps_its_stored_version(tmp_path):
    folder = sample_copy(tmp_path)
    store = tmp_path / "s.sqlite"
    assert run(store, "ingest", str(folder)).exit_code == 0
    before = contents(store)
    victim = folder / sorted(os.listdir(folder))[0]
    victim.write_bytes(random.Random(4).randbytes(4096))
    result = run(store, "ingest", str(folder))
    assert result.exit_code == 1
    assert any(victim.name in l and "二进制" in l for l in result.stdout.splitlines())
    assert "未变 4 个" in result.stdout
    assert contents(store) == before


def test_a_file_that_disappears_mid_ingest_is_skipped_and_the_rest_stored(tmp_path, monkeypatch):
    folder = sample_copy(tmp_path)
    names = sorted(os.listdir(folder))
    real_read = drafter.ingest.read

    def read_and_lose_some(path):
        if path.name == names[1]:
            (folder / names[2]).unlink()   # gone before ingest reaches it
        if path.name == names[3]:
            path.unlink()                  # gone between hashing and reading
        return real_read(path)

    monkeypatch.setattr(drafter.ingest, "read", read_and_lose_some)
    store = tmp_path / "s.sqlite"
    result = run(store, "ingest", str(folder))
    refused(result, code=1)
    skipped = [l for l in result.stdout.splitlines() if "跳过 " in l and "：" in l]
    assert len(skipped) == 2
    for name, line in zip((names[2], names[3]), skipped):
        assert name in line and ("移走或删除" in line or "找不到文件" in line)
    assert listed_files(store) == sorted([names[0], names[1], names[4]])


def test_an_unreadable_folder_is_skipped_and_the_rest_stored(tmp_path):
    folder = sample_copy(tmp_path)
    locked = folder / "锁住的"
    locked.mkdir()
    (locked / "秘密.txt").write_text("阳城县建成了示例平台。\n", encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: an unreadable folder can still be read")
        store = tmp_path / "s.sqlite"
        result = run(store, "ingest", str(folder))
        assert result.exit_code == 1, result.output
        assert any("锁住的" in l and "文件夹无法读取" in l for l in result.stdout.splitlines())
        assert len(listed_files(store)) == 5
    finally:
        locked.chmod(0o755)


def test_a_folder_that_cannot_be_listed_is_skipped_with_its_reason_even_as_root(tmp_path, monkeypatch):
    folder = sample_copy(tmp_path)
    locked = folder / "锁住的"
    locked.mkdir()
    (locked / "秘密.txt").write_text("阳城县建成了示例平台。\n", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    store = tmp_path / "s.sqlite"
    result = run(store, "ingest", str(folder))
    assert result.exit_code == 1, result.output
    line = next(l for l in result.stdout.splitlines() if "锁住的" in l)
    assert "文件夹无法读取" in line and "没有读取权限" in line
    assert len(listed_files(store)) == 5


def test_a_path_that_does_not_exist_is_reported_and_the_rest_stored(tmp_path):
    store = tmp_path / "s.sqlite"
    result = run(store, "ingest", str(tmp_path / "没有这个文件夹"), str(SAMPLES))
    assert result.exit_code == 1
    assert any("没有这个文件夹" in l and "不存在" in l for l in result.stdout.splitlines())
    assert len(listed_files(store)) == 5


def test_an_interrupted_ingest_keeps_what_was_stored_and_the_next_run_stores_the_rest(tmp_path, monkeypatch):
    folder = sample_copy(tmp_path)
    names = sorted(os.listdir(folder))
    real_read = drafter.ingest.read
    calls = []

    def read_until_ctrl_c(path):
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_read(path)

    monkeypatch.setattr(drafter.ingest, "read", read_until_ctrl_c)
    store = tmp_path / "s.sqlite"
    result = run(store, "ingest", str(folder))
    refused(result, "已中断", "再次运行", code=130)
    assert integrity(store) == "ok"
    assert listed_files(store) == names[:2]

    monkeypatch.setattr(drafter.ingest, "read", real_read)
    result = run(store, "ingest", str(folder))
    assert result.exit_code == 0, result.output
    assert "新导入 3 个" in result.stdout and "未变 2 个" in result.stdout
    assert listed_files(store) == names
    assert integrity(store) == "ok"


def test_an_interrupt_while_a_document_is_being_stored_leaves_no_half_document(tmp_path, monkeypatch):
    folder = sample_copy(tmp_path)
    store = tmp_path / "s.sqlite"
    names = sorted(os.listdir(folder))
    assert run(store, "ingest", str(folder / names[0])).exit_code == 0
    before = contents(store)
    real_scope = drafter.store.scope_of
    calls = []

    def scope_until_ctrl_c(*args):
        calls.append(args)
        if len(calls) == 5:   # inside the transaction: the document's row is already written
            raise KeyboardInterrupt
        return real_scope(*args)

    monkeypatch.setattr(drafter.store, "scope_of", scope_until_ctrl_c)
    refused(run(store, "ingest", str(folder / names[1])), "已中断", code=130)
    assert contents(store) == before
    assert integrity(store) == "ok"


# --- the store file --------------------------------------------------------------------------------

def test_a_store_that_cannot_be_created_says_where_to_put_it(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    refused(run(blocker / "store.sqlite", "documents"), "资料库", "--store")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_store_from_a_newer_drafter_is_refused_and_left_untouched(tmp_path):
    store = tmp_path / "newer.sqlite"
    db = sqlite3.connect(store)
    db.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, something_new TEXT)")
    db.execute("INSERT INTO documents (something_new) VALUES ('future')")
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    data = store.read_bytes()
    refused(run(store, "documents"), "更新版本", "99", "升级")
    refused(run_reply(store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(tmp_path / "r.docx")),
            "更新版本")
    assert store.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newer.sqlite"]


def test_a_store_of_ours_marked_newer_is_refused_and_its_contents_kept(sample_store):
    before = contents(sample_store)
    db = sqlite3.connect(sample_store)
    db.execute("PRAGMA user_version = 99")
    db.close()
    data = sample_store.read_bytes()
    refused(run(sample_store, "ingest", str(SAMPLES)), "更新版本", "升级")
    assert sample_store.read_bytes() == data
    db = sqlite3.connect(sample_store)
    db.execute("PRAGMA user_version = 1")
    db.close()
    assert contents(sample_store) == before



def test_a_store_made_by_the_previous_version_is_upgraded_in_place_and_drafts_the_same(sample_store, tmp_path):
    reply = tmp_path / "before.docx"
    assert run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城,高平", "--output", str(reply),
                     "--date", "2024-05-08").exit_code == 0
    before = contents(sample_store)
    _write_as_schema_9(sample_store)
    db = sqlite3.connect(sample_store)  # what schema version 3 wrote: no year in the index's scope
    db.execute("UPDATE sentence_index SET scope = rtrim(substr(scope, 1, instr(scope || ' y', ' y') - 1))")
    assert db.execute("SELECT count(*) FROM sentence_index WHERE scope LIKE '% y%'").fetchone()[0] == 0
    db.execute("ALTER TABLE documents DROP COLUMN reading")  # nor the reading version (schema 5)
    db.execute("ALTER TABLE proposals DROP COLUMN text")  # nor the proposal's text (schema 6)
    db.execute("ALTER TABLE proposals DROP COLUMN role")  # nor its role (schema 7)
    db.execute("DROP TABLE corrections")  # nor the clerk's corrections (schema 8)
    db.execute("PRAGMA user_version = 3")
    db.commit()
    db.close()
    again = tmp_path / "after.docx"
    assert run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城,高平", "--output", str(again),
                     "--date", "2024-05-08").exit_code == 0
    assert contents(sample_store) == before
    assert _sources(again)["progress"] == _sources(reply)["progress"]
    assert _sources(again)["plans"] == _sources(reply)["plans"]  # the city's own, found by its scope token
    db = sqlite3.connect(sample_store)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT count(*) FROM sentence_index WHERE sentence_index MATCH 'scope : \"y2024\"'").fetchone()[0] > 0
    city_wide = db.execute("SELECT count(*) FROM sentences s WHERE s.city = '晋城市' AND NOT EXISTS "
                           "(SELECT 1 FROM sentence_counties c WHERE c.sentence_id = s.id)").fetchone()[0]
    assert city_wide > 0
    assert db.execute("SELECT count(*) FROM sentence_index WHERE sentence_index MATCH 'scope : \"c晋城市\"'"
                      ).fetchone()[0] == city_wide
    db.execute("INSERT INTO sentence_index (sentence_index, rank) VALUES ('integrity-check', 0)")
    db.close()


def _write_as_schema_9(store: Path) -> None:
    """Rewrite a store as schema version 9 wrote it: the index kept a copy of each sentence's terms (no
    word cut beside the text), and every paragraph its whole text."""
    old = store.with_name("v9.sqlite")
    db = sqlite3.connect(old, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    for migration in MIGRATIONS[:9]:
        migration(db)
    db.execute("ATTACH ? AS new", (str(store),))
    for table in ("documents", "proposals", "corrections"):
        db.execute(f"INSERT INTO main.{table} SELECT * FROM new.{table}")
    with Store(store) as current:
        ids = [pid for (pid,) in db.execute("SELECT id FROM new.paragraphs")]
        texts = current.paragraph_texts(ids)
    db.executemany("INSERT INTO main.paragraphs (id, document_id, seq, text, section, heading, year, kind) "
                   "SELECT id, document_id, seq, ?, section, heading, year, kind FROM new.paragraphs WHERE id = ?",
                   [(texts[pid], pid) for pid in ids])
    db.execute("INSERT INTO main.sentences SELECT id, paragraph_id, seq, text, city, county, tense, flags "
               "FROM new.sentences")
    db.execute("INSERT INTO main.sentence_counties (sentence_id, county) SELECT sentence_id, county "
               "FROM new.sentence_counties")
    for sid, text, cut, tense, year in db.execute("SELECT id, text, cut, tense, year FROM new.sentences").fetchall():
        counties = [c for (c,) in db.execute("SELECT county FROM new.sentence_counties WHERE sentence_id = ?", (sid,))]
        db.execute("INSERT INTO main.sentence_index (rowid, terms, scope) VALUES (?, ?, ?)",
                   (sid, " ".join(wordcut.terms(text, cut)), scope_of(tense, counties, year, None)))
    db.execute("PRAGMA user_version = 9")
    db.execute("DETACH new")
    db.close()
    old.replace(store)
    for suffix in ("-wal", "-shm"):
        store.with_name(store.name + suffix).unlink(missing_ok=True)


def _sources(docx_path: Path) -> dict:
    return json.loads(docx_path.with_name(docx_path.stem + ".sources.json").read_text(encoding="utf-8"))

def test_a_corrupt_store_file_is_refused_and_its_bytes_kept(tmp_path):
    store = tmp_path / "store.sqlite"
    store.write_bytes(random.Random(3).randbytes(16384))
    data = store.read_bytes()
    refused(run(store, "documents"), "资料库文件无法使用", "损坏", "备份")
    refused(run(store, "ingest", str(SAMPLES)), "资料库文件无法使用")
    assert store.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.sqlite"]


def test_a_truncated_store_is_refused_and_its_bytes_kept(sample_store):
    db = sqlite3.connect(sample_store)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()
    data = sample_store.read_bytes()
    sample_store.write_bytes(data[:100] + bytes(len(data) - 100))
    damaged = sample_store.read_bytes()
    refused(run(sample_store, "documents"), "资料库文件无法使用")
    assert sample_store.read_bytes() == damaged


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    store = tmp_path / "addresses.db"
    db = sqlite3.connect(store)
    db.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    db.execute("INSERT INTO contacts VALUES ('张三', '0356-1234567')")
    db.commit()
    db.close()
    data = store.read_bytes()
    refused(run(store, "ingest", str(SAMPLES)), "其他程序", "不是 drafter 的资料库", "--store")
    assert store.read_bytes() == data


def test_two_ingests_at_once_into_a_new_store_both_succeed(tmp_path):
    names = sorted(os.listdir(SAMPLES))
    store = tmp_path / "shared.sqlite"
    exe = Path(sys.executable).with_name("drafter")
    env = {**os.environ, "DRAFTER_STORE": str(store)}
    runs = [subprocess.Popen([str(exe), "ingest", *[str(SAMPLES / n) for n in part]], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for part in (names[:4], names[1:])]
    # Wait for both before judging either, so a failure leaves no process or pipe behind.
    outputs = [process.communicate(timeout=90) for process in runs]
    for process, (out, err) in zip(runs, outputs):
        assert process.returncode == 0, (out, err)
    assert listed_files(store) == names
    assert integrity(store) == "ok"



def _open_store(path: str) -> str:
    try:
        Store(path).close()
        return "ok"
    except StoreError as e:  # the message is what the test shows when it fails
        return str(e)


def test_drafters_opening_a_new_store_at_the_same_moment_all_succeed(tmp_path):
    # The race is narrow, so try it many times: each round, three processes create one new store.
    with multiprocessing.get_context("fork").Pool(3) as pool:
        for round_ in range(40):
            path = str(tmp_path / f"new-{round_}.sqlite")
            assert pool.map(_open_store, [path] * 3) == ["ok"] * 3
            assert integrity(Path(path)) == "ok"

# --- the proposals register ------------------------------------------------------------------------

def _csv(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "提案.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_register_without_the_needed_columns_names_what_is_missing(sample_store, tmp_path):
    before = contents(sample_store)
    path = _csv(tmp_path, "编号,标题,提案人\nTA1,关于甲的提案,张三\n")
    err = refused(run(sample_store, "proposals", "import", str(path)), "缺少列", "案号", "案由", "编号，标题")
    assert "乱码" not in err
    assert contents(sample_store) == before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_register_is_refused_with_how_to_save_it(sample_store, tmp_path, encoding):
    before = contents(sample_store)
    path = _csv(tmp_path, PROPOSALS.read_text(encoding="utf-8").replace("TA0395", "TA0999"), encoding)
    refused(run(sample_store, "proposals", "import", str(path)), "UTF-16", "CSV UTF-8")
    assert contents(sample_store) == before


def test_a_shift_jis_register_is_refused_with_a_hint_about_the_encoding(sample_store, tmp_path):
    before = contents(sample_store)
    path = _csv(tmp_path, "案号,案由,提案人\nTA0999,関連する提案,山田\n", "shift_jis")
    refused(run(sample_store, "proposals", "import", str(path)), "缺少列", "乱码", "CSV UTF-8")
    assert contents(sample_store) == before


def test_a_gb18030_register_is_read(tmp_path):
    path = _csv(tmp_path, "案号,案由,第一提案人,届次,答复类别\r\nTA0001,关于加快数字乡村建设的提案,王五,八届三次,B\r\n",
                "gb18030")
    store = tmp_path / "s.sqlite"
    assert run(store, "proposals", "import", str(path)).exit_code == 0
    assert contents(store)["proposals"] == [("TA0001", "关于加快数字乡村建设的提案", "王五", "八届三次", "B", "提案")]


def test_a_duplicate_number_names_both_lines_and_imports_nothing(sample_store, tmp_path):
    before = contents(sample_store)
    path = _csv(tmp_path, "案号,案由,第一提案人\nTA1,关于甲的提案,张三\n\nTA2,关于乙的提案,李四\nTA1,关于丙的提案,王五\n")
    refused(run(sample_store, "proposals", "import", str(path)), "TA1", "第 5 行", "第 2 行", "重复", "未导入")
    assert contents(sample_store) == before


def test_line_numbers_count_the_files_own_lines_past_a_cell_that_spans_lines(tmp_path):
    path = _csv(tmp_path, "案号,案由,第一提案人\nTA1,\"关于甲的提案\n（续）\",张三\nTA1,关于丙的提案,王五\n")
    refused(run(tmp_path / "s.sqlite", "proposals", "import", str(path)), "第 4 行", "第 3 行")


def test_an_empty_title_names_the_line_and_imports_nothing(sample_store, tmp_path):
    before = contents(sample_store)
    path = _csv(tmp_path, "案号,案由,第一提案人\nTA0400,关于乙的提案,李四\nTA0401,  ,张三\n")
    refused(run(sample_store, "proposals", "import", str(path)), "第 3 行", "案由", "未导入")
    assert contents(sample_store) == before


def test_blank_rows_are_skipped(tmp_path):
    path = _csv(tmp_path, "案号,案由,第一提案人\n\n,,\nTA1,关于甲的提案,张三\n ,  , \n\nTA2,关于乙的提案,李四\n,,\n")
    store = tmp_path / "s.sqlite"
    result = run(store, "proposals", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "已导入 2 件" in result.stdout
    assert [p[0] for p in contents(store)["proposals"]] == ["TA1", "TA2"]


def test_a_register_with_only_a_header_says_so(tmp_path):
    refused(run(tmp_path / "s.sqlite", "proposals", "import", str(_csv(tmp_path, "案号,案由,第一提案人\n"))),
            "没有提案")
    refused(run(tmp_path / "s.sqlite", "proposals", "import", str(_csv(tmp_path, "", name="空.csv"))), "是空的")


def test_a_register_that_does_not_exist_is_named(tmp_path):
    refused(run(tmp_path / "s.sqlite", "proposals", "import", str(tmp_path / "没有.csv")), "无法读取提案目录", "没有.csv")


def test_re_import_updates_in_place(sample_store, tmp_path):
    text = PROPOSALS.read_text(encoding="utf-8")
    assert run(sample_store, "proposals", "import", str(_csv(tmp_path, text.replace("李惠英", "李慧英")))).exit_code == 0
    proposals = contents(sample_store)["proposals"]
    assert [(p[0], p[2]) for p in proposals if p[0] == "TA0395"] == [("TA0395", "李慧英")]
    assert len(proposals) == len({p[0] for p in proposals})  # updated, not added again
    result = run(sample_store, "proposals", "show", "TA0395")
    assert "李慧英" in result.stdout


# --- templates -------------------------------------------------------------------------------------

BROKEN_LINES = {
    "syntax": ("::unit {{ proposal.title }", ("语法错误",)),
    "unknown variable": ("::unit {{ proposal.nonexistent_thing }}", ("不存在的变量", "nonexistent_thing")),
    "class mro": ("{{ proposal.__class__.__mro__ }}", ("不允许",)),
    "subclasses": ("{{ ''.__class__.__subclasses__() }}", ("不允许",)),
    "globals": ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", ("不允许",)),
}


def _broken_format(tmp_path: Path, line: str) -> Path:
    """The shipped format with one bad line put in as line 4, right after its opening comment."""
    folder = tmp_path / "我的格式"
    shutil.copytree(SHIPPED_FORMAT, folder)
    template = folder / "reply.j2"
    lines = template.read_text(encoding="utf-8").split("\n")
    assert lines[2].endswith("-#}")
    lines.insert(3, line)
    template.write_text("\n".join(lines), encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", BROKEN_LINES)
def test_a_broken_template_is_reported_with_file_and_line_by_check(tmp_path, case):
    line, words = BROKEN_LINES[case]
    folder = _broken_format(tmp_path, line)
    for target in (folder, folder / "reply.j2"):
        err = refused(run(tmp_path / "s.sqlite", "templates", "check", str(target)),
                      "答复模板有误", "reply.j2", "第 4 行", *words)
        assert f">   4 | {line}" in err


@pytest.mark.parametrize("case", BROKEN_LINES)
def test_a_broken_template_writes_no_draft(sample_store, tmp_path, case):
    line, words = BROKEN_LINES[case]
    folder = _broken_format(tmp_path, line)
    out = tmp_path / "reply.docx"
    refused(run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城,高平", "--template", str(folder),
                      "--output", str(out)), "答复模板有误", "reply.j2", "第 4 行", *words)
    assert not out.exists() and not (tmp_path / "reply.sources.json").exists()
    assert leftovers(tmp_path) == []


def test_the_shipped_template_passes_its_check(tmp_path):
    result = run(tmp_path / "s.sqlite", "templates", "check", "政协提案答复")
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.stdout


def test_an_unknown_template_name_lists_the_available_ones(tmp_path):
    refused(run(tmp_path / "s.sqlite", "templates", "check", "人大建议答复X"), "找不到答复格式", "政协提案答复")
