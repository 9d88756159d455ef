"""Contributor names: tell people from institutions and write both the way BibTeX reads them.

People are written `Family, Given` (Chinese names in pinyin keep the family name first:
`Zhang Xinbao` → `Zhang, Xinbao`); institutions are wrapped in braces (`{State Council
Information Office}`) so BibTeX never splits them into first and last names.
"""

from __future__ import annotations

import re

INSTITUTION_WORDS = frozenset(
    [
        "ministry",
        "office",
        "council",
        "organization",
        "organisation",
        "government",
        "commission",
        "center",
        "centre",
        "institute",
        "association",
        "nations",
        "assembly",
        "department",
        "house",
        "cooperation",
        "agency",
        "committee",
        "foundation",
        "university",
        "corporation",
        "bureau",
        "administration",
        "chiefs",
        "society",
        "union",
        "league",
        "summit",
        "conference",
        "program",
        "programme",
        "group",
        "secretariat",
        "embassy",
        "mission",
        "press",
        "parliament",
        "court",
        "congress",
        "senate",
        "tank",
        "network",
        "project",
        "team",
        "service",
        "services",
        "lab",
    ]
)
CHINESE_SURNAMES = frozenset(
    [
        "zhang",
        "wang",
        "li",
        "liu",
        "chen",
        "yang",
        "zhao",
        "huang",
        "zhou",
        "wu",
        "xu",
        "sun",
        "hu",
        "zhu",
        "gao",
        "lin",
        "he",
        "guo",
        "ma",
        "luo",
        "liang",
        "song",
        "zheng",
        "xie",
        "han",
        "tang",
        "feng",
        "yu",
        "dong",
        "xiao",
        "cheng",
        "cao",
        "yuan",
        "deng",
        "fu",
        "shen",
        "zeng",
        "peng",
        "lu",
        "su",
        "jiang",
        "cai",
        "jia",
        "ding",
        "wei",
        "xue",
        "ye",
        "yan",
        "qiao",
        "meng",
        "cui",
    ]
)
TITLE_WORDS = frozenset(
    [
        "the",
        "china",
        "china’s",
        "chinese",
        "military",
        "strategy",
        "warfare",
        "internet",
        "cyber",
        "cyberspace",
        "security",
        "policy",
        "report",
        "statement",
        "declaration",
        "economics",
        "international",
        "global",
        "information",
        "review",
        "law",
        "manual",
        "joint",
        "annex",
        "agreement",
        "convention",
        "protocol",
        "plan",
        "charter",
        "white",
        "paper",
        "national",
        "strategic",
        "action",
        "building",
        "towards",
        "toward",
        "unrestricted",
    ]
)
_NAME_TOKEN = (
    r"(?:Ma?c[A-Z][a-zà-ÿ]+|[A-Z][a-zà-ÿ’'\-]+(?:-[A-Z][a-zà-ÿ’']+)?|[A-Z]\.(?:[A-Z]\.)?"
    r"|[A-Z][a-z]*’[A-Z][a-z]+)"
)
_PARTICLE = r"(?:van der|van|von|de|da|del|al|bin)"
_PERSON_RE = re.compile(
    rf"^{_NAME_TOKEN}(?: {_NAME_TOKEN}| {_PARTICLE}){{0,3}} {_NAME_TOKEN}"
    r"(?:,? (?:Jr|Sr)\.?|,? III)?$"
)


def is_person(text: str) -> bool:
    """True when `text` reads as one personal name (`Joseph S. Nye Jr`, `Damien van der Toorn`)."""
    value = text.strip()
    if not _PERSON_RE.match(value):
        return False
    words = [w.lower().strip(".") for w in value.split()]
    return not any(w in TITLE_WORDS or w in INSTITUTION_WORDS for w in words)


