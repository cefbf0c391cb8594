"""Building blocks for the taxonomies: an entry (code + English and French labels) and an
ordered, immutable taxonomy with look-up by code.

Codes are stable snake_case strings stored in the database; never rename one (add a new
entry and migrate instead). Labels may change freely.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import MappingProxyType
from typing import Generic, TypeVar

__all__ = ["Entry", "Taxonomy", "normalise_locale"]


def normalise_locale(locale: str | None) -> str:
    """Map a locale string ('fr', 'fr_FR', 'fr-BE', 'en_GB', None) to 'fr' or 'en'."""
    if locale and str(locale).lower().replace("-", "_").split("_")[0] == "fr":
        return "fr"
    return "en"


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a taxonomy: a stable code and its labels in English and French."""

    code: str
    en: str
    fr: str

    def label(self, locale: str | None = "en") -> str:
        return self.fr if normalise_locale(locale) == "fr" else self.en


E = TypeVar("E", bound=Entry)


class Taxonomy(Generic[E]):
    """An ordered, immutable list of entries with a dict by code.

    ``tax.entries`` (tuple, display order), ``tax.by_code`` (read-only mapping),
    ``tax.codes`` (tuple of codes in order), ``code in tax``, ``tax[code]``,
    ``tax.label(code, locale)``, ``tax.choices(locale)`` -> [(code, label), ...],
    ``tax.index(code)`` -> position (used by the matching engine for bit/column numbers).
    """

    __slots__ = ("name", "entries", "by_code", "codes", "_index")

    def __init__(self, name: str, entries: tuple[E, ...]) -> None:
        by_code: dict[str, E] = {}
        for entry in entries:
            if entry.code in by_code:
                raise ValueError(f"duplicate code {entry.code!r} in taxonomy {name!r}")
            by_code[entry.code] = entry
        self.name = name
        self.entries: tuple[E, ...] = tuple(entries)
        self.by_code = MappingProxyType(by_code)
        self.codes: tuple[str, ...] = tuple(e.code for e in entries)
        self._index = {c: i for i, c in enumerate(self.codes)}

    def __iter__(self) -> Iterator[E]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __getitem__(self, code: str) -> E:
        return self.by_code[code]

    def __repr__(self) -> str:
        return f"Taxonomy({self.name!r}, {list(self.codes)!r})"

    def get(self, code: str) -> E | None:
        return self.by_code.get(code)

    def index(self, code: str) -> int:
        """Position of ``code`` in the taxonomy (KeyError if unknown)."""
        return self._index[code]

    def label(self, code: str, locale: str | None = "en") -> str:
        """Label of ``code`` in ``locale`` ('fr*' -> French, anything else -> English).

        An unknown code is returned unchanged (so a stale database value still displays).
        """
        entry = self.by_code.get(code)
        return entry.label(locale) if entry is not None else code

    def choices(self, locale: str | None = "en") -> list[tuple[str, str]]:
        """``[(code, label), ...]`` in display order, for select boxes."""
        return [(e.code, e.label(locale)) for e in self.entries]
