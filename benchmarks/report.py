"""Report finished runs: ``python -m benchmarks.report DIR [DIR ...] [--plots OUTDIR] [--out FILE.md]``.

Each DIR is an output directory of ``python -m benchmarks.run``. The report is Markdown on
stdout: one row per run, the published numbers on the same items (:mod:`benchmarks.anchors`),
breakdowns by label, method, depth and question type, and which runs are comparable.

Runs on the same dataset/subset are compared with the first one named. They are comparable when
the whole ``manifest`` (as dotted keys) and the ``config`` keys in :data:`OUTPUT_CONFIG_KEYS` are
equal; a key on one side only is a difference, and a differing commit is listed as "code
differs". Keys that cannot change a number are ignored (:data:`IGNORED`): timestamps,
``manifest.machine.os``, a ``path`` whose sibling ``sha256`` is equal, and the Prover9 binary's
location. ``--plots`` needs matplotlib (``pip install "neurologic[plots]"``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .anchors import anchors_for
from .compare import ABSENT
from .compare import IGNORED
from .compare import OUTPUT_CONFIG_KEYS
from .finished_runs import ReportError
from .finished_runs import Run
from .finished_runs import is_multiple_choice
from .finished_runs import load_run
from .finished_runs import load_runs
from .finished_runs import read_samples
from .report_data import DASH
from .report_data import ENTAILMENT_LABELS
from .report_data import LETTERS
from .report_data import Comparison
from .report_data import PlotsUnavailable
from .report_data import accuracy_by
from .report_data import comparisons
from .report_data import depth_table
from .report_data import faithful_cell
from .report_data import groups_of
from .report_data import letter
from .report_data import model_label
from .report_data import per_label
from .report_data import per_label_from_records
from .report_data import question_type_key
from .report_data import run_fidelity
from .report_data import samples_voted
from .report_data import served_from_cache
from .report_data import summary
from .report_data import tokens_per_item

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

__all__ = [
    "Comparison",
    "ENTAILMENT_LABELS",
    "LETTERS",
    "PlotsUnavailable",
    "ReportError",
    "Run",
    "accuracy_by",
    "comparisons",
    "count",
    "depth_table",
    "faithful_cell",
    "is_multiple_choice",
    "letter",
    "load_run",
    "load_runs",
    "main",
    "model_label",
    "pct",
    "per_label",
    "per_label_from_records",
    "question_type_key",
    "read_samples",
    "render",
    "render_anchors",
    "render_breakdowns",
    "render_main_table",
    "run_fidelity",
    "samples_voted",
    "seconds",
    "served_from_cache",
    "summary",
    "tokens_per_item",
    "write_plots",
]

# --------------------------------------------------------------------------- rendering


def render(runs: Sequence[Run], plots: Sequence[Path] = (), plots_base: Path | None = None) -> str:
    """The whole Markdown report for ``runs`` (plot links relative to ``plots_base``)."""
    parts = [
        "# Benchmark report",
        render_main_table(runs),
        render_anchors(runs),
        render_breakdowns(runs),
    ]
    if plots:
        links = [
            Path(os.path.relpath(p, plots_base) if plots_base else p).as_posix() for p in plots
        ]
        parts.append(
            "## Plots\n\n" + "\n\n".join(f"![{p.stem}]({link})" for p, link in zip(plots, links))
        )
    return "\n\n".join(part.strip() for part in parts) + "\n"


def render_main_table(runs: Sequence[Run]) -> str:
    """One row per run, with the "comparable" column and its footnotes."""
    compared = comparisons(runs)
    header = (
        "run",
        "dataset/subset",
        "n",
        "accuracy %",
        "faithful right",
        "executable %",
        "fallback %",
        "median / item",
        "tokens / item",
        "model",
        "parser",
        "K",
        "R",
        "solver",
        "comparable",
    )
    lines = [_row(header), _row(["---"] * len(header))]
    notes: list[str] = []
    any_warm = False
    for run in runs:
        s = summary(run)
        any_warm = any_warm or s["warm"]
        comparison = compared.get(run.name)
        if comparison is None:
            mark = DASH
        elif comparison.run == comparison.reference:
            mark = "reference"
        elif comparison.comparable:
            mark = "yes"
        else:
            notes.append(_footnote(len(notes) + 1, comparison))
            mark = f"no {str(len(notes)).translate(_SUPERSCRIPT)}"
        lines.append(
            _row(
                [
                    run.name,
                    run.group,
                    s["n"],
                    pct(s["accuracy"]),
                    faithful_cell(s["fidelity"]),
                    pct(s["executable_rate"]),
                    pct(s["fallback_rate"]),
                    seconds(s["median_s"]) + (" (warm)" if s["warm"] else ""),
                    count(s["tokens_per_item"]),
                    s["model"],
                    s["parser"],
                    s["samples"],
                    s["refine_rounds"],
                    s["solver"],
                    mark,
                ]
            )
        )
    out = "\n".join(lines) + "\n"
    if any_warm:
        out += (
            "\n(warm): most of the run's model calls were answered by the call cache, so its "
            "time per item is not a cold timing.\n"
        )
    if any(summary(run)["fidelity"] for run in runs):
        out += (
            "\nFaithful right: right True/False answers by a proof whose used premises' gold "
            "formulas entail the gold verdict / right answers by a proof, of the gold "
            "True/False items (benchmarks/fidelity.py). The published systems report no such "
            "number.\n"
        )
    if compared:
        out += (
            "\nComparable: same manifest (flattened) and config "
            f"({', '.join(OUTPUT_CONFIG_KEYS)}) as the first run on the same dataset/subset. "
            f"Ignored: {'; '.join(IGNORED)}.\n"
        )
    if notes:
        out += "\n" + "\n".join(notes) + "\n"
    return out


def _footnote(number: int, comparison: Comparison) -> str:
    lines = [
        f"{str(number).translate(_SUPERSCRIPT)} `{comparison.run}` vs `{comparison.reference}`:"
    ]
    for key, a, b in comparison.stack:
        lines.append(f"   - `{key}`: {_value(a)} → {_value(b)}")
    for key, a, b in comparison.code:
        lines.append(f"   - code differs: `{key}`: {_value(a)} → {_value(b)}")
        if any(isinstance(v, str) and v.endswith("+dirty") for v in (a, b)):
            lines.append("     (a +dirty commit had uncommitted changes)")
    return "\n".join(lines)


def render_anchors(runs: Sequence[Run]) -> str:
    """Per dataset/subset: this project's runs beside the published numbers on the same items."""
    out = ["## Published numbers on the same items", ""]
    for group, members in groups_of(runs).items():
        anchors = anchors_for(members[0].dataset, members[0].subset)
        out.append(f"### {group}\n")
        if not anchors:
            out.append(f"No published numbers on {group} in `benchmarks/anchors.py`.\n")
            continue
        sources = list(dict.fromkeys(a.source for a in anchors))
        ours = [(r.name, summary(r)) for r in members]
        rows = [
            (f"**{name}** (this project)", s["model"], s["n"], pct(s["accuracy"]), "results.json")
            for name, s in ours
        ]
        rows += [
            (
                a.system + (f" ({a.note})" if a.note else ""),
                a.model,
                a.n if a.n is not None else DASH,
                f"{a.accuracy:.2f}",
                f"[{sources.index(a.source) + 1}]",
            )
            for a in anchors
        ]
        out.append(_table(("system", "model", "n", "accuracy %", "source"), rows))
        out.append("  \n".join(f"[{i}] {source}" for i, source in enumerate(sources, start=1)))
        published_n = {a.n for a in anchors if a.n is not None}
        partial = [r for r in members if published_n and summary(r)["n"] not in published_n]
        if partial:
            listed = ", ".join(f"`{r.name}` ({summary(r)['n']})" for r in partial)
            sizes = " / ".join(str(n) for n in sorted(published_n))
            verb = "covers" if len(partial) == 1 else "cover"
            out.append(
                f"\nNot the same items: {listed} {verb} fewer items than the published {sizes}."
            )
        out.append("")
    return "\n".join(out) + "\n"