def is_institution(text: str) -> bool:
    """True when `text` names an organisation (`State Council Information Office`)."""
    value = text.strip()
    if not value or not value[0].isupper() or len(value) > 160:
        return False
    words = re.findall(r"[A-Za-z’']+", value.lower())
    if value.startswith(("United States", "Government of", "Joint Chiefs")):
        return True
    if not any(w in INSTITUTION_WORDS or w.removesuffix("s") in INSTITUTION_WORDS for w in words):
        return bool(re.fullmatch(r"[A-Z]{2,}(?:/[A-Z]{2,})?", value))
    # A title that merely mentions an institution (`Report of the Group …`) starts with a title word
    if " – " in value or re.search(r"\((?:[^()]*:|[^()]*\b(?:19|20)\d\d)", value):
        return False  # `Annex A – Program of Action`, a title with its (Place: Publisher, Year)
    return words[0] not in {"report", "statement", "remarks", "speech", "readout", "joint", "annex"}


def split_people(text: str) -> list[str] | None:
    """`A, B and C` / `A and B` → names when every piece is a person, else None."""
    text = re.sub(r"^and\s+", "", text.strip())
    pieces = [p.strip() for p in re.split(r",\s*(?:and\s+)?|(?<!\s)\s+and\s+", text) if p.strip()]
    if pieces and all(is_person(p) for p in pieces):
        return pieces
    return None


def bibtex_person(name: str) -> str:
    """`Paul Krugman` → `Krugman, Paul`; `Zhang Xinbao` → `Zhang, Xinbao` (family name first)."""
    tokens = name.split()
    suffix = ""
    if tokens and tokens[-1].rstrip(".") in {"Jr", "Sr", "III"}:
        suffix = tokens.pop().rstrip(".")
        tokens[-1] = tokens[-1].rstrip(",")
    if len(tokens) == 2 and tokens[0].lower() in CHINESE_SURNAMES and is_pinyin(tokens[1]):
        return f"{tokens[0]}, {tokens[1]}"
    particles = {"van", "der", "von", "de", "da", "del", "al", "bin"}
    split_at = len(tokens) - 1
    while split_at > 1 and tokens[split_at - 1] in particles:
        split_at -= 1
    given, family = " ".join(tokens[:split_at]), " ".join(tokens[split_at:])
    if suffix:
        return f"{family}, {suffix}, {given}"
    return f"{family}, {given}" if given else family


def bibtex_institution(name: str) -> str:
    """An institution as one BibTeX name: braces stop BibTeX reading it as a person's name."""
    return "{" + name.strip() + "}"


def family_name(bibtex_name: str) -> str:
    """The family name (or the institution) of one name as written by the functions above."""
    value = bibtex_name.strip()
    if value.startswith("{") and value.endswith("}"):
        return value[1:-1]
    return value.split(",")[0].strip()


def readable_name(bibtex_name: str) -> str:
    """BibTeX form back to reading order (comparisons, CSL): `Krugman, Paul` → `Paul Krugman`."""
    value = bibtex_name.strip()
    if value.startswith("{") and value.endswith("}"):
        return value[1:-1]
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 3:
        return f"{parts[2]} {parts[0]} {parts[1]}"
    if len(parts) == 2:
        if parts[0].lower() in CHINESE_SURNAMES and is_pinyin(parts[1]):
            return f"{parts[0]} {parts[1]}"
        return f"{parts[1]} {parts[0]}"
    return value


def split_name_list(value: str) -> list[str]:
    """Split a BibTeX name list at ` and ` outside braces (institutions may contain `and`)."""
    names: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and value.startswith(" and ", i):
            names.append(value[start:i])
            start = i + 5
            i += 5
            continue
        i += 1
    names.append(value[start:])
    return [n.strip() for n in names if n.strip()]


_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|er|ia|ie"
    r"|iu|ua|uo|ui|a|o|e|i|u|ü)"
)
_PINYIN_RE = re.compile(rf"(?:{_PINYIN_SYLLABLE}){{1,3}}", re.I)


def is_pinyin(given: str) -> bool:
    """A given name spelt in pinyin (`Xinbao`, `Ming'ai`), so family-name-first order applies."""
    return bool(_PINYIN_RE.fullmatch(given.replace("'", "").replace("’", "").replace("-", "")))
