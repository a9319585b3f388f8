//! The terminating tails of code-folding: runs of code that end the
//! function the same way (`X return`, `X unreachable`) in several places
//! are kept once, at the end of the function, and each place branches there.
//!
//! ```text
//! … X return … X return …   →   block $t  … br $t … br $t … return  end  X return
//! ```
//!
//! The body goes into a new block; if its end can be reached, a `return`
//! (of the values on the stack there) is added before the block's end so
//! it does not run into the shared copy. `X` must take nothing from below
//! (it starts from nothing the site computed), leave at least the
//! function's results (for `return`, which discards anything under them),
//! hold no `return` and no branch out of itself. A group folds only when
//! that saves bytes: each site trades `X` and its terminator for a two-byte
//! `br`, the copy, its terminator, the block (three bytes) and the added
//! `return` stay.

use crate::analysis::items::{Frames, Item};
use crate::structure::{Body, Structure};
use std::collections::HashMap;
use wtool_ast::{BlockType, Instr, Module, ValType};

/// One place that ends the function: its terminator and the items of its
/// frame before it.
struct Site<'a> {
    term: usize,
    items: &'a [Item],
}

/// The encoded size of `instrs`.
fn bytes(instrs: &[Instr]) -> usize {
    let mut v = Vec::new();
    for x in instrs {
        wtool_binary::encode_instr(&mut v, x);
    }
    v.len()
}

/// A group of sites that share a tail of `len` items.
struct Group {
    sites: Vec<usize>,
    len: usize,
}

/// Folds terminating tails in `body` (a function with `results` results);
/// returns whether it changed.
pub fn fold_terminating_tails(
    m: &Module,
    locals: &[ValType],
    results: u32,
    body: &mut Vec<Instr>,
) -> bool {
    let Some(s) = Structure::of(body) else {
        return false;
    };
    let f = Frames {
        instrs: body,
        s: &s,
        m,
        locals,
    };
    // Each frame's items are computed once, however many sites it holds.
    let terms: Vec<(usize, usize)> = body
        .iter()
        .enumerate()
        .filter(|(_, x)| matches!(x, Instr::Return | Instr::Unreachable))
        .map(|(i, _)| (i, f.frame_start(i)))
        .collect();
    let mut frame_items: HashMap<usize, Vec<Item>> = HashMap::new();
    for &(_, fs) in &terms {
        frame_items.entry(fs).or_insert_with(|| f.items(fs));
    }
    let mut sites: Vec<Site> = Vec::new();
    for &(i, fs) in &terms {
        let all = &frame_items[&fs];
        let items = &all[..all.partition_point(|it| it.next <= i)];
        if !items.is_empty() {
            sites.push(Site { term: i, items });
        }
    }
    // Sites grouped by terminator and last item; groups in body order.
    let mut by_key: HashMap<(&Instr, &[Instr]), Vec<usize>> = HashMap::new();
    for (j, st) in sites.iter().enumerate() {
        let last = st.items.last().map_or(0..0, |it| it.start..it.next);
        by_key
            .entry((&body[st.term], &body[last]))
            .or_default()
            .push(j);
    }
    let mut members: Vec<Vec<usize>> = by_key.into_values().filter(|v| v.len() >= 2).collect();
    members.sort_unstable();
    let mut groups: Vec<Group> = members
        .into_iter()
        .flat_map(|v| common_tails(&f, &sites, v, results))
        .collect();
    if groups.is_empty() {
        return false;
    }
    // Unless the body ends in a transfer, its end can be reached (maybe
    // through dead code, whose pushes still count): a `return` goes there.
    let falls = f.items(0).last().is_none_or(|it| !it.transfers);
    // Keep only the groups that pay for themselves (the first also pays
    // for the `return` added at the body's end).
    let mut paid_return = !falls;
    groups.retain(|g| {
        let st = &sites[g.sites[0]];
        let from = st.items[st.items.len() - g.len].start;
        let x = bytes(&body[from..st.term]) + 1;
        let n = g.sites.len();
        let cost = 2 * n + x + 3 + usize::from(!paid_return);
        let keep = n * x > cost;
        paid_return |= keep;
        keep
    });
    if groups.is_empty() {
        return false;
    }
    let Some(abs) = Body::absolutize(body.clone()) else {
        return false;
    };
    let n = abs.instrs.len();
    // Fresh label ids for the new blocks, past every index.
    let label = |g: usize| (n + g) as u32;
    let mut replace: Vec<Option<(usize, u32)>> = vec![None; n];
    for (gi, g) in groups.iter().enumerate() {
        for &j in &g.sites {
            let st = &sites[j];
            let from = st.items[st.items.len() - g.len].start;
            replace[from] = Some((st.term, label(gi)));
        }
    }
    let mut instrs = Vec::with_capacity(n + 4 * groups.len());
    let mut ids = Vec::with_capacity(n + 4 * groups.len());
    for gi in (0..groups.len()).rev() {
        instrs.push(Instr::Block(BlockType::Empty));
        ids.push(label(gi));
    }
    let mut i = 0;
    while i + 1 < n {
        if let Some((term, l)) = replace[i] {
            instrs.push(Instr::Br(l));
            ids.push(crate::structure::NONE);
            i = term + 1;
            continue;
        }
        instrs.push(abs.instrs[i].clone());
        ids.push(abs.ids[i]);
        i += 1;
    }
    if falls {
        instrs.push(Instr::Return);
        ids.push(crate::structure::NONE);
    }
    for g in &groups {
        instrs.push(Instr::End);
        ids.push(crate::structure::NONE);
        let st = &sites[g.sites[0]];
        let from = st.items[st.items.len() - g.len].start;
        instrs.extend_from_slice(&abs.instrs[from..=st.term]);
        ids.extend_from_slice(&abs.ids[from..=st.term]);
    }
    instrs.push(Instr::End);
    ids.push(crate::structure::NONE);
    (Body { instrs, ids }).relativize_into(body)
}

