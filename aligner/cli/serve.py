"""`aligner serve`: build the reader for a corpus and serve it on this machine for a quick look."""

from __future__ import annotations

import signal
import tempfile
from pathlib import Path
from types import FrameType

import click

from aligner.cli import main, report_skipped, user_errors
from aligner.cli.edit import engine_for
from aligner.cli.options import corpus_option, threshold_option, who_option, who_or_default
from aligner.corpus.store import load_readable
from aligner.reader.serve import LiveSite, make_server, url_of
from aligner.reader.site import corpus_of


@main.command()
@click.argument("target", required=False)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; the default is reachable from this machine only.")
@click.option("--edit", is_flag=True, help="Open the editor: correct links and sentences in the browser (TARGET is the corpus folder).")
@who_option("With --edit: the name the history records")
@threshold_option
@corpus_option
@user_errors
def serve(target: str | None, port: int, host: str, edit: bool, who: str | None, threshold: float, corpus: Path) -> None:
    """Build the reader for TARGET (a corpus folder or a document id) and serve it until Ctrl-C;
    with --edit, serve the editor over the corpus folder TARGET instead.

    The reader's pages are written into a temporary folder at the start; before a page is sent,
    those of documents changed since are written again, and those of documents removed from the
    corpus (or no longer readable) are gone. `aligner html` writes a site to keep.

    Example: aligner serve corpora --port 8080 --edit
    """
    if edit:
        folder = Path(target or corpus)
        _serve_editor(folder if folder.is_dir() else corpus, host, port, who_or_default(who))
        return
    folder, whole = corpus_of(target, corpus)
    texts, skipped = load_readable(target or str(corpus), corpus)  # no TARGET: the whole --corpus
    report_skipped(skipped, final=False)
    signal.signal(signal.SIGTERM, _interrupt)
    with tempfile.TemporaryDirectory(prefix="aligner-site-") as tmp:
        live = LiveSite(Path(tmp), folder, texts, None if whole else [text.doc_id for text in texts], threshold)
        server = make_server(Path(tmp), host, port, live)
        click.echo(f"Serving {len(texts)} documents at {url_of(host, server.server_address[1])} (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (`kill`, a service manager) stops the reader's server as Ctrl-C does, so the
    temporary site folder is removed on the way out."""
    raise KeyboardInterrupt


def _serve_editor(corpus: Path, host: str, port: int, who: str) -> None:
    """The editor on host:port until Ctrl-C."""
    from aligner.edit.session import check_writable
    from aligner.reader.editor import listen, serve_editor

    check_writable(corpus)
    sock = listen(host, port)
    click.echo(f"Editing {corpus} at {url_of(host, sock.getsockname()[1])} (Ctrl-C stops)")
    serve_editor(corpus, sock, engine_for, who)
