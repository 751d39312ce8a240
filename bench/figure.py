"""A measured figure beside its baseline, measured in the same run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    baseline_name: str | None = None
    baseline_value: float | None = None
    target: str = ""
    ok: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline_value in (None, 0):
            return None
        return self.value / self.baseline_value

    def line(self) -> str:
        text = f"{self.name}: {self.value:,.2f} {self.unit}"
        if self.baseline_name is not None and self.baseline_value is not None:
            text += f" | baseline {self.baseline_name}: {self.baseline_value:,.2f} {self.unit}"
            if self.ratio is not None:
                text += f" | ratio {self.ratio:.2f}x"
        if self.target:
            verdict = "" if self.ok is None else (" OK" if self.ok else " MISSED")
            text += f" | target {self.target}{verdict}"
        return text
