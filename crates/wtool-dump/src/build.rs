//! Building a [`Dump`] from a module and the bytes it came from.

use crate::instr::{Instrs, LazyBodies};
use crate::schema::*;
use crate::text::{expr_text, hex};
use crate::{DumpOptions, SCHEMA_VERSION};
use std::borrow::Cow;
use wtool_ast::Features;
use wtool_ast::{
    CompositeType, CustomSection, DataMode, DataSegment, ElemItems, ElemMode, Expr, ExternKind,
    FieldType, GlobalType, ImportDesc, Instr, Limits, MemoryType, Module, NameMap, Names, Origin,
    SectionId, TableType, ValType,
};
use wtool_binary::LazyParts;

/// [`dump`] for a module decoded by [`wtool_binary::decode_lazy`]: each body
/// is decoded once to count its instructions (so a malformed one fails here,
/// before any output) and, with `--instructions`, again while it is written.
/// Memory holds one body at a time.
pub fn dump_lazy<'a>(
    module: &'a Module,
    bodies: &'a LazyBodies<'a>,
    opts: DumpOptions,
) -> Result<Dump<'a>, wtool_binary::DecodeError> {
    let lazy = bodies.parts.map(|p| (p, bodies.features));
    let mut d = dump_with(module, bodies.bytes, opts, lazy);
    let mut counts = Vec::with_capacity(module.funcs.len());
    for k in 0..module.funcs.len() as u32 {
        let Some(reader) = bodies.reader(k) else {
            counts.push(None);
            continue;
        };
        let mut n = 0;
        for r in reader {
            r?;
            n += 1;
        }
        counts.push(Some(n));
    }
    d.functions.lazy = Some((bodies, counts));
    Ok(d)
}

/// Describes `module`; `source` is the file it came from (binary or text),
/// used for sizes, the binary version and custom section names.
pub fn dump<'a>(module: &'a Module, source: &'a [u8], opts: DumpOptions) -> Dump<'a> {
    dump_with(module, source, opts, None)
}

