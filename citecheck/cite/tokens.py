"""Tokens and features of one reference string, for the learned field parser (`learned.py`).

A token is a run of non-space characters, punctuation included, as in AnyStyle's training data
(whose segments always end at a space). `features(tokens)` gives each token a list of
`name=value` strings: the word itself, its shape, its punctuation, where it stands, whether it
is in a quotation or in brackets, dictionary hits (months, name particles, publisher and place
words, `pp.`, `vol.`, `ed.`, `In:`) and recognisers (year, page range, URL, DOI, ISBN, arXiv
id, UN symbol), then the same cues of its neighbours. Every feature is a pure function of the
text, computed in one left-to-right pass: linear in the string, a few microseconds a token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MONTH_WORDS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
        "januar",
        "februar",
        "märz",
        "juni",
        "juli",
        "oktober",
        "dezember",
    ]
)
PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "la",
        "le",
        "den",
        "ter",
        "ten",
        "bin",
        "al",
        "el",
    ]
)
PUBLISHER_WORDS = frozenset(
    [
        "press",
        "university",
        "verlag",
        "publishing",
        "publishers",
        "publisher",
        "books",
        "edition",
        "éditions",
        "editions",
        "presses",
        "academic",
        "springer",
        "elsevier",
        "wiley",
        "routledge",
        "blackwell",
        "macmillan",
        "penguin",
        "sage",
        "cambridge",
        "oxford",
        "harvard",
        "yale",
        "princeton",
        "mit",
        "norton",
        "palgrave",
        "brill",
        "gallimard",
        "suhrkamp",
        "taylor",
        "francis",
        "inc",
        "inc.",
        "ltd",
        "ltd.",
        "co.",
        "company",
        "group",
        "house",
        "verlags",
        *[
            "kluwer",
            "mouton",
            "westview",
            "hanser",
            "gruyter",
            "mcgraw-hill",
            "mcgraw",
            "addison-wesley",
            "prentice",
            "siam",
            "ieee",
            "acm",
            "dover",
            "vintage",
            "knopf",
            "harper",
            "harpercollins",
            "random",
            "simon",
            "schuster",
            "houghton",
            "mifflin",
            "beck",
            "mohr",
            "siebeck",
            "seuil",
            "puf",
            "flammarion",
            "dunod",
            "lit",
            "rowohlt",
            "fischer",
            "dtv",
            "reclam",
            "metzler",
            "teubner",
            "vieweg",
            "kohlhammer",
            "nomos",
            "duncker",
            "humblot",
            "vandenhoeck",
            "ruprecht",
            "lang",
            "transcript",
            "karger",
            "thieme",
            "lippincott",
            "wilkins",
            "saunders",
            "mosby",
            "crc",
            "chapman",
            "pergamon",
            "plenum",
            "north-holland",
            "birkhäuser",
            "verso",
            "polity",
            "zed",
            "pluto",
            "continuum",
            "bloomsbury",
            "ashgate",
            "elgar",
            "earthscan",
            "jossey-bass",
            "guilford",
            "erlbaum",
            "nber",
            "brookings",
            "oecd",
            "unesco",
            "world-scientific",
            "pearson",
            "mcmillan",
            "heinemann",
            "longman",
            "methuen",
            "hutchinson",
            "faber",
            "chatto",
            "windus",
            "picador",
            "hachette",
            "larousse",
            "armand",
            "einaudi",
            "feltrini",
            "laterza",
            "mondadori",
            "cornell",
            "hopkins",
            "chicago",
            "stanford",
            "columbia",
            "duke",
            "rutgers",
            "nyu",
            "ucl",
            "manchester",
            "edinburgh",
            "verlagsgesellschaft",
            "wissenschaftliche",
            "buchgesellschaft",
        ],
    ]
)
PLACE_WORDS = frozenset(
    [
        "london",
        "paris",
        "berlin",
        "new",
        "york",
        "oxford",
        "cambridge",
        "boston",
        "chicago",
        "amsterdam",
        "leiden",
        "tokyo",
        "beijing",
        "geneva",
        "washington",
        "princeton",
        "toronto",
        "montreal",
        "madrid",
        "rome",
        "vienna",
        "münchen",
        "munich",
        "frankfurt",
        "stuttgart",
        "leipzig",
        "zürich",
        "zurich",
        "basel",
        "heidelberg",
        "hamburg",
        "moscow",
        "sydney",
        "philadelphia",
        "baltimore",
        "berkeley",
        "stanford",
        "dordrecht",
        "heidelberg",
        "singapore",
        "delhi",
        "tallinn",
        "brussels",
        "ny",
        "ma",
        "ca",
        "il",
        "uk",
        "usa",
        *[
            "ithaca",
            "hoboken",
            "englewood",
            "cliffs",
            "upper",
            "saddle",
            "river",
            "thousand",
            "oaks",
            "newbury",
            "beverly",
            "hills",
            "san",
            "francisco",
            "los",
            "angeles",
            "diego",
            "seattle",
            "minneapolis",
            "ann",
            "arbor",
            "madison",
            "austin",
            "haven",
            "durham",
            "chapel",
            "bloomington",
            "urbana",
            "champaign",
            "norman",
            "reading",
            "mass",
            "conn",
            "n.j",
            "nj",
            "n.y",
            "calif",
            "basingstoke",
            "abingdon",
            "milton",
            "aldershot",
            "farnham",
            "cheltenham",
            "harmondsworth",
            "edinburgh",
            "glasgow",
            "manchester",
            "dublin",
            "bristol",
            "melbourne",
            "auckland",
            "wellington",
            "cape",
            "town",
            "johannesburg",
            "nairobi",
            "lagos",
            "cairo",
            "mexico",
            "buenos",
            "aires",
            "são",
            "paulo",
            "lisbon",
            "lisboa",
            "barcelona",
            "milano",
            "milan",
            "torino",
            "turin",
            "bologna",
            "firenze",
            "florence",
            "napoli",
            "bern",
            "lausanne",
            "wien",
            "köln",
            "cologne",
            "düsseldorf",
            "göttingen",
            "tübingen",
            "freiburg",
            "mainz",
            "bonn",
            "darmstadt",
            "weinheim",
            "wiesbaden",
            "opladen",
            "bielefeld",
            "dresden",
            "lyon",
            "marseille",
            "bordeaux",
            "toulouse",
            "strasbourg",
            "lille",
            "rennes",
            "québec",
            "quebec",
            "ottawa",
            "vancouver",
            "copenhagen",
            "stockholm",
            "oslo",
            "helsinki",
            "warsaw",
            "prague",
            "budapest",
            "athens",
            "istanbul",
            "jerusalem",
            "aviv",
            "seoul",
            "taipei",
            "shanghai",
            "hong",
            "kong",
            "kyoto",
            "osaka",
            "bangalore",
            "mumbai",
            "kolkata",
            "karachi",
            "dhaka",
            "jakarta",
            "manila",
            "bangkok",
            "hanoi",
            "canberra",
            "brisbane",
            "perth",
            "adelaide",
            "eindhoven",
            "utrecht",
            "rotterdam",
            "groningen",
            "leuven",
            "louvain",
            "ghent",
            "gent",
            "antwerp",
            "luxembourg",
            "waterloo",
            "ontario",
            "germany",
            "france",
            "england",
            "italy",
            "netherlands",
            "switzerland",
            "canada",
            "australia",
            "japan",
            "china",
            "india",
            "spain",
            "detroit",
            "melbourne",
            "pa",
            "nj",
            "oh",
            "mi",
            "tx",
            "va",
            "md",
            "wa",
            "nc",
            "ct",
            "de",
            "fl",
            "ga",
        ],
    ]
)
PAGE_WORDS = frozenset(["pp.", "pp", "p.", "p", "s.", "pages", "page", "seiten", "ss.", "pag."])
VOLUME_WORDS = frozenset(["vol.", "vol", "volume", "bd.", "band", "tome", "t.", "jg.", "jahrgang"])
NUMBER_WORDS = frozenset(["no.", "no", "nos.", "nr.", "n°", "n.°", "issue", "heft", "h.", "núm."])
EDITOR_WORDS = frozenset(
    [
        "ed.",
        "eds.",
        "ed",
        "eds",
        "(ed.)",
        "(eds.)",
        "hrsg.",
        "(hrsg.)",
        "éd.",
        "(éd.)",
        "dir.",
        "edited",
        "editor",
        "editors",
    ]
)
TRANSLATOR_WORDS = frozenset(["trans.", "transl.", "translated", "übers.", "trad.", "(trans.)"])
EDITION_WORDS = frozenset(
    ["edn", "edn.", "edition", "ed.", "aufl.", "auflage", "éd.", "rev.", "revised"]
)
GENRE_WORDS = frozenset(
    [
        "thesis",
        "dissertation",
        "phd",
        "ph.d.",
        "doctoral",
        "master's",
        "report",
        "paper",
        "working",
        "technical",
        "manuscript",
        "unpublished",
        "preprint",
        "diss.",
        "habilitation",
    ]
)
JOURNAL_WORDS = frozenset(
    [
        "journal",
        "j.",
        "j",
        "proc.",
        "proceedings",
        "rev.",
        "review",
        "bull.",
        "bulletin",
        "ann.",
        "annals",
        "trans.",
        "transactions",
        "acta",
        "lett.",
        "letters",
        "quarterly",
        "studies",
        "magazine",
        "nature",
        "science",
        "am.",
        "int.",
        "natl.",
        "acad.",
        "sci.",
        "res.",
        "soc.",
        "phys.",
        "chem.",
        "med.",
    ]
)
JOURNAL_WORDS = JOURNAL_WORDS | frozenset(
    [
        "rev",
        "lett",
        "phys",
        "chem",
        "biol",
        "sci",
        "eng",
        "math",
        "stat",
        "econ",
        "psychol",
        "polit",
        "hist",
        "philos",
        "ling",
        "comput",
        "appl",
        "theor",
        "exp",
        "clin",
        "neurosci",
        "ecol",
        "evol",
        "geol",
        "geophys",
        "astron",
        "astrophys",
        "mol",
        "genet",
        "nat",
        "natl",
        "acad",
        "proc",
        "trans",
        "bull",
        "ann",
        "arch",
        "mem",
        "rep",
        "commun",
        "zool",
        "bot",
        "syst",
        "quart",
        "int",
        "eur",
        "brit",
        "jpn",
        "aust",
        "res",
        "dev",
        "educ",
        "manag",
        "bus",
        "stud",
        "zeitschrift",
        "zeitschr",
        "jahrbuch",
        "archiv",
        "revue",
        "rivista",
        "revista",
        "cahiers",
        "annales",
        "mitteilungen",
        "berichte",
        "anzeiger",
        "studien",
        "beiträge",
        "monatshefte",
        "vierteljahrshefte",
        "forum",
        "newsletter",
        "gazette",
        "times",
        "post",
        "herald",
        "tribune",
        "guardian",
        "weekly",
        "daily",
    ]
)
EVENT_WORDS = frozenset(
    [
        "conference",
        "conf",
        "symposium",
        "symp",
        "workshop",
        "congress",
        "meeting",
        "colloquium",
        "proceedings",
        "annual",
    ]
)
CONNECTORS = frozenset({"and", "&", "und", "et", "y", "e"})

_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:com|org|net|edu|gov)/\S*", re.I)
_DOI_RE = re.compile(r"(?:doi:?|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+", re.I)
_ISBN_RE = re.compile(r"(?:97[89][-–]?)?(?:\d[-–]?){9}[\dXx]")
_ARXIV_RE = re.compile(r"(?:arxiv:)?\d{4}\.\d{4,5}(?:v\d+)?|arxiv:\S+", re.I)
_UN_SYMBOL_RE = re.compile(r"(?:A|S|E|ST|TD|UNEP)/(?:[A-Z0-9.\-]+/)+[A-Z0-9.\-]+")
_YEAR_RE = re.compile(r"\(?\[?(?:1[5-9]|20)\d\d[a-z]?\]?\)?[.,:;]?")
_RANGE_RE = re.compile(r"\(?\d{1,6}\s*[-–—]+\s*\d{1,6}\)?[.,;:]?")
_PAREN_NUMBER_RE = re.compile(r"\d{1,4}\(\d{1,4}(?:[-–]\d{1,4})?\)[.,:;]?")
_SHAPE_TABLE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "A" * 26 + "a" * 26 + "9" * 10,
)
_OPEN_QUOTES = "“‘«„\"'"
_CLOSE_QUOTES = "”’»“\"'"


@dataclass(frozen=True)
class Token:
    """One whitespace-separated piece of a reference and where it stands in the string."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """The non-space runs of `text`, with their offsets."""
    return [Token(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def shape(word: str) -> str:
    """`Smith,` → `Aa,`; `2004).` → `9).`: letters and digits by class, repeats collapsed."""
    mapped = word.translate(_SHAPE_TABLE)
    out: list[str] = []
    for raw in mapped:
        ch = ("A" if raw.isupper() else "a") if raw.isalpha() and raw not in "Aa" else raw
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)[:8]


def _core(word: str) -> str:
    """The token without the punctuation around it, lowercased."""
    return word.strip(".,;:()[]{}“”‘’«»„\"'!?").lower()


@lru_cache(maxsize=65536)
def token_features(word: str) -> tuple[str, ...]:
    """The cues of one token on its own (no context); cached, as words repeat a lot."""
    return tuple(_token_features(word))


@lru_cache(maxsize=65536)
def _context_features(
    word: str,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The cues a token lends its neighbours: as the one before, after, two before, two after."""
    own = token_features(word)
    near = [f for f in own if not f.startswith(("pre3=", "suf3="))]
    far = [f for f in own if f.startswith(("w=", "shape=", "last="))]
    return (
        tuple("-1:" + f for f in near),
        tuple("+1:" + f for f in near),
        tuple("-2:" + f for f in far),
        tuple("+2:" + f for f in far),
    )


