//! Import/export names and labels: the extern-name grammar of the Component
//! Model (plain kebab labels, `[constructor]`/`[method]`/`[static]`
//! annotated names, `ns:pkg/iface@version` interface names), the
//! `implements` / `version-suffix` attribute rules, the semver rules of
//! interface versions, and strong uniqueness of the names of one scope.
//!
//! The rules are the Component Model explainer's and, where it is silent
//! (messages, gated forms, the order of the checks), wasm-tools'
//! (wasmparser 0.263), whose messages the reference tests quote. The one
//! rule where the two part is strong uniqueness: wasmparser also ignores
//! `-` there, the explainer and the reference tests do not (see `key`).
//! Nothing here panics, whatever the input.

use std::borrow::Cow;
use std::collections::HashMap;

/// The gated name forms and attributes (wasmparser's `cm-*` features);
/// [`Default`] is wasmparser's default set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameFeatures {
    /// `[get]`/`[set]` accessor names (`cm-accessors`, off by default).
    pub accessors: bool,
    /// `a:b:c/d/e` nested namespaces and projections (`cm-nested-names`, off).
    pub nested_names: bool,
    /// `implements` and `external-id` attributes (`cm-implements`, on).
    pub implements: bool,
    /// The `version-suffix` attribute (`cm-canon-names`, off).
    pub canon_names: bool,
}

impl Default for NameFeatures {
    fn default() -> Self {
        NameFeatures {
            accessors: false,
            nested_names: false,
            implements: true,
            canon_names: false,
        }
    }
}

/// `[get]` or `[set]` in an accessor name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accessor {
    /// `[get]`
    Get,
    /// `[set]`
    Set,
}

/// What a component import/export name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind<'a> {
    /// A plain kebab name, e.g. `foo-bar` (the only kind `implements` allows).
    Label(&'a str),
    /// `[constructor]r`: the resource label.
    Constructor(&'a str),
    /// `[method]r.m` (or `[method][get]r.m` / `[method][set]r.m`).
    Method {
        /// The resource label.
        resource: &'a str,
        /// The method label.
        name: &'a str,
        /// The accessor annotation, if any.
        accessor: Option<Accessor>,
    },
    /// `[static]r.m` (or `[static][get]r.m` / `[static][set]r.m`).
    Static {
        /// The resource label.
        resource: &'a str,
        /// The function label.
        name: &'a str,
        /// The accessor annotation, if any.
        accessor: Option<Accessor>,
    },
    /// `[get]x` or `[set]x`, not attached to a resource.
    Accessor {
        /// Which accessor.
        accessor: Accessor,
        /// The property label.
        name: &'a str,
    },
    /// `ns:pkg/iface[@version]` (the whole name; the version is checked by
    /// [`check_interface_version`], since a `version-suffix` completes it).
    Interface(&'a str),
}

/// Whether `s` is a kebab-case label: `-`-separated words of ASCII letters
/// and digits, each word's letters all lowercase or all uppercase, the
/// first word starting with a letter.
pub fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').enumerate().all(|(i, word)| {
            let first_ok = match word.chars().next() {
                Some(c) if c.is_ascii_alphabetic() => true,
                // Only later words may start with a digit (`a-1`).
                Some(c) if c.is_ascii_digit() => i > 0,
                _ => false,
            };
            let mut letters = word.chars().filter(|c| c.is_ascii_alphabetic());
            let uniform = match letters.next() {
                Some(c) if c.is_ascii_lowercase() => letters.all(|c| c.is_ascii_lowercase()),
                Some(_) => letters.all(|c| c.is_ascii_uppercase()),
                None => true,
            };
            first_ok && uniform && word.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Checks a label (record field, variant case, flag, enum tag, parameter
/// name); `what` names it in the message, e.g. `"record field"`.
pub fn check_label(what: &str, name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("{what} name cannot be empty"));
    }
    if !is_kebab(name) {
        return Err(format!("{what} name `{name}` is not in kebab case"));
    }
    Ok(())
}

/// Parses and checks an extern name with the default features; `Err` is
/// the message that follows "... is not a valid extern name".
pub fn parse_name(name: &str) -> Result<NameKind<'_>, String> {
    parse_name_with(name, NameFeatures::default())
}

