//! The register-form compiler keeps `local.get` and constants lazy,
//! redirects results into locals, fuses address sums into loads and stores
//! and moves branch values between fixed slots. Each function below targets
//! one of those hazards (a local changing while a lazy read of it is still
//! on the stack, values crossing blocks, wrapping addresses); every one runs
//! on edge-case inputs here and in wasmi, and results or traps must agree.

mod common;

use common::{instantiate_both, Both};
use wtool_interp::Value;

const MODULE: &str = r#"(module
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $add $sub)
  (type $bin (func (param i32 i32) (result i32)))
  (func $add (type $bin) local.get 0 local.get 1 i32.add)
  (func $sub (type $bin) local.get 0 local.get 1 i32.sub)
  ;; a lazy read of local 0 survives the set that follows it
  (func (export "set_under_lazy") (param i32 i32) (result i32)
    local.get 0 local.get 1 local.set 0 local.get 0 i32.sub)
  (func (export "tee_under_lazy") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const 3 i32.mul local.tee 0 i32.sub local.get 0 i32.add)
  ;; the producer would write local 0 early: not allowed while it is pending
  (func (export "redirect_pending") (param i32 i32) (result i32)
    local.get 0 local.get 0 local.get 1 i32.add local.set 0 local.get 0 i32.xor)
  (func (export "redirect_self") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add local.set 0
    local.get 0 local.get 0 i32.mul local.set 0 local.get 0)
  ;; a lazy read below a block whose body changes the local conditionally
  (func (export "lazy_across_if") (param i32 i32) (result i32)
    local.get 0
    local.get 1 if i32.const 77 local.set 0 end
    local.get 0 i32.sub)
  (func (export "lazy_across_loop") (param i32 i32) (result i32) (local i32)
    local.get 0
    loop
      local.get 0 i32.const 1 i32.add local.set 0
      local.get 2 i32.const 1 i32.add local.tee 2 i32.const 3 i32.lt_u br_if 0
    end
    local.get 0 i32.sub)
  ;; constants as operands on either side
  (func (export "const_left") (param i32 i32) (result i32)
    i32.const 100 local.get 0 i32.sub i32.const 7 local.get 1 i32.lt_s i32.add
    i32.const -3 local.get 0 i32.shl i32.xor)
  (func (export "div_const") (param i32 i32) (result i32)
    local.get 0 i32.const 7 i32.div_s local.get 0 i32.const -7 i32.rem_u i32.add
    local.get 1 i32.const -1 i32.rem_s i32.add)
  (func (export "div_zero_const") (param i32 i32) (result i32)
    local.get 0 i32.const 0 i32.div_u)
  (func (export "div_minus_one") (param i32 i32) (result i32)
    local.get 0 i32.const -1 i32.div_s)
  (func (export "i64_imm") (param i32 i32) (result i32)
    local.get 0 i64.extend_i32_s i64.const -2147483648 i64.sub
    i64.const 0x100000000 i64.add i64.const 3 i64.mul i64.const 40 i64.rotl
    i32.wrap_i64)
  ;; values delivered to fixed slots by branches
  (func (export "br_values") (param i32 i32) (result i32)
    (block (result i32 i32)
      local.get 1 local.get 0
      local.get 0 local.get 1 local.get 0 br_if 0
      drop drop)
    i32.sub)
  (func (export "br_table_values") (param i32 i32) (result i32)
    (block (result i32)
      (block (result i32)
        (block (result i32)
          i32.const 5 local.get 1 local.get 0 i32.const 3 i32.and br_table 0 1 2 3)
        i32.const 100 i32.add)
      i32.const 1000 i32.add))
  (func (export "loop_params") (param i32 i32) (result i32)
    local.get 0 local.get 1
    loop (param i32 i32) (result i32)
      i32.const 1 i32.add local.tee 1 i32.const 3 i32.and
      if (param i32) (result i32 i32)
        i32.const 2 i32.mul local.get 1
        br 1
      else
        local.get 1
      end
      i32.add
    end)
  (func (export "select_lazy") (param i32 i32) (result i32)
    local.get 0 local.get 1 local.get 0 local.get 1 i32.lt_s select
    i32.const 9 local.get 1 local.get 0 select i32.add)
  (func (export "call_lazy_args") (param i32 i32) (result i32)
    local.get 1 local.get 0 local.get 1 call $add local.get 0 local.get 1
    local.get 0 i32.const 1 i32.and call_indirect (type $bin) i32.mul i32.add)
  ;; addresses: x + imm and x + y wrap at 32 bits like the i32.add they replace
  (func (export "store_load_sum") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add local.get 1 i32.store
    local.get 0 local.get 1 i32.add i32.load)
  (func (export "store_load_imm") (param i32 i32) (result i32)
    local.get 0 i32.const 65532 i32.add local.get 1 i64.extend_i32_s i64.store
    local.get 0 i32.const 65532 i32.add i32.load8_u)
  (func (export "store8_const_sum") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add i32.const 0x1ff i32.store8
    local.get 1 local.get 0 i32.add i32.load8_u)
  (func (export "wrap_low") (param i32 i32) (result i32)
    i32.const 8 i32.const 42 i32.store
    local.get 0 i32.const 8 i32.add i32.load)
  (func (export "global_redirect") (param i32 i32) (result i32) (local i32)
    global.get $g local.set 2 local.get 0 global.set $g
    global.get $g local.get 2 i32.add)
