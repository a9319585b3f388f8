//! Test-only: binary → `wtool_ast::Module` through the `wasmparser` oracle,
//! standing in for `wtool_binary::decode` until that crate lands. It keeps
//! what the printer needs for a lossless round trip: local grouping, custom
//! section placement, explicit-index element/data encodings, the name section.
#![allow(dead_code)]

use wasmparser as wp;
use wtool_ast as ast;
use wtool_ast::{Instr, Op, OpKind};

fn heap(h: wp::HeapType) -> Result<ast::HeapType, String> {
    use wp::AbstractHeapType as A;
    Ok(match h {
        wp::HeapType::Abstract { ty, .. } => match ty {
            A::Func => ast::HeapType::Func,
            A::Extern => ast::HeapType::Extern,
            A::Any => ast::HeapType::Any,
            A::Eq => ast::HeapType::Eq,
            A::I31 => ast::HeapType::I31,
            A::Struct => ast::HeapType::Struct,
            A::Array => ast::HeapType::Array,
            A::None => ast::HeapType::None,
            A::NoFunc => ast::HeapType::NoFunc,
            A::NoExtern => ast::HeapType::NoExtern,
            A::Exn => ast::HeapType::Exn,
            A::NoExn => ast::HeapType::NoExn,
            other => return Err(format!("heap type {other:?}")),
        },
        wp::HeapType::Concrete(i) => {
            ast::HeapType::Concrete(i.as_module_index().ok_or("rec-group index")?)
        }
        other => return Err(format!("heap type {other:?}")),
    })
}

fn rt(r: wp::RefType) -> Result<ast::RefType, String> {
    Ok(ast::RefType {
        nullable: r.is_nullable(),
        heap: heap(r.heap_type())?,
    })
}

fn vt(v: wp::ValType) -> Result<ast::ValType, String> {
    Ok(match v {
        wp::ValType::I32 => ast::ValType::I32,
        wp::ValType::I64 => ast::ValType::I64,
        wp::ValType::F32 => ast::ValType::F32,
        wp::ValType::F64 => ast::ValType::F64,
        wp::ValType::V128 => ast::ValType::V128,
        wp::ValType::Ref(r) => ast::ValType::Ref(rt(r)?),
    })
}

fn table_ty(t: wp::TableType) -> Result<ast::TableType, String> {
    Ok(ast::TableType {
        elem: rt(t.element_type)?,
        limits: ast::Limits {
            min: t.initial,
            max: t.maximum,
        },
        index64: t.table64,
    })
}

fn mem_ty(m: wp::MemoryType) -> ast::MemoryType {
    ast::MemoryType {
        limits: ast::Limits {
            min: m.initial,
            max: m.maximum,
        },
        shared: m.shared,
        index64: m.memory64,
        page_size_log2: m.page_size_log2,
    }
}

fn global_ty(g: wp::GlobalType) -> Result<ast::GlobalType, String> {
    Ok(ast::GlobalType {
        ty: vt(g.content_type)?,
        mutable: g.mutable,
    })
}

fn block(b: wp::BlockType) -> Result<ast::BlockType, String> {
    Ok(match b {
        wp::BlockType::Empty => ast::BlockType::Empty,
        wp::BlockType::Type(t) => ast::BlockType::Value(vt(t)?),
        wp::BlockType::FuncType(i) => ast::BlockType::Func(i),
    })
}

fn leb(b: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let byte = *b.get(*pos).ok_or("eof")?;
        *pos += 1;
        if shift < 64 {
            v |= u64::from(byte & 0x7f) << shift;
        }
        shift += 7;
        if byte & 0x80 == 0 {
            return Ok(v);
        }
    }
}

fn memarg(b: &[u8], pos: &mut usize) -> Result<ast::MemArg, String> {
    let flags = leb(b, pos)?;
    let memory = if flags & 0x40 != 0 {
        leb(b, pos)? as u32
    } else {
        0
    };
    let offset = leb(b, pos)?;
    let align = (flags & !0x40).min(255) as u8;
    Ok(ast::MemArg {
        offset,
        memory,
        align,
    })
}