/// [`parse_name`] with the given gated forms.
pub fn parse_name_with(name: &str, features: NameFeatures) -> Result<NameKind<'_>, String> {
    let mut p = Cursor {
        rest: name,
        features,
    };
    // Any `:` makes it an interface name, wherever it is.
    let kind = if name.contains(':') {
        p.interface()?;
        NameKind::Interface(name)
    } else {
        p.plain()?
    };
    if !p.rest.is_empty() {
        return Err(format!("trailing characters found: `{}`", p.rest));
    }
    Ok(kind)
}

/// The unread rest of a name being parsed.
struct Cursor<'a> {
    rest: &'a str,
    features: NameFeatures,
}

impl<'a> Cursor<'a> {
    fn eat(&mut self, prefix: &str) -> bool {
        match self.rest.strip_prefix(prefix) {
            Some(r) => {
                self.rest = r;
                true
            }
            None => false,
        }
    }

    fn expect(&mut self, prefix: &str) -> Result<(), String> {
        if self.eat(prefix) {
            Ok(())
        } else {
            Err(format!("expected `{prefix}` at `{}`", self.rest))
        }
    }

    fn kebab(s: &'a str) -> Result<&'a str, String> {
        if is_kebab(s) {
            Ok(s)
        } else {
            Err(format!("`{s}` is not in kebab case"))
        }
    }

    /// A label running up to the first character no label can hold.
    fn label(&mut self) -> Result<&'a str, String> {
        let end = self
            .rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(self.rest.len());
        let (l, r) = self.rest.split_at(end);
        self.rest = r;
        Self::kebab(l)
    }

    /// A namespace or package label: lowercase only.
    fn lower_label(&mut self) -> Result<&'a str, String> {
        let l = self.label()?;
        if let Some(c) = l.chars().find(|c| c.is_ascii_uppercase()) {
            return Err(format!(
                "character `{c}` is not lowercase in package name/namespace"
            ));
        }
        Ok(l)
    }

    /// `ns:pkg/iface` then an optional `@version`, left unparsed here.
    fn interface(&mut self) -> Result<(), String> {
        self.lower_label()?;
        self.expect(":")?;
        self.lower_label()?;
        while self.features.nested_names && self.eat(":") {
            self.lower_label()?;
        }
        if !self.eat("/") {
            return Err("expected `/` after package name".into());
        }
        self.label()?;
        while self.features.nested_names && self.eat("/") {
            self.label()?;
        }
        if self.eat("@") {
            self.rest = "";
        }
        Ok(())
    }

    /// A plain name with its optional annotations; consumes everything.
    fn plain(&mut self) -> Result<NameKind<'a>, String> {
        #[derive(PartialEq)]
        enum Res {
            None,
            Constructor,
            Method,
            Static,
        }
        let res = if self.eat("[constructor]") {
            Res::Constructor
        } else if self.eat("[method]") {
            Res::Method
        } else if self.eat("[static]") {
            Res::Static
        } else {
            Res::None
        };
        let accessor = if self.eat("[get]") {
            Some(Accessor::Get)
        } else if self.eat("[set]") {
            Some(Accessor::Set)
        } else {
            None
        };
        if accessor.is_some() && !self.features.accessors {
            return Err(
                "`[get]` and `[set]` names require the component model accessors feature".into(),
            );
        }
        if res == Res::Constructor && accessor.is_some() {
            return Err("names with [constructor] cannot contain [get] or [set]".into());
        }
        let resource = if matches!(res, Res::Method | Res::Static) {
            let Some((r, rest)) = self.rest.split_once('.') else {
                return Err("failed to find `.` character".into());
            };
            self.rest = rest;
            Some(Self::kebab(r)?)
        } else {
            None
        };
        let name = Self::kebab(std::mem::take(&mut self.rest))?;
        Ok(match (res, resource, accessor) {
            (Res::Constructor, _, _) => NameKind::Constructor(name),
            (Res::Method, Some(resource), accessor) => NameKind::Method {
                resource,
                name,
                accessor,
            },
            (Res::Static, Some(resource), accessor) => NameKind::Static {
                resource,
                name,
                accessor,
            },
            (_, _, Some(accessor)) => NameKind::Accessor { accessor, name },
            _ => NameKind::Label(name),
        })
    }
}

