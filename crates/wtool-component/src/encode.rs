//! [`Component`] → bytes, mirroring the decoder: each section as it was
//! grouped, every integer in its shortest form.

use crate::ast::*;
use crate::decode::COMPONENT_VERSION;
use wtool_binary::leb128::{write_s64, write_u32};
use wtool_binary::parts;

/// Encodes a component.
pub fn encode(c: &Component) -> Vec<u8> {
    let mut out = Vec::new();
    component(&mut out, c, &[]);
    out
}

/// Encodes a component whose top-level sections at the given indices are
/// core modules written as the given bytes (their AST is a placeholder), so
/// a large module copied into a component is never decoded and re-encoded.
pub fn encode_with_raw_modules(c: &Component, raw: &[(usize, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    component(&mut out, c, raw);
    out
}

fn component(out: &mut Vec<u8>, c: &Component, raw: &[(usize, &[u8])]) {
    out.extend_from_slice(b"\0asm");
    let version = if c.version == 0 {
        COMPONENT_VERSION
    } else {
        c.version
    };
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    let mut p = Vec::new();
    for (i, s) in c.sections.iter().enumerate() {
        p.clear();
        match raw.iter().find(|(at, _)| *at == i) {
            Some((_, bytes)) => p.extend_from_slice(bytes),
            None => section(&mut p, s),
        }
        out.push(s.id());
        write_u32(out, p.len() as u32);
        out.extend_from_slice(&p);
    }
}

fn section(p: &mut Vec<u8>, s: &Section) {
    match s {
        Section::Custom(c) => {
            name(p, &c.name);
            p.extend_from_slice(&c.data);
        }
        Section::CoreModule(m) => p.extend_from_slice(&wtool_binary::encode(m)),
        Section::CoreInstances(v) => vec(p, v, core_instance),
        Section::CoreTypes(v) => vec(p, v, core_type),
        Section::Component(c) => component(p, c, &[]),
        Section::Instances(v) => vec(p, v, instance),
        Section::Aliases(v) => vec(p, v, alias),
        Section::Types(v) => vec(p, v, ty),
        Section::Canons(v) => vec(p, v, canon),
        Section::Start(s) => {
            write_u32(p, s.func);
            vec(p, &s.args, |p, a| write_u32(p, *a));
            write_u32(p, s.results);
        }
        Section::Imports(v) => vec(p, v, import),
        Section::Exports(v) => vec(p, v, export),
        Section::Values(v) => vec(p, v, |p, v| {
            val_type(p, v.ty);
            write_u32(p, v.bytes.len() as u32);
            p.extend_from_slice(&v.bytes);
        }),
    }
}

fn vec<T>(p: &mut Vec<u8>, items: &[T], mut f: impl FnMut(&mut Vec<u8>, &T)) {
    write_u32(p, items.len() as u32);
    items.iter().for_each(|i| f(p, i));
}

fn name(p: &mut Vec<u8>, s: &str) {
    parts::write_name(p, s);
}

fn flag(p: &mut Vec<u8>, b: bool) {
    p.push(b as u8);
}

fn core_sort_byte(s: CoreSort) -> u8 {
    match s {
        CoreSort::Func => 0x00,
        CoreSort::Table => 0x01,
        CoreSort::Memory => 0x02,
        CoreSort::Global => 0x03,
        CoreSort::Tag => 0x04,
        CoreSort::Type => 0x10,
        CoreSort::Module => 0x11,
        CoreSort::Instance => 0x12,
    }
}

/// Writes a sort: `0x00 core-sort` or the component sort byte.
pub(crate) fn sort(p: &mut Vec<u8>, s: Sort) {
    match s {
        Sort::Core(c) => {
            p.push(0x00);
            p.push(core_sort_byte(c));
        }
        Sort::Func => p.push(0x01),
        Sort::Value => p.push(0x02),
        Sort::Type => p.push(0x03),
        Sort::Component => p.push(0x04),
        Sort::Instance => p.push(0x05),
    }
}

fn core_instance(p: &mut Vec<u8>, i: &CoreInstance) {
    match i {
        CoreInstance::Instantiate { module, args } => {
            p.push(0x00);
            write_u32(p, *module);
            vec(p, args, |p, (n, i)| {
                name(p, n);
                p.push(0x12);
                write_u32(p, *i);
            });
        }
        CoreInstance::FromExports(es) => {
            p.push(0x01);
            vec(p, es, |p, e| {
                name(p, &e.name);
                p.push(core_sort_byte(e.sort));
                write_u32(p, e.index);
            });
        }
    }
}

fn instance(p: &mut Vec<u8>, i: &Instance) {
    match i {
        Instance::Instantiate { component, args } => {
            p.push(0x00);
            write_u32(p, *component);
            vec(p, args, |p, a| {
                name(p, &a.name);
                sort(p, a.sort);
                write_u32(p, a.index);
            });
        }
        Instance::FromExports(es) => {
            p.push(0x01);
            vec(p, es, |p, e| {
                extern_name(p, &e.name);
                sort(p, e.sort);
                write_u32(p, e.index);
            });
        }
    }
}

fn alias(p: &mut Vec<u8>, a: &Alias) {
    match a {
        Alias::InstanceExport {
            sort: s,
            instance,
            name: n,
        } => {
            sort(p, *s);
            p.push(0x00);
            write_u32(p, *instance);
            name(p, n);
        }
        Alias::CoreInstanceExport {
            sort: s,
            instance,
            name: n,
        } => {
            sort(p, Sort::Core(*s));
            p.push(0x01);
            write_u32(p, *instance);
            name(p, n);
        }
        Alias::Outer {
            sort: s,
            count,
            index,
        } => {
            sort(p, *s);
            p.push(0x02);
            write_u32(p, *count);
            write_u32(p, *index);
        }
    }
}

/// A recursion group or subtype; `prefix` puts 0x00 before a non-final
/// subtype's 0x50 where it would otherwise read as a module type.
fn core_rec(p: &mut Vec<u8>, r: &CoreRec, prefix: bool) {
    if r.explicit {
        p.push(0x4e);
        vec(p, &r.types, parts::write_sub_type);
        return;
    }
    for t in &r.types {
        if prefix && t.sub.as_ref().is_some_and(|s| !s.is_final) {
            p.push(0x00);
        }
        parts::write_sub_type(p, t);
    }
}

fn core_type(p: &mut Vec<u8>, t: &CoreType) {
    match t {
        CoreType::Rec(r) => core_rec(p, r, true),
        CoreType::Module(decls) => {
            p.push(0x50);
            vec(p, decls, |p, d| match d {
                ModuleDecl::Import(i) => {
                    p.push(0x00);
                    parts::write_import(p, i);
                }
                ModuleDecl::Type(r) => {
                    p.push(0x01);
                    core_rec(p, r, false);
                }
                ModuleDecl::OuterAlias { count, index } => {
                    p.extend_from_slice(&[0x02, 0x10, 0x01]);
                    write_u32(p, *count);
                    write_u32(p, *index);
                }
                ModuleDecl::Export {
                    name: n,
                    desc,
                    exact,
                } => {
                    p.push(0x03);
                    name(p, n);
                    parts::write_extern_desc(p, desc, *exact);
                }
            });
        }
    }
}

/// The byte of a primitive value type.
pub(crate) fn prim_byte(t: PrimValType) -> u8 {
    use PrimValType::*;
    match t {
        Bool => 0x7f,
        S8 => 0x7e,
        U8 => 0x7d,
        S16 => 0x7c,
        U16 => 0x7b,
        S32 => 0x7a,
        U32 => 0x79,
        S64 => 0x78,
        U64 => 0x77,
        F32 => 0x76,
        F64 => 0x75,
        Char => 0x74,
        String => 0x73,
        ErrorContext => 0x64,
    }
}

fn val_type(p: &mut Vec<u8>, t: ValType) {
    match t {
        ValType::Prim(t) => p.push(prim_byte(t)),
        // As a non-negative s33, so no index reads as a primitive byte.
        ValType::Idx(i) => write_s64(p, i64::from(i)),
    }
}

fn opt_val_type(p: &mut Vec<u8>, t: Option<ValType>) {
    match t {
        None => p.push(0x00),
        Some(t) => {
            p.push(0x01);
            val_type(p, t);
        }
    }
}

fn result_list(p: &mut Vec<u8>, t: Option<ValType>) {
    match t {
        Some(t) => {
            p.push(0x00);
            val_type(p, t);
        }
        None => p.extend_from_slice(&[0x01, 0x00]),
    }
}

fn ty(p: &mut Vec<u8>, t: &Type) {
    match t {
        Type::Defined(d) => defined(p, d),
        Type::Func(f) => {
            p.push(if f.is_async { 0x43 } else { 0x40 });
            vec(p, &f.params, |p, (n, t)| {
                name(p, n);
                val_type(p, *t);
            });
            result_list(p, f.result);
        }
        Type::Component(decls) => {
            p.push(0x41);
            vec(p, decls, |p, d| match d {
                ComponentDecl::Import(i) => {
                    p.push(0x03);
                    import(p, i);
                }
                ComponentDecl::Instance(d) => instance_decl(p, d),
            });
        }
        Type::Instance(decls) => {
            p.push(0x42);
            vec(p, decls, instance_decl);
        }
        Type::Resource { rep, dtor } => {
            p.push(0x3f);
            wtool_binary::encode_val_type(p, *rep);
            match dtor {
                None => p.push(0x00),
                Some(f) => {
                    p.push(0x01);
                    write_u32(p, *f);
                }
            }
        }
    }
}

fn instance_decl(p: &mut Vec<u8>, d: &InstanceDecl) {
    match d {
        InstanceDecl::CoreType(t) => {
            p.push(0x00);
            core_type(p, t);
        }
        InstanceDecl::Type(t) => {
            p.push(0x01);
            ty(p, t);
        }
        InstanceDecl::Alias(a) => {
            p.push(0x02);
            alias(p, a);
        }
        InstanceDecl::Export { name, ty } => {
            p.push(0x04);
            extern_name(p, name);
            extern_type(p, *ty);
        }
    }
}

fn defined(p: &mut Vec<u8>, d: &DefinedType) {
    match d {
        DefinedType::Prim(t) => p.push(prim_byte(*t)),
        DefinedType::Record(fs) => {
            p.push(0x72);
            vec(p, fs, |p, (n, t)| {
                name(p, n);
                val_type(p, *t);
            });
        }
        DefinedType::Variant(cs) => {
            p.push(0x71);
            vec(p, cs, |p, c| {
                name(p, &c.name);
                opt_val_type(p, c.ty);
                p.push(0x00);
            });
        }
        DefinedType::List(t) => {
            p.push(0x70);
            val_type(p, *t);
        }
        DefinedType::FixedList(t, n) => {
            p.push(0x67);
            val_type(p, *t);
            write_u32(p, *n);
        }
        DefinedType::Map(k, v) => {
            p.push(0x63);
            val_type(p, *k);
            val_type(p, *v);
        }
        DefinedType::Tuple(ts) => {
            p.push(0x6f);
            vec(p, ts, |p, t| val_type(p, *t));
        }
        DefinedType::Flags(ls) => {
            p.push(0x6e);
            vec(p, ls, |p, l| name(p, l));
        }
        DefinedType::Enum(ls) => {
            p.push(0x6d);
            vec(p, ls, |p, l| name(p, l));
        }
        DefinedType::Option(t) => {
            p.push(0x6b);
            val_type(p, *t);
        }
        DefinedType::Result { ok, err } => {
            p.push(0x6a);
            opt_val_type(p, *ok);
            opt_val_type(p, *err);
        }
        DefinedType::Own(i) => {
            p.push(0x69);
            write_u32(p, *i);
        }
        DefinedType::Borrow(i) => {
            p.push(0x68);
            write_u32(p, *i);
        }
        DefinedType::Stream(t) => {
            p.push(0x66);
            opt_val_type(p, *t);
        }
        DefinedType::Future(t) => {
            p.push(0x65);
            opt_val_type(p, *t);
        }
    }
}

fn extern_type(p: &mut Vec<u8>, t: ExternType) {
    let (s, i) = match t {
        ExternType::Module(i) => (Sort::Core(CoreSort::Module), i),
        ExternType::Func(i) => (Sort::Func, i),
        ExternType::Value(v) => {
            sort(p, Sort::Value);
            val_type(p, v);
            return;
        }
        ExternType::Type(TypeBound::Eq(i)) => {
            sort(p, Sort::Type);
            p.push(0x00);
            write_u32(p, i);
            return;
        }
        ExternType::Type(TypeBound::SubResource) => {
            sort(p, Sort::Type);
            p.push(0x01);
            return;
        }
        ExternType::Component(i) => (Sort::Component, i),
        ExternType::Instance(i) => (Sort::Instance, i),
    };
    sort(p, s);
    write_u32(p, i);
}

fn extern_name(p: &mut Vec<u8>, n: &ExternName) {
    let form = if n.attrs.is_empty() { n.form } else { 2 };
    p.push(form);
    name(p, &n.name);
    if form == 2 {
        vec(p, &n.attrs, |p, a| {
            p.push(a.kind());
            name(p, a.value());
        });
    }
}

fn import(p: &mut Vec<u8>, i: &Import) {
    extern_name(p, &i.name);
    extern_type(p, i.ty);
}

fn export(p: &mut Vec<u8>, e: &Export) {
    extern_name(p, &e.name);
    sort(p, e.sort);
    write_u32(p, e.index);
    match e.ty {
        None => p.push(0x00),
        Some(t) => {
            p.push(0x01);
            extern_type(p, t);
        }
    }
}

fn opts(p: &mut Vec<u8>, os: &[CanonOpt]) {
    vec(p, os, |p, o| match *o {
        CanonOpt::StringEncoding(StringEncoding::Utf8) => p.push(0x00),
        CanonOpt::StringEncoding(StringEncoding::Utf16) => p.push(0x01),
        CanonOpt::StringEncoding(StringEncoding::CompactUtf16) => p.push(0x02),
        CanonOpt::Memory(i) => idx_op(p, 0x03, i),
        CanonOpt::Realloc(i) => idx_op(p, 0x04, i),
        CanonOpt::PostReturn(i) => idx_op(p, 0x05, i),
        CanonOpt::Async => p.push(0x06),
        CanonOpt::Callback(i) => idx_op(p, 0x07, i),
        CanonOpt::CoreType(i) => idx_op(p, 0x08, i),
        CanonOpt::Gc => p.push(0x09),
    });
}

fn idx_op(p: &mut Vec<u8>, op: u8, i: u32) {
    p.push(op);
    write_u32(p, i);
}

fn canon(p: &mut Vec<u8>, c: &Canon) {
    match c {
        Canon::Lift { func, opts: o, ty } => {
            p.extend_from_slice(&[0x00, 0x00]);
            write_u32(p, *func);
            opts(p, o);
            write_u32(p, *ty);
        }
        Canon::Lower { func, opts: o } => {
            p.extend_from_slice(&[0x01, 0x00]);
            write_u32(p, *func);
            opts(p, o);
        }
        Canon::Resource { op, ty } => {
            let b = match op {
                ResourceOp::New => 0x02,
                ResourceOp::Drop => 0x03,
                ResourceOp::Rep => 0x04,
            };
            idx_op(p, b, *ty);
        }
        Canon::TaskReturn { result, opts: o } => {
            p.push(0x09);
            result_list(p, *result);
            opts(p, o);
        }
        Canon::Context { set, ty, slot } => {
            p.push(if *set { 0x0b } else { 0x0a });
            wtool_binary::encode_val_type(p, *ty);
            write_u32(p, *slot);
        }
        Canon::Async {
            op,
            ty,
            opts: o,
            is_async,
        } => {
            let (_, byte, _, imm) = op.row();
            idx_op(p, byte, *ty);
            match imm {
                AsyncImm::None => {}
                AsyncImm::Opts => opts(p, o),
                AsyncImm::AsyncFlag => flag(p, *is_async),
            }
        }
        Canon::ErrorContext {
            debug_message,
            opts: o,
        } => {
            p.push(if *debug_message { 0x1d } else { 0x1c });
            opts(p, o);
        }
        Canon::WaitableSet {
            poll,
            cancellable,
            memory,
        } => {
            p.push(if *poll { 0x21 } else { 0x20 });
            flag(p, *cancellable);
            write_u32(p, *memory);
        }
        Canon::Flagged { op, flag: f } => {
            p.push(op.row().1);
            flag(p, *f);
        }
        Canon::Plain(op) => p.push(op.row().1),
        Canon::ThreadNewIndirect { func_ty, table } => {
            idx_op(p, 0x27, *func_ty);
            write_u32(p, *table);
        }
        Canon::Spawn {
            op,
            shared,
            func_ty,
            table,
        } => {
            p.push(match op {
                SpawnOp::SpawnRef => 0x40,
                SpawnOp::SpawnIndirect => 0x41,
                SpawnOp::AvailableParallelism => 0x42,
            });
            flag(p, *shared);
            if *op != SpawnOp::AvailableParallelism {
                write_u32(p, *func_ty);
            }
            if *op == SpawnOp::SpawnIndirect {
                write_u32(p, *table);
            }
        }
    }
}
