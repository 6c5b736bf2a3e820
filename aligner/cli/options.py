"""Option bundles shared by several commands."""

from __future__ import annotations

import getpass
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from aligner.errors import AlignerError, InputError
from aligner.reader.filters import LOW_CONFIDENCE

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def corpus_option(func: F) -> F:
    """--corpus: the TEI corpus folder (default ./corpora)."""
    return click.option(
        "--corpus",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("corpora"),
        show_default=True,
        help="The TEI corpus folder.",
    )(func)


def who_option(help_text: str) -> Callable[[F], F]:
    """--who: the name a history line records; None unless given, so that its default is looked
    up (`who_or_default`) only by a command that records one."""
    return click.option("--who", metavar="NAME", help=f"{help_text} (default: $ALIGNER_EDITOR or the login name).")


def who_or_default(who: str | None) -> str:
    """The name --who gave, else $ALIGNER_EDITOR, else the login name; a user without one (a
    container's uid with no passwd entry) is asked for --who in one line."""
    if who is not None:
        return who
    try:
        return os.environ.get("ALIGNER_EDITOR") or getpass.getuser()
    except (KeyError, OSError):  # OSError from Python 3.13 on
        raise InputError("no login name to record in the history; give one with --who NAME (or set ALIGNER_EDITOR)") from None


def quiet_option(func: F) -> F:
    """--quiet: no progress on stderr."""
    return click.option("-q", "--quiet", is_flag=True, help="No progress output on stderr.")(func)


def json_option(func: F) -> F:
    """--json: machine-readable report on stdout."""
    return click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")(func)


def usage_checked(check: Callable[[str], T]) -> Callable[[click.Context, click.Parameter, str | None], T | None]:
    """A click callback passing an option's value through `check`, whose refusal is a usage error (status 2)."""

    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> T | None:
        if value is None:
            return None
        try:
            return check(value)
        except AlignerError as err:  # click names the option: not again where a message starts with it (--range, --grep)
            option = param.opts[0]
            raise click.BadParameter(str(err).removeprefix(f"{option}: ").removeprefix(f"{option} "), ctx, param) from None

    return callback


def _tag(value: str) -> str:
    """`value`, when it is empty or a BCP 47 tag (`langs.split_tag` refuses a typo with a hint: zn, did you mean zh?)."""
    from aligner.ingest.langs import split_tag

    if value:
        split_tag(value)
    return value


def _tags(value: str) -> str:
    """`value`, when each of its comma-separated parts is empty or a BCP 47 tag (`_tag`)."""
    for tag in value.split(","):
        _tag(tag.strip())
    return value


language_tag = usage_checked(_tag)  # click callback of an option holding a language tag: --src-lang, --lang
language_tags = usage_checked(_tags)  # … holding several, comma-separated: --langs


def langs_option(func: F) -> F:
    """--langs: which versions, comma-separated, in column order."""
    return click.option(
        "--langs",
        default="",
        callback=language_tags,
        help="Versions to show, comma-separated in column order (default: all, English first).",
    )(func)


class Confidence(click.FloatRange):
    """A confidence: a number from 0 to 1. Not nan, which click's FloatRange lets through (it
    compares false with both bounds), so that a value out of range is always status 2."""

    def __init__(self) -> None:
        super().__init__(0, 1)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value} is not in the range 0<=x<=1", param, ctx)
        return number


def threshold_option(func: F) -> F:
    """--threshold: links below this confidence are marked for review."""
    return click.option(
        "--threshold",
        type=Confidence(),
        default=LOW_CONFIDENCE,
        show_default=True,
        help="Mark links below this confidence for review.",
    )(func)


def encoder_option(func: F) -> F:
    """--encoder: which sentence encoder the engine uses."""
    from aligner.align.encoders import CHOICES

    return click.option(
        "--encoder",
        type=click.Choice(CHOICES),
        default="auto",
        show_default=True,
        help="Sentence encoder: auto takes USE-m3 where it covers both languages (16), else e5 (about 100).",
    )(func)