/// The attributes an extern name may carry besides the name itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NameAttrs<'a> {
    /// `(implements "ns:pkg/iface")`
    pub implements: Option<&'a str>,
    /// `(version-suffix ".1")`
    pub version_suffix: Option<&'a str>,
    /// `(external-id "...")`
    pub external_id: Option<&'a str>,
}

/// Checks the attributes of the extern `name` (parsed as `kind`), which
/// names an instance when `is_instance`; `Err` is the whole message.
/// Run after [`parse_name`] and before the resource-function rules, as
/// wasmparser does.
pub fn check_attributes(
    name: &str,
    kind: NameKind<'_>,
    attrs: NameAttrs<'_>,
    is_instance: bool,
    features: NameFeatures,
) -> Result<(), String> {
    if let Some(suffix) = attrs.version_suffix {
        if !features.canon_names {
            return Err("the `cm-canon-names` feature is not active".into());
        }
        if !is_instance {
            return Err("only instances can have a `version-suffix`".into());
        }
        if suffix.is_empty() {
            return Err("version suffix cannot be empty".into());
        }
        // Without `implements` the suffix completes the name's own version.
        if attrs.implements.is_none() && !matches!(kind, NameKind::Interface(_)) {
            return Err("`version-suffix` requires an interface name or `implements`".into());
        }
    }
    if let Some(imp) = attrs.implements {
        if !features.implements {
            return Err("the `cm-implements` feature is not active".into());
        }
        if !matches!(kind, NameKind::Label(_)) {
            return Err(format!("name `{name}` is not valid with `implements`"));
        }
        if !is_instance {
            return Err("only instances can have an `implements`".into());
        }
        match parse_name_with(imp, features) {
            Ok(NameKind::Interface(_)) => check_interface_version(imp, attrs.version_suffix)?,
            Ok(_) => return Err(format!("name `{imp}` must be an interface")),
            Err(m) => return Err(format!("`{imp}` is not a valid name: {m}")),
        }
    }
    if attrs.external_id.is_some() && !features.implements {
        return Err("the `cm-implements` feature is not active".into());
    }
    Ok(())
}

/// Checks the version of the interface name `name` (its text after the
/// first `@`, completed by `suffix` when there is one): a semver, of which
/// the name holds the canonical part. `Err` is "invalid interface version:
/// ..."; for an extern's own name it follows "... name `x` is not valid: ".
pub fn check_interface_version(name: &str, suffix: Option<&str>) -> Result<(), String> {
    let prefix = name.find('@').map(|i| &name[i + 1..]);
    let r = match (prefix, suffix) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err("a version suffix requires the name to have a version".to_string()),
        (Some(p), None) => semver::check(p),
        (Some(p), Some(s)) => {
            let full = format!("{p}{s}");
            semver::check(&full).and_then(|()| {
                if semver::split_canonical(&full) == Some((p, Some(s))) {
                    Ok(())
                } else {
                    Err(format!("`{p}` is not the canonical version of `{full}`"))
                }
            })
        }
    };
    r.map_err(|m| format!("invalid interface version: {m}"))
}

/// `name` as wasmparser shows it in conflict messages: with its version
/// suffix appended when it has a version.
pub fn with_version_suffix<'a>(name: &'a str, suffix: Option<&str>) -> Cow<'a, str> {
    match suffix {
        Some(s) if name.contains('@') => Cow::Owned(format!("{name}{s}")),
        _ => Cow::Borrowed(name),
    }
}

