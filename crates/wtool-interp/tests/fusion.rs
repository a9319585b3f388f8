//! The compiler turns common instruction sequences into single internal
//! instructions (compare-and-branch, local and constant operands, results
//! written straight to locals, counting loops). Each function below is
//! written to hit one such shape; every one is run on edge-case inputs in
//! our interpreter and in wasmi and must agree.

mod common;

use common::{instantiate_both, Both};
use wtool_interp::Value;

const FUSED: &str = r#"(module
  ;; local.get x; i32.const c; i32.<op>
  (func (export "and_lc") (param i32 i32) (result i32) local.get 0 i32.const 0x0ff0f0f0 i32.and)
  (func (export "shl_lc") (param i32 i32) (result i32) local.get 0 i32.const 33 i32.shl)
  (func (export "shru_lc") (param i32 i32) (result i32) local.get 0 i32.const 7 i32.shr_u)
  (func (export "mul_lc") (param i32 i32) (result i32) local.get 0 i32.const -7 i32.mul)
  (func (export "sub_lc") (param i32 i32) (result i32) local.get 0 i32.const -2147483648 i32.sub)
  (func (export "sub_lc_set") (param i32 i32) (result i32) local.get 0 i32.const 5 i32.sub local.set 1 local.get 1)
  (func (export "sub_lc_tee") (param i32 i32) (result i32) local.get 0 i32.const 5 i32.sub local.tee 1 local.get 1 i32.add)
  ;; <stack>; local.get y; i32.<op>
  (func (export "sub_l") (param i32 i32) (result i32) local.get 0 i32.const 1 i32.add local.get 1 i32.sub)
  (func (export "and_l") (param i32 i32) (result i32) local.get 0 i32.const 1 i32.add local.get 1 i32.and)
  (func (export "or_l") (param i32 i32) (result i32) local.get 0 i32.const 1 i32.add local.get 1 i32.or)
  (func (export "xor_l") (param i32 i32) (result i32) local.get 0 i32.const 1 i32.add local.get 1 i32.xor)
  (func (export "mul_l") (param i32 i32) (result i32) local.get 0 i32.const 1 i32.add local.get 1 i32.mul)
  ;; <stack>; i32.const c; i32.<op>
  (func (export "or_c") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add i32.const 0x80000001 i32.or)
  (func (export "xor_c") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add i32.const -1 i32.xor)
  ;; f64: two locals, constant right operand
  (func (export "fmul_ll") (param f64 f64) (result f64) local.get 0 local.get 1 f64.mul)
  (func (export "fadd_ll") (param f64 f64) (result f64) local.get 0 local.get 1 f64.add)
  (func (export "fmul_c") (param f64 f64) (result f64) local.get 0 local.get 1 f64.sub f64.const -0.5 f64.mul)
  (func (export "fadd_c") (param f64 f64) (result f64) local.get 0 local.get 1 f64.sub f64.const inf f64.add)
  ;; counting loops closed by a fused step-and-branch; `cnt` caps them
  (func (export "inc_nez") (param i32 i32) (result i32) (local i32)
    loop
      local.get 2 i32.const 1 i32.add local.tee 2 i32.const 100 i32.gt_u
      if local.get 0 return end
      local.get 0 i32.const -3 i32.add local.tee 0
      br_if 0
    end
    local.get 2)
  (func (export "inc_lts") (param i32 i32) (result i32) (local i32 i32)
    local.get 1 i32.const 7 i32.and i32.const 1 i32.add local.set 3
    loop
      local.get 2 i32.const 1 i32.add local.tee 2 i32.const 100 i32.gt_u
      if local.get 0 return end
      local.get 0 local.get 3 i32.add local.tee 0 local.get 1 i32.lt_s
      br_if 0
    end
    local.get 0 local.get 2 i32.const 16 i32.shl i32.xor)
  (func (export "inc_ltu") (param i32 i32) (result i32) (local i32 i32)
    local.get 1 i32.const 7 i32.and i32.const 1 i32.add local.set 3
    loop
      local.get 2 i32.const 1 i32.add local.tee 2 i32.const 100 i32.gt_u
      if local.get 0 return end
      local.get 0 local.get 3 i32.add local.tee 0 local.get 1 i32.lt_u
      br_if 0
    end
    local.get 0 local.get 2 i32.const 16 i32.shl i32.xor)
  ;; x += x; x < x (aliases: the bound is the new value)
  (func (export "inc_lts_alias") (param i32 i32) (result i32) (local i32)
    loop
      local.get 2 i32.const 1 i32.add local.tee 2 i32.const 100 i32.gt_u
      if local.get 0 return end
      local.get 0 local.get 0 i32.add local.tee 0 local.get 0 i32.lt_s
      br_if 0
    end
    local.get 0 local.get 2 i32.const 16 i32.shl i32.xor)
  (func (export "inc_ne") (param i32 i32) (result i32) (local i32)
    loop
      local.get 2 i32.const 1 i32.add local.tee 2 i32.const 100 i32.gt_u
      if local.get 0 return end
      local.get 1 local.get 0 i32.const 2 i32.add local.tee 0 i32.ne
      br_if 0
    end
    local.get 0 local.get 2 i32.const 16 i32.shl i32.xor)
  ;; the bound is read before the step changes it
  (func (export "inc_ne_alias") (param i32 i32) (result i32) (local i32)
    loop
      local.get 2 i32.const 1 i32.add local.tee 2 i32.const 100 i32.gt_u
      if local.get 0 return end
      local.get 0 local.get 0 i32.const 2 i32.add local.tee 0 i32.ne
      br_if 0
    end
    local.get 0 local.get 2 i32.const 16 i32.shl i32.xor)
  ;; branches that drop slots below one or two kept values
  (func (export "br_keep1") (param i32 i32) (result i32)
    (block (result i32) local.get 1 local.get 0 br 0) local.get 1 i32.sub)
  (func (export "br_keep2") (param i32 i32) (result i32)
    (block (result i32 i32) local.get 0 local.get 1 local.get 0 br 0) i32.sub)
  (func (export "br_if_keep2") (param i32 i32) (result i32)
    (block (result i32 i32)
      local.get 1 local.get 0 local.get 1 local.get 0 br_if 0 drop)
    i32.sub)
  ;; arguments gathered by moves in pairs: copy+copy, copy+const,
  ;; const+copy, const+const, and a swap through a local
  (func $mix (param i32 i32 i32 i32) (result i32)
    local.get 0 i32.const 3 i32.mul local.get 1 i32.xor
    local.get 2 i32.const 5 i32.shl i32.add local.get 3 i32.sub)
  (func (export "moves_cc") (param i32 i32) (result i32)
    (call $mix (local.get 0) (local.get 1) (local.get 1) (local.get 0)))
  (func (export "moves_ck") (param i32 i32) (result i32)
    (call $mix (local.get 1) (i32.const -9) (local.get 0) (i32.const 77)))
  (func (export "moves_kc") (param i32 i32) (result i32)
    (call $mix (i32.const 1) (local.get 1) (i32.const 0x7fffffff) (local.get 0)))
  (func (export "moves_kk") (param i32 i32) (result i32)
    (call $mix (i32.const 2) (i32.const 3) (local.get 0) (local.get 1)))
  ;; a moved table index before call_indirect
  (type $mixt (func (param i32 i32 i32 i32) (result i32)))
  (table funcref (elem $mix $mix2))
  (func $mix2 (param i32 i32 i32 i32) (result i32)
    local.get 3 local.get 2 i32.sub local.get 1 i32.const 11 i32.mul i32.add local.get 0 i32.xor)
  (func (export "moves_ci") (param i32 i32) (result i32) (local i32)
    (local.set 2 (i32.const 1))
    (call_indirect (type $mixt) (local.get 0) (local.get 1) (i32.const 4) (local.get 1) (local.get 2)))
  (func (export "moves_ci_k") (param i32 i32) (result i32)
    (call_indirect (type $mixt) (local.get 1) (local.get 0) (local.get 0) (i32.const 9) (i32.const 1)))
  ;; the second move of a pair reads what the first wrote
  (func (export "moves_dep") (param i32 i32) (result i32) (local i32)
    (call $mix (local.tee 2 (local.get 1)) (local.get 2) (local.tee 0 (local.get 2)) (local.get 0)))
  (func (export "moves_swap") (param i32 i32) (result i32) (local i32)
    local.get 0 local.set 2 local.get 1 local.set 0 local.get 2 local.set 1
    local.get 0 i32.const 7 i32.mul local.get 1 i32.sub)
