//! Differential testing against wasmparser: wasm-smith modules (fixed seeds,
//! WebAssembly 2.0 features) and single-byte mutations of them. Shared by
//! `tests/differential.rs` (a short run) and `examples/diff_smith.rs` (a long one).

use arbitrary::Unstructured;
use wasmparser::WasmFeatures;
use wtool_ast::{Features, HeapType, Instr, MemArg, Op, OpKind};
pub use wtool_testsupport::Rng;

/// Counts of one run.
#[derive(Debug, Default)]
pub struct Report {
    /// Modules wasm-smith produced.
    pub generated: u64,
    /// Generated modules that both decoders accepted and whose verdicts were compared.
    pub generated_compared: u64,
    /// Of those, how many wasmparser judged valid.
    pub generated_valid: u64,
    /// Mutants tried.
    pub mutants: u64,
    /// Mutants both decoders accepted (verdicts compared).
    pub mutants_compared: u64,
    /// Of those, how many wasmparser judged valid.
    pub mutants_valid: u64,
    /// Single-instruction mutants tried (decoded, one instruction replaced, re-encoded).
    pub instr_mutants: u64,
    /// Instruction mutants both decoders accepted (verdicts compared).
    pub instr_mutants_compared: u64,
    /// Of those, how many wasmparser judged valid.
    pub instr_mutants_valid: u64,
    /// Inputs where the decoders disagree: ours rejects a module wasmparser
    /// validates, or ours accepts bytes wasmparser cannot read.
    pub decoder_disagreements: u64,
    /// The first few decoder disagreements, described.
    pub decoder_samples: Vec<String>,
    /// Inputs where the validators disagree.
    pub mismatches: Vec<String>,
}

impl Report {
    /// Total verdicts compared.
    pub fn compared(&self) -> u64 {
        self.generated_compared + self.mutants_compared + self.instr_mutants_compared
    }
}

/// wasm-smith limited to WebAssembly 2.0; `invalid` lets it emit invalid bodies.
pub fn config(invalid: bool) -> wasm_smith::Config {
    wtool_testsupport::smith::wasm2_config(invalid)
}

/// The module wasm-smith builds from `seed`, if it builds one.
pub fn generate(seed: u64) -> Option<Vec<u8>> {
    let mut rng = Rng::new(seed);
    let len = 256 + rng.below(16384);
    let data: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
    let mut u = Unstructured::new(&data);
    let m = wasm_smith::Module::new(config(seed % 2 == 1), &mut u).ok()?;
    Some(m.to_bytes())
}

/// True when wasmparser (default features) can read every part of `bytes`.
pub fn wasmparser_decodes(bytes: &[u8]) -> bool {
    wtool_testsupport::oracle::wasmparser_decodes(bytes, wasmparser::WasmFeatures::default())
}

/// Compares our verdict with wasmparser's on `bytes`. Returns `None` when
/// our decoder rejects or the decoders disagree, else `Some(wasmparser_valid)`;
/// pushes a description to `mismatches` when the validators disagree.
pub fn compare(bytes: &[u8], label: &str, report: &mut Report) -> Option<bool> {
    let ours = wtool_binary::decode(bytes);
    let theirs = wasmparser::Validator::new_with_features(WasmFeatures::WASM2).validate_all(bytes);
    let module = match ours {
        // Both reject (wasmparser folds decoding into validation); a module
        // wasmparser calls valid must decode, though.
        Err(e) => {
            if theirs.is_ok() {
                report.decoder_disagreements += 1;
                if report.decoder_samples.len() < 40 {
                    report.decoder_samples.push(format!(
                        "{label}: wtool decoder rejects a module wasmparser validates: {} at {:#x}",
                        e,
                        e.offset()
                    ));
                }
            }
            return None;
        }
        Ok(m) => m,
    };
    if !wasmparser_decodes(bytes) {
        // We decoded bytes wasmparser cannot even read: a decoder difference.
        // Whole-pipeline verdicts must still agree (ours must reject too).
        report.decoder_disagreements += 1;
        let ours = wtool_validate::validate(&module, Features::WASM2);
        if ours.is_ok() {
            report.mismatches.push(format!(
                "{label}: wtool decodes and validates bytes wasmparser cannot read ({:?})",
                theirs.as_ref().err().map(|e| e.to_string())
            ));
        } else if report.decoder_samples.len() < 40 {
            report.decoder_samples.push(format!(
                "{label}: wtool decodes bytes wasmparser cannot read (wtool validator: {:?}, wasmparser: {:?})",
                ours.err().map(|e| e.to_string()),
                theirs.as_ref().err().map(|e| e.to_string())
            ));
        }
        return None;
    }
    let ours = wtool_validate::validate(&module, Features::WASM2);
    if ours.is_ok() != theirs.is_ok() {
        report.mismatches.push(format!(
            "{label}: wtool says {:?}, wasmparser says {:?}",
            ours.err().map(|e| (e.func, e.offset, e.to_string())),
            theirs.as_ref().err().map(|e| e.to_string())
        ));
    }
    Some(theirs.is_ok())
}

