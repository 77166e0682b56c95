"""Documents the tests write themselves: a news page with its site's boilerplate, and PDFs with a text layer.

No PDF writer is needed: ``pdf_bytes`` writes the few objects of a valid PDF 1.4 by hand (catalog, page
tree, one page and one content stream a page, a standard Type 1 font, the cross-reference table), which
pypdf reads back in strict mode.
"""
from __future__ import annotations

from typing import Optional

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Floods force thousands from homes in Peru | The Daily Courier</title>
  <link rel="canonical" href="https://courier.example.com/world/2017/03/17/peru-floods">
  <meta property="article:published_time" content="2017-03-17T08:30:00Z">
  <meta name="author" content="Ana Quispe">
</head>
<body>
  <header><nav><ul>
    <li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li>
    <li><a href="/subscribe">Subscribe to our newsletter</a></li>
  </ul></nav></header>
  <aside class="sidebar"><h3>Most read</h3><ul><li><a href="/x">Ten recipes for a summer in Madrid</a></li></ul></aside>
  <main><article>
    <h1>Floods force thousands from homes in Peru</h1>
    <p>Heavy rains caused rivers to burst their banks across northern Peru on Thursday, forcing thousands of
    families from their homes, officials in Lima said.</p>
    <p>The worst damage was in Piura, where the Piura River flooded the city centre. In Trujillo, mudslides
    cut the Pan-American Highway, and the army flew supplies to stranded villages near Chiclayo.</p>
    <p>President Pedro Pablo Kuczynski visited the region and promised aid to farmers who lost their crops.</p>
  </article></main>
  <footer><p>Copyright 2017 The Daily Courier. All rights reserved.</p>
    <p><a href="/privacy">Privacy policy</a> | <a href="/contact">Contact us</a></p></footer>
</body>
</html>
"""
PAGE_TITLE = "Floods force thousands from homes in Peru"
PAGE_URL = "https://courier.example.com/world/2017/03/17/peru-floods"
PAGE_DATE = "2017-03-17"
BOILERPLATE = ["Subscribe", "Most read", "Madrid", "Copyright", "Privacy policy", "Contact us"]

REPORT_PAGES = [
    "Situation report\nFighting continued around Aleppo, Syria, on Monday.\nAid convoys waited at Kilis in Turkey.",
    "Annex\nThe United Nations office in Geneva asked for access to Idlib.",
]


def pdf_bytes(pages: list[str], *, title: Optional[str] = None, created: Optional[str] = None) -> bytes:
    """A PDF with one page per text, each line of it a line of Helvetica (Latin-1 text only), and an
    Info dictionary with ``title`` and ``created`` (a PDF date, "20170317083000Z") when given."""
    objects: list[bytes] = []   # object bodies; object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    tree = len(objects) + 2 * len(pages) + 1   # the page tree comes after each page's two objects
    kids = []
    for text in pages:
        lines = [escaped(line).encode("cp1252") for line in text.split("\n")]
        stream = b"BT /F1 11 Tf 14 TL 72 720 Td " + b" ".join(b"(%s) Tj T*" % line for line in lines) + b" ET"
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (tree, content, font)))
    add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % kid for kid in kids), len(kids)))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    info = (b"/Title (%s) " % escaped(title).encode("cp1252") if title else b"") + \
           (b"/CreationDate (D:%s)" % created.encode("ascii") if created else b"")
    info_object = add(b"<< " + info + b" >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")   # the binary comment line marks the file as binary
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, info_object, xref)
    return bytes(out)


def escaped(text: str) -> str:
    """Text for a PDF string literal: backslashes and parentheses escaped."""
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
