"""The peak memory of one process alone: VmHWM from /proc/<pid>/status, sampled until it exits.

`wait4` (and `RUSAGE_CHILDREN`) cannot give this for a child started from a large process:
Linux keeps the largest resident size the process has had, and a child created with fork
or vfork starts from its parent's memory, which exec records in that figure. A child of a
400 MB script reports 400 MB from `wait4` even when it is `/bin/true`. VmHWM belongs to
the memory of the program exec started, so it counts the tracker process and nothing
else. It only grows, so the last sample before exit is the peak, up to the sampling step.
"""

from __future__ import annotations

import threading
from pathlib import Path


def vm_hwm_kb(pid: int) -> int | None:
    """Return VmHWM of a running process in kB, or None once it has exited."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None  # a zombie: its memory is already gone


class PeakMemory:
    """Sample the VmHWM of some processes in a thread; `peak_mb(pid)` after `stop()`."""

    def __init__(self, pids: list[int], step: float = 0.02):
        self.peaks = dict.fromkeys(pids, 0)
        self.step = step
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.step)

    def sample(self) -> None:
        for pid, peak in self.peaks.items():
            value = vm_hwm_kb(pid)
            if value is not None and value > peak:
                self.peaks[pid] = value

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mb(self, pid: int) -> float:
        return self.peaks[pid] / 1024