def render_breakdowns(runs: Sequence[Run]) -> str:
    """Per run: per label, per method, per proof depth and per question type."""
    out = ["## Breakdowns", ""]
    for run in runs:
        out.append(f"### {run.name} ({run.group})\n")
        title = (
            "Per option (gold and predicted as letters):" if run.multiple_choice else "Per label:"
        )
        rows = [
            (r["label"], _opt(r["n"]), _opt(r["correct"]), pct(r["accuracy"]), _opt(r["predicted"]))
            for r in per_label(run)
        ]
        out.append(title + "\n")
        out.append(_table(("label", "gold n", "correct", "accuracy %", "predicted"), rows))
        if not run.records:
            out.append(
                "_No samples.jsonl: per-method, per-depth and per-type tables need the records._\n"
            )
            continue
        if len(run.records) != summary(run)["n"]:
            n = summary(run)["n"]
            out.append(f"_samples.jsonl holds {len(run.records)} records, results.json n = {n}._\n")
        for title, key, label in (
            ("Per method:", "method", "method"),
            ("Per proof depth:", "meta.depth", "depth"),
        ):
            rows = accuracy_by(run.records, key)
            if rows:
                out.append(title + "\n")
                out.append(
                    _table(
                        (label, "n", "correct", "accuracy %"),
                        [(r["value"], r["n"], r["correct"], pct(r["accuracy"])) for r in rows],
                    )
                )
        type_key = question_type_key(run.records)
        if type_key:
            out.append("Per question type (an item of several types counts in each):\n")
            rows = [
                (r["value"], r["n"], r["correct"], pct(r["accuracy"]))
                for r in accuracy_by(run.records, type_key)
            ]
            out.append(_table(("type", "n", "correct", "accuracy %"), rows))
    return "\n".join(out) + "\n"


