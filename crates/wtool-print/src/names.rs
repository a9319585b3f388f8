//! Turning name-section names into text-format identifiers (the scheme is
//! described in the crate documentation).

use std::collections::HashSet;

use wtool_ast::NameMap;

use crate::num::push_str_body;

/// A printable identifier: its text (with `$`) and the `(@name …)` annotation
/// text to put right after it when the identifier is not the name.
#[derive(Clone, Debug)]
pub(crate) struct Ident {
    /// `$foo` or `$"foo bar"`.
    pub text: Box<str>,
    /// `(@name "…")` when the name differs from the identifier.
    pub annot: Option<Box<str>>,
}

/// Identifiers of one index space, sorted by index.
#[derive(Clone, Debug, Default)]
pub(crate) struct Space {
    ids: Vec<(u32, Ident)>,
}

impl Space {
    /// [`Space::build`], or with `wasmprinter` the scheme wasmprinter
    /// uses (for modules nested in components): every index kept, a name
    /// that is empty, starts with `#` or repeats becomes `$"#kind3 name"`
    /// plus `(@name "name")`, and escapes are `\\u{h}`.
    pub fn build_for(map: &NameMap, limit: u64, kind: &str, wasmprinter: bool) -> Space {
        if !wasmprinter {
            return Space::build(map, limit, kind);
        }
        let kind = if kind == "param" { "parameter" } else { kind };
        let mut used: HashSet<&str> = HashSet::new();
        let mut seen_idx = HashSet::new();
        let mut ids = Vec::new();
        for (idx, name) in map {
            if !seen_idx.insert(*idx) {
                continue;
            }
            // Labels may shadow, so wasmprinter does not track their use.
            let repeated = kind != "label" && !used.insert(name.as_str());
            let generated = name.is_empty() || name.starts_with('#') || repeated;
            let mut text = String::from("$");
            let annot = if generated {
                text.push_str("\"#");
                text.push_str(kind);
                text.push_str(&idx.to_string());
                text.push(' ');
                push_wasmprinter_body(&mut text, name);
                text.push('"');
                let mut a = String::from("(@name \"");
                push_wasmprinter_body(&mut a, name);
                a.push_str("\")");
                Some(a.into())
            } else {
                if name.bytes().all(is_idchar) {
                    text.push_str(name);
                } else {
                    text.push('"');
                    push_wasmprinter_body(&mut text, name);
                    text.push('"');
                }
                None
            };
            ids.push((
                *idx,
                Ident {
                    text: text.into(),
                    annot,
                },
            ));
        }
        ids.sort_by_key(|(i, _)| *i);
        Space { ids }
    }

    /// Builds the identifiers for `map`, keeping indices below `limit`.
    pub fn build(map: &NameMap, limit: u64, kind: &str) -> Space {
        let mut seen_idx = HashSet::new();
        let mut used: HashSet<&str> = HashSet::new();
        let mut taken_generated: HashSet<String> = HashSet::new();
        let mut ids = Vec::new();
        // First pass claims every usable name so a generated identifier can
        // never steal a later item's real name.
        let mut plain = vec![false; map.len()];
        for (k, (idx, name)) in map.iter().enumerate() {
            if u64::from(*idx) >= limit || !seen_idx.insert(*idx) {
                continue;
            }
            if !name.is_empty() && used.insert(name.as_str()) {
                plain[k] = true;
            }
        }
        seen_idx.clear();
        for (k, (idx, name)) in map.iter().enumerate() {
            if u64::from(*idx) >= limit || !seen_idx.insert(*idx) {
                continue;
            }
            if plain[k] {
                ids.push((
                    *idx,
                    Ident {
                        text: ident_text(name).into(),
                        annot: None,
                    },
                ));
                continue;
            }
            let base = format!("#{kind}{idx}<{name}>");
            let mut gen = base.clone();
            let mut n = 1u32;
            while used.contains(gen.as_str()) || taken_generated.contains(&gen) {
                gen = format!("{base}_{n}");
                n += 1;
            }
            let text = ident_text(&gen);
            taken_generated.insert(gen);
            ids.push((
                *idx,
                Ident {
                    text: text.into(),
                    annot: Some(annotation(name).into()),
                },
            ));
        }
        ids.sort_by_key(|(i, _)| *i);
        Space { ids }
    }

