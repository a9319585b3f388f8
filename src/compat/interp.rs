//! wasm-interp's values: arguments as `TYPE:VALUE` (`-a i32:8`) and results
//! as wabt prints them (`add(i32:8, i32:5) => i32:13`): integers unsigned,
//! floats with six decimals, `v128 i32x4:0x… 0x… 0x… 0x…`.

use wtool_ast::ValType;
use wtool_interp::Value;

/// Splits `i32:8` into the type and the value text; a value without a
/// type prefix is taken by the parameter's type.
pub fn split_typed(arg: &str) -> (Option<ValType>, &str) {
    let types = [
        ("i32:", ValType::I32),
        ("i64:", ValType::I64),
        ("f32:", ValType::F32),
        ("f64:", ValType::F64),
        ("v128:", ValType::V128),
    ];
    for (prefix, ty) in types {
        if let Some(rest) = arg.strip_prefix(prefix) {
            return (Some(ty), rest);
        }
    }
    (None, arg)
}

/// One value in wabt's notation.
pub fn format(v: &Value) -> String {
    let float = |x: f64| {
        if x.is_nan() {
            "nan".to_string()
        } else if x.is_infinite() {
            if x < 0.0 { "-inf" } else { "inf" }.to_string()
        } else {
            format!("{x:.6}")
        }
    };
    match *v {
        Value::I32(x) => format!("i32:{}", x as u32),
        Value::I64(x) => format!("i64:{}", x as u64),
        Value::F32(b) => format!("f32:{}", float(f64::from(f32::from_bits(b)))),
        Value::F64(b) => format!("f64:{}", float(f64::from_bits(b))),
        Value::V128(b) => {
            let lanes: Vec<String> = (0..4)
                .map(|i| format!("0x{:08x}", (b >> (32 * i)) as u32))
                .collect();
            format!("v128 i32x4:{}", lanes.join(" "))
        }
        // References (and whatever else values become) as `wtool run` writes them.
        _ => wtool_run::format_value(v),
    }
}

/// `name(i32:8, i32:5) => i32:13`, or `name() =>` for no results.
pub fn call_line(name: &str, args: &[Value], results: &[Value]) -> String {
    let list = |vs: &[Value]| vs.iter().map(format).collect::<Vec<_>>().join(", ");
    let results = list(results);
    if results.is_empty() {
        format!("{name}({}) =>", list(args))
    } else {
        format!("{name}({}) => {results}", list(args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_as_wabt_does() {
        assert_eq!(format(&Value::I32(-1)), "i32:4294967295");
        assert_eq!(format(&Value::I64(-2)), "i64:18446744073709551614");
        assert_eq!(format(&Value::f32(1.5)), "f32:1.500000");
        assert_eq!(format(&Value::F64((-0.25f64).to_bits())), "f64:-0.250000");
        assert_eq!(format(&Value::F32(f32::NAN.to_bits())), "f32:nan");
        assert_eq!(format(&Value::F64(f64::NEG_INFINITY.to_bits())), "f64:-inf");
        assert_eq!(
            format(&Value::V128(1 | 2 << 32 | 3 << 64 | 0xffff_ffff << 96)),
            "v128 i32x4:0x00000001 0x00000002 0x00000003 0xffffffff"
        );
        assert_eq!(
            call_line("add", &[Value::I32(8), Value::I32(5)], &[Value::I32(13)]),
            "add(i32:8, i32:5) => i32:13"
        );
        assert_eq!(call_line("nothing", &[], &[]), "nothing() =>");
        assert_eq!(split_typed("i32:8"), (Some(ValType::I32), "8"));
        assert_eq!(split_typed("-5"), (None, "-5"));
    }
}
