//! Reading `crates/wtool-ast/instructions.txt` into rows (see the file's
//! header for the format). Every malformed line is an error naming its line.

use std::fmt;

/// An immediate's kind: what it means and how it is encoded (see the table header).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Label,
    Func,
    Type,
    TypeUse,
    Table,
    TableOpt,
    Table0,
    MemIdx,
    Local,
    Global,
    Tag,
    Data,
    Elem,
    Field,
    U32,
    BlockType,
    BrTable,
    HeapType,
    CastRef,
    BrCast,
    Catches,
    ValTypes,
    I32,
    I64,
    F32,
    F64,
    V128,
    Shuffle,
    Zero,
    MemArg(u8),
    Lane(u8),
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        if let Some(n) = s.strip_prefix("memarg(").and_then(|r| r.strip_suffix(')')) {
            return n.parse().ok().map(Kind::MemArg);
        }
        if let Some(n) = s.strip_prefix("lane(").and_then(|r| r.strip_suffix(')')) {
            return n.parse().ok().map(Kind::Lane);
        }
        Some(match s {
            "label" => Kind::Label,
            "func" => Kind::Func,
            "type" => Kind::Type,
            "typeuse" => Kind::TypeUse,
            "table" => Kind::Table,
            "table?" => Kind::TableOpt,
            "table0" => Kind::Table0,
            "memidx" => Kind::MemIdx,
            "local" => Kind::Local,
            "global" => Kind::Global,
            "tag" => Kind::Tag,
            "data" => Kind::Data,
            "elem" => Kind::Elem,
            "field" => Kind::Field,
            "u32" => Kind::U32,
            "blocktype" => Kind::BlockType,
            "brtable" => Kind::BrTable,
            "heaptype" => Kind::HeapType,
            "castref" => Kind::CastRef,
            "brcast" => Kind::BrCast,
            "catches" => Kind::Catches,
            "valtypes" => Kind::ValTypes,
            "i32" => Kind::I32,
            "i64" => Kind::I64,
            "f32" => Kind::F32,
            "f64" => Kind::F64,
            "v128" => Kind::V128,
            "shuffle" => Kind::Shuffle,
            "zero" => Kind::Zero,
            _ => return None,
        })
    }

    /// The name of the per-kind helper every stage implements (`imm::<name>`).
    pub fn helper(self) -> &'static str {
        match self {
            Kind::Label => "label",
            Kind::Func => "func",
            Kind::Type => "type_idx",
            Kind::TypeUse => "type_use",
            Kind::Table => "table",
            Kind::TableOpt => "table_opt",
            Kind::Table0 => "table0",
            Kind::MemIdx => "mem_idx",
            Kind::Local => "local",
            Kind::Global => "global",
            Kind::Tag => "tag",
            Kind::Data => "data",
            Kind::Elem => "elem",
            Kind::Field => "field",
            Kind::U32 => "count",
            Kind::BlockType => "block_type",
            Kind::BrTable => "br_table",
            Kind::HeapType => "heap_type",
            Kind::CastRef => "cast_ref",
            Kind::BrCast => "br_cast",
            Kind::Catches => "catches",
            Kind::ValTypes => "val_types",
            Kind::I32 => "i32",
            Kind::I64 => "i64",
            Kind::F32 => "f32",
            Kind::F64 => "f64",
            Kind::V128 => "v128",
            Kind::Shuffle => "shuffle",
            Kind::Zero => "zero",
            Kind::MemArg(_) => "memarg",
            Kind::Lane(_) => "lane",
        }
    }

    /// The Rust type the immediate is stored as in `Instr`.
    pub fn storage(self) -> &'static str {
        match self {
            Kind::Label
            | Kind::Func
            | Kind::Type
            | Kind::TypeUse
            | Kind::Table
            | Kind::TableOpt
            | Kind::Table0
            | Kind::MemIdx
            | Kind::Local
            | Kind::Global
            | Kind::Tag
            | Kind::Data
            | Kind::Elem
            | Kind::Field
            | Kind::U32
            | Kind::F32 => "u32",
            Kind::BlockType => "BlockType",
            Kind::BrTable => "Box<BrTable>",
            Kind::HeapType => "HeapType",
            Kind::CastRef => "RefType",
            Kind::BrCast => "Box<BrCast>",
            Kind::Catches => "Vec<Catch>",
            Kind::ValTypes => "Box<Vec<ValType>>",
            Kind::I32 => "i32",
            Kind::I64 => "i64",
            Kind::F64 => "u64",
            Kind::V128 | Kind::Shuffle => "Box<[u8; 16]>",
            Kind::Zero => "()",
            Kind::MemArg(_) => "MemArg",
            Kind::Lane(_) => "u8",
        }
    }

    /// How a visitor receives the immediate: by value, or by reference for
    /// what is boxed or owned.
    pub fn param_type(self) -> &'static str {
        match self {
            Kind::BrTable => "&BrTable",
            Kind::BrCast => "&BrCast",
            Kind::Catches => "&[Catch]",
            Kind::ValTypes => "&[ValType]",
            Kind::V128 | Kind::Shuffle => "&[u8; 16]",
            k => k.storage(),
        }
    }

    /// The expression turning a binding of the stored value (named `x`,
    /// bound by reference in a match) into the visitor's parameter.
    pub fn to_param(self, x: &str) -> String {
        match self {
            // References to boxes and vectors coerce to the parameter.
            Kind::BrTable | Kind::BrCast | Kind::V128 | Kind::Shuffle => x.to_string(),
            Kind::Catches | Kind::ValTypes => x.to_string(),
            _ => format!("*{x}"),
        }
    }

    /// The index space a plain index kind refers to, for the index visitors.
    pub fn index_space(self) -> Option<&'static str> {
        Some(match self {
            Kind::Label => "Label",
            Kind::Func => "Func",
            Kind::Type | Kind::TypeUse => "Type",
            Kind::Table | Kind::TableOpt | Kind::Table0 => "Table",
            Kind::MemIdx => "Memory",
            Kind::Local => "Local",
            Kind::Global => "Global",
            Kind::Tag => "Tag",
            Kind::Data => "Data",
            Kind::Elem => "Elem",
            Kind::Field => "Field",
            _ => return None,
        })
    }

    /// Kinds that hold indices inside a compound value (heap types, block
    /// types, cast pairs, catch clauses, memargs), visited by a helper in
    /// wtool-ast (`visit::<helper>`).
    pub fn compound_visitor(self) -> Option<&'static str> {
        Some(match self {
            Kind::BlockType => "block_type",
            Kind::BrTable => "br_table",
            Kind::HeapType => "heap_type",
            Kind::CastRef => "ref_type",
            Kind::BrCast => "br_cast",
            Kind::Catches => "catches",
            Kind::ValTypes => "val_types",
            Kind::MemArg(_) => "memarg",
            _ => return None,
        })
    }
}

