"""Maintain the gettext catalogues: extract messages, update the .po files, compile .mo.

Each domain lists the sources it owns, so two teams never edit the same catalogue:
``messages`` (the site: views, services, templates) and ``matching`` (score explanations
and taxonomy). Run through ``euroffshore i18n extract|update|compile``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from app.i18n import LOCALE_DIR, SUPPORTED_LOCALES

ROOT = LOCALE_DIR.parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
TRANSLATED_LOCALES = [loc for loc in SUPPORTED_LOCALES if loc != "en"]


@dataclass(frozen=True)
class Domain:
    name: str
    # (directory, method map) pairs; directories are relative to the project root.
    sources: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


_PY = (("**.py", "python"),)
_HTML = (("**.html", "jinja2"),)


def _owned(
    dirs: tuple[str, ...], method: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    return tuple((d, method) for d in dirs)


# Which domain owns which folders. The site-wide ``messages`` domain takes what is left.
OWNED = {
    "accounts": (("app/accounts",), ("templates/accounts",)),
    "directory": (
        ("app/providers", "app/needs", "app/dashboard"),
        ("templates/providers", "templates/needs", "templates/dashboard"),
    ),
    "matching": (("app/matching", "app/catalog"), ("templates/matching",)),
    "recommendations": (("app/recommendations",), ("templates/recommendations",)),
    "events": (("app/events",), ("templates/events",)),
    "notifications": (("app/notifications",), ("templates/notifications", "templates/email")),
    "matchmaking": (("app/matchmaking",), ("templates/matchmaking",)),
    "agenda": (("app/agenda",), ("templates/agenda",)),
}
_NOT_SITE_APP = tuple(
    (f"{d.removeprefix('app/')}/**.py", "ignore") for py, _ in OWNED.values() for d in py
) + (("scheduling/**.py", "ignore"),)
_NOT_SITE_TEMPLATES = tuple(
    (f"{d.removeprefix('templates/')}/**.html", "ignore")
    for _, html in OWNED.values()
    for d in html
)
DOMAINS = (
    Domain("messages", (("app", _NOT_SITE_APP + _PY), ("templates", _NOT_SITE_TEMPLATES + _HTML))),
    *(Domain(name, _owned(py, _PY) + _owned(html, _HTML)) for name, (py, html) in OWNED.items()),
)
JINJA_OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}


def extract(domain: Domain) -> Catalog:
    catalog = Catalog(project="euroffshore", domain=domain.name)
    for directory, method_map in domain.sources:
        folder = ROOT / directory
        if not folder.is_dir():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
            str(folder), list(method_map), JINJA_OPTIONS, keywords=KEYWORDS
        ):
            catalog.add(
                message,
                None,
                [(f"{directory}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def po_path(domain: Domain, locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain.name}.po"


def read_catalog(path: Path, locale: str) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def update(only: str | None = None) -> list[Path]:
    """Merge freshly extracted messages into every locale's .po (new ones untranslated)."""
    written = []
    for domain in DOMAINS:
        if only and domain.name != only:
            continue
        template = extract(domain)
        if not len(template):
            continue
        for locale in TRANSLATED_LOCALES:
            path = po_path(domain, locale)
            if path.exists():
                catalog = read_catalog(path, locale)
                catalog.update(template, no_fuzzy_matching=True)
                catalog.obsolete.clear()
            else:
                catalog = Catalog(locale=locale, domain=domain.name, project="euroffshore")
                catalog.update(template)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as fh:
                write_po(fh, catalog, omit_header=False, sort_output=True, no_location=True)
            written.append(path)
    return written


def compile_all() -> list[Path]:
    written = []
    for path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        locale = path.parts[-3]
        catalog = read_catalog(path, locale)
        with path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)
        written.append(path.with_suffix(".mo"))
    return written


def problems() -> list[str]:
    """What makes the catalogues unfit to ship: stale, missing or fuzzy translations."""
    found = []
    for domain in DOMAINS:
        expected = {m.id for m in extract(domain) if m.id}
        if not expected:
            continue
        for locale in TRANSLATED_LOCALES:
            path = po_path(domain, locale)
            if not path.exists():
                found.append(f"{path}: missing")
                continue
            catalog = read_catalog(path, locale)
            present = {m.id for m in catalog if m.id}
            for msgid in sorted(expected - present, key=str):
                found.append(f"{path.name} [{locale}]: not extracted yet: {msgid!r}")
            for message in catalog:
                if not message.id or message.id not in expected:
                    continue
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if not all(strings):
                    found.append(f"{path.name} [{locale}]: untranslated: {message.id!r}")
                elif message.fuzzy:
                    found.append(f"{path.name} [{locale}]: fuzzy: {message.id!r}")
    return found
