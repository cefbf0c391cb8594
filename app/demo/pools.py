"""The raw material of the demo: cities, names, languages and price bands that look like the
real market (offshore customer contact in North and West Africa and the Indian Ocean)."""

from __future__ import annotations

#: (country, city, number of call centres in the default demo). 60 in all.
PROVIDER_CITIES: tuple[tuple[str, str, int], ...] = (
    ("MA", "Casablanca", 8),
    ("MA", "Rabat", 6),
    ("MA", "Mohammedia", 2),
    ("MA", "Fès", 3),
    ("MA", "Meknès", 3),
    ("TN", "Tunis", 8),
    ("TN", "Sousse", 4),
    ("SN", "Dakar", 6),
    ("CI", "Abidjan", 5),
    ("TG", "Lomé", 3),
    ("BJ", "Cotonou", 3),
    ("CM", "Yaoundé", 3),
    ("MG", "Antananarivo", 4),
    ("MU", "Port-Louis", 2),
)

#: Second sites a larger centre may open in the same country.
SECOND_SITES: dict[str, tuple[str, ...]] = {
    "MA": ("Casablanca", "Rabat", "Fès", "Meknès", "Tanger", "Marrakech", "Oujda"),
    "TN": ("Tunis", "Sousse", "Sfax", "Nabeul", "Monastir"),
    "SN": ("Dakar", "Thiès", "Saint-Louis"),
    "CI": ("Abidjan", "Yamoussoukro", "Bouaké"),
    "TG": ("Lomé", "Kara"),
    "BJ": ("Cotonou", "Porto-Novo"),
    "CM": ("Yaoundé", "Douala"),
    "MG": ("Antananarivo", "Toamasina", "Antsirabe"),
    "MU": ("Port-Louis", "Ebène", "Curepipe"),
}

NAME_PREFIXES: dict[str, tuple[str, ...]] = {
    "MA": (
        "Atlas",
        "Maghreb",
        "Anfa",
        "Zellige",
        "Oudaya",
        "Saïs",
        "Bouregreg",
        "Argane",
        "Chellah",
        "Majorelle",
        "Menara",
        "Sebou",
        "Ifrane",
        "Hassan",
        "Kasbah",
        "Volubilis",
        "Ourika",
        "Toubkal",
        "Agdal",
        "Souissi",
        "Maârif",
        "Corniche",
    ),
    "TN": (
        "Carthage",
        "Hannibal",
        "Medjerda",
        "Jasmin",
        "Byrsa",
        "El Kantaoui",
        "Médina",
        "Sidi Bou",
        "Lac",
        "Didon",
        "Kairouan",
        "Salammbô",
    ),
    "SN": ("Téranga", "Gorée", "Baobab", "Almadies", "Ngor", "Sine"),
    "CI": ("Lagune", "Plateau", "Ébène", "Cocody", "Assinie"),
    "TG": ("Golfe", "Mono", "Lomé"),
    "BJ": ("Ouidah", "Abomey", "Nokoué"),
    "CM": ("Wouri", "Sanaga", "Mont Fébé"),
    "MG": ("Ravinala", "Vanille", "Tsingy", "Ambohimanga"),
    "MU": ("Lagon", "Pamplemousses", "Chamarel"),
}
NAME_SUFFIXES: tuple[str, ...] = (
    "Contact Center",
    "Relation Client",
    "Call",
    "Téléservices",
    "BPO",
    "Outsourcing",
    "Customer Care",
    "Digital Services",
    "Multimedia",
    "Connect",
    "Interactive",
)
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "MA": ("SARL", "SA"),
    "TN": ("SARL", "SUARL"),
    "SN": ("SA", "SARL"),
    "CI": ("SA", "SARL"),
    "TG": ("SARL",),
    "BJ": ("SARL",),
    "CM": ("SA", "SARL"),
    "MG": ("SARL", "SA"),
    "MU": ("Ltd",),
}

#: EUR per agent-hour, (lowest floor, highest ceiling) of the bands seen per country.
PRICE_BANDS: dict[str, tuple[float, float]] = {
    "MA": (13.0, 21.0),
    "TN": (12.0, 19.0),
    "SN": (11.0, 17.0),
    "CI": (11.0, 17.0),
    "TG": (9.0, 14.0),
    "BJ": (9.0, 14.0),
    "CM": (10.0, 15.0),
    "MG": (8.0, 13.0),
    "MU": (15.0, 23.0),
}

