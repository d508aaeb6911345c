"""A .docx as the checks see it: paragraphs with their role, text, runs and the properties Word would apply."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from ..errors import ReadError
from ..profile import Profile
from .numbers import AutoNumbers, Label, parse_label

# Containers a paragraph's runs may sit in (links, insertions, content controls, simple fields).
_RUN_CONTAINERS = {qn(t) for t in ("w:hyperlink", "w:ins", "w:smartTag", "w:fldSimple", "w:sdt", "w:sdtContent",
                                   "w:customXml", "w:moveTo")}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
DATE_TEXT = re.compile(r"^\s*[0-9０-９〇○零一二三四五六七八九十]{2,4}\s*年\s*[0-9０-９一二三四五六七八九十]{1,3}\s*月"
                       r"\s*[0-9０-９一二三四五六七八九十]{1,3}\s*日\s*$")
_TITLE_END = re.compile(r"(答复|会办意见|意见|复函|函)$")
_PUBLICITY = re.compile(r"^[（(]?此件(公开发布|依申请公开|不予公开)")
SIGNOFF_LABELS = ("负责人", "承办人", "联系人", "联系电话", "电话", "签发人", "经办人")


def squeeze(text: str) -> str:
    """Text without any whitespace: "承 办 人" and "承办人" are the same label."""
    return "".join(text.split())


@dataclass
class RunInfo:
    element: object
    text: str
    start: int          # offset of the run's text in the paragraph's text
    east_asia: str      # the CJK font Word applies ("" when a theme font or nothing is set)
    size_pt: float | None
    spacing_pt: float   # character spacing (negative: condensed)
    highlight: str


@dataclass
class Para:
    number: int                      # 1-based, counting every paragraph of the body
    element: object
    text: str
    role: str = "body"
    runs: list[RunInfo] = field(default_factory=list)
    label: Label | None = None
    auto_label: str = ""             # what Word's automatic numbering shows before the text
    props: dict = field(default_factory=dict)
    in_table: bool = False

    @property
    def shown(self) -> str:
        return self.auto_label + self.text


class Styles:
    """Style lookups: a property is taken from the paragraph or run, then its styles, then the defaults."""

    def __init__(self, document):
        root = document.styles.element
        self._by_id = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}
        self.default_para = next((s.get(qn("w:styleId")) for s in root.findall(qn("w:style"))
                                  if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")),
                                 None)
        defaults = root.find(qn("w:docDefaults"))
        self.default_rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr")) if defaults is not None else None
        self.default_ppr = defaults.find(qn("w:pPrDefault") + "/" + qn("w:pPr")) if defaults is not None else None

    def chain(self, style_id: str | None) -> list:
        out, seen = [], set()
        while style_id and style_id in self._by_id and style_id not in seen:
            seen.add(style_id)
            style = self._by_id[style_id]
            out.append(style)
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return out

    def para_style(self, p) -> str | None:
        ppr = p.find(qn("w:pPr"))
        ps = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return ps.get(qn("w:val")) if ps is not None else self.default_para

    def ppr_chain(self, p) -> list:
        """pPr elements from the paragraph outwards to the document defaults."""
        chain = [p.find(qn("w:pPr"))] + [s.find(qn("w:pPr")) for s in self.chain(self.para_style(p))]
        return [x for x in chain + [self.default_ppr] if x is not None]

    def run_own_chain(self, r) -> list:
        """The run's own rPr and its character style's: what a run sets over its paragraph's style."""
        rpr = r.find(qn("w:rPr"))
        chain = [rpr]
        rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
        if rstyle is not None:
            chain += [s.find(qn("w:rPr")) for s in self.chain(rstyle.get(qn("w:val")))]
        return [x for x in chain if x is not None]

    def rpr_chain(self, p, r) -> list:
        chain = self.run_own_chain(r) + [s.find(qn("w:rPr")) for s in self.chain(self.para_style(p))]
        return [x for x in chain + [self.default_rpr] if x is not None]


def first_attr(chain: list, child: str, attr: str) -> str | None:
    for el in chain:
        c = el.find(qn(child))
        if c is not None and c.get(qn(attr)) is not None:
            return c.get(qn(attr))
    return None


