"""Fixes from reading every generated entry against its note: one table row per misparse."""

from __future__ import annotations

import pytest

from citecheck.citations import parse_reference


@pytest.mark.parametrize(
    ("text", "entry_type", "expected"),
    [
        (
            # 000:40 — two pub-info parentheses: the first names the publisher.
            "Jiang Zemin, ‘Informationize the Army,’ in On the Development of China’s "
            "Information Technology Industry, ed. Jiang Zemin (Oxford: Elsevier, 2010) "
            "(Oxford: 2010), Kindle edition",
            "incollection",
            {"location": "Oxford", "publisher": "Elsevier", "date": "2010"},
        ),
    ],
)
def test_parse_reference_review(text: str, entry_type: str, expected: dict[str, str]) -> None:
    parsed = parse_reference(text)
    assert parsed.type == entry_type
    for name, value in expected.items():
        assert parsed.fields.get(name) == value, name
