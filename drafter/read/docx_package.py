"""The .docx package layer: what python-docx's Document() checks on opening a file (zip, content types,
relationships, the parts it parses, styles), done with lxml straight from the zip, several times faster.

A file opens here when Document() opened it; markup Document() or python-docx's objects refuse raises
MalformedDocx, a ReadError saying the file is corrupt."""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from drafter.errors import ReadError

CORRUPT_MESSAGE = "文件已损坏，无法作为 Word 文档打开"
CORRUPT_HINT = "请用 Word 或 WPS 打开后另存为 .docx 再导入"
OLD_DOC_MESSAGE = "这是旧版 Word（.doc）或 WPS 文件，只是扩展名写成了 .docx"
OLD_DOC_HINT = "请用 Word 或 WPS 打开后“另存为” .docx 格式再导入"
BOMB_MESSAGE = "文件解压后过大，不像正常的 Word 文档，已拒绝读取"
BOMB_HINT = "请确认文件来源可靠；如确是正常文档，请用 Word 或 WPS 打开后另存为 .docx 再导入"

# A real reply or report is a few megabytes unpacked even with pictures; anything far beyond is hostile.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5000
# The text of a thousand-page report is a few megabytes of XML.
MAX_XML_PART_BYTES = 32 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_package(data: bytes) -> None:
    """Refuse what is not a .docx package, or what would unpack to an absurd size (a zip bomb)."""
    if data.startswith(_OLE_MAGIC):
        raise ReadError(OLD_DOC_MESSAGE, OLD_DOC_HINT)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:  # zipfile's refusals
        raise ReadError(CORRUPT_MESSAGE, CORRUPT_HINT) from exc
    # zipfile never inflates a member past its declared size, so the declared sizes are a safe bound.
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise ReadError(BOMB_MESSAGE, BOMB_HINT)
    if "word/document.xml" not in names and "[Content_Types].xml" not in names:
        raise ReadError(CORRUPT_MESSAGE, CORRUPT_HINT)


class MalformedDocx(ReadError):
    """Markup python-docx's Document() (or its objects) refuses: the file is read as Word reads it or not at
    all, and then said to be corrupt. `reason` tells a developer which rule it broke."""

    def __init__(self, reason: object):
        super().__init__(CORRUPT_MESSAGE, CORRUPT_HINT)
        self.reason = str(reason)


# python-docx's Document() costs most of a read, so its rules are followed instead (lxml straight from the
# zip is several times faster): a file opens when Document() opened it and reads the same.
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_DOCUMENT_TYPE, _STYLES_TYPE = _WML + "document.main+xml", _WML + "styles+xml"
# The parts Document() parses on opening: a malformed one made the whole file unreadable.
_XML_PARTS = {_DOCUMENT_TYPE, _STYLES_TYPE, "application/vnd.openxmlformats-package.core-properties+xml"} | {
    f"{_WML}{kind}+xml" for kind in ("comments", "footer", "header", "numbering", "settings")}
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)  # python-docx's settings
_ABSENT = object()  # an optional element that is not there (a present one may lack its w:val)
_ALIGNMENTS = {"left", "center", "right", "both", "distribute", "mediumKashida", "highKashida", "lowKashida",
               "thaiDistribute"}
_P, _R, _T, _BR, _TBL, _TR, _TC = (f"{_W}{t}" for t in ("p", "r", "t", "br", "tbl", "tr", "tc"))
_RUN_TEXT = {f"{_W}t": None, f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}tab": "\t", f"{_W}ptab": "\t",
             f"{_W}noBreakHyphen": "-"}
# An archive repeats a few templates: parsed styles and checked parts are kept by content digest.
_CACHE_SIZE = 64
_parsed: dict[bytes, _Styles | None] = {}


def _val(element, path: str):
    """w:val of the first child along `path`: _ABSENT when a step is missing, None when only the value is."""
    for tag in path.split("/"):
        element = next(element.iterchildren(_W + tag), None)  # the first such child; faster than find()
        if element is None:
            return _ABSENT
    return element.get(f"{_W}val")


def _on_off(value) -> bool | None:  # a w:b-like switch: absent is None, present without a value is on
    if value is _ABSENT or value in ("0", "false", "off"):
        return None if value is _ABSENT else False
    if value is None or value in ("1", "true", "on"):
        return True
    raise MalformedDocx(value)


def _alignment(value) -> str | None:
    if value is not _ABSENT and value not in _ALIGNMENTS:
        raise MalformedDocx(value)
    return None if value is _ABSENT else value


class _Style:
    __slots__ = ("based_on", "bold", "default", "id", "jc", "kind", "name")

    def __init__(self, element):
        self.kind, self.id = element.get(f"{_W}type"), element.get(f"{_W}styleId")
        self.default = element.get(f"{_W}default")
        self.name, self.based_on = _val(element, "name"), _val(element, "basedOn")
        self.jc, self.bold = _val(element, "pPr/jc"), _val(element, "rPr/b")

    def checked_kind(self) -> str | None:
        if self.kind not in (None, "paragraph", "character", "table", "numbering"):
            raise MalformedDocx(self.kind)
        return self.kind


