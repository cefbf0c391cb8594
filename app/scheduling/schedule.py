"""A mutable schedule with O(1) feasibility checks, and the moves the heuristics use.

A meeting is an edge between two participants; a slot is its colour. Participants'
busy slots are kept both as a table (participant x slot -> meeting) and as a bitmask
so that breaks are counted with two bit operations. Tables are assigned at the end:
within a slot only the meetings bound to a table (booth or fixed table) need a given
table, so "at most `tables` meetings and no two bound to the same table" is enough.
"""

from __future__ import annotations

import random

from app.scheduling.model import Instance, breaks_of_mask

# Insertion repair: Kempe chains up to this length (longer ones rarely free a slot), and
# at most this many meetings of a full slot tried for ejection (a sample keeps it cheap).
INSERT_MAX_CHAIN = 60
EJECT_SAMPLE = 40


class Schedule:
    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        n_p, n_s, n_m = len(inst.participants), inst.n_slots, len(inst.meetings)
        self.n_slots = n_s
        self.tables = inst.tables
        self.ma = [m.a for m in inst.meetings]
        self.mb = [m.b for m in inst.meetings]
        self.tab = list(inst.table_of)
        self.allowed_mask = [sum(1 << s for s in al) for al in inst.allowed]
        self.slot_of = [-1] * n_m
        self.busy = [[-1] * n_s for _ in range(n_p)]
        self.mask = [0] * n_p
        self.count = [0] * n_s
        self.in_slot: list[set[int]] = [set() for _ in range(n_s)]
        self.members: list[list[int]] = [[] for _ in range(n_s)]  # for O(1) sampling
        self.member_pos = [-1] * n_m
        self.bound_table: list[dict[int, int]] = [{} for _ in range(n_s)]  # slot -> table -> m
        self._rng = random.Random(0)
        self.left = []  # meetings each participant may still take (max_meetings)
        for p in inst.participants:
            self.left.append(10**9 if p.max_meetings is None else p.max_meetings)

    # ------------------------------------------------------------ basic operations
    def can_place(self, m: int, s: int) -> bool:
        a, b = self.ma[m], self.mb[m]
        if not (self.allowed_mask[m] >> s) & 1:
            return False
        if self.busy[a][s] >= 0 or self.busy[b][s] >= 0 or self.count[s] >= self.tables:
            return False
        if self.left[a] <= 0 or self.left[b] <= 0:
            return False
        t = self.tab[m]
        return not (t and t in self.bound_table[s])

    def place(self, m: int, s: int) -> None:
        a, b = self.ma[m], self.mb[m]
        self.slot_of[m] = s
        self.busy[a][s] = m
        self.busy[b][s] = m
        self.mask[a] |= 1 << s
        self.mask[b] |= 1 << s
        self.count[s] += 1
        self.in_slot[s].add(m)
        self.member_pos[m] = len(self.members[s])
        self.members[s].append(m)
        self.left[a] -= 1
        self.left[b] -= 1
        t = self.tab[m]
        if t:
            self.bound_table[s][t] = m

    def remove(self, m: int) -> int:
        s = self.slot_of[m]
        a, b = self.ma[m], self.mb[m]
        self.slot_of[m] = -1
        self.busy[a][s] = -1
        self.busy[b][s] = -1
        self.mask[a] &= ~(1 << s)
        self.mask[b] &= ~(1 << s)
        self.count[s] -= 1
        self.in_slot[s].discard(m)
        lst = self.members[s]
        i = self.member_pos[m]
        last = lst.pop()
        if last != m:
            lst[i] = last
            self.member_pos[last] = i
        self.left[a] += 1
        self.left[b] += 1
        t = self.tab[m]
        if t:
            del self.bound_table[s][t]
        return s

    def breaks(self, p: int) -> int:
        return breaks_of_mask(self.mask[p])

    def total_breaks(self) -> int:
        return sum(breaks_of_mask(x) for x in self.mask)

    def copy_assignment(self) -> list[int]:
        return list(self.slot_of)

    def load(self, slot_of: list[int]) -> None:
        for m, s in enumerate(self.slot_of):
            if s >= 0:
                self.remove(m)
        for m, s in enumerate(slot_of):
            if s >= 0:
                self.place(m, s)

    # ------------------------------------------------------------ Kempe chains
    def chain(
        self, start: int, c1: int, c2: int, limit: int = 10**9
    ) -> tuple[list[int], int] | None:
        """The path of meetings coloured c1, c2, c1, ... from participant `start` (which
        must be free in c2). Returns (meetings, last participant) or None if too long."""
        path: list[int] = []
        v, c, other = start, c1, c2
        busy = self.busy
        while True:
            e = busy[v][c]
            if e < 0:
                return path, v
            path.append(e)
            if len(path) > limit:
                return None
            v = self.mb[e] if self.ma[e] == v else self.ma[e]
            if v == start:  # a cycle (only when start is busy in both colours)
                return path, v
            c, other = other, c

    def swap_chain(self, path: list[int], c1: int, c2: int) -> bool:
        """Recolour a Kempe path c1 <-> c2 if every meeting is allowed in its new slot and
        the table rules still hold; otherwise leave the schedule unchanged."""
        am = self.allowed_mask
        for e in path:
            to = c2 if self.slot_of[e] == c1 else c1
            if not (am[e] >> to) & 1:
                return False
        olds = [self.remove(e) for e in path]
        done = []
        ok = True
        for e, s in zip(path, olds):
            to = c2 if s == c1 else c1
            if self.can_place(e, to):
                self.place(e, to)
                done.append(e)
            else:
                ok = False
                break
        if not ok:
            for e in done:
                self.remove(e)
            for e, s in zip(path, olds):
                self.place(e, s)
        return ok

    # ------------------------------------------------------------ insertion with repair
    def try_insert(
        self,
        m: int,
        eject: bool = True,
        chains: bool = True,
        avoid: int = -1,
    ) -> bool:
        """Place meeting m: directly, else after recolouring one Kempe chain that frees one
        of its participants, else after moving one meeting out of a full slot."""
        a, b = self.ma[m], self.mb[m]
        if self.left[a] <= 0 or self.left[b] <= 0:
            return False
        allowed = self.inst.allowed[m]
        if not allowed:
            return False
        best = None
        for s in allowed:
            if self.can_place(m, s):
                d = (self._delta_add(a, s) + self._delta_add(b, s), self.count[s])
                if best is None or d < best[0]:
                    best = (d, s)
        if best is not None:
            self.place(m, best[1])
            return True
        if not chains:
            return False
        busy = self.busy
        tab = self.tab[m]
        for s in allowed:
            if s == avoid or self.count[s] >= self.tables or (tab and tab in self.bound_table[s]):
                continue
            fa, fb = busy[a][s] < 0, busy[b][s] < 0
            if fa == fb:
                continue
            # exactly one of a, b is busy in s: free it by a chain s/t from the busy one,
            # where t is a slot in which that participant is free.
            u, w = (b, a) if fa else (a, b)
            for t in range(self.n_slots):
                if t in (s, avoid) or busy[u][t] >= 0:
                    continue
                res = self.chain(u, s, t, INSERT_MAX_CHAIN)
                if res is None:
                    continue
                path, end = res
                if end == w or any(self.ma[e] == w or self.mb[e] == w for e in path):
                    continue
                if self.swap_chain(path, s, t):
                    if self.can_place(m, s):
                        self.place(m, s)
                        return True
                    self.swap_chain(path, s, t)  # undo
        if eject:
            # both free in an allowed slot that is full (or whose table is taken): move
            # one meeting out of it, to a slot where it fits (possibly by a Kempe chain)
            rng = self._rng
            for s in allowed:
                if busy[a][s] >= 0 or busy[b][s] >= 0:
                    continue
                if tab and tab in self.bound_table[s]:
                    blockers = [self.bound_table[s][tab]]
                elif self.count[s] >= self.tables:
                    blockers = list(self.in_slot[s])
                    if len(blockers) > EJECT_SAMPLE:
                        blockers = rng.sample(blockers, EJECT_SAMPLE)
                else:
                    continue
                for e in blockers:
                    if self.inst.meetings[e].fixed_slot is not None or e == m:
                        continue
                    self.remove(e)
                    if not self.can_place(m, s):
                        self.place(e, s)
                        continue
                    self.place(m, s)
                    if self.try_insert(e, eject=False, chains=True, avoid=s):
                        return True
                    self.remove(m)
                    self.place(e, s)
        return False

    def _delta_add(self, p: int, s: int) -> int:
        mk = self.mask[p]
        return breaks_of_mask(mk | (1 << s)) - breaks_of_mask(mk)
