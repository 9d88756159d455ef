"""Escaping shared by the reports: what a hostile title, URL or server answer can never do.

Every string a report prints comes from a document or a server, so none is trusted:

- `visible` shows control characters (ESC, BEL, CR, C1 controls, bidirectional
  overrides, line separators) as `\\x1b`-style escapes, so a title holding
  `ESC[1A ESC[2K` cannot erase the dead-link line above it on a terminal and an
  OSC 8 sequence cannot make a hidden link;
- `xml_text` does the same for the characters XML 1.0 forbids (and U+FFFE/U+FFFF),
  so a JUnit file always parses;
- `http_url` says whether a URL may become a link at all (http and https only).
"""

from __future__ import annotations

import re

from citecheck.util.visible import shown_character, visible

__all__ = ["http_url", "visible", "xml_text"]

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 does not allow in a document (tab, LF and CR are allowed)."""


def xml_text(text: str) -> str:
    """`text` fit for an XML 1.0 attribute or element: forbidden characters and, since a CI
    page shows them, terminal controls are written out as `\\x1b`; LF and tab are kept."""
    return _XML_FORBIDDEN.sub(shown_character, visible(text, keep_newlines=True))


def http_url(url: str) -> bool:
    """Only http(s) URLs become links; `javascript:`, `data:` and the rest stay text."""
    return url[:8].lower().startswith(("http://", "https://"))
