//! GC validation against wasmparser on wasm-smith modules with GC (and the
//! rest of WebAssembly 3.0) enabled: recursion groups, declared subtypes,
//! struct/array/i31 instructions and casts. wasm-smith writes valid modules,
//! so each is also mutated: one instruction replaced by (or one inserted
//! before it) a random GC instruction with random immediates, or one type
//! definition altered (finality, a field's mutability or type, the declared
//! supertype). Streaming validation of the bytes must give the same
//! verdict. `WTOOL_SMITH_SEEDS=20000` for a long run.

use wtool_ast::{
    BrCast, CompositeType, Features, HeapType, Instr, Module, RefType, StorageType, SubType,
    ValType,
};
use wtool_testsupport::{smith, Rng};

/// Our verdict and wasmparser's on `bytes`: `None` when our decoder
/// rejects (then wasmparser must reject too, else a mismatch is recorded).
fn compare(bytes: &[u8], label: &str, mismatches: &mut Vec<String>) -> Option<bool> {
    let theirs = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes);
    let module = match wtool_binary::decode_with_features(bytes, Features::ALL) {
        Ok(m) => m,
        Err(e) => {
            if theirs.is_ok() {
                mismatches.push(format!("{label}: our decoder rejects a valid module: {e}"));
            }
            return None;
        }
    };
    let ours = wtool_validate::validate(&module, Features::ALL);
    // Streaming validation (what `wtool validate` runs) must agree.
    let streamed = wtool_validate::validate_binary(bytes, Features::ALL);
    if streamed.is_ok() != ours.is_ok() {
        mismatches.push(format!(
            "{label}: validate says {:?}, validate_binary says {:?}",
            ours.as_ref().err().map(|e| e.to_string()),
            streamed.err().map(|e| e.to_string())
        ));
    }
    let theirs_ok = theirs.is_ok();
    if ours.is_ok() != theirs_ok {
        mismatches.push(format!(
            "{label}: wtool says {:?}, wasmparser says {:?}",
            ours.err().map(|e| (e.func, e.offset, e.to_string())),
            theirs.err().map(|e| e.to_string())
        ));
    }
    Some(theirs_ok)
}

fn heap(rng: &mut Rng, ntypes: u32) -> HeapType {
    use HeapType::*;
    const ABSTRACT: [HeapType; 12] = [
        Func, Extern, Any, Eq, I31, Struct, Array, None, NoFunc, NoExtern, Exn, NoExn,
    ];
    match rng.below(20) {
        k @ 0..=11 => ABSTRACT[k],
        _ => Concrete(rng.below(ntypes as usize + 1) as u32),
    }
}

fn ref_type(rng: &mut Rng, ntypes: u32) -> RefType {
    RefType {
        nullable: rng.below(2) == 0,
        heap: heap(rng, ntypes),
    }
}

/// A random GC instruction; type, field, segment and label immediates are
/// small and sometimes out of range.
fn gc_instr(rng: &mut Rng, m: &Module) -> Instr {
    let ntypes = m.types.len() as u32;
    let t = |rng: &mut Rng| rng.below(ntypes as usize + 1) as u32;
    let ty = t(rng);
    let ty2 = t(rng);
    let field = rng.below(4) as u32;
    let data = rng.below(m.datas.len() + 1) as u32;
    let elem = rng.below(m.elems.len() + 1) as u32;
    match rng.below(27) {
        0 => Instr::StructNew(ty),
        1 => Instr::StructNewDefault(ty),
        2 => Instr::StructGet {
            type_idx: ty,
            field,
        },
        3 => Instr::StructGetS {
            type_idx: ty,
            field,
        },
        4 => Instr::StructGetU {
            type_idx: ty,
            field,
        },
        5 => Instr::StructSet {
            type_idx: ty,
            field,
        },
        6 => Instr::ArrayNew(ty),
        7 => Instr::ArrayNewDefault(ty),
        8 => Instr::ArrayNewFixed {
            type_idx: ty,
            size: rng.below(3) as u32,
        },
        9 => Instr::ArrayNewData { type_idx: ty, data },
        10 => Instr::ArrayNewElem { type_idx: ty, elem },
        11 => Instr::ArrayGet(ty),
        12 => Instr::ArrayGetS(ty),
        13 => Instr::ArrayGetU(ty),
        14 => Instr::ArraySet(ty),
        15 => Instr::ArrayLen,
        16 => Instr::ArrayFill(ty),
        17 => Instr::ArrayCopy {
            dst_type: ty,
            src_type: ty2,
        },
        18 => Instr::ArrayInitData { type_idx: ty, data },
        19 => Instr::ArrayInitElem { type_idx: ty, elem },
        20 => Instr::RefTest(ref_type(rng, ntypes)),
        21 => Instr::RefCast(ref_type(rng, ntypes)),
        22 | 23 => {
            let cast = BrCast {
                label: rng.below(3) as u32,
                from: ref_type(rng, ntypes),
                to: ref_type(rng, ntypes),
            };
            if rng.below(2) == 0 {
                Instr::BrOnCast(Box::new(cast))
            } else {
                Instr::BrOnCastFail(Box::new(cast))
            }
        }
        24 => [
            Instr::RefI31,
            Instr::I31GetS,
            Instr::I31GetU,
            Instr::RefEq,
            Instr::AnyConvertExtern,
            Instr::ExternConvertAny,
        ][rng.below(6)]
        .clone(),
        25 => Instr::RefNull(heap(rng, ntypes)),
        _ => [
            Instr::RefAsNonNull,
            Instr::Drop,
            Instr::I32Const(7),
            Instr::LocalGet(rng.below(3) as u32),
        ][rng.below(4)]
        .clone(),
    }
}

