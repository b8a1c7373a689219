"""Rules: whose return it is (:mod:`.identify`), its cells normalised (:mod:`.extract`, per file),
the pandera schemas built from the catalogue (:mod:`.schemas`) run over every return of a run
at once (:mod:`.validate`), and ``dti validate`` on single files (:mod:`.files`)."""

from pipeline.rules.extract import Prepared, prepare
from pipeline.rules.validate import Checked, Validated, check_prepared, check_returns

__all__ = ["Checked", "Prepared", "Validated", "check_prepared", "check_returns", "prepare"]
