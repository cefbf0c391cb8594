"""Benchmark: does a burst of logins slow the rest of the site? (issue 22, row 1)

    .venv/bin/python bench/security/run.py               # 5 runs, SQLite
    .venv/bin/python bench/security/run.py --runs 1      # one run
    .venv/bin/python bench/security/run.py --database-url postgresql+psycopg://...

Serves the app with ``euroffshore serve`` (one worker, production argon2 cost: the
library's defaults, ~0.3 s and 64 MiB a hash) on a fresh database of its own, creates 20
users, then in each run measures ``/healthz`` one request after another:

  - idle: 200 requests, nothing else running;
  - during a burst: 20 logins sent at once (threads, one HTTP client each), /healthz
    polled until every login has answered; three bursts per run.

Target: /healthz p95 during the bursts within 3x its idle p95, measured in the same run.
Prints the figures of each run and their medians; writes bench/results/security-<date>.md
and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app.accounts import service  # noqa: E402
from app.accounts.csrf import CSRF_COOKIE, CSRF_FIELD, token_for_secret  # noqa: E402
from app.accounts.models import MembershipRole  # noqa: E402
from app.accounts.security import hash_password  # noqa: E402
from app.core import migrations  # noqa: E402
from app.core.db import make_engine  # noqa: E402
from app.organisations import service as organisations  # noqa: E402
from app.organisations.schemas import OrganisationCreate  # noqa: E402

LOGINS = 20
IDLE_REQUESTS = 200
BURSTS_PER_RUN = 3
TARGET_RATIO = 3.0
PASSWORD = "Benchmark passphrase 2026"
CSRF_SECRET = "bench-csrf-secret-0123456789abcdef"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(url: str) -> list[str]:
    """Migrate and create the users (one production-cost hash, shared: same cost to check)."""
    migrations.upgrade(url)
    engine = make_engine(url)
    password_hash = hash_password(PASSWORD)
    emails = []
    with Session(engine) as session:
        for n in range(LOGINS):
            org = organisations.create(
                db_session=session,
                data=OrganisationCreate(kind="client", legal_name=f"Bench {n}", country="FR"),
            )
            user = service.create_user(
                db_session=session,
                email=f"bench{n}@example.org",
                password=PASSWORD,
                organisation_id=org.id,
                role=MembershipRole.admin,
                password_hash=password_hash,
            )
            emails.append(user.email)
        session.commit()
    engine.dispose()
    return emails


def login(base_url: str, email: str) -> tuple[int, float]:
    with httpx.Client(base_url=base_url, timeout=120) as client:
        client.cookies.set(CSRF_COOKIE, CSRF_SECRET)
        start = time.perf_counter()
        response = client.post(
            "/login",
            data={"email": email, "password": PASSWORD, CSRF_FIELD: token_for_secret(CSRF_SECRET)},
        )
        return response.status_code, time.perf_counter() - start


def idle_latencies(base_url: str) -> list[float]:
    latencies = []
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for _ in range(IDLE_REQUESTS):
            start = time.perf_counter()
            client.get("/healthz").raise_for_status()
            latencies.append(time.perf_counter() - start)
    return latencies


def burst_latencies(base_url: str, emails: list[str]) -> tuple[list[float], list[float], float]:
    """/healthz latencies while the logins run; the logins' own latencies; burst wall time."""
    latencies: list[float] = []
    done = threading.Event()

    def probe() -> None:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            while not done.is_set():
                start = time.perf_counter()
                client.get("/healthz").raise_for_status()
                latencies.append(time.perf_counter() - start)

    prober = threading.Thread(target=probe)
    start = time.perf_counter()
    with ThreadPoolExecutor(len(emails)) as pool:
        futures = [pool.submit(login, base_url, email) for email in emails]
        prober.start()
        results = [f.result() for f in futures]
    wall = time.perf_counter() - start
    done.set()
    prober.join()
    bad = [status for status, _ in results if status != 303]
    if bad:
        raise RuntimeError(f"logins failed: {bad}")
    return latencies, [seconds for _, seconds in results], wall


