//! Definitions: core instances, instances, aliases, canonical definitions,
//! start, exports and values.

use super::types::{extern_name, extern_sort, extern_type, result_list, val_type};
use super::{flag, limited, string, Decoder};
use crate::ast::*;
use crate::error::{DecodeError, ErrorKind, Result};
use wtool_ast::Features;
use wtool_binary::parts;
use wtool_binary::reader::Reader;

impl Decoder {
    pub(crate) fn core_instance(&self, s: &mut Reader<'_>) -> Result<CoreInstance> {
        let at = s.pos();
        Ok(match s.u8()? {
            0x00 => CoreInstance::Instantiate {
                module: s.u32()?,
                args: limited(s, 100_000, "core instantiation arguments", |s| {
                    let name = string(s)?;
                    let at = s.pos();
                    match s.u8()? {
                        0x12 => Ok((name, s.u32()?)),
                        b => Err(DecodeError::leading(at, b, "instantiation arg kind")),
                    }
                })?,
            },
            0x01 => CoreInstance::FromExports(limited(
                s,
                100_000,
                "core instantiation arguments",
                |s| {
                    let name = string(s)?;
                    let at = s.pos();
                    let b = s.u8()?;
                    let sort = core_extern_sort(b)
                        .ok_or_else(|| DecodeError::leading(at, b, "external kind"))?;
                    Ok(CoreInlineExport {
                        name,
                        sort,
                        index: s.u32()?,
                    })
                },
            )?),
            b => return Err(DecodeError::leading(at, b, "core instance")),
        })
    }

    pub(crate) fn instance(&self, s: &mut Reader<'_>) -> Result<Instance> {
        let at = s.pos();
        Ok(match s.u8()? {
            0x00 => Instance::Instantiate {
                component: s.u32()?,
                args: limited(s, 100_000, "instantiation arguments", |s| {
                    Ok(InstantiateArg {
                        name: string(s)?,
                        sort: extern_sort(s)?,
                        index: s.u32()?,
                    })
                })?,
            },
            0x01 => Instance::FromExports(limited(s, 100_000, "instantiation exports", |s| {
                Ok(InlineExport {
                    name: extern_name(s, self.features)?,
                    sort: extern_sort(s)?,
                    index: s.u32()?,
                })
            })?),
            b => return Err(DecodeError::leading(at, b, "instance")),
        })
    }

    pub(crate) fn canon(&self, s: &mut Reader<'_>) -> Result<Canon> {
        let at = s.pos();
        let op = s.u8()?;
        Ok(match op {
            0x00 | 0x01 => {
                let at = s.pos();
                let b = s.u8()?;
                if b != 0 {
                    let what = if op == 0 {
                        "canonical function lift"
                    } else {
                        "canonical function lower"
                    };
                    return Err(DecodeError::leading(at, b, what));
                }
                let func = s.u32()?;
                let opts = opts(s)?;
                if op == 0 {
                    Canon::Lift {
                        func,
                        opts,
                        ty: s.u32()?,
                    }
                } else {
                    Canon::Lower { func, opts }
                }
            }
            0x02..=0x04 => Canon::Resource {
                op: [ResourceOp::New, ResourceOp::Drop, ResourceOp::Rep][op as usize - 2],
                ty: s.u32()?,
            },
            0x09 => Canon::TaskReturn {
                result: result_list(s)?,
                opts: opts(s)?,
            },
            0x0a | 0x0b => Canon::Context {
                set: op == 0x0b,
                ty: parts::val_type(s, self.features)?,
                slot: s.u32()?,
            },
            0x1c | 0x1d => Canon::ErrorContext {
                debug_message: op == 0x1d,
                opts: opts(s)?,
            },
            0x20 | 0x21 => Canon::WaitableSet {
                poll: op == 0x21,
                cancellable: flag(s)?,
                memory: s.u32()?,
            },
            0x27 => Canon::ThreadNewIndirect {
                func_ty: s.u32()?,
                table: s.u32()?,
            },
            0x40..=0x42 => {
                let shared = flag(s)?;
                let func_ty = if op < 0x42 { s.u32()? } else { 0 };
                let table = if op == 0x41 { s.u32()? } else { 0 };
                let op = [
                    SpawnOp::SpawnRef,
                    SpawnOp::SpawnIndirect,
                    SpawnOp::AvailableParallelism,
                ][op as usize - 0x40];
                Canon::Spawn {
                    op,
                    shared,
                    func_ty,
                    table,
                }
            }
            _ => {
                if let Some(&(op, _, _, imm)) = AsyncOp::ALL.iter().find(|r| r.1 == op) {
                    let ty = s.u32()?;
                    let (opts, is_async) = match imm {
                        AsyncImm::None => (Vec::new(), false),
                        AsyncImm::Opts => (opts(s)?, false),
                        AsyncImm::AsyncFlag => (Vec::new(), flag(s)?),
                    };
                    Canon::Async {
                        op,
                        ty,
                        opts,
                        is_async,
                    }
                } else if let Some(&(op, _, _)) = FlagOp::ALL.iter().find(|r| r.1 == op) {
                    Canon::Flagged { op, flag: flag(s)? }
                } else if let Some(&(op, _, _)) = PlainOp::ALL.iter().find(|r| r.1 == op) {
                    Canon::Plain(op)
                } else {
                    return Err(DecodeError::leading(at, op, "canonical function"));
                }
            }
        })
    }
}

