//! The dump of a component (`"kind": "component"` in `docs/dump.md`):
//! sections, every definition by index space, core modules as full module
//! dumps and nested components as component dumps.

use crate::schema::{Dump, SectionJson};
use crate::{DumpOptions, SCHEMA_VERSION};
use serde::Serialize;
use wtool_component::ast::*;
use wtool_component::Offsets;

/// The dump of one component.
#[derive(Serialize, Debug)]
pub struct ComponentDump<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `"component"`.
    pub kind: &'static str,
    /// `"binary"`: offsets are file offsets.
    pub origin: &'static str,
    /// Size of this component's bytes.
    pub file_size: u64,
    /// The preamble's version field (0x0d).
    pub version: u16,
    /// Every section in order.
    pub sections: Vec<SectionJson>,
    /// Core modules, each with its module dump (offsets inside it are
    /// relative to the module's first byte).
    pub core_modules: Vec<Nested<Dump<'a>>>,
    /// Core instances.
    pub core_instances: Vec<Item>,
    /// Core types.
    pub core_types: Vec<Item>,
    /// Nested components.
    pub components: Vec<Nested<ComponentDump<'a>>>,
    /// Component instances.
    pub instances: Vec<Item>,
    /// Aliases.
    pub aliases: Vec<Item>,
    /// Component types.
    pub types: Vec<Item>,
    /// Canonical definitions.
    pub canonicals: Vec<Item>,
    /// The start definition, if any.
    pub start: Option<Item>,
    /// Imports.
    pub imports: Vec<Item>,
    /// Exports.
    pub exports: Vec<Item>,
    /// Values.
    pub values: Vec<Item>,
    /// Custom sections.
    pub custom_sections: Vec<CustomItem>,
}

/// A core module or nested component: where it is, and its dump.
#[derive(Serialize, Debug)]
pub struct Nested<T> {
    /// File offset of its first byte.
    pub offset: u32,
    /// Its size in bytes.
    pub size: u32,
    /// Its dump.
    pub dump: T,
}

/// One definition: its place in its section and its text form.
#[derive(Serialize, Debug)]
pub struct Item {
    /// Index of the section it is in (among all sections).
    pub section: u32,
    /// File offset of the item.
    pub offset: Option<u32>,
    /// What it is: `instantiate`, `record`, `lift`, `import`…
    pub kind: String,
    /// The item's name, for imports and exports.
    pub name: Option<String>,
    /// The definition, in the text format's words with numeric indices.
    pub text: String,
}

/// A custom section.
#[derive(Serialize, Debug)]
pub struct CustomItem {
    /// Its name.
    pub name: String,
    /// File offset of its payload.
    pub payload_offset: u32,
    /// Payload size.
    pub size: u32,
}

