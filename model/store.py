"""Saved scenarios in SQLite (Python's sqlite3, WAL mode), so they outlast the laptop restarting.

Default file: $SONLA_DVCTT_DB if set, else ${XDG_DATA_HOME:-~/.local/share}/sonla-dvctt/scenarios.sqlite3.
The schema version lives in PRAGMA user_version; MIGRATIONS[v] takes version v to v + 1.

Faults never lose what is saved and never overwrite a file we do not understand:
- a corrupt file, or one written by a newer schema, raises StoreError on open and is left untouched
  (the app then runs with the built-in scenarios only);
- a read-only or full disk raises StoreError on write; the transaction rolls back, earlier saves stay.
Two processes saving at once are serialised by SQLite's lock (BEGIN IMMEDIATE + busy timeout).
"""

from __future__ import annotations

import builtins
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from model.datasets import Dataset, dataset_from_json
from model.errors import PlannerError
from model.scenario import Scenario, ScenarioError
from model.targets import TargetError, TargetSet, target_set_from_json
from model.tracking import PlanError, PlanOfRecord

ENV_VAR = "SONLA_DVCTT_DB"
SCHEMA_VERSION = 6
# version -> statements taking it to version + 1 (single statements: executescript would commit early)
MIGRATIONS = {
    0: [
        """
        CREATE TABLE scenarios (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT '',
            plan_year INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            body TEXT NOT NULL
        )
    """
    ],
    1: ["ALTER TABLE scenarios ADD COLUMN author TEXT NOT NULL DEFAULT ''"],
    # plans of record: frozen projections, one row per version (never updated, only added)
    2: [
        """
        CREATE TABLE plans (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            plan_year INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            body TEXT NOT NULL,
            UNIQUE (name, version)
        )
    """
    ],
    # edited target sets, so that an edited set survives a reload and a restart (one row per set id)
    3: [
        """
        CREATE TABLE target_sets (
            id TEXT PRIMARY KEY,
            updated_at TEXT NOT NULL,
            body TEXT NOT NULL
        )
    """
    ],
    # datasets of record: every import, a version that is never overwritten (model/datasets.py)
    4: [
        """
        CREATE TABLE datasets (
            id TEXT PRIMARY KEY,
            label_vi TEXT NOT NULL,
            label_en TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sources TEXT NOT NULL,
            checksum TEXT NOT NULL,
            first_month TEXT NOT NULL,
            last_month TEXT NOT NULL,
            structure TEXT NOT NULL,
            synthetic INTEGER NOT NULL,
            body TEXT NOT NULL
        )
    """
    ],
    # files kept with a dataset: its register of measures taken (issue 25) and its Decision 766
    # indicators (issue 26), one of each kind per dataset, as the text the checks accepted
    5: [
        """
        CREATE TABLE dataset_files (
            dataset_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            file_name TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (dataset_id, kind)
        )
    """
    ],
}
DATASET_FILE_KINDS = ("measures", "indicators_766")
BUSY_TIMEOUT_S = 30
_DATASET_COLUMNS = "id, label_vi, label_en, created_at, sources, checksum, first_month, last_month, structure, synthetic"


def default_path() -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "sonla-dvctt" / "scenarios.sqlite3"


class StoreError(PlannerError):
    def __init__(self, message_vi: str, message_en: str):
        self.message_vi, self.message_en = message_vi, message_en
        super().__init__(message_en)

    def messages(self, lang: str) -> list[str]:
        return [self.message_vi if lang == "vi" else self.message_en]


class NameTaken(StoreError):
    pass


@dataclass(frozen=True)
class SavedScenario:
    id: int
    name: str
    description: str
    plan_year: int
    author: str
    created_at: str
    updated_at: str
    body: str

    def scenario(self) -> Scenario:
        if not isinstance(self.body, str):  # SQLite keeps whatever a damaged row holds
            raise ScenarioError([("body", "nội dung không phải văn bản JSON", "the body is not JSON text")], str(self.name))
        return Scenario.from_json(self.body, source=str(self.name))


