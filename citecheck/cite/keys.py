"""Citation keys: `make_key_base` (author + year + title word) and letters for repeats."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from urllib.parse import urlsplit

from citecheck.cite.names import family_name, split_name_list
from citecheck.cite.split import FUNCTION_WORDS


def make_key_base(fields: Mapping[str, str]) -> str:
    """author-or-institution + year + first significant title word, lowercase ASCII."""
    names = fields.get("author") or fields.get("editor") or ""
    first = split_name_list(names)[0] if names else ""
    name_part = ""
    if first.startswith("{"):
        institution = first[1:-1]
        acronym = re.search(r"\(([A-Z][A-Za-z/]{1,9})\)", institution)
        words = [w for w in re.split(r"[\s,\-/]+", institution) if w and w[0].isupper()]
        if acronym:
            name_part = acronym.group(1)
        elif len(words) >= 3:
            name_part = "".join(w[0] for w in words)
        else:
            name_part = words[0] if words else institution
    elif first:
        name_part = family_name(first)
    year = fields.get("year", "") or "nd"
    title_words = [
        w
        for w in re.findall(r"[^\W_]+", _ascii(fields.get("title", "")))
        if w.lower() not in FUNCTION_WORDS
    ]
    # The first significant word that starts with a letter (`2015 7th International …` →
    # `international`), so that a key never starts with a digit.
    lettered = [w for w in title_words if w[0].isalpha()]
    word = lettered[0] if lettered else ""
    if not word:
        host = urlsplit(fields.get("url", "")).netloc.lower().removeprefix("www.")
        label = re.sub(r"[^a-z0-9]", "", host.split(".")[0]) if host else ""
        word = ("site" + label if label[:1].isdigit() else label) or "untitled"
    if not name_part:
        # No author: start with the title word so that the key starts with a letter.
        return (word.lower() + year).replace(" ", "")
    return (_ascii(name_part).lower() + year + word.lower()).replace(" ", "")


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^A-Za-z0-9 ]", "", decomposed.encode("ascii", "ignore").decode())


def letters(index: int) -> str:
    """The suffix of the `index`-th work sharing a key base: a, b, …, z, aa, ab, …"""
    text = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        text = chr(ord("a") + rem) + text
    return text
