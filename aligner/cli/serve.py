"""`aligner serve`: build the reader for a corpus and serve it on this machine for a quick look."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from aligner.cli import main, user_errors
from aligner.cli.html import load_target
from aligner.cli.options import corpus_option, threshold_option
from aligner.reader.serve import make_server
from aligner.reader.site import build_site


@main.command()
@click.argument("target", default="corpora")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; the default is reachable from this machine only.")
@threshold_option
@corpus_option
@user_errors
def serve(target: str, port: int, host: str, threshold: float, corpus: Path) -> None:
    """Build the reader for TARGET (a corpus folder or a document id) and serve it until Ctrl-C.

    Example: aligner serve corpora --port 8080
    """
    texts, skipped = load_target(target, corpus)
    for reason in skipped:
        click.echo(f"Skipped: {reason}", err=True)
    with tempfile.TemporaryDirectory(prefix="aligner-site-") as tmp:
        build_site(texts, Path(tmp), threshold)
        server = make_server(Path(tmp), host, port)
        click.echo(f"Serving {len(texts)} documents at http://{host}:{server.server_address[1]}/ (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