/// One immediate of a row.
#[derive(Clone, Debug)]
pub struct Imm {
    /// Its name: the Rust field (with `type` spelled `type_idx`) and the dump's JSON key.
    pub name: String,
    pub kind: Kind,
}

impl Imm {
    /// The Rust field or binding name.
    pub fn field(&self) -> String {
        match self.name.as_str() {
            "type" => "type_idx".into(),
            "ref" | "fn" | "struct" | "match" | "loop" => format!("{}_", self.name),
            n => n.replace('-', "_"),
        }
    }
}

/// How a row is typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Typing {
    /// A fixed signature over value types (`addr` kept as written).
    Sig(Vec<String>, Vec<String>),
    /// Its own rule with fixed operand counts.
    Arity(u32, u32),
    /// Its own rule, counts depend on immediates or context.
    Custom,
}

/// One row of the table.
#[derive(Clone, Debug)]
pub struct Row {
    pub line: usize,
    pub mnemonic: String,
    pub prefix: u8,
    pub code: u32,
    pub imms: Vec<Imm>,
    pub typing: Typing,
    pub feature: String,
    pub flags: Vec<String>,
    /// The section heading this row appears under.
    pub section: String,
}

impl Row {
    pub fn has_flag(&self, f: &str) -> bool {
        self.flags.iter().any(|x| x == f)
    }

    /// The value of a `key=value` flag.
    pub fn flag_value(&self, key: &str) -> Option<&str> {
        self.flags
            .iter()
            .find_map(|f| f.strip_prefix(key)?.strip_prefix('='))
    }

    /// A table-driven op: fixed signature, only memarg and lane immediates.
    pub fn is_op(&self) -> bool {
        matches!(self.typing, Typing::Sig(..))
            && self
                .imms
                .iter()
                .all(|i| matches!(i.kind, Kind::MemArg(_) | Kind::Lane(_)))
    }

    /// The CamelCase name of the `Op` or `Instr` variant.
    pub fn variant(&self) -> String {
        if let Some(v) = self.flag_value("variant") {
            return v.to_string();
        }
        camel(&self.mnemonic)
    }

