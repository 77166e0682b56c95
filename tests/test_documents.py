"""Web pages and PDFs in: the main text and what the document says about itself, offsets into that text."""
import io
import json

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

import geomap
from geomap.batch import read_documents, write_batch
from geomap.cli import cli
from geomap.documents import MAX_BYTES, Document, kind_of, read_document
from geomap.errors import InputError, TooLongError
from geomap.happenings import OTHER

from .helpers import SEED
from .documents_fixtures import BOILERPLATE, NEWS_PAGE, PAGE_DATE, PAGE_TITLE, PAGE_URL, REPORT_PAGES, pdf_bytes


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "peru-floods.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    return path


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes(REPORT_PAGES, title="Situation report (Syria)", created="20170317083000Z"))
    return path


def assert_offsets_point_into(gdf, text):
    assert len(gdf) and all(text[start:end] == mention
                            for start, end, mention in zip(gdf["start"], gdf["end"], gdf["mention"]))


# ---------------------------------------------------------------------------------------------- HTML

def test_a_news_page_gives_its_article_and_metadata_without_the_boilerplate(page):
    document = read_document(page)
    assert document.kind == "html"
    assert (document.title, document.date, document.url) == (PAGE_TITLE, PAGE_DATE, PAGE_URL)
    # the headline is the article's first paragraph; paragraphs are blank-line separated, as geomap's texts
    assert document.text.startswith(PAGE_TITLE + "\n\nHeavy rains caused rivers")
    assert document.text.count("\n\n") == 3 and "officials in Lima said." in document.text
    assert not [word for word in BOILERPLATE if word in document.text]


@pytest.mark.model


def test_geoparse_file_of_a_page_keeps_the_text_its_offsets_refer_to(page):
    gdf = geomap.geoparse_file(page)
    assert_offsets_point_into(gdf, gdf.attrs["text"])
    assert {"Peru", "Lima", "Piura", "Trujillo", "Chiclayo"} <= set(gdf["mention"])
    assert set(gdf.loc[gdf["mention"].isin(["Lima", "Piura", "Trujillo", "Chiclayo"]), "country_code"]) == {"PE"}
    assert "Madrid" not in set(gdf["mention"])   # the sidebar's link is not the article
    assert (gdf.attrs["title"], gdf.attrs["date"], gdf.attrs["url"], gdf.attrs["kind"]) == \
        (PAGE_TITLE, PAGE_DATE, PAGE_URL, "html")


def test_a_page_fragment_and_a_page_without_a_name_are_still_read():
    fragment = read_document(b"<p>Talks between the two delegations were held in Oslo on Monday.</p>",
                             filename="talks.htm")
    assert fragment == Document("Talks between the two delegations were held in Oslo on Monday.", kind="html")
    assert read_document(NEWS_PAGE.encode("utf-8")).kind == "html"   # recognised by its first tag


@pytest.mark.parametrize("html", [
    b"<!DOCTYPE html><html><head><title>Nothing</title></head><body></body></html>",
    b"<html><body><script>var x = 1;</script></body></html>",
])
def test_a_page_without_main_text_is_a_clear_error(html):
    with pytest.raises(InputError, match="no main text found in the web page"):
        read_document(html, filename="empty.html")


# ----------------------------------------------------------------------------------------------- PDF

def test_the_hand_written_pdf_is_valid_and_pypdf_reads_its_text_back(report):
    reader = PdfReader(io.BytesIO(report.read_bytes()), strict=True)
    assert [page.extract_text().strip() for page in reader.pages] == REPORT_PAGES
    assert reader.metadata.title == "Situation report (Syria)"


def test_a_pdf_gives_its_pages_joined_by_blank_lines(report):
    document = read_document(report)
    assert document == Document("\n\n".join(REPORT_PAGES), title="Situation report (Syria)", date="2017-03-17",
                                kind="pdf")


@pytest.mark.model


def test_geoparse_file_of_a_pdf_finds_places_on_every_page(report):
    gdf = geomap.geoparse_file(report)
    assert_offsets_point_into(gdf, gdf.attrs["text"])
    assert {"Aleppo", "Syria", "Kilis", "Turkey", "Geneva", "Idlib"} <= set(gdf["mention"])
    second_page = gdf.attrs["text"].index("Annex")
    assert set(gdf.loc[gdf["start"] > second_page, "mention"]) == {"Geneva", "Idlib"}
    assert gdf.attrs["kind"] == "pdf" and gdf.attrs["url"] is None


def test_an_encrypted_pdf_opens_only_without_a_password():
    def encrypted(user_password):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["Talks in Oslo."]))))
        writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assert read_document(encrypted(""), filename="open.pdf").text == "Talks in Oslo."
    with pytest.raises(InputError, match="no text layer: the PDF is encrypted"):
        read_document(encrypted("secret"), filename="locked.pdf")


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (bytes(range(256)) * 8, r"not a PDF \(it has no %PDF- header\)"),
    (b"%PDF-1.4\n" + bytes(range(256)) * 8, "not a readable PDF"),
    (pdf_bytes(["", ""]), "no text layer: the PDF has no text to read"),
])
def test_bad_pdfs_are_clear_errors(data, message):
    with pytest.raises(InputError, match=message):
        read_document(data, filename="bad.pdf")


# --------------------------------------------------------------------------------------- any file

