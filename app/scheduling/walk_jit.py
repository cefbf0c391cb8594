"""The annealing walk of `improve.anneal_breaks`, compiled (numba): the same moves, the same
costs and acceptance, on arrays instead of Python lists. `improve.anneal_breaks` runs it
when numba is installed and the slots fit in a 64-bit mask; the Python walk stays as the
reference (tests run both) and the fallback.

The walk runs in chunks of `CHUNK` moves; between chunks the caller reads the clock, sets
the temperature and asks the prover's `floor`. `anneal` builds the state (arrays) from a
`Schedule` and writes the walk's best schedule back into it at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from numba import njit

from app.scheduling.model import breaks_of_mask, parse_instance
from app.scheduling.schedule import Schedule

# Moves per compiled call: between chunks the caller reads the clock, sets the
# temperature and asks the prover's floor (rarely enough to cost nothing).
CHUNK = 8192
HOT_SHARE = 0.7  # of the moves start from a participant with breaks (as improve.HOT_SHARE)


@njit(cache=True, nogil=True)
def _popcount(x: np.int64) -> np.int64:
    n = 0
    while x:
        x &= x - 1
        n += 1
    return n


@njit(cache=True, nogil=True)
def _bit_length(x: np.int64) -> np.int64:
    n = 0
    while x:
        x >>= 1
        n += 1
    return n


@njit(cache=True, nogil=True)
def _breaks(mk: np.int64) -> np.int64:
    if mk == 0:
        return 0
    return _popcount(mk & ~(mk << 1)) - 1


@njit(cache=True, nogil=True)
def _cost(mk: np.int64, cap: np.int64, penalty: np.int64, idle_w: float) -> float:
    if mk == 0:
        return 0.0
    idle = _bit_length(mk) - _bit_length(mk & -mk) + 1 - _popcount(mk)
    return _true_cost(_breaks(mk), cap, penalty) + idle_w * idle


@njit(cache=True, nogil=True)
def _true_cost(b: np.int64, cap: np.int64, penalty: np.int64) -> np.int64:
    if cap >= 0 and b > cap:
        return b + penalty * (b - cap)
    return b


@njit(cache=True, nogil=True)
def _place(
    m: int,
    s: int,
    ma: np.ndarray,
    mb: np.ndarray,
    slot_of: np.ndarray,
    busy: np.ndarray,
    mask: np.ndarray,
    count: np.ndarray,
    members: np.ndarray,
    member_pos: np.ndarray,
    tab: np.ndarray,
    bound: np.ndarray,
) -> None:
    """Put meeting m in slot s (the arrays' twin of `Schedule.place`)."""
    a = ma[m]
    b = mb[m]
    slot_of[m] = s
    busy[a, s] = m
    busy[b, s] = m
    mask[a] |= np.int64(1) << s
    mask[b] |= np.int64(1) << s
    member_pos[m] = count[s]
    members[s, count[s]] = m
    count[s] += 1
    if tab[m]:
        bound[s, tab[m]] = m


@njit(cache=True, nogil=True)
def _remove(
    m: int,
    ma: np.ndarray,
    mb: np.ndarray,
    slot_of: np.ndarray,
    busy: np.ndarray,
    mask: np.ndarray,
    count: np.ndarray,
    members: np.ndarray,
    member_pos: np.ndarray,
    tab: np.ndarray,
    bound: np.ndarray,
) -> int:
    """Take meeting m out of its slot and return the slot (as `Schedule.remove`)."""
    s = slot_of[m]
    a = ma[m]
    b = mb[m]
    slot_of[m] = -1
    busy[a, s] = -1
    busy[b, s] = -1
    mask[a] &= ~(np.int64(1) << s)
    mask[b] &= ~(np.int64(1) << s)
    i = member_pos[m]
    count[s] -= 1
    last = members[s, count[s]]
    members[s, i] = last
    member_pos[last] = i
    member_pos[m] = -1
    if tab[m]:
        bound[s, tab[m]] = -1
    return s


@njit(cache=True, nogil=True)
def _chain(
    start: int,
    c1: int,
    c2: int,
    limit: int,
    busy: np.ndarray,
    ma: np.ndarray,
    mb: np.ndarray,
    out: np.ndarray,
    off: int,
) -> tuple[int, int]:
    """The Kempe path c1, c2, c1, ... from `start` into out[off:]: (length, last
    participant), or (-1, -1) when longer than `limit`."""
    n = 0
    v = start
    c = c1
    other = c2
    while True:
        e = busy[v, c]
        if e < 0:
            return n, v
        out[off + n] = e
        n += 1
        if n > limit:
            return -1, -1
        v = mb[e] if ma[e] == v else ma[e]
        if v == start:
            return n, v
        t = c
        c = other
        other = t


@njit(cache=True, nogil=True)
def _swap_chain(
    path: np.ndarray,
    n: int,
    c1: int,
    c2: int,
    am: np.ndarray,
    tables: int,
    ma: np.ndarray,
    mb: np.ndarray,
    slot_of: np.ndarray,
    busy: np.ndarray,
    mask: np.ndarray,
    count: np.ndarray,
    members: np.ndarray,
    member_pos: np.ndarray,
    tab: np.ndarray,
    bound: np.ndarray,
    olds: np.ndarray,
) -> bool:
    """Recolour the Kempe path c1 <-> c2 (as `Schedule.swap_chain`): False, with the
    arrays unchanged, when a meeting may not go to its new slot or a table rule refuses."""
    for i in range(n):
        e = path[i]
        to = c2 if slot_of[e] == c1 else c1
        if not (am[e] >> to) & 1:
            return False
    for i in range(n):
        olds[i] = _remove(
            path[i], ma, mb, slot_of, busy, mask, count, members, member_pos, tab, bound
        )
    done = 0
    ok = True
    for i in range(n):
        e = path[i]
        to = c2 if olds[i] == c1 else c1
        a = ma[e]
        b = mb[e]
        if (
            busy[a, to] >= 0
            or busy[b, to] >= 0
            or count[to] >= tables
            or (tab[e] and bound[to, tab[e]] >= 0)
        ):
            ok = False
            break
        _place(e, to, ma, mb, slot_of, busy, mask, count, members, member_pos, tab, bound)
        done += 1
    if not ok:
        for i in range(done):
            _remove(path[i], ma, mb, slot_of, busy, mask, count, members, member_pos, tab, bound)
        for i in range(n):
            _place(
                path[i],
                olds[i],
                ma,
                mb,
                slot_of,
                busy,
                mask,
                count,
                members,
                member_pos,
                tab,
                bound,
            )
    return ok


@njit(cache=True, nogil=True)
def seed_rng(seed: int) -> None:
    np.random.seed(seed)


@njit(cache=True, nogil=True)
def _pick(
    p: int,
    mask: np.ndarray,
    by_ptr: np.ndarray,
    by_idx: np.ndarray,
    slot_of: np.ndarray,
    fixed: np.ndarray,
    am: np.ndarray,
    n_s: int,
    near: float,
) -> tuple[int, int, int]:
    """A meeting m of p, its slot s and a slot t to move it to (near p's day part of the
    time): (m, s, t), or (-1, -1, -1) when the move is not possible."""
    mk = mask[p]
    lo_i = by_ptr[p]
    deg = by_ptr[p + 1] - lo_i
    m = by_idx[lo_i + int(np.random.random() * deg)]
    s = slot_of[m]
    if s < 0 or fixed[m]:
        return -1, -1, -1
    if np.random.random() < near:
        lo = _bit_length(mk & -mk) - 2
        if lo < 0:
            lo = 0
        hi = _bit_length(mk)
        if hi > n_s - 1:
            hi = n_s - 1
        t = lo + int(np.random.random() * (hi - lo + 1))
    else:
        t = int(np.random.random() * n_s)
    if t == s or not (am[m] >> t) & 1:
        return -1, -1, -1
    return m, s, t


@njit(cache=True, nogil=True)
def _kempe(
    p: int,
    s: int,
    t: int,
    max_chain: int,
    busy: np.ndarray,
    ma: np.ndarray,
    mb: np.ndarray,
    fixed: np.ndarray,
    has_fixed: bool,
    path: np.ndarray,
) -> tuple[int, int, int]:
    """The s/t Kempe chain through p into `path` (both ways when p meets in t too):
    (length, z1, z2) with z1, z2 the participants whose slot sets change, or
    (-1, -1, -1) when too long or holding a fixed meeting."""
    if busy[p, t] < 0:
        n1, z1 = _chain(p, s, t, max_chain, busy, ma, mb, path, 0)
        if n1 < 0:
            return -1, -1, -1
        n = n1
        z2 = p
    else:
        n1, z1 = _chain(p, s, t, max_chain, busy, ma, mb, path, 0)
        if n1 < 0 or z1 == p:
            return -1, -1, -1
        n2, z2 = _chain(p, t, s, max_chain, busy, ma, mb, path, n1)
        if n2 < 0:
            return -1, -1, -1
        n = n1 + n2
    if has_fixed:
        for i in range(n):
            if fixed[path[i]]:
                return -1, -1, -1
    return n, z1, z2


@njit(cache=True, nogil=True)
def _compensation(
    path: np.ndarray,
    n: int,
    s: int,
    t: int,
    z1: int,
    z2: int,
    slot_of: np.ndarray,
    count: np.ndarray,
    members: np.ndarray,
    busy: np.ndarray,
    ma: np.ndarray,
    mb: np.ndarray,
    am: np.ndarray,
    fixed: np.ndarray,
    has_fixed: bool,
    tab: np.ndarray,
    bound: np.ndarray,
    tables: int,
    compensate: int,
) -> tuple[int, int, int]:
    """When the chain would overfill slot s or t, a meeting of that slot to send the other
    way (a compound move): (meeting, its slot, its new slot); meeting -1 when none is
    needed, -2 when none is found."""
    n_s_edges = 0
    for i in range(n):
        if slot_of[path[i]] == s:
            n_s_edges += 1
    net_t = 2 * n_s_edges - n  # meetings the path adds to slot t
    if net_t == 0:
        return -1, -1, -1
    if net_t > 0:
        src = t
        dst = s
    else:
        src = s
        dst = t
    if count[src] + abs(net_t) <= tables:
        return -1, -1, -1
    if abs(net_t) > 1:
        return -2, -1, -1
    for _try in range(compensate):
        e = members[src, int(np.random.random() * count[src])]
        u = ma[e]
        v = mb[e]
        # (explicit comparisons: plain integer tests once compiled)
        if u == z1 or u == z2 or v == z1 or v == z2:  # noqa: SIM109
            continue
        if (
            (has_fixed and fixed[e])
            or not (am[e] >> dst) & 1
            or busy[u, dst] >= 0
            or busy[v, dst] >= 0
            or (tab[e] and bound[dst, tab[e]] >= 0)
        ):
            continue
        touched = False
        for i in range(n):
            f = path[i]
            if ma[f] == u or ma[f] == v or mb[f] == u or mb[f] == v:  # noqa: SIM109
                touched = True
                break
        if not touched:
            return e, src, dst
    return -2, -1, -1


@njit(cache=True, nogil=True)
def _pair_delta(
    x1: np.int64, x2: np.int64, flip: np.int64, cap: np.int64, penalty: np.int64, idle_w: float
) -> float:
    """The change of the walk's cost when two participants' slot masks both flip `flip`."""
    return (
        _cost(x1 ^ flip, cap, penalty, idle_w)
        - _cost(x1, cap, penalty, idle_w)
        + _cost(x2 ^ flip, cap, penalty, idle_w)
        - _cost(x2, cap, penalty, idle_w)
    )


@njit(cache=True, nogil=True)
def _apply(
    path: np.ndarray,
    n: int,
    s: int,
    t: int,
    extra: int,
    src: int,
    dst: int,
    am: np.ndarray,
    tables: int,
    ma: np.ndarray,
    mb: np.ndarray,
    slot_of: np.ndarray,
    busy: np.ndarray,
    mask: np.ndarray,
    count: np.ndarray,
    members: np.ndarray,
    member_pos: np.ndarray,
    tab: np.ndarray,
    bound: np.ndarray,
    olds: np.ndarray,
) -> bool:
    """Make the move (the compensating meeting first, when there is one); False, with the
    schedule unchanged, when a table rule refuses it."""
    if extra >= 0:
        _remove(extra, ma, mb, slot_of, busy, mask, count, members, member_pos, tab, bound)
        _place(extra, dst, ma, mb, slot_of, busy, mask, count, members, member_pos, tab, bound)
    ok = _swap_chain(
        path,
        n,
        s,
        t,
        am,
        tables,
        ma,
        mb,
        slot_of,
        busy,
        mask,
        count,
        members,
        member_pos,
        tab,
        bound,
        olds,
    )
    if not ok and extra >= 0:
        _remove(extra, ma, mb, slot_of, busy, mask, count, members, member_pos, tab, bound)
        _place(extra, src, ma, mb, slot_of, busy, mask, count, members, member_pos, tab, bound)
    return ok


@njit(cache=True, nogil=True)
def walk_chunk(
    iters: int,
    temp: float,
    state: np.ndarray,
    ma: np.ndarray,
    mb: np.ndarray,
    am: np.ndarray,
    fixed: np.ndarray,
    has_fixed: bool,
    tab: np.ndarray,
    slot_of: np.ndarray,
    busy: np.ndarray,
    mask: np.ndarray,
    count: np.ndarray,
    members: np.ndarray,
    member_pos: np.ndarray,
    bound: np.ndarray,
    by_ptr: np.ndarray,
    by_idx: np.ndarray,
    people: np.ndarray,
    hot: np.ndarray,
    br: np.ndarray,
    best_assign: np.ndarray,
    n_s: int,
    tables: int,
    cap: int,
    penalty: int,
    idle_w: float,
    near: float,
    hot_share: float,
    compensate: int,
    max_chain: int,
    path: np.ndarray,
    olds: np.ndarray,
) -> int:
    """`iters` moves of the walk: pick a move, price it (with a compensating move when a
    slot would overflow), accept it or not at temperature `temp`, make it. state =
    [cur_true, best] (updated in place); returns the moves made."""
    cur_true = state[0]
    best = state[1]
    n_people = people.shape[0]
    n_hot = hot.shape[0]
    it = 0
    while it < iters and best > 0:  # no breaks left: nothing to improve
        it += 1
        if np.random.random() < hot_share:
            p = hot[int(np.random.random() * n_hot)]
        else:
            p = people[int(np.random.random() * n_people)]
        m, s, t = _pick(p, mask, by_ptr, by_idx, slot_of, fixed, am, n_s, near)
        if m < 0:
            continue
        n, z1, z2 = _kempe(p, s, t, max_chain, busy, ma, mb, fixed, has_fixed, path)
        if n < 0:
            continue
        flip = (np.int64(1) << s) | (np.int64(1) << t)
        m1 = mask[z1] ^ flip
        m2 = mask[z2] ^ flip
        delta = _pair_delta(mask[z1], mask[z2], flip, cap, penalty, idle_w)
        extra, src, dst = _compensation(
            path, n, s, t, z1, z2, slot_of, count, members, busy, ma, mb, am, fixed,
            has_fixed, tab, bound, tables, compensate,
        )  # fmt: skip
        if extra == -2:
            continue
        if extra >= 0:
            flip2 = (np.int64(1) << src) | (np.int64(1) << dst)
            delta += _pair_delta(mask[ma[extra]], mask[mb[extra]], flip2, cap, penalty, idle_w)
        if delta > 0 and np.random.random() >= np.exp(-delta / temp):
            continue
        nb1 = _breaks(m1)
        nb2 = _breaks(m2)
        d_true = (
            _true_cost(nb1, cap, penalty)
            - _true_cost(br[z1], cap, penalty)
            + _true_cost(nb2, cap, penalty)
            - _true_cost(br[z2], cap, penalty)
        )
        if not _apply(
            path, n, s, t, extra, src, dst, am, tables, ma, mb, slot_of, busy, mask, count,
            members, member_pos, tab, bound, olds,
        ):  # fmt: skip
            continue
        if extra >= 0:
            for w in (ma[extra], mb[extra]):
                nbw = _breaks(mask[w])
                d_true += _true_cost(nbw, cap, penalty) - _true_cost(br[w], cap, penalty)
                br[w] = nbw
        br[z1] = nb1
        br[z2] = nb2
        cur_true += d_true
        if cur_true < best:
            best = cur_true
            best_assign[:] = slot_of
    state[0] = cur_true
    state[1] = best
    return it


def anneal(
    sch: Schedule,
    deadline: float,
    *,
    cap: int | None,
    seed: int,
    temp_start: float,
    temp_end: float,
    max_chain: int,
    penalty: int,
    max_iters: int | None,
    idle_weight: float,
    near: float,
    compensate: int,
    floor: Callable[[], float] | None,
) -> int:
    """`improve.anneal_breaks` on the compiled walk (same arguments, same result)."""
    inst = sch.inst
    n_s = sch.n_slots
    n_p = len(sch.mask)
    capv = -1 if cap is None else int(cap)
    br = np.array([breaks_of_mask(x) for x in sch.mask], dtype=np.int64)
    cur_true = sum(int(_true_cost(b, capv, penalty)) for b in br)
    people = np.array(
        [p for p in range(n_p) if sch.mask[p] and sch.mask[p].bit_count() > 1], dtype=np.int64
    )
    if len(people) == 0 or n_s < 2:
        return cur_true
    i64 = np.int64
    ma = np.array(sch.ma, dtype=i64)
    mb = np.array(sch.mb, dtype=i64)
    am = np.array(sch.allowed_mask, dtype=i64)
    fixed = np.array([m.fixed_slot is not None for m in inst.meetings], dtype=np.bool_)
    tab = np.array(sch.tab, dtype=i64)
    slot_of = np.array(sch.slot_of, dtype=i64)
    busy = np.array(sch.busy, dtype=i64)
    mask = np.array(sch.mask, dtype=i64)
    count = np.array(sch.count, dtype=i64)
    # (a compound move holds one meeting more than `tables` in a slot for a moment)
    members = np.full((n_s, sch.tables + 2), -1, dtype=i64)
    member_pos = np.full(len(slot_of), -1, dtype=i64)
    for s in range(n_s):
        for i, m in enumerate(sch.members[s]):
            members[s, i] = m
            member_pos[m] = i
    bound = np.full((n_s, sch.tables + 1), -1, dtype=i64)
    for s in range(n_s):
        for t, m in sch.bound_table[s].items():
            bound[s, t] = m
    by_ptr = np.zeros(n_p + 1, dtype=i64)
    for p in range(n_p):
        by_ptr[p + 1] = by_ptr[p] + len(inst.by_participant[p])
    by_idx = np.array([k for ks in inst.by_participant for k in ks], dtype=i64)
    path = np.zeros(2 * max_chain + 4, dtype=i64)
    olds = np.zeros(2 * max_chain + 4, dtype=i64)
    best_assign = slot_of.copy()
    state = np.array([cur_true, cur_true], dtype=i64)
    has_fixed = bool(fixed.any())
    seed_rng(seed)
    limit = max_iters if max_iters is not None else 10**12
    done = 0
    t_begin = time.monotonic()
    span = max(1e-3, deadline - t_begin)
    while state[1] > 0 and done < limit:
        now = time.monotonic()
        if now >= deadline:
            break
        if floor is not None and floor() >= state[1]:
            break
        temp = temp_start * (temp_end / temp_start) ** ((now - t_begin) / span)
        hot = people[br[people] > 0]
        if len(hot) == 0:
            hot = people
        done += walk_chunk(
            min(CHUNK, limit - done),
            temp,
            state,
            ma,
            mb,
            am,
            fixed,
            has_fixed,
            tab,
            slot_of,
            busy,
            mask,
            count,
            members,
            member_pos,
            bound,
            by_ptr,
            by_idx,
            people,
            hot,
            br,
            best_assign,
            n_s,
            sch.tables,
            capv,
            penalty,
            idle_weight,
            near,
            HOT_SHARE,
            compensate,
            max_chain,
            path,
            olds,
        )
    final = best_assign if state[0] > state[1] else slot_of
    sch.load([int(s) for s in final])
    return int(state[1])


def warm() -> None:
    """Compiles the walk once: numba caches the machine code beside this module, so no
    solve's time limit pays for a first compilation (seconds). `make install` (and the
    Dockerfile) run it."""
    from app.scheduling import improve

    slots = [{"id": f"s{i}", "session": "am"} for i in range(4)]
    parts = [{"id": p} for p in "abcd"]
    meetings = [
        {"id": f"m{i}", "a": a, "b": b, "required": True}
        for i, (a, b) in enumerate([("a", "b"), ("a", "c"), ("b", "d")])
    ]
    inst = parse_instance(
        {
            "format": "euroffshore-schedule/1",
            "slots": slots,
            "tables": 2,
            "participants": parts,
            "meetings": meetings,
            "fairness": 2,
        }
    )
    sch = Schedule(inst)
    for m, s in enumerate((0, 2, 3)):
        sch.place(m, s)
    anneal(
        sch,
        time.monotonic() + 60,
        cap=2,
        seed=0,
        temp_start=0.2,
        temp_end=0.2,
        max_chain=improve.WALK_MAX_CHAIN,
        penalty=improve.FAIRNESS_PENALTY,
        max_iters=1000,
        idle_weight=improve.IDLE_WEIGHT,
        near=improve.NEAR_SHARE,
        compensate=4,
        floor=None,
    )
