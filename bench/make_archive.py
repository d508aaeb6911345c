"""Generate a deterministic, benchmark-only archive of N county reports in mixed formats and encodings.

Usage: python bench/make_archive.py N OUT_DIR [--seed S]

The text is re-mixed from the sentences of the shipped seed corpus (corpus/samples/*.txt) across the
counties of 晋城市, the years 2015-2025 and a set of topics. It is for benchmarks only: write it to a
temporary or given folder, never into the shipped corpus, and never commit it.
"""
from __future__ import annotations

import argparse
import io
import random
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "samples"

# (full name, how the county refers to itself)
COUNTIES = [("阳城县", "我县"), ("高平市", "我市"), ("城区", "我区"), ("陵川县", "我县"),
            ("泽州县", "我县"), ("沁水县", "我县")]
CITY = "晋城市"
YEARS = list(range(2015, 2026))
# topic -> words that make a seed sentence fit it
TOPICS = {
    "数字政府建设": ("数字政府", "政务", "一网通办", "审批"),
    "智慧城市建设": ("智慧城市", "城市大脑", "智慧", "指挥中心"),
    "大数据应用": ("大数据", "数据中心", "数据"),
    "政务服务": ("政务服务", "办结", "便民", "一次办好", "自助"),
    "电子政务外网": ("外网", "网络", "骨干网", "光纤"),
    "数据共享开放": ("共享", "开放", "交换", "目录"),
    "信息化建设": ("信息化", "网站", "信息"),
    "数字乡村": ("乡村", "农村", "农业", "镇"),
    "网络安全": ("安全", "等级保护", "隐私"),
}
KINDS = [("工作总结", 0.45), ("工作情况汇报", 0.2), ("工作要点", 0.15), ("news", 0.2)]
# share of each output format, in order; the rest of 1.0 goes to the last
FORMATS = [("txt-utf8", 0.33), ("txt-utf8-bom", 0.04), ("txt-gb18030", 0.16), ("txt-utf16", 0.02),
           ("html-utf8", 0.17), ("html-gbk", 0.08), ("docx", 0.17), ("pdf", 0.03)]

_PLACE = re.compile(r"晋城市|聊城市|烟台市|晋城|聊城|烟台|我市|全市|市级")
_YEAR = re.compile(r"20[0-2]\d(?=年)")
_LIST_NO = re.compile(r"^\s*(?:\d+[.．、]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|【[^】]{1,12}】)\s*")
_PLAN = re.compile(r"将|下一步|计划|继续|持续|力争|加快推进")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Pools:
    progress: list[str]
    plan: list[str]
    by_topic: dict[str, list[str]]


def load_pools(seeds: Path = SEEDS) -> Pools:
    """Split the seed texts into clean sentences, sorted into progress, plan and per-topic pools."""
    sentences: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for line in text.splitlines():
            line = _LIST_NO.sub("", line.strip())
            for s in re.split(r"(?<=[。！？])", line):
                s = s.strip()
                cjk = len(_CJK.findall(s))
                # whole sentences of body text only: no headlines, chrome or fragments
                if 18 <= len(s) <= 220 and s.endswith(("。", "！", "？")) and cjk >= 0.6 * len(s) \
                        and "首页" not in s and "版权" not in s and "记者" not in s and "委员" not in s:
                    sentences.append(s)
    sentences = sorted(set(sentences))
    plan = [s for s in sentences if _PLAN.search(s)]
    progress = [s for s in sentences if not _PLAN.search(s)]
    by_topic = {t: [s for s in sentences if any(w in s for w in words)] or sentences
                for t, words in TOPICS.items()}
    return Pools(progress, plan, by_topic)


def localise(sentence: str, county: str, self_name: str, year: int, rng: random.Random) -> str:
    """Move a seed sentence to a county and year."""
    def place(m: re.Match) -> str:
        word = m.group(0)
        if word in ("我市", "全市", "市级"):
            return {"我市": self_name, "全市": "全" + self_name[1], "市级": self_name[1] + "级"}[word]
        if word.endswith("市"):
            return county
        return county[:-1] if len(county) > 2 else county  # bare short name: 阳城, 高平, 城区
    sentence = _PLACE.sub(place, sentence)
    return _YEAR.sub(lambda m: str(year - rng.choice((0, 0, 0, 1))), sentence)


def as_plan(sentence: str, self_name: str, rng: random.Random) -> str:
    """Turn a progress sentence into a plan sentence."""
    core = re.sub(r"^[^，。]{0,12}[，,]", "", sentence).rstrip("。！？")
    core = re.sub(r"^(已|已经|正式|目前|现已|全面)", "", core)
    lead = rng.choice(("下一步，", "明年，", "下一阶段，", ""))
    verb = rng.choice(("将继续", "将进一步", "计划", "将着力", "将加快"))
    return f"{lead}{self_name}{verb}{core}。"