/// A random instruction that keeps the body well nested (no block
/// structure), to replace one instruction of a body.
fn random_instr(rng: &mut Rng, nfuncs: u32, nlocals: u32) -> Instr {
    let small = |rng: &mut Rng, n: u32| rng.below(n as usize + 2) as u32;
    match rng.below(16) {
        0..=2 => {
            let plain: Vec<Op> = Op::ALL
                .iter()
                .copied()
                .filter(|o| o.kind() == OpKind::Plain && o.info().feature.contains(Features::MVP))
                .filter(|o| Features::WASM2.contains(o.info().feature))
                .collect();
            Instr::Plain(plain[rng.below(plain.len())])
        }
        3 => {
            let mem: Vec<Op> = Op::ALL
                .iter()
                .copied()
                .filter(|o| matches!(o.kind(), OpKind::Load(_) | OpKind::Store(_)))
                .filter(|o| Features::WASM2.contains(o.info().feature))
                .collect();
            let op = mem[rng.below(mem.len())];
            let natural = op.kind().natural_align().unwrap_or(0);
            Instr::Mem(
                op,
                MemArg {
                    offset: rng.below(3) as u64,
                    memory: 0,
                    align: natural + (rng.below(4) == 0) as u8,
                },
            )
        }
        4 => Instr::LocalGet(small(rng, nlocals)),
        5 => Instr::LocalSet(small(rng, nlocals)),
        6 => Instr::LocalTee(small(rng, nlocals)),
        7 => [
            Instr::GlobalGet(small(rng, 2)),
            Instr::GlobalSet(small(rng, 2)),
        ][rng.below(2)]
        .clone(),
        8 => [
            Instr::Br(small(rng, 3)),
            Instr::BrIf(small(rng, 3)),
            Instr::Return,
        ][rng.below(3)]
        .clone(),
        9 => [Instr::Drop, Instr::Select, Instr::Nop, Instr::Unreachable][rng.below(4)].clone(),
        10 => [
            Instr::I32Const(1),
            Instr::I64Const(2),
            Instr::F32Const(0),
            Instr::F64Const(0),
        ][rng.below(4)]
        .clone(),
        11 => Instr::Call(small(rng, nfuncs)),
        12 => [
            Instr::RefNull(HeapType::Func),
            Instr::RefNull(HeapType::Extern),
            Instr::RefIsNull,
            Instr::RefFunc(small(rng, nfuncs)),
        ][rng.below(4)]
        .clone(),
        13 => {
            let lane: Vec<Op> = Op::ALL
                .iter()
                .copied()
                .filter(|o| matches!(o.kind(), OpKind::Lane(_)))
                .collect();
            Instr::Lane(lane[rng.below(lane.len())], rng.below(17) as u8)
        }
        14 => [
            Instr::TableSize(small(rng, 1)),
            Instr::TableGet(small(rng, 1)),
            Instr::MemorySize(0),
            Instr::MemoryGrow(0),
        ][rng.below(4)]
        .clone(),
        _ => [
            Instr::SelectT(Box::new(vec![wtool_ast::ValType::I32])),
            Instr::DataDrop(small(rng, 1)),
            Instr::ElemDrop(small(rng, 1)),
            Instr::V128Const(Box::new([0; 16])),
        ][rng.below(4)]
        .clone(),
    }
}

/// Decodes `bytes`, replaces one non-structural instruction, re-encodes.
fn instr_mutant(bytes: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut m = wtool_binary::decode(bytes).ok()?;
    if m.funcs.is_empty() {
        return None;
    }
    let nfuncs = m.funcs.len() as u32 + m.num_imported(wtool_ast::ExternKind::Func);
    let fi = rng.below(m.funcs.len());
    let f = m.funcs.get_mut(fi)?;
    let nlocals = f.num_locals() as u32 + 2;
    let candidates: Vec<usize> = f
        .body
        .instrs
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            !matches!(
                i,
                Instr::Block(_) | Instr::Loop(_) | Instr::If(_) | Instr::Else | Instr::End
            )
        })
        .map(|(k, _)| k)
        .collect();
    let new = random_instr(rng, nfuncs, nlocals);
    if candidates.is_empty() {
        let at = f.body.instrs.len().saturating_sub(1);
        f.body.instrs.insert(at, new);
    } else {
        let k = candidates[rng.below(candidates.len())];
        f.body.instrs[k] = new;
    }
    f.body.offsets.clear();
    Some(wtool_binary::encode(&m))
}

