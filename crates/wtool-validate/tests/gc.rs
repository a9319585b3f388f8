//! GC validation: type canonicalization at scale (a benchmark-style test,
//! timed but not asserted on time), declared subtyping and the typing
//! rules of the GC instructions, with the testsuite's messages.

use wtool_ast::{
    CompositeType, Expr, FieldType, FuncType, HeapType, Instr, Module, RecGroup, RefType,
    StorageType, SubType, TypeDef, ValType,
};
use wtool_ast::{Features, Func};
use wtool_validate::{validate, ErrorKind, TypeCx};

const GROUP: u32 = 1000;
const GROUPS: u32 = 100;
/// Supertype chains restart every this many types (depth stays below 63).
const CHAIN: u32 = 10;

fn nullable(i: u32) -> ValType {
    ValType::Ref(RefType {
        nullable: true,
        heap: HeapType::Concrete(i),
    })
}

/// Group `g` of the big module: 1000 open struct types in chains of ten
/// (each extends its predecessor by one field referring to a member of the
/// group), all referring to type `anchor` outside the group (or to the
/// group's first type for the first group).
fn group(g: u32, anchor: Option<u32>) -> Vec<TypeDef> {
    let start = g * GROUP;
    let mut out: Vec<TypeDef> = Vec::with_capacity(GROUP as usize);
    for k in 0..GROUP {
        let field = |v: ValType| FieldType {
            storage: StorageType::Val(v),
            mutable: false,
        };
        let (fields, supertypes) = if k % CHAIN == 0 {
            let base = anchor.unwrap_or(start);
            (vec![field(ValType::I32), field(nullable(base))], vec![])
        } else {
            let prev = out[(k - 1) as usize]
                .as_struct()
                .unwrap_or_default()
                .to_vec();
            let mut fields = prev;
            fields.push(field(nullable(start + (k * 7 + 3) % GROUP)));
            (fields, vec![start + k - 1])
        };
        out.push(TypeDef {
            sub: Some(SubType {
                is_final: false,
                supertypes,
            }),
            ..TypeDef::new(CompositeType::Struct(fields))
        });
    }
    out
}

/// 100 groups of 1,000 types: group 0, then pairs of identical groups
/// anchored at different types of group 0 (51 distinct groups), and a
/// function reading and casting along a chain of the last group.
fn big_module() -> Module {
    let mut m = Module::default();
    for g in 0..GROUPS {
        let anchor = (g > 0).then_some(g.div_ceil(2));
        m.rec_groups.push(RecGroup {
            start: g * GROUP,
            len: GROUP,
        });
        m.types.extend(group(g, anchor));
    }
    let last = (GROUPS - 1) * GROUP;
    let ft = m.types.len() as u32;
    m.types
        .push(TypeDef::func(FuncType::new([nullable(last + 5)], [])));
    let body = vec![
        Instr::LocalGet(0),
        Instr::StructGet {
            type_idx: last + 2,
            field: 3,
        },
        Instr::RefCast(RefType {
            nullable: true,
            heap: HeapType::Concrete(last + 8),
        }),
        Instr::StructGet {
            type_idx: last + 1,
            field: 0,
        },
        Instr::Drop,
        Instr::End,
    ];
    m.funcs.push(Func {
        type_idx: ft,
        locals: vec![],
        body: Expr::new(body),
        offset: 0,
        size: 0,
    });
    m
}

#[test]
fn hundred_thousand_types_in_large_groups() {
    let m = big_module();
    let t = std::time::Instant::now();
    let tcx = TypeCx::new(&m);
    let canon_time = t.elapsed();
    let res = validate(&m, Features::ALL);
    let total = t.elapsed();
    println!(
        "{} types in {GROUPS} groups: {} canonical types; canonicalization {canon_time:?}, \
         canonicalization + validation {total:?}",
        m.types.len(),
        tcx.registry().len()
    );
    assert_eq!(res, Ok(()));
    // Group 0, 50 distinct pairs, the function type.
    assert_eq!(tcx.registry().len(), 51 * GROUP as usize + 1);
    let (a, b, c) = (GROUP, 2 * GROUP, 3 * GROUP);
    for k in [0, 1, 9, 10, 999] {
        assert!(tcx.equivalent(a + k, b + k), "pair members differ at {k}");
        assert!(!tcx.equivalent(b + k, c + k), "different anchors at {k}");
        assert!(!tcx.equivalent(k, a + k), "group 0 is its own");
    }
    // Declared subtyping along a chain, and through equivalent groups.
    assert!(tcx.concrete_matches(b + 15, a + 11));
    assert!(tcx.concrete_matches(b + 19, b + 10));
    assert!(!tcx.concrete_matches(b + 11, b + 15));
    assert!(!tcx.concrete_matches(b + 20, b + 19));
    assert!(!tcx.concrete_matches(c + 15, a + 11));
}

