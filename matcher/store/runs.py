"""Runs: storing a solved plan in one transaction, reading it back typed, publishing it as offers, listing runs."""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..errors import BuddyingError
from ..result import Partnership, Plan
from .audit import record
from .engine import rows_changed
from .tables import Job, Offer, Run, utcnow


def save_run(session: Session, job: Job, plan: Plan, seconds: float, previous_run_id: int | None) -> Run:
    """Store the plan of a finished job and mark the job done, in the caller's transaction."""
    run = Run(job_id=job.id, scenario_id=job.scenario_id, purpose=job.purpose, previous_run_id=previous_run_id,
              seconds=round(seconds, 3), plan=plan.to_dict(), created_by=job.requested_by)
    session.add(run)
    job.status, job.finished_at, job.progress = "succeeded", utcnow(), "Finished"
    session.flush()
    record(session, job.requested_by, "run.save", f"run {run.id}", job=job.id, status=plan.status,
           pairs=len(plan.pairs), uncovered=len(plan.uncovered))
    return run


@dataclass(frozen=True)
class Publication:
    """What publishing a run did to the offers (all zero when it was already published)."""

    new: int
    kept: int
    withdrawn: int
    already_published: bool = False

    def sentence(self, run_id: int) -> str:
        """What happened, as the regulator is told it."""
        if self.already_published:
            return f"Run {run_id} was already published; nothing changed."
        return (f"Run {run_id} is published: {self.new} new offers, {self.kept} kept from before, "
                f"{self.withdrawn} withdrawn.")


Key = tuple[str, str, str]  # (supporter, recipient, kind)


@dataclass(frozen=True)
class PublicationPreview:
    """What publishing a run would do: the offers sent, kept and withdrawn, and what stops it.

    Attributes:
        new: offers sent for the first time (or again, after a withdrawal), as (supporter, recipient, kind).
        kept: offers carried over with their answers so far.
        withdrawn: offers waiting for an answer that the run no longer proposes.
        declined: declined pairs the run proposes again (publishing is refused).
        dropped: accepted pairs the run leaves out (publishing is refused).
    """

    new: tuple[Key, ...]
    kept: tuple[Key, ...]
    withdrawn: tuple[Key, ...]
    declined: tuple[Key, ...] = ()
    dropped: tuple[Key, ...] = ()

    @property
    def trusts(self) -> tuple[str, ...]:
        """Every trust that is sent a new offer, by code."""
        return tuple(sorted({code for s, r, _ in self.new for code in (s, r)}))

    def refusal(self, run_id: int) -> str | None:
        """Why the run may not be published (None: it may)."""
        if not (self.declined or self.dropped):
            return None
        return (f"Run {run_id} was made before the latest decisions"
                + (f"; it proposes declined pairs ({', '.join(f'{s} to {r}' for s, r, _ in self.declined)})"
                   if self.declined else "")
                + (f"; it leaves out accepted pairs ({', '.join(f'{s} to {r}' for s, r, _ in self.dropped)})"
                   if self.dropped else "")
                + ". Re-match to make a run that respects them.")


def preview_publication(statuses: dict[Key, str], proposed: set[Key]) -> PublicationPreview:
    """What publishing ``proposed`` pairs would do to offers now in these ``statuses``."""
    return PublicationPreview(
        new=tuple(k for k in sorted(proposed) if statuses.get(k, "withdrawn") == "withdrawn"),
        kept=tuple(k for k in sorted(proposed) if statuses.get(k, "withdrawn") != "withdrawn"),
        withdrawn=tuple(sorted(k for k, status in statuses.items() if status == "pending" and k not in proposed)),
        declined=tuple(sorted(k for k, status in statuses.items() if status == "declined" and k in proposed)),
        dropped=tuple(sorted(k for k, status in statuses.items() if status == "accepted" and k not in proposed)))


def preview(session: Session, run: Run) -> PublicationPreview:
    """What publishing ``run`` now would do (read only; ``publish`` re-checks under a lock)."""
    statuses = {(o.supporter, o.recipient, o.kind): o.status for o in session.scalars(select(Offer))}
    return preview_publication(statuses, {(p.supporter, p.recipient, p.kind) for p in plan_of(session, run).pairs})


