"""`aligner edit`: correct a document's alignment from the command line, one edit per call.

A thin layer over `aligner.edit`: it parses, loads, applies one operation, saves (or prints the
one-line error and writes nothing) and reports the links the edit changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from aligner.cli import main, user_errors
from aligner.cli.options import corpus_option, usage_checked, who_option, who_or_default
from aligner.corpus.links import Aligner
from aligner.corpus.model import Link, ParallelText
from aligner.corpus.store import locked
from aligner.edit import files, journal, session
from aligner.edit.ops import Result, changed_rows, link_edit, sentence_edit
from aligner.edit.pairs import pair_links
from aligner.errors import EditError, InputError
from aligner.formats.select import check_region
from aligner.ingest.langs import normalize_tag


@dataclass(frozen=True)
class Context:
    """What the group's arguments say, for its subcommands."""

    doc_id: str
    pair: tuple[str, str]  # version keys
    corpus: Path
    as_json: bool
    who: str | None  # --who; its default is looked up by the commands that record a name (`who_or_default`)
    expect: str | None
    asked: tuple[str, str]  # --pair as written: zh-Hant-HK asks for Hong Kong's version


def engine_for(src_lang: str, tgt_lang: str) -> Aligner:
    """The engine as `aligner build` runs it for a pair (loaded only when an edit needs it)."""
    from aligner import build

    return build.engine_for(src_lang, tgt_lang, quiet=True)


def link_json(n: int, lk: Link) -> dict[str, object]:
    """A changed row as JSON: its number, sentence ids, type, confidence and who made it."""
    return {"row": n, "src": list(lk.src), "tgt": list(lk.tgt), "type": lk.kind, "confidence": lk.confidence, "resp": lk.resp}


