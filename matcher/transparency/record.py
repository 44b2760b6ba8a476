"""The record's content, section by section, in the Standard's order (v3.0: a tier 1 overview, five tier 2 sections).

Every figure comes from the arguments: the settings (weights, limits, budget and the configuration
hash every run's fingerprint carries), the data manifest (each source with its date and licence) and
the classified trusts (how many, and the data's known flaws). Who owns the tool is a fact of the
deployment, not of the configuration: it is read from the environment (``BUDDYING_OWNER_*``) and the
record says plainly when it has not been set.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from datetime import date
from importlib.metadata import version

from ..coverage import data_notes
from ..domain import Role
from ..pipeline import Classified
from ..settings import config_fingerprint, settings_to_yaml
from . import wording

STANDARD = "Algorithmic Transparency Recording Standard v3.0"
NOT_SET = "not set: the operator must set {env} before publishing this record"


@dataclass(frozen=True)
class Field:
    """One field of the record: the Standard's name for it and what this tool says."""

    name: str
    value: str | list[str]


@dataclass(frozen=True)
class Section:
    """One section (tier 1 overview, or one of the tier 2 sections)."""

    tier: int
    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Owner:
    """Who is accountable for the tool where it runs (from ``BUDDYING_OWNER_*``; see ``from_environment``)."""

    organisation: str
    team: str
    senior_responsible_owner: str
    contact_email: str

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Owner:
        """The owner as the deployment declares it; each missing value says which variable sets it."""
        env = os.environ if environ is None else environ
        names = {"organisation": "BUDDYING_OWNER_ORGANISATION", "team": "BUDDYING_OWNER_TEAM",
                 "senior_responsible_owner": "BUDDYING_OWNER_SRO", "contact_email": "BUDDYING_OWNER_EMAIL"}
        return cls(**{key: env.get(var) or NOT_SET.format(env=var) for key, var in names.items()})


@dataclass(frozen=True)
class Record:
    """The whole record, with the fingerprint of what it describes."""

    title: str
    standard: str
    generated_on: str
    config_hash: str
    data_fingerprint: str
    sources: tuple[dict[str, str], ...]
    sections: tuple[Section, ...] = field(default_factory=tuple)
    configuration_yaml: str = ""
    run_id: int | None = None

    def to_dict(self) -> dict:
        """A JSON-ready form: metadata, then each section's fields by name."""
        return asdict(self)


def build_record(classified: Classified, owner: Owner, generated_on: date, run_id: int | None = None) -> Record:
    """The record of the tool as configured by ``classified.settings`` on ``classified.dataset``.

    ``run_id`` names the run the record describes, when it describes one (its configuration hash is then
    the run's own).
    """
    settings, dataset = classified.settings, classified.dataset
    roles = {r: sum(c.role is r for c in classified.classifications) for r in Role}
    sources = tuple({"dataset": s.key, "file": s.file, "source": s.source, "as_of": s.as_of, "licence": s.licence}
                    for s in dataset.sources)
    notes = data_notes(dataset, classified.trusts, classified.as_of, settings.supporter.max_rating_age_years)
    config_hash = config_fingerprint(settings)
    solver = f"OR-Tools CP-SAT {version('ortools')}"
    sections = (
        Section(1, "Tier 1: Overview", (
            Field("Name", wording.NAME),
            Field("Description", wording.description()),
            Field("Website", "The service's /transparency page, and the project README"),
            Field("Contact email", owner.contact_email),
        )),
        Section(2, "Tier 2: Owner and responsibility", (
            Field("Organisation", owner.organisation),
            Field("Team", owner.team),
            Field("Senior responsible owner", owner.senior_responsible_owner),
            Field("External supplier", "None recorded: the tool's source code, rules and configuration are in its "
                                       "repository"),
        )),
        Section(2, "Tier 2: Description and rationale", (
            Field("Detailed description", wording.model(settings, solver)),
            Field("Scope", wording.scope(len(classified.classifications), roles[Role.RECIPIENT],
                                         roles[Role.SUPPORTER])),
            Field("What the tool does not decide", wording.NOT_DECIDED),
            Field("Benefits", wording.BENEFITS),
            Field("Alternatives considered", wording.ALTERNATIVES),
        )),
        Section(2, "Tier 2: Decision-making process", (
            Field("Process integration", wording.PROCESS),
            Field("Information provided", wording.PROVIDED),
            Field("Frequency and scale of usage", wording.scale(len(classified.classifications))),
            Field("Human decisions and review", wording.HUMAN_OVERSIGHT),
            Field("Required training", wording.TRAINING),
            Field("Appeals and review", wording.APPEALS),
        )),
        Section(2, "Tier 2: Data", (
            Field("Data sources", [f"{s['dataset']}: {s['file']}, {s['source']}; as of {s['as_of']}; licence: "
                                   f"{s['licence']}" for s in sources]),
            Field("Data fingerprint", f"{dataset.fingerprint} (a hash of every file in use)"),
            Field("Configuration in force", f"configuration hash {config_hash} (the hash every run's fingerprint "
                                            f"carries; the full configuration follows the record)"),
            Field("Personal data", wording.PERSONAL_DATA),
            Field("Known limitations of the data", notes),
        )),
        Section(2, "Tier 2: Risks, mitigations and impact assessments", (
            Field("Risks and mitigations", wording.risks(settings)),
            Field("Impact assessments", wording.IMPACT_ASSESSMENTS),
        )),
    )
    return Record(title=wording.NAME, standard=STANDARD, generated_on=generated_on.isoformat(),
                  config_hash=config_hash, data_fingerprint=dataset.fingerprint, sources=sources, sections=sections,
                  configuration_yaml=settings_to_yaml(settings), run_id=run_id)