/// [`dump`], with the data segments' bytes and (when left there) the
/// exports read from `source` where `lazy` says, with these features.
fn dump_with<'a>(
    module: &'a Module,
    source: &'a [u8],
    opts: DumpOptions,
    lazy: Option<(&'a LazyParts, Features)>,
) -> Dump<'a> {
    let binary = module.origin == Origin::Binary;
    let names = module.names.as_ref();
    let lookup = |map: fn(&Names) -> &NameMap, idx: u32| -> Option<&'a str> {
        names.and_then(|n| Names::lookup(map(n), idx))
    };

    let version = match source.get(4..8) {
        Some(&[a, b, c, d]) if binary => Some(u32::from_le_bytes([a, b, c, d])),
        _ => None,
    };

    let custom_layout = custom_section_layout(module, source);
    let sections = module
        .sections
        .iter()
        .map(|s| {
            let name = if s.id == 0 {
                custom_name_at(source, s.payload_offset, s.size)
                    .unwrap_or("")
                    .to_string()
            } else {
                SectionId::from_u8(s.id)
                    .map_or("unknown", SectionId::name)
                    .to_string()
            };
            SectionJson {
                id: s.id,
                name,
                offset: s.offset,
                payload_offset: s.payload_offset,
                size: s.size,
            }
        })
        .collect();

    let mut rec_of = vec![None; module.types.len()];
    for g in &module.rec_groups {
        for i in g.start..g.start.saturating_add(g.len) {
            if let Some(r) = rec_of.get_mut(i as usize) {
                *r = Some(g.start);
            }
        }
    }
    let types = (0u32..)
        .zip(&module.types)
        .map(|(index, t)| {
            let field = |f: &FieldType, name| FieldJson {
                name,
                ty: f.storage.to_string(),
                mutable: f.mutable,
            };
            let mut j = TypeJson {
                index,
                name: lookup(|n| &n.types, index),
                kind: "func",
                params: None,
                results: None,
                fields: None,
                element: None,
                sub: t.sub.as_ref().map(|s| SubJson {
                    is_final: s.is_final,
                    supertypes: &s.supertypes,
                }),
                rec_group: rec_of.get(index as usize).copied().flatten(),
                describes: t.describes,
                descriptor: t.descriptor,
            };
            match &t.composite {
                CompositeType::Func(f) => {
                    j.params = Some(type_names(&f.params));
                    j.results = Some(type_names(&f.results));
                }
                CompositeType::Struct(fs) => {
                    j.kind = "struct";
                    j.fields = Some(
                        (0u32..)
                            .zip(fs)
                            .map(|(k, f)| field(f, field_name(module, index, k)))
                            .collect(),
                    );
                }
                CompositeType::Array(f) => {
                    j.kind = "array";
                    j.element = Some(field(f, None));
                }
            }
            j
        })
        .collect();

    let mut kind_counts = [0u32; 5];
    let imports = module
        .imports
        .iter()
        .map(|imp| {
            let kind = imp.desc.kind();
            let slot = &mut kind_counts[kind as usize];
            let index = *slot;
            *slot = slot.saturating_add(1);
            let mut j = ImportJson {
                module: &imp.module,
                name: &imp.name,
                kind: kind.keyword(),
                index,
                r#type: None,
                table: None,
                memory: None,
                global: None,
            };
            match &imp.desc {
                ImportDesc::Func(t) | ImportDesc::Tag(t) => j.r#type = Some(*t),
                ImportDesc::Table(t) => j.table = Some(table_type(t)),
                ImportDesc::Memory(m) => j.memory = Some(memory_type(m)),
                ImportDesc::Global(g) => j.global = Some(global_type(g)),
            }
            j
        })
        .collect();

    let functions = Functions {
        module,
        source,
        first: module.num_imported(ExternKind::Func),
        instructions: opts.instructions,
        lazy: None,
    };

    let first_table = module.num_imported(ExternKind::Table);
    let tables = (0u32..)
        .zip(&module.tables)
        .map(|(i, t)| {
            let index = first_table.saturating_add(i);
            TableJson {
                index,
                name: lookup(|n| &n.tables, index),
                ty: table_type(&t.ty),
                init: t.init.as_ref().map(expr_text),
            }
        })
        .collect();

    let first_memory = module.num_imported(ExternKind::Memory);
    let memories = (0u32..)
        .zip(&module.memories)
        .map(|(i, m)| {
            let index = first_memory.saturating_add(i);
            MemoryJson {
                index,
                name: lookup(|n| &n.memories, index),
                ty: memory_type(m),
            }
        })
        .collect();

    let first_tag = module.num_imported(ExternKind::Tag);
    let tags = (0u32..)
        .zip(&module.tags)
        .map(|(i, t)| TagJson {
            index: first_tag.saturating_add(i),
            r#type: t.type_idx,
        })
        .collect();

    let first_global = module.num_imported(ExternKind::Global);
    let globals = Each::new(module.globals.len(), move || {
        (0u32..).zip(&module.globals).map(move |(i, g)| {
            let index = first_global.saturating_add(i);
            GlobalJson {
                index,
                name: names.and_then(|n| Names::lookup(&n.globals, index)),
                r#type: g.ty.ty.to_string(),
                mutable: g.ty.mutable,
                init: expr_text(&g.init),
                init_value: const_value(&g.init),
            }
        })
    });

    let exports = match lazy
        .and_then(|(p, features)| Some((p.read_exports(source, features)?, p, features)))
    {
        // Left in the input by the decoder: read again while written.
        Some((list, parts, features)) => Each::new(list.len(), move || {
            let list = parts.read_exports(source, features).into_iter().flatten();
            // The decoder read them once already, so none fails here.
            list.flatten().map(|e| ExportJson {
                name: Cow::Owned(e.name),
                kind: e.kind.keyword(),
                index: e.index,
            })
        }),
        None => Each::new(module.exports.len(), move || {
            module.exports.iter().map(|e| ExportJson {
                name: Cow::Borrowed(e.name.as_str()),
                kind: e.kind.keyword(),
                index: e.index,
            })
        }),
    };

    let elements = (0u32..)
        .zip(&module.elems)
        .map(|(index, e)| {
            let (mode, table, offset) = match &e.mode {
                ElemMode::Active { table, offset } => ("active", Some(*table), Some(offset)),
                ElemMode::Passive => ("passive", None, None),
                ElemMode::Declarative => ("declarative", None, None),
            };
            ElementJson {
                index,
                name: lookup(|n| &n.elems, index),
                mode,
                table,
                offset: offset.map(expr_text),
                offset_value: offset.and_then(const_value),
                r#type: e.ty.to_string(),
                count: e.items.len(),
                items: opts.data.then(|| match &e.items {
                    ElemItems::Funcs(f) => ElemItemsJson::Functions(f.clone()),
                    ElemItems::Exprs(x) => {
                        ElemItemsJson::Expressions(x.iter().map(expr_text).collect())
                    }
                }),
            }
        })
        .collect();

    // Described while written: a module may hold a hundred thousand segments.
    let with_bytes = opts.data;
    let describe = move |index: u32, d: &DataSegment, bytes: &[u8]| {
        let (mode, memory, offset) = match &d.mode {
            DataMode::Active { memory, offset } => ("active", Some(*memory), Some(offset)),
            DataMode::Passive => ("passive", None, None),
        };
        DataJson {
            index,
            name: names.and_then(|n| Names::lookup(&n.datas, index)),
            mode,
            memory,
            offset: offset.map(expr_text),
            offset_value: offset.and_then(const_value),
            size: bytes.len(),
            bytes: with_bytes.then(|| hex(bytes)),
        }
    };
    let left = lazy.and_then(|(p, f)| Some((p.data_section.as_ref()?, f)));
    let data = match left {
        // Left in the input by the decoder (which checked every segment):
        // each is read back, described and dropped.
        Some((section, features)) => Each::new(section.count as usize, move || {
            (0u32..)
                .zip(section.read(source, features).map_while(Result::ok))
                .map(move |(index, (d, range))| {
                    let bytes = source
                        .get(range.start as usize..range.end as usize)
                        .unwrap_or_default();
                    describe(index, &d, bytes)
                })
        }),
        None => Each::new(module.datas.len(), move || {
            (0u32..).zip(&module.datas).map(move |(index, d)| {
                let bytes = lazy
                    .and_then(|(p, _)| p.data(source, index as usize))
                    .unwrap_or(&d.data);
                describe(index, d, bytes)
            })
        }),
    };

    let custom_sections = module
        .customs
        .iter()
        .enumerate()
        .map(|(i, c)| match custom_layout.get(i).copied().flatten() {
            Some((offset, payload_offset, size)) => CustomJson {
                name: &c.name,
                offset: Some(offset),
                payload_offset: Some(payload_offset),
                size,
            },
            None => custom_without_layout(c),
        })
        .collect();

    Dump {
        schema_version: SCHEMA_VERSION,
        origin: if binary { "binary" } else { "text" },
        file_size: source.len() as u64,
        version,
        sections,
        types,
        imports,
        functions,
        tables,
        memories,
        tags,
        globals,
        exports,
        start: module.start,
        elements,
        data,
        data_count: module.data_count,
        custom_sections,
        names: names.map(|n| NamesJson {
            module: n.module.as_deref(),
            functions: NameMapJson(&n.funcs),
            locals: IndirectJson(&n.locals),
            labels: IndirectJson(&n.labels),
            types: NameMapJson(&n.types),
            tables: NameMapJson(&n.tables),
            memories: NameMapJson(&n.memories),
            globals: NameMapJson(&n.globals),
            elements: NameMapJson(&n.elems),
            data: NameMapJson(&n.datas),
            fields: IndirectJson(&n.fields),
            tags: NameMapJson(&n.tags),
        }),
    }
}