/// Describes a decoded component; `bytes` are the component's own bytes
/// (from its preamble) and `offsets` where its parts are in them.
pub fn dump_component<'a>(
    c: &'a Component,
    offsets: &Offsets,
    bytes: &'a [u8],
    opts: DumpOptions,
) -> ComponentDump<'a> {
    let mut d = ComponentDump {
        schema_version: SCHEMA_VERSION,
        kind: "component",
        origin: "binary",
        file_size: bytes.len() as u64,
        version: c.version,
        sections: Vec::new(),
        core_modules: Vec::new(),
        core_instances: Vec::new(),
        core_types: Vec::new(),
        components: Vec::new(),
        instances: Vec::new(),
        aliases: Vec::new(),
        types: Vec::new(),
        canonicals: Vec::new(),
        start: None,
        imports: Vec::new(),
        exports: Vec::new(),
        values: Vec::new(),
        custom_sections: Vec::new(),
    };
    let empty = wtool_component::SectionOffsets::default();
    for (si, s) in c.sections.iter().enumerate() {
        let o = offsets.sections.get(si).unwrap_or(&empty);
        d.sections.push(SectionJson {
            id: s.id(),
            name: match s {
                Section::Custom(cs) => cs.name.clone(),
                s => section_name(s).to_string(),
            },
            offset: o.id_offset as u32,
            payload_offset: o.start as u32,
            size: (o.end - o.start) as u32,
        });
        let item = |i: usize, kind: &str, name: Option<&str>, text: String| Item {
            section: si as u32,
            offset: o.items.get(i).map(|&x| x as u32),
            kind: kind.to_string(),
            name: name.map(str::to_string),
            text,
        };
        let own = bytes.get(o.start..o.end).unwrap_or_default();
        match s {
            Section::Custom(cs) => d.custom_sections.push(CustomItem {
                name: cs.name.clone(),
                payload_offset: o.start as u32,
                size: (o.end - o.start) as u32,
            }),
            Section::CoreModule(m) => d.core_modules.push(Nested {
                offset: o.start as u32,
                size: own.len() as u32,
                dump: crate::build::dump(m, own, opts),
            }),
            Section::Component(nested) => {
                let inner = o.nested.as_deref().cloned().unwrap_or_default();
                d.components.push(Nested {
                    offset: o.start as u32,
                    size: own.len() as u32,
                    dump: dump_component(nested, &inner, bytes, opts),
                });
            }
            Section::CoreInstances(v) => {
                d.core_instances.extend(v.iter().enumerate().map(|(i, x)| {
                    let (k, t) = crate::component_text::core_instance(x);
                    item(i, k, None, t)
                }))
            }
            Section::CoreTypes(v) => d.core_types.extend(v.iter().enumerate().map(|(i, x)| {
                let (k, t) = crate::component_text::core_type(x);
                item(i, k, None, t)
            })),
            Section::Instances(v) => d.instances.extend(v.iter().enumerate().map(|(i, x)| {
                let (k, t) = crate::component_text::instance(x);
                item(i, k, None, t)
            })),
            Section::Aliases(v) => d.aliases.extend(v.iter().enumerate().map(|(i, x)| {
                let (k, t) = crate::component_text::alias(x);
                item(i, k, None, t)
            })),
            Section::Types(v) => d.types.extend(v.iter().enumerate().map(|(i, x)| {
                let (k, t) = crate::component_text::ty(x);
                item(i, k, None, t)
            })),
            Section::Canons(v) => d.canonicals.extend(v.iter().enumerate().map(|(i, x)| {
                let (k, t) = crate::component_text::canon(x);
                item(i, &k, None, t)
            })),
            Section::Start(st) => {
                d.start = Some(item(0, "start", None, crate::component_text::start(st)))
            }
            Section::Imports(v) => d.imports.extend(v.iter().enumerate().map(|(i, x)| {
                let t = crate::component_text::extern_type(&x.ty);
                item(
                    i,
                    crate::component_text::extern_kind(&x.ty),
                    Some(&x.name.name),
                    t,
                )
            })),
            Section::Exports(v) => d.exports.extend(v.iter().enumerate().map(|(i, x)| {
                let t = crate::component_text::export(x);
                item(
                    i,
                    crate::component_text::sort_name(x.sort),
                    Some(&x.name.name),
                    t,
                )
            })),
            Section::Values(v) => d.values.extend(v.iter().enumerate().map(|(i, x)| {
                let t = format!(
                    "(value {} {} bytes)",
                    crate::component_text::val(x.ty),
                    x.bytes.len()
                );
                item(i, "value", None, t)
            })),
        }
    }
    d
}

fn section_name(s: &Section) -> &'static str {
    match s {
        Section::Custom(_) => "custom",
        Section::CoreModule(_) => "core module",
        Section::CoreInstances(_) => "core instance",
        Section::CoreTypes(_) => "core type",
        Section::Component(_) => "component",
        Section::Instances(_) => "instance",
        Section::Aliases(_) => "alias",
        Section::Types(_) => "type",
        Section::Canons(_) => "canon",
        Section::Start(_) => "start",
        Section::Imports(_) => "import",
        Section::Exports(_) => "export",
        Section::Values(_) => "value",
    }
}
