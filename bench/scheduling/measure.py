"""Run the optimiser's CLI in this process and print its wall time and peak memory.

python bench/scheduling/measure.py INSTANCE.json RESULT.json SECONDS [SEED]
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.scheduling.cli import main, process_started  # noqa: E402


def peak_rss_kb() -> int:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss keeps the
    forking parent's peak across exec on Linux (a benchmark process holding CP-SAT models
    would inflate every child's figure)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    inst, out, limit = sys.argv[1], sys.argv[2], sys.argv[3]
    t0 = process_started()  # wall time from process start: interpreter, imports, parsing
    seed = sys.argv[4] if len(sys.argv) > 4 else "0"
    code = main([inst, "-o", out, "--time-limit", limit, "--seed", seed])
    seconds = time.monotonic() - t0
    peak_mb = peak_rss_kb() / 1024
    print(json.dumps({"exit": code, "seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1)}))