def test_the_suffix_decides_and_content_decides_without_one():
    html = b"<!DOCTYPE html><html><body><p>Hi</p></body></html>"
    assert kind_of(html, "notes.txt") == "text"   # a .txt file stays text whatever it holds
    assert (kind_of(html), kind_of(html, "page.dat"), kind_of(b"%PDF-1.7\n"), kind_of(b"Rain in Lima.")) == \
        ("html", "html", "pdf", "text")
    assert read_document(b"Rain in Lima.", filename="a.txt") == Document("Rain in Lima.")


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:
        handle.truncate(50 * 2**20)   # sparse: 50 MB that take no disk
    with pytest.raises(TooLongError, match="file is 50.0 MB; the limit is 20 MB"):
        read_document(huge)
    with pytest.raises(TooLongError, match="the limit is 20 MB"):
        read_document(b"x" * (MAX_BYTES + 1))


def test_missing_files_and_folders_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.html")
    with pytest.raises(InputError, match="is a folder"):
        read_document(tmp_path)


# ----------------------------------------------------------------------------------- command line

@pytest.mark.model

def test_geojson_of_a_page_writes_its_documents_member(page, tmp_path):
    out = tmp_path / "page.geojson"
    result = CliRunner().invoke(cli, ["geojson", str(page), "-o", str(out)])
    assert result.exit_code == 0, result.output
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert list(collection) == ["type", "features", "documents"]
    [document] = collection["documents"]
    assert document == {"doc": 0, "id": str(page), "text": read_document(page).text, "title": PAGE_TITLE,
                        "date": PAGE_DATE, "url": PAGE_URL, "kind": "html"}
    properties = [feature["properties"] for feature in collection["features"]]
    assert {"Lima", "Piura", "Trujillo"} <= {p["mention"] for p in properties}
    assert all(document["text"][p["start"]:p["end"]] == p["mention"] for p in properties)


@pytest.mark.model


def test_geojson_of_text_files_is_as_before(seed_gdf, tmp_path):
    out = tmp_path / "seed.geojson"
    result = CliRunner().invoke(cli, ["geojson", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == geomap.to_geojson(seed_gdf) + "\n"   # no documents member


@pytest.mark.model


def test_a_page_a_pdf_and_a_bad_file_together(page, report, tmp_path):
    junk = tmp_path / "scan.pdf"
    junk.write_bytes(pdf_bytes([""]))
    out = tmp_path / "all.geojson"
    result = CliRunner().invoke(cli, ["geojson", str(page), str(junk), str(report), "-o", str(out)])
    assert result.exit_code == 1
    assert f"Error: {junk}: no text layer" in result.output
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert [(d["doc"], d["kind"]) for d in collection["documents"]] == [(0, "html"), (2, "pdf")]
    texts = {d["doc"]: d["text"] for d in collection["documents"]}
    properties = [feature["properties"] for feature in collection["features"]]
    assert {p["doc"] for p in properties} == {0, 2}
    assert all(texts[p["doc"]][p["start"]:p["end"]] == p["mention"] for p in properties)


@pytest.mark.model


def test_batch_reads_a_folder_of_text_pages_and_pdfs(page, report, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "wire.txt").write_text("Snow fell in Quito, Ecuador.", encoding="utf-8")
    (folder / "floods.html").write_text(NEWS_PAGE, encoding="utf-8")
    (folder / "report.pdf").write_bytes(report.read_bytes())
    (folder / "report.txt").write_text("Rain in Lima.", encoding="utf-8")   # shares report.pdf's name
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nnothing else")
    (folder / "notes.md").write_text("Not read: Oslo.", encoding="utf-8")
    documents = {doc_id: text for text, doc_id in read_documents(folder)}
    assert list(documents) == ["broken", "floods", "report.pdf", "report.txt", "wire"]
    assert isinstance(documents["broken"], InputError)
    assert documents["report.pdf"] == read_document(report).text
    assert documents["floods"] == read_document(page).text

    out = tmp_path / "places.geojsonl"
    summary = write_batch(folder, out, workers=1, quiet=True)
    assert (summary["documents"], summary["failures"]) == (5, 1)
    rows = [json.loads(line)["properties"] for line in out.read_text(encoding="utf-8").splitlines()]
    by_doc = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], set()).add(row["mention"])
    assert by_doc["wire"] == {"Quito", "Ecuador"} and by_doc["report.txt"] == {"Lima"}
    assert {"Aleppo", "Geneva"} <= by_doc["report.pdf"] and {"Piura", "Trujillo"} <= by_doc["floods"]
    failures = [json.loads(line) for line in out.with_name(out.name + ".failures.jsonl").read_text().splitlines()]
    assert [(f["doc_id"], f["stage"]) for f in failures] == [("broken", "input")]


@pytest.mark.model


def test_happenings_without_a_date_take_the_pages(page):
    gdf = geomap.geoparse_file(page)
    happening = gdf["event"] != OTHER
    assert happening.any() and set(gdf.loc[happening, "event_date"]) == {PAGE_DATE}
    assert gdf.loc[~happening, "event_date"].isna().all()   # "other mentions" are no happening


@pytest.mark.model


def test_a_date_the_text_gives_is_kept_and_plain_text_stays_undated(tmp_path):
    from geomap.documents import dated_by_page
    gdf = geomap.geoparse("NATO ministers met in Stavanger, Norway, on Oct. 12, 2015. Floods hit Lima.")
    before = gdf["event_date"].copy()
    after = dated_by_page(gdf.copy(), {0: "2020-01-01"})
    given = before.notna()
    assert given.any() and (after.loc[given, "event_date"] == before[given]).all()
    assert (after.loc[~given & (after["event"] != OTHER), "event_date"] == "2020-01-01").all()
    story = tmp_path / "story.txt"
    story.write_text("Floods hit Lima on Monday. Rescuers reached Piura.", encoding="utf-8")
    assert geomap.geoparse_file(story).attrs["date"] is None
