"""Fit and check the fallback scorer's calibration on finished multiple-choice runs.

``python -m benchmarks.calibrate --fit EVAL_DIR [--check TEST_DIR ...] [--plot FILE.png] [--write]``

A scored run's records keep the letter log-probabilities of every ordering of the options, so
each debiasing mode's accuracy is re-derived here with no model call (``pmi`` modes need a run
made in a ``pmi`` mode). The softmax temperature is fitted on the ``--fit`` run (never a test
split) and the expected calibration error reported on each ``--check`` run. ``--write`` stores
the temperature in ``prompts/choose/calibration.json``, where ``Reasoner`` finds it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from neurologic.fallback import DEBIAS_MODES
from neurologic.fallback import expected_calibration_error
from neurologic.fallback import fit_temperature
from neurologic.fallback import mode_scores as scores_of_mode
from neurologic.fallback import reliability_bins
from neurologic.fallback import rotations
from neurologic.fallback import softmax
from neurologic.fallback import uses_option_texts
from neurologic.trace import FallbackEvent
from neurologic.trace import read_trace

CALIBRATION_FILE = (
    Path(__file__).resolve().parent.parent / "prompts" / "choose" / "calibration.json"
)


class CalibrationError(ValueError):
    """A run directory that cannot be calibrated from (missing, or not a scored run)."""


def scored_items(run_dir: Path) -> list[dict[str, Any]]:
    """``{"id", "gold", "orders", "letter_logprobs", "prior", "option_logprobs",
    "option_baseline"}`` for every scored record."""
    path = run_dir / "samples.jsonl"
    if not path.exists():
        raise CalibrationError(f"{path}: no such file (is this a finished run directory?)")
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        entry = next(
            (e for e in read_trace(record.get("trace")) if isinstance(e, FallbackEvent)), None
        )
        if entry is None or record.get("gold") is None:
            continue
        items.append(
            {
                "id": record["id"],
                "gold": _gold_index(record["gold"]),
                "orders": entry.orders,
                "letter_logprobs": entry.letter_logprobs,
                "prior": entry.prior or [],
                "option_logprobs": entry.option_logprobs or [],
                "option_baseline": entry.option_baseline or [],
                "debias": entry.debias,
            }
        )
    if not items:
        raise CalibrationError(f"{path}: no record carries the scorer's letter log-probabilities")
    return items


def _gold_index(gold: Any) -> int:
    if isinstance(gold, int):
        return gold
    return ("True", "False", "Uncertain").index(gold)


def mode_scores(item: dict[str, Any], mode: str) -> list[float] | None:
    """The item's per-option log-scores under ``mode``, if the run measured what it needs.

    The mode's orderings must be among the run's, and a ``pmi`` mode needs the option texts'
    log-likelihoods."""
    orders, raw, prior = item["orders"], item["letter_logprobs"], item["prior"]
    given, baseline = item.get("option_logprobs") or [], item.get("option_baseline") or []
    if mode.endswith("content_free") and not prior:
        return None
    if uses_option_texts(mode) and not (given and baseline):
        return None
    n = len(orders[0]) if orders else len(given)
    by_shift = {order[0]: (order, row) for order, row in zip(orders, raw)}
    wanted = rotations(mode, n)
    if any(shift not in by_shift for shift in wanted):
        return None
    chosen = [by_shift[shift] for shift in wanted]
    return scores_of_mode(
        mode,
        [o for o, _ in chosen],
        [r for _, r in chosen],
        prior if mode.endswith("content_free") else (),
        given,
        baseline,
    )


def accuracy_by_mode(items: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Accuracy of every debiasing mode the run's measurements allow."""
    table = {}
    for mode in DEBIAS_MODES:
        rows = [(mode_scores(it, mode), it["gold"]) for it in items]
        if any(s is None for s, _ in rows):
            continue
        right = sum(1 for s, g in rows if max(range(len(s)), key=s.__getitem__) == g)
        table[mode] = round(right / len(rows), 4)
    return table


def calibration_table(
    items: Sequence[dict[str, Any]], mode: str, temperature: float
) -> dict[str, Any]:
    """Accuracy, mean confidence and ECE of ``mode`` at ``temperature``."""
    confidences, correct = [], []
    for it in items:
        scores = mode_scores(it, mode)
        if scores is None:
            raise CalibrationError(f"{it['id']}: the run did not measure what mode {mode} needs")
        dist = softmax(scores, temperature)
        choice = max(range(len(dist)), key=dist.__getitem__)
        confidences.append(dist[choice])
        correct.append(choice == it["gold"])
    return {
        "n": len(items),
        "accuracy": round(sum(correct) / len(items), 4),
        "mean_confidence": round(sum(confidences) / len(items), 4),
        "ece": round(expected_calibration_error(confidences, correct), 4),
        "_points": (confidences, correct),
    }