pub(crate) fn custom_without_layout(c: &CustomSection) -> CustomJson<'_> {
    CustomJson {
        name: &c.name,
        offset: None,
        payload_offset: None,
        size: u32::try_from(c.data.len()).unwrap_or(u32::MAX),
    }
}

/// `(offset, payload_offset, size)` of each custom section, in `module.customs`
/// order. Custom sections appear in `module.sections` with id 0 in file order,
/// the same order as `module.customs`; the names are checked against the bytes
/// so a mismatch (e.g. a module edited after decoding) yields no layout rather
/// than a wrong one.
pub(crate) fn custom_section_layout(
    module: &Module,
    source: &[u8],
) -> Vec<Option<(u32, u32, u32)>> {
    let infos: Vec<_> = module.sections.iter().filter(|s| s.id == 0).collect();
    module
        .customs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let s = infos.get(i)?;
            let name = custom_name_at(source, s.payload_offset, s.size)?;
            (name == c.name).then_some((s.offset, s.payload_offset, s.size))
        })
        .collect()
}

/// The name at the start of a custom section payload, if it reads cleanly.
pub(crate) fn custom_name_at(source: &[u8], payload: u32, size: u32) -> Option<&str> {
    let start = payload as usize;
    let end = start.checked_add(size as usize)?;
    let payload = source.get(start..end)?;
    let (len, n) = read_leb_u32(payload)?;
    let name = payload.get(n..n.checked_add(len as usize)?)?;
    std::str::from_utf8(name).ok()
}

/// Length in bytes of the unsigned LEB128 at `at`, at most 5.
pub(crate) fn leb_len(source: &[u8], at: usize) -> Option<usize> {
    read_leb_u32(source.get(at..)?).map(|(_, n)| n)
}

pub(crate) fn read_leb_u32(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value: u64 = 0;
    for (i, &b) in bytes.iter().take(5).enumerate() {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return u32::try_from(value).ok().map(|v| (v, i + 1));
        }
    }
    None
}