;; loop steps `x += imm; br_if (x <cmp> n)` become one instruction when
  ;; imm fits 16 bits; local 2 caps the iterations
  (func (export "step_ltu_wrap") (param i32 i32) (result i32) (local i32)
    loop
      local.get 2 i32.const 1 i32.add local.tee 2 i32.const 50 i32.gt_u
      if local.get 0 return end
      local.get 0 i32.const 30000 i32.add local.tee 0 local.get 1 i32.lt_u br_if 0
    end
    local.get 0 local.get 2 i32.xor)
  (func (export "step_lts_min") (param i32 i32) (result i32) (local i32)
    loop
      local.get 2 i32.const 1 i32.add local.tee 2 i32.const 50 i32.gt_u
      if local.get 0 return end
      local.get 0 i32.const -32768 i32.add local.tee 0 local.get 1 i32.lt_s br_if 0
    end
    local.get 0 local.get 2 i32.xor)
  (func (export "step_ne_max") (param i32 i32) (result i32) (local i32)
    loop
      local.get 2 i32.const 1 i32.add local.tee 2 i32.const 50 i32.gt_u
      if local.get 0 return end
      local.get 1 local.get 0 i32.const 32767 i32.add local.tee 0 i32.ne br_if 0
    end
    local.get 0 local.get 2 i32.xor)
  (func (export "step_too_big") (param i32 i32) (result i32) (local i32)
    loop
      local.get 2 i32.const 1 i32.add local.tee 2 i32.const 50 i32.gt_u
      if local.get 0 return end
      local.get 0 i32.const 40000 i32.sub local.tee 0 br_if 0
    end
    local.get 0 local.get 2 i32.xor)
  (global $g (mut i32) (i32.const 11))
)"#;

const I32S: [i32; 10] = [0, 1, -1, 2, -5, 8, i32::MIN, i32::MAX, -8, 0x1234_5678];

#[test]
fn register_hazards_agree_with_wasmi() {
    let Both {
        module: m,
        mut store,
        inst,
        wasmi_store: mut ws,
        wasmi_inst: wi,
    } = instantiate_both(MODULE);

    let (mut values, mut traps) = (0, 0);
    for e in m.exports.iter() {
        let name = e.name.as_str();
        let func = wi.get_func(&ws, name).expect("export");
        for &a in &I32S {
            for &b in &I32S {
                let ours = store.invoke(inst, name, &[Value::I32(a), Value::I32(b)]);
                let mut out = [wasmi::Val::I32(0)];
                let theirs = func
                    .call(&mut ws, &[wasmi::Val::I32(a), wasmi::Val::I32(b)], &mut out)
                    .map(|()| out[0].i32());
                match (&ours, &theirs) {
                    (Ok(v), Ok(Some(w))) => {
                        let w = *w;
                        assert_eq!(v.as_slice(), &[Value::I32(w)], "{name}({a}, {b})");
                        values += 1;
                    }
                    (Err(_), Err(_)) => traps += 1,
                    _ => panic!("{name}({a}, {b}): ours {ours:?}, wasmi {theirs:?}"),
                }
            }
        }
    }
    // Each function is hit 100 times; the memory ones and the divisions by
    // zero must trap for some inputs, the rest never.
    assert_eq!(values + traps, m.exports.len() * 100);
    assert!(
        traps > 0 && values > traps,
        "{values} values, {traps} traps"
    );
}
