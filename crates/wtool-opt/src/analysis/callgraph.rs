//! The call graph: which function calls which, built with `petgraph`.

use crate::bodies::Bodies;
use petgraph::algo::tarjan_scc;
use petgraph::visit::Dfs;
use wtool_ast::{Instr, Module};

/// Direct calls between functions (absolute function indices, imports first).
#[derive(Clone, Debug, Default)]
pub struct CallGraph {
    /// Edge `a → b` when `a`'s body contains `call b`.
    pub graph: crate::analysis::DiGraph<u32>,
    /// Functions that are part of a cycle (including self-recursion).
    recursive: Vec<bool>,
}

impl CallGraph {
    /// Builds the graph from every defined function's direct calls.
    pub fn build(m: &Module) -> CallGraph {
        CallGraph::build_with(m, &Bodies::open(m, wtool_ast::Features::default()))
    }

    /// [`CallGraph::build`] for a module whose bodies `bodies` holds.
    pub fn build_with(m: &Module, bodies: &Bodies) -> CallGraph {
        let nimp = m.num_imported(wtool_ast::ExternKind::Func);
        let total = nimp as usize + m.funcs.len();
        let mut graph = crate::analysis::DiGraph::new();
        for f in 0..total as u32 {
            graph.add_node(f);
        }
        bodies.scan(m, |i, instrs| {
            let caller = nimp + i as u32;
            for ins in instrs {
                // A tail call is a call for recursion and reachability.
                if let Instr::Call(callee) | Instr::ReturnCall(callee) = ins {
                    graph.add_edge(caller, *callee, ());
                }
            }
        });
        let mut recursive = vec![false; total];
        for scc in tarjan_scc(&graph) {
            let cyclic = scc.len() > 1 || scc.first().is_some_and(|&n| graph.contains_edge(n, n));
            if cyclic {
                for n in scc {
                    if let Some(r) = recursive.get_mut(n as usize) {
                        *r = true;
                    }
                }
            }
        }
        CallGraph { graph, recursive }
    }

    /// True when `f` can reach itself through direct calls.
    pub fn is_recursive(&self, f: u32) -> bool {
        self.recursive.get(f as usize).copied().unwrap_or(false)
    }

    /// Functions `f` calls directly, ascending.
    pub fn callees(&self, f: u32) -> Vec<u32> {
        let mut v: Vec<u32> = self.graph.neighbors(f).collect();
        v.sort_unstable();
        v
    }

    /// How many call sites in the module name each function (indexed by absolute index).
    pub fn call_counts(m: &Module) -> Vec<u32> {
        CallGraph::call_counts_with(m, &Bodies::open(m, wtool_ast::Features::default()))
    }

    /// [`CallGraph::call_counts`] for a module whose bodies `bodies` holds.
    pub fn call_counts_with(m: &Module, bodies: &Bodies) -> Vec<u32> {
        let total = m.num_imported(wtool_ast::ExternKind::Func) as usize + m.funcs.len();
        let mut counts = vec![0u32; total];
        bodies.scan(m, |_, instrs| {
            for ins in instrs {
                if let Instr::Call(c) | Instr::ReturnCall(c) = ins {
                    if let Some(n) = counts.get_mut(*c as usize) {
                        *n = n.saturating_add(1);
                    }
                }
            }
        });
        counts
    }

    /// Every function reachable from `roots` through direct calls (roots included).
    pub fn reachable(&self, roots: impl IntoIterator<Item = u32>) -> Vec<u32> {
        let mut seen = std::collections::BTreeSet::new();
        for r in roots {
            if !self.graph.contains_node(r) || seen.contains(&r) {
                continue;
            }
            let mut dfs = Dfs::new(&self.graph, r);
            while let Some(n) = dfs.next(&self.graph) {
                seen.insert(n);
            }
        }
        seen.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wtool_ast::{Expr, Func, FuncType, TypeDef};

    fn func(body: Vec<Instr>) -> Func {
        Func {
            type_idx: 0,
            body: Expr::new(body),
            ..Default::default()
        }
    }

    #[test]
    fn recursion_and_reachability() {
        let m = Module {
            types: vec![TypeDef::func(FuncType::default())],
            funcs: vec![
                func(vec![Instr::Call(1), Instr::End]),
                func(vec![Instr::Call(2), Instr::End]),
                func(vec![Instr::Call(1), Instr::End]),
                func(vec![Instr::Call(3), Instr::End]),
                func(vec![Instr::End]),
            ],
            ..Default::default()
        };
        let g = CallGraph::build(&m);
        assert!(!g.is_recursive(0));
        assert!(g.is_recursive(1) && g.is_recursive(2) && g.is_recursive(3));
        assert!(!g.is_recursive(4));
        assert_eq!(g.reachable([0]), vec![0, 1, 2]);
        assert_eq!(g.callees(0), vec![1]);
        assert_eq!(CallGraph::call_counts(&m), vec![0, 2, 1, 1, 0]);
    }

    #[test]
    fn tail_calls_are_calls() {
        // 0 tail-calls 1, which calls 0: a cycle, and 1 is named twice.
        let m = Module {
            types: vec![TypeDef::func(FuncType::default())],
            funcs: vec![
                func(vec![Instr::ReturnCall(1), Instr::End]),
                func(vec![Instr::Call(0), Instr::ReturnCall(1), Instr::End]),
                func(vec![Instr::End]),
            ],
            ..Default::default()
        };
        let g = CallGraph::build(&m);
        assert!(g.is_recursive(0) && g.is_recursive(1) && !g.is_recursive(2));
        assert_eq!(g.reachable([0]), vec![0, 1]);
        assert_eq!(CallGraph::call_counts(&m), vec![1, 2, 0]);
    }
}
