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

# The walk's settings (docs/optimiser.md tells how they were chosen).
MASK_SLOTS = 62  # the compiled walk keeps a participant's slots in a 64-bit integer
WALK_MAX_CHAIN = 30  # longer Kempe chains are rarely accepted and cost a lot to try
FAIRNESS_PENALTY = 4  # per break over the fairness cap: the walk may cross unfair ground
IDLE_WEIGHT = 0.05  # per idle slot inside a day: small, it only breaks ties between moves
NEAR_SHARE = 0.3  # of the moves aim next to the participant's day, where gaps close
HOT_SHARE = 0.7  # of the moves start from a participant that has breaks
COOLED_T_END = 0.03  # a cooled walk ends nearly greedy: it keeps what it found
# How often (in moves, powers of two) the walk reads the clock, asks the prover's floor
# and refreshes its list of participants with breaks: rarely enough to cost nothing.
CLOCK_EVERY = 256
FLOOR_EVERY = 4096
HOT_EVERY = 8192
# The descent: chains up to this length, and sideways moves (same breaks) taken this often
# so that it drifts off a plateau without cycling.
DESCENT_MAX_CHAIN = 40
PLATEAU_SHARE = 0.3
STALE_PASSES = 3  # passes without improvement before the descent gives up


def _excess(b: int, cap: int | None) -> int:
    return 0 if cap is None or b <= cap else b - cap


def reduce_breaks(
    sch: Schedule,
    deadline: float,
    *,
    cap: int | None = None,
    seed: int = 0,
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
                    res = sch.chain(p, s, t, DESCENT_MAX_CHAIN)
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
                    if dpen == 0 and delta == 0 and rng.random() >= PLATEAU_SHARE:
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
            if stale_passes >= STALE_PASSES:
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
    temp_start: float,
    temp_end: float = COOLED_T_END,
    max_iters: int | None = None,
    compensate: int = 1,
    floor: Callable[[], float] | None = None,
    compiled: bool = True,
) -> int:
    """Simulated annealing on breaks (plus `FAIRNESS_PENALTY` per break over the fairness
    cap) with Kempe-chain moves: a meeting of participant p goes from slot s to slot t, and
    the s/t chain through p follows (if p meets in t too, the chain runs both ways and p
    keeps its slots while its partners' change). A small weight on idle slots inside a
    participant's day guides the walk (shorter gaps are closer to closing). Leaves the
    best schedule seen (on breaks and fairness only) and returns its cost. A move that
    would overfill a slot sends one meeting of that slot the other way: `compensate`
    random meetings of it are tried for that. `floor`, when given, returns a proved lower
    bound on breaks found meanwhile (by a prover running beside it): the walk stops once
    its best reaches it. The temperature goes from `temp_start` to `temp_end`
    geometrically over the time; `max_iters` caps the moves.

    Runs compiled (`walk_jit`, the same walk on arrays) when numba is installed and the
    slots fit in a 64-bit mask, unless `compiled=False`."""
    if compiled and walk_jit is not None and sch.n_slots <= MASK_SLOTS:
        return walk_jit.anneal(
            sch,
            deadline,
            cap=cap,
            seed=seed,
            temp_start=temp_start,
            temp_end=temp_end,
            max_chain=WALK_MAX_CHAIN,
            penalty=FAIRNESS_PENALTY,
            max_iters=max_iters,
            idle_weight=IDLE_WEIGHT,
            near=NEAR_SHARE,
            compensate=compensate,
            floor=floor,
        )
    return _PythonWalk(sch, cap, seed, compensate).run(
        deadline, temp_start, temp_end, max_iters, floor
    )


