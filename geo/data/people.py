"""Named officials as related actors: a row's person_ids as "Name (role)" text."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geo.data.validate import split_list


def person_labels(people: pd.DataFrame) -> dict[str, str]:
    """person_id -> "Name (role)"."""
    return {pid: f"{name} ({role})" for pid, name, role in zip(people["person_id"], people["name"], people["role"])}


def people_text(person_ids: object, labels: Mapping[str, str]) -> str:
    """The people a cell names, "; "-separated (an unknown id is shown as is)."""
    return "; ".join(labels.get(pid, pid) for pid in split_list(str(person_ids or "")))
