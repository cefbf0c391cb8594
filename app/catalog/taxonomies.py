"""The product's taxonomies as code (English and French labels).

Each taxonomy is a :class:`~app.catalog.base.Taxonomy`: ordered tuple ``.entries``,
``.by_code``, ``.codes``, ``.label(code, locale)``, ``.choices(locale)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.catalog.base import Entry, Taxonomy

__all__ = [
    "SERVICES",
    "SECTORS",
    "CHANNELS",
    "HOURS",
    "CERTIFICATIONS",
    "LANGUAGE_LEVELS",
    "GDPR_REQUIREMENTS",
    "GDPR_OFFERS",
    "OUTBOUND_SERVICES",
    "HoursEntry",
    "LevelEntry",
    "RankedEntry",
    "hours_covers",
    "level_rank",
    "level_code",
    "gdpr_offer_level",
    "gdpr_satisfies",
    "NATIVE_RANK",
    "MAX_LEVEL_RANK",
]


@dataclass(frozen=True, slots=True)
class RankedEntry(Entry):
    """An entry of an ordered scale; a higher ``rank`` means more."""

    rank: int = 0


@dataclass(frozen=True, slots=True)
class LevelEntry(RankedEntry):
    """A language level (CEFR or native) with its numeric rank (A1=1 ... C2=6, native=7)."""


@dataclass(frozen=True, slots=True)
class HoursEntry(RankedEntry):
    """An hours-coverage level.

    ``windows``: the weekly opening windows in the *local* time of the site (provider) or of
    the market (client): tuples ``(weekday, start_hour, end_hour)``, weekday 0 = Monday,
    hours in [0, 24]. Coverage with a higher rank contains every window of a lower rank.
    """

    windows: tuple[tuple[int, int, int], ...] = ()

    @property
    def weekly_hours(self) -> int:
        return sum(end - start for _, start, end in self.windows)


# --- services -------------------------------------------------------------------------
SERVICES: Taxonomy[Entry] = Taxonomy(
    "services",
    (
        Entry("inbound_care", "Inbound customer care", "Service client entrant"),
        Entry("outbound_telesales", "Outbound telesales", "Télévente sortante"),
        Entry("b2b_prospecting", "B2B prospecting", "Prospection B2B"),
        Entry("technical_support", "Technical support", "Support technique"),
        Entry("back_office", "Back office", "Back-office"),
        Entry(
            "chat_email_social", "Chat, e-mail and social media", "Chat, e-mail et réseaux sociaux"
        ),
        Entry("collections", "Collections", "Recouvrement"),
        Entry("appointment_setting", "Appointment setting", "Prise de rendez-vous"),
        Entry("content_moderation", "Content moderation", "Modération de contenus"),
    ),
)

#: Services that involve calling people (used to hint at Bloctel / opt-in compliance).
OUTBOUND_SERVICES = frozenset(
    {"outbound_telesales", "b2b_prospecting", "collections", "appointment_setting"}
)

# --- sectors --------------------------------------------------------------------------
SECTORS: Taxonomy[Entry] = Taxonomy(
    "sectors",
    (
        Entry("energy", "Energy and renewables", "Énergie et renouvelables"),
        Entry("agrifood", "Agri-food", "Agroalimentaire"),
        Entry("telecom", "Telecommunications", "Télécommunications"),
        Entry("banking_insurance", "Banking and insurance", "Banque et assurance"),
        Entry("retail_ecommerce", "Retail and e-commerce", "Distribution et e-commerce"),
        Entry("travel_hospitality", "Travel and hospitality", "Tourisme et hôtellerie"),
        Entry("luxury", "Luxury", "Luxe"),
        Entry("public_sector", "Public sector", "Secteur public"),
        Entry("health", "Health", "Santé"),
        Entry("utilities", "Utilities (water, waste)", "Services publics (eau, déchets)"),
        Entry("technology", "Technology", "Technologies"),
    ),
)

# --- channels -------------------------------------------------------------------------
CHANNELS: Taxonomy[Entry] = Taxonomy(
    "channels",
    (
        Entry("phone", "Phone", "Téléphone"),
        Entry("email", "E-mail", "E-mail"),
        Entry("chat", "Chat", "Chat"),
        Entry("social_media", "Social media", "Réseaux sociaux"),
        Entry("video", "Video", "Vidéo"),
        Entry("messaging", "SMS and messaging apps", "SMS et messageries"),
        Entry("postal_mail", "Postal mail", "Courrier postal"),
    ),
)

# --- hours coverage -------------------------------------------------------------------
_WEEKDAYS = range(0, 5)
HOURS: Taxonomy[HoursEntry] = Taxonomy(
    "hours",
    (
        HoursEntry(
            "business",
            "Business hours (9:00–18:00, Monday to Friday)",
            "Heures de bureau (9 h – 18 h, du lundi au vendredi)",
            rank=1,
            windows=tuple((d, 9, 18) for d in _WEEKDAYS),
        ),
        HoursEntry(
            "extended",
            "Extended hours (8:00–22:00, Monday to Saturday)",
            "Horaires étendus (8 h – 22 h, du lundi au samedi)",
            rank=2,
            windows=tuple((d, 8, 22) for d in range(0, 6)),
        ),
        HoursEntry(
            "24_7",
            "24/7",
            "24 h/24, 7 j/7",
            rank=3,
            windows=tuple((d, 0, 24) for d in range(0, 7)),
        ),
    ),
)


def hours_covers(provider_code: str, need_code: str) -> bool:
    """True if coverage ``provider_code`` includes ``need_code`` (24/7 ⊇ extended ⊇ business)."""
    return HOURS[provider_code].rank >= HOURS[need_code].rank


# --- certifications -------------------------------------------------------------------
CERTIFICATIONS: Taxonomy[Entry] = Taxonomy(
    "certifications",
    (
        Entry(
            "iso_27001",
            "ISO/IEC 27001 (information security)",
            "ISO/IEC 27001 (sécurité de l’information)",
        ),
        Entry("pci_dss", "PCI DSS (card payments)", "PCI DSS (paiements par carte)"),
        Entry(
            "iso_18295_nf345",
            "ISO 18295 / NF 345 (customer contact centres)",
            "ISO 18295 / NF 345 (centres de relation client)",
        ),
        Entry("hds", "HDS (French health data hosting)", "HDS (hébergement de données de santé)"),
        Entry("iso_9001", "ISO 9001 (quality management)", "ISO 9001 (management de la qualité)"),
        Entry("iso_22301", "ISO 22301 (business continuity)", "ISO 22301 (continuité d’activité)"),
        Entry(
            "iso_27701",
            "ISO/IEC 27701 (privacy management)",
            "ISO/IEC 27701 (protection de la vie privée)",
        ),
        Entry(
            "lrs",
            "Social Responsibility Label (customer relations)",
            "Label Responsabilité Sociale (relation client)",
        ),
    ),
)

# --- language levels ------------------------------------------------------------------
LANGUAGE_LEVELS: Taxonomy[LevelEntry] = Taxonomy(
    "language_levels",
    (
        LevelEntry("a1", "A1 (beginner)", "A1 (débutant)", rank=1),
        LevelEntry("a2", "A2 (elementary)", "A2 (élémentaire)", rank=2),
        LevelEntry("b1", "B1 (intermediate)", "B1 (intermédiaire)", rank=3),
        LevelEntry("b2", "B2 (upper intermediate)", "B2 (intermédiaire avancé)", rank=4),
        LevelEntry("c1", "C1 (advanced)", "C1 (avancé)", rank=5),
        LevelEntry("c2", "C2 (proficient)", "C2 (maîtrise)", rank=6),
        LevelEntry("native", "Native", "Langue maternelle", rank=7),
    ),
)
NATIVE_RANK = 7
MAX_LEVEL_RANK = NATIVE_RANK
_LEVEL_BY_RANK = {e.rank: e.code for e in LANGUAGE_LEVELS}


def level_rank(code: str) -> int:
    """'b2' -> 4, 'native' -> 7 (KeyError if unknown)."""
    return LANGUAGE_LEVELS[code].rank


def level_code(rank: int) -> str:
    """4 -> 'b2', 7 -> 'native' (KeyError if out of 1..7)."""
    return _LEVEL_BY_RANK[rank]


# --- GDPR -----------------------------------------------------------------------------
#: What a need requires. Cumulative scale: each level includes the previous ones.
#: None of the provider countries has an EU adequacy decision, so personal data accessed
#: from there is a transfer: "EU hosting" still needs the DPA and the SCCs (remote access
#: from the provider's site), plus the data stored in the EU/EEA.
GDPR_REQUIREMENTS: Taxonomy[RankedEntry] = Taxonomy(
    "gdpr_requirements",
    (
        RankedEntry("none", "No specific requirement", "Pas d’exigence particulière", rank=0),
        RankedEntry(
            "dpa",
            "Data-processing agreement (GDPR art. 28) signed",
            "Accord de sous-traitance (RGPD art. 28) signé",
            rank=1,
        ),
        RankedEntry(
            "dpa_scc",
            "DPA and EU standard contractual clauses",
            "Accord de sous-traitance et clauses contractuelles types de l’UE",
            rank=2,
        ),
        RankedEntry(
            "eu_hosting",
            "DPA, standard contractual clauses and data hosted in the EU",
            "Accord de sous-traitance, clauses contractuelles types et données hébergées dans l’UE",
            rank=3,
        ),
    ),
)

#: What a provider can offer (independent check boxes).
GDPR_OFFERS: Taxonomy[Entry] = Taxonomy(
    "gdpr_offers",
    (
        Entry(
            "dpa",
            "Signs a data-processing agreement (GDPR art. 28)",
            "Signe un accord de sous-traitance (RGPD art. 28)",
        ),
        Entry(
            "scc",
            "Signs the EU standard contractual clauses",
            "Signe les clauses contractuelles types de l’UE",
        ),
        Entry(
            "eu_hosting",
            "Keeps the data hosted in the EU",
            "Conserve les données hébergées dans l’UE",
        ),
    ),
)


def gdpr_offer_level(dpa: bool, scc: bool, eu_hosting: bool) -> int:
    """Highest GDPR requirement rank a provider's offer satisfies (0..3, cumulative)."""
    if not dpa:
        return 0
    if not scc:
        return 1
    return 3 if eu_hosting else 2


def gdpr_satisfies(requirement: str, *, dpa: bool, scc: bool, eu_hosting: bool) -> bool:
    """True if a provider offering (dpa, scc, eu_hosting) meets ``requirement``."""
    return gdpr_offer_level(dpa, scc, eu_hosting) >= GDPR_REQUIREMENTS[requirement].rank