// ---- typing rules, on text modules ----

fn check(wat: &str) -> Result<(), ErrorKind> {
    let bytes = wat::parse_str(wat).expect("wat");
    let module = wtool_binary::decode_with_features(&bytes, Features::ALL).expect("decode");
    validate(&module, Features::ALL).map_err(|e| e.kind)
}

fn message(wat: &str) -> String {
    check(wat).err().map(|e| e.to_string()).unwrap_or_default()
}

#[test]
fn declared_supertypes() {
    let ok = "(module (type $a (sub (struct (field i32))))
                      (type $b (sub $a (struct (field i32) (field (mut f64))))))";
    assert_eq!(check(ok), Ok(()));
    let m = message("(module (type $a (struct)) (type $b (sub $a (struct))))");
    assert_eq!(m, "sub type 1 has final super type 0");
    let m = message(
        "(module (type $a (sub (struct (field (mut i32))))) (type $b (sub $a (struct (field i32)))))",
    );
    assert_eq!(m, "sub type 1 does not match super type 0");
    // Mutable fields are invariant, functions contravariant in parameters.
    let m = message(
        "(module (type $a (sub (array (mut anyref)))) (type $b (sub $a (array (mut eqref)))))",
    );
    assert!(m.starts_with("sub type"), "{m}");
    let ok = "(module (type $f (sub (func (param eqref) (result anyref))))
                      (type $g (sub $f (func (param anyref) (result eqref)))))";
    assert_eq!(check(ok), Ok(()));
    let m = message(
        "(module (type $f (sub (func (param anyref)))) (type $g (sub $f (func (param eqref)))))",
    );
    assert!(m.starts_with("sub type"), "{m}");
    // A forward supertype inside one group.
    let m = message("(module (rec (type $a (sub $b (struct))) (type $b (sub (struct)))))");
    assert!(m.starts_with("forward use of type 1"), "{m}");
}

#[test]
fn iso_recursive_equivalence() {
    // Two separately defined, structurally identical groups are equivalent;
    // the same shape in a different order is not.
    let ok = "(module
        (rec (type $a1 (struct (field (ref null $b1)))) (type $b1 (struct (field i32))))
        (rec (type $a2 (struct (field (ref null $b2)))) (type $b2 (struct (field i32))))
        (func (param (ref $a1)) (result (ref $a2)) (local.get 0)))";
    assert_eq!(check(ok), Ok(()));
    let bad = "(module
        (rec (type $a1 (struct (field (ref null $b1)))) (type $b1 (struct (field i32))))
        (rec (type $b2 (struct (field i32))) (type $a2 (struct (field (ref null $b2)))))
        (func (param (ref $a1)) (result (ref $a2)) (local.get 0)))";
    assert!(message(bad).starts_with("type mismatch"));
}

#[test]
fn struct_and_array_rules() {
    let m = |body: &str| {
        message(&format!(
            "(module (type $s (struct (field i8) (field (mut i32)) (field (ref any))))
                     (type $a (array i16)) (type $v (array (mut anyref)))
                     (data $d \"\") (elem $e funcref)
                     (func (param (ref null $s) (ref null $a) (ref null $v)) {body}))"
        ))
    };
    assert_eq!(
        m("(drop (struct.get $s 0 (local.get 0)))"),
        "field is packed"
    );
    assert_eq!(
        m("(drop (struct.get_u $s 1 (local.get 0)))"),
        "field is unpacked"
    );
    assert_eq!(
        m("(drop (struct.get $s 3 (local.get 0)))"),
        "unknown field 3"
    );
    assert_eq!(
        m("(struct.set $s 0 (local.get 0) (i32.const 1))"),
        "immutable field"
    );
    assert_eq!(
        m("(drop (struct.new_default $s))"),
        "field type is not defaultable"
    );
    assert_eq!(m("(drop (array.get_s $a (local.get 1) (i32.const 0)))"), "");
    assert_eq!(
        m("(drop (array.get $a (local.get 1) (i32.const 0)))"),
        "array is packed"
    );
    assert_eq!(
        m("(array.set $a (local.get 1) (i32.const 0) (i32.const 0))"),
        "immutable array"
    );
    assert_eq!(
        m("(drop (array.new_data $v $d (i32.const 0) (i32.const 0)))"),
        "array type is not numeric or vector"
    );
    assert_eq!(
        m("(array.copy $v $a (local.get 2) (i32.const 0) (local.get 1) (i32.const 0) (i32.const 0))"),
        "array types do not match"
    );
    assert_eq!(
        m("(array.init_elem $v $e (local.get 2) (i32.const 0) (i32.const 0) (i32.const 0))"),
        "type mismatch: expected (ref null any), found funcref"
    );
    assert_eq!(
        m("(drop (array.len (local.get 0)))"),
        "type mismatch: expected (ref null array), found (ref null 0)"
    );
    assert_eq!(m("(drop (struct.new $a))"), "non-structure type 1");
    assert_eq!(
        m("(drop (array.new_fixed $v 2 (ref.null none) (ref.i31 (i32.const 1))))"),
        ""
    );
}

