"""Sentences explaining a match, in the user's language.

The engine stays pure: the caller passes a gettext callable ``_`` (from the ``matching``
domain, e.g. ``translations.gettext``; ``gettext.NullTranslations().gettext`` for English)
and the ``locale`` used for the catalogue labels, country and language names, numbers,
percentages and prices (Babel/CLDR).

    ex = explanation(match, _, locale="fr", voice="provider")
    ex.score            # 63.8 (rounded, equals the sum of the displayed parts)
    ex.parts            # [PartLine(criterion, label, points, max_points, sentence), ...]
    ex.exclusions       # sentences, when the provider is excluded
    ex.left_out         # sentence listing the criteria left out, or None
    ex.missing          # sentences: what the client could add to the need

Each sentence is written for its reader, the ``voice``: ``"client"`` (the default: "you" is
the client, the call centre is "it"), ``"provider"`` ("you" is the call centre, the need is
"the client's") or ``"staff"`` (organisers and administrators: both in the third person).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent

from app.catalog import (
    CERTIFICATIONS,
    GDPR_REQUIREMENTS,
    HOURS,
    LANGUAGE_LEVELS,
    SECTORS,
    SERVICES,
    country_name,
    language_name,
    level_code,
    normalise_locale,
)
from app.matching.result import Exclusion, Match, Part

__all__ = [
    "sentences",
    "explanation",
    "Explanation",
    "PartLine",
    "criterion_label",
    "reason_label",
    "exclusion_sentence",
    "left_out_sentence",
    "missing_sentences",
    "part_sentence",
    "Voice",
    "VOICES",
]

Gettext = Callable[[str], str]
Voice = Literal["client", "provider", "staff"]
VOICES: tuple[Voice, ...] = ("client", "provider", "staff")


def _say(voice: Voice, client: str, provider: str, staff: str | None = None) -> str:
    """The sentence for the reader: each argument is already translated (literal ``_()``
    calls, so that the catalogue extracts every voice); ``staff`` defaults to ``client``."""
    if voice == "provider":
        return provider
    if voice == "staff" and staff is not None:
        return staff
    return client


# --- labels ---------------------------------------------------------------------------
def criterion_label(code: str, _: Gettext) -> str:
    """Short name of a criterion ('services' -> 'Services')."""
    labels = {
        "services": _("Services"),
        "sector": _("Sector experience"),
        "languages": _("Language level"),
        "culture": _("Market culture"),
        "capacity": _("Capacity and ramp-up"),
        "price": _("Price against budget"),
        "hours": _("Hours and time zones"),
        "certifications": _("Further certifications"),
        "verified": _("Verified organisation"),
        "feedback": _("Past feedback"),
        "preferred_country": _("Preferred country"),
    }
    return labels.get(code, code)


def reason_label(code: str, _: Gettext) -> str:
    """Short name of an exclusion reason (for lists of excluded providers)."""
    labels = {
        "language": _("Language level below the minimum"),
        "certification": _("Required certification missing"),
        "country": _("Excluded country"),
        "outbound_compliance": _("No Bloctel or opt-in compliance"),
        "gdpr": _("GDPR requirement not met"),
        "capacity": _("Not enough seats"),
    }
    return labels.get(code, code)


def _level_phrase(level: str, _: Gettext) -> str:
    return {
        "business": _("business hours"),
        "extended": _("extended hours"),
        "24_7": _("round-the-clock hours"),
    }[level]


# --- formatting helpers ---------------------------------------------------------------
class _Fmt:
    def __init__(self, locale: str | None) -> None:
        self.loc = normalise_locale(locale)

    def list(self, items: Iterable[str]) -> str:
        items = list(items)
        return format_list(items, locale=self.loc) if items else ""

    def num(self, x: float) -> str:
        return format_decimal(x, format="#,##0.#", locale=self.loc)

    def pct(self, x: float) -> str:
        return format_percent(x, locale=self.loc)

    def eur(self, x: float) -> str:
        return format_currency(
            x,
            "EUR",
            format="#,##0.##\u00a0¤" if self.loc == "fr" else "¤#,##0.##",
            locale=self.loc,
            currency_digits=False,
        )

    def date(self, d: date) -> str:
        text = format_date(d, format="long", locale=self.loc)
        if self.loc == "fr" and d.day == 1 and text.startswith("1 "):
            text = "1er " + text[2:]  # premier jour du mois : « 1er mars 2026 »
        return text

    def services(self, codes: Iterable[str]) -> str:
        return self.list(SERVICES.label(c, self.loc) for c in codes)

    def countries(self, codes: Iterable[str]) -> str:
        return self.list(country_name(c, self.loc) for c in codes)

    def certs(self, codes: Iterable[str]) -> str:
        return self.list(CERTIFICATIONS.label(c, self.loc) for c in codes)

    def level(self, rank: int) -> str:
        return (
            LANGUAGE_LEVELS[level_code(rank)].code.upper()
            if rank < 7
            else LANGUAGE_LEVELS.label("native", self.loc).lower()
        )


# --- one sentence per part ------------------------------------------------------------
def part_sentence(
    part: Part, _: Gettext, locale: str | None = "en", voice: Voice = "client"
) -> str:
    """The sentence explaining one part of a score, written for ``voice``."""
    f = _Fmt(locale)
    p: Mapping[str, Any] = part.params
    c = part.criterion
    if c == "services":
        covered, uncovered = p["covered"], p["uncovered"]
        if not uncovered:
            return _say(
                voice,
                _("Covers every service you need (%(services)s)."),
                _("The client needs %(services)s, which you cover."),
                _("The centre covers every service the client needs (%(services)s)."),
            ) % {"services": f.services(covered)}
        if not covered:
            return _say(
                voice,
                _("Covers none of the services you need (%(services)s)."),
                _("The client needs %(services)s, which you do not cover."),
                _("The centre covers none of the services the client needs (%(services)s)."),
            ) % {"services": f.services(uncovered)}
        return _say(
            voice,
            _("Covers %(covered)s of the %(asked)s services you need; missing: %(missing)s."),
            _(
                "You cover %(covered)s of the %(asked)s services the client needs; "
                "missing: %(missing)s."
            ),
            _(
                "The centre covers %(covered)s of the %(asked)s services the client needs; "
                "missing: %(missing)s."
            ),
        ) % {
            "covered": len(covered),
            "asked": p["asked"],
            "missing": f.services(uncovered),
        }
    if c == "sector":
        sector = SECTORS.label(p["sector"], f.loc)
        years = p["years"]
        if years is None:
            return _say(
                voice,
                _("No declared experience in the %(sector)s sector."),
                _("You declared no experience in the client's sector, %(sector)s."),
                _("The centre declares no experience in the client's sector, %(sector)s."),
            ) % {"sector": sector}
        if years == 0:
            return _say(
                voice,
                _("Experience in the %(sector)s sector (duration not stated)."),
                _("You have experience in the client's sector, %(sector)s (duration not stated)."),
                _(
                    "The centre has experience in the client's sector, %(sector)s "
                    "(duration not stated)."
                ),
            ) % {"sector": sector}
        if years == 1:
            return _say(
                voice,
                _("One year of experience in the %(sector)s sector."),
                _("You have one year of experience in the client's sector, %(sector)s."),
                _("The centre has one year of experience in the client's sector, %(sector)s."),
            ) % {"sector": sector}
        return _say(
            voice,
            _("%(years)s years of experience in the %(sector)s sector."),
            _("You have %(years)s years of experience in the client's sector, %(sector)s."),
            _("The centre has %(years)s years of experience in the client's sector, %(sector)s."),
        ) % {
            "years": f.num(years),
            "sector": sector,
        }
    if c == "languages":
        details = f.list(
            _("%(language)s %(level)s (%(minimum)s asked)")
            % {
                "language": language_name(code, f.loc),
                "level": f.level(level),
                "minimum": f.level(minimum),
            }
            for code, minimum, level in p["levels"]
        )
        if all(level == minimum for _code, minimum, level in p["levels"]):
            return _say(
                voice,
                _("Languages at the minimum level asked: %(details)s."),
                _("Your languages meet the client's minimum level: %(details)s."),
                _("The centre's languages meet the client's minimum level: %(details)s."),
            ) % {"details": details}
        return _say(
            voice,
            _("Languages above the minimum level asked: %(details)s."),
            _("Your languages are above the client's minimum level: %(details)s."),
            _("The centre's languages are above the client's minimum level: %(details)s."),
        ) % {"details": details}
    if c == "culture":
        known, unknown = p["known"], p["unknown"]
        if not unknown:
            return _say(
                voice,
                _("The team knows the culture of every target market (%(markets)s)."),
                _("Your team knows the culture of every market the client targets (%(markets)s)."),
            ) % {"markets": f.countries(known)}
        if not known:
            return _say(
                voice,
                _("No declared knowledge of the culture of %(markets)s."),
                _("You declared no knowledge of the culture of %(markets)s, the client's markets."),
            ) % {"markets": f.countries(unknown)}
        return _say(
            voice,
            _("The team knows the culture of %(known)s, not of %(unknown)s."),
            _("Your team knows the culture of %(known)s, not of %(unknown)s."),
        ) % {
            "known": f.countries(known),
            "unknown": f.countries(unknown),
        }
    if c == "capacity":
        if p["start_date"] is not None:
            text = _say(
                voice,
                _("%(available)s seats available by %(date)s for %(seats)s asked."),
                _(
                    "You have %(available)s seats available by %(date)s; "
                    "the client asks for %(seats)s."
                ),
            ) % {
                "available": p["available"],
                "date": f.date(p["start_date"]),
                "seats": p["seats"],
            }
        elif p["later_counted"]:
            text = _say(
                voice,
                _("%(now)s seats available now and %(later)s from %(date)s, for %(seats)s asked."),
                _(
                    "You have %(now)s seats available now and %(later)s from %(date)s; "
                    "the client asks for %(seats)s."
                ),
            ) % {
                "now": p["available_now"],
                "later": p["available"],
                "date": f.date(p["available_from"]),
                "seats": p["seats"],
            }
        else:
            text = _say(
                voice,
                _("%(available)s seats available now for %(seats)s asked."),
                _("You have %(available)s seats available now; the client asks for %(seats)s."),
            ) % {
                "available": p["available"],
                "seats": p["seats"],
            }
        if p["min_contract"] > p["seats"]:
            text += " " + _say(
                voice,
                _("Its minimum contract is %(minimum)s seats."),
                _("Your minimum contract is %(minimum)s seats."),
            ) % {"minimum": p["min_contract"]}
        return text
    if c == "price":
        budget, pmin, pmax = p["budget"], p["price_min"], p["price_max"]
        if pmin is None:
            return _say(voice, _("No price band published."), _("You published no price band."))
        band = f.eur(pmin) if pmax == pmin else f"{f.eur(pmin)} – {f.eur(pmax)}"
        values = {"band": band, "budget": f.eur(budget)}
        if pmax <= budget:
            return (
                _say(
                    voice,
                    _("Price %(band)s per agent-hour, within your budget of %(budget)s."),
                    _(
                        "Your price, %(band)s per agent-hour, is within the client's budget "
                        "of %(budget)s."
                    ),
                    _("Price %(band)s per agent-hour, within the client's budget of %(budget)s."),
                )
                % values
            )
        if pmin < budget:
            return (
                _say(
                    voice,
                    _("Price %(band)s per agent-hour, partly above your budget of %(budget)s."),
                    _(
                        "Your price, %(band)s per agent-hour, is partly above the client's budget "
                        "of %(budget)s."
                    ),
                    _(
                        "Price %(band)s per agent-hour, partly above the client's budget "
                        "of %(budget)s."
                    ),
                )
                % values
            )
        return (
            _say(
                voice,
                _("Price %(band)s per agent-hour, above your budget of %(budget)s."),
                _(
                    "Your price, %(band)s per agent-hour, is above the client's budget "
                    "of %(budget)s."
                ),
                _("Price %(band)s per agent-hour, above the client's budget of %(budget)s."),
            )
            % values
        )
    if c == "hours":
        values = {
            "overlap": f.pct(p["overlap"]),
            "level": _level_phrase(p["level"], _),
            "coverage": HOURS.label(p["provider_hours"], f.loc),
        }
        if p["markets"]:
            values["markets"] = f.countries(p["markets"])
            return (
                _say(
                    voice,
                    _(
                        "Covers %(overlap)s of the %(level)s of %(markets)s, in their time "
                        "zone (its coverage: %(coverage)s)."
                    ),
                    _(
                        "You cover %(overlap)s of the %(level)s of %(markets)s, in their time "
                        "zone (your coverage: %(coverage)s)."
                    ),
                    _(
                        "The centre covers %(overlap)s of the %(level)s of %(markets)s, in their "
                        "time zone (its coverage: %(coverage)s)."
                    ),
                )
                % values
            )
        return (
            _say(
                voice,
                _("Covers %(overlap)s of the %(level)s asked (its coverage: %(coverage)s)."),
                _(
                    "You cover %(overlap)s of the %(level)s the client asks for "
                    "(your coverage: %(coverage)s)."
                ),
                _(
                    "The centre covers %(overlap)s of the %(level)s asked "
                    "(its coverage: %(coverage)s)."
                ),
            )
            % values
        )
    if c == "certifications":
        if p["extra"]:
            return _("Further certifications: %(certifications)s.") % {
                "certifications": f.certs(p["extra"])
            }
        return _("No certification beyond those required.")
    if c == "verified":
        if p["verified"]:
            return _say(
                voice,
                _("Organisation verified by the organiser."),
                _("Your organisation is verified by the organiser."),
            )
        return _say(
            voice,
            _("Organisation not verified yet."),
            _("Your organisation is not verified yet."),
        )
    if c == "feedback":
        values = {"count": p["count"], "interest": f.pct(p["mean"])}
        if p["count"] == 1:
            return _("Feedback from one past meeting: interest %(interest)s.") % values
        return _("Feedback from %(count)s past meetings: average interest %(interest)s.") % values
    if c == "preferred_country":
        if p["countries"]:
            return _say(
                voice,
                _("Has a site in a country you prefer (%(countries)s)."),
                _("You have a site in a country the client prefers (%(countries)s)."),
                _("The centre has a site in a country the client prefers (%(countries)s)."),
            ) % {"countries": f.countries(p["countries"])}
        return _say(
            voice,
            _("No site in the countries you prefer (%(countries)s)."),
            _("You have no site in the countries the client prefers (%(countries)s)."),
            _("The centre has no site in the countries the client prefers (%(countries)s)."),
        ) % {"countries": f.countries(p["preferred"])}
    return criterion_label(c, _)


def exclusion_sentence(
    exclusion: Exclusion, _: Gettext, locale: str | None = "en", voice: Voice = "client"
) -> str:
    """The sentence explaining why a provider is excluded (one reason), for ``voice``."""
    f = _Fmt(locale)
    p = exclusion.params
    r = exclusion.reason
    if r == "language" and p.get("languages"):
        details = []
        for code, minimum, level in p["languages"]:
            values = {
                "language": language_name(code, f.loc),
                "level": f.level(level) if level else "",
                "minimum": f.level(minimum),
            }
            details.append(
                _("%(language)s not offered (%(minimum)s asked)") % values
                if not level
                else _("%(language)s %(level)s (%(minimum)s asked)") % values
            )
        return _("Below the language level asked: %(details)s.") % {"details": f.list(details)}
    if r == "certification" and p.get("missing"):
        return _("Missing required certification: %(certifications)s.") % {
            "certifications": f.certs(p["missing"])
        }
    if r == "country" and p.get("countries"):
        return _say(
            voice,
            _("All its sites are in countries you excluded (%(countries)s)."),
            _("All your sites are in countries the client excluded (%(countries)s)."),
            _("All the centre's sites are in countries the client excluded (%(countries)s)."),
        ) % {"countries": f.countries(p["countries"])}
    if r == "outbound_compliance":
        return _(
            "Neither Bloctel screening nor opt-in-only files, required for outbound "
            "calls to French consumers."
        )
    if r == "gdpr" and p.get("required"):
        return _say(
            voice,
            _("Does not meet your GDPR requirement: %(requirement)s."),
            _("You do not meet the client's GDPR requirement: %(requirement)s."),
            _("Does not meet the client's GDPR requirement: %(requirement)s."),
        ) % {"requirement": GDPR_REQUIREMENTS.label(p["required"], f.loc)}
    if r == "capacity" and "available" in p:
        values = {"available": p["available"], "share": f.pct(p["share"]), "seats": p["seats"]}
        if p.get("start_date") is not None:
            values["date"] = f.date(p["start_date"])
            return (
                _(
                    "Only %(available)s seats available by %(date)s, less than "
                    "%(share)s of the %(seats)s asked."
                )
                % values
            )
        return (
            _("Only %(available)s seats available, less than %(share)s of the %(seats)s asked.")
            % values
        )
    return reason_label(r, _)


def left_out_sentence(criteria: Iterable[str], _: Gettext, voice: Voice = "client") -> str | None:
    """Sentence listing the criteria left out because the need does not express them (and
    a separate mention of missing feedback), or None."""
    criteria = list(criteria)
    need_side = [c for c in criteria if c != "feedback"]
    parts = []
    if need_side:
        parts.append(
            _say(
                voice,
                _("Not taken into account, as your need does not specify them: %(criteria)s."),
                _("Not taken into account, as the need does not specify them: %(criteria)s."),
                _("Not taken into account, as the need does not specify them: %(criteria)s."),
            )
            % {"criteria": ", ".join(criterion_label(c, _) for c in need_side)}
        )
    if "feedback" in criteria:
        parts.append(_("No feedback from past meetings yet."))
    return " ".join(parts) or None


def missing_sentences(missing: Iterable[str], _: Gettext) -> list[str]:
    """What the client could add to the need to get better matches, one sentence each."""
    texts = {
        "services": _("Add the services you need, to compare providers on what they do."),
        "languages": _("Add the languages and the minimum level you need."),
        "sector": _("Add your sector, to favour providers with experience in it."),
        "target_markets": _(
            "Add your target markets, to compare time-zone overlap and market culture."
        ),
        "seats": _("Add the number of seats, to check capacity."),
        "start_date": _("Add a start date, to take the providers' ramp-up into account."),
        "hours": _("Add the hours to cover, to compare coverage."),
        "budget_max": _("Add a budget ceiling, to compare prices."),
    }
    return [texts[m] for m in missing if m in texts]


def sentences(
    match: Match, _: Gettext, locale: str | None = "en", voice: Voice = "client"
) -> list[str]:
    """One sentence per part of the score (in order) or, for an excluded provider, one per
    exclusion reason, written for ``voice``."""
    if match.excluded:
        return [exclusion_sentence(e, _, locale, voice) for e in match.exclusions]
    return [part_sentence(p, _, locale, voice) for p in match.parts]


@dataclass(frozen=True, slots=True)
class PartLine:
    criterion: str
    label: str
    points: float
    max_points: float
    sentence: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """Everything a page shows about one match, rounded and in the user's language."""

    score: float | None
    parts: tuple[PartLine, ...]
    exclusions: tuple[str, ...]
    left_out: str | None
    missing: tuple[str, ...]


def explanation(
    match: Match, _: Gettext, locale: str | None = "en", voice: Voice = "client"
) -> Explanation:
    """Rounded score and parts (parts add up to the score, see ``Match.display``) with their
    labels and sentences (for ``voice``), exclusion sentences, left-out criteria and missing
    fields."""
    score, shown = match.display()
    lines = tuple(
        PartLine(
            p.criterion,
            criterion_label(p.criterion, _),
            d.points,
            d.max_points,
            part_sentence(p, _, locale, voice),
        )
        for p, d in zip(match.parts, shown, strict=True)
    )
    return Explanation(
        score,
        lines,
        tuple(exclusion_sentence(e, _, locale, voice) for e in match.exclusions),
        None if match.excluded else left_out_sentence(match.left_out, _, voice),
        tuple(missing_sentences(match.missing, _)),
    )
