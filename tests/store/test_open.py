"""Opening stores: URL forms, file creation, schema versions, password masking."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsprism.config import Settings
from newsprism.errors import StoreError
from newsprism.store import StoreOpenError, StoreSchemaError, open_store
from newsprism.store.codec import mask_url
from newsprism.store.migrations import load, split_sqlite
from newsprism.store.sqlite import SQLiteStore


def test_sqlite_file_created_on_first_use_in_wal_mode(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "new" / "dir" / "corpus.db"
    with open_store(path, settings) as store:
        assert store.schema_version() == load("sqlite")[-1].version
    assert path.exists()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("form", ["sqlite:///{p}", "sqlite:{p}", "{p}"])
def test_sqlite_url_forms(tmp_path: Path, settings: Settings, form: str) -> None:
    path = tmp_path / "c.db"
    with open_store(form.format(p=path), settings) as store:
        assert isinstance(store, SQLiteStore) and store.path == path


def test_unknown_scheme_and_unusable_files(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(StoreOpenError, match="unknown database URL scheme"):
        open_store("mysql://u:hunter2@h/db", settings)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreOpenError, match=r"junk\.db"):
        open_store(junk, settings)


def test_newer_schema_is_refused(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "c.db"
    open_store(path, settings).close()
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO schema_version VALUES (999, 'future', 'x')")
    with pytest.raises(StoreSchemaError, match="newer"):
        open_store(path, settings)


def test_passwords_never_appear_in_messages(settings: Settings) -> None:
    url = "postgresql://reader:s3cr%3At@127.0.0.1:9/db?password=other&sslmode=disable"
    assert "s3cr" not in mask_url(url) and "other" not in mask_url(url)
    assert mask_url(url).startswith("postgresql://reader:***@127.0.0.1:9/db")
    with pytest.raises(StoreError) as info:
        open_store(url, settings)  # nothing listens on port 9
    assert "s3cr" not in str(info.value) and "other" not in str(info.value)
    assert "reader:***@127.0.0.1" in str(info.value)


def test_migration_splitter_keeps_triggers_whole() -> None:
    statements = split_sqlite(load("sqlite")[0].sql)
    triggers = [s for s in statements if s.startswith("CREATE TRIGGER")]
    assert len(triggers) == 3 and all(s.endswith("END;") for s in triggers)
