"""Benchmark of recommendations through the real HTTP API on PostgreSQL.

    .venv/bin/python bench/recommendations/run.py                 # 10,000 providers
    .venv/bin/python bench/recommendations/run.py --providers 2000 --requests 200   # smoke

What it does, in one run:
  1. (re)creates the PostgreSQL database ``euroffshore_bench_reco`` (``--admin-url`` names
     a database to connect to for CREATE DATABASE) and migrates it;
  2. seeds ``--providers`` published call centres and ``--needs`` open needs (seeded
     synthetic data of ``app.matching.synthetic``, bulk-inserted in the real tables), one
     client organisation owning the needs, its user and a personal access token;
  3. starts the app with uvicorn (one worker, real HTTP) on a free port;
  4. measures the first ``GET /api/v1/needs/{id}/matches?limit=10`` (the process builds its
     provider index), then ``--requests`` requests over the needs (median, p95, p99),
     beside two baselines measured in the same run and the same way: ``GET /healthz`` and
     ``GET /api/v1/needs/{id}`` (authentication, one need loaded and serialised);
  5. changes one profile through the API (``PATCH /api/v1/providers/{id}``) and measures
     the next matches request (the process notices the change and refreshes its index);
  6. writes bench/results/recommendations-<date>.md and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.accounts.models import MembershipRole  # noqa: E402
from app.catalog import level_code  # noqa: E402
from app.core import migrations  # noqa: E402
from app.core.db import make_engine, utcnow  # noqa: E402
from app.matching.synthetic import synthetic_needs, synthetic_providers  # noqa: E402
from app.needs.models import (  # noqa: E402
    Need,
    NeedCertification,
    NeedCountry,
    NeedLanguage,
    NeedMarket,
    NeedPriority,
    NeedService,
)
from app.organisations.models import Organisation  # noqa: E402
from app.providers.models import (  # noqa: E402
    ProviderCertification,
    ProviderChannel,
    ProviderLanguage,
    ProviderProfile,
    ProviderSector,
    ProviderService,
    ProviderSite,
)

DEFAULT_ADMIN_URL = "postgresql+psycopg://app:app@127.0.0.1:5432/postgres"
DB_NAME = "euroffshore_bench_reco"
TARGET_P95_MS = 100.0
CHUNK = 2000


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def _summary(ms: list[float], signed: bool = False) -> dict[str, float]:
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(_pct(ms, 0.95), 2),
        "p99_ms": round(_pct(ms, 0.99), 2),
        "max_ms": round(max(ms), 2),
    }


# --- database --------------------------------------------------------------------------


def recreate_database(admin_url: str) -> str:
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
            {"n": DB_NAME},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}"'))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=DB_NAME).render_as_string(hide_password=False)
    migrations.upgrade(url)
    return url


def _rows(conn, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        if chunk:
            conn.execute(insert(model), chunk)


def seed(url: str, n_providers: int, n_needs: int) -> dict:
    """Bulk-insert the synthetic providers and needs; returns ids and the token."""
    engine = make_engine(url)
    now = utcnow()
    today = date.today()
    providers = synthetic_providers(n_providers, seed=1)
    needs = synthetic_needs(n_needs, seed=2)
    rng = random.Random(3)
    started = time.perf_counter()
    with engine.begin() as conn:
        org_rows = [
            {
                "id": p.id,
                "kind": "provider",
                "legal_name": f"Centre {p.id:05d}",
                "country": sorted(p.countries)[0],
                "city": p.sites[0].city,
                "verified": p.verified,
                "created_at": now,
                "updated_at": now,
            }
            for p in providers
        ]
        client_id = n_providers + 1
        org_rows.append(
            {
                "id": client_id,
                "kind": "client",
                "legal_name": "Bench Client SA",
                "country": "FR",
                "city": "Lyon",
                "verified": True,
                "created_at": now,
                "updated_at": now,
            }
        )
        _rows(conn, Organisation, org_rows)
        profiles, sites, langs, services, sectors, channels, certs = [], [], [], [], [], [], []
        for p in providers:
            shift = today - date(2026, 1, 5)
            profiles.append(
                {
                    "id": p.id,
                    "organisation_id": p.id,
                    "status": "published",
                    "version": 1,
                    "hours": p.hours,
                    "price_min": p.price_min,
                    "price_max": p.price_max,
                    "min_contract_seats": p.min_contract_seats,
                    "gdpr_dpa": p.gdpr_dpa,
                    "gdpr_scc": p.gdpr_scc,
                    "gdpr_eu_hosting": p.gdpr_eu_hosting,
                    "bloctel_screening": p.bloctel_screening,
                    "opt_in_only": p.opt_in_only,
                    "seats_total_sum": p.seats_total,
                    "seats_now_sum": p.seats_available_now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            for i, s in enumerate(p.sites):
                first = i == 0
                later = p.seats_at_date if first and p.seats_available_from else None
                sites.append(
                    {
                        "profile_id": p.id,
                        "position": i,
                        "country": s.country,
                        "city": s.city if first or s.city != p.sites[0].city else s.city + " 2",
                        "timezone": s.timezone,
                        "seats_total": p.seats_total if first else 0,
                        "seats_available_now": p.seats_available_now if first else 0,
                        "seats_available_later": later,
                        "available_from": p.seats_available_from + shift
                        if later is not None
                        else None,
                    }
                )
            for i, (code, rank) in enumerate(sorted(p.languages.items())):
                langs.append(
                    {
                        "profile_id": p.id,
                        "position": i,
                        "language": code,
                        "level": level_code(rank),
                        "culture_markets": sorted(p.culture_markets) if i == 0 else [],
                    }
                )
            services += [{"profile_id": p.id, "code": c} for c in sorted(p.services)]
            channels += [{"profile_id": p.id, "code": c} for c in sorted(p.channels)]
            certs += [{"profile_id": p.id, "code": c} for c in sorted(p.certifications)]
            sectors += [
                {"profile_id": p.id, "code": c, "years": int(y)}
                for c, y in sorted(p.sectors.items())
            ]
        for model, rows in (
            (ProviderProfile, profiles),
            (ProviderSite, sites),
            (ProviderLanguage, langs),
            (ProviderService, services),
            (ProviderChannel, channels),
            (ProviderCertification, certs),
            (ProviderSector, sectors),
        ):
            _rows(conn, model, rows)
        need_rows, markets, nlangs, nservices, ncerts, ncountries, prios = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        for x in needs:
            need_rows.append(
                {
                    "id": x.id,
                    "organisation_id": client_id,
                    "title": f"Need {x.id}",
                    "description": "",
                    "sector": x.sector,
                    "seats": x.seats or 10,
                    "start_date": today + timedelta(days=rng.randint(15, 180)),
                    "hours": x.hours,
                    "budget_max": x.budget_max,
                    "gdpr": x.gdpr,
                    "outbound_fr_consumers": x.outbound_fr_consumers,
                    "min_capacity_share": x.min_capacity_share,
                    "status": "open",
                    "anonymous": False,
                    "version": 1,
                    "published_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            markets += [{"need_id": x.id, "country": c} for c in sorted(x.target_markets)]
            nlangs += [
                {"need_id": x.id, "language": c, "min_level": level_code(r), "position": i}
                for i, (c, r) in enumerate(sorted(x.languages.items()))
            ]
            nservices += [{"need_id": x.id, "service": c} for c in sorted(x.services)]
            ncerts += [
                {"need_id": x.id, "certification": c} for c in sorted(x.required_certifications)
            ]
            ncountries += [
                {"need_id": x.id, "country": c, "preference": "preferred"}
                for c in sorted(x.preferred_countries - x.excluded_countries)
            ]
            ncountries += [
                {"need_id": x.id, "country": c, "preference": "excluded"}
                for c in sorted(x.excluded_countries)
            ]
            prios += [{"need_id": x.id, "criterion": c} for c in sorted(x.priorities)]
        for model, rows in (
            (Need, need_rows),
            (NeedMarket, markets),
            (NeedLanguage, nlangs),
            (NeedService, nservices),
            (NeedCertification, ncerts),
            (NeedCountry, ncountries),
            (NeedPriority, prios),
        ):
            _rows(conn, model, rows)
        for table in ("organisations", "provider_profiles", "needs"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
        conn.execute(text("ANALYZE"))
    seconds = time.perf_counter() - started
    from sqlalchemy.orm import Session

    from app.accounts import service as accounts

    with Session(engine) as session:
        member = accounts.create_user(
            db_session=session,
            email="bench@client.example",
            password="bench-password-123",
            organisation_id=client_id,
            role=MembershipRole.admin,
            password_hash="x",
        )
        admin = accounts.create_user(
            db_session=session,
            email="bench-admin@example.org",
            password="bench-password-123",
            organisation_id=None,
            is_platform_admin=True,
            password_hash="x",
        )
        _, token = accounts.create_api_token(db_session=session, user=member, name="bench")
        _, admin_token = accounts.create_api_token(db_session=session, user=admin, name="bench")
        session.commit()
    engine.dispose()
    return {
        "need_ids": [x.id for x in needs],
        "token": token,
        "admin_token": admin_token,
        "seed_seconds": round(seconds, 2),
        "sites": len(sites),
        "provider_ids": [p.id for p in providers],
    }


# --- the server --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "EUROFFSHORE_DATABASE_URL": url, "EUROFFSHORE_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the server did not start")


def _timed(client: httpx.Client, url: str, **kwargs) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = client.get(url, **kwargs)
    return (time.perf_counter() - started) * 1000, response


def measure(port: int, seeded: dict, n_requests: int) -> dict:
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {seeded['token']}"}
    need_ids = seeded["need_ids"]
    out: dict = {}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        first_ms, first = _timed(client, f"/api/v1/needs/{need_ids[0]}/matches?limit=10")
        assert first.status_code == 200, first.text
        out["first_request_ms"] = round(first_ms, 1)
        for need_id in need_ids[:20]:  # warm-up (HTTP connection, Babel, catalogues)
            client.get(f"/api/v1/needs/{need_id}/matches?limit=10")
            client.get(f"/api/v1/needs/{need_id}")
            client.get("/healthz")
        matches, health, need, totals, sizes = [], [], [], [], []
        for i in range(n_requests):
            need_id = need_ids[i % len(need_ids)]
            ms, response = _timed(client, f"/api/v1/needs/{need_id}/matches?limit=10")
            assert response.status_code == 200, response.text
            body = response.json()
            totals.append(body["total"])
            sizes.append(len(response.content))
            matches.append(ms)
            health.append(_timed(client, "/healthz")[0])
            need.append(_timed(client, f"/api/v1/needs/{need_id}")[0])
        out["matches"] = _summary(matches)
        out["matches_minus_need_read"] = _summary(
            [a - b for a, b in zip(matches, need, strict=True)], signed=True
        )
        out["healthz"] = _summary(health)
        out["need_read"] = _summary(need)
        out["mean_candidates"] = round(statistics.mean(totals), 1)
        out["mean_response_bytes"] = round(statistics.mean(sizes))
        # a change through the API, then the next matches request refreshes the index
        admin = {"Authorization": f"Bearer {seeded['admin_token']}"}
        pid = seeded["provider_ids"][len(seeded["provider_ids"]) // 2]
        patched = client.patch(
            f"/api/v1/providers/{pid}", headers=admin, json={"min_contract_seats": 7}
        )
        assert patched.status_code == 200, patched.text
        refresh_ms, refreshed = _timed(client, f"/api/v1/needs/{need_ids[1]}/matches?limit=10")
        assert refreshed.status_code == 200
        out["after_change_ms"] = round(refresh_ms, 1)
        again_ms, _ = _timed(client, f"/api/v1/needs/{need_ids[1]}/matches?limit=10")
        out["after_change_next_ms"] = round(again_ms, 1)
    return out


def measure_in_process(url: str, need_ids: list[int]) -> dict:
    """The same work without HTTP, in this process: the engine's top 10 and the whole
    service call (need row, engine, explanations, the page's call centres), wall-clock
    and CPU time (CPU time is what the work costs when the machine is not shared)."""
    from sqlalchemy.orm import Session

    from app.recommendations import service
    from app.recommendations.cache import NeedIndexStore, ProviderIndexStore

    engine = make_engine(url)
    providers, needs = ProviderIndexStore(), NeedIndexStore()
    out: dict = {}
    with Session(engine) as session:
        started, cpu = time.perf_counter(), time.process_time()
        index = providers.get(session)
        out["index_build_s"] = round(time.perf_counter() - started, 2)
        out["index_build_cpu_s"] = round(time.process_time() - cpu, 2)
        need_index = needs.get(session)
        engine_ms, engine_cpu, service_ms, service_cpu = [], [], [], []
        for need_id in need_ids:
            features = need_index.get(need_id)
            started, cpu = time.perf_counter(), time.process_time()
            index.score(features, limit=10)
            engine_ms.append((time.perf_counter() - started) * 1000)
            engine_cpu.append((time.process_time() - cpu) * 1000)
            started, cpu = time.perf_counter(), time.process_time()
            need, features = service.need_for_matching(
                db_session=session, need_index=need_index, need_id=need_id
            )
            service.need_matches(
                db_session=session, index=index, need=need, features=features, limit=10, locale="fr"
            )
            service_ms.append((time.perf_counter() - started) * 1000)
            service_cpu.append((time.process_time() - cpu) * 1000)
    engine.dispose()
    out["engine"] = _summary(engine_ms)
    out["engine_cpu"] = _summary(engine_cpu)
    out["service"] = _summary(service_ms)
    out["service_cpu"] = _summary(service_cpu)
    return out


# --- report ------------------------------------------------------------------------------


def report(args, seeded: dict, results: dict) -> tuple[str, dict]:
    stamp = datetime.now(UTC)
    m, h, n = results["matches"], results["healthz"], results["need_read"]
    d = results["matches_minus_need_read"]
    e, ec = results["in_process"]["engine"], results["in_process"]["engine_cpu"]
    sv, sc = results["in_process"]["service"], results["in_process"]["service_cpu"]
    met = m["p95_ms"] < TARGET_P95_MS
    import numpy

    lines = [
        f"# Recommendations benchmark (HTTP API on PostgreSQL) — {stamp:%Y-%m-%d %H:%M} UTC",
        "",
        f"Python {platform.python_version()}, NumPy {numpy.__version__}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; PostgreSQL on the "
        "same machine; uvicorn, one worker; httpx client with keep-alive, one request at a "
        "time. Seeded synthetic data (app.matching.synthetic: providers seed 1, needs seed 2), "
        f"bulk-inserted: {args.providers:,} published call centres ({seeded['sites']:,} sites), "
        f"{args.needs:,} open needs; on average {results['mean_candidates']:,} call centres "
        "pass a need's hard filters.",
        "",
        "| request | median | p95 | p99 | max | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| `GET /api/v1/needs/{{id}}/matches?limit=10` ({m['n']} requests over "
        f"{min(args.needs, m['n'])} needs) | {m['median_ms']} ms | {m['p95_ms']} ms | "
        f"{m['p99_ms']} ms | {m['max_ms']} ms | p95 < {TARGET_P95_MS:.0f} ms | "
        f"{'yes' if met else 'no'} |",
        f"| baseline `GET /api/v1/needs/{{id}}` | {n['median_ms']} ms | {n['p95_ms']} ms | "
        f"{n['p99_ms']} ms | {n['max_ms']} ms | | |",
        f"| baseline `GET /healthz` | {h['median_ms']} ms | {h['p95_ms']} ms | {h['p99_ms']} ms "
        f"| {h['max_ms']} ms | | |",
        f"| matches minus the need read, request by request | {d['median_ms']} ms | "
        f"{d['p95_ms']} ms | {d['p99_ms']} ms | {d['max_ms']} ms | | |",
        "",
        "The same work in-process (no HTTP), over the same needs:",
        "",
        "| work | median (wall) | p95 (wall) | median (CPU) | p95 (CPU) | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| engine: top 10 among {args.providers:,} (`ProviderIndex.score`) | "
        f"{e['median_ms']} ms | {e['p95_ms']} ms | {ec['median_ms']} ms | {ec['p95_ms']} ms | "
        f"< 20 ms | {'yes' if e['median_ms'] < 20 else 'no'} |",
        f"| service: need, engine, French sentences, call centres (`need_matches`) | "
        f"{sv['median_ms']} ms | {sv['p95_ms']} ms | {sc['median_ms']} ms | "
        f"{sc['p95_ms']} ms | | |",
        "",
        f"- Machine load average while measuring: {results['load_before']} at the start, "
        f"{results['load_after']} at the end ({os.cpu_count()} CPUs shared with other work); "
        "the baselines show what the machine itself adds.",
        f"- First matches request of the process (loads {args.providers:,} profiles in seven "
        f"queries and builds the provider index): {results['first_request_ms']} ms; "
        f"in-process: {results['in_process']['index_build_s']} s wall, "
        f"{results['in_process']['index_build_cpu_s']} s CPU.",
        f"- After one profile changed through the API (`PATCH /api/v1/providers/{{id}}`), the "
        f"next matches request noticed it and refreshed the index: "
        f"{results['after_change_ms']} ms; the request after that: "
        f"{results['after_change_next_ms']} ms.",
        f"- Mean response size: {results['mean_response_bytes']:,} bytes (10 matches with "
        "their parts and sentences).",
        f"- Seeding took {seeded['seed_seconds']} s (bulk inserts).",
        "",
        "Run: `make bench-recommendations` (or `.venv/bin/python bench/recommendations/run.py`).",
    ]
    data = {
        "date": stamp.isoformat(),
        "providers": args.providers,
        "needs": args.needs,
        "requests": args.requests,
        "target_p95_ms": TARGET_P95_MS,
        "met": met,
        "seed_seconds": seeded["seed_seconds"],
        **results,
    }
    return "\n".join(lines) + "\n", data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=10_000)
    parser.add_argument("--needs", type=int, default=300)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument(
        "--admin-url", default=os.environ.get("EUROFFSHORE_BENCH_ADMIN_URL", DEFAULT_ADMIN_URL)
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    print(f"creating {DB_NAME} and seeding {args.providers} providers, {args.needs} needs...")
    url = recreate_database(args.admin_url)
    seeded = seed(url, args.providers, args.needs)
    port = _free_port()
    load_before = round(os.getloadavg()[0], 1)
    server = start_server(url, port)
    try:
        results = measure(port, seeded, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    results["in_process"] = measure_in_process(url, seeded["need_ids"])
    results["load_before"], results["load_after"] = load_before, round(os.getloadavg()[0], 1)
    text_report, data = report(args, seeded, results)
    print(text_report)
    if not args.no_write:
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        day = date.today().isoformat()
        (out / f"recommendations-{day}.md").write_text(text_report)
        (out / f"recommendations-{day}.json").write_text(json.dumps(data, indent=2) + "\n")
        print(f"written bench/results/recommendations-{day}.md and .json")
    return 0 if data["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