#: Languages a centre in the country may offer: (code, level choices, chance, cultures).
LANGUAGE_OFFERS: dict[str, tuple[tuple[str, tuple[str, ...], float, tuple[str, ...]], ...]] = {
    "MA": (
        ("fr", ("c2", "native"), 1.0, ("FR", "BE", "CH", "LU")),
        ("ar", ("native",), 0.9, ()),
        ("es", ("b2", "c1", "c2"), 0.45, ("ES",)),
        ("en", ("b1", "b2", "c1"), 0.5, ("GB",)),
        ("de", ("b1", "b2"), 0.12, ("DE",)),
        ("it", ("b1", "b2"), 0.1, ("IT",)),
    ),
    "TN": (
        ("fr", ("c2", "native"), 1.0, ("FR", "BE", "CH", "LU")),
        ("ar", ("native",), 0.9, ()),
        ("it", ("b2", "c1"), 0.4, ("IT",)),
        ("de", ("b2", "c1"), 0.3, ("DE", "CH")),
        ("en", ("b2", "c1"), 0.45, ("GB",)),
        ("nl", ("b1", "b2"), 0.08, ("BE", "NL")),
    ),
    "SN": (
        ("fr", ("c2", "native"), 1.0, ("FR", "BE")),
        ("wo", ("native",), 0.9, ()),
        ("en", ("b1", "b2"), 0.35, ("GB",)),
    ),
    "CI": (("fr", ("c2", "native"), 1.0, ("FR", "BE")), ("en", ("b1", "b2"), 0.4, ("GB",))),
    "TG": (("fr", ("c1", "c2"), 1.0, ("FR",)), ("en", ("b1", "b2"), 0.4, ("GB",))),
    "BJ": (("fr", ("c1", "c2"), 1.0, ("FR",)), ("en", ("b1", "b2"), 0.3, ("GB",))),
    "CM": (
        ("fr", ("c2", "native"), 1.0, ("FR", "BE")),
        ("en", ("c1", "c2", "native"), 0.8, ("GB",)),
    ),
    "MG": (
        ("fr", ("c1", "c2"), 1.0, ("FR", "BE")),
        ("mg", ("native",), 0.9, ()),
        ("en", ("b1", "b2"), 0.35, ("GB",)),
    ),
    "MU": (
        ("en", ("c2", "native"), 1.0, ("GB",)),
        ("fr", ("c2", "native"), 1.0, ("FR", "BE")),
        ("de", ("b2", "c1"), 0.35, ("DE", "CH")),
        ("it", ("b1", "b2"), 0.2, ("IT",)),
    ),
}