def publish(session: Session, run_id: int, user_id: int | None) -> Publication:
    """Put a run's partnerships to the trusts as offers; publishing twice changes nothing.

    Offers for the same pair carry over with their decisions; pending offers the run no longer
    proposes are withdrawn.

    Raises:
        BuddyingError: the run is a what-if, proposes a pair that was declined, or drops an
            accepted pair (both mean it was run before the latest decisions: re-match first).
    """
    run = session.get(Run, run_id, with_for_update=True)  # two publishers queue here on PostgreSQL ...
    if run is None:
        raise LookupError(run_id)
    if run.purpose != "proposal":
        raise BuddyingError("A what-if run cannot be published; run the scenario as a proposal instead")
    now = utcnow()
    # ... and here on SQLite, where this first write waits for the write lock (the offers below are
    # then read after any other publisher's commit). A refusal below rolls the claim back.
    claimed = session.execute(update(Run).where(Run.id == run.id, Run.published_at.is_(None)).values(
        published_at=now, published_by=user_id))
    if rows_changed(claimed) != 1:
        return Publication(0, 0, 0, already_published=True)
    offers = {(o.supporter, o.recipient, o.kind): o for o in session.scalars(select(Offer).with_for_update())}
    proposed = {(p.supporter, p.recipient, p.kind) for p in plan_of(session, run).pairs}
    what = preview_publication({key: o.status for key, o in offers.items()}, proposed)
    refusal = what.refusal(run.id)
    if refusal:
        raise BuddyingError(refusal)
    for key in what.new:
        offer = offers.get(key)
        if offer is None:
            session.add(Offer(supporter=key[0], recipient=key[1], kind=key[2], run_id=run.id, created_at=now,
                              updated_at=now))
        else:  # withdrawn before, offered again
            offer.status, offer.run_id, offer.updated_at = "pending", run.id, now
    for key in what.kept:
        offers[key].run_id, offers[key].updated_at = run.id, now
    for key in what.withdrawn:
        offers[key].status, offers[key].updated_at = "withdrawn", now
    run.published_at, run.published_by = now, user_id
    session.flush()
    new, kept, withdrawn = len(what.new), len(what.kept), len(what.withdrawn)
    record(session, user_id, "run.publish", f"run {run.id}", new=new, kept=kept, withdrawn=withdrawn)
    return Publication(new, kept, withdrawn)


def current_published(session: Session) -> Run | None:
    """The most recently published run."""
    return session.scalar(select(Run).where(Run.published_at.is_not(None)).order_by(Run.published_at.desc(),
                                                                                     Run.id.desc()).limit(1))


def recent_runs(session: Session, purpose: str | None = None, limit: int = 50) -> list[Run]:
    """The newest runs first, optionally of one purpose."""
    query = select(Run).order_by(Run.id.desc()).limit(limit)
    if purpose:
        query = query.where(Run.purpose == purpose)
    return list(session.scalars(query))


#: Typed plans already read, by (database, run id): a stored plan never changes, so it is parsed once.
_PLANS: OrderedDict[tuple[str, int], Plan] = OrderedDict()
_PLANS_KEPT = 256


def plan_of(session: Session, run: Run) -> Plan:
    """The run's plan as the typed value (read and parsed once per process; plans never change)."""
    key = (str(session.get_bind().engine.url), run.id)  # (.engine: a session may be bound to a connection)
    plan = _PLANS.get(key)
    if plan is None:
        plan = Plan.from_dict(run.plan)
        _PLANS[key] = plan
        while len(_PLANS) > _PLANS_KEPT:
            _PLANS.popitem(last=False)
    else:
        _PLANS.move_to_end(key)
    return plan


def partnership_of(session: Session, offer: Offer) -> Partnership | None:
    """An offer's partnership in the run that last published it (its numbers and explanation)."""
    run = session.get(Run, offer.run_id)
    if run is None:
        return None
    found = plan_of(session, run).pair_for(offer.recipient)
    return found if found is not None and (found.supporter, found.kind) == (offer.supporter, offer.kind) else None
