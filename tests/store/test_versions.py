"""Versions: the same file twice is the same return; a changed file is version n+1 and counts."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.store import Store, SubmissionRef
from tests.store import data

P = "2023-Q4"


def _file(run: object, digest: str, day: int, channel: str = "inbox", sender: str | None = None) -> bool:
    return run.record_file(  # type: ignore[attr-defined,no-any-return]
        digest,
        size=100 + day,
        name=f"{digest[:4]}.xlsx",
        channel=channel,
        received_at=data.when(day),
        sender=sender,
    )


def test_same_file_twice_is_one_submission_across_runs(store: Store) -> None:
    a = data.sha("a")
    with store.run(locality=data.LOCALITY, period=P) as run:
        assert _file(run, a, 10) is True
        assert _file(run, a, 11) is False  # content already stored: the first receipt is kept
        first = run.record_submission(unit_code="VP", sha256=a, file_name="a.xlsx", received_at=data.when(10))
        again = run.record_submission(
            unit_code="VP", sha256=a, file_name="renamed.xlsx", received_at=data.when(12)
        )
    assert (first.version, first.created) == (1, True)
    assert (again.id, again.version, again.created) == (first.id, 1, False)
    with store.run(locality=data.LOCALITY, period=P) as run:  # a later run sees the same file again
        assert _file(run, a, 13) is False
        later = run.record_submission(
            unit_code="VP", sha256=a, file_name="a (1).xlsx", received_at=data.when(13)
        )
    assert (later.id, later.version, later.created) == (first.id, 1, False)
    subs = store.submissions(P, locality=data.LOCALITY)
    assert len(subs) == 1
    row = subs.iloc[0]
    assert (row["file_name"], row["version"], row["status"], bool(row["counting"])) == (
        "a.xlsx",
        1,
        "received",
        True,
    )
    known = store.files([a, data.sha("unknown"), a])
    assert list(known["sha256"]) == [a] and list(known["channel"]) == ["inbox"]
    assert store.files([]).empty
    stored = store.find_file(a)
    assert stored is not None and stored.first_name == f"{a[:4]}.xlsx" and stored.size == 110
    assert stored.received_at == data.when(10)  # read back in UTC, the same moment
    assert store.check().counts["files"] == 1


def test_changed_file_is_next_version_and_supersedes(store: Store) -> None:
    a, b, c = data.sha("a"), data.sha("b"), data.sha("c")
    with store.run(locality=data.LOCALITY, period=P) as run:
        for digest, day in ((a, 10), (b, 12)):
            _file(run, digest, day)
        v1 = run.record_submission(
            unit_code="VP", sha256=a, file_name="a.xlsx", received_at=data.when(10), status="on_time"
        )
        v2 = run.record_submission(
            unit_code="VP", sha256=b, file_name="b.xlsx", received_at=data.when(12), status="on_time"
        )
    assert (v1.version, v2.version) == (1, 2)
    assert (v2.status, v2.superseded_by) == ("on_time", None)
    with store.run(locality=data.LOCALITY, period=P) as run:
        _file(run, c, 21, channel="email", sender="vp@thaibinh.gov.vn")
        v3 = run.record_submission(
            unit_code="VP", sha256=c, file_name="c.xlsx", received_at=data.when(21), status="late"
        )
    assert v3.version == 3
    subs = store.submissions(P, locality=data.LOCALITY)
    got = data.table_rows(subs[["version", "status", "superseded_by", "counting"]])
    assert got == [(1, "superseded", v3.id, False), (2, "superseded", v3.id, False), (3, "late", None, True)]
    latest = store.submissions(P, locality=data.LOCALITY, latest=True)
    assert list(latest["id"]) == [v3.id] and list(latest["sender"]) == ["vp@thaibinh.gov.vn"]
    assert list(latest["channel"]) == ["email"]


def test_a_file_received_earlier_but_stored_later_does_not_count(store: Store) -> None:
    early, late = data.sha("early"), data.sha("late")
    with store.run(locality=data.LOCALITY, period=P) as run:
        _file(run, late, 15)
        _file(run, early, 9)
        newer = run.record_submission(
            unit_code="TUPHAP", sha256=late, file_name="l.xlsx", received_at=data.when(15)
        )
        older = run.record_submission(
            unit_code="TUPHAP", sha256=early, file_name="e.xlsx", received_at=data.when(9)
        )
    assert (newer.version, older.version) == (1, 2)
    assert (older.status, older.superseded_by) == ("superseded", newer.id)
    latest = store.submissions(P, locality=data.LOCALITY, latest=True)
    assert list(latest["version"]) == [2]  # the highest version ...
    assert not bool(latest["counting"].iloc[0])  # ... which does not count
    counting = store.submissions(P, locality=data.LOCALITY).query("counting")
    assert list(counting["id"]) == [newer.id]


def test_rejected_return_never_supersedes_and_unknown_files_are_kept(store: Store) -> None:
    good, bad, junk1, junk2 = (data.sha(x) for x in ("good", "bad", "junk1", "junk2"))
    with store.run(locality=data.LOCALITY, period=P) as run:
        for i, digest in enumerate((good, bad, junk1, junk2)):
            _file(run, digest, 10 + i)
        ok = run.record_submission(
            unit_code="YTE", sha256=good, file_name="g.xlsx", received_at=data.when(10), status="on_time"
        )
        refused = run.record_submission(
            unit_code="YTE",
            sha256=bad,
            file_name="b.xlsx",
            received_at=data.when(11),
            status="rejected",
            errors=1,
        )
        u1 = run.record_submission(
            unit_code=None, sha256=junk1, file_name="?.xlsx", received_at=data.when(12), status="rejected"
        )
        u2 = run.record_submission(
            unit_code=None, sha256=junk2, file_name="??.xlsx", received_at=data.when(13), status="rejected"
        )
        same = run.record_submission(
            unit_code=None, sha256=junk1, file_name="?.xlsx", received_at=data.when(12), status="rejected"
        )
        run.update_submission(ok.id, errors=2, warnings=5)
    assert (refused.version, refused.status, refused.superseded_by) == (2, "rejected", None)
    assert (u1.version, u2.version, same.id, same.created) == (1, 2, u1.id, False)
    subs = store.submissions(P, locality=data.LOCALITY)
    by_id = {int(r.id): r for r in subs.itertuples()}
    assert by_id[ok.id].status == "on_time" and bool(by_id[ok.id].counting)
    assert (by_id[ok.id].errors, by_id[ok.id].warnings) == (2, 5)
    assert not bool(by_id[refused.id].counting)
    assert list(subs["unit_code"].iloc[:2]) == [None, None]  # not identified: listed first, every one kept
    latest = store.submissions(P, locality=data.LOCALITY, latest=True)
    assert sorted(latest["id"].astype(int)) == sorted([refused.id, u1.id, u2.id])


def test_versions_are_per_unit_period_and_locality(store: Store) -> None:
    a = data.sha("shared")
    with store.run(locality=data.LOCALITY, period="2023-10") as run:
        _file(run, a, 10)
        r1 = run.record_submission(unit_code="VP", sha256=a, file_name="a.xlsx", received_at=data.when(10))
        r2 = run.record_submission(
            unit_code="VP", sha256=a, file_name="a.xlsx", received_at=data.when(10), period="2023-11"
        )
        r3 = run.record_submission(unit_code="NOIVU", sha256=a, file_name="a.xlsx", received_at=data.when(10))
    with store.run(locality="TP_KHAC", period="2023-10") as run:
        r4 = run.record_submission(unit_code="VP", sha256=a, file_name="a.xlsx", received_at=data.when(10))
    assert [r.version for r in (r1, r2, r3, r4)] == [1, 1, 1, 1]
    assert len({r.id for r in (r1, r2, r3, r4)}) == 4
    found = store.find_submission(a, locality=data.LOCALITY, period="2023-11", unit_code="VP")
    assert found is not None and (found.id, found.created) == (r2.id, False)
    assert store.find_submission(a, locality=data.LOCALITY, period="2023-12", unit_code="VP") is None
    assert (
        store.find_submission(data.sha("nope"), locality=data.LOCALITY, period="2023-10", unit_code="VP")
        is None
    )
    everywhere = store.file_submissions(a)
    assert list(zip(everywhere["locality"], everywhere["period"], everywhere["unit_code"], strict=True)) == [
        ("TP_KHAC", "2023-10", "VP"),
        (data.LOCALITY, "2023-10", "NOIVU"),
        (data.LOCALITY, "2023-10", "VP"),
        (data.LOCALITY, "2023-11", "VP"),
    ]


def test_bad_arguments_are_refused_before_writing(store: Store) -> None:
    with store.run(locality=data.LOCALITY, period=P) as run:
        with pytest.raises(ValueError, match="channel"):
            run.record_file(data.sha("x"), size=1, name="x", channel="fax", received_at=data.when(1))
        with pytest.raises(ValueError, match="status"):
            run.record_submission(
                unit_code="VP",
                sha256=data.sha("x"),
                file_name="x",
                received_at=data.when(1),
                status="missing",
            )
    assert store.check().counts["files"] == 0


def _returns() -> pd.DataFrame:
    """Returns as a run receives them: repeats, changed files, a late-stored early file, refusals."""
    rows = []
    plan = [
        ("VP", "a", 10, "on_time"),
        ("VP", "a", 10, "on_time"),  # the same file twice in one batch
        ("VP", "b", 12, "on_time"),
        ("NOIVU", "c", 14, "late"),
        ("NOIVU", "d", 11, "on_time"),  # received before c, stored after it
        ("YTE", "e", 10, "on_time"),
        ("YTE", "f", 13, "rejected"),
        (None, "g", 9, "rejected"),
        (None, "h", 9, "rejected"),
        ("TUPHAP", "old", 8, "on_time"),  # stored by an earlier run
        ("TUPHAP", "i", 15, "late"),
    ]
    for unit, key, day, status in plan:
        rows.append(
            {
                "sha256": data.sha(key),
                "size": len(key),
                "file_name": f"{key}.xlsx",
                "channel": "email" if key in "ce" else "inbox",
                "sender": "x@thaibinh.gov.vn" if key == "c" else None,
                "received_at": pd.Timestamp(data.when(day)),
                "unit_code": unit,
                "status": status,
                "errors": 1 if status == "rejected" else 0,
                "warnings": 2,
            }
        )
    return pd.DataFrame(rows, index=pd.RangeIndex(100, 100 + len(rows)))


def _earlier_run(store: Store) -> None:
    with store.run(locality=data.LOCALITY, period=P) as run:
        _file(run, data.sha("old"), 8)
        run.record_submission(
            unit_code="TUPHAP",
            sha256=data.sha("old"),
            file_name=f"{data.sha('old')[:4]}.xlsx",
            received_at=data.when(8),
            status="on_time",
        )


def test_record_returns_in_bulk_is_record_one_by_one(
    dialect: str, tmp_path: object, request: pytest.FixtureRequest
) -> None:
    from pathlib import Path

    from pipeline.store import open_store
    from tests.store.conftest import new_url

    base = Path(str(tmp_path))
    frame = _returns()
    one = open_store(new_url(dialect, base, request, "one"), default_path=base / "x.sqlite")
    many = open_store(new_url(dialect, base, request, "many"), default_path=base / "x.sqlite")
    try:
        for s in (one, many):
            _earlier_run(s)
        with one.run(locality=data.LOCALITY, period=P) as run:
            singles = []
            for r in frame.to_dict("records"):
                run.record_file(
                    r["sha256"],
                    size=r["size"],
                    name=r["file_name"],
                    channel=r["channel"],
                    received_at=r["received_at"].to_pydatetime(),
                    sender=r["sender"],
                )
                singles.append(
                    run.record_submission(
                        unit_code=r["unit_code"],
                        sha256=r["sha256"],
                        file_name=r["file_name"],
                        received_at=r["received_at"].to_pydatetime(),
                        status=r["status"],
                        errors=r["errors"],
                        warnings=r["warnings"],
                    )
                )
        with many.run(locality=data.LOCALITY, period=P) as run:
            got = run.record_returns(frame)
        assert list(got.index) == list(frame.index)
        assert list(got["submission_id"]) == [r.id for r in singles]
        assert list(got["version"]) == [r.version for r in singles] == [1, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2]
        assert list(got["created"]) == [r.created for r in singles]
        assert list(got["created"]) == [True, False, True, True, True, True, True, True, True, False, True]
        assert list(got["new_file"]) == [True, False, True, True, True, True, True, True, True, False, True]
        for name in ("files", "submissions"):
            a, b = base / f"a-{name}", base / f"b-{name}"
            one.export(a)
            many.export(b)
            assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes()
        subs = many.submissions(P, locality=data.LOCALITY)
        counting = subs[subs["counting"]]
        assert sorted(zip(counting["unit_code"], counting["file_name"], strict=True)) == [
            ("NOIVU", "c.xlsx"),
            ("TUPHAP", "i.xlsx"),
            ("VP", "b.xlsx"),
            ("YTE", "e.xlsx"),
        ]
        assert many.find_file(data.sha("c")).sender == "x@thaibinh.gov.vn"  # type: ignore[union-attr]
    finally:
        one.close()
        many.close()


def test_a_period_of_many_units_versions_one_units_return_alone(store: Store) -> None:
    """A run of many units reads the period's returns; a call for one unit (an upload) reads only
    that unit's and the unidentified ones: both number and settle alike."""
    from pipeline.store.returns import FEW_UNITS

    units = [f"X{i:03d}" for i in range(FEW_UNITS + 10)]
    rows = [
        {
            "sha256": data.sha(u),
            "size": 10,
            "file_name": f"{u}.xlsx",
            "channel": "inbox",
            "received_at": pd.Timestamp(data.when(10)),
            "unit_code": u,
            "status": "on_time",
        }
        for u in units
    ]
    rows.append({**rows[0], "sha256": data.sha("nobody"), "file_name": "nobody.xlsx", "unit_code": None,
                 "status": "rejected"})  # fmt: skip
    with store.run(locality=data.LOCALITY, period=P) as run:
        first = run.record_returns(pd.DataFrame(rows))
    assert set(first["version"]) == {1} and len(first) == len(units) + 1
    with store.run(locality=data.LOCALITY, period=P) as run:
        _file(run, data.sha("X005 again"), 12)
        again = run.record_submission(
            unit_code="X005",
            sha256=data.sha("X005 again"),
            file_name="X005 (1).xlsx",
            received_at=data.when(12),
        )
        same = run.record_submission(
            unit_code="X007", sha256=data.sha("X007"), file_name="X007.xlsx", received_at=data.when(13)
        )
        _file(run, data.sha("nobody 2"), 12)
        unknown = run.record_submission(
            unit_code=None, sha256=data.sha("nobody 2"), file_name="n2.xlsx", received_at=data.when(12),
            status="rejected",
        )  # fmt: skip
    assert (again.version, again.created) == (2, True)
    assert (same.version, same.created) == (1, False)
    assert (unknown.version, unknown.created) == (2, True)  # numbered among the unidentified files
    subs = store.submissions(P, locality=data.LOCALITY, unit_code="X005").set_index("version")
    assert subs.loc[1, "status"] == "superseded" and int(subs.loc[1, "superseded_by"]) == again.id
    assert bool(subs.loc[2, "counting"]) is True
    others = store.submissions(P, locality=data.LOCALITY)
    assert int((others["status"] == "superseded").sum()) == 1  # no other unit's return was touched