/// One table-driven op read from the raw bytes at `pos`.
fn table_op(b: &[u8], mut pos: usize) -> Result<Instr, String> {
    let first = *b.get(pos).ok_or("eof")?;
    pos += 1;
    let (prefix, code) = if first == 0xfc || first == 0xfd {
        (first, leb(b, &mut pos)? as u32)
    } else {
        (0, u32::from(first))
    };
    let op =
        Op::from_code(prefix, code).ok_or_else(|| format!("unknown op {prefix:#x} {code:#x}"))?;
    Ok(match op.kind() {
        OpKind::Plain => Instr::Plain(op),
        OpKind::Load(_) | OpKind::Store(_) => Instr::Mem(op, memarg(b, &mut pos)?),
        OpKind::Lane(_) => Instr::Lane(op, *b.get(pos).ok_or("eof")?),
        OpKind::LoadLane(_) | OpKind::StoreLane(_) => {
            let m = memarg(b, &mut pos)?;
            let lane = *b.get(pos).ok_or("eof")?;
            Instr::MemLane(Box::new(ast::MemLane {
                op,
                memarg: m,
                lane,
            }))
        }
    })
}

fn instr(op: wp::Operator<'_>, bytes: &[u8], pos: usize) -> Result<Instr, String> {
    use wp::Operator as O;
    Ok(match op {
        O::Unreachable => Instr::Unreachable,
        O::Nop => Instr::Nop,
        O::Block { blockty } => Instr::Block(block(blockty)?),
        O::Loop { blockty } => Instr::Loop(block(blockty)?),
        O::If { blockty } => Instr::If(block(blockty)?),
        O::Else => Instr::Else,
        O::End => Instr::End,
        O::Br { relative_depth } => Instr::Br(relative_depth),
        O::BrIf { relative_depth } => Instr::BrIf(relative_depth),
        O::BrTable { targets } => {
            let t: Result<Vec<u32>, _> = targets.targets().collect();
            Instr::BrTable(Box::new(ast::BrTable {
                targets: t.map_err(|e| e.to_string())?.into(),
                default: targets.default(),
            }))
        }
        O::Return => Instr::Return,
        O::Call { function_index } => Instr::Call(function_index),
        O::CallIndirect {
            type_index,
            table_index,
        } => Instr::CallIndirect {
            type_idx: type_index,
            table: table_index,
        },
        O::Drop => Instr::Drop,
        O::Select => Instr::Select,
        O::TypedSelect { ty } => Instr::SelectT(vt(ty)?),
        O::LocalGet { local_index } => Instr::LocalGet(local_index),
        O::LocalSet { local_index } => Instr::LocalSet(local_index),
        O::LocalTee { local_index } => Instr::LocalTee(local_index),
        O::GlobalGet { global_index } => Instr::GlobalGet(global_index),
        O::GlobalSet { global_index } => Instr::GlobalSet(global_index),
        O::TableGet { table } => Instr::TableGet(table),
        O::TableSet { table } => Instr::TableSet(table),
        O::TableInit { elem_index, table } => Instr::TableInit {
            elem: elem_index,
            table,
        },
        O::ElemDrop { elem_index } => Instr::ElemDrop(elem_index),
        O::TableCopy {
            dst_table,
            src_table,
        } => Instr::TableCopy {
            dst: dst_table,
            src: src_table,
        },
        O::TableGrow { table } => Instr::TableGrow(table),
        O::TableSize { table } => Instr::TableSize(table),
        O::TableFill { table } => Instr::TableFill(table),
        O::MemorySize { mem } => Instr::MemorySize(mem),
        O::MemoryGrow { mem } => Instr::MemoryGrow(mem),
        O::MemoryInit { data_index, mem } => Instr::MemoryInit {
            data: data_index,
            mem,
        },
        O::DataDrop { data_index } => Instr::DataDrop(data_index),
        O::MemoryCopy { dst_mem, src_mem } => Instr::MemoryCopy {
            dst: dst_mem,
            src: src_mem,
        },
        O::MemoryFill { mem } => Instr::MemoryFill(mem),
        O::I32Const { value } => Instr::I32Const(value),
        O::I64Const { value } => Instr::I64Const(value),
        O::F32Const { value } => Instr::F32Const(value.bits()),
        O::F64Const { value } => Instr::F64Const(value.bits()),
        O::V128Const { value } => Instr::V128Const(Box::new(*value.bytes())),
        O::I8x16Shuffle { lanes } => Instr::I8x16Shuffle(Box::new(lanes)),
        O::RefNull { hty } => Instr::RefNull(heap(hty)?),
        O::RefIsNull => Instr::RefIsNull,
        O::RefFunc { function_index } => Instr::RefFunc(function_index),
        _ => table_op(bytes, pos)?,
    })
}

