//! The `component-name` custom section, read into identifiers.
//!
//! The section is a sequence of subsections (`id:u7 size:u32 bytes`):
//! id 0 names the component itself, id 1 holds a sort (one byte, or 0x00
//! and a core sort byte) followed by a name map `vec(idx name)` with
//! strictly increasing indices. Reading stops at the first malformed
//! byte, keeping the names read before it, as wasmprinter does; unknown
//! subsections and sorts are skipped.

use std::collections::{HashMap, HashSet};

/// The index spaces a `component-name` section can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Space {
    CoreFunc,
    CoreTable,
    CoreMemory,
    CoreGlobal,
    CoreTag,
    CoreType,
    CoreModule,
    CoreInstance,
    Type,
    Instance,
    Component,
    Func,
    Value,
}

/// Number of [`Space`]s (the length of a [`Names`] table).
const SPACES: usize = 13;

impl Space {
    /// The word a generated identifier starts with (`$"#core-func3 …"`).
    fn group(self) -> &'static str {
        match self {
            Space::CoreFunc => "core-func",
            Space::CoreTable => "core-table",
            Space::CoreMemory => "core-memory",
            Space::CoreGlobal => "core-global",
            Space::CoreTag => "core-tag",
            Space::CoreType => "core-type",
            Space::CoreModule => "core-module",
            Space::CoreInstance => "core-instance",
            Space::Type => "type",
            Space::Instance => "instance",
            Space::Component => "component",
            Space::Func => "func",
            Space::Value => "value",
        }
    }
}

/// How a name becomes an identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Form {
    /// `$name`: every character is an identifier character.
    Plain,
    /// `$"name"`: some character is not.
    Quoted,
    /// `$"#group3 name"` plus `(@name "name")`: the name cannot be an
    /// identifier (empty, starts with the reserved `#`, or repeated).
    Generated(String),
}

/// A name from the section, with the identifier it prints as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Naming {
    name: String,
    form: Form,
}

impl Naming {
    /// The identifier for `name`, given the names its map used already.
    fn new(name: &str, index: u32, group: &str, used: Option<&mut HashSet<String>>) -> Naming {
        let mut form = if name.chars().all(is_idchar) {
            Form::Plain
        } else {
            Form::Quoted
        };
        // `used` is consulted last: a name that is refused for another
        // reason does not take its spelling from a later item.
        if name.is_empty()
            || name.starts_with('#')
            || used.is_some_and(|u| !u.insert(name.to_string()))
        {
            form = Form::Generated(format!("#{group}{index}"));
        }
        Naming {
            name: name.to_string(),
            form,
        }
    }

    /// Writes the identifier (a reference to the item).
    pub(crate) fn push_ident(&self, out: &mut String) {
        match &self.form {
            Form::Plain => {
                out.push('$');
                out.push_str(&self.name);
            }
            Form::Quoted => {
                out.push_str("$\"");
                push_str_contents(out, &self.name);
                out.push('"');
            }
            Form::Generated(prefix) => {
                out.push_str("$\"");
                out.push_str(prefix);
                out.push(' ');
                push_str_contents(out, &self.name);
                out.push('"');
            }
        }
    }

    /// True when the definition carries an `(@name …)` annotation after
    /// its identifier.
    pub(crate) fn annotation(&self) -> Option<&str> {
        match self.form {
            Form::Generated(_) => Some(&self.name),
            _ => None,
        }
    }
}

