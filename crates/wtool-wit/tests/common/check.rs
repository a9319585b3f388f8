//! Checks shared by the `component new` tests.

/// Validates a component with wasmparser (every feature) and with ours.
pub fn validate(bytes: &[u8]) -> Result<(), String> {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes)
        .map(|_| ())
        .map_err(|e| format!("wasmparser: {e}"))?;
    wtool_component::validate_bytes(bytes, wtool_ast::Features::ALL, 1)
        .map_err(|e| format!("wtool: {e}"))
}

/// The WIT a component implements, as `wasm-tools component wit` prints it.
pub fn wit_of(component: &[u8]) -> Result<String, String> {
    let decoded = wit_component::decode(component).map_err(|e| format!("{e:#}"))?;
    let wit_component::DecodedWasm::Component(resolve, world) = decoded else {
        return Err("not a component".into());
    };
    let pkg = resolve.worlds[world]
        .package
        .expect("decoded worlds have a package");
    let nested: Vec<_> = resolve
        .packages
        .iter()
        .map(|p| p.0)
        .filter(|p| *p != pkg)
        .collect();
    let mut p = wit_component::WitPrinter::default();
    p.print(&resolve, pkg, &nested)
        .map_err(|e| format!("{e:#}"))?;
    Ok(p.output.to_string())
}