def east_asia_font(chain: list) -> str:
    for el in chain:
        fonts = el.find(qn("w:rFonts"))
        if fonts is None:
            continue
        if fonts.get(qn("w:eastAsiaTheme")) is not None:
            return ""  # a theme font (等线, 宋体 …): not the font the standard names
        if fonts.get(qn("w:eastAsia")) is not None:
            return fonts.get(qn("w:eastAsia"))
    return ""


def runs_of(p):
    """The w:r elements that make a paragraph's text, in order (not those inside text boxes)."""
    for child in p:
        if child.tag == qn("w:r"):
            yield child
        elif child.tag in _RUN_CONTAINERS:
            yield from runs_of(child)


def run_text(r) -> str:
    parts = []
    for c in r:
        if c.tag == qn("w:t"):
            parts.append(c.text or "")
        elif c.tag == qn("w:tab"):
            parts.append("\t")
        elif c.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
    return "".join(parts)


@dataclass
class CheckedDoc:
    path: Path
    document: object
    paragraphs: list[Para]
    styles: Styles
    profile: Profile

    def body_like(self, *roles: str) -> list[Para]:
        return [p for p in self.paragraphs if p.role in roles and p.text.strip()]


def open_docx(path: Path):
    if not path.is_file():
        raise ReadError(f"找不到文件：{path}", "请检查文件名和路径。")
    try:
        if not zipfile.is_zipfile(path):
            raise ReadError(f"不是有效的 .docx 文件：{path}", "请用 Word 或 WPS 打开后另存为 .docx（Word 文档）再检查。")
        return docx.Document(str(path))
    except OSError as e:
        raise ReadError(f"无法读取文件：{path}（{e.strerror}）", "请检查文件是否存在、是否有读取权限。") from e
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise ReadError(f"无法作为 .docx 读取：{path}（{e}）", "请用 Word 或 WPS 打开后另存为 .docx 再检查。") from e


def read_checked(path: Path, profile: Profile, document=None) -> CheckedDoc:
    document = document if document is not None else open_docx(path)
    styles = Styles(document)
    autos = AutoNumbers(document)
    paragraphs = []
    body_paragraphs = [p for p in document.element.body.iter(qn("w:p"))
                       if not any(a.tag == qn("w:txbxContent") for a in p.iterancestors())]
    for n, p in enumerate(body_paragraphs, 1):
        para = Para(n, p, "")
        para.in_table = any(a.tag == qn("w:tc") for a in p.iterancestors())
        offset, texts = 0, []
        for r in runs_of(p):
            text = run_text(r)
            chain = styles.rpr_chain(p, r)
            size = first_attr(chain, "w:sz", "w:val")
            spacing = first_attr(chain, "w:spacing", "w:val")
            own = styles.run_own_chain(r)
            para.runs.append(RunInfo(r, text, offset, east_asia_font(chain), int(size) / 2 if size else None,
                                     int(spacing) / 20 if spacing else 0.0,
                                     first_attr(own, "w:highlight", "w:val") or ""))
            texts.append(text)
            offset += len(text)
        para.text = "".join(texts)
        chain = styles.ppr_chain(p)
        para.props = _para_props(chain)
        num_id, ilvl = para.props.get("numId"), para.props.get("ilvl") or "0"
        # An empty numbered paragraph still shows (and uses up) its number in Word.
        if num_id and num_id != "0":
            para.auto_label = autos.label(num_id, int(ilvl))
            level_ppr = autos.level_ppr(num_id, int(ilvl))
            if level_ppr is not None:
                # The list level's indents stand between the paragraph's own and its style's.
                own = 1 if p.find(qn("w:pPr")) is not None else 0
                para.props.update(_indent_props(chain[:own] + [level_ppr] + chain[own:]))
        if para.auto_label:
            para.label = parse_label(para.auto_label, automatic=True)
        else:
            para.label = parse_label(para.text)
        paragraphs.append(para)
    _assign_roles(paragraphs, profile)
    return CheckedDoc(path, document, paragraphs, styles, profile)


