//! `-O` levels: each is an (opt, shrink) pair mapped to a list of passes.

use std::fmt;
use std::str::FromStr;

/// An optimization level as binaryen defines them: how hard to optimize
/// (`opt`, 0–3) and how much to favour size (`shrink`, 0–2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OptLevel {
    /// 0–3.
    pub opt: u8,
    /// 0 (speed), 1 (`-Os`), 2 (`-Oz`).
    pub shrink: u8,
}

impl OptLevel {
    /// `-O0`: no passes.
    pub const O0: OptLevel = OptLevel { opt: 0, shrink: 0 };
    /// `-O1`.
    pub const O1: OptLevel = OptLevel { opt: 1, shrink: 0 };
    /// `-O2`.
    pub const O2: OptLevel = OptLevel { opt: 2, shrink: 0 };
    /// `-O3`.
    pub const O3: OptLevel = OptLevel { opt: 3, shrink: 0 };
    /// `-Os`.
    pub const OS: OptLevel = OptLevel { opt: 2, shrink: 1 };
    /// `-Oz`.
    pub const OZ: OptLevel = OptLevel { opt: 2, shrink: 2 };

    /// The flag spelling: `O0` … `O3`, `Os`, `Oz`.
    pub fn name(self) -> &'static str {
        match (self.opt, self.shrink) {
            (_, 2) => "Oz",
            (_, 1) => "Os",
            (0, _) => "O0",
            (1, _) => "O1",
            (2, _) => "O2",
            _ => "O3",
        }
    }

    /// The passes this level runs, in order.
    pub fn passes(self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = Vec::new();
        if self.opt == 0 {
            return v;
        }
        // Whole functions that nothing reaches cost time in every later pass.
        v.push("remove-unused-module-elements");
        if self.opt >= 2 || self.shrink > 0 {
            // Identical bodies found early shrink everything downstream.
            v.push("duplicate-function-elimination");
        }
        if self.opt >= 2 || self.shrink > 0 {
            // Parameters nobody reads, or that always get one constant: the
            // constant lands in the callee before precompute runs.
            v.push("dae");
        }
        // Unreachable tails are noise for every body pass.
        v.push("dce");
        // Constants first, so the branch and peephole passes see them.
        v.push("precompute");
        // Constant conditions become unconditional code (and more dead code).
        v.push("simplify-branches");
        // `block c br_if 0 … end` is an `if` on the negated condition, smaller.
        v.push("block-to-if");
        // Branches to a block whose end only branches on go there directly
        // (switch lowering); adjacent br_ifs to one label become one.
        v.push("thread-branches");
        v.push("dce");
        // Single-use locals (clang -O0 stores every value) fold into their use.
        v.push("simplify-locals");
        // Comparisons under eqz, constant chains, masks a load or a 0/1
        // value makes needless, narrow loads and stores (forwarded locals
        // above put producers next to their users).
        v.push("combine-instructions");
        // Redundant `eqz eqz`, identities, set/get pairs.
        v.push("peephole");
        // Blocks nobody branches to are just brackets.
        v.push("merge-blocks");
        if self.opt >= 2 || self.shrink > 0 {
            // Tails every arm or branch of a join runs are kept once; the
            // arms it empties go in vacuum.
            v.push("code-folding");
        }
        // Drops of pure values and empty constructs left by the passes above.
        v.push("vacuum");
        // -O3: tiny callees; -Os/-Oz: callees with a single call site, whose
        // originals then go (the header, type index and call are saved).
        if self.opt >= 3 || self.shrink > 0 {
            // Callees copied into callers expose constants and dead code…
            v.push("inlining");
            // …which the cleanup round below removes.
            v.push("precompute");
            v.push("simplify-branches");
            v.push("block-to-if");
            v.push("thread-branches");
            v.push("dce");
            v.push("merge-blocks");
            v.push("code-folding");
            v.push("vacuum");
        }
        if self.opt >= 2 || self.shrink > 0 {
            locals_round(&mut v);
            // A second round: constants, copies and block results the
            // locals passes exposed feed the body passes again, and those
            // feed coalescing again (`wtool opt -Oz -Oz` took hello.wasm
            // from 24,605 to 24,538 bytes; this round gets most of it).
            v.extend_from_slice(&[
                "precompute",
                "simplify-branches",
                "block-to-if",
                "thread-branches",
                "dce",
                "simplify-locals",
                "combine-instructions",
                "peephole",
                "merge-blocks",
                "code-folding",
                "vacuum",
            ]);
            locals_round(&mut v);
        }
        // Writes to never-read locals and locals nobody names.
        v.push("remove-unused-locals");
        // Drops that remove-unused-locals introduced.
        v.push("vacuum");
        if self.opt >= 2 || self.shrink > 0 {
            // Callers redirected by duplicate elimination may have left more duplicates.
            v.push("duplicate-function-elimination");
        }
        // One function imported twice under one name (separately compiled
        // objects linked together) becomes one import.
        v.push("duplicate-import-elimination");
        if self.shrink > 0 {
            // Bodies that differ only in constants share one copy (each
            // call then goes through a thunk, so not when optimizing for speed).
            v.push("merge-similar-functions");
        }
        // Duplicates, inlined callees and dead globals are gone from the code now.
        v.push("remove-unused-module-elements");
        // Indirect calls through constant slots of tables only segments
        // write become direct calls (as in binaryen, late: the constants
        // come from the passes above; the table entries keep the callees alive).
        v.push("directize");
        if self.opt >= 2 || self.shrink > 0 {
            // Frequently called functions get one-byte indices.
            v.push("reorder-functions");
        }
        if self.shrink > 0 {
            // Zero bytes in data segments only repeat what a fresh memory
            // holds (clang -O0 emits long zero-filled tables).
            v.push("memory-packing");
            // Names and tool metadata are not needed to run.
            v.push("strip-custom");
        }
        v
    }
}