    /// snake_case name of the variant, for visitor methods.
    pub fn snake(&self) -> String {
        let mut s = String::new();
        for (i, c) in self.variant().chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    s.push('_');
                }
                s.push(c.to_ascii_lowercase());
            } else {
                s.push(c);
            }
        }
        s
    }

    /// The `Features` constant of the row's feature.
    pub fn feature_const(&self) -> String {
        if self.feature == "mvp" {
            "MVP".into()
        } else {
            self.feature.to_ascii_uppercase().replace('-', "_")
        }
    }

    /// Immediates kept behind one `Box` (a struct named after the variant).
    pub fn boxed(&self) -> bool {
        self.has_flag("box")
    }

    /// Immediates stored in the variant (the `zero` byte stores nothing).
    pub fn stored(&self) -> Vec<&Imm> {
        self.imms.iter().filter(|i| i.kind != Kind::Zero).collect()
    }
}

/// A match pattern binding every stored immediate of a row's variant (by
/// reference, in a match on `&Instr`), and how to reach each one.
pub struct Binding {
    /// The pattern.
    pub pat: String,
    /// The immediates sit in a boxed struct bound as `b`.
    boxed: bool,
}

impl Binding {
    /// A reference to immediate `field` (a binding, or `&b.field`).
    pub fn reference(&self, field: &str) -> String {
        if self.boxed {
            format!("&b.{field}")
        } else {
            field.to_string()
        }
    }
}

impl Row {
    /// The binding pattern of the variant's immediates.
    pub fn binding(&self) -> Binding {
        let v = self.variant();
        let fields: Vec<String> = self.stored().iter().map(|i| i.field()).collect();
        let pat = if fields.is_empty() {
            format!("Instr::{v}")
        } else if self.boxed() {
            format!("Instr::{v}(b)")
        } else if fields.len() == 1 {
            format!("Instr::{v}({})", fields[0])
        } else {
            format!("Instr::{v} {{ {} }}", fields.join(", "))
        };
        Binding {
            pat,
            boxed: self.boxed(),
        }
    }

    /// The expression building the variant from local bindings named after
    /// its immediates (`ast` is the path of wtool-ast's items).
    pub fn construct(&self, ast: &str) -> String {
        let v = self.variant();
        let fields: Vec<String> = self.stored().iter().map(|i| i.field()).collect();
        if fields.is_empty() {
            format!("Instr::{v}")
        } else if self.boxed() {
            format!("Instr::{v}(Box::new({ast}{v} {{ {} }}))", fields.join(", "))
        } else if fields.len() == 1 {
            format!("Instr::{v}({})", fields[0])
        } else {
            format!("Instr::{v} {{ {} }}", fields.join(", "))
        }
    }
}

/// `i32.trunc_sat_f32_s` → `I32TruncSatF32S`.
pub fn camel(mnemonic: &str) -> String {
    mnemonic
        .split(['.', '_'])
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// A table error with its line.
#[derive(Debug)]
pub struct TableError {
    pub line: usize,
    pub msg: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "instructions.txt:{}: {}", self.line, self.msg)
    }
}

/// Splits on runs of two or more spaces.
fn columns(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line.trim();
    while !rest.is_empty() {
        match rest.find("  ") {
            Some(i) => {
                out.push(&rest[..i]);
                rest = rest[i..].trim_start();
            }
            None => {
                out.push(rest);
                break;
            }
        }
    }
    out
}

fn parse_types(s: &str) -> Option<Vec<String>> {
    let inner = s.trim().strip_prefix('[')?.strip_suffix(']')?;
    Some(inner.split_whitespace().map(str::to_string).collect())
}

fn parse_typing(s: &str) -> Option<Typing> {
    if s == "custom" {
        return Some(Typing::Custom);
    }
    let (a, b) = s.split_once("->")?;
    if a.trim().starts_with('[') {
        return Some(Typing::Sig(parse_types(a)?, parse_types(b)?));
    }
    Some(Typing::Arity(
        a.trim().parse().ok()?,
        b.trim().parse().ok()?,
    ))
}

fn parse_encoding(s: &str) -> Option<(u8, u32)> {
    let hex = |t: &str| u32::from_str_radix(t.strip_prefix("0x")?, 16).ok();
    match s.split_once(':') {
        Some((p, c)) => Some((u8::try_from(hex(p)?).ok()?, c.parse().ok()?)),
        None => Some((0, hex(s).filter(|&b| b <= 0xff)?)),
    }
}

const VALUE_TYPES: &[&str] = &["i32", "i64", "f32", "f64", "v128", "addr"];