def _para_props(chain: list) -> dict:
    props = {}
    for key, child, attr in (("line", "w:spacing", "w:line"), ("lineRule", "w:spacing", "w:lineRule"),
                             ("jc", "w:jc", "w:val"), ("snapToGrid", "w:snapToGrid", "w:val")):
        props[key] = first_attr(chain, child, attr)
    props.update(_indent_props(chain))
    # The list and the level are inherited apart: a paragraph may set only its level on its style's list, and
    # numId 0 on the paragraph switches the style's numbering off.
    props["numId"] = first_attr([n for n in (el.find(qn("w:numPr")) for el in chain) if n is not None],
                                "w:numId", "w:val")
    props["ilvl"] = first_attr([n for n in (el.find(qn("w:numPr")) for el in chain) if n is not None],
                               "w:ilvl", "w:val")
    return props


_FIRST_LINE = ("firstLine", "firstLineChars", "hanging", "hangingChars")


def _indent_props(chain: list) -> dict:
    """The first line's indent, from the nearest w:ind that sets it at all: a first-line indent set on the
    paragraph replaces a hanging one of its style or list, as in Word."""
    for el in chain:
        ind = el.find(qn("w:ind"))
        if ind is not None and any(ind.get(qn("w:" + a)) is not None for a in _FIRST_LINE):
            return {a: ind.get(qn("w:" + a)) for a in _FIRST_LINE}
    return dict.fromkeys(_FIRST_LINE)


def _assign_roles(paragraphs: list[Para], profile: Profile) -> None:
    """Title, salutation, headings, 落款 and 版记 lines, from the text and its place in the letter."""
    filled = [p for p in paragraphs if p.text.strip()]
    title_at = next((i for i, p in enumerate(filled[:8]) if squeeze(p.text).startswith("关于")
                     or _TITLE_END.search(squeeze(p.text))), None)
    labels = {squeeze(label) for label, _ in profile.signoff} | set(SIGNOFF_LABELS)
    for i, p in enumerate(filled):
        flat = squeeze(p.text)
        if title_at is not None and i < title_at:
            p.role = "header"
        elif title_at is not None and i == title_at:
            p.role = "title"
        elif (title_at is not None and i > title_at and filled[i - 1].role == "title"
              and not _TITLE_END.search(squeeze(filled[i - 1].text)) and p.props.get("jc") == "center"):
            p.role = "title"  # a title typed over two paragraphs
        elif title_at is not None and filled[i - 1].role == "title" and flat.endswith(("：", ":")) and len(flat) <= 40:
            p.role = "salutation"
        elif flat.startswith("抄送"):
            p.role = "cc"
        elif flat.endswith("印发"):
            p.role = "printed"  # the 版记's 印发机关和印发日期 line
        elif _PUBLICITY.match(flat):
            p.role = "publicity"
        elif DATE_TEXT.match(flat):
            p.role = "date"
        elif any(flat.startswith(label + "：") or flat.startswith(label + ":") for label in labels):
            p.role = "signoff"
        elif p.in_table:
            p.role = "table"  # a cell's text: neither indented nor numbered like the letter's paragraphs
        elif p.label is not None:
            p.role = {1: "h1", 2: "h2", 3: "item", 4: "subitem"}[p.label.level]
        else:
            p.role = "body"
    for p in paragraphs:
        if not p.text.strip() and p.label is not None:
            p.role = {1: "h1", 2: "h2", 3: "item", 4: "subitem"}[p.label.level]  # a number Word shows on its own
    # The unit's name right above the date is the 落款 signature, not a body paragraph.
    for i, p in enumerate(filled):
        if p.role == "date" and i > 0 and filled[i - 1].role == "body" and len(squeeze(filled[i - 1].text)) <= 30 \
                and not squeeze(filled[i - 1].text).endswith(("。", "！", "：")):
            filled[i - 1].role = "signature"
        if p.role == "body" and squeeze(p.text) == squeeze(profile.unit) and i > len(filled) // 2:
            p.role = "signature"


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
