"""Documents in: a plain text, a web page (HTML) or a PDF, as the text the geoparser reads and what it says
about itself (title, date, URL).

A web page gives its main text as trafilatura extracts it (made for news pages: navigation, footers and
comments left out); a PDF the text layer of each page, as pypdf reads it, pages joined by blank lines.
Offsets in the output refer to ``Document.text``, which is kept with the result (``gdf.attrs["text"]``;
the GeoJSON's ``documents`` member) so that any row can be checked against it.

The page's title is not put before the text: a news page's main text starts with its headline already
(the page's ``<h1>``), so the title would name its places twice, and the ``<title>`` often carries the
site's name ("… - Daily News"), which is no part of the article.
"""
from __future__ import annotations

import io
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional, Union

from .errors import InputError, TooLongError
from .inputs import MAX_CHARS, as_text

# A file this large is no article: refused before it is read (a PDF's images count; its text is
# then held to MAX_CHARS like any text).
MAX_BYTES = 20 * 2**20
KINDS = ("text", "html", "pdf")
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = {".txt": "text", ".pdf": "pdf", **{suffix: "html" for suffix in HTML_SUFFIXES}}
SNIFF_BYTES = 1024
HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Document:
    """A document's text, as the geoparser reads it, and where it came from. ``kind`` is ``text``,
    ``html`` or ``pdf``; ``title``, ``date`` (ISO 8601, as the page or the PDF's metadata give it) and
    ``url`` are None where the document does not say."""

    text: str
    title: Optional[str] = None
    date: Optional[str] = None
    url: Optional[str] = None
    kind: str = "text"

    def record(self, doc: int, doc_id) -> dict:
        """The document as JSON-ready fields, with its number and id in a run (the GeoJSON's
        ``documents`` member)."""
        return {"doc": doc, "id": doc_id, **asdict(self)}


def read_document(path_or_bytes: Union[str, os.PathLike, bytes, bytearray, memoryview], *,
                  filename: Optional[str] = None) -> Document:
    """Read a file (a path) or its bytes as a Document, detecting plain text, HTML or PDF from its
    content and its name (``filename``, else the path's). Raises InputError saying why not: a missing
    or oversized file, binary data, a PDF without a text layer, a web page without main text."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        data = bytes(path_or_bytes)
    else:
        path = Path(path_or_bytes)
        data = read_bytes(path)
        filename = filename or path.name
    if len(data) > MAX_BYTES:
        raise too_large(len(data))
    kind = kind_of(data, filename)
    if kind == "pdf":
        return pdf_document(data)
    if kind == "html":
        return html_document(data)
    return Document(as_text(data))


def documents_in(folder: Path) -> list[Path]:
    """The folder's documents (.txt, .html, .htm, .pdf; not its subfolders), in sorted order."""
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError("is a folder, not a document")
        if size > MAX_BYTES:
            raise too_large(size)
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as err:
        raise InputError(f"cannot read it: {err.strerror or err}") from None


def too_large(size: int) -> TooLongError:
    return TooLongError(f"file is {size / 2**20:,.1f} MB; the limit is {MAX_BYTES / 2**20:,.0f} MB "
                        f"(and {MAX_CHARS:,} characters of text)")


def kind_of(data: bytes, filename: Optional[str] = None) -> str:
    """``pdf``, ``html`` or ``text``: a PDF by its ``%PDF-`` header, else what the file name's suffix
    says (a .txt file stays text whatever it holds), else an HTML document by its first tag."""
    suffix = Path(filename).suffix.lower() if filename else ""
    if suffix != ".txt" and b"%PDF-" in data[:SNIFF_BYTES]:   # readers accept junk before it in the first kB
        return "pdf"
    if suffix == ".pdf":
        raise InputError("not a PDF (it has no %PDF- header)" if data.strip() else "empty file")
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    return "html" if looks_like_html(data) else "text"