fn ops(mut r: wp::OperatorsReader<'_>, bytes: &[u8]) -> Result<ast::Expr, String> {
    let mut e = ast::Expr::default();
    while !r.eof() {
        let (op, off) = r.read_with_offset().map_err(|e| e.to_string())?;
        e.instrs.push(instr(op, bytes, off as usize)?);
        e.offsets.push(off as u32);
    }
    Ok(e)
}

fn const_expr(c: &wp::ConstExpr<'_>, bytes: &[u8]) -> Result<ast::Expr, String> {
    ops(c.get_operators_reader(), bytes)
}

fn name_map(m: wp::NameMap<'_>) -> Result<ast::NameMap, String> {
    m.into_iter()
        .map(|n| {
            n.map(|n| (n.index, n.name.to_string()))
                .map_err(|e| e.to_string())
        })
        .collect()
}

fn indirect(m: wp::IndirectNameMap<'_>) -> Result<ast::IndirectNameMap, String> {
    m.into_iter()
        .map(|n| {
            let n = n.map_err(|e| e.to_string())?;
            Ok((n.index, name_map(n.names)?))
        })
        .collect()
}

fn names(r: wp::NameSectionReader<'_>) -> Result<ast::Names, String> {
    let mut n = ast::Names::default();
    for sub in r {
        match sub.map_err(|e| e.to_string())? {
            wp::Name::Module { name, .. } => n.module = Some(name.to_string()),
            wp::Name::Function(m) => n.funcs = name_map(m)?,
            wp::Name::Local(m) => n.locals = indirect(m)?,
            wp::Name::Label(m) => n.labels = indirect(m)?,
            wp::Name::Type(m) => n.types = name_map(m)?,
            wp::Name::Table(m) => n.tables = name_map(m)?,
            wp::Name::Memory(m) => n.memories = name_map(m)?,
            wp::Name::Global(m) => n.globals = name_map(m)?,
            wp::Name::Element(m) => n.elems = name_map(m)?,
            wp::Name::Data(m) => n.datas = name_map(m)?,
            wp::Name::Field(m) => n.fields = indirect(m)?,
            wp::Name::Tag(m) => n.tags = name_map(m)?,
            _ => return Err("unsupported name subsection".into()),
        }
    }
    Ok(n)
}

fn sid(id: u8) -> Option<ast::SectionId> {
    ast::SectionId::from_u8(id)
}

