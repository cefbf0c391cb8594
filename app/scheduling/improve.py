"""Local search on a schedule: fewer breaks by Kempe-chain recolouring, more weight by
re-inserting left-out meetings.

Recolouring the path of meetings alternately in slots s and t (a Kempe chain) keeps
every participant in at most one meeting per slot, and changes the slot set of only the
two ends of the path: a move costs two break evaluations whatever the path's length.
A chain of one meeting is a plain move to a free slot.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from app.scheduling.model import breaks_of_mask
from app.scheduling.schedule import Schedule

try:
    from app.scheduling import walk_jit
except ImportError:  # numba missing: the Python walk
    walk_jit = None  # type: ignore[assignment]


def _excess(b: int, cap: int | None) -> int:
    return 0 if cap is None or b <= cap else b - cap


def reduce_breaks(
    sch: Schedule,
    deadline: float,
    *,
    cap: int | None = None,
    seed: int = 0,
    max_chain: int = 40,
    plateau: float = 0.3,
) -> int:
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
                    dpen = (
                        _excess(nbp, cap)
                        - _excess(br[p], cap)
                        + _excess(nbz, cap)
                        - _excess(br[z], cap)
                    )
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


def _idle(mask: int) -> int:
    """Idle slots between a participant's first and last meeting."""
    if mask == 0:
        return 0
    return mask.bit_length() - (mask & -mask).bit_length() + 1 - mask.bit_count()