/// What two strongly-unique names must differ in (the explainer's "Name
/// Uniqueness"): the name with its letters lowercased, `[method]l.l` and
/// `[static]l.l` reduced to `l`, and every annotation but `[constructor]`
/// (and, for the gated accessors, `[set]`, as wasmparser does) dropped.
/// An interface name's version is compared as it is.
///
/// wasmparser 0.263 also drops every `-` (so `a1` and `a-1` conflict);
/// the explainer and the reference tests (kebab.wast imports both) do
/// not, and neither does this.
fn key(name: &str) -> String {
    if name.contains(':') {
        return match name.split_once('@') {
            Some((path, version)) => format!("{}@{version}", path.to_ascii_lowercase()),
            None => name.to_ascii_lowercase(),
        };
    }
    let mut rest = name;
    let constructor = rest.starts_with("[constructor]");
    for p in ["[constructor]", "[method]", "[static]"] {
        if let Some(r) = rest.strip_prefix(p) {
            rest = r;
            break;
        }
    }
    let setter = rest.starts_with("[set]");
    rest = rest
        .strip_prefix("[get]")
        .or_else(|| rest.strip_prefix("[set]"))
        .unwrap_or(rest);
    let lower = rest.to_ascii_lowercase();
    if let Some((r, m)) = lower.split_once('.') {
        if r == m {
            return r.to_string();
        }
    }
    // `[constructor]` and `[set]` cannot be in a valid plain name
    // otherwise, so the prefixes keep these keys apart.
    if constructor {
        format!("[constructor]{lower}")
    } else if setter {
        format!("[set]{lower}")
    } else {
        lower
    }
}

/// The strongly-unique names of one scope (a component's imports, its
/// exports, an instance type's exports...).
#[derive(Clone, Default)]
pub struct NameSet {
    names: HashMap<String, String>,
}

impl NameSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a name; `Err(previous)` when it is not strongly-unique with a
    /// name already in the set.
    pub fn insert(&mut self, name: &str) -> Result<(), String> {
        self.insert_with_suffix(name, None)
    }

    /// [`NameSet::insert`] for a name with a `version-suffix`: the key is
    /// the name alone, the previous name comes back with its suffix.
    pub fn insert_with_suffix(&mut self, name: &str, suffix: Option<&str>) -> Result<(), String> {
        use std::collections::hash_map::Entry;
        match self.names.entry(key(name)) {
            Entry::Occupied(e) => Err(e.get().clone()),
            Entry::Vacant(e) => {
                e.insert(with_version_suffix(name, suffix).into_owned());
                Ok(())
            }
        }
    }

    /// The number of names in the set.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// The labels of one type (fields of a record, cases of a variant, flags,
/// enum tags, parameters): strongly-unique, i.e. unique ignoring case.
#[derive(Clone, Default)]
pub struct LabelSet {
    labels: HashMap<String, String>,
}

impl LabelSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a label; `Err(previous)` when one equal to it ignoring case is
    /// already in the set.
    pub fn insert(&mut self, label: &str) -> Result<(), String> {
        use std::collections::hash_map::Entry;
        match self.labels.entry(label.to_ascii_lowercase()) {
            Entry::Occupied(e) => Err(e.get().clone()),
            Entry::Vacant(e) => {
                e.insert(label.to_string());
                Ok(())
            }
        }
    }
}

