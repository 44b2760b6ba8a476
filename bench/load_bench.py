"""Load benchmark: the service under gunicorn, driven over loopback by wrk.

    python -m bench.load_bench [--seconds 30] [--clients 20] [--workers N]

It makes a fresh SQLite database with the demo accounts, runs and publishes a proposal on the
shipped data, starts ``python -m web serve`` (gunicorn), signs in a regulator and a trust
executive, then drives the proposal page, the trust's offers page and the JSON plan endpoint,
each with ``--clients`` connections for ``--seconds`` seconds, and prints p50/p95/p99 latency,
throughput and errors (socket errors and non-2xx answers). Target: p95 <= 50 ms, no errors.
Needs wrk (Debian: apt-get install wrk).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "local-demo-only"
LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %.1f %.3f %.3f %.3f %d\\n", summary.requests,
           summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
           latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(database_url: str) -> int:
    """Demo accounts, one published proposal; returns the run id."""
    os.environ["DATABASE_URL"] = database_url
    from matcher import execute
    from matcher.pipeline import CurrentData
    from matcher.store import jobs, runs
    from matcher.store.engine import open_database
    from matcher.store.scenarios import ensure_default
    subprocess.run([sys.executable, "-m", "web", "demo-users"], check=True, cwd=ROOT, capture_output=True)
    engine, sessions = open_database(database_url)
    with sessions.begin() as session:
        scenario = ensure_default(session, (ROOT / "config.yaml").read_text())
        jobs.enqueue(session, scenario.id, "proposal", None)
    job_id = jobs.claim_next(sessions, "load-bench")
    data = CurrentData(None, None, date(2026, 11, 23))
    run_id = execute.execute(sessions, job_id, data.current.dataset, data.current.as_of)
    with sessions.begin() as session:
        runs.publish(session, run_id, None)
    engine.dispose()
    return run_id


def session_cookie(base: str, email: str) -> str:
    with requests.Session() as browser:
        page = browser.get(f"{base}/sign-in", timeout=30).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        answer = browser.post(f"{base}/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token},
                              allow_redirects=False, timeout=30)
        assert answer.status_code == 302, f"could not sign in as {email}"
        # Signing in starts a new session without a CSRF token; the first page adds one and sends
        # the cookie again. A browser keeps that cookie, and wrk (which ignores Set-Cookie) must too.
        browser.get(f"{base}{answer.headers['Location']}", timeout=30)
        return f"buddying_session={browser.cookies['buddying_session']}"


def wrk(url: str, cookie: str, clients: int, seconds: int, script: Path) -> dict[str, float]:
    out = subprocess.run(["wrk", "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{seconds}s",
                          "--timeout", "10s", "-H", f"Cookie: {cookie}", "-s", str(script), url],
                         check=True, capture_output=True, text=True).stdout
    requests_, rps, p50, p95, p99, errors = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)", out).groups()
    return {"requests": int(requests_), "rps": float(rps), "p50": float(p50), "p95": float(p95), "p99": float(p99),
            "errors": int(errors)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: 1 per core + 1)")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        database_url = f"sqlite:///{Path(scratch) / 'load.sqlite3'}"
        run_id = prepare(database_url)
        script = Path(scratch) / "report.lua"
        script.write_text(LUA)
        port = free_port()
        env = os.environ | {"DATABASE_URL": database_url, "BUDDYING_AS_OF": "2026-11-23", "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "web", "serve", "--port", str(port), "--no-worker"]
        if args.workers:
            command += ["--workers", str(args.workers)]
        server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    requests.get(f"{base}/sign-in", timeout=2)
                    break
                except requests.ConnectionError:
                    time.sleep(0.5)
            regulator = session_cookie(base, "regulator@example.nhs.uk")
            executive = session_cookie(base, "ceo.rxl@example.nhs.uk")
            targets = [("proposal page", f"{base}/runs/{run_id}", regulator),
                       ("offers page", f"{base}/my-trust/", executive),
                       ("JSON plan", f"{base}/api/runs/{run_id}/plan", regulator)]
            rows = [(name, wrk(url, cookie, args.clients, args.seconds, script)) for name, url, cookie in targets]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(f"\n{args.clients} clients for {args.seconds} s each, over loopback (gunicorn, {os.cpu_count()} cores)\n")
    print(f"{'endpoint':16} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in rows:
        print(f"{name:16} {r['requests']:9d} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} "
              f"{r['errors']:7d}")
    met = all(r["p95"] <= 50 and r["errors"] == 0 for _, r in rows)
    print(f"\ntarget p95 <= 50 ms with no errors: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