def _token_features(word: str) -> list[str]:
    lower = word.lower()
    core = _core(word)
    feats = [f"w={core}", f"shape={shape(word)}", f"last={word[-1:]}", f"first={word[:1]}"]
    if len(core) > 3:
        feats.append(f"suf3={core[-3:]}")
        feats.append(f"pre3={core[:3]}")
    letters = [c for c in word if c.isalpha()]
    if letters:
        if all(c.isupper() for c in letters):
            feats.append("caps")
        elif letters[0].isupper():
            feats.append("cap")
        else:
            feats.append("lower")
    if re.fullmatch(r"\(?[A-Z]\.(?:-?[A-Z]\.)*,?\)?", word) or re.fullmatch(r"[A-Z]{1,3},?", word):
        feats.append("initials")
    if core in MONTH_WORDS:
        feats.append("month")
    if core in PARTICLES:
        feats.append("particle")
    if core in PUBLISHER_WORDS:
        feats.append("publisher-word")
    if core in PLACE_WORDS:
        feats.append("place-word")
    if lower in PAGE_WORDS or core in {"pp", "pages"}:
        feats.append("page-word")
    if lower in VOLUME_WORDS or core == "vol":
        feats.append("volume-word")
    if lower in NUMBER_WORDS or core in {"no", "nr", "issue"}:
        feats.append("number-word")
    if lower in EDITOR_WORDS or core in {"ed", "eds", "hrsg", "edited"}:
        feats.append("editor-word")
    if lower in TRANSLATOR_WORDS or core.startswith("transl") or core == "trans":
        feats.append("translator-word")
    if lower in EDITION_WORDS or core in {"edn", "edition", "aufl"}:
        feats.append("edition-word")
    if core in GENRE_WORDS:
        feats.append("genre-word")
    if core in JOURNAL_WORDS or lower in JOURNAL_WORDS:
        feats.append("journal-word")
    if core in EVENT_WORDS:
        feats.append("event-word")
    if core in CONNECTORS:
        feats.append("connector")
    if core in {"in", "in:"} or lower == "in:":
        feats.append("in")
    if core in {"et", "al", "al.", "others"}:
        feats.append("etal")
    if _URL_RE.fullmatch(word.rstrip(".,;")):
        feats.append("url")
    if _DOI_RE.search(word):
        feats.append("doi")
    if core in {"doi", "doi:"} or lower.startswith("doi:"):
        feats.append("doi-word")
    if core in {"isbn", "issn"}:
        feats.append("isbn-word")
    if _ISBN_RE.fullmatch(core):
        feats.append("isbn")
    if _ARXIV_RE.fullmatch(core):
        feats.append("arxiv")
    if _UN_SYMBOL_RE.search(word):
        feats.append("un-symbol")
    if core in {"retrieved", "accessed", "available", "online", "viewed", "consulted"}:
        feats.append("access-word")
    if _YEAR_RE.fullmatch(word):
        feats.append("year")
    if _RANGE_RE.fullmatch(word):
        feats.append("range")
    if _PAREN_NUMBER_RE.fullmatch(word):
        feats.append("vol-issue")
    if core.isdigit():
        feats.append(f"digits={min(len(core), 5)}")
    if word[:1] in _OPEN_QUOTES:
        feats.append("opens-quote")
    bare = word.rstrip(".,;:")
    if bare and bare[-1] in _CLOSE_QUOTES:
        feats.append("closes-quote")
    if word[:1] in "([":
        feats.append("opens-bracket")
    if bare and bare[-1] in ")]":
        feats.append("closes-bracket")
    if word.endswith(":"):
        feats.append("colon")
    return feats


