//! One-line text for each component definition in a dump: the text
//! format's keywords with numeric indices (no names), e.g.
//! `(record (field "x" u32))` or `(canon lift (core func 3) (memory 0) (type 5))`.

use wtool_component::ast::*;

/// A string literal.
fn q(s: &str) -> String {
    format!("{s:?}")
}

/// A primitive's keyword.
pub fn prim(p: PrimValType) -> &'static str {
    p.name()
}

/// A value type: a primitive keyword or a type index.
pub fn val(t: ValType) -> String {
    match t {
        ValType::Prim(p) => prim(p).to_string(),
        ValType::Idx(i) => i.to_string(),
    }
}

fn core_sort(s: CoreSort) -> &'static str {
    s.name()
}

/// A sort's keyword(s): `func`, `core module`…
pub fn sort_name(s: Sort) -> &'static str {
    match s {
        Sort::Core(CoreSort::Module) => "core module",
        Sort::Core(CoreSort::Type) => "core type",
        Sort::Core(CoreSort::Func) => "core func",
        Sort::Core(CoreSort::Instance) => "core instance",
        Sort::Core(c) => core_sort(c),
        Sort::Func => "func",
        Sort::Value => "value",
        Sort::Type => "type",
        Sort::Component => "component",
        Sort::Instance => "instance",
    }
}

/// `(core instance (instantiate 0 (with "a" (instance 1))))` and its kind.
pub fn core_instance(i: &CoreInstance) -> (&'static str, String) {
    match i {
        CoreInstance::Instantiate { module, args } => {
            let a: String = args
                .iter()
                .map(|(n, i)| format!(" (with {} (instance {i}))", q(n)))
                .collect();
            (
                "instantiate",
                format!("(core instance (instantiate {module}{a}))"),
            )
        }
        CoreInstance::FromExports(es) => {
            let e: String = es
                .iter()
                .map(|e| {
                    format!(
                        " (export {} ({} {}))",
                        q(&e.name),
                        core_sort(e.sort),
                        e.index
                    )
                })
                .collect();
            ("exports", format!("(core instance{e})"))
        }
    }
}

/// `(instance (instantiate 0 (with "a" (func 1))))` and its kind.
pub fn instance(i: &Instance) -> (&'static str, String) {
    match i {
        Instance::Instantiate { component, args } => {
            let a: String = args
                .iter()
                .map(|a| format!(" (with {} ({} {}))", q(&a.name), sort_name(a.sort), a.index))
                .collect();
            (
                "instantiate",
                format!("(instance (instantiate {component}{a}))"),
            )
        }
        Instance::FromExports(es) => {
            let e: String = es
                .iter()
                .map(|e| {
                    format!(
                        " (export {} ({} {}))",
                        q(&e.name.name),
                        sort_name(e.sort),
                        e.index
                    )
                })
                .collect();
            ("exports", format!("(instance{e})"))
        }
    }
}

/// `(alias export 0 "f" (func))` and its kind.
pub fn alias(a: &Alias) -> (&'static str, String) {
    match a {
        Alias::InstanceExport {
            sort,
            instance,
            name,
        } => (
            "export",
            format!(
                "(alias export {instance} {} ({}))",
                q(name),
                sort_name(*sort)
            ),
        ),
        Alias::CoreInstanceExport {
            sort,
            instance,
            name,
        } => (
            "core export",
            format!(
                "(alias core export {instance} {} ({}))",
                q(name),
                sort_name(Sort::Core(*sort))
            ),
        ),
        Alias::Outer { sort, count, index } => (
            "outer",
            format!("(alias outer {count} {index} ({}))", sort_name(*sort)),
        ),
    }
}

/// A core type: `func`, `struct`, `array`, `rec` or `module`, and its text.
pub fn core_type(t: &CoreType) -> (&'static str, String) {
    match t {
        CoreType::Rec(r) => {
            let kind = match (r.explicit, r.types.first().map(|t| &t.composite)) {
                (true, _) => "rec",
                (false, Some(wtool_ast::CompositeType::Func(_))) => "func",
                (false, Some(wtool_ast::CompositeType::Struct(_))) => "struct",
                _ => "array",
            };
            let ts: Vec<String> = r
                .types
                .iter()
                .map(|t| format!("{:?}", t.composite))
                .collect();
            (kind, format!("(core type {})", ts.join(" ")))
        }
        CoreType::Module(decls) => (
            "module",
            format!("(core type (module ({} declarations)))", decls.len()),
        ),
    }
}