/// The locals phase of `-O2` and up: propagation, coalescing and the
/// cleanups they enable.
fn locals_round(v: &mut Vec<&'static str>) {
    // Trees computed twice in an extended block read the first value
    // from a local (the passes below coalesce the locals it adds).
    v.push("local-cse");
    // Reads of copies (inlined arguments, compiler temporaries) read
    // the source, and reads of small constants the constant; the
    // copies' writes die, and go in the passes below.
    v.push("propagate-locals");
    // Locals that precompute and simplify-locals left unread must not
    // be merged into live slots (their stores would look used).
    v.push("remove-unused-locals");
    // Disjoint lifetimes share slots (dead stores go first).
    v.push("coalesce-locals");
    // Stores of what a local already holds (zeros at entry, copies
    // coalescing made redundant) become drops of the value…
    v.push("rse");
    // Values every exit of a block stores into one local (phis)
    // become the block's result.
    v.push("block-results");
    // Propagated locals put producers next to their users.
    v.push("combine-instructions");
    // Set/get pairs that coalescing made adjacent.
    v.push("peephole");
    // …which go here with the pure computation they drop.
    v.push("vacuum");
}

/// Every level, in flag order.
pub const LEVELS: [OptLevel; 6] = [
    OptLevel::O0,
    OptLevel::O1,
    OptLevel::O2,
    OptLevel::O3,
    OptLevel::OS,
    OptLevel::OZ,
];

/// The levels whose pipeline runs `pass` (for `--list-passes`).
pub fn levels_running(pass: &str) -> Vec<OptLevel> {
    LEVELS
        .into_iter()
        .filter(|l| l.passes().contains(&pass))
        .collect()
}

impl fmt::Display for OptLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A level spelling that is not one of `O0 O1 O2 O3 Os Oz`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown optimization level `{0}` (expected O0, O1, O2, O3, Os or Oz)")]
pub struct ParseLevelError(pub String);

impl FromStr for OptLevel {
    type Err = ParseLevelError;
    /// Accepts `O2`, `-O2`, `2`, `s`, `z`, case-sensitive like compilers.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim_start_matches('-');
        let t = t.strip_prefix('O').unwrap_or(t);
        Ok(match t {
            "0" => OptLevel::O0,
            "1" => OptLevel::O1,
            "" | "2" => OptLevel::O2,
            "3" | "4" => OptLevel::O3,
            "s" => OptLevel::OS,
            "z" => OptLevel::OZ,
            _ => return Err(ParseLevelError(s.to_string())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_and_list_known_passes() {
        for (s, l) in [
            ("O0", OptLevel::O0),
            ("-O3", OptLevel::O3),
            ("Oz", OptLevel::OZ),
            ("s", OptLevel::OS),
        ] {
            assert_eq!(s.parse::<OptLevel>().unwrap(), l);
        }
        assert!("O9".parse::<OptLevel>().is_err());
        assert!(OptLevel::O0.passes().is_empty());
        for l in [
            OptLevel::O1,
            OptLevel::O2,
            OptLevel::O3,
            OptLevel::OS,
            OptLevel::OZ,
        ] {
            for p in l.passes() {
                assert!(crate::registry::lookup(p).is_some(), "{p}");
            }
        }
        assert!(OptLevel::O3.passes().contains(&"inlining"));
        assert!(OptLevel::OZ.passes().contains(&"inlining"));
        assert!(!OptLevel::O2.passes().contains(&"inlining"));
        assert!(OptLevel::OZ.passes().contains(&"strip-custom"));
        assert!(!OptLevel::O3.passes().contains(&"strip-custom"));
        assert_eq!(OptLevel::OS.to_string(), "Os");
        assert_eq!(
            levels_running("inlining"),
            vec![OptLevel::O3, OptLevel::OS, OptLevel::OZ]
        );
        assert_eq!(
            levels_running("strip-custom"),
            vec![OptLevel::OS, OptLevel::OZ]
        );
    }
}
