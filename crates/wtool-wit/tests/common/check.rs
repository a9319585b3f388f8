//! Oracle-side helpers shared by the component tests: validation, the WIT
//! a component implements, components wit-component builds, and the seed
//! bytes the wit-smith runs of `codec` and `new` draw from.
#![allow(dead_code)] // each test binary uses its own subset

/// Validates a component with wasmparser (every feature) and with ours.
pub fn validate(bytes: &[u8]) -> Result<(), String> {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes)
        .map(|_| ())
        .map_err(|e| format!("wasmparser: {e}"))?;
    wtool_component::validate_bytes(bytes, wtool_ast::Features::ALL, 1)
        .map_err(|e| format!("wtool: {e}"))
}

/// The oracle's WIT text for package `pkg` with every other package nested
/// in arena order, as `wasm-tools component wit` prints it (`docs`: with doc
/// comments).
pub fn oracle_print(
    r: &wit_parser::Resolve,
    pkg: wit_parser::PackageId,
    docs: bool,
) -> Result<String, String> {
    let nested: Vec<_> = r
        .packages
        .iter()
        .map(|(id, _)| id)
        .filter(|id| *id != pkg)
        .collect();
    let mut p = wit_component::WitPrinter::default();
    p.emit_docs(docs);
    p.print(r, pkg, &nested).map_err(|e| format!("{e:#}"))?;
    Ok(p.output.to_string())
}

/// What `wasm-tools component wit` prints for a binary (a component or a
/// package encoded as one), by wit-component.
pub fn oracle_wit(wasm: &[u8]) -> Result<String, String> {
    let d = wit_component::decode(wasm).map_err(|e| format!("{e:#}"))?;
    oracle_print(d.resolve(), d.package(), true)
}

/// The WIT a component implements, as `wasm-tools component wit` prints it.
pub fn wit_of(component: &[u8]) -> Result<String, String> {
    let d = wit_component::decode(component).map_err(|e| format!("{e:#}"))?;
    if !matches!(d, wit_component::DecodedWasm::Component(..)) {
        return Err("not a component".into());
    }
    oracle_print(d.resolve(), d.package(), true)
}

/// A component targeting `world`: a dummy core module made a component by
/// wit-component (shim components, instantiations, the real shape).
pub fn component_for(r: &wit_parser::Resolve, world: wit_parser::WorldId) -> Option<Vec<u8>> {
    let abi = wit_parser::ManglingAndAbi::Legacy(wit_parser::LiftLowerAbi::Sync);
    let mut module = wit_component::dummy_module(r, world, abi);
    let encoding = wit_component::StringEncoding::UTF8;
    wit_component::embed_component_metadata(&mut module, r, world, encoding, false).ok()?;
    wit_component::ComponentEncoder::default()
        .module(&module)
        .ok()?
        .validate(true)
        .encode()
        .ok()
}

/// Deterministic pseudo-random bytes for wit-smith (xorshift64*), the
/// sequence the `codec` and `new` runs were counted with.
pub fn seed_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}