/// Semantic versions (semver.org 2.0.0) with the `semver` crate's messages,
/// which wasmparser passes on.
mod semver {
    /// Where in a version the parser is, as the messages name it.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Pos {
        Major,
        Minor,
        Patch,
        Pre,
        Build,
    }

    impl Pos {
        fn desc(self) -> &'static str {
            match self {
                Pos::Major => "major version number",
                Pos::Minor => "minor version number",
                Pos::Patch => "patch version number",
                Pos::Pre => "pre-release identifier",
                Pos::Build => "build metadata",
            }
        }
    }

    /// A character as the messages quote it.
    fn quoted(c: char) -> String {
        if c == '\0' {
            "'\\0'".to_string()
        } else {
            format!("{c:?}")
        }
    }

    /// A `major`/`minor`/`patch` number: digits, no leading zero, fits u64.
    fn number(s: &str, pos: Pos) -> Result<&str, String> {
        let len = s.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return Err(match s.chars().next() {
                Some(c) => format!(
                    "unexpected character {} while parsing {}",
                    quoted(c),
                    pos.desc()
                ),
                None => format!("unexpected end of input while parsing {}", pos.desc()),
            });
        }
        if len > 1 && s.starts_with('0') {
            return Err(format!("invalid leading zero in {}", pos.desc()));
        }
        if s[..len].parse::<u64>().is_err() {
            return Err(format!("value of {} exceeds u64::MAX", pos.desc()));
        }
        Ok(&s[len..])
    }

    /// The `.` after a number.
    fn dot(s: &str, pos: Pos) -> Result<&str, String> {
        match s.strip_prefix('.') {
            Some(r) => Ok(r),
            None => Err(match s.chars().next() {
                Some(c) => format!("unexpected character {} after {}", quoted(c), pos.desc()),
                None => format!("unexpected end of input while parsing {}", pos.desc()),
            }),
        }
    }

    /// Dot-separated identifiers of `[0-9A-Za-z-]`, up to the first other
    /// character; returns what follows them.
    fn identifiers(s: &str, pos: Pos) -> Result<&str, String> {
        let empty = || format!("empty identifier segment in {}", pos.desc());
        let mut rest = s;
        loop {
            let len = rest
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
                .count();
            let (seg, after) = rest.split_at(len);
            if seg.is_empty() {
                return Err(empty());
            }
            if pos == Pos::Pre
                && len > 1
                && seg.bytes().all(|b| b.is_ascii_digit())
                && seg.starts_with('0')
            {
                return Err(format!("invalid leading zero in {}", pos.desc()));
            }
            match after.strip_prefix('.') {
                Some(r) => rest = r,
                None => return Ok(after),
            }
        }
    }

    /// Checks that `v` is a semantic version.
    pub(super) fn check(v: &str) -> Result<(), String> {
        if v.is_empty() {
            return Err("empty string, expected a semver version".into());
        }
        let mut pos = Pos::Major;
        let mut rest = dot(number(v, pos)?, pos)?;
        pos = Pos::Minor;
        rest = dot(number(rest, pos)?, pos)?;
        pos = Pos::Patch;
        rest = number(rest, pos)?;
        if let Some(r) = rest.strip_prefix('-') {
            pos = Pos::Pre;
            rest = identifiers(r, pos)?;
        }
        if let Some(r) = rest.strip_prefix('+') {
            pos = Pos::Build;
            rest = identifiers(r, pos)?;
        }
        match rest.chars().next() {
            Some(c) => Err(format!(
                "unexpected character {} after {}",
                quoted(c),
                pos.desc()
            )),
            None => Ok(()),
        }
    }

    /// Splits a version into the canonical part an interface name holds
    /// (`major` when not 0, else `0.minor` when minor is not 0, else the
    /// whole version without build metadata; always the whole version
    /// without build metadata when there is a pre-release) and the rest.
    /// `None` when `v` is not a version.
    pub(super) fn split_canonical(v: &str) -> Option<(&str, Option<&str>)> {
        let ident =
            |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let (main, build) = match v.split_once('+') {
            Some((a, b)) => (a, Some(b)),
            None => (v, None),
        };
        if build.is_some_and(|b| !b.split('.').all(ident)) {
            return None;
        }
        let (core, pre) = match main.split_once('-') {
            Some((a, b)) => (a, Some(b)),
            None => (main, None),
        };
        if pre.is_some_and(|p| !p.split('.').all(ident)) {
            return None;
        }
        let nums: Vec<&str> = core.split('.').collect();
        let num = |s: &&str| {
            !s.is_empty()
                && s.bytes().all(|b| b.is_ascii_digit())
                && (*s == "0" || !s.starts_with('0'))
        };
        if nums.len() != 3 || !nums.iter().all(num) {
            return None;
        }
        let at = if pre.is_some() {
            main.len()
        } else if nums[0] != "0" {
            nums[0].len()
        } else if nums[1] != "0" {
            nums[0].len() + 1 + nums[1].len()
        } else {
            main.len()
        };
        let (canonical, suffix) = v.split_at(at);
        Some((canonical, (!suffix.is_empty()).then_some(suffix)))
    }
}