/// Splits `members` (same terminator, same last item) into groups that
/// share a longer tail, and gives each the longest shared tail that may
/// move: it takes nothing from below, leaves enough for a `return`, and
/// holds no `return` or branch out of itself. Sites are split by their
/// next item going back, with a worklist (tails can be long).
fn common_tails(f: &Frames, sites: &[Site], members: Vec<usize>, results: u32) -> Vec<Group> {
    let is_return = matches!(f.instrs[sites[members[0]].term], Instr::Return);
    let item = |j: usize, k: usize| -> Option<&Item> {
        let items = sites[j].items;
        items.len().checked_sub(k).map(|x| &items[x])
    };
    let mut out = Vec::new();
    // (members, items matched so far, need, net, best valid length)
    let mut work: Vec<(Vec<usize>, usize, u32, i64, usize)> = vec![(members, 0, 0, 0, 0)];
    while let Some((members, k, need, net, best)) = work.pop() {
        // Extend by item k + 1, splitting by what it is.
        let mut parts: Vec<(&[Instr], Vec<usize>)> = Vec::new();
        let mut left: Vec<usize> = Vec::new();
        for &j in &members {
            match item(j, k + 1) {
                Some(it) => {
                    let code = &f.instrs[it.start..it.next];
                    match parts.iter_mut().find(|(c, _)| *c == code) {
                        Some((_, v)) => v.push(j),
                        None => parts.push((code, vec![j])),
                    }
                }
                None => left.push(j),
            }
        }
        for (_, part) in parts {
            if part.len() < 2 {
                left.extend(part);
                continue;
            }
            let a = item(part[0], k + 1).copied();
            let Some(a) = a else { continue };
            let clean = !a.transfers
                && !f.instrs[a.start..a.next].contains(&Instr::Return)
                && f.branches_stay(a.start..a.next, |_| false);
            let Some((p, r)) = a.effect.filter(|_| clean) else {
                left.extend(part);
                continue;
            };
            let need = p + need.saturating_sub(r);
            let net = net + i64::from(r) - i64::from(p);
            let fits = need == 0 && (!is_return || net >= i64::from(results));
            let best = if fits { k + 1 } else { best };
            work.push((part, k + 1, need, net, best));
        }
        // Sites that end here share the tail found so far.
        left.sort_unstable();
        if left.len() >= 2 && best > 0 {
            out.push(Group {
                sites: left,
                len: best,
            });
        }
    }
    out.sort_unstable_by(|a, b| a.sites.cmp(&b.sites));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_valid, func, ins, module};

    fn run(sig: &str, src: &str) -> Vec<Instr> {
        let mut m = module(&[sig], vec![func(0, "", src)]);
        let results = m.func_type(0).map_or(0, |t| t.results.len() as u32);
        let locals = crate::analysis::local_types(&m, &m.funcs[0]).unwrap();
        let mut body = m.funcs[0].body.instrs.clone();
        fold_terminating_tails(&m, &locals, results, &mut body);
        m.funcs[0].body.instrs = body.clone();
        assert_valid(&m);
        body
    }

    #[test]
    fn returns_share_one_copy() {
        let tail = "local.get 0 i32.const 100 i32.mul i32.const 7 i32.add";
        let out = run(
            "i32 -> i32",
            &format!(
                "local.get 0 if {tail} return end local.get 0 i32.const 1 i32.eq if {tail} return end \
                 i32.const 5"
            ),
        );
        assert_eq!(
            out,
            ins(&format!(
                "block local.get 0 if br 1 end local.get 0 i32.const 1 i32.eq if br 1 end \
                 i32.const 5 return end {tail} return"
            ))
        );
    }

    #[test]
    fn traps_share_one_copy_and_small_tails_stay() {
        let tail = "i32.const 1000 i32.const 2000 call 0 drop";
        let out = run(
            "i32 i32 -> i32",
            &format!(
                "local.get 0 if {tail} unreachable end local.get 1 if {tail} unreachable end \
                 {tail} unreachable"
            ),
        );
        assert_eq!(
            out,
            ins(&format!(
                "block local.get 0 if br 1 end local.get 1 if br 1 end br 0 end {tail} unreachable"
            ))
        );
        // Sites that differ before a shared end split into groups.
        let other = "i32.const 3000 i32.const 2000 call 0 drop";
        let out = run(
            "i32 i32 -> i32",
            &format!(
                "local.get 0 if {tail} unreachable end local.get 1 if {other} unreachable end \
                 {tail} unreachable"
            ),
        );
        assert_eq!(
            out,
            ins(&format!(
                "block local.get 0 if br 1 end local.get 1 if {other} unreachable end br 0 end \
                 {tail} unreachable"
            ))
        );
        // Two one-byte tails: the block and the branches cost more.
        let src = "local.get 0 if nop unreachable end nop unreachable";
        assert_eq!(run("i32", src), ins(src));
        // A tail that uses a value from below cannot move.
        let src =
            "local.get 0 if i32.const 1 i32.const 1000 i32.add i32.const 1000 i32.add return end \
                   i32.const 2 i32.const 1000 i32.add i32.const 1000 i32.add return";
        assert_eq!(run("i32 -> i32", src), ins(src));
    }
}
