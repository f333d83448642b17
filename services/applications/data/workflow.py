"""The workflow data (``workflow.json``), read and checked: invalid data stops the service at start."""

from __future__ import annotations

import functools
from pathlib import Path

from ..model.workflow import Workflow, parse

__all__ = ["WORKFLOW_FILE", "load_workflow", "workflow"]

WORKFLOW_FILE = Path(__file__).parent / "workflow.json"


def load_workflow(path: Path = WORKFLOW_FILE) -> Workflow:
    """Read and check the workflow data at ``path`` (raises WorkflowError naming the problem)."""
    return parse(path.read_bytes())


@functools.cache
def workflow() -> Workflow:
    """The service's workflow data, read once per process."""
    return load_workflow()
