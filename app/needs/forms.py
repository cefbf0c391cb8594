"""The need editor's form: posted fields -> a NeedCreate/NeedUpdate payload, and pydantic
errors -> a message per form field (language rows have one field each)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from app.catalog import COUNTRY_CODES, LANGUAGE_CODES, country_choices, language_choices
from app.i18n import current_locale
from app.i18n import gettext as _
from app.needs.models import Need

M = TypeVar("M", bound=BaseModel)

SCALAR_FIELDS = (
    "title",
    "description",
    "sector",
    "seats",
    "start_date",
    "duration_months",
    "hours",
    "budget_max",
    "gdpr",
    "min_capacity_share",
)
LIST_FIELDS = (
    "services",
    "target_markets",
    "required_certifications",
    "preferred_countries",
    "excluded_countries",
    "priorities",
)
FLAG_FIELDS = ("outbound_fr_consumers", "anonymous")
MAX_LANGUAGE_ROWS = 10


@dataclass
class NeedForm:
    """What the user typed (kept as typed, to show the form again)."""

    values: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    other_markets: str = ""
    rows: list[tuple[str, str]] = field(default_factory=list)  # (language, level) as typed
    version: str = ""

    def padded_rows(self, extra: int = 1) -> list[tuple[str, str]]:
        """The language rows as typed (same positions, so that an error stays next to its
        row), without trailing blank rows, plus ``extra`` blank ones (at least two rows)."""
        rows = list(self.rows)
        while rows and rows[-1] == ("", ""):
            rows.pop()
        count = min(MAX_LANGUAGE_ROWS, max(2, len(rows) + extra))
        return rows + [("", "")] * (count - len(rows))


def _by_name(text: str, choices: Iterable[tuple[str, str]]) -> str | None:
    wanted = text.casefold()
    for code, name in choices:
        if name.casefold() == wanted:
            return code
    return None


def language_code(text: str) -> str:
    """A code as typed ('fr'), or the code of a language name ('French', 'français');
    unknown text is returned as typed, for the schema to refuse."""
    lowered = text.strip().lower()
    if lowered in LANGUAGE_CODES:
        return lowered
    for locale in {current_locale.get(), "en"}:
        code = _by_name(text.strip(), language_choices(locale))
        if code:
            return code
    return text.strip()


def country_code(text: str) -> str:
    upper = text.strip().upper()
    if upper in COUNTRY_CODES:
        return upper
    for locale in {current_locale.get(), "en"}:
        code = _by_name(text.strip(), country_choices(locale))
        if code:
            return code
    return text.strip()


def read_form(form: FormData) -> NeedForm:
    result = NeedForm()
    for name in SCALAR_FIELDS:
        value = form.get(name)
        result.values[name] = value.strip() if isinstance(value, str) else ""
    for name in LIST_FIELDS:
        result.lists[name] = [
            v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()
        ]
    for name in FLAG_FIELDS:
        result.flags[name] = form.get(name) in ("1", "on", "true", "yes")
    other = form.get("other_markets")
    result.other_markets = other.strip() if isinstance(other, str) else ""
    for i in range(MAX_LANGUAGE_ROWS):
        lang, level = form.get(f"language_{i}"), form.get(f"level_{i}")
        if lang is None and level is None:
            continue
        result.rows.append(
            (
                (lang or "").strip() if isinstance(lang, str) else "",
                (level or "").strip() if isinstance(level, str) else "",
            )
        )
    version = form.get("version")
    result.version = version.strip() if isinstance(version, str) else ""
    return result


def payload(form: NeedForm) -> tuple[dict[str, Any], dict[int, int], dict[str, str]]:
    """(data for the schema, {language list index: form row}, errors found here)."""
    data: dict[str, Any] = {k: v for k, v in form.values.items() if v != ""}
    errors: dict[str, str] = {}
    for name in LIST_FIELDS:
        data[name] = list(form.lists.get(name, []))
    extra = [country_code(t) for t in re.split(r"[,;\s]+", form.other_markets) if t]
    data["target_markets"] = data["target_markets"] + [
        c for c in extra if c not in data["target_markets"]
    ]
    for name in FLAG_FIELDS:
        data[name] = form.flags.get(name, False)
    languages: list[dict[str, str]] = []
    row_of: dict[int, int] = {}
    for i, (lang, level) in enumerate(form.rows):
        if not lang and not level:
            continue
        if not lang:
            errors[f"language_{i}"] = _("Choose a language for this level.")
            continue
        if not level:
            errors[f"level_{i}"] = _("Choose the minimum level for this language.")
            continue
        row_of[len(languages)] = i
        languages.append({"language": language_code(lang), "min_level": level})
    data["languages"] = languages
    if form.version:
        data["version"] = form.version
    return data, row_of, errors


def field_errors(exc: ValidationError, row_of: dict[int, int]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = [p for p in err.get("loc", ()) if p != "body"]
        if not loc:
            name = "__all__"
        elif loc[0] == "languages" and len(loc) >= 3 and isinstance(loc[1], int):
            row = row_of.get(loc[1], loc[1])
            name = f"{'language' if loc[2] == 'language' else 'level'}_{row}"
        else:
            name = str(loc[0])
        errors.setdefault(name, str(err["msg"]))
    return errors


def validate(schema: type[M], form: NeedForm) -> tuple[M | None, dict[str, str]]:
    """(model or None, errors by form field)."""
    data, row_of, errors = payload(form)
    try:
        model = schema.model_validate(data)
    except ValidationError as exc:
        errors = {**field_errors(exc, row_of), **errors}
        return None, errors
    if errors:
        return None, errors
    return model, {}


def form_from_need(need: Need) -> NeedForm:
    """The editor pre-filled with a saved need."""
    from app.catalog import CLIENT_MARKETS

    form = NeedForm()
    for name in SCALAR_FIELDS:
        value = getattr(need, name)
        form.values[name] = "" if value is None else str(value)
    form.values["min_capacity_share"] = _share(need.min_capacity_share)
    form.lists = {
        "services": need.service_codes,
        "target_markets": [c for c in need.market_codes if c in CLIENT_MARKETS],
        "required_certifications": need.certification_codes,
        "preferred_countries": need.preferred_countries,
        "excluded_countries": need.excluded_countries,
        "priorities": need.priority_codes,
    }
    form.other_markets = ", ".join(c for c in need.market_codes if c not in CLIENT_MARKETS)
    form.flags = {"outbound_fr_consumers": need.outbound_fr_consumers, "anonymous": need.anonymous}
    form.rows = [(row.language, row.min_level) for row in need.languages]
    form.version = str(need.version)
    return form


def _share(value: float) -> str:
    return f"{value:g}"
