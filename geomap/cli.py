"""Command line: thin commands over the library (geomap --help)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import GeomapError, InputError
from .export import to_geojson
from .inputs import as_text
from .mapping import render_map
from .pipeline import geoparse


def read_documents(files: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The texts of ``files`` ('-' is standard input) and one line per file that could not be read."""
    texts, problems = [], []
    for name in files:
        try:
            raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            text = as_text(raw)
        except FileNotFoundError:
            problems.append(f"{name}: no such file")
            continue
        except IsADirectoryError:
            problems.append(f"{name}: is a folder, not a text file")
            continue
        except PermissionError:
            problems.append(f"{name}: permission denied")
            continue
        except InputError as err:
            problems.append(f"{name}: {err}")
            continue
        if not text.strip():
            problems.append(f"{'standard input' if name == '-' else name}: input is empty")
            continue
        texts.append(text)
    return texts, problems


def geoparse_files(files: tuple[str, ...], country_hint):
    texts, problems = read_documents(files)
    for line in problems:
        click.echo(f"Error: {line}", err=True)
    if not texts:
        raise click.exceptions.Exit(1)
    try:
        return geoparse(texts, country_hint=country_hint), bool(problems)
    except GeomapError as err:
        raise click.ClickException(str(err)) from None


def write(writer, gdf, output) -> None:
    try:
        writer(gdf, output)
    except OSError as err:
        raise click.ClickException(f"cannot write {output}: {err.strerror or err}") from None


def document_options(command):
    command = click.option("--country-hint", metavar="CC",
                           help="ISO country code to prefer when a name is ambiguous (e.g. US).")(command)
    command = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                           help="File to write.")(command)
    return click.argument("files", nargs=-1, required=True, metavar="FILE...")(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geomap")
def cli():
    """Geoparse news text offline: find the places it names, resolve them and map them.

    Each FILE is one document (UTF-8 text); '-' reads standard input. A file that cannot be read
    is reported on one line and the others are still processed; the exit status is then 1.
    """


@cli.command("map")
@document_options
def map_command(files, output, country_hint):
    """Write a standalone HTML map with one layer per event."""
    gdf, failed = geoparse_files(files, country_hint)
    write(render_map, gdf, output)
    click.echo(f"{output}: {len(gdf)} places in {gdf['event_id'].nunique() if len(gdf) else 0} events", err=True)
    sys.exit(1 if failed else 0)


@cli.command("geojson")
@document_options
def geojson_command(files, output, country_hint):
    """Write every place as a GeoJSON (RFC 7946) FeatureCollection."""
    gdf, failed = geoparse_files(files, country_hint)
    write(to_geojson, gdf, output)
    click.echo(f"{output}: {len(gdf)} places", err=True)
    sys.exit(1 if failed else 0)


def main():
    cli(prog_name="geomap")
