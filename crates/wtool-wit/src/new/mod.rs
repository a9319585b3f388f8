//! `component new`: a core module with WIT metadata (its `component-type`
//! custom sections) into a component, as wit-component's
//! `ComponentEncoder` does: imports lowered into the module, exports lifted
//! out of it, exported interfaces given their types' names by a shim
//! component.

pub mod abi;
mod build;
mod live;
mod names;

use crate::model::*;
use crate::StringEncoding;

/// Why a module could not become a component.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NewError(pub String);

impl From<String> for NewError {
    fn from(s: String) -> Self {
        NewError(s)
    }
}

/// The module's WIT: the world it targets and the strings' encoding.
pub struct Metadata {
    /// The model holding the world.
    pub resolve: Resolve,
    /// The world the module implements.
    pub world: WorldId,
    /// The encoding strings cross the boundary in.
    pub encoding: StringEncoding,
}

/// Splits a core module into itself without `component-type*` custom
/// sections, and those sections' contents.
pub fn strip_metadata(module: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), NewError> {
    let bad = || NewError("input is not a valid core wasm module".into());
    if module.len() < 8 || module[..4] != *b"\0asm" || module[4..8] != [1, 0, 0, 0] {
        return Err(bad());
    }
    let mut out = module[..8].to_vec();
    let mut found = Vec::new();
    let mut at = 8;
    while at < module.len() {
        let start = at;
        let id = module[at];
        at += 1;
        let (size, n) = leb(&module[at..]).ok_or_else(bad)?;
        at += n;
        let end = at.checked_add(size as usize).filter(|e| *e <= module.len());
        let end = end.ok_or_else(bad)?;
        if id == 0 {
            let (len, n) = leb(&module[at..end]).ok_or_else(bad)?;
            let name_end = (at + n).checked_add(len as usize).filter(|e| *e <= end);
            let name_end = name_end.ok_or_else(bad)?;
            if module[at + n..name_end].starts_with(b"component-type") {
                found.push(module[name_end..end].to_vec());
                at = end;
                continue;
            }
        }
        out.extend_from_slice(&module[start..end]);
        at = end;
    }
    Ok((out, found))
}

fn leb(b: &[u8]) -> Option<(u32, usize)> {
    let mut v = 0u32;
    for (i, byte) in b.iter().enumerate().take(5) {
        v |= u32::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// Decodes one `component-type` section's contents: its world and encoding.
pub fn decode_metadata(data: &[u8]) -> Result<Metadata, NewError> {
    let c = wtool_component::decode(data, wtool_ast::Features::WASM3_THREADS)
        .map_err(|e| NewError(format!("failed to decode component-type section: {e}")))?;
    let mut encoding = StringEncoding::Utf8;
    for s in &c.sections {
        if let wtool_component::ast::Section::Custom(cu) = s {
            if cu.name == "wit-component-encoding" {
                encoding = match cu.data.get(1) {
                    Some(1) => StringEncoding::Utf16,
                    Some(2) => StringEncoding::CompactUtf16,
                    _ => StringEncoding::Utf8,
                };
            }
        }
    }
    let decoded = crate::decode(data)
        .map_err(|e| NewError(format!("failed to decode component-type section: {e}")))?;
    let (resolve, pkg) = match decoded {
        crate::DecodedWasm::WitPackage(r, p) => (r, p),
        crate::DecodedWasm::Component(..) => {
            return Err(NewError(
                "component-type section does not hold a WIT world".into(),
            ))
        }
    };
    let world = *resolve
        .package(pkg)
        .worlds
        .values()
        .next()
        .ok_or_else(|| NewError("component-type section holds no world".into()))?;
    Ok(Metadata {
        resolve,
        world,
        encoding,
    })
}

/// An empty world `root` in package `root:root`.
fn empty_world() -> Metadata {
    let mut resolve = Resolve::default();
    let pkg = resolve.push_package(Package {
        name: PackageName {
            namespace: "root".into(),
            name: "root".into(),
            version: None,
        },
        docs: Docs::default(),
        interfaces: Default::default(),
        worlds: Default::default(),
    });
    let world = resolve.push_world(World {
        name: "root".into(),
        imports: Default::default(),
        exports: Default::default(),
        package: Some(pkg),
        docs: Docs::default(),
        stability: Stability::Unknown,
    });
    resolve.packages[pkg.index()]
        .worlds
        .insert("root".into(), world);
    Metadata {
        resolve,
        world,
        encoding: StringEncoding::Utf8,
    }
}

/// Builds a component from a core module carrying its WIT metadata.
pub fn new_component(module: &[u8]) -> Result<Vec<u8>, NewError> {
    let (stripped, sections) = strip_metadata(module)?;
    let meta = match sections.as_slice() {
        // Without metadata the module targets an empty world, as with wit-component.
        [] => empty_world(),
        [one] => decode_metadata(one)?,
        _ => {
            return Err(NewError(
                "merging several `component-type` sections is not supported yet".into(),
            ))
        }
    };
    let core = wtool_binary::decode(&stripped)
        .map_err(|e| NewError(format!("failed to decode the core module: {e}")))?;
    let plan = names::match_module(&meta.resolve, meta.world, &core)?;
    build::build(&meta, core, &plan)
}