def pct(value: float | None) -> str:
    """A 0..1 rate as a percentage with one decimal; "—" for None."""
    return DASH if value is None else f"{100 * value:.1f}"


def seconds(value: float | None) -> str:
    """Seconds as "9.2 ms" below one second, else "32.4 s"; "—" for None."""
    if value is None:
        return DASH
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.1f} s"


def count(value: float | None) -> str:
    """A count with thousands separators; "—" for None."""
    return DASH if value is None else f"{value:,.0f}"


def _opt(value: Any) -> str:
    return DASH if value is None else str(value)


def _value(value: Any) -> str:
    return value if value == ABSENT else f"`{json.dumps(value, ensure_ascii=False)}`"


def _cell(value: Any) -> str:
    text = DASH if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _row(cells: Iterable[Any]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    return "\n".join([_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]) + "\n"


# --------------------------------------------------------------------------- plots


def write_plots(runs: Sequence[Run], outdir: str | os.PathLike[str]) -> list[Path]:
    """Write accuracy.png (runs beside anchors, per dataset/subset) and, when any ProofWriter run
    has depths, proofwriter_depth.png. Returns the paths written. Raises PlotsUnavailable."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch
    except ImportError:
        raise PlotsUnavailable(
            '--plots needs matplotlib: pip install "neurologic[plots]"'
        ) from None
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    written = [_accuracy_plot(runs, out / "accuracy.png", Figure, FigureCanvasAgg, Patch)]
    depth_runs = [(r.name, depth_table(r)) for r in runs if r.dataset == "proofwriter"]
    depth_runs = [(name, rows) for name, rows in depth_runs if rows]
    if depth_runs:
        written.append(
            _depth_plot(depth_runs, out / "proofwriter_depth.png", Figure, FigureCanvasAgg)
        )
    return written


def _accuracy_plot(runs: Sequence[Run], path: Path, Figure: Any, Canvas: Any, Patch: Any) -> Path:
    groups = groups_of(runs)
    widths = [len(m) + len(anchors_for(m[0].dataset, m[0].subset)) for m in groups.values()]
    fig = Figure(figsize=(max(6.0, 0.55 * sum(widths) + 1.5 * len(groups)), 5.0))
    Canvas(fig)
    axes = fig.subplots(1, len(groups), squeeze=False, width_ratios=[max(w, 2) for w in widths])[0]
    for ax, (group, members) in zip(axes, groups.items()):
        bars: list[tuple[str, float, str]] = [
            (r.name, 100 * (summary(r)["accuracy"] or 0.0), "tab:blue") for r in members
        ]
        bars += [
            (f"{a.system}\n{a.model}", a.accuracy, "tab:gray")
            for a in anchors_for(members[0].dataset, members[0].subset)
        ]
        container = ax.bar(range(len(bars)), [b[1] for b in bars], color=[b[2] for b in bars])
        ax.bar_label(container, fmt="%.1f", fontsize=7)
        ax.set_xticks(range(len(bars)), [b[0] for b in bars], rotation=60, ha="right", fontsize=7)
        ax.set_ylim(0, 105)
        ax.set_title(group, fontsize=9)
    axes[0].set_ylabel("accuracy %")
    handles = [
        Patch(color="tab:blue", label="this project"),
        Patch(color="tab:gray", label="published"),
    ]
    fig.legend(handles=handles, loc="upper center", ncol=2, fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    fig.savefig(path, dpi=120)
    return path


def _depth_plot(
    depth_runs: Sequence[tuple[str, list[dict[str, Any]]]], path: Path, Figure: Any, Canvas: Any
) -> Path:
    fig = Figure(figsize=(6.5, 4.5))
    Canvas(fig)
    ax = fig.add_subplot()
    for name, rows in depth_runs:
        ax.plot(
            [r["value"] for r in rows], [100 * r["accuracy"] for r in rows], marker="o", label=name
        )
    ax.set_xlabel("proof depth")
    ax.set_ylabel("accuracy %")
    ax.set_ylim(0, 105)
    ax.set_title("ProofWriter accuracy by proof depth", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        runs = load_runs(args.dirs)
        plots = write_plots(runs, args.plots) if args.plots else []
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except PlotsUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else None
    text = render(runs, plots, plots_base=(out.parent if out else None))
    sys.stdout.write(text)
    if out:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        except OSError as error:
            print(f"error: {out}: cannot be written ({error})", file=sys.stderr)
            return 2
    for path in plots:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.report",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "dirs",
        nargs="+",
        metavar="DIR",
        help="finished run directories (results.json, samples.jsonl)",
    )
    parser.add_argument(
        "--plots", metavar="OUTDIR", help="write accuracy.png and proofwriter_depth.png here"
    )
    parser.add_argument("--out", metavar="FILE.md", help="also write the Markdown to this file")
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