CMPS
)"#;

const CMPS: [&str; 10] = [
    "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
];

/// One function per comparison and operand form: the right operand on the
/// stack, in a local, or a constant; through `br_if` and through `if`.
fn cmp_funcs() -> String {
    let mut s = String::new();
    for c in CMPS {
        let forms = [
            ("s", "local.get 0 local.get 1 i32.const 0 i32.add"),
            ("l", "local.get 0 i32.const 0 i32.add local.get 1"),
            ("c", "local.get 0 i32.const -5"),
        ];
        for (tag, operands) in forms {
            s += &format!(
                "(func (export \"br_{c}_{tag}\") (param i32 i32) (result i32)
                   (block {operands} i32.{c} br_if 0 i32.const 10 return) i32.const 20)
                 (func (export \"if_{c}_{tag}\") (param i32 i32) (result i32)
                   {operands} i32.{c} if (result i32) i32.const 30 else i32.const 40 end)\n"
            );
        }
    }
    s
}

const I32S: [i32; 10] = [
    0,
    1,
    -1,
    2,
    -5,
    33,
    i32::MIN,
    i32::MAX,
    i32::MAX - 3,
    0x1234_5678,
];
const F64S: [f64; 8] = [
    0.0,
    -0.0,
    1.5,
    -2.25,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    1e308,
];

