"""The citation stage: notes → citations, linked and keyed.

Three steps, each a pure function of its own module:

1. `citecheck.cite.split.find_works(text)`: *splitting* a note into works.
2. `citecheck.cite.parse.parse_reference(clause)`: *fields* of one work.
3. `cite_corpus(documents)` here: *linking and keys*. Back references get the key of the work
   they point to (`citecheck.cite.backrefs`), the same work in several notes gets one key,
   keys are made unique across the corpus (`citecheck.cite.keys`).

Commentary clauses (`Quishi is a journal of the Chinese Communist Party.`) cite nothing; they
stay in the note's text, which every output keeps. Inside a work, words the parser could not
place go verbatim into the `note` field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from citecheck.cite.backrefs import (
    WorkIndex,
    back_reference,
    identity,
    own_pages,
    short_form_target,
)
from citecheck.cite.citation import Citation, CitedDocument, CitedNote
from citecheck.cite.draft import ParsedWork
from citecheck.cite.entries import entry_works, without_cited_keys
from citecheck.cite.keys import letters, make_key_base
from citecheck.cite.learned import parse_learned
from citecheck.cite.parse import known_forms, parse_reference
from citecheck.cite.split import Clause, find_urls, find_works
from citecheck.read.model import REFERENCE, Note, NotedDocument, note_place


def cite_note(note: Note) -> list[tuple[Clause, ParsedWork | None]]:
    """Split one note and parse its works (no keys yet).

    A reference-list entry (`kind == REFERENCE`) is exactly one work, parsed by the learned
    parser (`citecheck.cite.learned`), which was trained on such entries; a footnote is split
    into works and each is parsed by the rules, which are exact on the five texts' notes
    (docs/parser.md gives the figures behind this choice).
    """
    if note.kind == REFERENCE:
        text = " ".join(note.text.split())
        if not text:
            return []
        clause = Clause(text, "work")
        return [(clause, _parsed(clause.text, note.urls, learned=True))]
    out: list[tuple[Clause, ParsedWork | None]] = []
    for clause in find_works(note.text):
        if clause.kind in {"work", "short"}:
            out.append((clause, _parsed(clause.text, note.urls, learned=False)))
        elif clause.kind in {"ibid", "extra-url"}:
            out.append((clause, None))
    return out


def _parsed(text: str, known_urls: Sequence[str], *, learned: bool) -> ParsedWork:
    """One work's fields; a parser bug on an odd note becomes a misc with the words kept."""
    try:
        if learned:
            parsed = parse_learned(text)
            urls = tuple(dict.fromkeys(known_forms(parsed.urls, known_urls)))
            if urls and urls != parsed.urls:
                parsed = replace(parsed, urls=urls, fields={**parsed.fields, "url": urls[0]})
            return parsed
        return parse_reference(text, known_urls)
    except (ValueError, IndexError, KeyError, AttributeError) as error:
        # A parser bug on an odd note must not stop the run: keep the words, say why.
        return ParsedWork(
            "misc",
            {"title": "", "note": text},
            tuple(find_urls(text)),
            (),
            (f"the parser failed on this clause ({type(error).__name__}: {error})",),
        )


def cite_document(document: NotedDocument) -> CitedDocument:
    """Parse and link the notes of one document; keys are provisional until `cite_corpus`."""
    index = WorkIndex()
    notes: list[CitedNote] = []
    previous: list[Citation] = []
    counter = 0
    for note in document.notes:
        place = note_place(document.path, note)
        citations = [  # works cited by .bib key (cite/entries.py)
            Citation(w.key, w.type, w.fields, place, w.raw, w.urls, refers_to=w.refers_to)
            for w in entry_works(document.notes, note)
        ]
        for clause, parsed in cite_note(without_cited_keys(note)):  # minus the .bib works
            if clause.kind == "ibid":
                target = citations[-1] if citations else (previous[-1] if previous else None)
                if target is None:
                    continue
                base = Citation(target.key, target.type, {}, place, clause.text)
                citations.append(back_reference(base, target, own_pages(clause.text[4:])))
                continue
            if clause.kind == "extra-url":
                _attach_extra(citations, clause.text, note)
                continue
            if parsed is None:
                continue
            raw = Citation(
                key="",
                type=parsed.type,
                fields=parsed.fields,
                place=place,
                raw=clause.text,
                urls=parsed.urls,
                un_symbols=parsed.symbols,
                problems=tuple(f"note {note.number}: {p}" for p in parsed.problems),
            )
            short = not parsed.urls and note.kind != REFERENCE
            target = short_form_target(clause.text, index) if short else None
            if target is None and clause.kind == "short":
                continue  # a capitalised phrase that names no earlier work: commentary
            if target is None:
                same = identity(parsed.fields)
                target = index.first_with_identity.get(same) if same[0] else None
            if target is not None:
                citations.append(back_reference(raw, target, own_pages(clause.text)))
                continue
            counter += 1
            first = replace(raw, key=f"#{counter}")
            index.add(first)
            citations.append(first)
        hidden = link_targets(citations, note) if document.format != "text" else []
        if hidden and not citations and note.text.strip():
            # Only words and a link ("Roe, <the report>"): the link is the work cited.
            parsed = parse_reference(f"{' '.join(note.text.split())}, {hidden[0]}", hidden)
            counter += 1
            work = Citation(
                f"#{counter}", parsed.type, parsed.fields, place, note.text, parsed.urls,
                un_symbols=parsed.symbols,
            )  # fmt: skip
            index.add(work)
            citations.append(work)
        elif hidden:
            citations = with_link_targets(citations, hidden)
        notes.append(CitedNote(note.number, note.line, tuple(citations)))
        if citations:
            previous = citations
    return CitedDocument(document.path, tuple(notes))