def _now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def _write_error(path: Path, exc: sqlite3.Error) -> StoreError:
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text or "permission" in text or "unable to open" in text:
        return StoreError(
            f"Không ghi được vào {path}: tệp hoặc thư mục chỉ cho phép đọc. Các kịch bản đã lưu trước đó vẫn còn nguyên.",
            f"Cannot write to {path}: the file or folder is read-only. Scenarios saved earlier are unchanged.",
        )
    if "full" in text:
        return StoreError(
            f"Không ghi được vào {path}: ổ đĩa đã đầy. Các kịch bản đã lưu trước đó vẫn còn nguyên.",
            f"Cannot write to {path}: the disk is full. Scenarios saved earlier are unchanged.",
        )
    return StoreError(
        f"Lỗi cơ sở dữ liệu ở {path}: {exc}. Các kịch bản đã lưu trước đó vẫn còn nguyên.",
        f"Database error at {path}: {exc}. Scenarios saved earlier are unchanged.",
    )


def _can_write(path: Path) -> bool:
    """Whether the library's folder and file can be written (SQLite's WAL needs files beside it)."""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _inspection(conn: sqlite3.Connection) -> tuple[int, str, set[str]]:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return version, str(check), tables


class ScenarioStore:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_path()
        self._open()

    # ------------------------------------------------------------ opening and migrating

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        return conn

    read_only = False  # set when the folder or file cannot be written: everything is listed, saving is off

    def _open(self) -> None:
        path = self.path
        if path.exists():
            # Look before writing anything: a file we do not understand must stay byte-for-byte as it is.
            try:
                with open(path, "rb") as f:
                    head = f.read(16)
            except OSError as exc:
                raise StoreError(f"Không đọc được {path}: {exc}", f"Cannot read {path}: {exc}") from None
            if head and head != b"SQLite format 3\x00":
                raise self._corrupt(path)
            if head:
                version = self._inspect(path)  # read-only: a damaged file is refused before anything is written
                if not _can_write(path):
                    # a read-only folder (WAL would need its -shm file beside it): everything stays listed,
                    # read as an immutable file; saving is off, and the pages say so
                    if version != SCHEMA_VERSION:
                        raise _write_error(path, sqlite3.OperationalError("readonly"))
                    self.read_only = True
                    return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _write_error(path, sqlite3.OperationalError(str(exc))) from None
        try:
            conn = self._connect()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                conn.close()
                raise self._newer(path, version)
            if version < SCHEMA_VERSION:
                self._migrate(conn, version)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("SELECT count(*) FROM scenarios").fetchone()
            conn.close()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and ("readonly" in str(exc) or "unable to open" in str(exc)):
                raise _write_error(path, exc) from None
            raise self._corrupt(path, exc) from None

    @staticmethod
    def _corrupt(path: Path, exc: Exception | None = None) -> StoreError:
        detail = f" ({exc})" if exc is not None else ""
        return StoreError(
            f"Tệp {path} bị hỏng{detail} hoặc không phải cơ sở dữ liệu kịch bản; tệp được giữ nguyên, "
            "ứng dụng chỉ dùng các kịch bản có sẵn.",
            f"{path} is corrupt{detail} or not a scenario database; it is left untouched and the app uses "
            "the built-in scenarios only.",
        )

    @staticmethod
    def _newer(path: Path, version: int) -> StoreError:
        return StoreError(
            f"Tệp {path} được tạo bởi phiên bản mới hơn của công cụ (lược đồ {version}, bản này hiểu tới {SCHEMA_VERSION}); "
            "tệp được giữ nguyên, ứng dụng chỉ dùng các kịch bản có sẵn.",
            f"{path} was written by a newer version of the tool (schema {version}, this one knows up to "
            f"{SCHEMA_VERSION}); it is left untouched and the app uses the built-in scenarios only.",
        )

    def _inspect(self, path: Path) -> int:
        """The file's schema version, read without writing a byte: its pages are checked (quick_check)
        and, at the current version, its tables are there. A damaged file is refused untouched."""
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                version, check, tables = _inspection(conn)
            finally:
                conn.close()
        except sqlite3.OperationalError:
            # a WAL file in a folder we cannot write (no -shm beside it): read it as an immutable file
            try:
                conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
                try:
                    version, check, tables = _inspection(conn)
                finally:
                    conn.close()
            except sqlite3.DatabaseError as exc:
                raise self._corrupt(path, exc) from None
        except sqlite3.DatabaseError as exc:
            raise self._corrupt(path, exc) from None
        if version > SCHEMA_VERSION:
            raise self._newer(path, version)
        if check != "ok" or (
            version == SCHEMA_VERSION and not {"scenarios", "plans", "target_sets", "datasets", "dataset_files"} <= tables
        ):
            raise self._corrupt(path, sqlite3.DatabaseError(check if check != "ok" else "tables missing"))
        return version

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
            for v in range(current, SCHEMA_VERSION):
                for statement in MIGRATIONS[v]:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------ reading

    def _read(self, sql: str, args: tuple = ()) -> builtins.list[tuple]:
        """Rows of a query. When the file cannot be opened for writing (a read-only folder: WAL needs
        its -shm file beside it) it is read as an immutable file instead — saved scenarios stay
        visible; every write is checkpointed into the main file, so nothing is missed."""
        try:
            if self.read_only:
                raise sqlite3.OperationalError("read-only library")
            conn = self._connect()
            try:
                return conn.execute(sql, args).fetchall()
            finally:
                conn.close()
        except sqlite3.OperationalError:
            if not self.path.exists():
                raise
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            try:
                return conn.execute(sql, args).fetchall()
            finally:
                conn.close()

    def list(self) -> list[SavedScenario]:
        try:
            rows = self._read(
                "SELECT id, name, description, plan_year, author, created_at, updated_at, body "
                "FROM scenarios ORDER BY updated_at DESC, id DESC"
            )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Không đọc được {self.path}: {exc}", f"Cannot read {self.path}: {exc}") from None
        return [SavedScenario(*r) for r in rows]

    def get(self, scenario_id: int) -> SavedScenario:
        for item in self.list():
            if item.id == scenario_id:
                return item
        raise StoreError(f"Không tìm thấy kịch bản số {scenario_id}.", f"No saved scenario number {scenario_id}.")

    # ------------------------------------------------------------ writing

    def _write(self, sql_steps) -> int | None:
        if self.read_only:
            raise StoreError(
                f"Thư viện {self.path} chỉ cho phép đọc: đang tắt lưu. Mọi kịch bản và kế hoạch đã lưu vẫn được liệt kê.",
                f"The library {self.path} is read-only: saving is off. Every saved scenario and plan is still listed.",
            )
        self._recreate_if_gone()
        try:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                result = sql_steps(conn)
                conn.execute("COMMIT")
                # into the main file at once: a reader that can only open it read-only sees every save
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                return result
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc) from None

    def _recreate_if_gone(self) -> None:
        """The file (or its folder) was deleted while the app ran: say so truthfully, and start a new
        library there so this and later saves work."""
        if self.path.exists():
            return
        if not self.path.parent.exists():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError:
                raise StoreError(
                    f"Thư mục {self.path.parent} của thư viện kịch bản không còn và không tạo lại được; chưa lưu được.",
                    f"The library's folder {self.path.parent} no longer exists and cannot be created; nothing was saved.",
                ) from None
        self._open()
        self.recreated = True

    recreated = False  # set when the file had been deleted and a new, empty library was started

    @staticmethod
    def _existing_id(conn, name: str) -> int | None:
        row = conn.execute("SELECT id FROM scenarios WHERE name = ?", (name,)).fetchone()
        return None if row is None else row[0]

    @staticmethod
    def _insert(conn, scenario: Scenario, author: str, now: str) -> int:
        cur = conn.execute(
            "INSERT INTO scenarios (name, description, plan_year, author, created_at, updated_at, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (scenario.name, scenario.description, scenario.plan_year, author, now, now, scenario.to_json()),
        )
        return cur.lastrowid

    @staticmethod
    def _name_taken(name: str) -> NameTaken:
        return NameTaken(f"Đã có kịch bản tên “{name}”.", f"A scenario named “{name}” already exists.")

    def save(self, scenario: Scenario, author: str = "", replace: bool = False) -> int:
        """Save under scenario.name. An existing name raises NameTaken unless replace=True."""
        Scenario.from_json(scenario.to_json())  # never store what would not load back
        now = _now()

        def steps(conn):
            existing = self._existing_id(conn, scenario.name)
            if existing is None:
                return self._insert(conn, scenario, author, now)
            if not replace:
                body = conn.execute("SELECT body FROM scenarios WHERE id = ?", (existing,)).fetchone()[0]
                if body == scenario.to_json():
                    # the same scenario, already saved: a retry after a save that was never confirmed
                    return existing
                raise self._name_taken(scenario.name)
            conn.execute(
                "UPDATE scenarios SET description = ?, plan_year = ?, author = ?, updated_at = ?, body = ? WHERE id = ?",
                (scenario.description, scenario.plan_year, author, now, scenario.to_json(), existing),
            )
            return existing

        saved_id = self._write(steps)
        assert saved_id is not None  # steps always return the row's id
        return saved_id

    def save_many(self, scenarios: builtins.list[Scenario], author: str = "") -> None:
        """All or nothing, in one transaction: an import never half-loads."""
        now = _now()

        def steps(conn):
            for scenario in scenarios:
                if self._existing_id(conn, scenario.name) is not None:
                    raise self._name_taken(scenario.name)
                self._insert(conn, scenario, author, now)

        self._write(steps)

    def rename(self, scenario_id: int, new_name: str) -> None:
        new_name = new_name.strip()
        if not new_name:
            raise StoreError("Tên mới không được để trống.", "The new name cannot be empty.")

        def steps(conn):
            row = conn.execute("SELECT body FROM scenarios WHERE id = ?", (scenario_id,)).fetchone()
            if row is None:
                raise StoreError(f"Không tìm thấy kịch bản số {scenario_id}.", f"No saved scenario number {scenario_id}.")
            if self._existing_id(conn, new_name) not in (None, scenario_id):
                raise self._name_taken(new_name)
            body = Scenario.from_json(row[0])
            body.name = new_name
            conn.execute(
                "UPDATE scenarios SET name = ?, body = ?, updated_at = ? WHERE id = ?",
                (new_name, body.to_json(), _now(), scenario_id),
            )

        self._write(steps)

    def duplicate(self, scenario_id: int, new_name: str, author: str = "") -> int:
        copy = self.get(scenario_id).scenario()
        copy.name = new_name.strip()
        return self.save(copy, author=author)

    # ------------------------------------------------------------ plans of record

    def save_plan(self, plan: PlanOfRecord) -> PlanOfRecord:
        """Add the plan as the next version of its name; an earlier version is never changed."""

        def steps(conn):
            row = conn.execute("SELECT MAX(version) FROM plans WHERE name = ?", (plan.name,)).fetchone()
            versioned = plan.with_version((row[0] or 0) + 1)
            conn.execute(
                "INSERT INTO plans (name, version, plan_year, created_at, body) VALUES (?, ?, ?, ?, ?)",
                (versioned.name, versioned.version, versioned.plan_year, versioned.created_at, versioned.to_json()),
            )
            return versioned.version

        version = self._write(steps)
        assert version is not None
        return plan.with_version(version)

    def plans(self) -> builtins.list[tuple[int, str, int, int, str]]:
        """(id, name, version, plan year, created) of every plan of record, newest first."""
        try:
            rows = self._read("SELECT id, name, version, plan_year, created_at FROM plans ORDER BY created_at DESC, id DESC")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Không đọc được {self.path}: {exc}", f"Cannot read {self.path}: {exc}") from None
        return [tuple(r) for r in rows]

    def plan(self, plan_id: int) -> PlanOfRecord:
        try:
            rows = self._read("SELECT body FROM plans WHERE id = ?", (plan_id,))
            row = rows[0] if rows else None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Không đọc được {self.path}: {exc}", f"Cannot read {self.path}: {exc}") from None
        if row is None:
            raise StoreError(f"Không tìm thấy kế hoạch số {plan_id}.", f"No plan of record number {plan_id}.")
        try:
            return PlanOfRecord.from_json(row[0] if isinstance(row[0], str) else "")
        except PlanError as err:
            raise StoreError(
                f"Kế hoạch số {plan_id} trong thư viện bị hỏng: {err.vi}. Các kế hoạch khác vẫn dùng được.",
                f"Plan number {plan_id} in the library is damaged: {err.en}. The other plans can still be used.",
            ) from None

    # ------------------------------------------------------------ edited target sets

    def save_target_set(self, target: TargetSet) -> None:
        """Keep an edited target set under its id; the set's latest edit replaces the earlier one."""
        body = target.to_json()
        self._write(
            lambda conn: conn.execute(
                "INSERT INTO target_sets (id, updated_at, body) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, body = excluded.body",
                (target.id, _now(), body),
            )
        )

    def target_sets(self) -> builtins.list[TargetSet]:
        """Every stored target set that still reads; one that no longer does is skipped, not fatal."""
        try:
            rows = self._read("SELECT body FROM target_sets ORDER BY id")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Không đọc được {self.path}: {exc}", f"Cannot read {self.path}: {exc}") from None
        kept = []
        for (body,) in rows:
            try:
                kept.append(target_set_from_json(body))
            except TargetError:
                continue
        return kept

    # ------------------------------------------------------------ datasets of record

    def save_dataset(self, ds: Dataset) -> bool:
        """Keep a dataset; False when the same content is already kept (it is never overwritten)."""

        def insert(conn: sqlite3.Connection) -> bool:
            if conn.execute("SELECT 1 FROM datasets WHERE id = ?", (ds.id,)).fetchone():
                return False
            rec = ds.record()
            conn.execute(
                f"INSERT INTO datasets ({_DATASET_COLUMNS}, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ds.id,
                    ds.label_vi,
                    ds.label_en,
                    ds.created_at,
                    json.dumps(rec["sources"], ensure_ascii=False),
                    ds.checksum,
                    ds.first_month,
                    ds.last_month,
                    ds.structure,
                    int(ds.synthetic),
                    ds.body_json(),
                ),
            )
            return True

        return bool(self._write(insert))

    def _dataset_rows(self, where: str = "", args: tuple = (), with_body: bool = False) -> builtins.list[tuple]:
        try:
            return self._read(
                f"SELECT {_DATASET_COLUMNS}{', body' if with_body else ''} FROM datasets {where} ORDER BY created_at DESC, id",
                args,
            )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Không đọc được {self.path}: {exc}", f"Cannot read {self.path}: {exc}") from None

    @staticmethod
    def _dataset_record(row: tuple) -> dict:
        keys = _DATASET_COLUMNS.split(", ")
        rec = dict(zip(keys, row[: len(keys)]))
        rec["sources"] = json.loads(rec["sources"])
        return rec

    def dataset_records(self) -> builtins.list[dict]:
        """Every stored dataset's record (not its content), newest first."""
        return [self._dataset_record(r) for r in self._dataset_rows()]

    def dataset(self, dataset_id: str) -> Dataset:
        rows = self._dataset_rows("WHERE id = ?", (dataset_id,), with_body=True)
        if not rows:
            raise StoreError(f"Không có bộ số liệu “{dataset_id[:40]}”.", f"No dataset “{dataset_id[:40]}”.")
        try:
            return dataset_from_json(self._dataset_record(rows[0]), rows[0][-1])
        except (ValueError, KeyError, TypeError, IndexError):
            raise StoreError(
                f"Bộ số liệu “{dataset_id[:40]}” trong thư viện bị hỏng, không mở được.",
                f"The stored dataset “{dataset_id[:40]}” is damaged and cannot be opened.",
            ) from None

    def delete_dataset(self, dataset_id: str) -> None:
        def steps(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM dataset_files WHERE dataset_id = ?", (dataset_id,))
            conn.execute("DELETE FROM datasets WHERE id = ?", (dataset_id,))

        self._write(steps)

    def save_dataset_file(self, dataset_id: str, kind: str, file_name: str, body: str) -> None:
        """Keep a checked file with a dataset (built-in ones too: they are keyed by their id). A new
        file of the same kind takes the old one's place: the register or the indicators in force."""
        if kind not in DATASET_FILE_KINDS:
            raise ValueError(kind)
        now = _now()
        self._write(
            lambda conn: conn.execute(
                "INSERT OR REPLACE INTO dataset_files (dataset_id, kind, file_name, updated_at, body) VALUES (?, ?, ?, ?, ?)",
                (dataset_id, kind, file_name, now, body),
            )
        )

    def dataset_file(self, dataset_id: str, kind: str) -> tuple[str, str, str] | None:
        """(file name, kept at, text) of the file of this kind kept with the dataset, or None."""
        try:
            rows = self._read(
                "SELECT file_name, updated_at, body FROM dataset_files WHERE dataset_id = ? AND kind = ?", (dataset_id, kind)
            )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Không đọc được {self.path}: {exc}", f"Cannot read {self.path}: {exc}") from None
        return (str(rows[0][0]), str(rows[0][1]), str(rows[0][2])) if rows else None

    def delete_dataset_file(self, dataset_id: str, kind: str) -> None:
        self._write(lambda conn: conn.execute("DELETE FROM dataset_files WHERE dataset_id = ? AND kind = ?", (dataset_id, kind)))

    def delete(self, scenario_id: int) -> None:
        self._write(lambda conn: conn.execute("DELETE FROM scenarios WHERE id = ?", (scenario_id,)))


def open_store(path: str | Path | None = None) -> tuple[ScenarioStore | None, StoreError | None]:
    """The store, or the reason it cannot be used (the app then runs with built-ins only)."""
    try:
        return ScenarioStore(path), None
    except StoreError as err:
        return None, err


__all__ = ["ScenarioStore", "SavedScenario", "StoreError", "NameTaken", "open_store", "default_path", "ScenarioError"]