fn opt_val(t: Option<ValType>) -> String {
    t.map(|t| format!(" {}", val(t))).unwrap_or_default()
}

/// A type definition's kind (`record`, `func`, `instance`…) and text.
pub fn ty(t: &Type) -> (&'static str, String) {
    match t {
        Type::Defined(d) => defined(d),
        Type::Func(f) => {
            let p: String = f
                .params
                .iter()
                .map(|(n, t)| format!(" (param {} {})", q(n), val(*t)))
                .collect();
            let r = f
                .result
                .map(|t| format!(" (result {})", val(t)))
                .unwrap_or_default();
            let a = if f.is_async { " async" } else { "" };
            ("func", format!("(func{a}{p}{r})"))
        }
        Type::Component(decls) => (
            "component",
            format!("(component ({} declarations))", decls.len()),
        ),
        Type::Instance(decls) => (
            "instance",
            format!("(instance ({} declarations))", decls.len()),
        ),
        Type::Resource { rep, dtor } => {
            let d = dtor
                .map(|f| format!(" (dtor (core func {f}))"))
                .unwrap_or_default();
            ("resource", format!("(resource (rep {rep}){d})"))
        }
    }
}

fn defined(d: &DefinedType) -> (&'static str, String) {
    let list = |ls: &[String]| ls.iter().map(|l| format!(" {}", q(l))).collect::<String>();
    match d {
        DefinedType::Prim(p) => ("primitive", prim(*p).to_string()),
        DefinedType::Record(fs) => {
            let f: String = fs
                .iter()
                .map(|(n, t)| format!(" (field {} {})", q(n), val(*t)))
                .collect();
            ("record", format!("(record{f})"))
        }
        DefinedType::Variant(cs) => {
            let c: String = cs
                .iter()
                .map(|c| format!(" (case {}{})", q(&c.name), opt_val(c.ty)))
                .collect();
            ("variant", format!("(variant{c})"))
        }
        DefinedType::List(t) => ("list", format!("(list {})", val(*t))),
        DefinedType::FixedList(t, n) => ("list", format!("(list {} {n})", val(*t))),
        DefinedType::Map(k, v) => ("map", format!("(map {} {})", val(*k), val(*v))),
        DefinedType::Tuple(ts) => (
            "tuple",
            format!(
                "(tuple{})",
                ts.iter()
                    .map(|t| format!(" {}", val(*t)))
                    .collect::<String>()
            ),
        ),
        DefinedType::Flags(ls) => ("flags", format!("(flags{})", list(ls))),
        DefinedType::Enum(ls) => ("enum", format!("(enum{})", list(ls))),
        DefinedType::Option(t) => ("option", format!("(option {})", val(*t))),
        DefinedType::Result { ok, err } => {
            let e = err
                .map(|t| format!(" (error {})", val(t)))
                .unwrap_or_default();
            ("result", format!("(result{}{e})", opt_val(*ok)))
        }
        DefinedType::Own(i) => ("own", format!("(own {i})")),
        DefinedType::Borrow(i) => ("borrow", format!("(borrow {i})")),
        DefinedType::Stream(t) => ("stream", format!("(stream{})", opt_val(*t))),
        DefinedType::Future(t) => ("future", format!("(future{})", opt_val(*t))),
    }
}

fn opts(os: &[CanonOpt]) -> String {
    os.iter()
        .map(|o| match o {
            CanonOpt::StringEncoding(StringEncoding::Utf8) => " string-encoding=utf8".to_string(),
            CanonOpt::StringEncoding(StringEncoding::Utf16) => " string-encoding=utf16".to_string(),
            CanonOpt::StringEncoding(StringEncoding::CompactUtf16) => {
                " string-encoding=latin1+utf16".to_string()
            }
            CanonOpt::Memory(m) => format!(" (memory {m})"),
            CanonOpt::Realloc(f) => format!(" (realloc {f})"),
            CanonOpt::PostReturn(f) => format!(" (post-return {f})"),
            CanonOpt::Async => " async".to_string(),
            CanonOpt::Callback(f) => format!(" (callback {f})"),
            CanonOpt::CoreType(t) => format!(" (core-type {t})"),
            CanonOpt::Gc => " gc".to_string(),
        })
        .collect()
}

