"""Versions by language tag: which version of a document a tag asked for names, as `aligner
search --lang` reads it (zh-Hant-HK: only a Hong Kong version; zh-Hant: any Traditional one;
zh: any Chinese one), so that show, export and score tell regional versions apart alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from aligner.corpus.model import ParallelText
from aligner.errors import InputError, LanguageError
from aligner.ingest.langs import full_tag, normalize_tag, tag_within


def tags_of(text: ParallelText) -> dict[str, str]:
    """A document's versions: key → full tag (zh-Hant → zh-Hant-HK)."""
    return {lang: doc.tag for lang, doc in text.versions.items()}


def english_first(langs: Iterable[str]) -> list[str]:
    """Languages in the order columns take by default: English first, then by tag."""
    return sorted(langs, key=lambda lang: (lang != "en", lang))


def within(asked: str, tags: Mapping[str, str]) -> list[str]:
    """The version keys of a document (`tags`: key → full tag) whose tag lies within `asked`
    (`langs.tag_within`)."""
    return [have for have, tag in tags.items() if tag_within(asked, tag)]


def key_of(asked: str, docs: Sequence[Mapping[str, str]], option: str = "--langs") -> str:
    """The one version key `asked` names in these documents' tags (its own key when none has
    it); a tag naming two versions (zh: zh-Hans and zh-Hant) is an error asking for one."""
    keys = sorted({key for tags in docs for key in within(asked, tags)})
    if len(keys) > 1:
        raise LanguageError(f"{option} {asked}: stands for {' and '.join(keys)} here; name one of them")
    return keys[0] if keys else normalize_tag(asked)


def check_region(asked: str, key: str, tag: str, option: str = "--langs", doc_id: str = "") -> None:
    """Refuse version `key`, whose full tag is `tag`, when it is not within `asked` (a Taiwan
    version for zh-Hant-HK): one line naming the tags to ask for instead."""
    if not within(asked, {key: tag}):
        where = f"{doc_id}: " if doc_id else ""
        raise LanguageError(f"{where}{option} {asked}: this document's {key} version is {tag}; ask for {tag} or {key}")


def choose(value: str, docs: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """`--langs en,zh-Hant-HK` → {tag asked: version key} in column order (`key_of` in these
    documents' tags); a version named twice (en,en; zh,zh-Hant; zh-Hant-TW,zh-Hant-HK) is an error."""
    chosen: dict[str, str] = {}
    for asked in (v.strip() for v in value.split(",") if v.strip()):
        key = key_of(asked, docs)
        twin = next((a for a, k in chosen.items() if k == key), None)
        if twin == asked:
            raise LanguageError(f"--langs {value}: {key} comes twice; name each version once")
        if twin is not None:
            raise LanguageError(f"--langs {value}: {twin} and {asked} both name the {key} version, which a document has one of; name it once")
        chosen[asked] = key
    if not chosen:
        raise LanguageError(f"--langs '{value}': name the versions, e.g. --langs en,zh-Hans")
    return chosen


def keep_region(regions: dict[str, str], lang: str, region: str, where: str, fix: str) -> None:
    """Record `region` as version `lang`'s in `regions` (one document's), refusing another one
    there: two regions of one script (zh-Hant-TW, zh-Hant-HK) are two documents, never one
    version; `fix` says how to split them."""
    had = regions.get(lang, "")
    if region and had and region != had:
        raise InputError(
            f"{where}: {full_tag(lang, region)} in a document whose {lang} version is {full_tag(lang, had)}; "
            f"two regions of one script go in two documents: {fix}"
        )
    if region:
        regions[lang] = region
