"""Child processes, timed, with their own peak memory (``os.wait4``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_SUMMARY = re.compile(
    r"(?P<days>\d+) days, (?P<papers>\d+) papers, (?P<written>\d+) pages written, "
    r"(?P<unchanged>\d+) unchanged, (?P<removed>\d+) removed, (?P<errors>\d+) errors, (?P<warnings>\d+) warnings"
)


@dataclass
class Run:
    argv: list[str]
    seconds: float
    peak_rss_bytes: int
    returncode: int
    stdout: str
    stderr: str

    def check(self) -> "Run":
        if self.returncode != 0:
            raise RuntimeError(
                f"{' '.join(self.argv)} exited {self.returncode}\n--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}"
            )
        return self


def run(argv: list[str], log_dir: Path, name: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run ``argv`` to completion; wall time from spawn to exit, and the child's peak RSS."""
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / f"{name}.out", log_dir / f"{name}.err"
    full_env = dict(os.environ)
    full_env.update(env or {})
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err, env=full_env, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        argv,
        seconds,
        usage.ru_maxrss * 1024,  # kilobytes on Linux
        child.returncode,
        out_path.read_text(encoding="utf-8", errors="replace"),
        err_path.read_text(encoding="utf-8", errors="replace"),
    )


def generator_build(digests: Path, docs: Path, taxonomy: Path, log_dir: Path, name: str, profile: Path | None = None) -> tuple[Run, dict[str, int]]:
    """``python -m generator build`` in a fresh interpreter, and its summary line as numbers."""
    argv = [sys.executable]
    if profile is not None:
        argv += ["-m", "cProfile", "-o", str(profile)]
    argv += ["-m", "generator", "build", "--digests", str(digests), "--docs", str(docs), "--taxonomy", str(taxonomy)]
    # Flush what earlier steps wrote, so the disk's catching up with them is
    # not timed as this run's writing.
    os.sync()
    result = run(argv, log_dir, name).check()
    match = _SUMMARY.search(result.stdout)
    if not match:
        raise RuntimeError(f"no summary line in the generator's output:\n{result.stdout[-2000:]}")
    return result, {key: int(value) for key, value in match.groupdict().items()}