    /// Builds label identifiers: escaped, never renamed (labels may shadow).
    pub fn labels(map: &NameMap) -> Space {
        let mut ids: Vec<(u32, Ident)> = Vec::with_capacity(map.len());
        let mut seen = HashSet::new();
        for (idx, name) in map {
            if !seen.insert(*idx) {
                continue;
            }
            let ident = if name.is_empty() {
                Ident {
                    text: ident_text(&format!("#label{idx}")).into(),
                    annot: Some(annotation(name).into()),
                }
            } else {
                Ident {
                    text: ident_text(name).into(),
                    annot: None,
                }
            };
            ids.push((*idx, ident));
        }
        ids.sort_by_key(|(i, _)| *i);
        Space { ids }
    }

    /// The identifier of `idx`, if it has one.
    #[inline]
    pub fn get(&self, idx: u32) -> Option<&Ident> {
        if self.ids.is_empty() {
            return None;
        }
        self.ids
            .binary_search_by_key(&idx, |(i, _)| *i)
            .ok()
            .and_then(|p| self.ids.get(p))
            .map(|(_, id)| id)
    }

    /// True when no index has an identifier.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// True for the characters an unquoted identifier may hold.
fn is_idchar(b: u8) -> bool {
    matches!(b, b'!'..=b'~')
        && !matches!(
            b,
            b'"' | b',' | b';' | b'(' | b')' | b'[' | b']' | b'{' | b'}'
        )
}

/// A string's inside as wasmprinter escapes it: printable ASCII other than
/// the quote and the backslash as is, every other character `\\u{h}`.
fn push_wasmprinter_body(out: &mut String, s: &str) {
    for c in s.chars() {
        if (' '..'\x7f').contains(&c) && c != '"' && c != '\\' {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
}

/// `$name`, or `$"name"` when `name` has characters an identifier cannot hold.
pub(crate) fn ident_text(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 3);
    s.push('$');
    if !name.is_empty() && name.bytes().all(is_idchar) {
        s.push_str(name);
    } else {
        s.push('"');
        push_str_body(&mut s, name);
        s.push('"');
    }
    s
}

/// `(@name "name")`.
fn annotation(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 10);
    s.push_str("(@name \"");
    push_str_body(&mut s, name);
    s.push_str("\")");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_and_escaped() {
        let map: NameMap = vec![
            (0, "foo".into()),
            (1, "foo".into()),
            (2, "a b".into()),
            (3, String::new()),
            (9, "out of range".into()),
        ];
        let s = Space::build(&map, 5, "func");
        assert_eq!(&*s.get(0).unwrap().text, "$foo");
        assert_eq!(&*s.get(1).unwrap().text, "$#func1<foo>");
        assert_eq!(s.get(1).unwrap().annot.as_deref(), Some("(@name \"foo\")"));
        assert_eq!(&*s.get(2).unwrap().text, "$\"a b\"");
        assert_eq!(&*s.get(3).unwrap().text, "$#func3<>");
        assert!(s.get(9).is_none());
        assert!(s.get(4).is_none());
    }

    #[test]
    fn generated_names_do_not_collide() {
        let map: NameMap = vec![(0, "x".into()), (1, "x".into()), (2, "#f1<x>".into())];
        let s = Space::build(&map, 3, "f");
        assert_eq!(&*s.get(1).unwrap().text, "$#f1<x>_1");
        assert_eq!(&*s.get(2).unwrap().text, "$#f1<x>");
    }
}
