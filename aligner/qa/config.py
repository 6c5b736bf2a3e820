"""QA settings from TOML (`aligner-qa.toml` or `--config FILE`): checks switched off, thresholds.

    [checks.half-width]
    enabled = false

    [checks.partial-omission]
    deviations = 4.0
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from aligner.errors import InputError
from aligner.qa.registry import Check, Params

DEFAULT_FILE = Path("aligner-qa.toml")


@dataclass(frozen=True)
class QAConfig:
    """Which checks run and the thresholds they use (a check's defaults where not set)."""

    disabled: frozenset[str] = frozenset()
    overrides: Mapping[str, Params] = field(default_factory=dict)

    def enabled(self, checks: Mapping[str, Check]) -> list[Check]:
        return [c for name, c in checks.items() if name not in self.disabled]

    def params(self, chk: Check) -> Params:
        return {**chk.defaults, **self.overrides.get(chk.name, {})}


def parse_config(data: Mapping[str, object], checks: Mapping[str, Check], where: str) -> QAConfig:
    """Validate a parsed TOML table against the known checks and their thresholds."""
    disabled: set[str] = set()
    overrides: dict[str, dict[str, float]] = {}
    unknown_top = sorted(set(data) - {"checks"})
    if unknown_top:
        raise InputError(f"{where}: unknown table '{unknown_top[0]}'; only [checks.NAME] tables are read")
    table = data.get("checks", {})
    if not isinstance(table, Mapping):
        raise InputError(f"{where}: 'checks' must be a table of [checks.NAME] sections")
    for name, settings in table.items():
        if name not in checks:
            raise InputError(f"{where}: unknown check '{name}'; known checks: {', '.join(checks)}")
        if not isinstance(settings, Mapping):
            raise InputError(f"{where}: [checks.{name}] must be a table")
        for key, value in settings.items():
            if key == "enabled":
                if not isinstance(value, bool):
                    raise InputError(f"{where}: [checks.{name}] enabled must be true or false, not {value!r}")
                if not value:
                    disabled.add(name)
            elif key in checks[name].defaults:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise InputError(f"{where}: [checks.{name}] {key} must be a number, not {value!r}")
                overrides.setdefault(name, {})[key] = _in_range(float(value), key, f"{where}: [checks.{name}]")
            else:
                known = ", ".join(["enabled", *checks[name].defaults])
                raise InputError(f"{where}: [checks.{name}] has no setting '{key}' (settings: {known})")
    return QAConfig(frozenset(disabled), overrides)


# What each threshold can mean (low, high, whether low itself is refused): shares and gains
# are parts of one; counts start at one; a setting outside makes every link a finding, or none.
_RANGES = {
    "copied": (0.0, 1.0, True), "share": (0.0, 1.0, True), "floor": (0.0, 1.0, False), "gain": (0.0, 1.0, False),
    "threshold": (0.0, 1.0, False), "deviations": (0.0, math.inf, True), "min_source": (0.0, math.inf, False),
    "min_links": (1.0, math.inf, False), "min_uses": (1.0, math.inf, False),
}


_COUNTS = frozenset({"min_links", "min_uses"})  # thresholds that count things: whole numbers


def _in_range(value: float, key: str, where: str) -> float:
    """A threshold checked against what it can mean (`_RANGES`, `_COUNTS`); any must be a finite number."""
    low, high, open_low = _RANGES.get(key, (-math.inf, math.inf, False))
    if not math.isfinite(value) or value > high or value < low or (open_low and value == low):
        span = f"{'above' if open_low else 'from'} {low:g}" + (f" {'to' if not open_low else 'and at most'} {high:g}" if math.isfinite(high) else "")
        raise InputError(f"{where} {key} = {value:g} is out of range; give a number {span}")
    if key in _COUNTS and not value.is_integer():
        raise InputError(f"{where} {key} = {value:g} is a count; give a whole number, e.g. {math.floor(value)} or {math.ceil(value)}")
    return value


def load_config(path: Path | None, checks: Mapping[str, Check]) -> QAConfig:
    """Read `path`, or ./aligner-qa.toml when it exists, or the defaults."""
    if path is None:
        if not DEFAULT_FILE.is_file():
            return QAConfig()
        path = DEFAULT_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: byte {err.start}: not UTF-8; save the QA configuration as UTF-8") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read the QA configuration ({err.strerror})") from err
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"{path}: not valid TOML ({err})") from err
    return parse_config(data, checks, str(path))