/// Parses the whole table and checks it for consistency.
pub fn parse(text: &str) -> Result<Vec<Row>, TableError> {
    let mut rows: Vec<Row> = Vec::new();
    let mut section = String::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let err = |msg: String| TableError { line, msg };
        if let Some(h) = raw.strip_prefix("## ") {
            section = h.trim().to_string();
            continue;
        }
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let cols = columns(raw);
        if cols.len() < 5 || cols.len() > 6 {
            return Err(err(format!(
                "expected 5 or 6 columns separated by two or more spaces, found {}",
                cols.len()
            )));
        }
        let (prefix, code) =
            parse_encoding(cols[1]).ok_or_else(|| err(format!("bad encoding `{}`", cols[1])))?;
        let mut imms = Vec::new();
        if cols[2] != "-" {
            for item in cols[2].split_whitespace() {
                let (name, kind) = match item.split_once(':') {
                    Some((n, k)) => (n, k),
                    None => (item.split('(').next().unwrap_or(item), item),
                };
                let kind =
                    Kind::parse(kind).ok_or_else(|| err(format!("unknown immediate `{item}`")))?;
                imms.push(Imm {
                    name: name.to_string(),
                    kind,
                });
            }
        }
        let typing =
            parse_typing(cols[3]).ok_or_else(|| err(format!("bad typing `{}`", cols[3])))?;
        if let Typing::Sig(p, r) = &typing {
            if let Some(t) = p
                .iter()
                .chain(r)
                .find(|t| !VALUE_TYPES.contains(&t.as_str()))
            {
                return Err(err(format!("unknown value type `{t}` in a signature")));
            }
        }
        let flags: Vec<String> = cols
            .get(5)
            .map(|f| f.split(',').map(|s| s.trim().to_string()).collect())
            .unwrap_or_default();
        rows.push(Row {
            line,
            mnemonic: cols[0].to_string(),
            prefix,
            code,
            imms,
            typing,
            feature: cols[4].to_string(),
            flags,
            section: section.clone(),
        });
    }
    check(&rows)?;
    Ok(rows)
}

const FLAGS: &[&str] = &[
    "opens",
    "middle",
    "closes",
    "diverges",
    "datacount",
    "atomic",
    "box",
];
const KEYED: &[&str] = &["variant", "text"];

fn check(rows: &[Row]) -> Result<(), TableError> {
    let mut seen = std::collections::HashMap::new();
    let mut variants = std::collections::HashMap::new();
    for r in rows {
        let err = |msg: String| TableError { line: r.line, msg };
        // A castref row also takes the next code (its nullable form).
        let codes = if r.imms.iter().any(|i| i.kind == Kind::CastRef) {
            vec![r.code, r.code + 1]
        } else {
            vec![r.code]
        };
        for c in codes {
            if let Some(prev) = seen.insert((r.prefix, c), r.line) {
                return Err(err(format!("encoding already used on line {prev}")));
            }
        }
        if let Some(prev) = variants.insert(r.variant(), r.line) {
            return Err(err(format!(
                "variant `{}` already used on line {prev} (add variant=Name)",
                r.variant()
            )));
        }
        for f in &r.flags {
            let key = f.split('=').next().unwrap_or(f);
            if !(FLAGS.contains(&f.as_str()) || KEYED.contains(&key) && f.contains('=')) {
                return Err(err(format!("unknown flag `{f}`")));
            }
        }
        if r.prefix != 0 && ![0xfb, 0xfc, 0xfd, 0xfe].contains(&r.prefix) {
            return Err(err(format!("unknown prefix byte {:#04x}", r.prefix)));
        }
        let op_kinds = r
            .imms
            .iter()
            .all(|i| matches!(i.kind, Kind::MemArg(_) | Kind::Lane(_)));
        if r.is_op() {
            if r.has_flag("box") || r.flag_value("text").is_some() {
                return Err(err("a table-driven op takes no box or text flag".into()));
            }
            let kinds: Vec<Kind> = r.imms.iter().map(|i| i.kind).collect();
            let ok = matches!(
                kinds.as_slice(),
                [] | [Kind::MemArg(_)] | [Kind::Lane(_)] | [Kind::MemArg(_), Kind::Lane(_)]
            );
            if !ok {
                return Err(err(
                    "a table-driven op takes `memarg(N)`, `lane(N)`, both, or nothing".into(),
                ));
            }
        } else if !r.imms.is_empty() && op_kinds {
            return Err(err(
                "memarg and lane immediates only exist on table-driven ops".into(),
            ));
        }
        if r.has_flag("box") && r.stored().len() < 2 {
            return Err(err(
                "`box` is for rows with several immediates (a single one boxes by its kind)".into(),
            ));
        }
        if r.has_flag("atomic")
            && !matches!(
                r.imms.as_slice(),
                [Imm {
                    kind: Kind::MemArg(_),
                    ..
                }]
            )
        {
            return Err(err("an atomic op takes exactly one memarg".into()));
        }
    }
    Ok(())
}
