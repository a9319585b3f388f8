//! The WebAssembly binary format: bytes → [`Module`] and back.
//!
//! [`decode`] rejects every binary the spec calls malformed, with the byte
//! offset and the spec testsuite's message (`Display` has no offset; callers
//! add it); it does not validate (that is `wtool-validate`). [`encode`]
//! writes the canonical form, and reproduces a decoded binary byte for byte
//! unless that binary used a non-minimal encoding (padded LEB128 integers,
//! as wasm-ld emits, or a multi-memory memarg naming memory 0).
//!
//! What decoding records for later stages: each instruction's file offset
//! (`Expr::offsets`), each body's position (`Func::offset`/`size`), the
//! section layout (`Module::sections`), custom sections in place
//! (`CustomPlace`), the name section decoded into `Module::names` (kept raw
//! as well only when not canonical), explicit-index segment encodings, and
//! whether empty sections were present, so re-encoding is exact.
//!
//! Big modules need not be materialised: [`decode_lazy`] decodes every
//! section but leaves function bodies as byte ranges ([`BodyRange`]), and a
//! [`BodyReader`] streams one body's instructions with their offsets, using
//! the same decoding routine (and so the same errors) as [`decode`].
//!
//! Decoding never recurses on nesting and never allocates by a count the
//! remaining input cannot back. Where the 2.0 and 3.0 testsuites disagree
//! about an encoding, [`Features`] decides (see [`decode_with_features`]).

mod decode;
mod encode;
pub mod error;
pub mod leb128;
pub mod reader;

pub use decode::code::{BodyRange, BodyReader};
pub use decode::data::DataLeft;
pub use decode::module::LazyParts;
pub use error::{DecodeError, EntryKind, ErrorKind, Location, SectionRef, Truncation};
use wtool_ast::{Features, Module};

/// Decodes a module, accepting the encodings of WebAssembly 2.0 (the default
/// feature set). Use [`decode_with_features`] for WebAssembly 3.0 encodings
/// (tag section, memory64 and shared limits, multi-memory memargs, typed
/// references, table initializers).
pub fn decode(bytes: &[u8]) -> Result<Module, DecodeError> {
    decode_with_features(bytes, Features::default())
}

/// Decodes a module, accepting the encodings that `features` enable.
///
/// Features only decide encodings where the 2.0 testsuite calls a later form
/// malformed: `exceptions` (tag section, tag imports/exports), `memory64`
/// (64-bit limits; every limit and memarg offset read as a u64), `threads`
/// (shared memories), `custom-page-sizes`, `multi-memory` (memory indices in
/// memargs and memory instructions, alignment exponents up to 63),
/// `function-references`/`gc`/`exceptions` (`(ref null? ht)` types, table
/// initializers), `reference-types` (a table index in `call_indirect`, not a
/// zero byte). Table-driven opcodes of every proposal always decode; the
/// validator gates them.
pub fn decode_with_features(bytes: &[u8], features: Features) -> Result<Module, DecodeError> {
    decode::module::decode_module(bytes, features)
}

/// [`decode_with_features`] that leaves every function body's `offsets`
/// empty: the same module and errors, less a `u32` per instruction, for
/// tools that never report positions inside bodies (the optimizer).
pub fn decode_without_offsets(bytes: &[u8], features: Features) -> Result<Module, DecodeError> {
    decode::module::decode_module_without_offsets(bytes, features)
}

/// Decodes a module except for its function bodies' instructions: every
/// section is decoded and checked as [`decode_with_features`] does, locals
/// included, but each `Func::body` is left empty and its instructions'
/// byte range is returned instead (one [`BodyRange`] per defined function,
/// in order), to be streamed later with a [`BodyReader`].
///
/// Errors inside instructions are only found when a body is read, so a
/// module this accepts may still be malformed; where `decode_with_features`
/// fails in a body, this may instead fail later in the file, or succeed.
pub fn decode_lazy(
    bytes: &[u8],
    features: Features,
) -> Result<(Module, Vec<BodyRange>), DecodeError> {
    decode::module::decode_module_with(bytes, features, true, None).map(|(m, p)| (m, p.bodies))
}

/// [`decode_lazy`] that also leaves the bytes of data segments and custom
/// sections in the input (their `data` stays empty; the name section is
/// kept as [`decode`] keeps it), for tools that only read them once, so a
/// module's data is never copied. The errors are [`decode_lazy`]'s.
pub fn decode_lazy_parts(
    bytes: &[u8],
    features: Features,
) -> Result<(Module, LazyParts), DecodeError> {
    decode_lazy_parts_with(bytes, features, Leave::default())
}

/// [`decode_lazy_parts`] that also leaves the sections `leave` names in
/// the input: they are decoded and checked all the same, but not kept.
pub fn decode_lazy_parts_with(
    bytes: &[u8],
    features: Features,
    leave: Leave,
) -> Result<(Module, LazyParts), DecodeError> {
    decode::module::decode_module_with(bytes, features, true, Some(leave))
}

/// Sections [`decode_lazy_parts_with`] checks but leaves in the input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Leave {
    /// The export section: `Module::exports` stays empty, and
    /// [`LazyParts::read_exports`] reads the exports from the input.
    pub exports: bool,
    /// The data section: `Module::datas` stays empty, and
    /// [`LazyParts::data_section`] reads the segments from the input
    /// ([`DataLeft::read`]), one at a time.
    pub datas: bool,
}

