"""The item analysis: ``item_analysis.csv`` and ``report.html`` with inline SVG charts.

Reading it (docs/guias/profesorado.md): facility near 0 or 1 tells little; a
discrimination below 0.2 asks for a look at the item (and below 0 usually means a
wrong key or an ambiguous question); a wrong answer chosen by many is worth a class.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Bank
from ..stats import ClassStats, ItemStats
from .base import CsvWriter, decimal, html, number_cell, points
from .feedback import CSS

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


def _histogram_svg(stats: ClassStats) -> str:
    width, height, bar = 420, 180, 38
    top = max(stats.histogram) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 30}" '
        f'width="{width}" height="{height + 30}" role="img" '
        'aria-label="Histograma de puntuaciones por porcentaje">'
    ]
    for index, count in enumerate(stats.histogram):
        h = round((height - 16) * count / top)  # room for the tallest bar's label
        x = 10 + index * (bar + 2)
        parts.append(
            f'<rect x="{x}" y="{height - h}" width="{bar}" height="{h}" fill="#0969da">'
            f"<title>{index * 10}–{index * 10 + 10} %: {count}</title></rect>"
        )
        parts.append(
            f'<text x="{x + bar / 2}" y="{height + 14}" font-size="10" '
            f'text-anchor="middle">{index * 10}</text>'
        )
        if count:
            parts.append(
                f'<text x="{x + bar / 2}" y="{height - h - 3}" font-size="10" '
                f'text-anchor="middle">{count}</text>'
            )
    parts.append(
        f'<text x="{width / 2}" y="{height + 28}" font-size="10" text-anchor="middle">'
        "porcentaje de la puntuación automática</text></svg>"
    )
    return "".join(parts)


def _items_svg(stats: ClassStats) -> str:
    row, label_width, bar_width = 16, 190, 200
    height = row * len(stats.items) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_width + 2 * bar_width + 40} '
        f'{height}" width="{label_width + 2 * bar_width + 40}" height="{height}" role="img" '
        'aria-label="Facilidad y discriminación de cada pregunta">',
        f'<text x="{label_width}" y="10" font-size="10">facilidad (0–1)</text>',
        f'<text x="{label_width + bar_width + 20}" y="10" font-size="10">discriminación (−1–1)</text>',
    ]
    zero = label_width + bar_width + 20 + bar_width / 2
    for index, item in enumerate(stats.items):
        y = 16 + index * row
        parts.append(
            f'<text x="{label_width - 4}" y="{y + 10}" font-size="10" '
            f'text-anchor="end">{html(item.item_id)}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{round(bar_width * item.facility, 1)}" '
            f'height="{row - 4}" fill="#1a7f37"><title>{decimal(item.facility, 2)}</title></rect>'
        )
        if item.discrimination is not None:
            w = round(bar_width / 2 * abs(item.discrimination), 1)
            x = zero if item.discrimination >= 0 else zero - w
            color = "#cf222e" if item.discrimination < LOW_DISCRIMINATION else "#8250df"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{w}" height="{row - 4}" fill="{color}">'
                f"<title>{decimal(item.discrimination, 2)}</title></rect>"
            )
    parts.append(f'<line x1="{zero}" y1="14" x2="{zero}" y2="{height}" stroke="#555"/></svg>')
    return "".join(parts)


def render_report(
    bank: Bank, stats: ClassStats, *, graded: int, not_graded: int, pending: int
) -> str:
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
            f"<tr><td>{html(item.id)}</td><td>{html(item.kind.name)}</td>"
            f"<td>{points(item.points, comma=True)}</td><td>{decimal(item_stats.facility, 2, comma=True)}</td>"
            f"<td>{decimal(item_stats.discrimination, 2, comma=True) or '—'}</td>"
            f"<td>{html(_flag(item_stats))}</td>"
            f"<td>{html(_frequencies(item_stats, key_label(bank, item.id)))}</td></tr>"
        )
    return (
        f'<!DOCTYPE html>\n<html lang="es">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Análisis de la clase: {html(bank.title)}</title>\n<style>{CSS}\n"
        "main{max-width:none}table{border-collapse:collapse;font-size:.85rem}"
        "td,th{border:1px solid #ccc;padding:.2rem .4rem;vertical-align:top}</style>\n"
        f"</head>\n<body>\n<main>\n<h1>Análisis de la clase: {html(bank.title)}</h1>\n"
        "<h2>Resumen</h2>\n<table>\n"
        + "\n".join(f"<tr><th>{html(k)}</th><td>{html(v)}</td></tr>" for k, v in summary)
        + "\n</table>\n<p>Solo cuentan las preguntas corregidas automáticamente; una pregunta "
        "sin responder cuenta 0.</p>\n<h2>Distribución de las puntuaciones</h2>\n"
        + _histogram_svg(stats)
        + "\n<h2>Preguntas</h2>\n<p>Facilidad: proporción media de los puntos obtenidos "
        "(cerca de 1, fácil). Discriminación: correlación entre la pregunta y el resto de la "
        "prueba; por debajo de 0,2 conviene revisarla, y si es negativa, revisa la clave.</p>\n"
        + _items_svg(stats)
        + "\n<table>\n<tr><th>Pregunta</th><th>Tipo</th><th>Puntos</th><th>Facilidad</th>"
        "<th>Discriminación</th><th>Aviso</th><th>Respuestas (más frecuentes primero)</th></tr>\n"
        + "\n".join(rows)
        + "\n</table>\n</main>\n</body>\n</html>\n"
    )
