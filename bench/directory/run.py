"""Directory benchmark: 10,000 call centres on PostgreSQL, every filter and their
combinations, through the service, the JSON API and the HTML page.

    .venv/bin/python -m bench.directory.run                       # seed (if needed) and time
    .venv/bin/python -m bench.directory.run --reseed --providers 10000 --repeat 40

The database (default ``euroffshore_bench_dir`` on the local server, or ``--url`` /
``EUROFFSHORE_BENCH_DIRECTORY_URL``) is created if missing, migrated, and seeded with
bulk multi-row inserts (a few seconds, no HTTP). Each combination is timed ``--repeat``
times after a warm-up; the median and 95th percentile are printed next to two baselines
(a bare ``SELECT`` of one page of ids, and the unfiltered first page) and written to
``bench/results/directory-<date>.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgresql+psycopg://app:app@127.0.0.1:5432/euroffshore_bench_dir"
TODAY = date(2026, 11, 22)

# (name, query parameters, sort)
COMBINATIONS: list[tuple[str, dict, str]] = [
    ("no filter (name order)", {}, "name"),
    ("country MA", {"country": "MA"}, "name"),
    ("language fr ≥ C1", {"language": "fr", "level": "c1"}, "name"),
    ("service outbound telesales", {"service": "outbound_telesales"}, "name"),
    ("sector energy", {"sector": "energy"}, "name"),
    ("seats now ≥ 100", {"seats": 100}, "name"),
    ("seats ≥ 100 by a date", {"seats": 100, "seats_date": "2027-03-01"}, "name"),
    ("certification ISO 27001", {"certification": "iso_27001"}, "name"),
    ("price ≤ 12 EUR", {"price_max": "12"}, "name"),
    ("24/7", {"open_24_7": "1"}, "name"),
    ("name contains 'atlas'", {"q": "atlas"}, "name"),
    ("sort by seats", {}, "seats"),
    ("sort by price", {}, "price"),
    ("sort by recently updated", {}, "updated"),
    ("page 200 (offset 3,980)", {"page": 200}, "name"),
    (
        "fr ≥ B2 + inbound + 50 seats + ISO 27001 + ≤ 20 EUR",
        {
            "language": "fr",
            "level": "b2",
            "service": "inbound_care",
            "seats": 50,
            "certification": "iso_27001",
            "price_max": "20",
        },
        "name",
    ),
    (
        "MA/TN + es ≥ B1 + energy + 24/7, by seats at a date",
        {
            "country": ["MA", "TN"],
            "language": "es",
            "level": "b1",
            "sector": "energy",
            "open_24_7": "1",
            "seats": 20,
            "seats_date": "2027-01-15",
        },
        "seats",
    ),
    (
        "every filter, nothing matches",
        {
            "country": "MU",
            "language": "de",
            "level": "native",
            "service": "collections",
            "sector": "luxury",
            "certification": "hds",
            "seats": 900,
            "price_max": "5",
            "open_24_7": "1",
        },
        "price",
    ),
]

CITIES = {
    "MA": ["Casablanca", "Rabat", "Fès", "Meknès", "Tanger", "Marrakech", "Agadir", "Oujda"],
    "TN": ["Tunis", "Sousse", "Sfax", "Nabeul", "Bizerte"],
    "SN": ["Dakar", "Thiès", "Saint-Louis"],
    "CI": ["Abidjan", "Yamoussoukro", "Bouaké"],
    "TG": ["Lomé", "Kara"],
    "BJ": ["Cotonou", "Porto-Novo"],
    "CM": ["Douala", "Yaoundé"],
    "MG": ["Antananarivo", "Toamasina"],
    "MU": ["Port-Louis", "Ebène", "Curepipe"],
}
WORDS = [
    "Atlas",
    "Baobab",
    "Carthage",
    "Sahel",
    "Oasis",
    "Médina",
    "Ivoire",
    "Kilimanjaro",
    "Lagune",
    "Corniche",
    "Horizon",
    "Zénith",
    "Azur",
    "Cap",
    "Étoile",
    "Palmier",
]
KINDS = ["Contact", "Call", "Relation Client", "Services", "Connect", "Voice", "Care"]


def _ensure_database(url: str) -> None:
    target = make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": target.database}
        )
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def _reset_schema(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))


def seed(engine: sa.Engine, n: int, rng: random.Random) -> float:
    """Bulk-insert ``n`` published call centres with their child rows; returns seconds."""
    from app.catalog import CERTIFICATIONS, CHANNELS, SECTORS, SERVICES
    from app.core.db import Base

    t = Base.metadata.tables
    started = time.perf_counter()
    countries = list(CITIES)
    weights = [30, 20, 12, 10, 5, 5, 6, 6, 6]
    orgs, profiles, sites, langs, services, sectors, channels, certs = ([] for _ in range(8))
    now = datetime.now(UTC)
    for i in range(1, n + 1):
        country = rng.choices(countries, weights)[0]
        name = f"{rng.choice(WORDS)} {rng.choice(KINDS)} {i:05d}"
        stamp = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
        orgs.append(
            {
                "id": i,
                "kind": "provider",
                "legal_name": name,
                "country": country,
                "city": CITIES[country][0],
                "verified": rng.random() < 0.4,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
        total_now = total_all = 0
        cities = rng.sample(CITIES[country], k=min(len(CITIES[country]), rng.choice([1, 1, 2, 3])))
        for position, city in enumerate(cities):
            seats = rng.choice([20, 40, 60, 80, 120, 200, 300, 500])
            free = rng.randrange(0, seats // 2 + 1)
            later = when = None
            if rng.random() < 0.35:
                later = rng.randrange(free, seats + 1)
                when = TODAY + timedelta(days=rng.randrange(10, 240))
            sites.append(
                {
                    "profile_id": i,
                    "position": position,
                    "country": country,
                    "city": city,
                    "timezone": _zone(country),
                    "seats_total": seats,
                    "seats_available_now": free,
                    "seats_available_later": later,
                    "available_from": when,
                }
            )
            total_now += free
            total_all += seats
        chosen = {"fr": rng.choice(["c1", "c2", "native", "b2"])}
        for code, chance in (
            ("en", 0.5),
            ("es", 0.25),
            ("de", 0.12),
            ("it", 0.1),
            ("ar", 0.5),
            ("nl", 0.05),
            ("pt", 0.05),
        ):
            if rng.random() < chance:
                chosen[code] = rng.choice(["b1", "b2", "c1", "c2", "native"])
        for position, (code, level) in enumerate(chosen.items()):
            langs.append(
                {
                    "profile_id": i,
                    "position": position,
                    "language": code,
                    "level": level,
                    "culture_markets": ["FR"] if code == "fr" else [],
                }
            )
        for code in rng.sample(SERVICES.codes, k=rng.randrange(1, 5)):
            services.append({"profile_id": i, "code": code})
        for code in rng.sample(SECTORS.codes, k=rng.randrange(0, 4)):
            sectors.append({"profile_id": i, "code": code, "years": rng.randrange(0, 15)})
        for code in rng.sample(CHANNELS.codes, k=rng.randrange(1, 4)):
            channels.append({"profile_id": i, "code": code})
        for code in rng.sample(CERTIFICATIONS.codes, k=rng.choice([0, 0, 1, 1, 2, 3])):
            certs.append({"profile_id": i, "code": code})
        low = rng.choice([None, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 25])
        profiles.append(
            {
                "id": i,
                "organisation_id": i,
                "status": "published",
                "version": 1,
                "description_fr": None,
                "description_en": f"{name}: {len(cities)} site(s).",
                "hours": rng.choice(["business", "business", "extended", "24_7"]),
                "price_min": low,
                "price_max": None if low is None else low + rng.randrange(0, 6),
                "min_contract_seats": rng.choice([0, 5, 10, 20]),
                "gdpr_dpa": rng.random() < 0.8,
                "gdpr_scc": rng.random() < 0.6,
                "gdpr_eu_hosting": rng.random() < 0.3,
                "data_hosting_country": None,
                "bloctel_screening": rng.random() < 0.5,
                "opt_in_only": rng.random() < 0.3,
                "seats_total_sum": total_all,
                "seats_now_sum": total_now,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    with engine.begin() as conn:
        for table, rows in (
            ("organisations", orgs),
            ("provider_profiles", profiles),
            ("provider_sites", sites),
            ("provider_languages", langs),
            ("provider_services", services),
            ("provider_sectors", sectors),
            ("provider_channels", channels),
            ("provider_certifications", certs),
        ):
            for start in range(0, len(rows), 5000):
                conn.execute(t[table].insert(), rows[start : start + 5000])
        for table in ("organisations", "provider_profiles"):
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    return time.perf_counter() - started


def _zone(country: str) -> str:
    from app.catalog import country_timezone

    return country_timezone(country)


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "min_ms": round(ordered[0] * 1000, 2),
        "runs": len(ordered),
    }


def _time(fn, repeat: int) -> dict:
    fn()  # warm-up (plans, caches)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return _stats(samples)


def _filters(params: dict):
    from app.providers.schemas import DirectoryFilters

    raw = {k: v for k, v in params.items() if k != "page"}
    for key in ("country", "service", "sector", "certification"):
        if key in raw and not isinstance(raw[key], list):
            raw[key] = [raw[key]]
    if "open_24_7" in raw:
        raw["open_24_7"] = True
    return DirectoryFilters.model_validate(raw)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", default=os.environ.get("EUROFFSHORE_BENCH_DIRECTORY_URL", DEFAULT_URL)
    )
    parser.add_argument("--providers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reseed", action="store_true", help="drop and seed again")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    os.environ["EUROFFSHORE_DATABASE_URL"] = args.url  # before the app reads its settings
    os.environ.setdefault("EUROFFSHORE_LOG_LEVEL", "WARNING")
    from fastapi.testclient import TestClient
    from sqlalchemy.orm import Session

    from app.accounts import service as accounts
    from app.accounts.sessions import SESSION_COOKIE, session_token
    from app.core import migrations
    from app.core.db import get_engine
    from app.main import create_app
    from app.providers import service
    from app.providers.models import ProviderProfile
    from app.providers.schemas import profile_summary

    _ensure_database(args.url)
    engine = get_engine()
    with Session(engine) as s:
        try:
            have = s.scalar(sa.select(sa.func.count()).select_from(ProviderProfile))
        except sa.exc.ProgrammingError:
            have = None
    seed_seconds = None
    if args.reseed or have != args.providers:
        _reset_schema(engine)
        migrations.upgrade(args.url)
        seed_seconds = seed(engine, args.providers, random.Random(20261122))
        print(f"seeded {args.providers} call centres in {seed_seconds:.1f} s")

    with Session(engine) as s:  # a signed-in client company reads the directory
        org_id = s.scalar(
            sa.text(
                "INSERT INTO organisations (kind, legal_name, country, verified, created_at, "
                "updated_at) VALUES ('client', 'Bench Client SA', 'FR', false, now(), now()) "
                "RETURNING id"
            )
        )
        user = accounts.create_user(
            db_session=s,
            email=f"bench-{time.time_ns()}@example.test",
            password="x",
            organisation_id=org_id,
            password_hash="bench-no-login",
        )
        _token, clear = accounts.create_api_token(db_session=s, user=user, name="bench")
        s.commit()
        cookie = session_token(user)

    app = create_app()
    http = TestClient(app)
    http.cookies.set(SESSION_COOKIE, cookie)
    bearer = {"Authorization": f"Bearer {clear}"}

    rows = []
    with Session(engine) as s:

        def bare():
            s.execute(
                sa.text(
                    "SELECT id FROM provider_profiles WHERE status = 'published' "
                    "ORDER BY id LIMIT 20"
                )
            ).all()

        baseline_sql = _time(bare, args.repeat)
        for name, params, sort in COMBINATIONS:
            filters = _filters(params)
            offset = (params.get("page", 1) - 1) * 20

            def through_service(filters=filters, sort=sort, offset=offset):
                items, total = service.search(
                    db_session=s, filters=filters, sort=sort, limit=20, offset=offset
                )
                [profile_summary(p, filters.seats_date) for p in items]
                s.expunge_all()  # every run loads afresh, as a new request would
                return total

            total = through_service()
            query = urlencode(
                {**{k: v for k, v in params.items() if k != "page"}, "sort": sort}, doseq=True
            )
            api_url = f"/api/v1/providers?{query}&limit=20&offset={offset}"
            html_url = f"/providers?{query}&page={params.get('page', 1)}"
            assert http.get(api_url, headers=bearer).status_code == 200
            assert http.get(html_url).status_code == 200
            rows.append(
                {
                    "combination": name,
                    "params": params,
                    "sort": sort,
                    "matches": total,
                    "service": _time(through_service, args.repeat),
                    "api": _time(lambda u=api_url: http.get(u, headers=bearer), args.repeat),
                    "html": _time(lambda u=html_url: http.get(u), args.repeat),
                }
            )
            r = rows[-1]
            print(
                f"{name:58s} {total:6d}  service {r['service']['median_ms']:7.2f} / "
                f"{r['service']['p95_ms']:7.2f}  api {r['api']['median_ms']:7.2f} / "
                f"{r['api']['p95_ms']:7.2f}  html {r['html']['median_ms']:7.2f} / "
                f"{r['html']['p95_ms']:7.2f} ms"
            )
        version = s.scalar(sa.text("SHOW server_version"))

    result = {
        "date": date.today().isoformat(),
        "providers": args.providers,
        "repeat": args.repeat,
        "page_size": 20,
        "seed_seconds": None if seed_seconds is None else round(seed_seconds, 2),
        "postgresql": version,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "baseline_bare_select": baseline_sql,
        "combinations": rows,
    }
    unfiltered = rows[0]
    worst = max(rows, key=lambda r: r["html"]["p95_ms"])
    print(
        f"baseline: bare SELECT {baseline_sql['median_ms']} ms; unfiltered page: service "
        f"{unfiltered['service']['median_ms']} ms, API {unfiltered['api']['median_ms']} ms, "
        f"HTML {unfiltered['html']['median_ms']} ms; slowest HTML p95: "
        f"{worst['html']['p95_ms']} ms ({worst['combination']})"
    )
    if not args.no_write:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        stem = out / f"directory-{result['date']}"
        stem.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str) + "\n")
        stem.with_suffix(".md").write_text(_markdown(result))
        print(f"wrote {stem}.md and .json")
    return 0


def _markdown(result: dict) -> str:
    lines = [
        f"# Directory benchmark, {result['date']}",
        "",
        f"{result['providers']:,} published call centres on PostgreSQL {result['postgresql']} "
        f"(Python {result['python']}, {result['machine']}, load average "
        f"{' / '.join(map(str, result['load_average']))} at the end, shared with other work); "
        f"pages of {result['page_size']}; "
        f"median and 95th percentile of {result['repeat']} runs after a warm-up, in ms. "
        "*Service*: `providers.service.search` plus the page's summaries; *API*: "
        "`GET /api/v1/providers` and *HTML*: `GET /providers`, both through the whole "
        "application (TestClient, signed in: Bearer token and session cookie).",
        "",
        f"Baseline: a bare `SELECT id ... LIMIT 20` takes "
        f"{result['baseline_bare_select']['median_ms']} ms (p95 "
        f"{result['baseline_bare_select']['p95_ms']} ms). *min* is the fastest run: what a "
        "page costs when the machine's other work leaves the CPU free.",
        "",
        "| combination | sort | matches | service median | p95 | min | API median | p95 | min "
        "| HTML median | p95 | min |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["combinations"]:
        lines.append(
            f"| {r['combination']} | {r['sort']} | {r['matches']:,} | "
            f"{r['service']['median_ms']} | {r['service']['p95_ms']} | "
            f"{r['service']['min_ms']} | {r['api']['median_ms']} | {r['api']['p95_ms']} | "
            f"{r['api']['min_ms']} | {r['html']['median_ms']} | {r['html']['p95_ms']} | "
            f"{r['html']['min_ms']} |"
        )
    if result.get("seed_seconds"):
        lines += ["", f"Seeding took {result['seed_seconds']} s (bulk multi-row inserts)."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