/// The core sort of a core instance's inline export (`core:externtype`
/// kinds only).
fn core_extern_sort(b: u8) -> Option<CoreSort> {
    Some(match b {
        0x00 => CoreSort::Func,
        0x01 => CoreSort::Table,
        0x02 => CoreSort::Memory,
        0x03 => CoreSort::Global,
        0x04 => CoreSort::Tag,
        _ => return None,
    })
}

/// A vector of canonical options.
fn opts(s: &mut Reader<'_>) -> Result<Vec<CanonOpt>> {
    limited(s, 10, "canonical options", |s| {
        let at = s.pos();
        Ok(match s.u8()? {
            0x00 => CanonOpt::StringEncoding(StringEncoding::Utf8),
            0x01 => CanonOpt::StringEncoding(StringEncoding::Utf16),
            0x02 => CanonOpt::StringEncoding(StringEncoding::CompactUtf16),
            0x03 => CanonOpt::Memory(s.u32()?),
            0x04 => CanonOpt::Realloc(s.u32()?),
            0x05 => CanonOpt::PostReturn(s.u32()?),
            0x06 => CanonOpt::Async,
            0x07 => CanonOpt::Callback(s.u32()?),
            0x08 => CanonOpt::CoreType(s.u32()?),
            0x09 => CanonOpt::Gc,
            b => return Err(DecodeError::leading(at, b, "canonical option")),
        })
    })
}

/// An alias: the sort, then export of an instance, export of a core
/// instance, or outer.
pub(crate) fn alias(s: &mut Reader<'_>) -> Result<Alias> {
    let sort_at = s.pos();
    let b1 = s.u8()?;
    let b2 = if b1 == 0 { Some(s.u8()?) } else { None };
    // The byte a bad sort is reported by: the core sort byte when there is one.
    let (bad, bad_at) = match b2 {
        Some(b) => (b, sort_at + 1),
        None => (b1, sort_at),
    };
    let at = s.pos();
    Ok(match s.u8()? {
        0x00 => {
            let sort = match (b1, b2) {
                (0, Some(0x11)) => Sort::Core(CoreSort::Module),
                (1, _) => Sort::Func,
                (2, _) => Sort::Value,
                (3, _) => Sort::Type,
                (4, _) => Sort::Component,
                (5, _) => Sort::Instance,
                _ => return Err(DecodeError::leading(bad_at, bad, "component external kind")),
            };
            Alias::InstanceExport {
                sort,
                instance: s.u32()?,
                name: string(s)?,
            }
        }
        0x01 => {
            let Some(b2) = b2 else {
                return Err(DecodeError::leading(
                    sort_at,
                    b1,
                    "core instance export kind",
                ));
            };
            let sort = match core_extern_sort(b2) {
                Some(k) => k,
                None if b2 == 0x20 => {
                    return Err(DecodeError::new(sort_at, ErrorKind::ExactCoreAlias));
                }
                None => return Err(DecodeError::leading(bad_at, b2, "external kind")),
            };
            Alias::CoreInstanceExport {
                sort,
                instance: s.u32()?,
                name: string(s)?,
            }
        }
        0x02 => {
            let sort = match (b1, b2) {
                (0, Some(0x10)) => Sort::Core(CoreSort::Type),
                (0, Some(0x11)) => Sort::Core(CoreSort::Module),
                (3, _) => Sort::Type,
                (4, _) => Sort::Component,
                _ => {
                    return Err(DecodeError::leading(
                        bad_at,
                        bad,
                        "component outer alias kind",
                    ))
                }
            };
            Alias::Outer {
                sort,
                count: s.u32()?,
                index: s.u32()?,
            }
        }
        b => return Err(DecodeError::leading(at, b, "alias")),
    })
}

/// The start definition.
pub(crate) fn start(s: &mut Reader<'_>) -> Result<Start> {
    let func = s.u32()?;
    let args = limited(s, 1000, "start function arguments", |s| Ok(s.u32()?))?;
    let at = s.pos();
    let results = s.u32()?;
    if results > 1000 {
        return Err(DecodeError::new(
            at,
            ErrorKind::TooMany {
                what: "start function results",
            },
        ));
    }
    Ok(Start {
        func,
        args,
        results,
    })
}

/// An export: name, sort and index, and an optional ascribed type.
pub(crate) fn export(s: &mut Reader<'_>, features: Features) -> Result<Export> {
    let name = extern_name(s, features)?;
    let sort = extern_sort(s)?;
    let index = s.u32()?;
    let at = s.pos();
    let ty = match s.u8()? {
        0x00 => None,
        0x01 => Some(extern_type(s)?),
        b => {
            return Err(DecodeError::leading(
                at,
                b,
                "optional component export type",
            ))
        }
    };
    Ok(Export {
        name,
        sort,
        index,
        ty,
    })
}

/// A value: its type and its encoded bytes.
pub(crate) fn value(s: &mut Reader<'_>) -> Result<Value> {
    let ty = val_type(s)?;
    let len = s.len32()?;
    Ok(Value {
        ty,
        bytes: s.bytes(len)?.to_vec(),
    })
}