/// The name of field `field` of struct type `ty`, from the name section.
fn field_name(module: &Module, ty: u32, field: u32) -> Option<&str> {
    module
        .names
        .as_ref()
        .and_then(|n| Names::lookup_indirect(&n.fields, ty, field))
}

pub(crate) fn type_names(types: &[ValType]) -> Vec<String> {
    types.iter().map(ValType::to_string).collect()
}

pub(crate) fn address_type(index64: bool) -> &'static str {
    if index64 {
        "i64"
    } else {
        "i32"
    }
}

pub(crate) fn limits(l: &Limits) -> (u64, Option<u64>) {
    (l.min, l.max)
}

pub(crate) fn table_type(t: &TableType) -> TableTypeJson {
    let (min, max) = limits(&t.limits);
    TableTypeJson {
        element: t.elem.to_string(),
        min,
        max,
        address_type: address_type(t.index64),
    }
}

pub(crate) fn memory_type(m: &MemoryType) -> MemoryTypeJson {
    let (min, max) = limits(&m.limits);
    let page_size = match m.page_size_log2 {
        Some(l) if l < 64 => 1u64 << l,
        Some(_) => u64::MAX,
        None => 65536,
    };
    MemoryTypeJson {
        min,
        max,
        shared: m.shared,
        address_type: address_type(m.index64),
        page_size,
    }
}

pub(crate) fn global_type(g: &GlobalType) -> GlobalTypeJson {
    GlobalTypeJson {
        r#type: g.ty.to_string(),
        mutable: g.mutable,
    }
}

/// The value of a constant expression that is exactly one integer constant.
pub(crate) fn const_value(e: &Expr) -> Option<i64> {
    match e.instrs.as_slice() {
        [Instr::I32Const(v), Instr::End] | [Instr::I32Const(v)] => Some(i64::from(*v)),
        [Instr::I64Const(v), Instr::End] | [Instr::I64Const(v)] => Some(*v),
        _ => None,
    }
}

/// The defined functions of a dump, each described only while it is
/// written (so a module with many functions needs no second copy of them).
#[derive(Debug)]
pub struct Functions<'a> {
    module: &'a Module,
    source: &'a [u8],
    /// Index of the first defined function.
    first: u32,
    instructions: bool,
    /// The bodies left in the input, with the instruction count of each
    /// (`None` where there is no body to read).
    lazy: Option<(&'a LazyBodies<'a>, Vec<Option<usize>>)>,
}

impl<'a> Functions<'a> {
    /// How many there are.
    pub fn len(&self) -> usize {
        self.module.funcs.len()
    }

    /// True when the module defines no function.
    pub fn is_empty(&self) -> bool {
        self.module.funcs.is_empty()
    }

    /// The description of defined function `i`.
    pub fn get(&self, i: usize) -> Option<FunctionJson<'a>> {
        let module = self.module;
        let f = module.funcs.get(i)?;
        let i = i as u32;
        let index = self.first.saturating_add(i);
        let sig = module.func_type(f.type_idx);
        let (body_offset, body_size) = if module.origin == Origin::Binary {
            let size_field = leb_len(self.source, f.offset as usize);
            (
                size_field.map(|n| f.offset.saturating_add(n as u32)),
                Some(f.size),
            )
        } else {
            (None, None)
        };
        let lazy = self
            .lazy
            .as_ref()
            .and_then(|(bodies, counts)| Some((*bodies, (*counts.get(i as usize)?)?)));
        Some(FunctionJson {
            index,
            name: module
                .names
                .as_ref()
                .and_then(|n| Names::lookup(&n.funcs, index)),
            r#type: f.type_idx,
            params: sig.map(|s| type_names(&s.params)),
            results: sig.map(|s| type_names(&s.results)),
            locals: f
                .locals
                .iter()
                .map(|g| LocalsJson {
                    count: g.count,
                    r#type: g.ty.to_string(),
                })
                .collect(),
            num_locals: f.num_locals(),
            offset: f.offset,
            body_offset,
            body_size,
            instruction_count: lazy.map_or(f.body.instrs.len(), |(_, n)| n),
            instructions: self.instructions.then(|| match lazy {
                Some((bodies, _)) => Instrs::lazy(bodies, i),
                None => Instrs::of(&f.body),
            }),
        })
    }
}

impl serde::Serialize for Functions<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for i in 0..self.len() {
            if let Some(f) = self.get(i) {
                seq.serialize_element(&f)?;
            }
        }
        seq.end()
    }
}
