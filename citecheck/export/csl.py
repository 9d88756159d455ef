"""CSL-JSON output (what pandoc `--bibliography x.json` and Zotero's importer read).

One item per distinct work. Names are `{"family", "given"}` for people and `{"literal"}` for
institutions; dates are `{"date-parts": [[y, m, d]]}` with the written form kept in `raw`
when the date is not a plain day/month/year.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from citecheck.cite.citation import Citation, CitedDocument
from citecheck.cite.names import readable_name, split_name_list

CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "collection": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "report": "report",
    "online": "webpage",
    "misc": "document",
}
SIMPLE_FIELDS = {
    "title": "title",
    "volume": "volume",
    "edition": "edition",
    "publisher": "publisher",
    "location": "publisher-place",
    "note": "note",
    "origtitle": "original-title",
    "langid": "language",
    "url": "URL",
    "doi": "DOI",
    "isbn": "ISBN",
    "series": "collection-title",
}
LANGUAGE_TAGS = {"chinese": "zh", "russian": "ru", "french": "fr", "english": "en"}


def csl_names(value: str) -> list[dict[str, str]]:
    """BibTeX name list → CSL names: braces mean an institution (`literal`)."""
    names: list[dict[str, str]] = []
    for name in split_name_list(value):
        if name.startswith("{") and name.endswith("}"):
            names.append({"literal": name[1:-1]})
            continue
        parts = [p.strip() for p in name.split(",")]
        if len(parts) == 3:
            names.append({"family": parts[0], "suffix": parts[1], "given": parts[2]})
        elif len(parts) == 2:
            names.append({"family": parts[0], "given": parts[1]})
        else:
            names.append({"literal": readable_name(name)})
    return names


def csl_item(citation: Citation) -> dict[str, Any]:
    """One work as a CSL-JSON item."""
    fields = citation.fields
    item: dict[str, Any] = {"id": citation.key, "type": CSL_TYPES.get(citation.type, "document")}
    for ours, theirs in SIMPLE_FIELDS.items():
        if fields.get(ours):
            item[theirs] = fields[ours]
    if "language" in item:
        item["language"] = LANGUAGE_TAGS.get(item["language"], item["language"])
    for role in ("author", "editor", "translator"):
        if fields.get(role):
            item[role] = csl_names(fields[role])
    container = (
        fields.get("journaltitle") or fields.get("booktitle") or fields.get("organization") or ""
    )
    if container:
        item["container-title"] = container
    if fields.get("institution") and "publisher" not in item:
        item["publisher"] = fields["institution"]
    if fields.get("number"):
        item["number" if citation.type in {"report", "misc", "online"} else "issue"] = fields[
            "number"
        ]
    if fields.get("type"):
        item["genre"] = fields["type"]
    if fields.get("pages"):
        item["page"] = fields["pages"].replace("--", "-")
    if fields.get("chapter"):
        item["chapter-number"] = fields["chapter"]
    issued = csl_date(fields.get("date", ""))
    parts = [int(fields[k]) for k in ("year", "month", "day") if fields.get(k, "").isdigit()]
    if issued is not None:
        item["issued"] = issued
    elif parts:
        item["issued"] = {"date-parts": [parts]}
    elif fields.get("date_written"):
        item["issued"] = {"raw": fields["date_written"]}
    accessed = csl_date(fields.get("urldate", ""))
    if accessed is not None:
        item["accessed"] = accessed
    return item


_ISO_PART_RE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def csl_date(date: str) -> dict[str, Any] | None:
    """A biblatex/EDTF date as CSL: a range `2002-05-29/2002-05-30` gives two date-parts
    (CSL's range form), a season `2013-23` gives the year and `"season": 3`; None otherwise."""
    ends = date.split("/")
    if not date or len(ends) > 2:
        return None
    date_parts: list[list[int]] = []
    season = None
    for end in ends:
        match = _ISO_PART_RE.fullmatch(end)
        if match is None:
            return None
        numbers = [int(g) for g in match.groups() if g is not None]
        if len(numbers) > 1 and 21 <= numbers[1] <= 24:
            season = numbers[1] - 20  # EDTF 21–24 spring…winter → CSL season 1–4
            numbers = numbers[:1]
        date_parts.append(numbers)
    issued: dict[str, Any] = {"date-parts": date_parts}
    if season is not None:
        issued["season"] = season
    return issued


def csl_items(works: Iterable[Citation]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    items = []
    for work in works:
        if work.key not in seen:
            seen.add(work.key)
            items.append(csl_item(work))
    return items


def write_csl_json(documents: Sequence[CitedDocument]) -> str:
    """All works of `documents` as one CSL-JSON array, each key once."""
    works = [w for d in documents for w in d.works]
    return json.dumps(csl_items(works), ensure_ascii=False, indent=2)