class _Styles:
    """The w:style entries of a styles part, looked up as python-docx's Styles looks them up."""

    def __init__(self, root):
        self.valid = root.tag == f"{_W}styles"
        self.styles = [_Style(e) for e in root.iterchildren(f"{_W}style")]
        self.by_id = {style.id: style for style in reversed(self.styles)}  # the first of a repeated id wins
        self.chains: dict[str | None, list[_Style]] = {}

    def find(self, style_id: str) -> _Style | None:
        if '"' in style_id:  # python-docx puts the id in an XPath string literal
            raise MalformedDocx(style_id)
        return self.by_id.get(style_id)

    def chain(self, style_id: str | None) -> list[_Style]:
        """The paragraph style `style_id` resolves to, then the styles it is based on (ten at most)."""
        if style_id in self.chains:
            return self.chains[style_id]
        if not self.valid:
            raise MalformedDocx("styles root")
        style = self.find(style_id) if style_id else None
        if style is None or style.checked_kind() != "paragraph":  # the default paragraph style, the last one
            defaults = [s for s in self.styles if s.checked_kind() == "paragraph"
                        and s.default is not None and _on_off(s.default)]
            style = defaults[-1] if defaults else None
        chain: list[_Style] = []
        while style is not None and len(chain) < 10:
            chain.append(style)
            if style.kind == "numbering":
                raise MalformedDocx("a numbering style has no base style")
            if style.based_on is None:
                raise MalformedDocx("w:basedOn without w:val")
            base = None if style.based_on is _ABSENT else self.find(style.based_on)
            if base is not None and base.checked_kind() is None:
                raise MalformedDocx("style without w:type")
            style = base
        self.chains[style_id] = chain
        return chain


@functools.cache
def _default_styles() -> _Styles:
    """python-docx's template styles, which Document() used for a file without a styles part."""
    folder = importlib.util.find_spec("docx").submodule_search_locations[0]
    return _Styles(etree.fromstring(Path(folder, "templates", "default-styles.xml").read_bytes(), _PARSER))


def _parse_once(blob: bytes, styles: bool) -> _Styles | None:
    """Check that a part is well-formed XML (and read its styles), once per distinct content."""
    key = hashlib.sha1(blob).digest() + (b"s" if styles else b"")
    if key not in _parsed:
        root = etree.fromstring(blob, _PARSER)
        if len(_parsed) >= _CACHE_SIZE:
            _parsed.clear()
        _parsed[key] = _Styles(root) if styles else None
    return _parsed[key]


def _relationships(package: zipfile.ZipFile, partname: str) -> list[tuple[str, str, str | None]]:
    """(rId, type, target partname or None when external) of a part, in file order."""
    base, name = posixpath.split(partname)
    try:
        blob = package.read(posixpath.join(base, "_rels", f"{name}.rels")[1:])
    except KeyError:
        return []
    root = etree.fromstring(blob, _PARSER)
    if root.tag != f"{_PR}Relationships":
        raise MalformedDocx("relationships")
    return [(rel.get("Id"), rel.get("Type"), None if rel.get("TargetMode", "Internal") == "External"
             else posixpath.abspath(posixpath.join(base, rel.get("Target"))))
            for rel in root.iterchildren(f"{_PR}Relationship")]


def _related(rels: list, reltype: str) -> str | None:
    """The one part related by `reltype` (None if none); a repeated rId counts once, the last one."""
    found = [target for kind, target in {rid: (kind, target) for rid, kind, target in rels}.values()
             if kind == reltype]
    if len(found) > 1 or (found and found[0] is None):
        raise MalformedDocx(f"several or external {reltype}")
    return found[0] if found else None


def _open(data: bytes):
    """The document body and a getter for its styles, checked as Document() checked the package."""
    package = zipfile.ZipFile(io.BytesIO(data))
    types = etree.fromstring(package.read("[Content_Types].xml"), _PARSER)
    if types.tag != f"{_CT}Types":
        raise MalformedDocx("content types")
    overrides = {e.get("PartName").lower(): e.get("ContentType") for e in types.iterchildren(f"{_CT}Override")}
    defaults = {e.get("Extension").lower(): e.get("ContentType") for e in types.iterchildren(f"{_CT}Default")}
    rels = {"/": _relationships(package, "/")}
    parts: dict[str, tuple] = {}  # partname -> (content type, or "image" for an image relation's target; parsed)

    def walk(source: str) -> None:
        for _, reltype, partname in rels[source]:
            if partname is None or partname in parts:
                continue
            parts[partname] = ()
            rels[partname] = _relationships(package, partname)
            info = package.getinfo(partname[1:])
            content_type = overrides[partname.lower()] if partname.lower() in overrides \
                else defaults[posixpath.splitext(partname)[1][1:].lower()]
            kind = "image" if reltype == f"{_RT}image" else content_type  # whatever its content type
            loaded = None
            if kind in _XML_PARTS:
                if info.file_size > MAX_XML_PART_BYTES:  # parsed whole: a tree takes several times its size
                    raise ReadError(BOMB_MESSAGE, BOMB_HINT)
                blob = package.read(info)
                loaded = etree.fromstring(blob, _PARSER) if kind == _DOCUMENT_TYPE \
                    else _parse_once(blob, kind == _STYLES_TYPE)
            parts[partname] = (kind, loaded)
            walk(partname)

    walk("/")
    main = _related(rels["/"], f"{_RT}officeDocument")
    if main is None or parts[main][0] != _DOCUMENT_TYPE:
        raise MalformedDocx("no Word main document")
    root = parts[main][1]
    body = root.find(f"{_W}body") if root.tag == f"{_W}document" else None
    if body is None:
        raise MalformedDocx("no w:body")

    @functools.cache
    def styles() -> _Styles:  # looked up at the first paragraph with text, as python-docx did
        part = _related(rels[main], f"{_RT}styles")
        if part is not None and parts[part][0] != _STYLES_TYPE:
            raise MalformedDocx("the styles relation leads to no styles part")
        return _default_styles() if part is None else parts[part][1]

    return body, styles