/// Decodes a module with `wasmparser` (parsing only, no validation).
pub fn decode(bytes: &[u8]) -> Result<ast::Module, String> {
    let mut m = ast::Module::default();
    let mut last: Option<ast::SectionId> = None;
    let mut func_types: Vec<u32> = Vec::new();
    let mut code_i = 0usize;
    for payload in wp::Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| e.to_string())?;
        use wp::Payload as P;
        if let Some((id, _)) = payload.as_section() {
            if id != 0 {
                last = sid(id);
            }
        }
        match payload {
            P::Version { .. } | P::End(_) | P::CodeSectionStart { .. } => {}
            P::TypeSection(r) => {
                for t in r.into_iter_err_on_gc_types() {
                    let f = t.map_err(|e| e.to_string())?;
                    let params: Result<Vec<_>, _> = f.params().iter().map(|v| vt(*v)).collect();
                    let results: Result<Vec<_>, _> = f.results().iter().map(|v| vt(*v)).collect();
                    m.types
                        .push(ast::TypeDef::Func(ast::FuncType::new(params?, results?)));
                }
            }
            P::ImportSection(r) => {
                for i in r.into_imports() {
                    let i = i.map_err(|e| e.to_string())?;
                    let desc = match i.ty {
                        wp::TypeRef::Func(t) => ast::ImportDesc::Func(t),
                        wp::TypeRef::Table(t) => ast::ImportDesc::Table(table_ty(t)?),
                        wp::TypeRef::Memory(t) => ast::ImportDesc::Memory(mem_ty(t)),
                        wp::TypeRef::Global(t) => ast::ImportDesc::Global(global_ty(t)?),
                        wp::TypeRef::Tag(t) => ast::ImportDesc::Tag(t.func_type_idx),
                        other => return Err(format!("import {other:?}")),
                    };
                    m.imports.push(ast::Import {
                        module: i.module.into(),
                        name: i.name.into(),
                        desc,
                    });
                }
            }
            P::FunctionSection(r) => {
                for t in r {
                    func_types.push(t.map_err(|e| e.to_string())?);
                }
            }
            P::TableSection(r) => {
                for t in r {
                    let t = t.map_err(|e| e.to_string())?;
                    let init = match t.init {
                        wp::TableInit::RefNull => None,
                        wp::TableInit::Expr(e) => Some(const_expr(&e, bytes)?),
                    };
                    m.tables.push(ast::Table {
                        ty: table_ty(t.ty)?,
                        init,
                    });
                }
            }
            P::MemorySection(r) => {
                for t in r {
                    m.memories.push(mem_ty(t.map_err(|e| e.to_string())?));
                }
            }
            P::TagSection(r) => {
                for t in r {
                    m.tags.push(ast::Tag {
                        type_idx: t.map_err(|e| e.to_string())?.func_type_idx,
                    });
                }
            }
            P::GlobalSection(r) => {
                for g in r {
                    let g = g.map_err(|e| e.to_string())?;
                    m.globals.push(ast::Global {
                        ty: global_ty(g.ty)?,
                        init: const_expr(&g.init_expr, bytes)?,
                    });
                }
            }
            P::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(|e| e.to_string())?;
                    let kind = match e.kind {
                        wp::ExternalKind::Func | wp::ExternalKind::FuncExact => {
                            ast::ExternKind::Func
                        }
                        wp::ExternalKind::Table => ast::ExternKind::Table,
                        wp::ExternalKind::Memory => ast::ExternKind::Memory,
                        wp::ExternalKind::Global => ast::ExternKind::Global,
                        wp::ExternalKind::Tag => ast::ExternKind::Tag,
                    };
                    m.exports.push(ast::Export {
                        name: e.name.into(),
                        kind,
                        index: e.index,
                    });
                }
            }
            P::StartSection { func, .. } => m.start = Some(func),
            P::ElementSection(r) => {
                for e in r {
                    let e = e.map_err(|e| e.to_string())?;
                    let (mode, explicit) = match e.kind {
                        wp::ElementKind::Passive => (ast::ElemMode::Passive, false),
                        wp::ElementKind::Declared => (ast::ElemMode::Declarative, false),
                        wp::ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => (
                            ast::ElemMode::Active {
                                table: table_index.unwrap_or(0),
                                offset: const_expr(&offset_expr, bytes)?,
                            },
                            table_index.is_some(),
                        ),
                    };
                    let (ty, items) = match e.items {
                        wp::ElementItems::Functions(r) => {
                            let fs: Result<Vec<u32>, _> = r.into_iter().collect();
                            (
                                ast::RefType::FUNCREF,
                                ast::ElemItems::Funcs(fs.map_err(|e| e.to_string())?),
                            )
                        }
                        wp::ElementItems::Expressions(t, r) => {
                            let mut es = Vec::new();
                            for x in r {
                                es.push(const_expr(&x.map_err(|e| e.to_string())?, bytes)?);
                            }
                            (rt(t)?, ast::ElemItems::Exprs(es))
                        }
                    };
                    m.elems.push(ast::ElemSegment {
                        ty,
                        mode,
                        items,
                        explicit_index: explicit,
                    });
                }
            }
            P::DataCountSection { count, .. } => m.data_count = Some(count),
            P::DataSection(r) => {
                for d in r {
                    let d = d.map_err(|e| e.to_string())?;
                    let flag = bytes.get(d.range.start as usize).copied().unwrap_or(0);
                    let mode = match d.kind {
                        wp::DataKind::Passive => ast::DataMode::Passive,
                        wp::DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => ast::DataMode::Active {
                            memory: memory_index,
                            offset: const_expr(&offset_expr, bytes)?,
                        },
                    };
                    m.datas.push(ast::DataSegment {
                        mode,
                        data: d.data.to_vec(),
                        explicit_index: flag == 2,
                    });
                }
            }
            P::CodeSectionEntry(body) => {
                let type_idx = *func_types.get(code_i).ok_or("code without function")?;
                code_i += 1;
                let mut locals = Vec::new();
                for l in body.get_locals_reader().map_err(|e| e.to_string())? {
                    let (count, ty) = l.map_err(|e| e.to_string())?;
                    locals.push(ast::LocalGroup { count, ty: vt(ty)? });
                }
                let ops_r = body.get_operators_reader().map_err(|e| e.to_string())?;
                let body_e = ops(ops_r, bytes)?;
                m.funcs.push(ast::Func {
                    type_idx,
                    locals,
                    body: body_e,
                    offset: body.range().start as u32,
                    size: (body.range().end - body.range().start) as u32,
                });
            }
            P::CustomSection(c) => {
                let place = match last {
                    None => ast::CustomPlace::Before(ast::SectionId::Type),
                    Some(s) => ast::CustomPlace::After(s),
                };
                let mut data = c.data().to_vec();
                if c.name() == "name" && m.names.is_none() {
                    if let wp::KnownCustom::Name(r) = c.as_known() {
                        if let Ok(n) = names(r) {
                            m.names = Some(n);
                            data.clear();
                        }
                    }
                }
                m.customs.push(ast::CustomSection {
                    name: c.name().into(),
                    data,
                    place,
                });
            }
            other => return Err(format!("unsupported payload {:?}", other.as_section())),
        }
    }
    if code_i != func_types.len() {
        // Functions declared without bodies: keep them so indices stay right.
        for &t in &func_types[code_i..] {
            m.funcs.push(ast::Func {
                type_idx: t,
                ..Default::default()
            });
        }
    }
    Ok(m)
}

