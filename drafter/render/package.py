"""The draft's package: 版记 at the foot of the last page, document properties, and nothing left unused."""
from __future__ import annotations

from datetime import datetime, timezone
from html import escape  # xml.sax.saxutils loads urllib, http and ssl: a tenth of a draft's start

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from .layout import Layout, mm_to_twips
from .styles import style_specs

# GB/T 9704 §7.4: the first and last 版记 rules 0.35 mm (w:sz in eighths of a point: 1 pt ≈ 0.35 mm).
RULE_EIGHTHS = 8
# Parts python-docx's template carries that a draft has no use for: a second copy of the ~160 styles, the
# template's customXml, and a picture of a blank page a file manager would show.
_DROPPED_RELS = ("http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects", RT.CUSTOM_XML)


def add_copy_to(doc: DocxDocument, text: str, layout: Layout) -> None:
    """抄送 in a frame anchored to the foot of the text area of the page it ends on (the last), between two
    full-width rules, one character in (GB/T 9704 §7.4)."""
    width = mm_to_twips(layout.text_width_mm)
    rule = f'w:val="single" w:sz="{RULE_EIGHTHS}" w:space="1" w:color="auto"'
    paragraph = doc.add_paragraph(style=doc.styles.get_by_id(style_specs(layout)["cc"].style_id, 1))
    ppr = paragraph._p.get_or_add_pPr()
    ppr.find(qn("w:pStyle")).addnext(parse_xml(
        f'<w:framePr {nsdecls("w")} w:w="{width}" w:hSpace="0" w:wrap="notBeside" w:vAnchor="margin" '
        'w:hAnchor="margin" w:xAlign="center" w:yAlign="bottom"/>'))
    ppr.find(qn("w:framePr")).addnext(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:top {rule}/><w:bottom {rule}/></w:pBdr>'))
    paragraph.add_run(text)


def clean_package(doc: DocxDocument, title: str, author: str) -> None:
    """Properties that say what the draft is and who issues it; no part or style the draft does not use."""
    props = doc.core_properties
    props.title = title
    props.author = props.last_modified_by = author
    props.comments = props.keywords = props.subject = props.category = ""
    # The template's own dates are years old; a draft is created now.
    props.created = props.modified = datetime.now(timezone.utc)
    props.revision = 1
    package_rels = doc.part.package.rels
    for rId in [rId for rId, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[rId]
    for rId, rel in list(package_rels.items()):
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _app_xml(author)
    for rId in [rId for rId, rel in doc.part.rels.items() if rel.reltype in _DROPPED_RELS]:
        del doc.part.rels[rId]
    _prune_styles(doc)


def _app_xml(company: str) -> bytes:
    """docProps/app.xml naming drafter, not the Word for Mac the template was once saved with."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f'<Application>drafter</Application><DocSecurity>0</DocSecurity>'
            f'<Company>{escape(company, quote=False)}</Company></Properties>').encode("utf-8")


_REFERENCES = ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyleLink", "w:styleLink")


def _prune_styles(doc: DocxDocument) -> None:
    """Drop every style nothing refers to (defaults kept), and every reference to a style that is gone."""
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    parts = [part for part in doc.part.package.iter_parts()
             if hasattr(part, "element") and part.element is not styles]
    # The list's levels name their styles; that alone does not make a style used.
    numbering = doc.part.numbering_part
    used = {el.get(qn("w:val")) for part in parts if part is not numbering
            for tag in _REFERENCES for el in part.element.iter(qn(tag))}
    used |= {sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1"}
    pending = list(used)
    while pending:
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = style.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in used:
                used.add(ref.get(qn("w:val")))
                pending.append(ref.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in used:
            styles.remove(style)
    for part in parts:
        for tag in ("w:pStyle", "w:rStyle"):
            for el in list(part.element.iter(qn(tag))):
                if el.get(qn("w:val")) not in by_id or el.get(qn("w:val")) not in used:
                    el.getparent().remove(el)
