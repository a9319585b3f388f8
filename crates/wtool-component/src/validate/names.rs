//! Import/export names and labels (interim: kebab-case labels and
//! case-insensitive uniqueness only; the full name grammar replaces this).

/// Whether `s` is a kebab-case label.
fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(c) if c.is_ascii_lowercase() => w
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
                Some(c) if c.is_ascii_uppercase() => w
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
                _ => false,
            }
        })
}

/// Checks a label of a type (record field, case, flag, parameter...).
pub fn check_label(what: &str, name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("{what} name cannot be empty"));
    }
    if !is_kebab(name) {
        return Err(format!("{what} name `{name}` is not in kebab case"));
    }
    Ok(())
}

/// What a component import/export name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind<'a> {
    /// A plain kebab name.
    Label(&'a str),
    /// `[constructor]r`
    Constructor(&'a str),
    /// `[method]r.m`
    Method {
        /// The resource label.
        resource: &'a str,
        /// The method label.
        name: &'a str,
    },
    /// `[static]r.m`
    Static {
        /// The resource label.
        resource: &'a str,
        /// The function label.
        name: &'a str,
    },
    /// `ns:pkg/iface[@version]`
    Interface(&'a str),
}

/// Parses an extern name.
pub fn parse_name(name: &str) -> Result<NameKind<'_>, String> {
    if name.is_empty() {
        return Err("`` is not in kebab case".into());
    }
    if let Some(r) = name.strip_prefix("[constructor]") {
        return Ok(NameKind::Constructor(r));
    }
    for (p, is_method) in [("[method]", true), ("[static]", false)] {
        if let Some(rest) = name.strip_prefix(p) {
            let (resource, n) = rest.split_once('.').ok_or("failed to find `.` character")?;
            return Ok(if is_method {
                NameKind::Method { resource, name: n }
            } else {
                NameKind::Static { resource, name: n }
            });
        }
    }
    if name.contains(':') {
        return Ok(NameKind::Interface(name));
    }
    Ok(NameKind::Label(name))
}

/// Names of one scope, unique case-insensitively.
#[derive(Default)]
pub struct NameSet(Vec<String>);

impl NameSet {
    /// An empty set.
    pub fn new() -> Self {
        NameSet(Vec::new())
    }

    /// Adds a name; `Err(previous)` when it conflicts.
    pub fn insert(&mut self, name: &str) -> Result<(), String> {
        if let Some(p) = self.0.iter().find(|p| p.eq_ignore_ascii_case(name)) {
            return Err(p.clone());
        }
        self.0.push(name.to_string());
        Ok(())
    }
}

/// Labels of one type, unique case-insensitively.
pub type LabelSet = NameSet;