#: Clients: (country, city, legal name, sector, website stem). 40 in all.
CLIENTS: tuple[tuple[str, str, str, str], ...] = (
    ("FR", "Lyon", "Énergie Rhône Alpes SAS", "energy"),
    ("FR", "Toulouse", "Soleil d'Oc Renouvelables SAS", "energy"),
    ("FR", "Paris", "Fibrelec Télécom SA", "telecom"),
    ("FR", "Nantes", "Mutuelle Atlantique des Artisans", "banking_insurance"),
    ("FR", "Lille", "Maison Nordique Distribution SAS", "retail_ecommerce"),
    ("FR", "Paris", "Atelier Vendôme Joaillerie SAS", "luxury"),
    ("FR", "Chartres", "Coopérative Beauce Céréales", "agrifood"),
    ("FR", "Marseille", "Azur Évasion Voyages SAS", "travel_hospitality"),
    ("FR", "Bordeaux", "Santé Plus Téléconsultation SAS", "health"),
    ("FR", "Rennes", "Eaux de Vilaine SPL", "utilities"),
    ("FR", "Grenoble", "Alpisoft Logiciels SAS", "technology"),
    ("FR", "Strasbourg", "Assurances Rhénanes SA", "banking_insurance"),
    ("FR", "Montpellier", "Vitalis E-commerce SAS", "retail_ecommerce"),
    ("FR", "Dijon", "Bourgogne Terroirs Gourmands SAS", "agrifood"),
    ("FR", "Paris", "Crédit Citadin SA", "banking_insurance"),
    ("FR", "Nice", "Riviera Hôtels & Résidences SAS", "travel_hospitality"),
    ("BE", "Bruxelles", "Lumibel Énergie SA", "energy"),
    ("BE", "Liège", "Meuse Télécom SRL", "telecom"),
    ("BE", "Gent", "Vlaamse Thuiszorg VZW", "health"),
    ("BE", "Namur", "Banque Wallonne de Proximité SA", "banking_insurance"),
    ("BE", "Antwerpen", "Scheldt Retail Group NV", "retail_ecommerce"),
    ("BE", "Bruxelles", "Brussels Public Mobility", "public_sector"),
    ("BE", "Charleroi", "Sambre Services Publics SCRL", "utilities"),
    ("CH", "Genève", "Léman Assurances SA", "banking_insurance"),
    ("CH", "Lausanne", "Vaudoise Horlogerie Sàrl", "luxury"),
    ("CH", "Zürich", "Helvetic Telco AG", "telecom"),
    ("CH", "Basel", "Rhein Pharma Services AG", "health"),
    ("CH", "Fribourg", "Sarine Énergie SA", "energy"),
    ("ES", "Madrid", "Energía Meseta S.L.", "energy"),
    ("ES", "Barcelona", "Telecomunicaciones Mediterráneas S.A.", "telecom"),
    ("ES", "Valencia", "Viajes Levante S.L.", "travel_hospitality"),
    ("ES", "Sevilla", "Seguros Guadalquivir S.A.", "banking_insurance"),
    ("ES", "Bilbao", "Comercio Cantábrico Online S.L.", "retail_ecommerce"),
    ("ES", "Zaragoza", "Aragón Agroalimentaria S.Coop.", "agrifood"),
    ("LU", "Luxembourg", "Banque du Kirchberg S.A.", "banking_insurance"),
    ("LU", "Esch-sur-Alzette", "Minett Digital S.à r.l.", "technology"),
    ("DE", "Köln", "Rheinland Energie GmbH", "energy"),
    ("DE", "Frankfurt am Main", "Mainfinanz Versicherung AG", "banking_insurance"),
    ("DE", "Berlin", "Spreeshop E-Commerce GmbH", "retail_ecommerce"),
    ("DE", "München", "Isar Software Services GmbH", "technology"),
)

#: Extra client names for scaled-up runs (combined with the cities of CLIENT_CITIES).
CLIENT_STEMS: tuple[str, ...] = (
    "Horizon",
    "Boréal",
    "Vertigo",
    "Arcadia",
    "Nova",
    "Orion",
    "Cèdre",
    "Iris",
    "Lumen",
    "Castel",
    "Zénith",
    "Alto",
    "Sirius",
    "Opale",
    "Mistral",
    "Sequoia",
)
CLIENT_CITIES: dict[str, tuple[str, ...]] = {
    "FR": ("Paris", "Lyon", "Lille", "Nantes", "Toulouse"),
    "BE": ("Bruxelles", "Liège"),
    "CH": ("Genève", "Lausanne", "Zürich"),
    "ES": ("Madrid", "Barcelona"),
    "LU": ("Luxembourg",),
    "DE": ("Berlin", "Köln", "Hamburg"),
}
CLIENT_FORMS: dict[str, str] = {
    "FR": "SAS",
    "BE": "SA",
    "CH": "SA",
    "ES": "S.L.",
    "LU": "S.A.",
    "DE": "GmbH",
}

#: Services a client of the sector usually outsources (first = most likely).
SECTOR_SERVICES: dict[str, tuple[str, ...]] = {
    "energy": ("inbound_care", "outbound_telesales", "back_office", "collections"),
    "telecom": ("inbound_care", "technical_support", "outbound_telesales", "chat_email_social"),
    "banking_insurance": ("inbound_care", "back_office", "collections", "appointment_setting"),
    "retail_ecommerce": ("chat_email_social", "inbound_care", "back_office", "content_moderation"),
    "luxury": ("inbound_care", "chat_email_social", "appointment_setting"),
    "agrifood": ("b2b_prospecting", "inbound_care", "back_office"),
    "travel_hospitality": ("inbound_care", "chat_email_social", "outbound_telesales"),
    "health": ("appointment_setting", "inbound_care", "back_office"),
    "utilities": ("inbound_care", "back_office", "collections"),
    "technology": ("technical_support", "b2b_prospecting", "chat_email_social"),
    "public_sector": ("inbound_care", "back_office", "chat_email_social"),
}

