"""The runner's command line: its flags, their checks, and what they select.

The Reasoner's flags come from :class:`~neurologic.config.ReasonerConfig` (:mod:`neurologic.flags`).
They select the items, the saved translations, the Reasoner and the run's recorded config."""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from neurologic.config import ConfigError
from neurologic.config import ReasonerConfig
from neurologic.config import default
from neurologic.config import describe
from neurologic.flags import Flag
from neurologic.flags import reasoner_flags
from neurologic.providers.base import Provider
from neurologic.reasoner import Reasoner

from .datasets import DatasetError
from .datasets import EntailmentItem
from .datasets import Item
from .datasets import load
from .records import Translations
from .records import read_translations

DEFAULT_SUBSETS: dict[str, str | None] = {
    "folio": "all",
    "proofwriter": "logiclm600",
    "logiqa": "test",
    "logiqa2": None,
}
CHOICE_DATASETS = ("logiqa", "logiqa2")
DEFAULT_SOLVERS: dict[str, str] = {"proofwriter": "rulebase"}
"""The solver a dataset is decided with unless --solver says otherwise (z3 for the rest)."""


def reasoner_options(args: argparse.Namespace) -> dict[str, Any]:
    """Every Reasoner option the flags set, by its :class:`ReasonerConfig` name (all but the
    provider, which the runner builds from ``--provider``/``--base-url``)."""
    return {f.option: getattr(args, f.option) for f in reasoner_flags()}


def reasoner_config(args: argparse.Namespace, provider: Provider | None = None) -> ReasonerConfig:
    """The run's Reasoner options, from the flags (a :class:`ValueError` naming the flag)."""
    try:
        return ReasonerConfig(provider=provider, **reasoner_options(args))
    except ConfigError as error:
        message = str(error)
        for flag in reasoner_flags():
            message = re.sub(rf"(^|; ){flag.option}:", rf"\g<1>{_argparse_flag(flag)}:", message)
        raise ValueError(message) from None


def make_reasoner(args: argparse.Namespace, provider: Provider | None) -> Reasoner:
    """The Reasoner for the run, with the run's sampling temperature and seed."""
    return Reasoner(config=reasoner_config(args, provider))


def check_args(args: argparse.Namespace) -> None:
    """Reject combinations that cannot run, with a message that says what to do; fill in the
    vote's defaults (:func:`_voting_defaults`)."""
    voting_defaults(args)
    if args.concurrency < 1:
        raise ValueError("--concurrency must be at least 1")
    args.declare = reasoner_config(args).declare  # every option checked; declare resolved
    if args.dataset == "logiqa2" and not args.path:
        raise ValueError(
            "--dataset logiqa2 needs --path FILE (a LogiQA 2.0 MRC file; not vendored)"
        )
    if args.path and args.dataset != "logiqa2":
        raise ValueError("--path is only for --dataset logiqa2")
    if not args.ray and (args.ray_actors or args.requests_per_s or args.tokens_per_min):
        raise ValueError("--ray-actors, --requests-per-s and --tokens-per-min need --ray")
    if args.ray:
        from neurologic.distributed import require_ray

        require_ray()  # a clear error naming the extra, before any work
    if (args.at_round is not None or args.first_samples is not None) and (
        args.translations in (None, "gold") or args.parser == "cnl"
    ):
        raise ValueError(
            "--at-round and --first-samples select from a run's saved translations: "
            "give --translations RUN/samples.jsonl"
        )
    if (args.at_round is not None and args.at_round < 0) or (
        args.first_samples is not None and args.first_samples < 1
    ):
        raise ValueError("--at-round must be at least 0 and --first-samples at least 1")
    if args.dataset in CHOICE_DATASETS:
        if args.translations not in (None, "gold"):
            raise ValueError(
                f"--translations does not apply to {args.dataset}: multiple choice has no FOL "
                "translations to re-solve; give a --provider instead"
            )
        if not args.provider:
            raise ValueError(
                f"--dataset {args.dataset} needs --provider (a model that can score options, "
                "e.g. llamacpp:embedded or openai:MODEL)"
            )


def load_items(args: argparse.Namespace) -> list[Item]:
    if args.dataset == "logiqa2":
        return load("logiqa2", path=args.path)
    return load(args.dataset, subset_of(args))


