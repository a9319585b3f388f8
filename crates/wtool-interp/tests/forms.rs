//! The specialised instruction forms: `select` with constant operands,
//! i64 compares and bit tests fused into branches, truncations in register
//! form, float ops with constant operands, accesses at constant addresses
//! and constant returns. Every function runs on edge-case inputs here and
//! in wasmi; results or traps must agree.

mod common;

use common::{instantiate_both, Both};
use wtool_interp::Value;

const FIXED: &str = r#"
  (memory 1)
  (func (export "sel_imm_right") (param i32 i32) (result i32)
    local.get 0 i32.const 7 local.get 1 select)
  (func (export "sel_imm_left") (param i32 i32) (result i32)
    i32.const -5 local.get 0 local.get 1 select)
  (func (export "sel_both_imm") (param i32 i32) (result i32)
    i32.const 3 i32.const 9 local.get 0 select)
  (func (export "sel_i64_wide_imm") (param i32 i32) (result i32)
    i64.const -1 local.get 0 i64.extend_i32_u local.get 1 select
    i64.const 5 local.get 1 i64.extend_i32_s local.get 0 select
    i64.add i64.const 17 i64.rotl i32.wrap_i64)
  (func (export "sel_into_local") (param i32 i32) (result i32)
    local.get 0 local.get 1 local.get 0 select local.set 1
    local.get 1 local.get 0 i32.sub)
  (func (export "sel_f64") (param i32 i32) (result i32)
    f64.const 2.5 local.get 0 f64.convert_i32_s local.get 1 select
    f64.const 0.25 f64.mul i32.trunc_sat_f64_s)
  (func (export "test_if") (param i32 i32) (result i32)
    local.get 0 i32.const 12 i32.and
    if (result i32) i32.const 1 else i32.const 2 end)
  (func (export "test_br_if") (param i32 i32) (result i32)
    block
      local.get 0 i32.const 0x80000001 i32.and br_if 0
      i32.const 10 return
    end
    i32.const 20)
  (func (export "i64_eqz_if") (param i32 i32) (result i32)
    local.get 0 i64.extend_i32_u i64.const 32 i64.shl local.get 1 i64.extend_i32_u i64.or
    i64.eqz if (result i32) i32.const 3 else i32.const 4 end)
  (func (export "trunc_f32_s") (param i32 i32) (result i32)
    local.get 0 f32.convert_i32_s f32.const 1e3 f32.mul i32.trunc_f32_s)
  (func (export "trunc_f32_u") (param i32 i32) (result i32)
    local.get 0 f32.convert_i32_s i32.trunc_f32_u)
  (func (export "trunc_f64_s") (param i32 i32) (result i32)
    local.get 0 f64.convert_i32_s local.get 1 f64.convert_i32_s f64.div i32.trunc_f64_s)
  (func (export "trunc_f64_u") (param i32 i32) (result i32)
    local.get 0 f64.convert_i32_s f64.const 1.5 f64.mul i32.trunc_f64_u)
  (func (export "trunc_i64") (param i32 i32) (result i32)
    local.get 0 f64.convert_i32_s f64.const 1e10 f64.mul i64.trunc_f64_s
    local.get 1 f32.convert_i32_u i64.trunc_f32_u i64.xor
    local.get 0 f32.convert_i32_s f32.const 1e30 f32.mul i64.trunc_f32_s i64.xor
    local.get 1 f64.convert_i32_u i64.trunc_f64_u i64.add i32.wrap_i64)
  (func (export "trunc_sat") (param i32 i32) (result i32)
    local.get 0 f32.convert_i32_s f32.const 1e20 f32.mul i32.trunc_sat_f32_s
    local.get 1 f32.convert_i32_s i32.trunc_sat_f32_u i32.xor
    local.get 0 f64.convert_i32_s local.get 1 f64.convert_i32_s f64.div i32.trunc_sat_f64_u i32.add
    local.get 1 f64.convert_i32_s f64.const 1e300 f64.mul i64.trunc_sat_f64_s i32.wrap_i64 i32.xor
    local.get 0 f64.convert_i32_s i64.trunc_sat_f64_u i32.wrap_i64 i32.add
    local.get 1 f32.convert_i32_s i64.trunc_sat_f32_s i32.wrap_i64 i32.add
    local.get 0 f32.convert_i32_s i64.trunc_sat_f32_u i32.wrap_i64 i32.add)
  (func (export "f64_const_ops") (param i32 i32) (result i32)
    local.get 0 f64.convert_i32_s f64.const 0.37 f64.mul f64.const 3.5 f64.sub
    f64.const 1.5 local.get 1 f64.convert_i32_s f64.div f64.add
    f64.const 10 f64.add f64.const -7 local.get 0 f64.convert_i32_s f64.sub f64.mul
    f64.const 3 f64.div i64.trunc_sat_f64_s i32.wrap_i64)
  (func (export "f32_const_ops") (param i32 i32) (result i32)
    local.get 0 f32.convert_i32_s f32.const 0.37 f32.mul f32.const 3.5 f32.sub
    f32.const 1.5 local.get 1 f32.convert_i32_s f32.div f32.add
    f32.const 10 f32.add f32.const -7 local.get 0 f32.convert_i32_s f32.sub f32.mul
    f32.const 3 f32.div i32.reinterpret_f32 i32.const 0x7fffffff i32.and)
  (func (export "f64_div_zero_const") (param i32 i32) (result i32)
    local.get 0 f64.convert_i32_s f64.const 0 f64.div f64.const 0 local.get 1 f64.convert_i32_s f64.div
    f64.add i64.reinterpret_f64 i64.const 52 i64.shr_u i32.wrap_i64
    i32.const 0x7ff i32.and)  ;; NaN signs may differ: the exponent only
  (func (export "abs_store_load") (param i32 i32) (result i32)
    i32.const 65532 local.get 0 i32.store
    i32.const 100 local.get 1 i64.extend_i32_s i64.store offset=8
    i32.const 7 local.get 1 i32.store8
    i32.const 65532 i32.load i32.const 108 i64.load i32.wrap_i64 i32.add
    i32.const 7 i32.load8_u i32.add
    i32.const 65528 f64.load i32.trunc_sat_f64_s i32.add)
  (func (export "abs_oob_load") (param i32 i32) (result i32)
    local.get 0 if (result i32) i32.const 65534 i32.load else i32.const 1 end)
  (func (export "abs_oob_offset") (param i32 i32) (result i32)
    local.get 1 if (result i32) i32.const 65530 i64.load offset=4 i32.wrap_i64 else i32.const 1 end)
  (func (export "abs_oob_store") (param i32 i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u if i32.const -1 local.get 1 i32.store8 end
    i32.const 0 i32.load8_u)
  (func (export "abs_wrap") (param i32 i32) (result i32)
    local.get 0 if (result i32) i32.const -8 i64.load offset=16 i32.wrap_i64 else i32.const 1 end)
  (func (export "shr_and") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.shr_u i32.const 0x7f0f i32.and
    local.get 0 i32.const 35 i32.shr_u i32.const 3 i32.and i32.add)
  (func (export "shl_add") (param i32 i32) (result i32)
    local.get 0 i32.const 2 i32.shl i32.const 1000 i32.add
    local.get 1 i32.const 33 i32.shl i32.const -7 i32.sub i32.xor)
  (func (export "xor_and") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.xor i32.const 0xff00ff i32.and local.set 0
    local.get 0 local.get 0 i32.xor i32.const 1 i32.and local.get 0 i32.add)
  (func (export "fused_into_local") (param i32 i32) (result i32) (local i32)
    local.get 1 local.get 0 i32.xor i32.const 5 i32.and local.tee 2
    local.get 1 i32.const 3 i32.shr_u i32.const 9 i32.and i32.add local.get 2 i32.mul)
  ;; a linked list of n (1..4) nodes at 64, 72, ...; walk it, counting
  (func (export "list_walk") (param i32 i32) (result i32) (local i32 i32)
    local.get 0 i32.const 3 i32.and i32.const 1 i32.add local.set 2
    loop
      local.get 3 i32.const 8 i32.mul i32.const 64 i32.add
      local.get 3 i32.const 1 i32.add local.tee 3 local.get 2 i32.lt_u
      if (result i32) local.get 3 i32.const 8 i32.mul i32.const 64 i32.add else i32.const 0 end
      i32.store
      local.get 3 local.get 2 i32.lt_u br_if 0
    end
    i32.const 0 local.set 3
    i32.const 64 local.set 0
    loop
      local.get 3 i32.const 1 i32.add local.set 3
      local.get 0 i32.load local.tee 0 br_if 0
    end
    local.get 3)
  (func (export "list_walk_oob") (param i32 i32) (result i32)
    i32.const 65536 local.get 1 i32.sub local.set 0
    loop
      local.get 0 i32.load local.tee 0 br_if 0
    end
    local.get 0)
  (func (export "scaled") (param i32 i32) (result i32) (local i64)
    local.get 1 i64.extend_i32_s local.set 2
    local.get 0 i32.const 7 i32.and i32.const 2 i32.shl i32.const 256 i32.add local.get 1 i32.store
    local.get 0 i32.const 3 i32.and i32.const 3 i32.shl i32.const 512 i32.add local.get 2 i64.store
    local.get 0 i32.const 7 i32.and i32.const 2 i32.shl i32.const 256 i32.add i32.load
    local.get 0 i32.const 3 i32.and i32.const 3 i32.shl i32.const 512 i32.add i64.load i32.wrap_i64 i32.add
    local.get 1 i32.const 2 i32.shl i32.const 1024 i32.add i32.load i32.add
    local.get 1 i32.const 35 i32.shl i32.const 1024 i32.add f64.load i32.trunc_sat_f64_s i32.add)
  (func (export "scaled_store_oob") (param i32 i32) (result i32)
    local.get 0 i32.const 4 i32.shl i32.const -16 i32.add local.get 1 i32.store
    i32.const 0 i32.load)
  (func (export "i64_wide_imm") (param i32 i32) (result i32)
    local.get 0 i64.extend_i32_s i64.const 0x100000001b3 i64.mul
    i64.const 0xcbf29ce484222325 i64.xor i64.const 0x7fffffff00000000 i64.add
    i64.const 0x0ff0000000ff00ff i64.and i64.const 0x8000000000000001 i64.or
    i64.const -0x123456789 i64.sub
    local.get 1 i64.extend_i32_u i64.const 0x1_0000_0000 i64.mul i64.xor
    i64.const 29 i64.shr_u i32.wrap_i64)
  ;; float compares fused into branches, NaN operands included
  (func (export "fbr") (param i32 i32) (result i32) (local f64 f32 i32)
    local.get 0 f64.convert_i32_s local.get 1 f64.convert_i32_s f64.div local.set 2
    local.get 1 f32.convert_i32_s local.get 0 f32.convert_i32_s f32.div local.set 3
    local.get 2 f64.const 0.5 f64.lt if local.get 4 i32.const 1 i32.or local.set 4 end
    local.get 2 f64.const 0.5 f64.ge if local.get 4 i32.const 2 i32.or local.set 4 end
    local.get 2 local.get 2 f64.eq if local.get 4 i32.const 4 i32.or local.set 4 end
    local.get 2 local.get 2 f64.ne if local.get 4 i32.const 8 i32.or local.set 4 end
    local.get 3 f32.const -1 f32.gt if local.get 4 i32.const 16 i32.or local.set 4 end
    local.get 3 f32.const -1 f32.le if local.get 4 i32.const 32 i32.or local.set 4 end
    local.get 3 local.get 3 f32.eq if local.get 4 i32.const 64 i32.or local.set 4 end
    local.get 3 local.get 3 f32.ne if local.get 4 i32.const 128 i32.or local.set 4 end
    block local.get 2 f64.const 1 f64.gt br_if 0 local.get 4 i32.const 256 i32.or local.set 4 end
    block local.get 3 f32.const 0 f32.lt br_if 0 local.get 4 i32.const 512 i32.or local.set 4 end
    block local.get 2 f64.const 3 f64.le br_if 0 local.get 4 i32.const 1024 i32.or local.set 4 end
    block local.get 3 f32.const 3 f32.ge br_if 0 local.get 4 i32.const 2048 i32.or local.set 4 end
    block local.get 3 f32.const 3 f32.ne br_if 0 local.get 4 i32.const 4096 i32.or local.set 4 end
    block local.get 2 f64.const 0 f64.eq br_if 0 local.get 4 i32.const 8192 i32.or local.set 4 end
    block local.get 3 f32.const 0 f32.eq br_if 0 local.get 4 i32.const 16384 i32.or local.set 4 end
    block local.get 2 f64.const 0 f64.ne br_if 0 local.get 4 i32.const 32768 i32.or local.set 4 end
    block local.get 3 f32.const 0 f32.le br_if 0 local.get 4 i32.const 65536 i32.or local.set 4 end
    block local.get 2 f64.const 0 f64.lt br_if 0 local.get 4 i32.const 131072 i32.or local.set 4 end
    local.get 4)
  (func (export "return_const") (param i32 i32) (result i32)
    local.get 0 if i32.const 5 return end
    local.get 1 if i32.const -9 return end
    i32.const 6)
"#;

/// The i64 comparisons fused into branches, with a slot or an immediate on
/// the right, as `br_if` and as `if`.
fn i64_branches() -> String {
    let mut s = String::new();
    for cmp in [
        "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
    ] {
        s.push_str(&format!(
            r#"
  (func (export "br64_{cmp}") (param i32 i32) (result i32)
    block
      local.get 0 i64.extend_i32_s local.get 1 i64.extend_i32_u i64.{cmp} br_if 0
      i32.const 1 return
    end
    i32.const 2)
  (func (export "if64_{cmp}_imm") (param i32 i32) (result i32)
    local.get 0 i64.extend_i32_s i64.const -5 i64.{cmp}
    if (result i32) i32.const 3 else i32.const 4 end)
  (func (export "br64_{cmp}_imm") (param i32 i32) (result i32)
    block
      local.get 1 i64.extend_i32_u i64.const 8 i64.{cmp} br_if 0
      i32.const 5 return
    end
    i32.const 6)"#
        ));
    }
    s
}

const I32S: [i32; 10] = [0, 1, -1, 2, -5, 8, i32::MIN, i32::MAX, -8, 0x1234_5678];

#[test]
fn specialised_forms_agree_with_wasmi() {
    let wat = format!("(module {FIXED}{})", i64_branches());
    let Both {
        module: m,
        mut store,
        inst,
        wasmi_store: mut ws,
        wasmi_inst: wi,
    } = instantiate_both(&wat);

    let (mut values, mut traps) = (0, 0);
    for e in m.exports.iter() {
        let name = e.name.as_str();
        let Some(func) = wi.get_func(&ws, name) else {
            continue;
        };
        for &a in &I32S {
            for &b in &I32S {
                let ours = store.invoke(inst, name, &[Value::I32(a), Value::I32(b)]);
                let mut out = [wasmi::Val::I32(0)];
                let theirs = func
                    .call(&mut ws, &[wasmi::Val::I32(a), wasmi::Val::I32(b)], &mut out)
                    .map(|()| out[0].i32());
                match (&ours, &theirs) {
                    (Ok(v), Ok(Some(w))) => {
                        assert_eq!(v.as_slice(), &[Value::I32(*w)], "{name}({a}, {b})");
                        values += 1;
                    }
                    (Err(o), Err(t)) => {
                        assert_eq!(
                            o.message(),
                            t.as_trap_code().map_or("?", |c| c.trap_message()),
                            "{name}({a}, {b})"
                        );
                        traps += 1;
                    }
                    _ => panic!("{name}({a}, {b}): ours {ours:?}, wasmi {theirs:?}"),
                }
            }
        }
    }
    assert_eq!(values + traps, m.exports.len() * 100);
    assert!(
        traps > 0 && values > traps,
        "{values} values, {traps} traps"
    );
}
