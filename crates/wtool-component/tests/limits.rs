//! Hostile components: types nested or shared far beyond anything real
//! are refused with a message, quickly, without exhausting the stack.

use wtool_ast::Features;
use wtool_component::ast::{Component, DefinedType, Section, Type, ValType};

fn component_of(types: Vec<Type>) -> Vec<u8> {
    wtool_component::encode(&Component {
        version: wtool_component::COMPONENT_VERSION,
        sections: vec![Section::Types(types)],
    })
}

fn validate(bytes: &[u8]) -> Result<(), String> {
    let (c, o) = wtool_component::decode_with_offsets(bytes, Features::WASM3_THREADS)
        .map_err(|e| e.to_string())?;
    wtool_component::validate(&c, Some(&o), Features::WASM3_THREADS).map_err(|e| e.to_string())
}

#[test]
fn a_deep_chain_of_types_is_refused_not_a_stack_overflow() {
    // (list u8), (list 0), (list 1), ... 100,000 deep.
    let mut types = vec![Type::Defined(DefinedType::List(ValType::Prim(
        wtool_component::ast::PrimValType::U8,
    )))];
    types.extend((0..100_000).map(|i| Type::Defined(DefinedType::List(ValType::Idx(i)))));
    let e = validate(&component_of(types)).unwrap_err();
    assert!(e.contains("type nesting is too deep"), "{e}");
}

#[test]
fn doubling_shared_types_are_refused_by_size() {
    // Each tuple holds the previous twice: 2^60 nodes if walked naively.
    let mut types = vec![Type::Defined(DefinedType::Prim(
        wtool_component::ast::PrimValType::U8,
    ))];
    types.extend(
        (0..60).map(|i| Type::Defined(DefinedType::Tuple(vec![ValType::Idx(i), ValType::Idx(i)]))),
    );
    let e = validate(&component_of(types)).unwrap_err();
    assert!(e.contains("effective type size exceeds the limit"), "{e}");
}

#[test]
fn types_within_the_limits_validate() {
    let mut types = vec![Type::Defined(DefinedType::Prim(
        wtool_component::ast::PrimValType::U8,
    ))];
    types.extend(
        (0..15).map(|i| Type::Defined(DefinedType::Tuple(vec![ValType::Idx(i), ValType::Idx(i)]))),
    );
    types.extend((15..300).map(|i| Type::Defined(DefinedType::Option(ValType::Idx(i)))));
    validate(&component_of(types)).unwrap();
}