def subset_of(args: argparse.Namespace) -> str:
    if args.dataset == "logiqa2":
        return Path(args.path).name
    return args.subset or DEFAULT_SUBSETS[args.dataset]  # type: ignore[return-value]


def translating(args: argparse.Namespace) -> bool:
    """True when the run translates (or chooses) with a model or the grammar, not saved FOL."""
    if args.dataset in CHOICE_DATASETS or args.parser == "cnl":
        return True
    return bool(args.provider) and args.translations is None


def saved_translations(args: argparse.Namespace, items: Sequence[EntailmentItem]) -> Translations:
    source = args.translations or "gold"
    if source == "gold":
        missing = [
            item.id for item in items if item.premises_fol is None or item.conclusion_fol is None
        ]
        if missing:
            raise ValueError(
                f"this dataset has no gold FOL ({len(missing)} items without it, e.g. {missing[0]}); "
                "pass --translations FILE"
            )
        return {item.id: [(list(item.premises_fol), item.conclusion_fol)] for item in items}  # type: ignore[arg-type]
    return read_translations(Path(source), at_round=args.at_round, first_samples=args.first_samples)


def select_items(items: list[Item], args: argparse.Namespace) -> list[Item]:
    if args.ids:
        wanted = set(args.ids.split(","))
        unknown = wanted - {item.id for item in items}
        if unknown:
            raise DatasetError(f"unknown ids: {', '.join(sorted(unknown))}")
        items = [item for item in items if item.id in wanted]
    if args.limit is not None:
        items = items[: args.limit]
    return items


def voting_defaults(args: argparse.Namespace) -> None:
    """The Reasoner's vote (the same whether translating or re-solving saved translations) and
    sampling rule; when re-solving, every saved sample votes (what the file holds is what votes).
    The solver: ProofWriter's own reading (``rulebase``) on ProofWriter, else z3."""
    is_translating = translating(args)
    if args.vote is None:
        args.vote = default("vote")
    if args.solver is None:
        args.solver = DEFAULT_SOLVERS.get(args.dataset, default("solver"))
    if args.sample_more is None:
        args.sample_more = default("sample_more") if is_translating else "always"


def run_config(args: argparse.Namespace) -> dict[str, Any]:
    """The run's settings as ``results.json`` records them.

    They are what it solves, every Reasoner option (:func:`reasoner_options`, so a new option
    is recorded and checked on resume), the provider, and how the run is spread."""
    return {
        "dataset": args.dataset,
        "subset": subset_of(args),
        "path": args.path,
        "translations": None if translating(args) else (args.translations or "gold"),
        "at_round": args.at_round,
        "first_samples": args.first_samples,
        **reasoner_options(args),
        "provider": args.provider,
        "base_url_given": bool(args.base_url),
        "cache": bool(args.provider) and not args.no_cache,
        "concurrency": args.concurrency,
        "ray": bool(args.ray),
        "limit": args.limit,
        "ids": args.ids,
    }


