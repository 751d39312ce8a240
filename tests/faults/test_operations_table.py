"""docs/OPERATIONS.md's fault table lists exactly the faults the tests try, in their
words, each with an observation; and every fault has a test that records it."""

from __future__ import annotations

from pathlib import Path

from fault_record import FAULTS
from fault_table import GUIDE, table_rows


def test_the_guide_lists_every_fault_tried_with_what_was_observed() -> None:
    rows = table_rows(GUIDE.read_text())
    assert list(rows) == list(FAULTS)
    for name, (done, guarantee, observed) in rows.items():
        assert done == FAULTS[name].done.replace("|", "\\|"), name
        assert guarantee == FAULTS[name].guarantee.replace("|", "\\|"), name
        assert observed and observed != "not observed in this run", name


def test_every_fault_has_a_test_that_records_it() -> None:
    sources = "".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py"))
    for name in FAULTS:
        assert f'observe(\n        "{name}"' in sources or f'observe("{name}"' in sources, name