def features(tokens: list[Token]) -> list[list[str]]:
    """Each token's cues, its place in the reference and in quotes or brackets, and the cues
    of the tokens around it (prefixed `-1:`, `+1:`, `-2:`, `+2:`)."""
    words = [t.text for t in tokens]
    context = [_context_features(w) for w in words]
    count = len(tokens)
    out: list[list[str]] = []
    in_quote = False
    depth = 0
    after_colon = False
    after_period = 0
    for i, word in enumerate(words):
        if word[:1] in '“«„"' and not in_quote:
            in_quote = True
        feats = list(token_features(word))
        feats.append(f"pos={min(9, i * 10 // max(1, count))}")
        if i == 0:
            feats.append("BOS")
        if i == count - 1:
            feats.append("EOS")
        if in_quote:
            feats.append("in-quote")
        if depth:
            feats.append("in-bracket")
        if after_colon:
            feats.append("after-colon")
        feats.append(f"sentences={min(after_period, 4)}")
        if i > 0:
            feats.extend(context[i - 1][0])
        if i + 1 < count:
            feats.extend(context[i + 1][1])
        if i > 1:
            feats.extend(context[i - 2][2])
        if i + 2 < count:
            feats.extend(context[i + 2][3])
        out.append(feats)
        depth += word.count("(") + word.count("[") - word.count(")") - word.count("]")
        depth = max(0, depth)
        stripped = word.rstrip(".,;:")
        if in_quote and ((stripped and stripped[-1] in '”»"') or word[-1] in '”»"'):
            in_quote = False
        if word.endswith(":"):
            after_colon = True
        if word.endswith(".") and not re.fullmatch(r"[A-Z]\.|\S{1,3}\.", word):
            after_period += 1
    return out