def one_run(base_url: str, emails: list[str]) -> dict[str, Any]:
    idle = idle_latencies(base_url)
    during: list[float] = []
    login_times: list[float] = []
    walls = []
    for _ in range(BURSTS_PER_RUN):
        latencies, logins, wall = burst_latencies(base_url, emails)
        during += latencies
        login_times += logins
        walls.append(wall)
    idle_p95, burst_p95 = p95(idle), p95(during)
    return {
        "idle_p95_ms": round(idle_p95 * 1000, 2),
        "idle_median_ms": round(statistics.median(idle) * 1000, 2),
        "burst_p95_ms": round(burst_p95 * 1000, 2),
        "burst_median_ms": round(statistics.median(during) * 1000, 2),
        "burst_max_ms": round(max(during) * 1000, 2),
        "healthz_during_bursts": len(during),
        "ratio": round(burst_p95 / idle_p95, 2),
        "login_median_s": round(statistics.median(login_times), 3),
        "login_max_s": round(max(login_times), 3),
        "burst_wall_s": round(statistics.median(walls), 3),
    }


def own_database(url: str | None, tmp: Path) -> tuple[str, Any]:
    if url is None:
        return f"sqlite:///{tmp / 'bench-security.db'}", lambda: None
    schema = f"bench_security_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}", drop


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "EUROFFSHORE_DATABASE_URL": url,
        "EUROFFSHORE_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the app did not start")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--database-url", help="PostgreSQL URL (a schema is created and dropped)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()

    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = own_database(args.database_url, Path(tmp))
        try:
            emails = prepare(url)
            port = free_port()
            process = serve(url, port)
            base_url = f"http://127.0.0.1:{port}"
            try:
                for _ in range(3):  # warm up: imports, connections
                    login(base_url, emails[0])
                    idle_latencies(base_url)
                runs = []
                for n in range(args.runs):
                    run = one_run(base_url, emails)
                    runs.append(run)
                    print(f"run {n + 1}: " + ", ".join(f"{k} {v}" for k, v in run.items()))
            finally:
                process.terminate()
                process.wait(10)
        finally:
            drop()

    medians = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    met = medians["ratio"] <= TARGET_RATIO
    result = {
        "date": datetime.now(UTC).isoformat(timespec="minutes"),
        "database": "postgresql" if args.database_url else "sqlite",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in load],
        "logins_per_burst": LOGINS,
        "bursts_per_run": BURSTS_PER_RUN,
        "idle_requests": IDLE_REQUESTS,
        "runs": runs,
        "medians": medians,
        "target_ratio": TARGET_RATIO,
        "met": met,
    }
    lines = [
        f"# Security benchmark: /healthz during login bursts — {result['date']}",
        "",
        f"Python {result['python']}, {result['cpus']} CPUs, database {result['database']}, "
        f"load average at the start {result['load_average_at_start']}. "
        f"`euroffshore serve` (1 worker), production argon2 cost; {LOGINS} logins at once, "
        f"{BURSTS_PER_RUN} bursts per run; idle: {IDLE_REQUESTS} requests.",
        "",
        "| run | idle p95 ms | burst p95 ms | ratio | burst median ms | burst max ms "
        "| login median s | login max s | burst wall s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n, r in enumerate([*runs, medians], start=1):
        label = str(n) if n <= len(runs) else "**median**"
        lines.append(
            f"| {label} | {r['idle_p95_ms']} | {r['burst_p95_ms']} | {r['ratio']} | "
            f"{r['burst_median_ms']} | {r['burst_max_ms']} | {r['login_median_s']} | "
            f"{r['login_max_s']} | {r['burst_wall_s']} |"
        )
    lines += [
        "",
        f"Target: burst p95 within {TARGET_RATIO}x idle p95 — "
        f"{'met' if met else 'NOT met'} (median ratio {medians['ratio']}).",
    ]
    text_out = "\n".join(lines) + "\n"
    print(text_out)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"security-{datetime.now(UTC):%Y-%m-%d}"
    if args.database_url:
        stem = stem.with_name(stem.name + "-postgresql")
    stem.with_suffix(".md").write_text(text_out, encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
