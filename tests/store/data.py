"""Sample data for the store tests (and their child processes): deterministic, with awkward text."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pandas as pd

from pipeline.store import Run, SubmissionRef

LOCALITY = "TP_THAI_BINH"
ICT = timezone(timedelta(hours=7))  # Vietnam: the received times a run gives are local
UNITS = ("VP", "NOIVU", "TUPHAP", "DAI_TTTH", "P_BO_XUYEN", "X_VU_PHUC")
AWKWARD = (
    "Hoàn thành",
    'có "ngoặc kép", dấu phẩy',
    "hai\ndòng",
    "xuống dòng\r\nkiểu Windows",
    "  khoảng trắng hai đầu  ",
    '=HYPERLINK("http://x")',
    "1.000",
    "Đ",
)


def sha(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def when(day: int, hour: int = 9, minute: int = 0, micro: int = 0) -> datetime:
    """A received time in December 2023, Vietnam time."""
    return datetime(2023, 12, day, hour, minute, 0, micro, tzinfo=ICT)


def cells_frame(submission_id: int, n: int, variant: int = 0) -> pd.DataFrame:
    rows = []
    for i in range(n):
        raw = AWKWARD[(i + variant) % len(AWKWARD)]
        rows.append(
            {
                "submission_id": submission_id,
                "sheet": "Nhiệm vụ" if i % 3 else "Chỉ số",
                "cell": f"H{5 + i}",
                "row_key": f"PL01-{1 + i % 9}.{i}",
                "column_label": "Tình trạng" if i % 2 else "Kết quả thực hiện",
                "raw": raw if i % 5 else None,
                "value": (raw.strip() if i % 4 else "") if i % 5 else None,
            }
        )
    return pd.DataFrame(rows)


def task_frame(
    units: Sequence[str], tasks: int, refs: dict[str, SubmissionRef], variant: int = 0
) -> pd.DataFrame:
    rows = []
    for u in units:
        for k in range(tasks):
            rows.append(
                {
                    "task_id": f"PL01-{1 + k // 5}.{k % 5 + 1}",
                    "unit_code": u,
                    "role": ("chu_tri", "phoi_hop", "tham_muu")[k % 3],
                    "status": ("done", "in_progress", "not_started", "not_applicable", "")[(k + variant) % 5],
                    "result_value": (None, 20.0, 0.1, 1 / 3, 1e-7)[k % 5],
                    "has_evidence": (True, False, None)[k % 3],
                    "overdue": bool(k % 2),
                    "result_text": AWKWARD[(k + variant) % len(AWKWARD)],
                    "evidence": "Báo cáo số 12/BC-UBND" if k % 2 else None,
                    "evidence_doc": None,
                    "evidence_date": "18/12/2023" if k % 3 == 0 else None,
                    "evidence_url": "https://example.invalid/a?b=1,2" if k % 4 == 0 else None,
                    "difficulties": "Thiếu kinh phí" if k % 6 == 0 else None,
                    "submission_id": refs[u].id if u in refs else None,
                    "pillar": "NTS",  # not a task_rows column: ignored
                }
            )
    return pd.DataFrame(rows)


def score_frame(units: Sequence[str], variant: int = 0) -> pd.DataFrame:
    rows = []
    for u in units:
        for j, ind in enumerate(("1.1", "1.2", "2.1", "2.2")):
            self_score = (10.0, 0.0, None, 7.5)[(j + variant) % 4]
            rows.append(
                {
                    "unit_code": u,
                    "indicator_id": ind,
                    "self_score": self_score,
                    "score": 0.0 if self_score is None else self_score,
                    "max_score": 10,
                    "has_evidence": j % 2 == 0,
                }
            )
    return pd.DataFrame(rows)


def write_period(
    run: Run, period: str, *, units: Sequence[str] = UNITS, cells: int = 12, tasks: int = 6, variant: int = 0
) -> dict[str, SubmissionRef]:
    """A period's worth of everything: files, returns, cells, issues, task rows, scores, reminders."""
    refs: dict[str, SubmissionRef] = {}
    for i, u in enumerate(units):
        digest = sha(period, u, variant)
        name = f"{period}_{u}.xlsx"
        received = when(10 + i, micro=123456 * (i % 2))
        run.record_file(
            digest,
            size=10_000 + i,
            name=name,
            channel=("inbox", "email", "upload")[i % 3],
            received_at=received,
            sender=f"{u.lower()}@thaibinh.gov.vn" if i % 3 == 1 else None,
        )
        refs[u] = run.record_submission(
            unit_code=u,
            sha256=digest,
            file_name=name,
            received_at=received,
            status="late" if i == 2 else "on_time",
            errors=i % 3,
            warnings=i % 2,
            period=period,
        )
    run.add_cells(frames(refs, cells, variant))
    issues = [
        {
            "submission_id": refs[u].id,
            "sheet": "Nhiệm vụ",
            "cell": "H7",
            "field": "PL01-1.4:Kết quả (số liệu)",
            "value": AWKWARD[k % len(AWKWARD)],
            "severity": ("error", "warning")[k % 2],
            "code": "number_invalid",
            "message": "Giá trị «abc» không phải là số",
        }
        for k, u in enumerate(units)
    ]
    run.add_issues(pd.DataFrame(issues))
    run.replace_task_rows(task_frame(units, tasks, refs, variant), period=period)
    run.replace_scores(score_frame(units, variant), period=period)
    run.log_reminder(
        unit_code=units[0],
        channel="email",
        sent_on=date(2023, 12, 15),
        kind="due_soon",
        note="Nhắc nộp báo cáo",
        period=period,
    )
    return refs


def frames(refs: dict[str, SubmissionRef], cells: int, variant: int) -> Iterator[pd.DataFrame]:
    for ref in refs.values():
        yield cells_frame(ref.id, cells, variant)


def table_rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """A frame as plain tuples (NaN and NA as None), for exact comparisons."""
    out = []
    for row in frame.astype(object).itertuples(index=False, name=None):
        out.append(
            tuple(
                None if (v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)) else v for v in row
            )
        )
    return out


def now() -> datetime:
    return datetime.now(UTC)
