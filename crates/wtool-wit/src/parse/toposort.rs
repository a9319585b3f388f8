//! Dependency ordering that keeps source order where dependencies allow it,
//! so that output is stable (the same ordering wit-parser produces).

use indexmap::IndexMap;
use std::collections::BinaryHeap;

/// Orders the keys of `deps` so each comes after what it depends on, ties
/// broken by source order. Errors are `(offset, message)`: an unknown name or a cycle.
pub(crate) fn toposort<S: Copy>(
    kind: &str,
    deps: &IndexMap<String, Vec<(String, S)>>,
) -> Result<Vec<String>, (S, String)> {
    let n = deps.len();
    let mut remaining = vec![0usize; n];
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, (_, edges)) in deps.iter().enumerate() {
        remaining[i] = edges.len();
        for (name, at) in edges {
            let Some(j) = deps.get_index_of(name) else {
                return Err((*at, format!("{kind} `{name}` does not exist")));
            };
            users[j].push(i);
        }
    }
    // A max-heap on `n - i` pops the earliest ready item first.
    let mut heap: BinaryHeap<(usize, usize)> = (0..n)
        .filter(|&i| remaining[i] == 0)
        .map(|i| (n - i, i))
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some((_, i)) = heap.pop() {
        order.push(deps.get_index(i).unwrap().0.clone());
        for u in std::mem::take(&mut users[i]) {
            remaining[u] -= 1;
            if remaining[u] == 0 {
                heap.push((n - u, u));
            }
        }
    }
    if order.len() == n {
        return Ok(order);
    }
    for (i, (_, edges)) in deps.iter().enumerate() {
        if remaining[i] == 0 {
            continue;
        }
        for (name, at) in edges {
            let j = deps.get_index_of(name).unwrap();
            if remaining[j] != 0 {
                return Err((*at, format!("{kind} `{name}` depends on itself")));
            }
        }
    }
    unreachable!("a cycle has an edge between unfinished nodes")
}
