"""Company registration numbers, checked with python-stdnum where a checksum exists.

Each country lists the schemes tried in order; a number that starts with an EU VAT prefix
is checked as a VAT number. Countries without a known validator keep the number as typed
(trimmed), unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from stdnum.be import vat as be_vat
from stdnum.ch import uid as ch_uid
from stdnum.es import cif as es_cif
from stdnum.es import nif as es_nif
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError
from stdnum.fr import siren, siret
from stdnum.lu import tva as lu_tva
from stdnum.ma import ice as ma_ice
from stdnum.tn import mf as tn_mf

from app.i18n import gettext as _
from app.i18n import lazy_gettext

# scheme name -> stdnum module (each has validate() and compact()).
SCHEMES: dict[str, ModuleType] = {
    "siren": siren,
    "siret": siret,
    "vat": eu_vat,
    "ice": ma_ice,
    "be_enterprise": be_vat,
    "ch_uid": ch_uid,
    "es_cif": es_cif,
    "es_nif": es_nif,
    "lu_tva": lu_tva,
    "tn_mf": tn_mf,
}

COUNTRY_SCHEMES: dict[str, tuple[str, ...]] = {
    "FR": ("siren", "siret", "vat"),
    "BE": ("be_enterprise", "vat"),
    "CH": ("ch_uid",),
    "ES": ("es_cif", "es_nif", "vat"),
    "LU": ("lu_tva", "vat"),
    "MA": ("ice",),
    "TN": ("tn_mf",),
}
EU_VAT_COUNTRIES = set(eu_vat.MEMBER_STATES) - {"xi"}  # lower-case codes in stdnum

_HINTS = {
    "FR": lazy_gettext("a SIREN (9 digits), a SIRET (14 digits) or an FR VAT number"),
    "BE": lazy_gettext("an enterprise number (10 digits) or a BE VAT number"),
    "CH": lazy_gettext("a UID (CHE-123.456.789)"),
    "ES": lazy_gettext("a CIF/NIF or an ES VAT number"),
    "LU": lazy_gettext("a TVA number (8 digits) or an LU VAT number"),
    "MA": lazy_gettext("an ICE (15 digits)"),
    "TN": lazy_gettext("a matricule fiscal"),
}


@dataclass(frozen=True)
class CheckedNumber:
    number: str  # compact form to store
    scheme: str | None  # None: no validator for this country, kept as typed


class InvalidRegistrationNumber(ValueError):
    pass


def _looks_like_vat(number: str) -> bool:
    return len(number) > 2 and number[:2].isalpha() and number[:2].lower() in EU_VAT_COUNTRIES


def check_registration_number(country: str, raw: str) -> CheckedNumber:
    """Validate and normalise ``raw`` for ``country`` (ISO alpha-2)."""
    number = " ".join(raw.split())
    if not number:
        raise InvalidRegistrationNumber(_("Registration number is empty."))
    country = country.upper()
    schemes = list(COUNTRY_SCHEMES.get(country, ()))
    if country.lower() in EU_VAT_COUNTRIES and "vat" not in schemes:
        schemes.append("vat")
    if _looks_like_vat(number.replace(" ", "")) and "vat" in schemes:
        schemes = ["vat"]  # an explicit VAT prefix says what the number is
    if not schemes:
        return CheckedNumber(number=number, scheme=None)
    for scheme in schemes:
        module = SCHEMES[scheme]
        try:
            return CheckedNumber(number=module.validate(number), scheme=scheme)
        except ValidationError:
            continue
    hint = _HINTS.get(country) or _("a VAT number with its country prefix")
    raise InvalidRegistrationNumber(
        _(
            "Not a valid registration number for %(country)s: expected %(hint)s.",
            country=country,
            hint=str(hint),
        )
    )
