"""Migrations: an empty database is brought to the newest schema, again and again, and can go back down."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select

from matcher.store.accounts import add_user
from matcher.store.audit import record
from matcher.store.engine import (
    MIGRATIONS,
    database_url,
    make_engine,
    migrate,
    open_database,
    read_snapshot,
)
from matcher.store.tables import AuditEntry, Base, User

TABLES = {"users", "scenarios", "jobs", "runs", "offers", "decisions", "pair_rules",
          "declarations", "audit_log"}


def alembic_config(connection) -> Config:
    """The alembic configuration ``engine.migrate`` uses, on one connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_of(engine: Engine) -> dict[str, list[tuple[str, str]]]:
    """Every table's columns and types, to compare a schema before and after."""
    inspector = inspect(engine)
    return {table: [(c["name"], str(c["type"])) for c in inspector.get_columns(table)]
            for table in sorted(inspector.get_table_names())}


def test_a_fresh_database_migrates_to_head(database_url):
    engine, _ = open_database(database_url)
    try:
        assert current_revision(engine) == head_revision()
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_the_migrations_build_exactly_the_tables_the_code_declares(database_url):
    engine, _ = open_database(database_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_migrating_again_changes_nothing_and_keeps_the_data(database_url):
    engine, sessions = open_database(database_url)
    try:
        with sessions.begin() as session:
            add_user(session, "alice@nhs.net", "admin", "correct horse battery")
        before = schema_of(engine)
        migrate(engine)
        open_database(database_url)[0].dispose()
        assert schema_of(engine) == before
        assert current_revision(engine) == head_revision()
        with sessions() as session:
            assert session.scalars(select(User.email)).all() == ["alice@nhs.net"]
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(database_url):
    engine, sessions = open_database(database_url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        assert current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) & TABLES == set()

        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        assert current_revision(engine) == head_revision()
        assert set(inspect(engine).get_table_names()) >= TABLES
        with sessions.begin() as session:  # the schema works again, triggers included
            add_user(session, "bob@nhs.net", "regulator", "correct horse battery")
    finally:
        engine.dispose()


def test_database_url_reads_the_environment_and_uses_psycopg_for_postgresql():
    assert database_url({}).startswith("sqlite:///") and database_url({}).endswith("instance/buddying.sqlite3")
    assert database_url({"DATABASE_URL": "sqlite:////tmp/x.db"}) == "sqlite:////tmp/x.db"
    assert database_url({"DATABASE_URL": "postgres://u@h/db"}) == "postgresql+psycopg://u@h/db"
    assert database_url({"DATABASE_URL": "postgresql://u@h/db"}) == "postgresql+psycopg://u@h/db"
    assert database_url({"DATABASE_URL": "postgresql+psycopg://u@h/db"}) == "postgresql+psycopg://u@h/db"


def test_sqlite_connections_enforce_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'db.sqlite3'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_a_snapshot_read_does_not_see_changes_committed_after_it_began(db):
    with db() as reader:
        read_snapshot(reader)
        before = reader.scalar(select(func.count()).select_from(AuditEntry))
        with db.begin() as writer:
            record(writer, None, "meanwhile")
        assert reader.scalar(select(func.count()).select_from(AuditEntry)) == before
    with db() as fresh:
        assert fresh.scalar(select(func.count()).select_from(AuditEntry)) == before + 1


def test_without_a_snapshot_each_read_sees_the_latest_commit(db):
    """The control for the test above: it would fail if snapshots were the default anyway."""
    with db() as reader:
        before = reader.scalar(select(func.count()).select_from(AuditEntry))
        with db.begin() as writer:
            record(writer, None, "meanwhile")
        # PostgreSQL's READ COMMITTED takes a new snapshot per statement; pysqlite runs plain
        # SELECTs outside a transaction: either way the second read sees the commit.
        assert reader.scalar(select(func.count()).select_from(AuditEntry)) == before + 1
