"""The 5×5 risk matrix: where the risk assessments lie, for a server-drawn SVG picture."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from ..models import RiskAssessment

SIZE = 5
CELL = 56  # pixels per cell in the SVG
MARGIN = 40  # room for the axis labels


@dataclass(frozen=True)
class Cell:
    probability: int
    consequence: int
    count: int

    @property
    def risk(self) -> int:
        return self.probability * self.consequence

    @property
    def level(self) -> str:
        return RiskAssessment.level_of(self.risk).value

    @property
    def x(self) -> int:
        return MARGIN + (self.consequence - 1) * CELL

    @property
    def y(self) -> int:
        # Probability grows upwards, as risk matrices are drawn.
        return (SIZE - self.probability) * CELL

    @property
    def cx(self) -> int:
        return self.x + CELL // 2

    @property
    def cy(self) -> int:
        return self.y + CELL // 2


def risk_matrix(assessments: QuerySet[RiskAssessment]) -> list[list[Cell]]:
    """Rows from the highest probability down, each with consequence 1–5 and the number of
    ``assessments`` in that cell (one grouped query)."""
    counts = {
        (row["probability"], row["consequence"]): row["n"]
        for row in assessments.order_by()
        .values("probability", "consequence")
        .annotate(n=Count("pk"))
    }
    return [
        [Cell(p, c, counts.get((p, c), 0)) for c in range(1, SIZE + 1)] for p in range(SIZE, 0, -1)
    ]


def matrix_size() -> dict[str, int]:
    """Dimensions the SVG template needs."""
    side = SIZE * CELL
    return {"cell": CELL, "margin": MARGIN, "width": MARGIN + side, "height": side + MARGIN}