def _parse_pair(value: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """The two versions --pair names, as version keys and as written (zh-Hant-HK asks for Hong
    Kong's version): two different language tags (a misused --pair is a usage error, `usage_checked`)."""
    written = [v for v in value.split(",") if v.strip()]
    keys = [normalize_tag(v) for v in written]
    if len(keys) != 2 or keys[0] == keys[1]:
        raise InputError(f"'{value}': give two different versions, e.g. en,zh-Hans")
    return (keys[0], keys[1]), (written[0].strip(), written[1].strip())


@main.group(context_settings={"allow_interspersed_args": True, "ignore_unknown_options": True})
@click.argument("doc_id")
@click.option("--pair", default="en,zh-Hans", show_default=True, callback=usage_checked(_parse_pair), help="The two versions whose links N numbers, as `aligner show --langs`.")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print the changed links as JSON.")
@who_option("Name for the history")
@click.option("--expect", metavar="VERSION", help="Refuse the edit unless the document is at this version (printed by every edit).")
@click.pass_context
def edit(
    ctx: click.Context, doc_id: str, pair: tuple[tuple[str, str], tuple[str, str]], corpus: Path, as_json: bool,
    who: str | None, expect: str | None,
) -> None:  # fmt: skip
    """Correct the alignment of DOC_ID: merge, split, shift, confirm or re-align link N (0-based,
    as `aligner show DOC_ID --langs en,zh-Hans` numbers its rows), edit sentences, undo, redo.

    Example: aligner edit 000_bf7a112df29932bd --pair en,zh-Hans merge 3
    """
    keys, asked = pair
    ctx.obj = Context(doc_id, keys, corpus, as_json, who, expect, asked)


def _listed_pair(ctx: Context, text: ParallelText) -> tuple[str, str] | None:
    """The pair whose changed rows a report lists: --pair, or, after a sentence edit or an undo on
    a document without that pair, its first pair (None: it has no links)."""
    pairs = [al.pair for al in text.alignments]
    if any(set(pair) == set(ctx.pair) for pair in pairs):
        return ctx.pair
    return pairs[0] if pairs else None


def _report(ctx: Context, before: session.Opened, after: session.Opened, what: str) -> None:
    """Print what changed: a line per changed row, or JSON."""
    pair = _listed_pair(ctx, after.text)
    rows = changed_rows(before.text, after.text, pair) if pair else []
    if ctx.as_json:
        payload = {"doc_id": ctx.doc_id, "pair": list(pair or ()), "version": after.version, "done": what,
                   "changed": [link_json(n, lk) for n, lk in rows]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(f"{what} (version {after.version}{'' if rows else '; no link changed'})")
    for n, lk in rows:
        click.echo(f"  [{n}] {lk.kind} {lk.confidence:.2f} {lk.resp}: {' '.join(lk.src) or '—'} | {' '.join(lk.tgt) or '—'}")


def _open(ctx: Context) -> session.Opened:
    """The document as its journal says it is, refused when any undo step of the journal is
    damaged (`journal.check_steps`; the web editor refuses one when it is undone or redone)."""
    folder = session.folder_of(ctx.corpus, ctx.doc_id)
    with locked(folder):
        journal.check_steps(folder, files.state(folder))
        return session.open_document(ctx.corpus, ctx.doc_id)


def _run(ctx: Context, make: Callable[[session.Opened], Result]) -> None:
    """Make one edit on the document as it is, holding its lock from reading to saving (so that
    edits made at once are made in turn, not refused as stale; --expect still refuses a version
    other than the one named), and report it."""
    with session.held(ctx.corpus, ctx.doc_id):
        opened = _open(ctx)
        for asked, key in zip(ctx.asked, ctx.pair, strict=True):  # zh-Hant-HK never edits Taiwan's version
            if key in opened.text.versions:
                check_region(asked, key, opened.text.versions[key].tag, "--pair", ctx.doc_id)
        result = make(opened)
        after = session.commit(opened, result, who_or_default(ctx.who), ctx.expect)
    _report(ctx, opened, after, result.what)


def _link_command(name: str, help_text: str, extra: list[Callable[[Any], Any]], build: Callable[..., dict[str, Any]]) -> None:
    """Register `aligner edit DOC NAME N …` for one link operation."""

    @click.pass_obj
    @user_errors
    def command(ctx: Context, n: int, **kwargs: Any) -> None:
        _run(ctx, lambda o: link_edit(o.text, ctx.pair, name, n, engine_for, **build(o, ctx, n, **kwargs)))

    for decorate in reversed(extra):  # click lists arguments from the outermost decorator in
        command = decorate(command)
    command = click.argument("n", type=click.IntRange(min=0))(command)
    command.__doc__ = help_text
    edit.command(name, context_settings={"ignore_unknown_options": True})(command)  # so N=-1 is a number, refused as one


DIRECTION = click.argument("direction", type=click.Choice(["up", "down"]), default="down")
SIDE = click.option("--side", type=click.Choice(["src", "tgt"]), default="tgt", show_default=True, help="Which side's sentence: the first (src) or second (tgt) version of --pair.")


def _plain(o: session.Opened, ctx: Context, n: int, **kw: Any) -> dict[str, Any]:
    return kw


def _split_at(o: session.Opened, ctx: Context, n: int, at: str) -> dict[str, Any]:
    """AT is `I:J` (the first part keeps I source and J target sentences) or one number for both."""
    try:
        i, j = (int(x) for x in at.split(":")) if ":" in at else (int(at), int(at))
    except ValueError:
        raise EditError(f"split AT '{at}': give I:J, the source and target sentences the first part keeps, e.g. 1:1") from None
    rows = pair_links(o.text, *ctx.pair)
    if 0 <= n < len(rows) and ":" not in at:
        i, j = min(i, len(rows[n].src)), min(j, len(rows[n].tgt))
    return {"at": (i, j)}


_link_command("merge", "Merge link N with the link below it (or above: `merge N up`).", [DIRECTION], _plain)
_link_command("split", "Split link N in two at AT (I:J: the first part keeps I source and J target sentences).", [click.argument("at")], _split_at)
_link_command("shift", "Shift the last sentence of link N down into the next link, or the first up into the previous one.",
              [click.argument("direction", type=click.Choice(["up", "down"])), SIDE], _plain)
_link_command("detach", "Detach the last (or --first) sentence of one side of link N as an omission.",
              [SIDE, click.option("--first", "which", flag_value="first", default="last", help="Detach the first sentence instead of the last.")], _plain)
_link_command("attach", "Attach omission N to the link below it (or above: `attach N up`).", [DIRECTION], _plain)
_link_command("confirm", "Confirm link N: it becomes a person's link, kept by every build.", [], _plain)
_link_command("unconfirm", "Unconfirm link N: the machine may change it again.", [], _plain)
_link_command("realign", "Re-align the unconfirmed links around link N, between the nearest confirmed ones.", [], _plain)


def _lang_of(o: session.Opened, sid: str) -> str:
    """The version holding sentence `sid`."""
    for lang, doc in o.text.versions.items():
        if any(s.id == sid for s in doc.sentences()):
            return lang
    raise EditError(f"{o.text.doc_id}: no sentence '{sid}'; see the ids with `aligner show {o.text.doc_id} --json`")


@edit.command("split-sentence")
@click.argument("sid")
@click.argument("at", type=int)
@click.pass_obj
@user_errors
def split_sentence(ctx: Context, sid: str, at: int) -> None:
    """Split sentence SID before character AT (0-based); the second part gets the id SID.1."""
    _run(ctx, lambda o: sentence_edit(o.text, _lang_of(o, sid), "split-sentence", sid, engine_for, at=at))


@edit.command("join")
@click.argument("sid")
@click.pass_obj
@user_errors
def join(ctx: Context, sid: str) -> None:
    """Join sentence SID with the next sentence of its paragraph (the joined one keeps SID)."""
    _run(ctx, lambda o: sentence_edit(o.text, _lang_of(o, sid), "join", sid, engine_for))


@edit.command("correct")
@click.argument("sid")
@click.argument("text")
@click.pass_obj
@user_errors
def correct(ctx: Context, sid: str, text: str) -> None:
    """Replace the text of sentence SID (a typo, OCR debris); its links stay."""
    _run(ctx, lambda o: sentence_edit(o.text, _lang_of(o, sid), "correct", sid, engine_for, new_text=text))


def _move(ctx: Context, back: bool) -> None:
    """Undo or redo on the document as it is, holding its lock throughout (as `_run`), and report it."""
    with session.held(ctx.corpus, ctx.doc_id):
        opened = _open(ctx)
        after, what = (session.undo if back else session.redo)(opened, who_or_default(ctx.who), ctx.expect)
    _report(ctx, opened, after, what)


@edit.command("undo")
@click.pass_obj
@user_errors
def undo(ctx: Context) -> None:
    """Take back the last edit (at least 100 steps are kept, across restarts)."""
    _move(ctx, back=True)


@edit.command("redo")
@click.pass_obj
@user_errors
def redo(ctx: Context) -> None:
    """Make again the last edit undone."""
    _move(ctx, back=False)


@edit.command("history")
@click.pass_obj
@user_errors
def history(ctx: Context) -> None:
    """Every change people made to the document, oldest first, from its TEI revisionDesc."""
    opened = _open(ctx)
    changes = session.history(opened)
    if ctx.as_json:
        click.echo(json.dumps({"doc_id": ctx.doc_id, "version": opened.version, "changes": [
            {"when": c.when, "who": c.who, "what": c.what, "target": list(c.target)} for c in changes]}, ensure_ascii=False, indent=2))
        return
    for c in changes:
        click.echo(f"{c.when}  {c.who}: {c.what}")
    if not changes:
        click.echo(f"{ctx.doc_id}: no edits yet (version {opened.version})")