@dataclass
class Doc:
    title: str
    date: str
    county: str
    year: int
    blocks: list[tuple[str, str]]  # (kind: "heading" | "para", text)


def make_doc(i: int, pools: Pools, seed: int) -> Doc:
    """One document, decided entirely by (seed, i)."""
    rng = random.Random(seed * 1_000_003 + i)
    county, self_name = rng.choice(COUNTIES)
    year = rng.choice(YEARS)
    topic = rng.choice(list(TOPICS))
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if kind == "news":
        title = f"{county}{rng.choice(('扎实推进', '加快推进', '全力推动', '稳步推进'))}{topic}"
    elif kind == "工作要点":
        title = f"{county}{year}年{topic}工作要点"
    else:
        title = f"{county}{year}年{topic}{kind}"
    pool = pools.by_topic[topic]

    def pick(n: int, source: list[str]) -> list[str]:
        return [localise(rng.choice(source), county, self_name, year, rng) for _ in range(n)]

    def para(n: int, plan: bool = False) -> str:
        if plan:
            out = []
            for _ in range(n):
                if pools.plan and rng.random() < 0.4:
                    out.append(localise(rng.choice(pools.plan), county, self_name, year, rng))
                else:
                    out.append(as_plan(pick(1, pool)[0], self_name, rng))
            return "".join(out)
        return "".join(pick(n, pool if rng.random() < 0.7 else pools.progress))

    blocks: list[tuple[str, str]] = []
    intro = f"{year}年，{county}深入贯彻{CITY}关于{topic}的部署要求，统筹推进各项工作，取得了阶段性成效。"
    blocks.append(("para", intro + para(rng.randint(1, 2))))
    if kind == "news":
        for _ in range(rng.randint(3, 7)):
            blocks.append(("para", para(rng.randint(2, 4))))
        if rng.random() < 0.7:
            blocks.append(("para", para(rng.randint(1, 3), plan=True)))
    elif kind == "工作要点":
        blocks.append(("heading", "一、总体要求"))
        blocks.append(("para", para(rng.randint(1, 2), plan=True)))
        blocks.append(("heading", "二、重点任务"))
        for n in range(rng.randint(3, 7)):
            blocks.append(("para", f"（{'一二三四五六七八九'[n]}）" + para(rng.randint(2, 4), plan=True)))
    else:
        blocks.append(("heading", "一、主要工作进展"))
        for n in range(rng.randint(3, 8)):
            lead = f"{n + 1}. " if rng.random() < 0.5 else ""
            blocks.append(("para", lead + para(rng.randint(2, 5))))
        blocks.append(("heading", "二、存在的问题"))
        blocks.append(("para", f"{self_name}{topic}工作还存在基础设施薄弱、专业人才不足、数据壁垒尚未完全打通等问题。"))
        blocks.append(("heading", "三、下一步工作计划"))
        for n in range(rng.randint(2, 5)):
            blocks.append(("para", f"{n + 1}. " + para(rng.randint(1, 3), plan=True)))
    date = f"{year}年{month}月{day}日"
    return Doc(title, date, county, year, blocks)


# --- writers ----------------------------------------------------------------------------------

def _text_body(doc: Doc, rng: random.Random) -> str:
    lines = [doc.title, ""]
    if rng.random() < 0.5:
        lines += [f"{doc.county}人民政府办公室", ""]
    for kind, text in doc.blocks:
        if kind == "para" and rng.random() < 0.15:
            # a hard-wrapped paragraph, as copied out of a PDF
            lines += [text[k:k + 38] for k in range(0, len(text), 38)]
        else:
            lines.append(("\u3000\u3000" if kind == "para" and rng.random() < 0.5 else "") + text)
        lines.append("")
    lines += [doc.county + "人民政府办公室", doc.date]
    return "\n".join(lines) + "\n"


def write_txt(doc: Doc, path: Path, encoding: str, rng: random.Random) -> None:
    text = _text_body(doc, rng)
    if rng.random() < 0.3:
        text = text.replace("\n", "\r\n")
    path.write_bytes(text.encode(encoding, errors="replace"))


