"""The item analysis: ``item_analysis.csv`` and ``report.html`` with inline SVG charts.

Reading it (docs/guias/profesorado.md): facility near 0 or 1 tells little; a
discrimination below 0.2 asks for a look at the item (and below 0 usually means a
wrong key or an ambiguous question); a wrong answer chosen by many is worth a class.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..model import Bank
from ..stats import ClassStats, ItemStats
from .base import CsvWriter, decimal, number_cell, points
from .feedback import CSS

_TEMPLATE = jinja2.Environment(
    loader=jinja2.PackageLoader("comprende", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
).get_template("analysis.html")

#: Below this item–rest correlation an item deserves a look.
LOW_DISCRIMINATION = 0.2


def key_label(bank: Bank, item_id: str) -> str:
    """The label (as in the frequencies) of the right answer, when it has one."""
    item = bank.item(item_id)
    return item.kind.key_label(item)


def _frequencies(stats: ItemStats, key: str, limit: int = 8) -> str:
    parts = []
    for label, count in stats.frequencies[:limit]:
        mark = " (clave)" if label == key else ""
        parts.append(
            f"{label}{mark}: {count} ({100 * count / stats.n:.0f} %)" if stats.n else label
        )
    if len(stats.frequencies) > limit:
        parts.append(f"… y {len(stats.frequencies) - limit} respuestas distintas más")
    return "; ".join(parts)


def write_item_analysis(path: Path, bank: Bank, stats: ClassStats) -> None:
    with path.open("w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
        writer = CsvWriter(handle)
        writer.row(
            [
                "item",
                "set",
                "type",
                "points",
                "n",
                "mean",
                "facility",
                "sd",
                "discrimination",
                "flag",
                "answers",
            ]
        )
        for item_stats in stats.items:
            item = bank.item(item_stats.item_id)
            writer.row(
                [
                    item.id,
                    item.set_id,
                    item.type,
                    number_cell(points(item.points)),
                    number_cell(str(item_stats.n)),
                    number_cell(decimal(item_stats.mean)),
                    number_cell(decimal(item_stats.facility)),
                    number_cell(decimal(item_stats.sd)),
                    number_cell(decimal(item_stats.discrimination)),
                    _flag(item_stats),
                    _frequencies(item_stats, key_label(bank, item.id), limit=20),
                ]
            )


def _flag(stats: ItemStats) -> str:
    if stats.n < 2:
        return ""
    if stats.discrimination is None:
        return "sin variación: todos obtienen la misma puntuación"
    if stats.discrimination < 0:
        return "discriminación negativa: revisa la clave y el enunciado"
    if stats.discrimination < LOW_DISCRIMINATION:
        return "discriminación baja"
    if stats.facility > 0.9:
        return "muy fácil"
    if stats.facility < 0.2:
        return "muy difícil"
    return ""


def _histogram(stats: ClassStats) -> dict[str, Any]:
    width, height, bar = 420, 180, 38
    top = max(stats.histogram) or 1
    bars = []
    for index, count in enumerate(stats.histogram):
        h = round((height - 16) * count / top)  # room for the tallest bar's label
        x = 10 + index * (bar + 2)
        bars.append({"x": x, "h": h, "middle": x + bar / 2, "low": index * 10, "count": count})
    return {"width": width, "height": height, "bar": bar, "bars": bars}


def _chart(stats: ClassStats) -> dict[str, Any]:
    row, label_width, bar_width = 16, 190, 200
    zero = label_width + bar_width + 20 + bar_width / 2
    rows = []
    for index, item in enumerate(stats.items):
        entry: dict[str, Any] = {
            "y": 16 + index * row,
            "id": item.item_id,
            "facility_width": round(bar_width * item.facility, 1),
            "facility": decimal(item.facility, 2),
            "discrimination_width": None,
        }
        if item.discrimination is not None:
            w = round(bar_width / 2 * abs(item.discrimination), 1)
            entry |= {
                "discrimination_width": w,
                "discrimination_x": zero if item.discrimination >= 0 else zero - w,
                "discrimination": decimal(item.discrimination, 2),
                "color": "#cf222e" if item.discrimination < LOW_DISCRIMINATION else "#8250df",
            }
        rows.append(entry)
    return {
        "row": row,
        "label_width": label_width,
        "bar_width": bar_width,
        "width": label_width + 2 * bar_width + 40,
        "height": row * len(stats.items) + 24,
        "zero": zero,
        "rows": rows,
    }


def render_report(
    bank: Bank, stats: ClassStats, *, graded: int, not_graded: int, pending: int
) -> str:
    """``report.html``: the summary, the two charts and a row per item (Jinja2)."""
    reliability = (
        decimal(stats.reliability, 2, comma=True)
        if stats.reliability is not None
        else "no se puede calcular (hacen falta al menos 2 estudiantes con puntuaciones distintas)"
    )
    summary = [
        ("Estudiantes corregidos", str(graded)),
        ("Archivos no corregidos (errors.csv)", str(not_graded)),
        ("Respuestas abiertas pendientes (pending.csv)", str(pending)),
        ("Puntuación automática máxima", points(stats.possible, comma=True)),
        ("Media", decimal(stats.mean, 2, comma=True)),
        ("Mediana", decimal(stats.median, 2, comma=True)),
        ("Desviación típica", decimal(stats.sd, 2, comma=True)),
        (
            "Mínimo y máximo",
            f"{points(stats.minimum, comma=True)} y {points(stats.maximum, comma=True)}",
        ),
        ("Fiabilidad (KR-20 / alfa de Cronbach)", reliability),
    ]
    rows = []
    for item_stats in stats.items:
        item = bank.item(item_stats.item_id)
        rows.append(
            {
                "id": item.id,
                "type": item.kind.name,
                "points": points(item.points, comma=True),
                "facility": decimal(item_stats.facility, 2, comma=True),
                "discrimination": decimal(item_stats.discrimination, 2, comma=True),
                "flag": _flag(item_stats),
                "answers": _frequencies(item_stats, key_label(bank, item.id)),
            }
        )
    return _TEMPLATE.render(
        title=bank.title,
        css=Markup(CSS),
        summary=summary,
        hist=_histogram(stats),
        chart=_chart(stats),
        rows=rows,
    )