/// The identifier characters of the text format.
fn is_idchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-./:<=>?@\\^_`|~".contains(c)
}

/// A string's contents as wasmprinter escapes them: printable ASCII other
/// than `"` and `\` as is, everything else as `\u{hex}`.
pub(crate) fn push_str_contents(out: &mut String, s: &str) {
    for c in s.chars() {
        if (' '..'\x7f').contains(&c) && c != '"' && c != '\\' {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
}

/// The names of one component (or of a scope without names).
#[derive(Clone, Debug, Default)]
pub(crate) struct Names {
    /// The component's own name (subsection 0).
    pub(crate) component: Option<Naming>,
    maps: [HashMap<u32, Naming>; SPACES],
}

impl Names {
    /// The name of `idx` in `space`.
    pub(crate) fn get(&self, space: Space, idx: u32) -> Option<&Naming> {
        self.maps[space as usize].get(&idx)
    }

    /// Reads one `component-name` section's payload into these names.
    /// Later sections override earlier ones index by index.
    pub(crate) fn read_section(&mut self, data: &[u8]) {
        // A malformed section only ends the reading; what came before stays.
        let _ = self.read(&mut Reader { data, pos: 0 });
    }

    fn read(&mut self, r: &mut Reader<'_>) -> Option<()> {
        while r.pos < r.data.len() {
            let id = r.byte()?;
            if id >= 0x80 {
                return None;
            }
            let size = r.u32()? as usize;
            let body = r.take(size)?;
            let mut sub = Reader { data: body, pos: 0 };
            match id {
                0 => {
                    let name = sub.string()?;
                    if sub.pos != body.len() {
                        return None;
                    }
                    self.component = Some(Naming::new(name, 0, "component", None));
                }
                1 => {
                    let Some(space) = sort_space(&mut sub)? else {
                        continue;
                    };
                    self.read_map(&mut sub, space)?;
                }
                _ => {}
            }
        }
        Some(())
    }

    /// A name map: indices strictly increasing, no bytes after the last.
    fn read_map(&mut self, r: &mut Reader<'_>, space: Space) -> Option<()> {
        let count = r.u32()?;
        let mut used = HashSet::new();
        let mut last = None;
        for _ in 0..count {
            let index = r.u32()?;
            let name = r.string()?;
            if last.is_some_and(|l| index <= l) {
                return None;
            }
            last = Some(index);
            let naming = Naming::new(name, index, space.group(), Some(&mut used));
            self.maps[space as usize].insert(index, naming);
        }
        (r.pos == r.data.len()).then_some(())
    }
}

/// The space a sort names; `Some(None)` for a sort the section does not
/// know (the subsection is skipped), `None` when the bytes run out.
fn sort_space(r: &mut Reader<'_>) -> Option<Option<Space>> {
    Some(match r.byte()? {
        0x00 => match r.byte()? {
            0x00 => Some(Space::CoreFunc),
            0x01 => Some(Space::CoreTable),
            0x02 => Some(Space::CoreMemory),
            0x03 => Some(Space::CoreGlobal),
            0x04 => Some(Space::CoreTag),
            0x10 => Some(Space::CoreType),
            0x11 => Some(Space::CoreModule),
            0x12 => Some(Space::CoreInstance),
            _ => None,
        },
        0x01 => Some(Space::Func),
        0x02 => Some(Space::Value),
        0x03 => Some(Space::Type),
        0x04 => Some(Space::Component),
        0x05 => Some(Space::Instance),
        _ => None,
    })
}

/// A cursor over section bytes; every read is `None` past the end.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len())?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Some(s)
    }

    /// An unsigned LEB128 `u32`: at most 5 bytes, the last with no bits
    /// above the 32nd.
    fn u32(&mut self) -> Option<u32> {
        let mut v = 0u32;
        for i in 0..5 {
            let b = self.byte()?;
            if i == 4 && b & 0xf0 != 0 {
                return None;
            }
            v |= u32::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    /// A length-prefixed UTF-8 string, without a length limit.
    fn string(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_and_reserved_names_are_generated() {
        // One map of core funcs: 0 "a", 1 "a", 2 "#x", 3 "b c".
        let mut map = vec![0x00, 0x00, 4];
        for (i, n) in [(0u8, "a"), (1, "a"), (2, "#x"), (3, "b c")] {
            map.push(i);
            map.push(n.len() as u8);
            map.extend_from_slice(n.as_bytes());
        }
        let mut sec = vec![1, map.len() as u8];
        sec.extend(map);
        let mut names = Names::default();
        names.read_section(&sec);
        let id = |i| {
            let mut s = String::new();
            names.get(Space::CoreFunc, i).unwrap().push_ident(&mut s);
            s
        };
        assert_eq!(id(0), "$a");
        assert_eq!(id(1), "$\"#core-func1 a\"");
        assert_eq!(id(2), "$\"#core-func2 #x\"");
        assert_eq!(id(3), "$\"b c\"");
    }

    #[test]
    fn malformed_tail_keeps_earlier_names() {
        // Component name "c", then a map whose second index goes backwards.
        let sec = [0, 2, 1, b'c', 1, 8, 0x01, 2, 5, 1, b'f', 4, 1, b'g'];
        let mut names = Names::default();
        names.read_section(&sec);
        assert!(names.component.is_some());
        assert!(names.get(Space::Func, 5).is_some());
        assert!(names.get(Space::Func, 4).is_none());
    }
}