/// Generates modules from `seeds` and `mutations` single-byte mutants of each.
pub fn run(seeds: std::ops::Range<u64>, mutations: u64) -> Report {
    let mut r = Report::default();
    for seed in seeds {
        let Some(bytes) = generate(seed) else {
            continue;
        };
        r.generated += 1;
        if let Some(valid) = compare(&bytes, &format!("seed {seed}"), &mut r) {
            r.generated_compared += 1;
            r.generated_valid += valid as u64;
        }
        let mut rng = Rng::new(seed ^ 0xA5A5_5A5A);
        for k in 0..mutations {
            if bytes.len() <= 8 {
                break;
            }
            let mut m = bytes.clone();
            let pos = 8 + rng.below(bytes.len() - 8);
            let old = m[pos];
            m[pos] = old ^ (1 + rng.below(255) as u8);
            r.mutants += 1;
            if let Some(valid) = compare(
                &m,
                &format!(
                    "seed {seed} mutation {k} (byte {pos}: {old:#04x} -> {:#04x})",
                    m[pos]
                ),
                &mut r,
            ) {
                r.mutants_compared += 1;
                r.mutants_valid += valid as u64;
            }
        }
        for k in 0..mutations {
            let Some(m) = instr_mutant(&bytes, &mut rng) else {
                break;
            };
            r.instr_mutants += 1;
            if let Some(valid) =
                compare(&m, &format!("seed {seed} instruction mutation {k}"), &mut r)
            {
                r.instr_mutants_compared += 1;
                r.instr_mutants_valid += valid as u64;
            }
        }
    }
    r
}

/// Feature gating: validates generated modules (and their instruction
/// mutants) with 2.0 minus one proposal at a time, and with 1.0, on both
/// sides. Returns (compared, rejected by wasmparser, mismatches).
pub fn run_gating(seeds: std::ops::Range<u64>) -> (u64, u64, Vec<String>) {
    let wasm1 = (
        Features::WASM1.union(Features::MUTABLE_GLOBAL),
        WasmFeatures::WASM1,
    );
    let sets = [
        (
            Features::WASM2.without(Features::SIMD),
            WasmFeatures::WASM2.difference(WasmFeatures::SIMD),
        ),
        (
            Features::WASM2.without(Features::REFERENCE_TYPES),
            WasmFeatures::WASM2.difference(WasmFeatures::REFERENCE_TYPES),
        ),
        (
            Features::WASM2.without(Features::BULK_MEMORY),
            WasmFeatures::WASM2.difference(WasmFeatures::BULK_MEMORY),
        ),
        (
            Features::WASM2.without(Features::MULTI_VALUE),
            WasmFeatures::WASM2.difference(WasmFeatures::MULTI_VALUE),
        ),
        (
            Features::WASM2.without(Features::SIGN_EXTENSION),
            WasmFeatures::WASM2.difference(WasmFeatures::SIGN_EXTENSION),
        ),
        (
            Features::WASM2.without(Features::SATURATING_FLOAT_TO_INT),
            WasmFeatures::WASM2.difference(WasmFeatures::SATURATING_FLOAT_TO_INT),
        ),
        (
            Features::WASM2.without(Features::MUTABLE_GLOBAL),
            WasmFeatures::WASM2.difference(WasmFeatures::MUTABLE_GLOBAL),
        ),
        wasm1,
    ];
    let (mut compared, mut rejected, mut mismatches) = (0, 0, Vec::new());
    for seed in seeds {
        let Some(bytes) = generate(seed) else {
            continue;
        };
        let mut inputs = vec![bytes.clone()];
        let mut rng = Rng::new(seed ^ 0x5EED);
        for _ in 0..3 {
            if let Some(m) = instr_mutant(&bytes, &mut rng) {
                inputs.push(m);
            }
        }
        for (k, input) in inputs.iter().enumerate() {
            let Ok(module) = wtool_binary::decode(input) else {
                continue;
            };
            for (ours_f, theirs_f) in sets {
                let ours = wtool_validate::validate(&module, ours_f);
                let theirs = wasmparser::Validator::new_with_features(theirs_f).validate_all(input);
                compared += 1;
                rejected += theirs.is_err() as u64;
                if ours.is_ok() != theirs.is_ok() {
                    mismatches.push(format!(
                        "seed {seed} input {k} with {ours_f:?}: wtool says {:?}, wasmparser says {:?}",
                        ours.err().map(|e| e.to_string()),
                        theirs.err().map(|e| e.to_string())
                    ));
                }
            }
        }
    }
    (compared, rejected, mismatches)
}
