"""Fixtures for tests that run jobs: the default scenario, a real job on the shipped data, offers made by hand.

Loaded for every test (``pytest_plugins`` in ``tests/conftest.py``). Each test gets its own empty
database from the ``db`` fixture and runs its jobs through the real worker path
(``matcher.execute``); only the solve itself is remembered between tests that give it exactly
the same instance (the solver is deterministic: one worker, fixed seed), which keeps the suite fast.
"""
from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import matcher.backups
import matcher.planning
from matcher import execute
from matcher.result import Plan
from matcher.settings import DEFAULT_CONFIG_PATH, settings_to_yaml
from matcher.solve import propose
from matcher.store.jobs import claim_next, enqueue
from matcher.store.offers import DecisionRequest, decide
from matcher.store.runs import plan_of, publish
from matcher.store.scenarios import ensure_default, save_scenario
from matcher.store.tables import Job, Offer, Run

CONFIG_YAML = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")


def count(session: Session, table) -> int:
    """How many rows a table holds."""
    return session.scalar(select(func.count()).select_from(table))


@pytest.fixture
def scenario_id(db: sessionmaker[Session]) -> int:
    """The default scenario (``config.yaml``), as the web app creates it on an empty database."""
    with db.begin() as session:
        return ensure_default(session, CONFIG_YAML).id


_PLANS: dict = {}


def remembered_propose(instance, **kwargs):
    """``propose``, remembering each plan by everything that decides it."""
    key = (settings_to_yaml(instance.settings), instance.locked, instance.exclusions, instance.pending,
           tuple(instance.supporters.itertuples(index=False)), tuple(sorted(kwargs.items())))
    if key not in _PLANS:
        _PLANS[key] = propose(instance, **kwargs)
    return _PLANS[key]


@pytest.fixture
def run_job(db, shipped_dataset, as_of, scenario_id, monkeypatch) -> Callable[..., tuple[int, int | None]]:
    """Queue, claim and execute a job on the shipped data, as the worker does; returns (job id, run id or None).

    A test may still replace ``matcher.planning.propose`` itself (to fail or slow a run) after asking for this.
    """
    monkeypatch.setattr(matcher.planning, "propose", remembered_propose)
    monkeypatch.setattr(matcher.backups, "propose", remembered_propose)  # the re-solves behind each backup

    def run(purpose: str = "proposal", scenario: int | None = None, user_id: int | None = None
            ) -> tuple[int, int | None]:
        with db.begin() as session:
            job_id = enqueue(session, scenario or scenario_id, purpose, user_id).id
        assert claim_next(db, "test-worker") == job_id
        return job_id, execute.execute(db, job_id, shipped_dataset, as_of)

    return run


@pytest.fixture
def published_run(db, run_job) -> int:
    """A proposal run on the shipped data, published as pending offers."""
    _, run_id = run_job()
    with db.begin() as session:
        publish(session, run_id, None)
    return run_id


def answer(db: sessionmaker[Session], offer: Offer, decision: str, side: str = "both", reason_code: str = "",
           reason_text: str = "") -> None:
    """One or both trusts of an offer answer it."""
    trusts = {"supporter": [offer.supporter], "recipient": [offer.recipient],
              "both": [offer.supporter, offer.recipient]}[side]
    for trust in trusts:
        decide(db, DecisionRequest(offer.id, trust, decision, reason_code, reason_text), None)


def offers_by_key(session: Session) -> dict[tuple[str, str, str], Offer]:
    """Every offer, by (supporter, recipient, kind)."""
    return {(o.supporter, o.recipient, o.kind): o for o in session.scalars(select(Offer).order_by(Offer.id))}


def make_offer(session: Session, supporter: str, recipient: str, kind: str = "buddy", status: str = "pending"
               ) -> Offer:
    """An offer made directly (with a placeholder run to hang it on), for tests that need no solve."""
    run = session.scalar(select(Run).order_by(Run.id).limit(1))
    if run is None:
        scenario = save_scenario(session, "Placeholder", "")
        job = Job(purpose="proposal", scenario_id=scenario.id, status="succeeded")
        run = Run(job=job, scenario_id=scenario.id, purpose="proposal", seconds=0.0, plan={})
        session.add(run)
        session.flush()
    offer = Offer(supporter=supporter, recipient=recipient, kind=kind, status=status, run_id=run.id)
    session.add(offer)
    session.flush()
    return offer


def stored_plan(db: sessionmaker[Session], run_id: int) -> Plan:
    """A stored run's plan, read back typed as every page reads it."""
    with db() as session:
        return plan_of(session, session.get(Run, run_id))
