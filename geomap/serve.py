"""geomap serve: a web page and a JSON API over one Geoparser (``pip install 'geomap[serve]'``).

The page takes a pasted text or a dropped .txt, .html or .pdf file and shows the map, a sortable table of
the places and the happenings, with GeoJSON, CSV and GeoPackage downloads. ``POST /geoparse`` (JSON) and
``POST /geoparse/file`` (an upload) answer with the GeoJSON ``geomap geojson`` writes for the same input;
FastAPI documents them at ``/docs``.

One model is loaded, once, and documents are geoparsed one at a time under a lock, in a worker thread:
a spaCy pipeline must not run two calls at once on one object, and on a laptop's few cores a second
copy of the model would cost its memory for little speed. Requests still overlap (uploads, pages,
downloads go on meanwhile) and each waits for its own result. Results the page shows are kept in a small
in-memory store under a random id (the oldest dropped first); no request names a file on this machine.
"""
from __future__ import annotations

import secrets
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import jinja2
from fastapi import FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from .documents import MAX_BYTES, Document, read_document
from .errors import GeomapError, InputError, StageError, TooLongError

DATA = Path(__file__).resolve().parent / "data"
# a document's byte limit, and room for the form around it
MAX_REQUEST_BYTES = MAX_BYTES + 2**20
STORED_RESULTS = 32
# the page runs only its own script; the map, in a sandboxed frame, loads Leaflet and tiles as it will
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "frame-src 'self'")
PAGE = jinja2.Environment(loader=jinja2.FileSystemLoader(DATA), autoescape=True).get_template("serve.html")
DOWNLOADS = {"places.geojson": "application/geo+json", "places.csv": "text/csv; charset=utf-8",
             "places.gpkg": "application/geopackage+sqlite3"}


class GeoparseRequest(BaseModel):
    """``POST /geoparse``: the text, and ``geomap.geoparse``'s options."""

    model_config = ConfigDict(strict=True, extra="forbid")
    text: str
    demonyms: bool = False
    modifiers: bool = False
    country_hint: Optional[str] = None
    near: Optional[str] = None


class RequestTooLarge(HTTPException):
    def __init__(self):
        super().__init__(413, f"the request is over {MAX_REQUEST_BYTES / 2**20:.0f} MB")


class BadInput(Exception):
    """A request geomap cannot geoparse: its status and one line that says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Result:
    """One document's places, as the page shows them and its downloads give them."""

    gdf: object
    document: Document
    name: str
    map_html: str = ""
    id: str = field(default_factory=lambda: secrets.token_urlsafe(16))

    def geojson(self) -> str:
        """What ``geomap geojson`` writes for this document: a page's or a PDF's text in ``documents``."""
        from .export import to_geojson
        records = None if self.document.kind == "text" else [self.document.record(0, self.name)]
        return to_geojson(self.gdf, documents=records) + "\n"


class Geoparsing:
    """The one Geoparser and its lock, and the store of the page's recent results."""

    def __init__(self, geoparser, offline_map: bool):
        self.geoparser = geoparser
        self.offline_map = offline_map
        self.lock = threading.Lock()
        self.results: OrderedDict[str, Result] = OrderedDict()   # touched only on the event loop

    def warm_up(self) -> None:
        """Load the model and open the gazetteer now, not on the first request."""
        with self.lock:
            self.geoparser.parse("Talks were held in Oslo.")

    def parse(self, document: Document, name: str, options: dict, with_map: bool = False) -> Result:
        """Geoparse one document (in a worker thread); BadInput for what the caller must change."""
        if not document.text.strip():
            raise BadInput(422, "the text is empty")
        try:
            with self.lock:
                gdf = self.geoparser.parse(document.text, **options)
        except TooLongError as err:
            raise BadInput(413, str(err)) from None
        except StageError:
            raise   # an internal fault: a 500, with its message
        except (GeomapError, ValueError) as err:   # ValueError: a `near` the gazetteer does not know
            raise BadInput(422, str(err)) from None
        result = Result(gdf, document, name)
        if with_map:
            from .mapping import render_map
            result.map_html = render_map(gdf, offline=self.offline_map).get_root().render()
        return result

    def keep(self, result: Result) -> None:
        self.results[result.id] = result
        while len(self.results) > STORED_RESULTS:
            self.results.popitem(last=False)

    def find(self, result_id: str) -> Result:
        if result_id not in self.results:
            raise HTTPException(404, "no such result (results are kept for the last few documents only)")
        return self.results[result_id]


