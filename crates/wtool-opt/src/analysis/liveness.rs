//! Liveness of locals over the control-flow graph of a structured body, and
//! the interference relation that coalescing needs.

use crate::structure::{branch_depths, Structure, Target, NONE};
use wtool_ast::Instr;

/// A fixed-size bit set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    /// An empty set over `n` elements.
    pub fn new(n: usize) -> BitSet {
        BitSet {
            words: vec![0; n.div_ceil(64)],
        }
    }
    /// Membership.
    #[inline]
    pub fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }
    /// Adds `i`.
    #[inline]
    pub fn insert(&mut self, i: usize) {
        if let Some(w) = self.words.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
    /// Removes `i`.
    #[inline]
    pub fn remove(&mut self, i: usize) {
        if let Some(w) = self.words.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }
    /// `self |= other`; returns whether `self` grew.
    pub fn union_with(&mut self, other: &BitSet) -> bool {
        let mut changed = false;
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            let n = *a | *b;
            changed |= n != *a;
            *a = n;
        }
        changed
    }
    /// Members, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            (0..64)
                .filter(move |b| w >> b & 1 == 1)
                .map(move |b| wi * 64 + b)
        })
    }
}

/// Successor instruction indices of control instruction `i` (`None` entries mean "function exit").
fn successors(instrs: &[Instr], s: &Structure, i: usize, out: &mut Vec<usize>) {
    out.clear();
    let n = instrs.len();
    let label_dest = |t: Target| -> Option<usize> {
        match t {
            Target::Func => None,
            Target::Opener(o) => match instrs.get(o as usize) {
                // Branching to a loop restarts its body.
                Some(Instr::Loop(_)) => Some(o as usize + 1),
                _ => Some(s.end_of[o as usize] as usize),
            },
        }
    };
    match &instrs[i] {
        Instr::If(_) => {
            out.push(i + 1);
            let e = s.else_of[i];
            out.push(if e != NONE {
                e as usize + 1
            } else {
                s.end_of[i] as usize
            });
        }
        Instr::Else => out.push(s.end_of[i] as usize),
        Instr::Br(_) | Instr::BrTable(_) => {
            for d in branch_depths(&instrs[i]) {
                if let Some(t) = s.target(i, d).and_then(label_dest) {
                    out.push(t);
                }
            }
        }
        Instr::BrIf(d) => {
            if let Some(t) = s.target(i, *d).and_then(label_dest) {
                out.push(t);
            }
            out.push(i + 1);
        }
        Instr::Return | Instr::Unreachable => {}
        _ => out.push(i + 1),
    }
    out.retain(|&x| x < n);
    out.sort_unstable();
    out.dedup();
}

fn is_control(ins: &Instr) -> bool {
    matches!(
        ins,
        Instr::Block(_)
            | Instr::Loop(_)
            | Instr::If(_)
            | Instr::Else
            | Instr::End
            | Instr::Br(_)
            | Instr::BrIf(_)
            | Instr::BrTable(_)
            | Instr::Return
            | Instr::Unreachable
    )
}

/// Basic blocks of a body with live-in/live-out sets of locals.
#[derive(Clone, Debug)]
pub struct Liveness {
    /// `(start, end)` instruction ranges, end exclusive.
    pub blocks: Vec<(usize, usize)>,
    /// Successor blocks.
    pub succs: Vec<Vec<usize>>,
    /// Locals live at each block's start.
    pub live_in: Vec<BitSet>,
    /// Locals live at each block's end.
    pub live_out: Vec<BitSet>,
}

impl Liveness {
    /// Computes liveness of `num_locals` locals; `None` for unbalanced bodies.
    pub fn compute(instrs: &[Instr], num_locals: usize) -> Option<Liveness> {
        let s = Structure::of(instrs)?;
        let n = instrs.len();
        let mut leader = vec![false; n + 1];
        leader[0] = true;
        let mut succ = Vec::new();
        for i in 0..n {
            if is_control(&instrs[i]) {
                leader[i + 1] = true;
                successors(instrs, &s, i, &mut succ);
                for &t in &succ {
                    leader[t] = true;
                }
            }
        }
        let mut blocks = Vec::new();
        let mut block_of = vec![0usize; n];
        let mut start = 0;
        for (i, &lead) in leader.iter().enumerate().skip(1) {
            if lead {
                blocks.push((start, i));
                start = i;
            }
        }
        for (b, &(a, e)) in blocks.iter().enumerate() {
            block_of[a..e].fill(b);
        }
        let mut succs = Vec::with_capacity(blocks.len());
        for &(_, e) in &blocks {
            let last = e - 1;
            if is_control(&instrs[last]) {
                successors(instrs, &s, last, &mut succ);
            } else {
                succ.clear();
                if e < n {
                    succ.push(e);
                }
            }
            succs.push(succ.iter().map(|&t| block_of[t]).collect::<Vec<_>>());
        }
        // Transfer functions: uses before defs (gen) and defs (kill).
        let nb = blocks.len();
        let mut gen = vec![BitSet::new(num_locals); nb];
        let mut kill = vec![BitSet::new(num_locals); nb];
        for (b, &(a, e)) in blocks.iter().enumerate() {
            for ins in instrs[a..e].iter().rev() {
                match ins {
                    Instr::LocalGet(x) => {
                        gen[b].insert(*x as usize);
                        kill[b].remove(*x as usize);
                    }
                    Instr::LocalSet(x) | Instr::LocalTee(x) => {
                        gen[b].remove(*x as usize);
                        kill[b].insert(*x as usize);
                    }
                    _ => {}
                }
            }
        }
        let mut live_in = gen.clone();
        let mut live_out = vec![BitSet::new(num_locals); nb];
        let mut changed = true;
        while changed {
            changed = false;
            for b in (0..nb).rev() {
                let mut out = BitSet::new(num_locals);
                for &t in &succs[b] {
                    out.union_with(&live_in[t]);
                }
                // in = gen ∪ (out − kill)
                let mut inn = out.clone();
                for (w, k) in inn.words.iter_mut().zip(&kill[b].words) {
                    *w &= !k;
                }
                inn.union_with(&gen[b]);
                if inn != live_in[b] {
                    live_in[b] = inn;
                    changed = true;
                }
                live_out[b] = out;
            }
        }
        Some(Liveness {
            blocks,
            succs,
            live_in,
            live_out,
        })
    }

