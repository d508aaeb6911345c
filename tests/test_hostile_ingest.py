"""An archive as offices really hold it never stops an ingest, and nothing hangs: each hostile file is
skipped with its reason (or read), the rest is stored, the summary names every file."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


import drafter.ingest
import drafter.read.text
from conftest import run_drafter
from drafter.store import Store
from drafter.gazetteer import default_gazetteer

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
GOOD = "阳城县数据局2024年工作总结\n\n阳城县建成了县级政务云平台，全县42个部门的业务系统全部迁移上云。\n"


def drafter_process(store: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    """The real command in its own process: a hang fails the test instead of stopping the suite."""
    return subprocess.run([sys.executable, "-c", "from drafter.cli import main; main()", "--store", str(store),
                           *args], capture_output=True, timeout=timeout, cwd=ROOT)


# Runs a command and reports the largest resident size among it and the workers it waited for.
PEAK_OF = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True); "
           "sys.stdout.buffer.write(done.stdout); sys.stderr.buffer.write(done.stderr); "
           "sys.stderr.write(f'peak_kb={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}')")


def stored_files(store: Path) -> list[str]:
    with sqlite3.connect(store) as db:
        return sorted(row[0] for row in db.execute("SELECT file FROM documents"))


def skipped_line(output: str, name: str) -> str:
    line = next((l for l in output.splitlines() if "跳过 " in l and name in l), None)
    assert line is not None, (name, output)
    return line


def with_good_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "好的材料.txt").write_text(GOOD, encoding="utf-8")
    return folder


# --- 1. names ------------------------------------------------------------------------------------

def test_file_names_in_gbk_bytes_are_stored_and_named_in_the_summary(tmp_path):
    folder = with_good_file(tmp_path / "解压后")
    raw = os.fsencode(folder)
    gbk_name = "高平市政务服务工作总结.txt".encode("gbk")
    with open(os.path.join(raw, gbk_name), "wb") as f:
        f.write("高平市政务服务工作总结\n\n高平市推行“一枚印章管审批”，全年办件12万件。\n".encode("gbk"))
    with open(os.path.join(raw, b"\xff\xfe-bad.txt"), "wb") as f:  # no encoding explains these bytes
        f.write(b"")
    store = tmp_path / "s.sqlite"
    result = drafter_process(store, "ingest", str(folder))
    out = result.stdout.decode("utf-8")
    assert b"Traceback" not in result.stderr and "程序内部出错" not in result.stderr.decode("utf-8")
    assert "新导入 2 个" in out, out
    assert "为空" in skipped_line(out, "-bad.txt")
    assert stored_files(store) == sorted(["好的材料.txt", "高平市政务服务工作总结.txt"])


# --- 2. PDFs ---------------------------------------------------------------------------------------

def _pdf_with_text(path: Path, lines: list[str]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for n, line in enumerate(lines):
        c.setFont("STSong-Light", 14)
        c.drawString(80, 760 - n * 30, line)
    c.showPage()
    c.save()


def test_an_aes_encrypted_pdf_that_opens_without_a_password_is_read(tmp_path):
    from pypdf import PdfReader, PdfWriter
    folder = tmp_path / "材料"
    folder.mkdir()
    plain = tmp_path / "plain.pdf"
    _pdf_with_text(plain, ["沁水县政务云建设情况", "沁水县建成政务云平台，迁移业务系统36个。"])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="限制编辑", algorithm="AES-256")
    with open(folder / "限制编辑.pdf", "wb") as f:
        writer.write(f)
    store = tmp_path / "s.sqlite"
    result = run_drafter(store, "ingest", str(folder))
    assert result.exit_code == 0, result.output
    assert stored_files(store) == ["限制编辑.pdf"]


def test_whatever_pypdf_raises_on_one_file_skips_that_file_only(tmp_path, monkeypatch):
    import pypdf
    from pypdf.errors import LimitReachedError
    folder = with_good_file(tmp_path / "材料")
    _pdf_with_text(folder / "巨大的流.pdf", ["泽州县工作情况", "泽州县建成应急指挥平台。"])
    _pdf_with_text(folder / "怪异.pdf", ["陵川县工作情况", "陵川县建成数字城管平台。"])
    real = pypdf.PageObject.extract_text

    class Unforeseen(Exception):
        pass

    def extract_text(page, *args, **kwargs):
        name = Path(page.pdf.stream.name).name if hasattr(page.pdf.stream, "name") else ""
        text = real(page, *args, **kwargs)
        if "泽州" in text:
            raise LimitReachedError("Limit reached while decompressing.")
        if "陵川" in text:
            raise Unforeseen(name)
        return text

    monkeypatch.setattr(pypdf.PageObject, "extract_text", extract_text)
    report = drafter.ingest.ingest(Store(tmp_path / "s.sqlite"), [folder], workers=1)
    reasons = {p.name: r for p, r in report.skipped}
    assert set(reasons) == {"巨大的流.pdf", "怪异.pdf"}
    assert "庞大" in reasons["巨大的流.pdf"] and "无法解析" in reasons["怪异.pdf"]
    assert [p.name for p in report.new] == ["好的材料.txt"]


# --- 3. size -----------------------------------------------------------------------------------------

def test_a_huge_file_and_a_link_to_dev_zero_are_refused_without_reading_them(tmp_path):
    folder = with_good_file(tmp_path / "材料")
    with open(folder / "巨大.txt", "wb") as f:
        f.truncate(3 * 1024 ** 3)  # sparse: three gigabytes that take no disk
    os.symlink("/dev/zero", folder / "零.txt")
    store = tmp_path / "s.sqlite"
    started = time.monotonic()
    # From a small process of its own: Linux starts a child's peak at its parent's size, and the test
    # process is hundreds of megabytes by this test.
    measured = subprocess.run([sys.executable, "-c", PEAK_OF, sys.executable, "-c", "from drafter.cli import main; main()",
                               "--store", str(store), "ingest", str(folder)], capture_output=True, timeout=120, cwd=ROOT)
    out = measured.stdout.decode("utf-8")
    assert time.monotonic() - started < 60
    peak_kb = int(measured.stderr.decode("utf-8").rsplit("peak_kb=", 1)[1])
    assert peak_kb < 400 * 1024, f"memory grew to {peak_kb // 1024} MB"
    assert "太大" in skipped_line(out, "巨大.txt")
    assert "设备文件" in skipped_line(out, "零.txt")
    assert stored_files(store) == ["好的材料.txt"]


def test_a_file_that_runs_out_of_memory_is_skipped_and_the_rest_stored(tmp_path, monkeypatch):
    folder = with_good_file(tmp_path / "材料")
    (folder / "吃内存.txt").write_text(GOOD.replace("阳城", "高平"), encoding="utf-8")
    real = drafter.read.text.read_text

    def read_text(path, data):
        if "吃内存" in path.name:
            raise MemoryError
        return real(path, data)

    monkeypatch.setattr(drafter.read.text, "read_text", read_text)
    store = tmp_path / "s.sqlite"
    result = run_drafter(store, "ingest", str(folder))
    assert "内存不足" in skipped_line(result.output, "吃内存.txt")
    assert stored_files(store) == ["好的材料.txt"]


def test_a_file_past_its_time_budget_is_given_up_with_its_name(tmp_path, monkeypatch):
    folder = with_good_file(tmp_path / "材料")
    # Real work that takes far longer than the budget set below: half a million characters of prose, each
    # sentence its own (a sentence read before is answered from caches a long test run has warmed).
    (folder / "很长的汇编.txt").write_text("".join(f"阳城县推进第{n}批数字政府建设，各部门业务系统迁移上云。"
                                                  for n in range(20000)), encoding="utf-8")
    default_gazetteer().segmenter.words("阳城县")  # the dictionary loads once, outside any file's budget
    monkeypatch.setattr(drafter.ingest, "PER_FILE_SECONDS", 0.2)
    monkeypatch.setattr(drafter.ingest, "SECONDS_PER_MB", 0)
    store = tmp_path / "s.sqlite"
    started = time.monotonic()
    result = run_drafter(store, "ingest", str(folder))
    assert time.monotonic() - started < 30
    assert "秒" in skipped_line(result.output, "很长的汇编.txt")
    assert stored_files(store) == ["好的材料.txt"]


# --- 4. only regular files; linked folders -----------------------------------------------------------

def test_a_fifo_named_like_a_text_file_never_hangs_the_ingest(tmp_path):
    folder = with_good_file(tmp_path / "材料")
    os.mkfifo(folder / "x.txt")
    store = tmp_path / "s.sqlite"
    result = drafter_process(store, "ingest", str(folder), timeout=60)
    out = result.stdout.decode("utf-8")
    assert "管道" in skipped_line(out, "x.txt")
    assert stored_files(store) == ["好的材料.txt"]


def test_a_linked_folder_is_read_once_and_a_loop_is_reported(tmp_path):
    elsewhere = with_good_file(tmp_path / "别处的材料")
    folder = tmp_path / "材料"
    (folder / "子目录").mkdir(parents=True)
    (folder / "子目录" / "高平.txt").write_text(GOOD.replace("阳城", "高平"), encoding="utf-8")
    os.symlink(elsewhere, folder / "链接")
    os.symlink(folder, folder / "子目录" / "回到上面")
    store = tmp_path / "s.sqlite"
    result = run_drafter(store, "ingest", str(folder))
    assert "循环" in skipped_line(result.output, "回到上面")
    assert stored_files(store) == ["好的材料.txt", "高平.txt"]
    assert "新导入 2 个" in result.output
