"""Write the fault table of docs/OPERATIONS.md from what the fault tests observed.

    python tests/faults/fault_table.py      # after `make test` (or pytest tests/faults)

Reads build/faults.jsonl (fault_record.LOG), keeps the latest observation of each
fault, and replaces the lines between the table markers of the guide. A fault no test
observed yet keeps the guide's row, marked "not observed in this run".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fault_record import FAULTS, LOG, ROOT, git_head

GUIDE = ROOT / "docs" / "OPERATIONS.md"
BEGIN, END = "<!-- fault-table:begin -->", "<!-- fault-table:end -->"
HEADER = (
    "| fault | what the test breaks | what must hold | what was observed |",
    "|---|---|---|---|",
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_rows(text: str) -> dict[str, list[str]]:
    """The guide's table as {fault: [done, guarantee, observed]} (for the check test)."""
    body = text.split(BEGIN, 1)[1].split(END, 1)[0]
    rows = {}
    for line in body.splitlines():
        if line.startswith("| ") and not line.startswith(HEADER[0]):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            rows[cells[0].strip("`")] = cells[1:]
    return rows


def render(observed: dict[str, dict], previous: dict[str, list[str]]) -> str:
    lines = list(HEADER)
    for name, fault in FAULTS.items():
        seen = observed.get(name)
        if seen is not None:
            result = f"{seen['observed']} ({seen['at']}, {seen.get('commit', '?')})"
        elif name in previous:
            result = previous[name][2]
        else:
            result = "not observed in this run"
        lines.append(
            f"| `{name}` | {_cell(fault.done)} | {_cell(fault.guarantee)} | {_cell(result)} |"
        )
    return "\n".join(lines)


def main() -> int:
    latest: dict[tuple[str, str], dict] = {}
    if LOG.exists():
        for line in LOG.read_text().splitlines():
            if line.strip():
                entry = json.loads(line)
                latest[(entry["name"], entry.get("variant", ""))] = entry
    observed: dict[str, dict] = {}
    for (name, _variant), entry in sorted(latest.items()):
        # The latest observation of each variant (backend) of a fault, side by side.
        seen = observed.get(name)
        text = entry["observed"] if seen is None else f"{seen['observed']}. {entry['observed']}"
        observed[name] = {**entry, "observed": text, "commit": git_head()}
    text = GUIDE.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    table = render(observed, table_rows(text))
    GUIDE.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}")
    print(f"{GUIDE.relative_to(ROOT)}: {len(observed)} of {len(FAULTS)} faults from {LOG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