/// Drops what only describes the encoding (positions, sizes, layout).
pub fn norm(mut m: wtool_ast::Module) -> wtool_ast::Module {
    fn e(x: &mut wtool_ast::Expr) {
        x.offsets.clear();
    }
    m.sections.clear();
    m.origin = wtool_ast::Origin::Binary;
    for f in &mut m.funcs {
        f.offset = 0;
        f.size = 0;
        e(&mut f.body);
    }
    for g in &mut m.globals {
        e(&mut g.init);
    }
    for t in &mut m.tables {
        if let Some(i) = &mut t.init {
            e(i);
        }
    }
    for el in &mut m.elems {
        if let wtool_ast::ElemMode::Active { offset, .. } = &mut el.mode {
            e(offset);
        }
        if let wtool_ast::ElemItems::Exprs(xs) = &mut el.items {
            xs.iter_mut().for_each(e);
        }
    }
    for d in &mut m.datas {
        if let wtool_ast::DataMode::Active { offset, .. } = &mut d.mode {
            e(offset);
        }
    }
    m
}

/// Names the first part where two modules differ (for failure messages).
pub fn first_diff(a: &ast::Module, b: &ast::Module) -> String {
    macro_rules! field {
        ($($f:ident),*) => {$(
            if a.$f != b.$f {
                return format!("{}: {:?}\n  vs {:?}", stringify!($f), a.$f, b.$f);
            }
        )*};
    }
    for (i, (x, y)) in a.funcs.iter().zip(&b.funcs).enumerate() {
        if x != y {
            let at = x
                .body
                .instrs
                .iter()
                .zip(&y.body.instrs)
                .position(|(p, q)| p != q);
            return format!(
                "func {i}: locals {:?} vs {:?}, first instr diff at {at:?}",
                x.locals, y.locals
            );
        }
    }
    field!(
        types, imports, funcs, tables, memories, tags, globals, exports, start, elems, datas,
        data_count, customs, names
    );
    "equal".into()
}