class _PythonWalk:
    """The walk of `anneal_breaks` in Python (the reference and the fallback)."""

    def __init__(self, sch: Schedule, cap: int | None, seed: int, compensate: int) -> None:
        self.sch = sch
        self.cap = cap
        self.compensate = compensate
        self.rnd = random.Random(seed).random
        self.br = [breaks_of_mask(x) for x in sch.mask]
        self.memo: dict[int, float] = {}
        self.fixed = [m.fixed_slot is not None for m in sch.inst.meetings]
        self.has_fixed = any(self.fixed)
        self.people = [
            p for p in range(len(self.br)) if sch.mask[p] and sch.mask[p].bit_count() > 1
        ]

    def true_cost(self, b: int) -> int:
        """What the walk minimises for one participant: its breaks, plus a penalty per
        break over the fairness cap."""
        cap = self.cap
        return b + (FAIRNESS_PENALTY * (b - cap) if cap is not None and b > cap else 0)

    def cost(self, mk: int) -> float:
        """The true cost of a participant's slot mask, plus the small weight of its idle
        slots that guides the walk."""
        v = self.memo.get(mk)
        if v is None:
            v = self.memo[mk] = self.true_cost(breaks_of_mask(mk)) + IDLE_WEIGHT * _idle(mk)
        return v

    def run(
        self,
        deadline: float,
        temp_start: float,
        temp_end: float,
        max_iters: int | None,
        floor: Callable[[], float] | None,
    ) -> int:
        """Walk until the deadline, the move budget, no breaks left, or the floor."""
        sch, br, rnd, people = self.sch, self.br, self.rnd, self.people
        cur_true = sum(self.true_cost(b) for b in br)
        best = cur_true
        best_assign = sch.copy_assignment()
        if not people or sch.n_slots < 2:
            return best
        t_begin = time.monotonic()
        span = max(1e-3, deadline - t_begin)
        temp = temp_start
        it = 0
        n_people = len(people)
        hot = [q for q in people if br[q] > 0] or people
        n_hot = len(hot)
        if max_iters is None:
            max_iters = 10**12
        while best > 0 and it < max_iters:
            it += 1
            if it & (CLOCK_EVERY - 1) == 0:
                now = time.monotonic()
                if now >= deadline:
                    break
                temp = temp_start * (temp_end / temp_start) ** ((now - t_begin) / span)
                if floor is not None and (it & (FLOOR_EVERY - 1)) == 0 and floor() >= best:
                    break
            if it & (HOT_EVERY - 1) == 0:
                hot = [q for q in people if br[q] > 0] or people
                n_hot = len(hot)
            p = hot[int(rnd() * n_hot)] if rnd() < HOT_SHARE else people[int(rnd() * n_people)]
            d_true = self.try_move(p, temp)
            if d_true is None:
                continue
            cur_true += d_true
            if cur_true < best:
                best = cur_true
                best_assign = sch.copy_assignment()
        if cur_true > best:
            sch.load(best_assign)
        return best

    def try_move(self, p: int, temp: float) -> int | None:
        """One move of a meeting of participant p: proposed, priced, accepted or not. The
        change of the true cost if made, None if not."""
        picked = self.pick(p)
        if picked is None:
            return None
        m, s, t = picked
        chained = self.kempe(p, s, t)
        if chained is None:
            return None
        path, z1, z2 = chained
        sch, mask = self.sch, self.sch.mask
        flip = (1 << s) | (1 << t)
        m1, m2 = mask[z1] ^ flip, mask[z2] ^ flip
        delta = self.cost(m1) - self.cost(mask[z1]) + self.cost(m2) - self.cost(mask[z2])
        extra = self.compensation(path, s, t, z1, z2)
        if extra is None:
            return None
        if extra >= 0:
            u, v = sch.ma[extra], sch.mb[extra]
            src = sch.slot_of[extra]
            dst = s if src == t else t
            flip2 = (1 << src) | (1 << dst)
            cost = self.cost
            delta += cost(mask[u] ^ flip2) - cost(mask[u]) + cost(mask[v] ^ flip2) - cost(mask[v])
        if delta > 0 and self.rnd() >= math.exp(-delta / temp):
            return None
        return self.apply(path, s, t, z1, z2, m1, m2, extra)

    def pick(self, p: int) -> tuple[int, int, int] | None:
        """A meeting m of p in slot s and a slot t to move it to: near p's day (inside it
        or next to it) part of the time, anywhere otherwise."""
        sch = self.sch
        mk = sch.mask[p]
        mp = sch.inst.by_participant[p]
        m = mp[int(self.rnd() * len(mp))]
        s = sch.slot_of[m]
        if s < 0 or self.fixed[m]:
            return None
        n_s = sch.n_slots
        if self.rnd() < NEAR_SHARE:
            lo = max(0, (mk & -mk).bit_length() - 2)
            hi = min(mk.bit_length(), n_s - 1)
            t = lo + int(self.rnd() * (hi - lo + 1))
        else:
            t = int(self.rnd() * n_s)
        if t == s or not (sch.allowed_mask[m] >> t) & 1:
            return None
        return m, s, t

    def kempe(self, p: int, s: int, t: int) -> tuple[list[int], int, int] | None:
        """The s/t Kempe chain through p (both ways when p meets in t too) and the two
        participants at its ends, whose slot sets change; None if too long or fixed."""
        sch = self.sch
        if sch.busy[p][t] < 0:
            res = sch.chain(p, s, t, WALK_MAX_CHAIN)
            if res is None:
                return None
            path, z1 = res
            z2 = p
        else:
            res = sch.chain(p, s, t, WALK_MAX_CHAIN)
            if res is None or res[1] == p:
                return None
            res2 = sch.chain(p, t, s, WALK_MAX_CHAIN)
            if res2 is None:
                return None
            path, z1 = res[0] + res2[0], res[1]
            z2 = res2[1]
        if self.has_fixed and any(self.fixed[e] for e in path):
            return None
        return path, z1, z2

    def compensation(self, path: list[int], s: int, t: int, z1: int, z2: int) -> int | None:
        """When the chain would overfill slot s or t, a meeting of that slot to send the
        other way (a compound move): -1 when none is needed, None when none is found."""
        sch = self.sch
        slot_of = sch.slot_of
        n_s_edges = sum(1 for e in path if slot_of[e] == s)
        net_t = 2 * n_s_edges - len(path)  # meetings the path adds to slot t
        if not net_t:
            return -1
        src, dst = (t, s) if net_t > 0 else (s, t)
        if sch.count[src] + abs(net_t) <= sch.tables:
            return -1
        if abs(net_t) > 1:
            return None
        lst = sch.members[src]
        busy, am, fixed, ma, mb = sch.busy, sch.allowed_mask, self.fixed, sch.ma, sch.mb
        for _try in range(self.compensate):
            e = lst[int(self.rnd() * len(lst))]
            u, v = ma[e], mb[e]
            if (
                (self.has_fixed and fixed[e])
                or not (am[e] >> dst) & 1
                or busy[u][dst] >= 0
                or busy[v][dst] >= 0
                or u in (z1, z2)
                or v in (z1, z2)
                or (sch.tab[e] and sch.tab[e] in sch.bound_table[dst])
            ):
                continue
            if not any(ma[f] in (u, v) or mb[f] in (u, v) for f in path):
                return e
        return None

    def apply(
        self, path: list[int], s: int, t: int, z1: int, z2: int, m1: int, m2: int, extra: int
    ) -> int | None:
        """Make the move (the compensating meeting first); the change of the true cost,
        or None if a table rule refused it (the schedule is then unchanged)."""
        sch, br, true_cost = self.sch, self.br, self.true_cost
        n1, n2 = breaks_of_mask(m1), breaks_of_mask(m2)
        d_true = true_cost(n1) - true_cost(br[z1]) + true_cost(n2) - true_cost(br[z2])
        if extra >= 0:
            src = sch.remove(extra)
            dst = s if src == t else t
            sch.place(extra, dst)
            if not sch.swap_chain(path, s, t):
                sch.remove(extra)
                sch.place(extra, src)
                return None
            for w in (sch.ma[extra], sch.mb[extra]):
                nb = breaks_of_mask(sch.mask[w])
                d_true += true_cost(nb) - true_cost(br[w])
                br[w] = nb
        elif not sch.swap_chain(path, s, t):
            return None
        br[z1], br[z2] = n1, n2
        return d_true
