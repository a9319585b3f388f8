//! The oracles' decoders as verdicts: what wasmparser can read.

use wasmparser::{Parser, Payload, WasmFeatures};

/// True when wasmparser can read every part of `bytes` (all section items,
/// every operator of every body and constant expression) — its decoder
/// accepts, whatever its validator would say. Components are read whole,
/// nested modules and components included.
pub fn wasmparser_decodes(bytes: &[u8], features: WasmFeatures) -> bool {
    all(bytes, features).unwrap_or(false)
}

fn ops(mut r: wasmparser::OperatorsReader<'_>) -> wasmparser::Result<()> {
    while !r.eof() {
        r.read()?;
    }
    r.finish()
}
fn all(bytes: &[u8], features: WasmFeatures) -> wasmparser::Result<bool> {
    let mut parser = Parser::new(0);
    parser.set_features(features);
    for payload in parser.parse_all(bytes) {
        match payload? {
            Payload::TypeSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::ImportSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::FunctionSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::TableSection(s) => {
                for t in s {
                    if let wasmparser::TableInit::Expr(e) = t?.init {
                        ops(e.get_operators_reader())?;
                    }
                }
            }
            Payload::MemorySection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::TagSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::GlobalSection(s) => {
                for g in s {
                    ops(g?.init_expr.get_operators_reader())?;
                }
            }
            Payload::ExportSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::ElementSection(s) => {
                for e in s {
                    let e = e?;
                    if let wasmparser::ElementKind::Active { offset_expr, .. } = e.kind {
                        ops(offset_expr.get_operators_reader())?;
                    }
                    match e.items {
                        wasmparser::ElementItems::Functions(r) => {
                            r.into_iter().try_for_each(|x| x.map(drop))?
                        }
                        wasmparser::ElementItems::Expressions(_, r) => {
                            for x in r {
                                ops(x?.get_operators_reader())?;
                            }
                        }
                    }
                }
            }
            Payload::DataSection(s) => {
                for d in s {
                    if let wasmparser::DataKind::Active { offset_expr, .. } = d?.kind {
                        ops(offset_expr.get_operators_reader())?;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                body.get_locals_reader()?
                    .into_iter()
                    .try_for_each(|x| x.map(drop))?;
                ops(body.get_operators_reader()?)?;
            }
            Payload::InstanceSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::CoreTypeSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::ComponentInstanceSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::ComponentAliasSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::ComponentTypeSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::ComponentCanonicalSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::ComponentImportSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::ComponentExportSection(s) => s.into_iter().try_for_each(|x| x.map(drop))?,
            Payload::UnknownSection { .. } => return Ok(false),
            _ => {}
        }
    }
    Ok(true)
}

/// Why wasmparser cannot read `bytes` (see [`wasmparser_decodes`]), or
/// `None` when it can.
pub fn wasmparser_decode_error(bytes: &[u8], features: WasmFeatures) -> Option<String> {
    match all(bytes, features) {
        Ok(true) => None,
        Ok(false) => Some("unknown section".into()),
        Err(e) => Some(e.to_string()),
    }
}
