"""Datasets of record: every imported report or monthly series is kept, as a version that is never
overwritten, and opened again exactly as it was imported.

A dataset is what the user gave, not what the app derived from it: the text of one or more report
folders (report.toml, units.csv, province.csv, provenance.csv — an uploaded .xlsx or .csv report is
kept as the folder the importer made of it) and, optionally, one long CSV of monthly counts. Opening
it runs the same loaders and rules again (`model.baseline.load_report`, `model.series`), so a stored
dataset can never hold numbers that the rules of the day would refuse. Its id is a digest of that
content: importing the same files twice finds the dataset already there.

The built-in datasets (the report 01/CĐS of 12/2022, and a made-up example in the structure after
7/2025) are declared here and never stored or deleted.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from model.baseline import DATA_DIR, DEFAULT_REPORT_DIR, REPORT_FILES, Report, load_report
from model.errors import PlannerError
from model.series import (
    ReportSeries,
    month_index,
    month_label,
    period_of,
    series_from_long_csv,
    series_from_reports,
    structure_of,
)

BUILTIN_ID = "bc-2022-12"
EXAMPLE_2025_ID = "vi-du-2025"
EXAMPLE_2025_DIR = DATA_DIR / "examples" / "2025_communes"
STRUCTURE_LABEL = {
    "districts": ("Sở, ngành; UBND cấp huyện và cấp xã (trước 7/2025)", "Departments; districts and communes (before 7/2025)"),
    "communes": ("Sở, ngành; xã, phường (từ 1/7/2025, không còn cấp huyện)", "Departments; communes and wards (from 1/7/2025)"),
}


class DatasetError(PlannerError):
    def __init__(self, message_vi: str, message_en: str):
        self.message_vi, self.message_en = message_vi, message_en
        super().__init__(message_en)

    def messages(self, lang: str) -> list[str]:
        return [self.message_vi if lang == "vi" else self.message_en]


@dataclass(frozen=True)
class Dataset:
    """One stored (or built-in) dataset: its record and the content it opens from."""

    id: str
    label_vi: str
    label_en: str
    created_at: str  # ISO 8601 with the offset, when it was imported
    sources: tuple[str, ...]  # the names of the files it was imported from
    checksum: str  # sha256 of the content
    first_month: str  # YYYY-MM: the first month it covers
    last_month: str  # YYYY-MM: the last month it covers
    structure: str  # "districts" (before 7/2025) or "communes" (after)
    synthetic: bool  # made-up numbers (an example), never to be shown as the province's data
    reports: tuple[dict[str, str], ...]  # each report folder's files, name -> text
    long_csv: tuple[str, str] | None = None  # (file name, text) of a long monthly CSV
    builtin: bool = field(default=False, compare=False)

    def label(self, lang: str) -> str:
        return self.label_vi if lang == "vi" else self.label_en

    @property
    def months_label(self) -> str:
        return f"{month_label(self.first_month)}–{month_label(self.last_month)}"

    def body_json(self) -> str:
        return json.dumps({"reports": list(self.reports), "long_csv": self.long_csv}, ensure_ascii=False, sort_keys=True)

    def record(self) -> dict:
        """Everything but the content: what the data page and `data list --json` show."""
        return {
            "id": self.id,
            "label_vi": self.label_vi,
            "label_en": self.label_en,
            "created_at": self.created_at,
            "sources": list(self.sources),
            "checksum": self.checksum,
            "first_month": self.first_month,
            "last_month": self.last_month,
            "structure": self.structure,
            "synthetic": self.synthetic,
            "builtin": self.builtin,
        }


@dataclass(frozen=True)
class OpenedData:
    """A dataset opened: the report whose units and structure the model uses, and the monthly series
    (None when the dataset is a single report)."""

    dataset: Dataset
    report: Report
    series: ReportSeries | None

    @property
    def last_month(self) -> int:
        """Month index of the last month with data."""
        last = month_index(self.report.period)
        return max(last, self.series.last_month) if self.series is not None else last


def _reports_from(folders: tuple[dict[str, str], ...]) -> list[Report]:
    out = []
    for files in folders:
        with tempfile.TemporaryDirectory() as tmp:
            for name in REPORT_FILES:
                (Path(tmp) / name).write_text(files.get(name, ""), encoding="utf-8")
            out.append(load_report(tmp))
    return out


def open_dataset(ds: Dataset) -> OpenedData:
    """The dataset's report and series, through the same rules as on import."""
    reports = _reports_from(ds.reports)
    latest = max(reports, key=lambda r: r.period)
    series: ReportSeries | None = None
    if ds.long_csv is not None:
        name, text = ds.long_csv
        series = series_from_long_csv(text.encode("utf-8"), name, latest, synthetic=ds.synthetic)
    elif len(reports) > 1:
        series = series_from_reports(reports)
    return OpenedData(ds, latest, series)