def plot_reliability(tables: dict[str, dict[str, Any]], path: Path) -> None:
    """A reliability diagram (accuracy against confidence per bin) for each named table."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise CalibrationError('plots need matplotlib: pip install "neurologic[plots]"') from None
    figure = Figure(figsize=(5, 5))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    for name, table in tables.items():
        confidences, correct = table["_points"]
        xs, ys = [], []
        for _, members in reliability_bins(confidences, correct):
            if members:
                xs.append(sum(c for c, _ in members) / len(members))
                ys.append(sum(1 for _, ok in members if ok) / len(members))
        axes.plot(xs, ys, marker="o", label=f"{name} (ECE {table['ece']:.3f}, n={table['n']})")
    axes.set_xlabel("confidence")
    axes.set_ylabel("accuracy")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.legend(loc="upper left", fontsize=7)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)


def write_temperature(
    run_dir: Path, mode: str, temperature: float, n: int, target: Path = CALIBRATION_FILE
) -> str:
    """Store ``temperature`` in ``target`` for the run's model, mode and templates; returns the
    key."""
    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    key = (results.get("manifest") or {}).get("calibration_keys", {}).get(mode)
    if key is None:
        raise CalibrationError(
            f"{run_dir}/results.json has no manifest.calibration_keys[{mode!r}] (an older run?)"
        )
    table = json.loads(target.read_text()) if target.exists() else {}
    table[key] = {
        "temperature": temperature,
        "debias": mode,
        "fitted_on": results.get("dataset") + "/" + str(results.get("subset")),
        "n": n,
        "model": ((results.get("manifest") or {}).get("provider") or {}).get("model"),
    }
    target.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n")
    return key


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        fit_items = scored_items(Path(args.fit))
        check_items = {check: scored_items(Path(check)) for check in args.check or []}
        if args.same_items:
            fit_items, check_items = common_items(fit_items, check_items)
        modes = accuracy_by_mode(fit_items)
        mode = args.mode or _measured_mode(fit_items)
        temperature = fit_temperature(
            [mode_scores(it, mode) for it in fit_items], [it["gold"] for it in fit_items]
        )
        tables = {f"fit: {Path(args.fit).name}": calibration_table(fit_items, mode, temperature)}
        report = {"mode": mode, "temperature": temperature, "accuracy_by_mode": {args.fit: modes}}
        for check, items in check_items.items():
            report["accuracy_by_mode"][check] = accuracy_by_mode(items)
            tables[f"check: {Path(check).name}"] = calibration_table(items, mode, temperature)
            tables[f"check: {Path(check).name} (T=1)"] = calibration_table(items, mode, 1.0)
        report["calibration"] = {
            k: {x: v for x, v in t.items() if x != "_points"} for k, t in tables.items()
        }
        if args.plot:
            plot_reliability({k: t for k, t in tables.items() if "(T=1)" not in k}, Path(args.plot))
            report["plot"] = args.plot
        if args.write:
            report["written_key"] = write_temperature(
                Path(args.fit), mode, temperature, len(fit_items), Path(args.file)
            )
    except (CalibrationError, OSError, json.JSONDecodeError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2))
    return 0


def common_items(
    fit_items: list[dict[str, Any]], check_items: dict[str, list[dict[str, Any]]]
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Every run cut down to the item ids all of them scored (``--same-items``)."""
    shared = {it["id"] for it in fit_items}
    for items in check_items.values():
        shared &= {it["id"] for it in items}
    if not shared:
        raise CalibrationError("--same-items: the runs have no item in common")

    def keep(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [it for it in items if it["id"] in shared]

    return keep(fit_items), {check: keep(items) for check, items in check_items.items()}


def _measured_mode(items: Sequence[dict[str, Any]]) -> str:
    mode = items[0].get("debias") or "none"
    return mode


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.calibrate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--fit", required=True, help="run directory to fit the temperature on")
    parser.add_argument("--check", action="append", help="run directory to measure ECE on")
    parser.add_argument(
        "--mode", choices=DEBIAS_MODES, help="debias mode (default: the one the run used)"
    )
    parser.add_argument("--plot", help="write a reliability diagram PNG here")
    parser.add_argument(
        "--write", action="store_true", help="store the fitted temperature in the calibration file"
    )
    parser.add_argument(
        "--file",
        default=str(CALIBRATION_FILE),
        help="the calibration file (default: the one shipped in prompts/choose)",
    )
    parser.add_argument(
        "--same-items",
        action="store_true",
        help="score only the item ids every given run has (to compare runs "
        "made on different subsets, e.g. with and without --augment)",
    )
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