def anneal_breaks(
    sch: Schedule,
    deadline: float,
    *,
    cap: int | None = None,
    seed: int = 0,
    temp_start: float = 0.6,
    temp_end: float = 0.03,
    max_chain: int = 30,
    penalty: int = 4,
    max_iters: int | None = None,
    target: int = 0,
    idle_weight: float = 0.05,
    near: float = 0.3,
    compensate: int = 1,
    floor: Callable[[], float] | None = None,
    compiled: bool = True,
) -> int:
    """Simulated annealing on breaks (plus `penalty` per break over the fairness cap) with
    Kempe-chain moves: a meeting of participant p goes from slot s to slot t, and the
    s/t chain through p follows (if p meets in t too, the chain runs both ways and p
    keeps its slots while its partners' change). A small weight on idle slots inside a
    participant's day guides the walk (shorter gaps are closer to closing). Leaves the
    best schedule seen (on breaks and fairness only). A move that would overfill a slot
    sends one meeting of that slot the other way: `compensate` random meetings of it are
    tried for that. `floor`, when given, returns a
    proved lower bound on breaks found meanwhile (by a prover running beside it): the
    walk stops once its best reaches it.

    Runs compiled (`walk_jit`, the same walk on arrays) when numba is installed and the
    slots fit in a 64-bit mask, unless `compiled=False`."""
    if compiled and walk_jit is not None and sch.n_slots <= 62:
        return walk_jit.anneal(
            sch,
            deadline,
            cap=cap,
            seed=seed,
            temp_start=temp_start,
            temp_end=temp_end,
            max_chain=max_chain,
            penalty=penalty,
            max_iters=max_iters,
            target=target,
            idle_weight=idle_weight,
            near=near,
            compensate=compensate,
            floor=floor,
        )
    rng = random.Random(seed)
    n_s = sch.n_slots
    mask = sch.mask
    br = [breaks_of_mask(x) for x in mask]

    def true_cost(b: int) -> int:
        return b + (penalty * (b - cap) if cap is not None and b > cap else 0)

    memo: dict[int, float] = {}

    def cost(mk: int) -> float:
        v = memo.get(mk)
        if v is None:
            v = memo[mk] = true_cost(breaks_of_mask(mk)) + idle_weight * _idle(mk)
        return v

    cur_true = sum(true_cost(b) for b in br)
    best = cur_true
    best_assign = sch.copy_assignment()
    people = [p for p in range(len(br)) if mask[p] and mask[p].bit_count() > 1]
    if not people or n_s < 2:
        return best
    am = sch.allowed_mask
    busy = sch.busy
    fixed = [m.fixed_slot is not None for m in sch.inst.meetings]
    has_fixed = any(fixed)
    t_begin = time.monotonic()
    span = max(1e-3, deadline - t_begin)
    temp = temp_start
    it = 0
    exp = math.exp
    rnd = rng.random
    count, members, tables = sch.count, sch.members, sch.tables
    ma, mb = sch.ma, sch.mb
    tab, bound_table = sch.tab, sch.bound_table
    n_people = len(people)
    hot = [q for q in people if br[q] > 0] or people
    n_hot = len(hot)
    by_part = sch.inst.by_participant
    slot_of = sch.slot_of
    if max_iters is None:
        max_iters = 10**12
    while best > target and it < max_iters:
        it += 1
        if it & 255 == 0:
            now = time.monotonic()
            if now >= deadline:
                break
            temp = temp_start * (temp_end / temp_start) ** ((now - t_begin) / span)
            if floor is not None and (it & 4095) == 0 and floor() >= best:
                break
        if it & 8191 == 0:
            hot = [q for q in people if br[q] > 0] or people
            n_hot = len(hot)
        p = hot[int(rnd() * n_hot)] if rnd() < 0.7 else people[int(rnd() * n_people)]
        mk = mask[p]
        mp = by_part[p]
        m = mp[int(rnd() * len(mp))]
        s = slot_of[m]
        if s < 0 or fixed[m]:
            continue
        # targets near p's day (inside it or next to it) part of the time
        if rnd() < near:
            lo = (mk & -mk).bit_length() - 2
            if lo < 0:
                lo = 0
            hi = mk.bit_length()
            if hi > n_s - 1:
                hi = n_s - 1
            t = lo + int(rnd() * (hi - lo + 1))
        else:
            t = int(rnd() * n_s)
        if t == s or not (am[m] >> t) & 1:
            continue
        if busy[p][t] < 0:
            res = sch.chain(p, s, t, max_chain)
            if res is None:
                continue
            path, z1 = res
            z2 = p
        else:
            res = sch.chain(p, s, t, max_chain)
            if res is None or res[1] == p:
                continue
            res2 = sch.chain(p, t, s, max_chain)
            if res2 is None:
                continue
            path, z1 = res[0] + res2[0], res[1]
            z2 = res2[1]
        if has_fixed and any(fixed[e] for e in path):
            continue
        flip = (1 << s) | (1 << t)
        o1, o2 = mask[z1], mask[z2]
        m1, m2 = o1 ^ flip, o2 ^ flip
        g = memo.get
        c1, c2, c3, c4 = g(m1), g(o1), g(m2), g(o2)
        if c1 is None:
            c1 = cost(m1)
        if c2 is None:
            c2 = cost(o1)
        if c3 is None:
            c3 = cost(m2)
        if c4 is None:
            c4 = cost(o2)
        delta = c1 - c2 + c3 - c4
        # a full slot: send one meeting of it the other way (a compound move)
        n_s_edges = 0
        for e in path:
            if slot_of[e] == s:
                n_s_edges += 1
        net_t = 2 * n_s_edges - len(path)  # meetings the path adds to slot t
        extra = -1
        if net_t:
            src, dst = (t, s) if net_t > 0 else (s, t)
            if count[src] + abs(net_t) > tables:
                if abs(net_t) > 1:
                    continue
                lst = members[src]
                for _try in range(compensate):
                    e = lst[int(rnd() * len(lst))]
                    u, v = ma[e], mb[e]
                    if (
                        (has_fixed and fixed[e])
                        or not (am[e] >> dst) & 1
                        or busy[u][dst] >= 0
                        or busy[v][dst] >= 0
                        or u in (z1, z2)
                        or v in (z1, z2)
                        or (tab[e] and tab[e] in bound_table[dst])
                    ):
                        continue
                    touched = False
                    for f in path:
                        if ma[f] in (u, v) or mb[f] in (u, v):
                            touched = True
                            break
                    if not touched:
                        break
                else:
                    continue
                flip2 = (1 << src) | (1 << dst)
                delta += (
                    cost(mask[u] ^ flip2) - cost(mask[u]) + cost(mask[v] ^ flip2) - cost(mask[v])
                )
                extra = e
        if delta > 0 and rnd() >= exp(-delta / temp):
            continue
        n1, n2 = breaks_of_mask(m1), breaks_of_mask(m2)
        d_true = true_cost(n1) - true_cost(br[z1]) + true_cost(n2) - true_cost(br[z2])
        if extra >= 0:
            sch.remove(extra)
            sch.place(extra, dst)
            if not sch.swap_chain(path, s, t):
                sch.remove(extra)
                sch.place(extra, src)
                continue
            for w in (u, v):
                nb = breaks_of_mask(mask[w])
                d_true += true_cost(nb) - true_cost(br[w])
                br[w] = nb
        elif not sch.swap_chain(path, s, t):
            continue
        br[z1], br[z2] = n1, n2
        cur_true += d_true
        if cur_true < best:
            best = cur_true
            best_assign = sch.copy_assignment()
    if cur_true > best:
        sch.load(best_assign)
    return best
