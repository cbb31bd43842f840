"""A memo of derived values keyed by what they derive from.

Classification, search tokens and related-paper terms depend only on a
paper's text (and the taxonomy); the build keeps them between runs so that
adding a day costs the new papers only. Lookups record which keys were used,
so the saved memo never keeps values for papers that are gone.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable


class Memo:
    def __init__(self, values: dict | None = None):
        self._values: dict = dict(values or {})
        self._used: dict = {}

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if key in self._used:
            return self._used[key]
        value = self._values[key] if key in self._values else compute()
        self._used[key] = value
        return value

    def __contains__(self, key: Hashable) -> bool:
        return key in self._used or key in self._values

    def put(self, key: Hashable, value: Any) -> None:
        self._used[key] = value

    def used(self) -> dict:
        """The values looked up in this run: what is worth saving."""
        return dict(self._used)
