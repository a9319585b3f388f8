//! Types: core types and module types, component types and their
//! declarations, value types, `externtype`s, names and imports.

use super::{limited, string, Decoder, MAX_NESTING};
use crate::ast::*;
use crate::error::{DecodeError, ErrorKind, Result};
use wtool_ast::Features;
use wtool_binary::parts;
use wtool_binary::reader::Reader;

impl Decoder {
    /// A core type: a recursion group, a subtype, or a module type.
    pub(crate) fn core_type(&self, s: &mut Reader<'_>) -> Result<CoreType> {
        let at = s.pos();
        match s.u8()? {
            // A non-final subtype's 0x50 would read as a module type, so
            // here it comes after a 0x00.
            0x00 => {
                let at = s.pos();
                match s.u8()? {
                    0x50 => Ok(CoreType::Rec(self.core_rec(s, 0x50, at)?)),
                    b => Err(DecodeError::new(at, ErrorKind::NonFinalSubType(b))),
                }
            }
            0x50 => Ok(CoreType::Module(limited(
                s,
                100_000,
                "module type declaration",
                |s| self.module_decl(s),
            )?)),
            b => Ok(CoreType::Rec(self.core_rec(s, b, at)?)),
        }
    }

    /// A recursion group or subtype whose first byte `first` (at `at`) is
    /// read. A bad composite-type byte is reported as wasm-tools does, as
    /// an invalid leading byte for a type.
    fn core_rec(&self, s: &mut Reader<'_>, first: u8, at: usize) -> Result<CoreRec> {
        let before = s.clone();
        match parts::rec_type(s, self.features, first, at) {
            Ok((types, explicit)) => Ok(CoreRec { types, explicit }),
            Err(e) if *e.kind() == wtool_binary::ErrorKind::MalformedDefinitionType => {
                let byte = if e.offset() == at {
                    Some(first)
                } else {
                    byte_at(&before, e.offset())
                };
                match byte {
                    Some(b) => Err(DecodeError::leading(e.offset(), b, "type")),
                    None => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    fn module_decl(&self, s: &mut Reader<'_>) -> Result<ModuleDecl> {
        let at = s.pos();
        Ok(match s.u8()? {
            0x00 => ModuleDecl::Import(parts::import(s, self.features)?),
            0x01 => {
                let at = s.pos();
                let b = s.u8()?;
                ModuleDecl::Type(self.core_rec(s, b, at)?)
            }
            0x02 => {
                let at = s.pos();
                let kind = s.u8()?;
                if kind != 0x10 {
                    return Err(DecodeError::leading(at, kind, "outer alias kind"));
                }
                let at = s.pos();
                let target = s.u8()?;
                if target != 0x01 {
                    return Err(DecodeError::leading(at, target, "outer alias target"));
                }
                ModuleDecl::OuterAlias {
                    count: s.u32()?,
                    index: s.u32()?,
                }
            }
            0x03 => {
                let name = string(s)?;
                let (desc, exact) = parts::extern_desc(s, self.features)?;
                ModuleDecl::Export { name, desc, exact }
            }
            b => return Err(DecodeError::leading(at, b, "type definition")),
        })
    }

    /// A component type definition, `depth` component/instance types deep.
    pub(crate) fn ty(&self, s: &mut Reader<'_>, depth: u32) -> Result<Type> {
        let at = s.pos();
        Ok(match s.u8()? {
            0x3f => Type::Resource {
                rep: parts::val_type(s, self.features)?,
                dtor: {
                    let at = s.pos();
                    match s.u8()? {
                        0x00 => None,
                        0x01 => Some(s.u32()?),
                        b => return Err(DecodeError::leading(at, b, "resource destructor")),
                    }
                },
            },
            b @ (0x40 | 0x43) => Type::Func(FuncType {
                is_async: b == 0x43,
                params: limited(s, 1000, "component function parameters", |s| {
                    Ok((string(s)?, val_type(s)?))
                })?,
                result: result_list(s)?,
            }),
            0x41 => {
                nesting(s, depth)?;
                Type::Component(limited(s, 1_000_000, "component type declarations", |s| {
                    self.component_decl(s, depth + 1)
                })?)
            }
            0x42 => {
                nesting(s, depth)?;
                Type::Instance(limited(s, 1_000_000, "instance type declarations", |s| {
                    self.instance_decl(s, depth + 1)
                })?)
            }
            b => Type::Defined(defined_type(s, b, at)?),
        })
    }

    fn component_decl(&self, s: &mut Reader<'_>, depth: u32) -> Result<ComponentDecl> {
        if s.peek() == Some(0x03) {
            s.u8()?;
            return Ok(ComponentDecl::Import(import(s, self.features)?));
        }
        Ok(ComponentDecl::Instance(self.instance_decl(s, depth)?))
    }

    fn instance_decl(&self, s: &mut Reader<'_>, depth: u32) -> Result<InstanceDecl> {
        let at = s.pos();
        Ok(match s.u8()? {
            0x00 => InstanceDecl::CoreType(self.core_type(s)?),
            0x01 => InstanceDecl::Type(self.ty(s, depth)?),
            0x02 => InstanceDecl::Alias(super::items::alias(s)?),
            0x04 => InstanceDecl::Export {
                name: extern_name(s, self.features)?,
                ty: extern_type(s)?,
            },
            b => {
                return Err(DecodeError::leading(
                    at,
                    b,
                    "component or instance type declaration",
                ))
            }
        })
    }
}

/// Refuses component/instance types nested past [`MAX_NESTING`].
fn nesting(s: &Reader<'_>, depth: u32) -> Result<()> {
    if depth >= MAX_NESTING {
        return Err(DecodeError::new(
            s.pos(),
            ErrorKind::TooDeep {
                what: "component type",
            },
        ));
    }
    Ok(())
}

/// The primitive type a byte stands for.
pub(crate) fn prim(b: u8) -> Option<PrimValType> {
    use PrimValType::*;
    Some(match b {
        0x7f => Bool,
        0x7e => S8,
        0x7d => U8,
        0x7c => S16,
        0x7b => U16,
        0x7a => S32,
        0x79 => U32,
        0x78 => S64,
        0x77 => U64,
        0x76 => F32,
        0x75 => F64,
        0x74 => Char,
        0x73 => String,
        0x64 => ErrorContext,
        _ => return None,
    })
}

/// A value type: a primitive byte, or a type index written as a
/// non-negative s33 (so it cannot be mistaken for a primitive).
pub(crate) fn val_type(s: &mut Reader<'_>) -> Result<ValType> {
    let at = s.pos();
    let b = s
        .peek()
        .ok_or_else(|| DecodeError::new(at, ErrorKind::UnexpectedEof))?;
    if let Some(p) = prim(b) {
        s.u8()?;
        return Ok(ValType::Prim(p));
    }
    match u32::try_from(s.s33()?) {
        Ok(i) => Ok(ValType::Idx(i)),
        Err(_) => Err(DecodeError::leading(at, b, "component value type")),
    }
}

/// `0x00` for none or `0x01 t`.
pub(crate) fn opt_val_type(s: &mut Reader<'_>) -> Result<Option<ValType>> {
    let at = s.pos();
    match s.u8()? {
        0x00 => Ok(None),
        0x01 => Ok(Some(val_type(s)?)),
        b => Err(DecodeError::leading(at, b, "optional component value type")),
    }
}

/// A function's result: `0x00 t` or `0x01 0x00` for none.
pub(crate) fn result_list(s: &mut Reader<'_>) -> Result<Option<ValType>> {
    let at = s.pos();
    match s.u8()? {
        0x00 => Ok(Some(val_type(s)?)),
        0x01 => {
            let at = s.pos();
            match s.u8()? {
                0x00 => Ok(None),
                b => Err(DecodeError::leading(at, b, "number of results")),
            }
        }
        b => Err(DecodeError::leading(at, b, "component function results")),
    }
}

fn defined_type(s: &mut Reader<'_>, b: u8, at: usize) -> Result<DefinedType> {
    if let Some(p) = prim(b) {
        return Ok(DefinedType::Prim(p));
    }
    Ok(match b {
        0x72 => DefinedType::Record(limited(s, 10_000, "record field", |s| {
            Ok((string(s)?, val_type(s)?))
        })?),
        0x71 => DefinedType::Variant(limited(s, 10_000, "variant cases", |s| {
            let name = string(s)?;
            let ty = opt_val_type(s)?;
            let at = s.pos();
            match s.u8()? {
                0 => Ok(Case { name, ty }),
                b => Err(DecodeError::leading(at, b, "zero byte required")),
            }
        })?),
        0x70 => DefinedType::List(val_type(s)?),
        0x67 => DefinedType::FixedList(val_type(s)?, s.u32()?),
        0x63 => DefinedType::Map(val_type(s)?, val_type(s)?),
        0x6f => DefinedType::Tuple(limited(s, 10_000, "tuple types", val_type)?),
        0x6e => DefinedType::Flags(limited(s, 1_000, "flag names", string)?),
        0x6d => DefinedType::Enum(limited(s, 10_000, "enum cases", string)?),
        0x6b => DefinedType::Option(val_type(s)?),
        0x6a => DefinedType::Result {
            ok: opt_val_type(s)?,
            err: opt_val_type(s)?,
        },
        0x69 => DefinedType::Own(s.u32()?),
        0x68 => DefinedType::Borrow(s.u32()?),
        0x66 => DefinedType::Stream(opt_val_type(s)?),
        0x65 => DefinedType::Future(opt_val_type(s)?),
        b => return Err(DecodeError::leading(at, b, "component defined type")),
    })
}

/// The sort of an import, export, instantiation argument or inline export
/// (`core module` is the only core sort these allow).
pub(crate) fn extern_sort(s: &mut Reader<'_>) -> Result<Sort> {
    let at = s.pos();
    Ok(match s.u8()? {
        0x00 => {
            let at = s.pos();
            match s.u8()? {
                0x11 => Sort::Core(CoreSort::Module),
                b => return Err(DecodeError::leading(at, b, "component external kind")),
            }
        }
        0x01 => Sort::Func,
        0x02 => Sort::Value,
        0x03 => Sort::Type,
        0x04 => Sort::Component,
        0x05 => Sort::Instance,
        b => return Err(DecodeError::leading(at, b, "component external kind")),
    })
}

/// An `externtype`.
pub(crate) fn extern_type(s: &mut Reader<'_>) -> Result<ExternType> {
    Ok(match extern_sort(s)? {
        Sort::Core(_) => ExternType::Module(s.u32()?),
        Sort::Func => ExternType::Func(s.u32()?),
        Sort::Value => ExternType::Value(val_type(s)?),
        Sort::Type => {
            let at = s.pos();
            ExternType::Type(match s.u8()? {
                0x00 => TypeBound::Eq(s.u32()?),
                0x01 => TypeBound::SubResource,
                b => return Err(DecodeError::leading(at, b, "type bound")),
            })
        }
        Sort::Component => ExternType::Component(s.u32()?),
        Sort::Instance => ExternType::Instance(s.u32()?),
    })
}

/// A name with its attributes (`nameattributes`). Attributes belong to the
/// `cm-implements` and `cm-canon-names` proposals: with both off their form
/// byte is refused here, where wasmparser refuses it.
pub(crate) fn extern_name(s: &mut Reader<'_>, features: Features) -> Result<ExternName> {
    let at = s.pos();
    let form = s.u8()?;
    if form > 2 {
        return Err(DecodeError::leading(at, form, "component name"));
    }
    let attributes = Features::CM_IMPLEMENTS.union(Features::CM_CANON_NAMES);
    if form == 2 && features.without(attributes) == features {
        return Err(DecodeError::new(
            at,
            ErrorKind::FeatureNotActive("cm-implements"),
        ));
    }
    let mut n = ExternName::plain(string(s)?);
    n.form = form;
    if form == 2 {
        let count = s.u32()?;
        for _ in 0..count {
            let at = s.pos();
            n.attrs.push(match s.u8()? {
                0 => NameAttr::Implements(string(s)?),
                1 => NameAttr::VersionSuffix(string(s)?),
                2 => NameAttr::ExternalId(string(s)?),
                b => return Err(DecodeError::leading(at, b, "name option")),
            });
        }
    }
    Ok(n)
}

/// An import: name and `externtype`.
pub(crate) fn import(s: &mut Reader<'_>, features: Features) -> Result<Import> {
    Ok(Import {
        name: extern_name(s, features)?,
        ty: extern_type(s)?,
    })
}

/// The byte at absolute offset `at`, read from a copy of `r` (positioned
/// before it).
fn byte_at(r: &Reader<'_>, at: usize) -> Option<u8> {
    let mut r = r.clone();
    r.bytes(at.checked_sub(r.pos())?).ok()?;
    r.u8().ok()
}
