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


def _words(text: str) -> frozenset[str]:
    """The space-separated words of `text`, as a set (long dictionaries stay compact)."""
    return frozenset(text.split())


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
PUBLISHER_WORDS = _words(
    "academic acm addison-wesley armand ashgate beck birkhäuser blackwell bloomsbury "
    "books brill brookings buchgesellschaft cambridge chapman chatto chicago co. "
    "columbia company continuum cornell crc dover dtv duke duncker dunod earthscan "
    "edinburgh edition editions einaudi elgar elsevier erlbaum faber feltrini fischer "
    "flammarion francis gallimard group gruyter guilford hachette hanser harper "
    "harpercollins harvard heinemann hopkins houghton house humblot hutchinson ieee "
    "inc inc. jossey-bass karger kluwer knopf kohlhammer lang larousse laterza "
    "lippincott lit longman ltd ltd. macmillan manchester mcgraw mcgraw-hill mcmillan "
    "methuen metzler mifflin mit mohr mondadori mosby mouton nber nomos north-holland "
    "norton nyu oecd oxford palgrave pearson penguin pergamon picador plenum pluto "
    "polity prentice press presses princeton publisher publishers publishing puf "
    "random reclam routledge rowohlt ruprecht rutgers sage saunders schuster seuil "
    "siam siebeck simon springer stanford suhrkamp taylor teubner thieme transcript "
    "ucl unesco university vandenhoeck verlag verlags verlagsgesellschaft verso "
    "vieweg vintage westview wiley wilkins windus wissenschaftliche world-scientific "
    "yale zed éditions "
)
PLACE_WORDS = _words(
    "abingdon adelaide aires aldershot amsterdam angeles ann antwerp arbor athens "
    "auckland austin australia aviv baltimore bangalore bangkok barcelona basel "
    "basingstoke beijing berkeley berlin bern beverly bielefeld bloomington bologna "
    "bonn bordeaux boston brisbane bristol brussels budapest buenos ca cairo calif "
    "cambridge canada canberra cape champaign chapel cheltenham chicago china cliffs "
    "cologne conn copenhagen ct darmstadt de delhi detroit dhaka diego dordrecht "
    "dresden dublin durham düsseldorf edinburgh eindhoven england englewood farnham "
    "firenze fl florence france francisco frankfurt freiburg ga geneva gent germany "
    "ghent glasgow groningen göttingen hamburg hanoi harmondsworth haven heidelberg "
    "helsinki hills hoboken hong il india istanbul italy ithaca jakarta japan "
    "jerusalem johannesburg karachi kolkata kong kyoto köln lagos lausanne leiden "
    "leipzig leuven lille lisboa lisbon london los louvain luxembourg lyon ma madison "
    "madrid mainz manchester manila marseille mass md melbourne mexico mi milan "
    "milano milton minneapolis montreal moscow mumbai munich münchen n.j n.y nairobi "
    "napoli nc netherlands new newbury nj norman ny oaks oh ontario opladen osaka "
    "oslo ottawa oxford pa paris paulo perth philadelphia prague princeton quebec "
    "québec reading rennes river rome rotterdam saddle san seattle seoul shanghai "
    "singapore spain stanford stockholm strasbourg stuttgart switzerland sydney são "
    "taipei tallinn thousand tokyo torino toronto toulouse town turin tx tübingen uk "
    "upper urbana usa utrecht va vancouver vienna wa warsaw washington waterloo "
    "weinheim wellington wien wiesbaden york zurich zürich "
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
JOURNAL_WORDS = JOURNAL_WORDS | _words(
    "acad ann annales anzeiger appl arch archiv astron astrophys aust beiträge "
    "berichte biol bot brit bull bus cahiers chem clin commun comput daily dev ecol "
    "econ educ eng eur evol exp forum gazette genet geol geophys guardian herald hist "
    "int jahrbuch jpn lett ling manag math mem mitteilungen mol monatshefte nat natl "
    "neurosci newsletter philos phys polit post proc psychol quart rep res rev "
    "revista revue rivista sci stat stud studien syst theor times trans tribune "
    "vierteljahrshefte weekly zeitschr zeitschrift zool "
)
EVENT_WORDS = _words(
    "annual colloquium conf conference congress meeting proceedings symp symposium workshop "
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
