"""Local search on a schedule: fewer breaks by Kempe-chain recolouring, more weight by
re-inserting left-out meetings.

Recolouring the path of meetings alternately in slots s and t (a Kempe chain) keeps
every participant in at most one meeting per slot, and changes the slot set of only the
two ends of the path: a move costs two break evaluations whatever the path's length.
A chain of one meeting is a plain move to a free slot.
"""
from __future__ import annotations

import random
import time

from app.scheduling.model import breaks_of_mask
from app.scheduling.schedule import Schedule


def _excess(b: int, cap: int | None) -> int:
    return 0 if cap is None or b <= cap else b - cap


def reduce_breaks(sch: Schedule, deadline: float, *, cap: int | None = None, seed: int = 0,
                  max_chain: int = 40, plateau: float = 0.3) -> int:
    """Kempe-chain descent with sideways moves until `deadline` or a stable pass.
    `cap` bounds each participant's breaks (fairness). Returns the breaks removed."""
    rng = random.Random(seed)
    n_p = len(sch.mask)
    br = [breaks_of_mask(x) for x in sch.mask]
    start_total = sum(br)
    am = sch.allowed_mask
    full = (1 << sch.n_slots) - 1
    busy = sch.busy
    fixed = [m.fixed_slot is not None for m in sch.inst.meetings]
    stale_passes = 0
    while time.monotonic() < deadline:
        improved = False
        cand = [p for p in range(n_p) if br[p] > 0]
        if not cand:
            break
        rng.shuffle(cand)
        for i, p in enumerate(cand):
            if i % 64 == 0 and time.monotonic() >= deadline:
                break
            if br[p] == 0:
                continue
            mk = sch.mask[p]
            row = busy[p]
            slots_p = [s for s in range(sch.n_slots) if (mk >> s) & 1]
            rng.shuffle(slots_p)
            done = False
            for s in slots_p:
                m = row[s]
                if fixed[m]:
                    continue
                targets = am[m] & ~mk & full
                t_list = [t for t in range(sch.n_slots) if (targets >> t) & 1]
                rng.shuffle(t_list)
                for t in t_list:
                    new_p = mk ^ (1 << s) ^ (1 << t)
                    nbp = breaks_of_mask(new_p)
                    dp = nbp - br[p]
                    if dp > 0:
                        continue
                    res = sch.chain(p, s, t, max_chain)
                    if res is None:
                        continue
                    path, z = res
                    if any(fixed[e] for e in path):
                        continue
                    new_z = sch.mask[z] ^ (1 << s) ^ (1 << t)
                    nbz = breaks_of_mask(new_z)
                    delta = dp + nbz - br[z]
                    dpen = (_excess(nbp, cap) - _excess(br[p], cap)
                            + _excess(nbz, cap) - _excess(br[z], cap))
                    if dpen > 0 or (dpen == 0 and delta > 0):
                        continue
                    if dpen == 0 and delta == 0 and rng.random() >= plateau:
                        continue
                    if not sch.swap_chain(path, s, t):
                        continue
                    br[p], br[z] = nbp, nbz
                    if delta < 0 or dpen < 0:
                        improved = True
                    done = True
                    break
                if done:
                    break
        if improved:
            stale_passes = 0
        else:
            stale_passes += 1
            if stale_passes >= 3:
                break
    return start_total - sum(br)


def insert_left_out(sch: Schedule, order: list[int], deadline: float, *, kempe: bool = True) -> int:
    """Try to place each left-out meeting of `order` (direct, Kempe, ejection)."""
    placed = 0
    for i, m in enumerate(order):
        if i % 32 == 0 and time.monotonic() >= deadline:
            break
        if sch.slot_of[m] >= 0:
            continue
        if sch.try_insert(m, eject=kempe, chains=kempe):
            placed += 1
    return placed
