"""CSL-JSON output (what pandoc `--bibliography x.json` and Zotero's importer read).

One item per distinct work. Names are `{"family", "given"}` for people and `{"literal"}` for
institutions; dates are `{"date-parts": [[y, m, d]]}` with the written form kept in `raw`
when the date is not a plain day/month/year.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from citecheck.citations import Citation, CitedDocument
from citecheck.names import readable_name, split_name_list

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
    for role in ("author", "editor"):
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
    parts = [int(fields[k]) for k in ("year", "month", "day") if fields.get(k, "").isdigit()]
    if parts:
        item["issued"] = {"date-parts": [parts]}
    elif fields.get("date_written"):
        item["issued"] = {"raw": fields["date_written"]}
    return item


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
