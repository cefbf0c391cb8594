"""Sentences in English and French, and the ``matching`` gettext catalogue."""

from __future__ import annotations

import gettext
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from app.matching import (
    EXCLUSION_REASONS,
    FeedbackSummary,
    NeedFeatures,
    ProviderFeatures,
    Site,
    explain,
)
from app.matching.sentences import (
    criterion_label,
    exclusion_sentence,
    explanation,
    missing_sentences,
    reason_label,
    sentences,
)
from app.matching.synthetic import synthetic_needs, synthetic_providers

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "app/locale/fr/LC_MESSAGES/matching.po"
POT = ROOT / "app/locale/matching.pot"
EN = gettext.NullTranslations().gettext


@pytest.fixture(scope="module")
def fr(tmp_path_factory):
    """French translations compiled from the .po into a temporary .mo."""
    with PO.open("rb") as fh:
        catalog = read_po(fh, locale="fr")
    mo = tmp_path_factory.mktemp("mo") / "matching.mo"
    with mo.open("wb") as fh:
        write_mo(fh, catalog)
    with mo.open("rb") as fh:
        return Translations(fh, domain="matching").gettext


def _extracted_ids() -> set[str]:
    ids = set()
    for folder in ("app/matching", "app/catalog"):
        for _f, _l, message, *_ in extract_from_dir(
            str(ROOT / folder),
            [("**.py", "python")],
            keywords={"_": None, "gettext": None, "ngettext": (1, 2)},
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_catalogue_is_current_and_complete():
    with PO.open("rb") as fh:
        po = read_po(fh, locale="fr")
    with POT.open("rb") as fh:
        pot = read_po(fh)
    expected = _extracted_ids()
    assert expected == {m.id for m in pot if m.id}, "matching.pot is stale: re-extract"
    present = {m.id: m for m in po if m.id}
    assert expected <= set(present), f"not in matching.po: {expected - set(present)}"
    for msgid in expected:
        message = present[msgid]
        assert message.string and not message.fuzzy, f"untranslated: {msgid!r}"
        # same placeholders in the translation
        assert sorted(re.findall(r"%\((\w+)\)s", msgid)) == sorted(
            re.findall(r"%\((\w+)\)s", message.string)
        ), msgid


RICH_PROVIDER = ProviderFeatures(
    id="p1",
    sites=(Site("MA", city="Rabat"),),
    seats_available_now=20,
    seats_available_from=date(2026, 3, 1),
    seats_at_date=60,
    languages={"fr": 7, "es": 5},
    culture_markets={"FR"},
    services={"inbound_care", "back_office"},
    sectors={"energy": 6},
    hours="extended",
    price_min=15,
    price_max=19,
    min_contract_seats=40,
    certifications={"iso_27001", "iso_18295_nf345", "pci_dss"},
    gdpr_dpa=True,
    gdpr_scc=True,
    bloctel_screening=True,
    verified=True,
    feedback=FeedbackSummary(4, 0.75),
)
RICH_NEED = NeedFeatures(
    id="n1",
    services={"inbound_care", "collections"},
    sector="energy",
    target_markets={"FR", "BE"},
    languages={"fr": 5, "es": 4},
    seats=30,
    start_date=date(2026, 4, 1),
    hours="business",
    budget_max=18,
    required_certifications={"iso_27001"},
    gdpr="dpa_scc",
    outbound_fr_consumers=True,
    preferred_countries={"MA"},
)


def test_every_part_has_an_english_sentence():
    m = explain(RICH_NEED, RICH_PROVIDER)
    assert m.score is not None and len(m.parts) == 11
    lines = sentences(m, EN, "en")
    assert len(lines) == len(m.parts)
    text = "\n".join(lines)
    assert "Covers 1 of the 2 services you need; missing: Collections." in text
    assert "6 years of experience in the Energy and renewables sector." in text
    assert "French native (C1 asked)" in text and "Spanish C1 (B2 asked)" in text
    assert "60 seats available by April 1, 2026 for 30 asked." in text
    assert "Its minimum contract is 40 seats." in text
    assert "partly above your budget of €18" in text
    assert "of Belgium and France, in their time zone" in text
    assert "Further certifications: ISO 18295 / NF 345" in text
    assert "Feedback from 4 past meetings: average interest 75%." in text
    assert "Has a site in a country you prefer (Morocco)." in text


def test_every_part_has_a_french_sentence(fr):
    m = explain(RICH_NEED, RICH_PROVIDER)
    lines = sentences(m, fr, "fr")
    text = "\n".join(lines)
    assert "Couvre 1 des 2 services dont vous avez besoin ; manquants : Recouvrement." in text
    assert "6 ans d’expérience dans le secteur « Énergie et renouvelables »." in text
    assert "français langue maternelle (C1 demandé)" in text
    assert "60 positions disponibles au 1er avril 2026 pour 30 demandées." in text
    assert "Belgique et France" in text
    assert "budget de 18\u00a0€" in text
    assert "75 %" in text or "75\u00a0%" in text or "75\u202f%" in text
    assert all(line != en for line, en in zip(lines, sentences(m, EN, "en"), strict=True))
    ex = explanation(m, fr, "fr")
    assert [p.label for p in ex.parts][0] == "Services"
    assert ex.parts[1].label == "Expérience du secteur"
    assert round(sum(p.points for p in ex.parts), 1) == ex.score


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_exclusion_sentences_for_every_reason(locale, fr):
    _ = EN if locale == "en" else fr
    poor = ProviderFeatures(id="p", sites=(Site("SN"),), languages={"fr": 3}, seats_available_now=2)
    need = NeedFeatures(
        id="n",
        languages={"fr": 5, "de": 4},
        required_certifications={"pci_dss"},
        excluded_countries={"SN"},
        outbound_fr_consumers=True,
        gdpr="eu_hosting",
        seats=20,
        start_date=date(2026, 5, 4),
    )
    m = explain(need, poor)
    assert tuple(e.reason for e in m.exclusions) == EXCLUSION_REASONS
    lines = sentences(m, _, locale)
    assert len(lines) == len(EXCLUSION_REASONS)
    assert all(line.endswith(".") for line in lines)
    if locale == "en":
        assert lines[0] == (
            "Below the language level asked: German not offered (B2 asked) "
            "and French B1 (C1 asked)."
        )
        assert lines[5] == ("Only 2 seats available by May 4, 2026, less than 50% of the 20 asked.")
    else:
        assert lines[0].startswith("En dessous du niveau de langue demandé : allemand non")
        assert lines[0].endswith("et français B1 (C1 demandé).")
        assert "allemand non proposé (B2 demandé)" in lines[0]
    for code in EXCLUSION_REASONS:
        assert reason_label(code, _) != code
        from app.matching import Exclusion

        assert exclusion_sentence(Exclusion(code), _, locale)  # no params: generic label


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_sentences_on_random_pairs_never_fail(locale, fr):
    _ = EN if locale == "en" else fr
    providers = synthetic_providers(60, seed=5)
    for need in synthetic_needs(25, seed=6):
        for p in providers:
            m = explain(need, p)
            ex = explanation(m, _, locale)
            assert all(line.sentence for line in ex.parts)
            assert len(ex.exclusions) == len(m.exclusions)
            assert all("%(" not in s for s in [*(x.sentence for x in ex.parts), *ex.exclusions])


def test_missing_and_left_out_sentences(fr):
    m = explain(NeedFeatures(id=1), ProviderFeatures(id=2))
    ex = explanation(m, EN, "en")
    assert ex.left_out.startswith("Not taken into account, as your need does not specify them")
    assert "No feedback from past meetings yet." in ex.left_out
    assert len(ex.missing) == len(m.missing) == 7
    assert missing_sentences(["services"], fr) == [
        "Indiquez les services dont vous avez besoin, pour comparer les prestataires sur "
        "leurs métiers."
    ]
    assert criterion_label("hours", fr) == "Horaires et fuseaux horaires"


# --- voices: the same reasons, written for the call centre and for organisers ---------------

SERVICES_ONLY_NEED = NeedFeatures(id="n2", services={"inbound_care"})


def test_call_centre_reads_its_fit_in_the_second_person(fr):
    m = explain(SERVICES_ONLY_NEED, RICH_PROVIDER)
    assert sentences(m, EN, "en")[0] == "Covers every service you need (Inbound customer care)."
    assert sentences(m, EN, "en", voice="provider")[0] == (
        "The client needs Inbound customer care, which you cover."
    )
    assert sentences(m, fr, "fr", voice="provider")[0] == (
        "Le client a besoin de Service client entrant, que vous couvrez."
    )
    text = "\n".join(sentences(explain(RICH_NEED, RICH_PROVIDER), EN, "en", voice="provider"))
    assert "You cover 1 of the 2 services the client needs; missing: Collections." in text
    assert "You have 6 years of experience in the client's sector, Energy and renewables." in text
    assert "Your minimum contract is 40 seats." in text
    assert "is partly above the client's budget of €18" in text
    assert "You have a site in a country the client prefers (Morocco)." in text
    assert " you need" not in text and "your budget" not in text


def test_organiser_reads_both_sides_in_the_third_person(fr):
    m = explain(RICH_NEED, RICH_PROVIDER)
    lines = sentences(m, EN, "en", voice="staff")
    text = "\n".join(lines)
    assert "The centre covers 1 of the 2 services the client needs; missing: Collections." in text
    assert "The centre has a site in a country the client prefers (Morocco)." in text
    assert "partly above the client's budget of €18" in text
    for line in lines:
        assert " you " not in f" {line.lower()} " and "your " not in line.lower(), line
    french = "\n".join(sentences(m, fr, "fr", voice="staff"))
    assert "Le centre couvre 1 des 2 services dont le client a besoin" in french
    assert re.search(r"\b(vous|votre|vos)\b", french.replace("rendez-vous", "")) is None


@pytest.mark.parametrize("voice", ["provider", "staff"])
def test_exclusions_and_left_out_follow_the_voice(voice, fr):
    need = NeedFeatures(id="n", excluded_countries={"SN"}, gdpr="eu_hosting")
    m = explain(need, ProviderFeatures(id="p", sites=(Site("SN"),)))
    lines = sentences(m, EN, "en", voice=voice)
    assert all("you excluded" not in line and "your GDPR" not in line for line in lines)
    assert any("the client excluded" in line for line in lines)
    ex = explanation(explain(SERVICES_ONLY_NEED, RICH_PROVIDER), fr, "fr", voice=voice)
    assert ex.left_out is not None and "le besoin ne les précise pas" in ex.left_out
