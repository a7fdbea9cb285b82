"""The benchmarks' tables, printed as Markdown (the README takes them as they are)."""

from __future__ import annotations


def print_table(title: str, rows: list[list[str]]) -> None:
    """Rows (the first one the header) as a Markdown table, under a title line."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print(f"\n{title}")
    for row in rows:
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                         strict=True)) + " |")