def make_dataset(
    reports: list[Report],
    label_vi: str,
    label_en: str | None = None,
    sources: list[str] | None = None,
    long_csv: tuple[str, bytes] | None = None,
    synthetic: bool | None = None,
    builtin: bool = False,
    dataset_id: str | None = None,
) -> Dataset:
    """A dataset from validated reports (and a long CSV on the latest one). The content is checked by
    opening it, so what is stored is what opens; a problem raises the loaders' own errors."""
    if not reports:
        raise DatasetError("Chưa có báo cáo nào.", "No report given.")
    folders = tuple(dict(r.files) for r in sorted(reports, key=lambda r: r.period))
    csv_text = None if long_csv is None else (long_csv[0], long_csv[1].decode("utf-8-sig"))
    body = json.dumps({"reports": list(folders), "long_csv": csv_text}, ensure_ascii=False, sort_keys=True)
    checksum = hashlib.sha256(body.encode("utf-8")).hexdigest()
    latest = max(reports, key=lambda r: r.period)
    draft = Dataset(
        id=dataset_id or checksum[:12],
        label_vi=label_vi,
        label_en=label_en or label_vi,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        sources=tuple(sources or [r.source for r in reports]),
        checksum=checksum,
        first_month="",
        last_month="",
        structure=structure_of(latest.units),
        synthetic=any(r.synthetic for r in reports) if synthetic is None else synthetic,
        reports=folders,
        long_csv=csv_text,
        builtin=builtin,
    )
    opened = open_dataset(draft)
    first = min(month_index(r.cumulative_from) for r in reports)
    if opened.series is not None and len(opened.series.obs):
        first = min(first, int(opened.series.obs["first"].min()))
    return Dataset(**{**draft.__dict__, "first_month": period_of(first), "last_month": period_of(opened.last_month)})


def dataset_from_json(record: dict, body: str) -> Dataset:
    content = json.loads(body)
    csv_part = content.get("long_csv")
    return Dataset(
        id=record["id"],
        label_vi=record["label_vi"],
        label_en=record["label_en"],
        created_at=record["created_at"],
        sources=tuple(record["sources"]),
        checksum=record["checksum"],
        first_month=record["first_month"],
        last_month=record["last_month"],
        structure=record["structure"],
        synthetic=bool(record["synthetic"]),
        reports=tuple(content["reports"]),
        long_csv=None if csv_part is None else (csv_part[0], csv_part[1]),
    )


def builtin_datasets() -> tuple[Dataset, ...]:
    """The report 01/CĐS (12/2022) and the made-up example after 7/2025, in that order."""
    return _builtins()


_BUILTINS: tuple[Dataset, ...] | None = None


def _builtins() -> tuple[Dataset, ...]:
    global _BUILTINS
    if _BUILTINS is None:
        report = load_report(DEFAULT_REPORT_DIR)
        example = load_report(EXAMPLE_2025_DIR)
        csv_path = EXAMPLE_2025_DIR / "monthly.csv"
        _BUILTINS = (
            make_dataset([report], report.label_vi, report.label_en, [report.source], builtin=True, dataset_id=BUILTIN_ID),
            make_dataset(
                [example],
                example.label_vi,
                example.label_en,
                ["Ví dụ kèm theo công cụ (số liệu giả lập)"],
                long_csv=(csv_path.name, csv_path.read_bytes()),
                synthetic=True,
                builtin=True,
                dataset_id=EXAMPLE_2025_ID,
            ),
        )
    return _BUILTINS


def builtin_dataset(dataset_id: str) -> Dataset | None:
    return next((d for d in builtin_datasets() if d.id == dataset_id), None)