def looks_like_html(data: bytes) -> bool:
    return HTML_START.match(data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf")) is not None


# ----------------------------------------------------------------------------------------------- PDF

def pdf_document(data: bytes) -> Document:
    """The text layer of each page, joined by blank lines, and the title and creation date the file's
    metadata give."""
    from pypdf import PdfReader
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not decrypted(reader):
            raise InputError("no text layer: the PDF is encrypted (it needs a password)")
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata = reader.metadata
        title = clean(metadata.title) if metadata is not None else None
        created = metadata.creation_date if metadata is not None else None
    except InputError:
        raise
    except Exception as err:  # noqa: BLE001 - pypdf fails in its own many ways on damaged files: the file's fault
        raise InputError(f"not a readable PDF ({type(err).__name__}: {err})") from None
    pages = [page.strip() for page in pages if page and page.strip()]
    if not pages:
        raise InputError("no text layer: the PDF has no text to read (scanned pages or images only? "
                         "geomap does no OCR)")
    return Document(as_text("\n\n".join(pages)), title=title, date=iso_date(created), kind="pdf")


def decrypted(reader) -> bool:
    """Whether an encrypted PDF opens without a password, as many do (encrypted only against editing)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - an unknown cipher, or one needing a package geomap does not install
        return False


def iso_date(value) -> Optional[str]:
    """A PDF's date (a datetime when pypdf could read it) as YYYY-MM-DD."""
    try:
        return value.date().isoformat() if value is not None else None
    except (AttributeError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------- HTML

def html_document(data: bytes) -> Document:
    """The main text trafilatura extracts, one paragraph a line turned into blank-line paragraphs (as
    geomap's texts are written: the events stage reads paragraph breaks), with the page's title,
    publication date and URL."""
    import trafilatura
    if b"\x00" in data[:65536]:
        raise InputError("input looks binary (it has NUL bytes), not a web page")
    if not looks_like_html(data):
        data = b"<html><body>" + data + b"</body></html>"   # a fragment ("<p>…</p>"): trafilatura wants a page
    try:
        extracted = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    except Exception as err:  # noqa: BLE001 - trafilatura's parsers fail on broken markup: the page's fault
        raise InputError(f"not a readable web page ({type(err).__name__}: {err})") from None
    text = getattr(extracted, "text", None) or ""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if not paragraphs:
        raise InputError("no main text found in the web page")
    return Document(as_text("\n\n".join(paragraphs)), title=clean(extracted.title), date=clean(extracted.date),
                    url=clean(extracted.url), kind="html")


def clean(value) -> Optional[str]:
    """A metadata field as a stripped str, or None when empty (or not text)."""
    return value.strip() or None if isinstance(value, str) else None


# ------------------------------------------------------------------------------------------ results

def with_document(gdf, document: Document):
    """The frame of one document, with its text and what it says about itself in ``gdf.attrs``: ``text``
    (what the offsets refer to), ``title``, ``date``, ``url`` and ``kind``; its happenings that give no
    date of their own take the page's (``dated_by_page``)."""
    gdf.attrs.update(text=document.text, title=document.title, date=document.date, url=document.url,
                     kind=document.kind)
    return dated_by_page(gdf, {int(doc): document.date for doc in gdf["doc"].unique()} if len(gdf) else {})


def dated_by_page(gdf, dates: dict[int, Optional[str]]):
    """``event_date`` of each happening that gives none, from its document's date (a page's or a PDF's,
    by ``doc``); "other mentions" stay undated: they are no happening."""
    from .models import OTHER
    if not len(gdf) or "event_date" not in gdf:
        return gdf
    page = gdf["doc"].map(lambda doc: dates.get(int(doc)))
    undated = gdf["event_date"].isna() & (gdf["event"] != OTHER) & gdf["event"].notna() & page.notna()
    if undated.any():
        gdf.loc[undated, "event_date"] = page[undated]
    return gdf