/// Replaces (or inserts before) one non-structural instruction of one body.
fn instr_mutant(m: &mut Module, rng: &mut Rng) -> bool {
    if m.funcs.is_empty() {
        return false;
    }
    let new = gc_instr(rng, m);
    let fi = rng.below(m.funcs.len());
    let f = &mut m.funcs[fi];
    let candidates: Vec<usize> = f
        .body
        .instrs
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            !matches!(
                i,
                Instr::Block(_)
                    | Instr::Loop(_)
                    | Instr::If(_)
                    | Instr::Else
                    | Instr::End
                    | Instr::TryTable(_)
                    | Instr::Try(_)
                    | Instr::Catch(_)
                    | Instr::CatchAll
                    | Instr::Delegate(_)
            )
        })
        .map(|(k, _)| k)
        .collect();
    let at = match candidates.as_slice() {
        [] => f.body.instrs.len().saturating_sub(1),
        c => c[rng.below(c.len())],
    };
    if rng.below(2) == 0 && !candidates.is_empty() {
        f.body.instrs[at] = new;
    } else {
        f.body.instrs.insert(at, new);
    }
    f.body.offsets.clear();
    true
}

/// Alters one type definition: finality, a field's mutability or storage
/// type, or the declared supertype.
fn type_mutant(m: &mut Module, rng: &mut Rng) -> bool {
    if m.types.is_empty() {
        return false;
    }
    let n = m.types.len() as u32;
    let i = rng.below(m.types.len());
    let ty = &mut m.types[i];
    match rng.below(4) {
        0 => {
            let sub = ty.sub.get_or_insert_with(SubType::default);
            sub.is_final = !sub.is_final;
        }
        1 => {
            let sub = ty.sub.get_or_insert_with(SubType::default);
            sub.supertypes = match rng.below(3) {
                0 => vec![],
                _ => vec![rng.below(n as usize + 1) as u32],
            };
        }
        _ => {
            let fields: &mut [wtool_ast::FieldType] = match &mut ty.composite {
                CompositeType::Struct(fs) => fs,
                CompositeType::Array(f) => std::slice::from_mut(f),
                CompositeType::Func(_) => return false,
            };
            if fields.is_empty() {
                return false;
            }
            let k = rng.below(fields.len());
            if rng.below(2) == 0 {
                fields[k].mutable = !fields[k].mutable;
            } else {
                fields[k].storage = match rng.below(4) {
                    0 => StorageType::I8,
                    1 => StorageType::Val(ValType::I32),
                    _ => StorageType::Val(ValType::Ref(ref_type(rng, n))),
                };
            }
        }
    }
    true
}

#[test]
fn gc_modules_validate_like_wasmparser() {
    let seeds = smith::count_from_env("WTOOL_SMITH_SEEDS", 2000);
    let start = std::time::Instant::now();
    let (mut generated, mut with_gc_types) = (0u64, 0u64);
    let (mut compared, mut valid) = (0u64, 0u64);
    let mut mismatches = Vec::new();
    for seed in 0..seeds {
        let Some(bytes) = smith::module(seed, smith::syntax_config(false)) else {
            continue;
        };
        generated += 1;
        let Some(v) = compare(&bytes, &format!("seed {seed}"), &mut mismatches) else {
            continue;
        };
        compared += 1;
        valid += u64::from(v);
        let Ok(module) = wtool_binary::decode_with_features(&bytes, Features::ALL) else {
            continue;
        };
        if module
            .types
            .iter()
            .any(|t| t.as_func().is_none() || t.sub.is_some())
        {
            with_gc_types += 1;
        }
        let mut rng = Rng::new(seed ^ 0x6c5a_11d0);
        for k in 0..3 {
            let mut m = module.clone();
            let changed = if k < 2 {
                instr_mutant(&mut m, &mut rng)
            } else {
                type_mutant(&mut m, &mut rng)
            };
            if !changed {
                continue;
            }
            let label = format!("seed {seed} mutant {k}");
            if let Some(v) = compare(&wtool_binary::encode(&m), &label, &mut mismatches) {
                compared += 1;
                valid += u64::from(v);
            }
        }
    }
    println!(
        "GC smith: {generated} modules ({with_gc_types} with GC types), {compared} verdicts \
         compared with mutants ({valid} valid), {} mismatches, {:?}",
        mismatches.len(),
        start.elapsed()
    );
    for m in mismatches.iter().take(30) {
        println!("MISMATCH {m}");
    }
    assert!(
        mismatches.is_empty(),
        "{} verdicts differ",
        mismatches.len()
    );
    assert!(compared >= seeds, "too few verdicts compared");
    assert!(
        with_gc_types > generated / 4,
        "too few modules use GC types"
    );
    assert!(
        valid > compared / 5 && valid < compared * 4 / 5,
        "both verdicts must be common"
    );
}