def options_of(demonyms=False, modifiers=False, country_hint=None, near=None) -> dict:
    """geoparse's options; an empty field of a form is no option."""
    return {"demonyms": bool(demonyms), "modifiers": bool(modifiers),
            "country_hint": (country_hint or "").strip() or None, "near": (near or "").strip() or None}


async def read_upload(upload) -> Document:
    data = await upload.read()
    try:
        return await run_in_threadpool(read_document, data, filename=upload.filename or None)
    except TooLongError as err:
        raise BadInput(413, str(err)) from None
    except InputError as err:
        raise BadInput(422, str(err)) from None


class RequestSizeLimit:
    """ASGI middleware: a request body over MAX_REQUEST_BYTES (as its Content-Length says, or counted as it
    arrives) stops the route reading it with RequestTooLarge, a 413."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        said = dict(scope["headers"]).get(b"content-length", b"")
        received = 0

        async def counted():
            nonlocal received
            if said.isdigit() and int(said) > MAX_REQUEST_BYTES:
                raise RequestTooLarge()   # before reading any of it
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_REQUEST_BYTES:
                raise RequestTooLarge()   # an HTTPException: FastAPI's body reading lets it through
            return message
        await self.app(scope, counted, send)


def error_response(request: Request, err: Exception) -> Response:
    status = err.status if isinstance(err, BadInput) else getattr(err, "status_code", 500)
    message = err.message if isinstance(err, BadInput) else getattr(err, "detail", None) or str(err)
    if request.url.path == "/" and request.method == "POST":   # the page's form: the page, saying why
        return page(request, status=status, error=message)
    return JSONResponse({"error": message}, status_code=status)


def page(request: Request, *, status: int = 200, error: Optional[str] = None, result: Optional[Result] = None,
         form: Optional[dict] = None) -> HTMLResponse:
    html = PAGE.render(error=error, result=result and page_view(result), form=form or {})
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": PAGE_POLICY})


def page_view(result: Result) -> dict:
    """What the page shows of a result, as plain text (the template escapes all of it)."""
    from .export import events
    from .models import OTHER
    gdf = result.gdf
    places = [{"number": n, "mention": row.mention, "name": text(row.name), "kind": row.kind,
               "country": text(row.country_code), "score": f"{row.score:.2f}", "event": row.event,
               "sentence": row.sentence} for n, row in enumerate(gdf.itertuples(index=False), 1)]
    happenings = [{"label": row.event, "date": text(row.event_date), "actors": text(row.event_actors),
                   "places": ", ".join(row.places) or ", ".join(row.mentions)}
                  for row in events(gdf).itertuples(index=False) if row.event != OTHER]
    document = result.document
    return {"id": result.id, "places": places, "happenings": happenings, "title": document.title,
            "date": document.date, "url": document.url}


def text(value) -> str:
    return value if isinstance(value, str) else ""


def download(result: Result, name: str) -> Response:
    if name == "places.geojson":
        content = result.geojson().encode("utf-8")
    elif name == "places.csv":
        content = result.gdf.drop(columns=result.gdf.geometry.name).to_csv(index=False).encode("utf-8")
    else:
        import pyogrio
        with tempfile.TemporaryDirectory() as folder:   # GDAL writes a GeoPackage to a file only
            path = Path(folder) / name
            pyogrio.write_dataframe(result.gdf, path, layer="places", driver="GPKG", geometry_type="Unknown")
            content = path.read_bytes()
    return Response(content, media_type=DOWNLOADS[name],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def create_app(geoparser=None, *, offline_map: bool = False) -> FastAPI:
    """The web app over ``geoparser`` (default: the one behind ``geomap.geoparse``); ``offline_map``
    draws maps that need no network (``geomap map --offline``)."""
    if geoparser is None:
        from .pipeline import default_geoparser
        geoparser = default_geoparser()
    service = Geoparsing(geoparser, offline_map)

    async def lifespan(_app):
        await run_in_threadpool(service.warm_up)
        yield

    app = FastAPI(title="geomap", summary="Places in news text, found, resolved and grouped by event, offline.",
                  lifespan=lifespan)
    app.add_middleware(RequestSizeLimit)
    for error in (BadInput, StarletteHTTPException):   # Starlette's: routing's 404 and 405 too
        app.add_exception_handler(error, error_response)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError):
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        return JSONResponse({"error": problems or "invalid request"}, status_code=422)

    @app.exception_handler(Exception)
    async def internal(request: Request, err: Exception):   # never a traceback: the message, as JSON
        return JSONResponse({"error": f"internal error: {type(err).__name__}: {err}"}, status_code=500)

    @app.post("/geoparse", response_class=Response, summary="Geoparse a text: the GeoJSON `geomap geojson` writes",
              responses={200: {"content": {"application/geo+json": {}}}})
    async def geoparse_text(body: GeoparseRequest):
        options = options_of(body.demonyms, body.modifiers, body.country_hint, body.near)
        result = await run_in_threadpool(service.parse, Document(body.text), "text", options)
        return Response(result.geojson(), media_type="application/geo+json")

    @app.post("/geoparse/file", response_class=Response, summary="Geoparse a .txt, .html or .pdf file",
              responses={200: {"content": {"application/geo+json": {}}}})
    async def geoparse_file(file: UploadFile = File(...), demonyms: bool = Form(False), modifiers: bool = Form(False),
                            country_hint: Optional[str] = Form(None), near: Optional[str] = Form(None)):
        document = await read_upload(file)
        options = options_of(demonyms, modifiers, country_hint, near)
        result = await run_in_threadpool(service.parse, document, file.filename or "upload", options)
        return Response(result.geojson(), media_type="application/geo+json")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request):
        return page(request)

    @app.post("/", response_class=HTMLResponse, include_in_schema=False)
    async def submitted(request: Request):
        async with request.form(max_files=1, max_fields=10, max_part_size=MAX_REQUEST_BYTES) as fields:
            form = {name: fields.get(name) or "" for name in ("text", "country_hint", "near")}
            form.update(demonyms=fields.get("demonyms") == "on", modifiers=fields.get("modifiers") == "on")
            upload = fields.get("file")
            if not isinstance(form["text"], str):
                raise BadInput(422, "the text field must be text")
            form["text"] = form["text"].replace("\r\n", "\n")   # browsers send a text box's lines as CRLF
            options = options_of(form["demonyms"], form["modifiers"], form["country_hint"], form["near"])
            uploaded = not isinstance(upload, str) and upload is not None and upload.filename
            try:
                document = await read_upload(upload) if uploaded else Document(form["text"])
                name = upload.filename if uploaded else "text"
                result = await run_in_threadpool(service.parse, document, name, options, True)
            except BadInput as err:
                return page(request, status=err.status, error=err.message, form=form)
        service.keep(result)
        return page(request, result=result, form=form)

    @app.get("/page.js", include_in_schema=False)
    async def script():
        return Response((DATA / "serve.js").read_bytes(), media_type="text/javascript")

    @app.get("/map/{result_id}", response_class=HTMLResponse, include_in_schema=False)
    async def map_page(result_id: str):
        return HTMLResponse(service.find(result_id).map_html)

    @app.get("/results/{result_id}/{name}", include_in_schema=False)
    async def result_file(result_id: str, name: str):
        if name not in DOWNLOADS:
            raise HTTPException(404, f"no such download; there are {', '.join(DOWNLOADS)}")
        return await run_in_threadpool(download, service.find(result_id), name)

    return app