def test_a_units_returns_read_alone_are_those_of_the_period(store: Store) -> None:
    """``unit_returns`` and ``submission`` (what an upload and its page read) give the same
    returns, statuses, times and counts as ``submissions`` of the whole period."""
    shas = [data.sha("unit-alone", str(k)) for k in range(4)]
    with store.run(locality=data.LOCALITY, period=P) as run:
        for k, digest in enumerate(shas):
            _file(run, digest, 10 + k)
        first = run.record_submission(
            unit_code="YTE", sha256=shas[0], file_name="a.xlsx", received_at=data.when(10), status="on_time"
        )
        run.record_submission(
            unit_code="YTE", sha256=shas[1], file_name="b.xlsx", received_at=data.when(11), status="rejected"
        )
        run.record_submission(
            unit_code="YTE", sha256=shas[2], file_name="c.xlsx", received_at=data.when(12), status="late"
        )
        run.record_submission(
            unit_code="VP", sha256=shas[3], file_name="d.xlsx", received_at=data.when(13), status="on_time"
        )
        run.update_submission(first.id, errors=3, warnings=1)
        inside = run.submission(first.id)
    whole = store.submissions(P, locality=data.LOCALITY)
    for unit in ("YTE", "VP", "NOIVU"):
        mine = whole[whole["unit_code"] == unit]
        got = store.unit_returns(P, locality=data.LOCALITY, unit_code=unit)
        assert [
            (
                r.id,
                r.version,
                r.status,
                r.superseded_by,
                r.received_at,
                r.errors,
                r.warnings,
                r.channel,
                r.counting,
            )
            for r in got
        ] == [
            (
                int(r.id),
                int(r.version),
                r.status,
                None if pd.isna(r.superseded_by) else int(r.superseded_by),
                r.received_at.to_pydatetime(),
                int(r.errors),
                int(r.warnings),
                r.channel,
                bool(r.counting),
            )
            for r in mine.itertuples()
        ]
        for r in got:
            assert store.submission(r.id) == SubmissionRef(r.id, r.version, False, r.status, r.superseded_by)
    assert [r.counting for r in store.unit_returns(P, locality=data.LOCALITY, unit_code="YTE")] == [
        False,
        False,
        True,
    ]
    assert inside == store.submission(first.id) and inside is not None and not inside.counting
    assert store.submission(10**9) is None