fn agree(ours: &Value, theirs: &wasmi::Val) -> bool {
    match (ours, theirs) {
        (Value::I32(a), wasmi::Val::I32(b)) => a == b,
        // NaN payloads may differ between engines; both must be NaN.
        (Value::F64(a), wasmi::Val::F64(b)) => {
            let (a, b) = (f64::from_bits(*a), f64::from(*b));
            a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
        }
        _ => false,
    }
}

#[test]
fn fused_forms_agree_with_wasmi() {
    let src = FUSED.replace("CMPS", &cmp_funcs());
    let Both {
        module: m,
        mut store,
        inst,
        wasmi_store: mut ws,
        wasmi_inst: wi,
    } = instantiate_both(&src);

    let mut checked = 0;
    for e in m.exports.iter() {
        let name = e.name.as_str();
        let func = wi.get_func(&ws, name).expect("export");
        let floats = name.starts_with('f');
        let n = if floats { F64S.len() } else { I32S.len() };
        for i in 0..n {
            for j in 0..n {
                let (ours_args, their_args) = if floats {
                    let (a, b) = (F64S[i], F64S[j]);
                    (
                        vec![Value::F64(a.to_bits()), Value::F64(b.to_bits())],
                        vec![wasmi::Val::F64(a.into()), wasmi::Val::F64(b.into())],
                    )
                } else {
                    let (a, b) = (I32S[i], I32S[j]);
                    (
                        vec![Value::I32(a), Value::I32(b)],
                        vec![wasmi::Val::I32(a), wasmi::Val::I32(b)],
                    )
                };
                let ours = store
                    .invoke(inst, name, &ours_args)
                    .unwrap_or_else(|t| panic!("{name}{ours_args:?}: trap {t}"));
                let mut theirs = [wasmi::Val::I32(0)];
                func.call(&mut ws, &their_args, &mut theirs)
                    .unwrap_or_else(|t| panic!("wasmi {name}: {t}"));
                assert!(
                    ours.len() == 1 && agree(&ours[0], &theirs[0]),
                    "{name}{ours_args:?}: ours {ours:?}, wasmi {theirs:?}"
                );
                checked += 1;
            }
        }
    }
    // 27 hand-written functions + 60 comparison functions.
    assert!(checked >= 87 * 64, "only {checked} calls checked");
}