#: Need titles by main service, in French and English (clients write in their language).
TITLES: dict[str, tuple[str, str]] = {
    "inbound_care": (
        "Service client entrant – %(seats)s conseillers",
        "Inbound customer care – %(seats)s agents",
    ),
    "outbound_telesales": (
        "Télévente sortante – %(seats)s téléconseillers",
        "Outbound telesales – %(seats)s agents",
    ),
    "b2b_prospecting": (
        "Prospection B2B et qualification de leads – %(seats)s chargés",
        "B2B prospecting and lead qualification – %(seats)s agents",
    ),
    "technical_support": (
        "Support technique niveau 1 et 2 – %(seats)s techniciens",
        "Level 1 and 2 technical support – %(seats)s agents",
    ),
    "back_office": (
        "Back-office et traitement de dossiers – %(seats)s gestionnaires",
        "Back office and case handling – %(seats)s clerks",
    ),
    "chat_email_social": (
        "Relation client chat, e-mail et réseaux sociaux – %(seats)s agents",
        "Chat, e-mail and social care – %(seats)s agents",
    ),
    "collections": (
        "Recouvrement amiable – %(seats)s chargés de recouvrement",
        "Soft collections – %(seats)s agents",
    ),
    "appointment_setting": (
        "Prise de rendez-vous – %(seats)s téléconseillers",
        "Appointment setting – %(seats)s agents",
    ),
    "content_moderation": (
        "Modération de contenus – %(seats)s modérateurs",
        "Content moderation – %(seats)s moderators",
    ),
}

SECTOR_CONTEXT: dict[str, tuple[str, str]] = {
    "energy": (
        "Contrats, relevés de compteur, facturation et déménagements de nos clients particuliers.",
        "Contracts, meter readings, billing and home moves for our residential customers.",
    ),
    "telecom": (
        "Abonnés fibre et mobile : activation, pannes, résiliations.",
        "Fibre and mobile subscribers: activation, faults, cancellations.",
    ),
    "banking_insurance": (
        "Sociétaires et assurés : sinistres, attestations, changements "
        "de contrat. Données sensibles.",
        "Policyholders: claims, certificates, contract changes. Sensitive data.",
    ),
    "retail_ecommerce": (
        "Commandes en ligne, livraisons, retours et remboursements.",
        "Online orders, deliveries, returns and refunds.",
    ),
    "luxury": (
        "Clientèle exigeante, excellence du français écrit et oral.",
        "Demanding clientele, flawless written and spoken language.",
    ),
    "agrifood": (
        "Relation avec nos distributeurs et nos adhérents agriculteurs.",
        "Relations with our distributors and member farmers.",
    ),
    "travel_hospitality": (
        "Réservations, modifications et assistance voyageurs, pics saisonniers l'été.",
        "Bookings, changes and traveller assistance, summer peaks.",
    ),
    "health": (
        "Patients et professionnels de santé ; hébergement HDS exigé.",
        "Patients and healthcare professionals; certified health-data hosting.",
    ),
    "utilities": (
        "Abonnés eau et déchets : facturation, interventions, réclamations.",
        "Water and waste customers: billing, call-outs, complaints.",
    ),
    "technology": (
        "Utilisateurs de nos logiciels SaaS, clients PME.",
        "Users of our SaaS software, SME customers.",
    ),
    "public_sector": (
        "Usagers du service public, accueil multilingue.",
        "Public service users, multilingual front desk.",
    ),
}

INTEREST_MESSAGES: tuple[str, ...] = (
    "Nous avons des positions francophones libres dès le mois prochain et une référence "
    "dans votre secteur.",
    "Équipe dédiée possible sur notre site principal, montée en charge en 6 semaines.",
    "We can open a dedicated team with native speakers and ISO 27001 processes.",
    "Disponibles pour un pilote de 3 mois avant engagement.",
    "Our supervisors know your market well; happy to present references.",
)