/// Decodes one function body as it appears in a code section entry after
/// its size: the locals, then instructions through the final `end`, which
/// must be the last byte. Offsets in the result are relative to `bytes`.
/// `memory.init`/`data.drop` are accepted (a module would need a data count).
pub fn decode_func_body(
    bytes: &[u8],
    features: Features,
) -> Result<(Vec<wtool_ast::LocalGroup>, wtool_ast::Expr), DecodeError> {
    decode::code::decode_body(bytes, features)
}

/// Reads only the header and each section's id, position, size and (for a
/// custom section) name, without decoding any section's contents: for
/// tools that move whole sections, which should work on modules whose
/// contents are malformed. Errors are those of [`decode`] for the header
/// and the section headers.
pub fn read_sections(
    bytes: &[u8],
) -> Result<Vec<(wtool_ast::SectionInfo, Option<String>)>, DecodeError> {
    decode::module::read_sections(bytes)
}

/// Encodes a module into its binary form.
pub fn encode(module: &Module) -> Vec<u8> {
    encode::module::encode_module(module)
}

/// [`encode`] written to `w` section by section, consuming the module:
/// each function body is dropped once encoded, so encoding a big module
/// needs no more memory than the module itself (the same bytes as
/// [`encode`]).
pub fn encode_into(module: Module, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    encode::module::encode_module_into(module, w)
}

/// [`encode_into`] for a module whose function bodies are held elsewhere:
/// `body(def, last, out)` appends defined function `def`'s encoded
/// instructions (through the final `end`) to `out`; it is called twice per
/// function, first with `last` false (to size the code section), then
/// with `last` true for the bytes written. `module` itself is only read.
pub fn encode_into_with(
    module: &Module,
    body: &mut dyn FnMut(usize, bool, &mut Vec<u8>),
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    encode::module::encode_module_into_with(module, body, w)
}

/// Appends the encoding of an instruction sequence (its `end` included).
pub fn encode_expr(out: &mut Vec<u8>, expr: &wtool_ast::Expr) {
    encode::code::encode_expr(out, expr);
}

/// Appends the encoding of one instruction.
pub fn encode_instr(out: &mut Vec<u8>, instr: &wtool_ast::Instr) {
    encode::code::encode_instr(out, instr);
}

/// Appends the payload of a `name` custom section for `names`.
pub fn encode_names(out: &mut Vec<u8>, names: &wtool_ast::Names) {
    encode::names::encode_names(out, names);
}

/// Appends a value type.
pub fn encode_val_type(out: &mut Vec<u8>, t: wtool_ast::ValType) {
    encode::types::val_type(out, t);
}

/// Pieces of the core binary format that other formats embed (the
/// component format's core types, module types and core instances), read
/// and written exactly as inside a module.
pub mod parts {
    use crate::decode::types::{self, Accept};
    use crate::error::Result;
    use crate::reader::Reader;
    use wtool_ast::{Features, Import, ImportDesc, TypeDef, ValType};

    /// Reads a recursion group or a single subtype whose first byte,
    /// already read at offset `at`, is `first`: the types, and whether they
    /// came in an explicit `rec` (0x4e) group.
    pub fn rec_type(
        r: &mut Reader<'_>,
        features: Features,
        first: u8,
        at: usize,
    ) -> Result<(Vec<TypeDef>, bool)> {
        let acc = Accept::new(features);
        if first == 0x4e && acc.gc {
            let (len, cap) = r.count()?;
            let mut out = Vec::with_capacity(cap);
            for _ in 0..len {
                let at = r.pos();
                let b = r.u8()?;
                out.push(types::sub_type(r, acc, b, at)?);
            }
            return Ok((out, true));
        }
        Ok((vec![types::sub_type(r, acc, first, at)?], false))
    }

    /// Reads an import entry (module name, field name, `externtype`).
    pub fn import(r: &mut Reader<'_>, features: Features) -> Result<Import> {
        crate::decode::module::import(r, Accept::new(features))
    }

    /// Reads a core `externtype` and whether it is an exact function.
    pub fn extern_desc(r: &mut Reader<'_>, features: Features) -> Result<(ImportDesc, bool)> {
        crate::decode::module::extern_desc(r, Accept::new(features))
    }

    /// Reads a core value type.
    pub fn val_type(r: &mut Reader<'_>, features: Features) -> Result<ValType> {
        types::val_type(r, Accept::new(features))
    }

    /// Writes one subtype (the rec group header is the caller's).
    pub fn write_sub_type(out: &mut Vec<u8>, t: &TypeDef) {
        crate::encode::types::sub_type(out, t);
    }

    /// Writes an import entry.
    pub fn write_import(out: &mut Vec<u8>, i: &Import) {
        write_name(out, &i.module);
        write_name(out, &i.name);
        write_extern_desc(out, &i.desc, i.exact);
    }

    /// Writes a core `externtype`.
    pub fn write_extern_desc(out: &mut Vec<u8>, desc: &ImportDesc, exact: bool) {
        crate::encode::module::extern_desc(out, desc, exact);
    }

    /// Writes a name: its byte length, then its UTF-8 bytes.
    pub fn write_name(out: &mut Vec<u8>, s: &str) {
        crate::leb128::write_u32(out, s.len() as u32);
        out.extend_from_slice(s.as_bytes());
    }
}
