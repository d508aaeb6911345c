"""`drafter ingest` of a folder holding every hostile case of issue 17 beside 20 good files.

Usage: python bench/hostile_ingest.py [--keep DIR] [--bin DIR]

Builds the folder (in a temporary folder, or DIR), runs `drafter ingest` on it as a subprocess and prints
the wall time and the peak RSS of the whole process tree (the command, its forkserver and its workers,
sampled from /proc as bench/tree_rss.py does), then checks the summary: every good file and every
readable hostile file stored, every bad one named with a reason. Target: under 60 s and 500 MB.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tree_rss import _tree_rss_kb  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CJK = [chr(c) for c in range(0x4e00, 0x4e00 + 3000)]


def _docx(path: Path, body: str, doctype: str = "") -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                   'openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
                   '/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0"?>{doctype}<w:document xmlns:w="{W}"><w:body>'.encode())
            for piece in ([body] if isinstance(body, str) else body):
                member.write(piece.encode())
            member.write(b"</w:body></w:document>")


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _merged(rows: int, columns: int, seed: int) -> str:
    rng = random.Random(seed)
    out = []
    for r in range(rows):
        merge = "<w:vMerge/>" if r else '<w:vMerge w:val="restart"/>'
        cells = "".join(f'<w:tc><w:tcPr>{merge}</w:tcPr>{_p(f"阳城县第{c}类重点工作。" if r == 0 else "")}</w:tc>'
                        for c in range(columns))
        out.append(f"<w:tr>{cells}<w:tc>{_p(f'第{r}项' + ''.join(rng.choices(CJK, k=12)))}</w:tc></w:tr>")
    return f"<w:tbl>{''.join(out)}</w:tbl>"


def _pdf(path: Path, pages: int, title: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page in range(pages):
        c.setFont("STSong-Light", 12)
        if page == 0:
            c.drawString(60, 800, title)
        for n in range(3):
            c.drawString(60, 760 - n * 20, f"泽州县第{page}页第{n}项工作按计划推进，各项指标")
        c.showPage()
    c.save()


def build(folder: Path) -> tuple[list[str], list[str]]:
    """The folder; returns (names that must be stored, names that must be skipped with a reason)."""
    good = folder / "正常材料"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_archive.py"), "20", str(good)], check=True,
                   stdout=subprocess.DEVNULL)
    stored = [p.name for p in good.rglob("*") if p.is_file()]
    bad: list[str] = []
    h = folder / "异常材料"
    h.mkdir()
    # 1. names in GBK bytes, as unzip leaves them: one readable, one empty
    raw = os.fsencode(h)
    with open(os.path.join(raw, "高平市政务服务工作总结.txt".encode("gbk")), "wb") as f:
        f.write("高平市政务服务工作总结\n\n高平市推行“一枚印章管审批”，全年办件12万件。\n".encode("gbk"))
    stored.append("高平市政务服务工作总结.txt")
    with open(os.path.join(raw, "空白的说明.txt".encode("gbk")), "wb"):
        pass
    bad.append("空白的说明.txt")
    # 2. an AES PDF that opens without a password; a PDF whose stream inflates past pypdf's limit
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import EncodedStreamObject, NameObject
    _pdf(h / "plain.tmp.pdf", 1, "沁水县政务云建设情况")
    writer = PdfWriter(clone_from=PdfReader(h / "plain.tmp.pdf"))
    writer.encrypt(user_password="", owner_password="限制编辑", algorithm="AES-256")
    with open(h / "限制编辑.pdf", "wb") as f:
        writer.write(f)
    (h / "plain.tmp.pdf").unlink()
    stored.append("限制编辑.pdf")
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = EncodedStreamObject()
    stream._data = zlib.compress(b" " * 80_000_000, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    with open(h / "解压炸弹.pdf", "wb") as f:
        writer.write(f)
    bad.append("解压炸弹.pdf")
    # 3. sizes: a sparse 3 GB file, a link to /dev/zero, a .docx that unpacks to 210 MB
    with open(h / "巨大.txt", "wb") as f:
        f.truncate(3 * 1024 ** 3)
    os.symlink("/dev/zero", h / "零.txt")
    _docx(h / "解压后过大.docx", (_p("阳城县" * 1000) for _ in range(7000)))
    bad += ["巨大.txt", "零.txt", "解压后过大.docx"]
    # 4. a FIFO, a linked folder (read once), a link back up (a loop)
    os.mkfifo(h / "x.txt")
    bad.append("x.txt")
    linked = folder / "别处"
    linked.mkdir()
    (linked / "链接里的材料.txt").write_text("陵川县工作情况\n\n陵川县建成数字城管平台，划分网格126个。\n", encoding="utf-8")
    os.symlink(linked, h / "链接")
    stored.append("链接里的材料.txt")
    (h / "子目录").mkdir()
    os.symlink(h, h / "子目录" / "回到上面")
    bad.append("回到上面")
    # 5. linear work: merged cells, a long PDF, text without punctuation, an entity reference
    _docx(h / "合并千行.docx", _p("阳城县重点工作台账") + _p("全县重点工作进展如下。") + _merged(1200, 1, 1))
    _docx(h / "合并多列.docx", _p("高平市重点工作台账") + _p("全市重点工作进展如下。") + _merged(900, 8, 2))
    _pdf(h / "长篇.pdf", 1000, "泽州县工作汇编")
    _docx(h / "实体.docx", _p("阳城县工作情况") + _p("阳城县&unit;建成政务云平台，迁移业务系统36个。"),
          '<!DOCTYPE w:document [<!ENTITY unit "数据局">]>')
    stored += ["合并千行.docx", "合并多列.docx", "长篇.pdf", "实体.docx"]
    (h / "没有标点.txt").write_text("".join(random.Random(4).choices(CJK, k=6_700_000)), encoding="utf-8")
    bad.append("没有标点.txt")
    # the usual broken files
    (h / "损坏.docx").write_bytes(b"PK\x03\x04" + random.Random(1).randbytes(2000))
    (h / "二进制.txt").write_bytes(random.Random(2).randbytes(4096))
    (h / "旧版.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    bad += ["损坏.docx", "二进制.txt", "旧版.docx"]
    return stored, bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the folder and the store here and keep them")
    parser.add_argument("--bin", type=Path, default=Path(sys.executable).parent, help="where drafter is installed")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        folder = work / "archive"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        store = work / "store.sqlite"
        for leftover in work.glob("store.sqlite*"):
            leftover.unlink()
        stored, bad = build(folder)
        started = time.perf_counter()
        process = subprocess.Popen([str(args.bin / "drafter"), "--store", str(store), "ingest", str(folder)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.1)
        wall = time.perf_counter() - started
        out, err = process.stdout.read().decode("utf-8", "replace"), process.stderr.read().decode("utf-8", "replace")
        process.stdout.close()
        process.stderr.close()
        print(f"wall {wall:.1f} s, peak RSS of the process tree {peak / 1024:.0f} MB, exit {process.returncode}")
        print(out.splitlines()[0] if out else err)
        lines = out.splitlines()
        missing_reason = [name for name in bad if not any("跳过 " in l and name in l for l in lines)]
        listed = subprocess.run([str(args.bin / "drafter"), "--store", str(store), "documents", "--json"],
                                capture_output=True, text=True).stdout
        not_stored = [name for name in stored if f'"{name}"' not in listed]
        print(f"stored: {len(stored) - len(not_stored)} of {len(stored)} expected (20 good + "
              f"{len(stored) - 20} readable hostile); bad named with a reason: {len(bad) - len(missing_reason)} "
              f"of {len(bad)}")
        for name in not_stored:
            print(f"  NOT STORED: {name}")
        for name in missing_reason:
            print(f"  NOT NAMED: {name}")
        if "Traceback" in err:
            print(err)
        ok = not not_stored and not missing_reason and wall < 60 and peak < 500 * 1024
        print("target met (under 60 s, under 500 MB, all stored, all named)" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