    /// Indices of `local.set`/`local.tee` whose value is never read (the
    /// local is not live right after them).
    pub fn dead_stores(&self, instrs: &[Instr]) -> Vec<usize> {
        let mut dead = Vec::new();
        for (b, &(s, e)) in self.blocks.iter().enumerate() {
            let mut live = self.live_out[b].clone();
            for (i, ins) in instrs[s..e].iter().enumerate().rev() {
                match ins {
                    Instr::LocalGet(x) => live.insert(*x as usize),
                    Instr::LocalSet(x) | Instr::LocalTee(x) => {
                        if !live.contains(*x as usize) {
                            dead.push(s + i);
                        }
                        live.remove(*x as usize);
                    }
                    _ => {}
                }
            }
        }
        dead.sort_unstable();
        dead
    }

    /// Pairs of locals that hold different live values at once: a write to
    /// one while the other is live (unless the write copies the other), or on entry, where every parameter holds
    /// its argument and every declared local zero: a local live on entry
    /// interferes with every parameter (live or not: the slot holds the
    /// argument) and with every other local live on entry. `matrix[a * n + b]`.
    pub fn interference(&self, instrs: &[Instr], num_locals: usize, num_params: usize) -> BitSet {
        let n = num_locals;
        let mut m = BitSet::new(n * n);
        let mut add = |a: usize, b: usize| {
            if a != b {
                m.insert(a * n + b);
                m.insert(b * n + a);
            }
        };
        for (b, &(s, e)) in self.blocks.iter().enumerate() {
            let mut live = self.live_out[b].clone();
            for k in (s..e).rev() {
                match &instrs[k] {
                    Instr::LocalGet(x) => live.insert(*x as usize),
                    Instr::LocalSet(x) | Instr::LocalTee(x) => {
                        let x = *x as usize;
                        // A copy (`local.get y; local.set x`) leaves both
                        // holding one value: no conflict between them
                        // there; later writes of either still conflict.
                        let source = match k.checked_sub(1).filter(|&p| p >= s).map(|p| &instrs[p])
                        {
                            Some(Instr::LocalGet(y) | Instr::LocalTee(y)) => Some(*y as usize),
                            _ => None,
                        };
                        for y in live.iter() {
                            if Some(y) != source {
                                add(x, y);
                            }
                        }
                        live.remove(x);
                    }
                    _ => {}
                }
            }
        }
        if let Some(entry) = self.live_in.first() {
            let v: Vec<usize> = entry.iter().collect();
            for (i, &a) in v.iter().enumerate() {
                for &b in &v[i + 1..] {
                    add(a, b);
                }
                for p in 0..num_params.min(n) {
                    add(a, p);
                }
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wtool_ast::BlockType;

    #[test]
    fn loop_keeps_value_live() {
        use Instr::*;
        // local 0 is set before a loop and read inside it: live around the back edge.
        let body = vec![
            I32Const(1),
            LocalSet(0),
            Loop(BlockType::Empty),
            LocalGet(0),
            Plain(wtool_ast::Op::I32Eqz),
            LocalSet(1),
            LocalGet(1),
            BrIf(0),
            End,
            End,
        ];
        let l = Liveness::compute(&body, 2).unwrap();
        let loop_body = l.blocks.iter().position(|&(s, _)| s == 3).unwrap();
        assert!(l.live_in[loop_body].contains(0));
        assert!(l.live_out[loop_body].contains(0));
        let m = l.interference(&body, 2, 0);
        // Row 1, column 0 of the 2×2 matrix.
        assert!(m.contains(2));
        assert!(!l.live_in[0].contains(0));
        // A plain copy (`local.get 0; local.set 1`) holds the same value: no conflict.
        let mut copy = body.clone();
        copy.remove(4);
        let l = Liveness::compute(&copy, 2).unwrap();
        assert!(!l.interference(&copy, 2, 0).contains(2));
    }

    #[test]
    fn disjoint_lifetimes_do_not_interfere() {
        use Instr::*;
        let body = vec![
            I32Const(1),
            LocalSet(0),
            LocalGet(0),
            Drop,
            I32Const(2),
            LocalSet(1),
            LocalGet(1),
            Drop,
            End,
        ];
        let l = Liveness::compute(&body, 2).unwrap();
        let m = l.interference(&body, 2, 0);
        assert!(!m.contains(1) && !m.contains(2));
    }
}
