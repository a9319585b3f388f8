//! Canonical definitions: lifting, lowering and the built-ins, with their
//! options.

use wtool_component::ast::{
    AsyncImm, AsyncOp, Canon, CanonOpt, CoreSort, FlagOp, PlainOp, ResourceOp, Sort, SpawnOp,
    StringEncoding,
};

use super::fields::{self, named, Scope};
use super::types::{comp_type_use, val_type};
use super::{Def, Item};
use crate::error::Result;
use crate::parser::Parser;

/// After `(canon lift`: `(core func ref) opts`, up to the `(func` or `)`.
pub(crate) fn lift_rest(p: &mut Parser<'_>, it: &mut Item) -> Result<(u32, Vec<CanonOpt>)> {
    let r = fields::core_ref(p, CoreSort::Func)?;
    let func = it.r(r);
    let opts = canon_opts(p, it)?;
    Ok((func, opts))
}

/// Canonical options, up to anything that is not one.
fn canon_opts(p: &mut Parser<'_>, it: &mut Item) -> Result<Vec<CanonOpt>> {
    let mut opts = Vec::new();
    loop {
        let o = match p.peek_kw() {
            Some("string-encoding=utf8") => CanonOpt::StringEncoding(StringEncoding::Utf8),
            Some("string-encoding=utf16") => CanonOpt::StringEncoding(StringEncoding::Utf16),
            Some("string-encoding=latin1+utf16") => {
                CanonOpt::StringEncoding(StringEncoding::CompactUtf16)
            }
            Some("async") => CanonOpt::Async,
            Some("gc") => CanonOpt::Gc,
            _ => {
                let Some(kw) = p.peek_lparen_kw() else {
                    return Ok(opts);
                };
                let cs = match kw {
                    "memory" => CoreSort::Memory,
                    "realloc" | "post-return" | "callback" => CoreSort::Func,
                    "core-type" => CoreSort::Type,
                    _ => return Ok(opts),
                };
                p.pos += 2;
                let h = it.r(fields::core_ref(p, cs)?);
                p.expect_rparen()?;
                opts.push(match kw {
                    "memory" => CanonOpt::Memory(h),
                    "realloc" => CanonOpt::Realloc(h),
                    "post-return" => CanonOpt::PostReturn(h),
                    "callback" => CanonOpt::Callback(h),
                    _ => CanonOpt::CoreType(h),
                });
                continue;
            }
        };
        p.pos += 1;
        opts.push(o);
    }
}

/// A type reference as built-ins write it: `$t` or `(type $t)`.
fn type_ref(p: &mut Parser<'_>, it: &mut Item) -> Result<u32> {
    let r = fields::comp_ref(p, Sort::Type)?;
    Ok(it.r(r))
}