_CHROME_HEAD = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>{title}_{site}</title>
<meta name="PubDate" content="{iso}"><style>body{{font:14px SimSun}}</style>
<script>var _hmt=_hmt||[];</script></head>
<body><div class="header"><div class="top">{site}</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxx/">走进{short}</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 工作动态</div>
<div class="article"><h1>{title}</h1><div class="info">发布时间：{iso}　来源：{county}人民政府办公室　浏览次数：{views}</div>
<div class="content">
"""
_CHROME_TAIL = """</div></div>
<div class="share">分享到：<a>微信</a><a>微博</a></div>
<div class="related"><h3>相关链接</h3><ul><li><a href="#">{other}</a></li></ul></div>
<div class="footer">主办：{county}人民政府办公室　版权所有　晋ICP备0{icp}号<br>地址：{county}凤城路1号</div>
</body></html>
"""


def write_html(doc: Doc, path: Path, charset: str, rng: random.Random) -> None:
    from html import escape
    iso = f"{doc.year}-{int(doc.date.split('年')[1].split('月')[0]):02d}-{int(doc.date.split('月')[1][:-1]):02d}"
    short = doc.county.rstrip("县市区") or doc.county
    parts = [_CHROME_HEAD.format(charset=charset, title=escape(doc.title), site=f"{doc.county}人民政府",
                                 iso=iso, short=short, county=doc.county, views=rng.randint(10, 9999))]
    for kind, text in doc.blocks:
        if kind == "heading":
            parts.append(f"<p><strong>{escape(text)}</strong></p>\n")
        else:
            parts.append(f"<p style=\"text-indent:2em\">{escape(text)}</p>\n")
    parts.append(_CHROME_TAIL.format(county=doc.county, other=f"{CITY}召开数字经济发展推进会",
                                     icp=rng.randint(1000000, 9999999)))
    path.write_bytes("".join(parts).encode(charset, errors="xmlcharrefreplace"))


def _fixed_zip(blob: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so the same document gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_docx(doc: Doc, path: Path, rng: random.Random) -> None:
    import datetime
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    d = Document()
    d.core_properties.created = datetime.datetime(2020, 1, 1)
    d.core_properties.modified = datetime.datetime(2020, 1, 1)
    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(doc.title).bold = True
    for kind, text in doc.blocks:
        if kind == "heading":
            if rng.random() < 0.5:
                d.add_heading(text, level=2)
            else:
                d.add_paragraph().add_run(text).bold = True
        else:
            d.add_paragraph(text)
    sign = d.add_paragraph(f"{doc.county}人民政府办公室\n{doc.date}")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    d.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue()))


_PDF_STYLES = None


def write_pdf(doc: Doc, path: Path, rng: random.Random) -> None:
    global _PDF_STYLES
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from html import escape
    if _PDF_STYLES is None:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        _PDF_STYLES = {
            "title": ParagraphStyle("t", fontName="STSong-Light", fontSize=18, leading=28, alignment=1,
                                    wordWrap="CJK", spaceAfter=12),
            "heading": ParagraphStyle("h", fontName="STSong-Light", fontSize=14, leading=24, wordWrap="CJK"),
            "para": ParagraphStyle("p", fontName="STSong-Light", fontSize=12, leading=22, firstLineIndent=24,
                                   wordWrap="CJK"),
        }
    story = [Paragraph(escape(doc.title), _PDF_STYLES["title"])]
    story += [Paragraph(escape(text), _PDF_STYLES[kind]) for kind, text in doc.blocks]
    story.append(Paragraph(escape(f"{doc.county}人民政府办公室 {doc.date}"), _PDF_STYLES["para"]))
    SimpleDocTemplate(str(path), pagesize=A4, title=doc.title, invariant=1).build(story)


def write(doc: Doc, fmt: str, folder: Path, index: int, rng: random.Random) -> Path:
    stem = f"{index:05d}_{doc.title}"
    if fmt.startswith("txt"):
        path = folder / f"{stem}.txt"
        encoding = {"txt-utf8": "utf-8", "txt-utf8-bom": "utf-8-sig", "txt-gb18030": "gb18030",
                    "txt-utf16": "utf-16"}[fmt]
        write_txt(doc, path, encoding, rng)
    elif fmt.startswith("html"):
        path = folder / f"{stem}.{rng.choice(('html', 'htm'))}"
        write_html(doc, path, "utf-8" if fmt == "html-utf8" else "gbk", rng)
    elif fmt == "docx":
        path = folder / f"{stem}.docx"
        write_docx(doc, path, rng)
    else:
        path = folder / f"{stem}.pdf"
        write_pdf(doc, path, rng)
    return path


def make_archive(n: int, out: Path, seed: int = 9) -> list[Path]:
    """Write n documents under out/<county>/<year>/ and return their paths."""
    pools = load_pools()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        doc = make_doc(i, pools, seed)
        rng = random.Random(seed * 7_919 + i)
        fmt = rng.choices([f for f, _ in FORMATS], [w for _, w in FORMATS])[0]
        folder = out / doc.county / str(doc.year)
        folder.mkdir(parents=True, exist_ok=True)
        paths.append(write(doc, fmt, folder, i, rng))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("out_dir", type=Path, help="folder to write (benchmark data only; never commit it)")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args(argv)
    out = args.out_dir.resolve()
    if out == ROOT or ROOT / "corpus" in (out, *out.parents):
        parser.error("refusing to write generated text into the project or its shipped corpus")
    paths = make_archive(args.n, out, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} documents, {size / 1e6:.1f} MB, under {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