/// A canonical definition's built-in name (`lift`, `resource.new`…) and text.
pub fn canon(c: &Canon) -> (String, String) {
    let (k, rest) = match c {
        Canon::Lift { func, opts: o, ty } => (
            "lift".to_string(),
            format!(" (core func {func}){} (type {ty})", opts(o)),
        ),
        Canon::Lower { func, opts: o } => {
            ("lower".to_string(), format!(" (func {func}){}", opts(o)))
        }
        Canon::Resource { op, ty } => {
            let n = match op {
                ResourceOp::New => "resource.new",
                ResourceOp::Drop => "resource.drop",
                ResourceOp::Rep => "resource.rep",
            };
            (n.to_string(), format!(" {ty}"))
        }
        Canon::TaskReturn { result, opts: o } => {
            let r = result
                .map(|t| format!(" (result {})", val(t)))
                .unwrap_or_default();
            ("task.return".to_string(), format!("{r}{}", opts(o)))
        }
        Canon::Context { set, ty, slot } => (
            if *set { "context.set" } else { "context.get" }.to_string(),
            format!(" {ty} {slot}"),
        ),
        Canon::Async {
            op,
            ty,
            opts: o,
            is_async,
        } => {
            let a = if *is_async { " async" } else { "" };
            (op.row().2.to_string(), format!(" {ty}{}{a}", opts(o)))
        }
        Canon::ErrorContext {
            debug_message,
            opts: o,
        } => (
            if *debug_message {
                "error-context.debug-message"
            } else {
                "error-context.new"
            }
            .to_string(),
            opts(o),
        ),
        Canon::WaitableSet {
            poll,
            cancellable,
            memory,
        } => {
            let c = if *cancellable { " cancellable" } else { "" };
            (
                if *poll {
                    "waitable-set.poll"
                } else {
                    "waitable-set.wait"
                }
                .to_string(),
                format!("{c} (memory {memory})"),
            )
        }
        Canon::Flagged { op, flag } => {
            let f = match (op, flag) {
                (FlagOp::SubtaskCancel, true) => " async",
                (_, true) => " cancellable",
                _ => "",
            };
            (op.row().2.to_string(), f.to_string())
        }
        Canon::Plain(op) => (op.row().2.to_string(), String::new()),
        Canon::ThreadNewIndirect { func_ty, table } => (
            "thread.new-indirect".to_string(),
            format!(" {func_ty} (table {table})"),
        ),
        Canon::Spawn {
            op,
            shared,
            func_ty,
            table,
        } => {
            let s = if *shared { " shared" } else { "" };
            match op {
                SpawnOp::SpawnRef => ("thread.spawn-ref".to_string(), format!("{s} {func_ty}")),
                SpawnOp::SpawnIndirect => (
                    "thread.spawn-indirect".to_string(),
                    format!("{s} {func_ty} (table {table})"),
                ),
                SpawnOp::AvailableParallelism => {
                    ("thread.available-parallelism".to_string(), s.to_string())
                }
            }
        }
    };
    let text = format!("(canon {k}{rest})");
    (k, text)
}

/// `(start 3 (value 0) (result (value)))`.
pub fn start(s: &Start) -> String {
    let a: String = s.args.iter().map(|v| format!(" (value {v})")).collect();
    let r: String = (0..s.results).map(|_| " (result (value))").collect();
    format!("(start {}{a}{r})", s.func)
}

/// The sort an `externtype` describes.
pub fn extern_kind(t: &ExternType) -> &'static str {
    match t {
        ExternType::Module(_) => "core module",
        ExternType::Func(_) => "func",
        ExternType::Value(_) => "value",
        ExternType::Type(_) => "type",
        ExternType::Component(_) => "component",
        ExternType::Instance(_) => "instance",
    }
}

/// `(func (type 3))`, `(type (sub resource))`…
pub fn extern_type(t: &ExternType) -> String {
    match t {
        ExternType::Module(i) => format!("(core module (type {i}))"),
        ExternType::Func(i) => format!("(func (type {i}))"),
        ExternType::Value(v) => format!("(value {})", val(*v)),
        ExternType::Type(TypeBound::Eq(i)) => format!("(type (eq {i}))"),
        ExternType::Type(TypeBound::SubResource) => "(type (sub resource))".to_string(),
        ExternType::Component(i) => format!("(component (type {i}))"),
        ExternType::Instance(i) => format!("(instance (type {i}))"),
    }
}

/// `(export "name" (func 3))`, with its ascribed type if any.
pub fn export(e: &Export) -> String {
    let t =
        e.ty.as_ref()
            .map(|t| format!(" {}", extern_type(t)))
            .unwrap_or_default();
    format!(
        "(export {} ({} {}){t})",
        q(&e.name.name),
        sort_name(e.sort),
        e.index
    )
}
