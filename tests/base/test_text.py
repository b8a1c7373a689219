"""How a cell's value is shown in a message and the issues list."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from pipeline.base.codes import Code
from pipeline.base.issues import issue
from pipeline.base.text import show_value


def test_a_missing_value_shows_as_no_text() -> None:
    """An empty cell as a frame holds it (NaN, NA, NaT) is shown as nothing, never «nan»."""
    for missing in (None, math.nan, np.nan, np.float64("nan"), pd.NA, pd.NaT):
        assert show_value(missing) == "", repr(missing)
    assert [show_value(v) for v in ("nan", "NaN", 0, 0.0, 1.5, False, date(2023, 10, 5))] == [
        "nan",
        "NaN",
        "0",
        "0.0",
        "1.5",
        "False",
        "2023-10-05",
    ]
    assert show_value(pd.Series([np.nan, "x"]).astype("str")[0]) == ""  # pandas 3's text column


def test_an_issue_on_an_empty_cell_names_no_value() -> None:
    found = issue(
        Code.EVIDENCE_REQUIRED,
        file="a.xlsx",
        cell="K6",
        value=float("nan"),
        task="PL01-1.3",
        done="Hoàn thành",
        evidence="Minh chứng",
    )
    assert found.value == "" and "nan" not in found.message