#[test]
fn casts_and_branches() {
    let m = |body: &str| {
        message(&format!(
            "(module (type $t (sub (struct))) (type $u (sub $t (struct (field i32))))
                     (func (param anyref) (result anyref) {body}))"
        ))
    };
    assert_eq!(m("(ref.cast (ref null $u) (local.get 0))"), "");
    assert_eq!(
        m("(ref.cast (ref null func) (local.get 0))"),
        "type mismatch: expected funcref, found (ref null any)"
    );
    // br_on_cast: the target type must be a subtype of the source type;
    // what branches (the cast value) must fit the label.
    assert_eq!(
        m("(block (result (ref $u)) (br_on_cast 0 anyref (ref $u) (local.get 0)) (drop) (unreachable))"),
        ""
    );
    assert!(m("(block (result (ref $u)) (br_on_cast 0 anyref (ref null $u) (local.get 0)) (drop) (unreachable))")
        .starts_with("type mismatch"));
    assert!(m("(block (result (ref $u)) (br_on_cast 0 (ref null $u) (ref $t) (local.get 0)) (drop) (unreachable))")
        .starts_with("type mismatch on cast"));
    // br_on_cast_fail branches with what is left: nullable unless the
    // target took the null.
    assert_eq!(
        m("(block (result anyref) (br_on_cast_fail 0 anyref (ref null $t) (local.get 0)) (drop) (unreachable))"),
        ""
    );
    assert_eq!(
        m("(block (result (ref any)) (br_on_cast_fail 0 anyref (ref null $t) (local.get 0)) (drop) (unreachable))"),
        ""
    );
    assert!(m("(block (result (ref any)) (br_on_cast_fail 0 anyref (ref $t) (local.get 0)) (drop) (unreachable))")
        .starts_with("type mismatch"));
    // Conversions keep nullability.
    assert_eq!(
        m("(block (result (ref any)) (any.convert_extern (ref.as_non_null (extern.convert_any (ref.i31 (i32.const 0))))))"),
        ""
    );
    assert!(m(
        "(block (result (ref any)) (any.convert_extern (extern.convert_any (local.get 0))))"
    )
    .starts_with("type mismatch"));
}

#[test]
fn gc_constant_expressions() {
    let ok = "(module (type $s (struct (field i32) (field anyref))) (type $a (array i8))
        (global $g (ref $s) (struct.new $s (i32.const 1) (ref.i31 (i32.const 2))))
        (global (ref $a) (array.new_fixed $a 2 (i32.const 1) (i32.const 2)))
        (global (ref $a) (array.new_default $a (i32.const 3)))
        (global externref (extern.convert_any (global.get $g)))
        (global (ref null $s) (struct.new_default $s)))";
    assert_eq!(check(ok), Ok(()));
    // array.new_data is not constant. (Its binary form cannot even be
    // decoded there: the data count section comes after the globals.)
    let wat = "(module (type $a (array i8)) (data $d \"\") (global (ref null $a) (ref.null $a)))";
    let bytes = wat::parse_str(wat).expect("wat");
    let mut m = wtool_binary::decode_with_features(&bytes, Features::ALL).expect("decode");
    m.globals[0].init = Expr::new(vec![
        Instr::I32Const(0),
        Instr::I32Const(0),
        Instr::ArrayNewData {
            type_idx: 0,
            data: 0,
        },
        Instr::End,
    ]);
    assert_eq!(
        validate(&m, Features::ALL).map_err(|e| e.kind),
        Err(ErrorKind::ConstantExpressionRequired)
    );
}

#[test]
fn supertype_chains_stop_at_depth_63() {
    let chain = |len: u32| Module {
        types: (0..len)
            .map(|i| TypeDef {
                sub: Some(SubType {
                    is_final: false,
                    supertypes: i.checked_sub(1).into_iter().collect(),
                }),
                ..TypeDef::new(CompositeType::Struct(vec![]))
            })
            .collect(),
        ..Module::default()
    };
    // 64 types: the last is 63 levels below the first.
    assert_eq!(validate(&chain(64), Features::ALL), Ok(()));
    let err = validate(&chain(65), Features::ALL).map_err(|e| e.kind);
    assert_eq!(err, Err(ErrorKind::SubTypeTooDeep(64)));
    // Without GC, a `sub` clause is a feature error.
    let err = validate(&chain(2), Features::WASM3.without(Features::GC)).map_err(|e| e.kind);
    assert!(
        matches!(err, Err(ErrorKind::FeatureDisabled { .. })),
        "{err:?}"
    );
}
