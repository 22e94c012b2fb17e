import hashlib
import multiprocessing
import sqlite3

import pytest

from model import store as store_module
from model.scenario import Scenario, ScenarioError, builtin_scenarios, scenarios_from_json, scenarios_to_json
from model.store import SCHEMA_VERSION, NameTaken, ScenarioStore, StoreError, default_path, open_store


def scenario(name="Phương án A", fee=50.0):
    s = Scenario(name, "mô tả", 2023)
    s.settings["fee_cut.cut_pct"] = fee
    return s


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_path_and_env_override(monkeypatch, tmp_path):
    monkeypatch.delenv("SONLA_DVCTT_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "sonla-dvctt" / "scenarios.sqlite3"
    monkeypatch.setenv("SONLA_DVCTT_DB", str(tmp_path / "other.db"))
    assert default_path() == tmp_path / "other.db"


def test_save_list_rename_duplicate_delete(tmp_path):
    st = ScenarioStore(tmp_path / "s.db")
    first = st.save(scenario(), author="Chị Lan")
    items = st.list()
    assert [(i.name, i.author, i.plan_year, i.description) for i in items] == [("Phương án A", "Chị Lan", 2023, "mô tả")]
    assert items[0].created_at == items[0].updated_at and items[0].scenario() == scenario()
    with pytest.raises(NameTaken):
        st.save(scenario(fee=10))
    st.save(scenario(fee=10), replace=True)
    assert st.get(first).scenario().settings["fee_cut.cut_pct"] == 10
    st.rename(first, "Phương án B")
    assert st.get(first).name == "Phương án B" and st.get(first).scenario().name == "Phương án B"
    copy = st.duplicate(first, "Phương án B (bản sao)")
    assert {i.name for i in st.list()} == {"Phương án B", "Phương án B (bản sao)"}
    st.delete(copy)
    assert [i.id for i in st.list()] == [first]
    with pytest.raises(NameTaken):
        st.rename(st.save(scenario("C")), "Phương án B")


def test_wal_mode_and_schema_version(tmp_path):
    ScenarioStore(tmp_path / "s.db")
    conn = sqlite3.connect(tmp_path / "s.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_migration_from_version_1_keeps_the_data(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute(store_module.MIGRATIONS[0][0])
    conn.execute(
        "INSERT INTO scenarios (name, description, plan_year, created_at, updated_at, body) VALUES (?,?,?,?,?,?)",
        ("Cũ", "", 2023, "2026-01-01T00:00:00", "2026-01-01T00:00:00", scenario("Cũ").to_json()),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    items = ScenarioStore(path).list()
    assert [(i.name, i.author) for i in items] == [("Cũ", "")]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "new.db"
    ScenarioStore(path).save(scenario())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = digest(path)
    store, err = open_store(path)
    assert store is None
    assert "phiên bản mới hơn" in err.message_vi and "lược đồ 99" in err.message_vi
    assert digest(path) == before


def test_corrupt_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "bad.db"
    path.write_bytes(b"this is not a database at all" * 100)
    before = digest(path)
    store, err = open_store(path)
    assert store is None and "bị hỏng" in err.message_vi and str(path) in err.message_vi
    assert digest(path) == before
    # a real SQLite header with a damaged body is refused too
    good = tmp_path / "half.db"
    ScenarioStore(good).save(scenario())
    data = bytearray(good.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    good.write_bytes(bytes(data))
    before = digest(good)
    store, err = open_store(good)
    assert store is None and "bị hỏng" in err.message_vi
    assert digest(good) == before


def _read_only_connect(self):
    return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None)


def test_read_only_database_gives_a_clear_message_and_loses_nothing(tmp_path, monkeypatch):
    path = tmp_path / "s.db"
    st = ScenarioStore(path)
    st.save(scenario())
    monkeypatch.setattr(ScenarioStore, "_connect", _read_only_connect)  # SQLite's own read-only error
    with pytest.raises(StoreError) as err:
        st.save(scenario("Mới"))
    assert "chỉ cho phép đọc" in err.value.message_vi
    monkeypatch.undo()
    assert [i.name for i in st.list()] == ["Phương án A"]


def test_full_disk_gives_a_clear_message_and_loses_nothing(tmp_path, monkeypatch):
    path = tmp_path / "s.db"
    st = ScenarioStore(path)
    st.save(scenario())
    original = ScenarioStore._connect

    def full_connect(self):
        conn = original(self)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite then reports 'database or disk is full'
        return conn

    monkeypatch.setattr(ScenarioStore, "_connect", full_connect)
    big = scenario("Lớn")
    big.description = "x" * 1900
    with pytest.raises(StoreError) as err:
        for i in range(50):
            big.name = f"Lớn {i}"
            st.save(big)
    assert "ổ đĩa đã đầy" in err.value.message_vi
    monkeypatch.undo()
    names = [i.name for i in st.list()]
    assert "Phương án A" in names and all(i.scenario() for i in st.list())


def _save_many(path, prefix, n):
    st = ScenarioStore(path)
    for i in range(n):
        st.save(scenario(f"{prefix}-{i:03d}", fee=float(i % 100)), author=prefix)


def test_two_processes_saving_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shared.db"
    ScenarioStore(path)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_save_many, args=(path, p, 200)) for p in ("may-1", "may-2")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    items = ScenarioStore(path).list()
    assert len(items) == 400
    assert {i.name for i in items} == {f"{p}-{i:03d}" for p in ("may-1", "may-2") for i in range(200)}
    assert all(i.scenario().settings["fee_cut.cut_pct"] == float(int(i.name[-3:]) % 100) for i in items)


# ------------------------------------------------------------------ JSON export / import


def test_json_export_import_one_and_many():
    shipped = builtin_scenarios()
    assert scenarios_from_json(scenarios_to_json(shipped[:1])) == shipped[:1]
    assert scenarios_from_json(scenarios_to_json(shipped).encode("utf-8")) == shipped


def test_bad_json_file_is_rejected_whole():
    shipped = builtin_scenarios()
    text = scenarios_to_json(shipped).replace('"cut_pct": 50.0', '"cut_pct": 500.0')
    with pytest.raises(ScenarioError) as err:
        scenarios_from_json(text, source="kich-ban.json")
    assert err.value.messages_vi == ["kich-ban.json: scenarios[2].levers.fee_cut.cut_pct: 500 ngoài khoảng cho phép 0–100"]
    with pytest.raises(ScenarioError) as err:
        scenarios_from_json(scenarios_to_json([shipped[0], shipped[0]]))
    assert "xuất hiện nhiều lần" in err.value.messages_vi[0]
    with pytest.raises(ScenarioError) as err:
        scenarios_from_json(b"\xff\xfe not utf8")
    assert err.value.messages_vi == ["tệp không phải văn bản UTF-8"]
    with pytest.raises(ScenarioError) as err:
        scenarios_from_json(b"{}" + b" " * 1_000_001)
    assert "giới hạn" in err.value.messages_vi[0]


def library_at_version(path, version: int) -> None:
    """A library as an earlier version of the tool left it: its migrations up to `version`, no later."""
    conn = sqlite3.connect(path)
    for step in range(version):
        for statement in store_module.MIGRATIONS[step]:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_an_edited_target_set_is_kept_replaced_by_its_later_edit_and_survives_an_upgrade(tmp_path):
    from model.targets import DEFAULT_TARGET_SET

    path = tmp_path / "v3.db"
    library_at_version(path, 3)
    store = ScenarioStore(path)  # a library from the previous version gains the table
    assert store.target_sets() == []
    edited = DEFAULT_TARGET_SET.copy("custom_qd1434_2022", "Quyết định 1434 (đã sửa)", "Decision 1434 (edited)")
    edited.block_pct["department"] = 70.0
    store.save_target_set(edited)
    edited.unit_pct["so-y-te"] = 64.5
    store.save_target_set(edited)
    [kept] = ScenarioStore(path).target_sets()
    assert kept.id == "custom_qd1434_2022" and kept.name_vi == "Quyết định 1434 (đã sửa)"
    assert kept.block_pct["department"] == 70.0 and kept.unit_pct["so-y-te"] == 64.5


def test_files_kept_with_a_dataset_survive_an_upgrade_are_replaced_by_a_newer_one_and_go_with_the_dataset(tmp_path):
    """A version-5 library (datasets, no kept files) gains the table and keeps its datasets; a register
    or indicators file kept with a dataset comes back as given; a later one of the same kind replaces
    it, another kind sits beside it; deleting the dataset deletes its files, no other's."""
    from model.datasets import EXAMPLE_2025_ID, builtin_dataset, dataset_from_json

    path = tmp_path / "v5.db"
    library_at_version(path, 5)
    example = builtin_dataset(EXAMPLE_2025_ID)
    assert example is not None
    ds = dataset_from_json({**example.record(), "id": "kept-1"}, example.body_json())
    store = ScenarioStore(path)
    assert store.save_dataset(ds)
    assert store.dataset_file("kept-1", "measures") is None
    store.save_dataset_file("kept-1", "measures", "bien-phap.csv", "unit,measure,start,intensity\n")
    store.save_dataset_file("kept-1", "measures", "bien-phap-2.csv", "unit,measure,start,intensity\nx,fee_cut,2025-08,50\n")
    store.save_dataset_file("kept-1", "indicators_766", "chi-so.csv", "unit_id,month\n")
    store.save_dataset_file("other", "measures", "khac.csv", "unit,measure,start,intensity\n")
    again = ScenarioStore(path)
    name, _at, text = again.dataset_file("kept-1", "measures")
    assert (name, text) == ("bien-phap-2.csv", "unit,measure,start,intensity\nx,fee_cut,2025-08,50\n")
    assert again.dataset_file("kept-1", "indicators_766")[0] == "chi-so.csv"
    again.delete_dataset("kept-1")
    assert again.dataset_file("kept-1", "measures") is None and again.dataset_file("kept-1", "indicators_766") is None
    assert again.dataset_file("other", "measures") is not None
    with pytest.raises(ValueError):
        again.save_dataset_file("other", "photos", "x.png", "")