def headline(results: dict[str, Any]) -> dict[str, Any]:
    keys = ("dataset", "subset", "n", "accuracy", "executable_rate", "fallback_rate")
    return {**{k: results[k] for k in keys}, "timing": results["timing"]}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--dataset", required=True, choices=sorted(DEFAULT_SUBSETS))
    parser.add_argument(
        "--subset",
        help="folio: all (default) | linc182; proofwriter: logiclm600 (default) | "
        "linc360; logiqa: test (default) | eval",
    )
    parser.add_argument("--path", help="logiqa2: the LogiQA 2.0 MRC file (JSON lines)")
    parser.add_argument(
        "--translations",
        help="'gold' (default: the dataset's own FOL) or a JSONL file of saved translations "
        "(a finished run's samples.jsonl is one); with --provider as well, the saved "
        "translations are re-solved and the provider only scores the fallback",
    )
    parser.add_argument(
        "--at-round",
        type=int,
        metavar="R",
        help="with --translations RUN/samples.jsonl: each sample as it stood after R refinement "
        "rounds (0: the first translation), read from the run's trace",
    )
    parser.add_argument(
        "--first-samples",
        type=int,
        metavar="K",
        help="with --translations RUN/samples.jsonl: vote over the first K saved samples only",
    )
    parser.add_argument(
        "--provider",
        help="translate with this LLM (llamacpp:embedded, openai:MODEL, ...) "
        "instead of using saved translations; required for logiqa",
    )
    parser.add_argument("--base-url", help="OpenAI-compatible server for openai:MODEL")
    caching = parser.add_mutually_exclusive_group()
    caching.add_argument(
        "--cache",
        help="directory of the model-call cache (default: $NEUROLOGIC_CACHE_DIR or "
        "~/.cache/neurologic/calls)",
    )
    caching.add_argument("--no-cache", action="store_true", help="call the model every time")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=1,
        help="items solved at once (threads; for remote providers; llamacpp runs 1)",
    )
    distributed = parser.add_argument_group(
        'on a Ray cluster (pip install "neurologic[distributed]")'
    )
    distributed.add_argument(
        "--ray",
        metavar="ADDRESS",
        help="solve on the Ray cluster at ADDRESS (host:port of its head node), or 'local' for a "
        "private one-machine cluster started for the run; --concurrency is then the calls each "
        "actor runs at once",
    )
    distributed.add_argument(
        "--ray-actors",
        type=int,
        help="actors in the pool (default: one per CPU of the cluster; with a local model, one "
        "per node that offers the neurologic_model resource)",
    )
    distributed.add_argument(
        "--requests-per-s",
        type=float,
        help="with --ray: every actor's model calls share this many requests per second",
    )
    distributed.add_argument(
        "--tokens-per-min",
        type=float,
        help="with --ray: every actor's model calls share this many tokens per minute",
    )
    distributed.add_argument(
        "--item-timeout",
        type=float,
        default=900.0,
        help="with --ray: an item still running this long (plus 30 s) is recorded as a timeout "
        "and its actor replaced",
    )
    parser.add_argument("--out", required=True, help="output directory (resumed if it exists)")
    parser.add_argument("--limit", type=int, help="only the first N items")
    parser.add_argument("--ids", help="comma-separated item ids")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--force-resume",
        action="store_true",
        help="resume OUT even if the inference stack changed since it started (recorded)",
    )
    add_reasoner_flags(
        parser.add_argument_group("Reasoner options (neurologic.config.ReasonerConfig)"),
        vote={
            "default": None,
            "help": describe("vote") + f" Default: {default('vote')}, "
            "translating or re-solving --translations.",
        },
        sample_more={
            "default": None,
            "help": describe("sample_more") + " Default: "
            f"{default('sample_more')} when translating; always when re-solving "
            "--translations (every saved sample votes).",
        },
        solver={
            "default": None,
            "help": describe("solver") + " Default: rulebase on "
            "proofwriter (forward chaining, the reading that defines its labels, and z3 for "
            "a sample outside that fragment; each sample records which decided), "
            f"{default('solver')} elsewhere.",
        },
        fallback={
            "help": "never answer from the model's option scores when no translation "
            "could be solved"
        },
    )
    return parser


def add_reasoner_flags(group: Any, **changed: dict[str, Any]) -> None:
    """Every Reasoner option as a flag of ``group`` (:func:`neurologic.flags.reasoner_flags`),
    read into ``args.<option>``; ``changed`` gives an option other argparse settings (a default
    the runner fills in itself, a help text). An option on by default is turned off by its
    ``--no-`` flag."""
    for flag in reasoner_flags():
        settings: dict[str, Any] = {"dest": flag.option, "default": flag.default, "help": flag.help}
        if flag.type is bool:
            settings["action"] = "store_false" if flag.default else "store_true"
        elif flag.choices:
            settings["choices"] = flag.choices
        else:
            metavar = flag.flag[2:].upper().replace("-", "_")
            settings.update(type=None if flag.type is str else flag.type, metavar=metavar)
        settings.update(changed.get(flag.option, {}))
        group.add_argument(_argparse_flag(flag), **settings)


def _argparse_flag(flag: Flag) -> str:
    """The runner's flag for a Reasoner option (``--no-fallback`` for one on by default)."""
    return "--no-" + flag.flag[2:] if flag.type is bool and flag.default else flag.flag