def link_targets(citations: list[Citation], note: Note) -> list[str]:
    """A note's URLs that exist only as link targets (a Word hyperlink, an HTML or PDF link
    over words): the parser, which reads the note's text, cannot have given them to a work."""
    taken = {url for citation in citations for url in citation.urls}
    return [url for url in note.urls if url not in taken and url not in note.text]


def with_link_targets(citations: list[Citation], hidden: list[str]) -> list[Citation]:
    """`hidden` link targets given to the note's work when it cites exactly one new work;
    without this they would be probed but never reach the work's `url`."""
    works = [i for i, c in enumerate(citations) if c.refers_to is None]
    if len(works) != 1:
        return citations
    work = citations[works[0]]
    fields = dict(work.fields)
    fields.setdefault("url", hidden[0])
    updated = replace(work, urls=(*work.urls, *hidden), fields=fields)
    return [updated if i == works[0] else c for i, c in enumerate(citations)]


def _attach_extra(citations: list[Citation], text: str, note: Note) -> None:
    if not citations:
        return
    last = citations[-1]
    urls = tuple(dict.fromkeys(last.urls + tuple(_take_urls(text, note.urls))))
    fields = dict(last.fields)
    extra = text
    for url in find_urls(text):
        extra = extra.replace(url, "").strip()
    extra = extra.strip(" .")
    # `A full version can be found … at <url>`: the URL goes to `url`; the sentence must not
    # end on the preposition that pointed at it.
    extra = re.sub(r"\s+(?:at|on|in|from|via)$", "", extra)
    if extra:
        fields["note"] = (fields["note"] + "; " + extra) if "note" in fields else extra
    if urls and "url" not in fields:
        fields["url"] = urls[0]
    citations[-1] = replace(last, urls=urls, fields=fields)


def _take_urls(text: str, known_urls: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(known_forms(find_urls(text), known_urls)))


def cite_corpus(documents: Sequence[NotedDocument]) -> tuple[CitedDocument, ...]:
    """Cite every document and give each work a readable key unique in the whole corpus.

    Within one text, one work has one key. Across texts, keys never repeat even for the same
    work, so that the per-text .bib files can be loaded together (biber rejects a key that
    appears in two files): the second text's copy gets the next letter.
    """
    return unique_keys([cite_document(d) for d in documents])


def unique_keys(cited: Sequence[CitedDocument]) -> tuple[CitedDocument, ...]:
    """Documents cited one by one (on any machine), with keys made unique across them."""
    bases: dict[str, list[tuple[int, str]]] = {}
    for index, document in enumerate(cited):
        for work in document.works:
            bases.setdefault(make_key_base(work.fields), []).append((index, work.key))
    final: dict[tuple[int, str], str] = {}
    for base, members in bases.items():
        if len(members) == 1:
            final[members[0]] = base
        else:
            for position, member in enumerate(members):
                final[member] = base + letters(position)
    result = []
    for index, document in enumerate(cited):
        provisional = {work.key: final[(index, work.key)] for work in document.works}
        notes = tuple(
            replace(
                note,
                citations=tuple(
                    replace(
                        c,
                        key=provisional[c.key],
                        refers_to=provisional[c.refers_to] if c.refers_to else None,
                    )
                    for c in note.citations
                ),
            )
            for note in document.notes
        )
        result.append(CitedDocument(document.path, notes))
    return tuple(result)