/// After `canon` (standalone when `standalone` is set, else inside `(core
/// func …)`): the definition, and for a standalone one its `(func …)` or
/// `(core func …)` naming the result.
pub(crate) fn canon_body(
    p: &mut Parser<'_>,
    s: &mut Scope,
    off: u32,
    standalone: Option<()>,
) -> Result<Item> {
    let mut it = Item::blank(off);
    let Some(kw) = p.peek_kw() else {
        return Err(p.unexpected("a canonical definition"));
    };
    p.pos += 1;
    let canon = match kw {
        "lift" if standalone.is_some() => {
            let mut tmp = Item::blank(off);
            let (func, opts) = lift_rest(p, &mut tmp)?;
            if !p.eat_lparen_kw("func") {
                return Err(p.unexpected("`(func`"));
            }
            named(p, &mut it)?;
            // wast resolves the type before the function and options.
            let ty = comp_type_use(p, s, &mut it, Sort::Func)?;
            p.expect_rparen()?;
            let shift = it.refs.len() as u32;
            it.refs.append(&mut tmp.refs);
            let opts = opts.into_iter().map(|o| shift_opt(o, shift)).collect();
            return Ok(Item {
                def: Def::Canon(Canon::Lift {
                    func: func + shift,
                    opts,
                    ty,
                }),
                ..it
            });
        }
        "lower" => {
            let r = fields::comp_ref(p, Sort::Func)?;
            let func = it.r(r);
            Canon::Lower {
                func,
                opts: canon_opts(p, &mut it)?,
            }
        }
        "resource.new" | "resource.drop" | "resource.rep" => {
            let op = match kw {
                "resource.new" => ResourceOp::New,
                "resource.drop" => ResourceOp::Drop,
                _ => ResourceOp::Rep,
            };
            Canon::Resource {
                op,
                ty: type_ref(p, &mut it)?,
            }
        }
        "task.return" => {
            let mut result = None;
            if p.eat_lparen_kw("result") {
                result = Some(val_type(p, s, &mut it)?);
                p.expect_rparen()?;
            }
            Canon::TaskReturn {
                result,
                opts: canon_opts(p, &mut it)?,
            }
        }
        "context.get" | "context.set" => {
            let ty = p.val_type()?;
            let slot = p.u32()?;
            Canon::Context {
                set: kw == "context.set",
                ty,
                slot,
            }
        }
        "error-context.new" | "error-context.debug-message" => Canon::ErrorContext {
            debug_message: kw != "error-context.new",
            opts: canon_opts(p, &mut it)?,
        },
        "waitable-set.wait" | "waitable-set.poll" => {
            // The reference tests (async/cancellable.wast) write
            // `cancellable` before the memory; wat 1.263 no longer takes it,
            // but the binary format has the flag, so it is read here too.
            let cancellable = p.peek_kw() == Some("cancellable");
            if cancellable {
                p.pos += 1;
            }
            if !p.eat_lparen_kw("memory") {
                return Err(p.unexpected("`(memory`"));
            }
            let memory = it.r(fields::core_ref(p, CoreSort::Memory)?);
            p.expect_rparen()?;
            Canon::WaitableSet {
                poll: kw == "waitable-set.poll",
                cancellable,
                memory,
            }
        }
        // Encoded with the reference tests' `shared` byte (wtool_component's
        // choice), which wat 1.263 does not write.
        "thread.spawn-ref" | "thread.spawn-indirect" | "thread.available-parallelism" => {
            let (op, mut func_ty, mut table) = (SpawnOp::AvailableParallelism, 0, 0);
            let op = match kw {
                "thread.spawn-ref" => SpawnOp::SpawnRef,
                "thread.spawn-indirect" => SpawnOp::SpawnIndirect,
                _ => op,
            };
            if op != SpawnOp::AvailableParallelism {
                func_ty = it.r(fields::core_ref(p, CoreSort::Type)?);
            }
            if op == SpawnOp::SpawnIndirect {
                table = it.r(fields::core_ref(p, CoreSort::Table)?);
            }
            Canon::Spawn {
                op,
                shared: false,
                func_ty,
                table,
            }
        }
        "thread.new-indirect" => {
            let func_ty = it.r(fields::core_ref(p, CoreSort::Type)?);
            let table = it.r(fields::core_ref(p, CoreSort::Table)?);
            Canon::ThreadNewIndirect { func_ty, table }
        }
        _ => {
            if let Some(row) = AsyncOp::ALL.iter().find(|r| r.2 == kw) {
                let ty = type_ref(p, &mut it)?;
                let (mut opts, mut is_async) = (Vec::new(), false);
                match row.3 {
                    AsyncImm::None => {}
                    AsyncImm::Opts => opts = canon_opts(p, &mut it)?,
                    AsyncImm::AsyncFlag => {
                        is_async = p.peek_kw() == Some("async");
                        if is_async {
                            p.pos += 1;
                        }
                    }
                }
                Canon::Async {
                    op: row.0,
                    ty,
                    opts,
                    is_async,
                }
            } else if let Some(row) = FlagOp::ALL.iter().find(|r| r.2 == kw) {
                // subtask.cancel takes `async`, the thread built-ins
                // `cancellable` (as the reference tests write them; wat
                // 1.263 refuses the latter).
                let word = if row.0 == FlagOp::SubtaskCancel {
                    "async"
                } else {
                    "cancellable"
                };
                let flag = p.peek_kw() == Some(word);
                if flag {
                    p.pos += 1;
                }
                Canon::Flagged { op: row.0, flag }
            } else if let Some(row) = PlainOp::ALL.iter().find(|r| r.2 == kw) {
                Canon::Plain(row.0)
            } else {
                p.pos -= 1;
                return Err(p.unexpected("a canonical definition"));
            }
        }
    };
    if standalone.is_some() {
        if !p.eat_lparen_kw("core") {
            return Err(p.unexpected("`(core func`"));
        }
        if p.peek_kw() != Some("func") {
            return Err(p.unexpected("`func`"));
        }
        p.pos += 1;
        named(p, &mut it)?;
        p.expect_rparen()?;
    }
    it.def = Def::Canon(canon);
    Ok(it)
}

fn shift_opt(o: CanonOpt, by: u32) -> CanonOpt {
    match o {
        CanonOpt::Memory(h) => CanonOpt::Memory(h + by),
        CanonOpt::Realloc(h) => CanonOpt::Realloc(h + by),
        CanonOpt::PostReturn(h) => CanonOpt::PostReturn(h + by),
        CanonOpt::Callback(h) => CanonOpt::Callback(h + by),
        CanonOpt::CoreType(h) => CanonOpt::CoreType(h + by),
        o => o,
    }
}
