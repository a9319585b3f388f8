//! The `name` custom section, decoded.

/// `(index, name)` pairs in the order they were given (by index, for valid sections).
pub type NameMap = Vec<(u32, String)>;

/// `(outer index, names within it)`, e.g. locals per function.
pub type IndirectNameMap = Vec<(u32, NameMap)>;

/// Every subsection of the name section (the 2.0 ones and the extended ones).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Names {
    /// Subsection 0: the module name.
    pub module: Option<String>,
    /// Subsection 1: function names.
    pub funcs: NameMap,
    /// Subsection 2: local names per function.
    pub locals: IndirectNameMap,
    /// Subsection 3: label names per function (labels numbered in block order).
    pub labels: IndirectNameMap,
    /// Subsection 4: type names.
    pub types: NameMap,
    /// Subsection 5: table names.
    pub tables: NameMap,
    /// Subsection 6: memory names.
    pub memories: NameMap,
    /// Subsection 7: global names.
    pub globals: NameMap,
    /// Subsection 8: element segment names.
    pub elems: NameMap,
    /// Subsection 9: data segment names.
    pub datas: NameMap,
    /// Subsection 10: field names per type (GC).
    pub fields: IndirectNameMap,
    /// Subsection 11: tag names.
    pub tags: NameMap,
    /// Subsection 12: parameter names per function type.
    pub type_params: IndirectNameMap,
    /// Subsection 13: parameter names per tag.
    pub tag_params: IndirectNameMap,
}

impl Names {
    /// True when no subsection has anything.
    pub fn is_empty(&self) -> bool {
        self.module.is_none()
            && self.funcs.is_empty()
            && self.locals.is_empty()
            && self.labels.is_empty()
            && self.types.is_empty()
            && self.tables.is_empty()
            && self.memories.is_empty()
            && self.globals.is_empty()
            && self.elems.is_empty()
            && self.datas.is_empty()
            && self.fields.is_empty()
            && self.tags.is_empty()
            && self.type_params.is_empty()
            && self.tag_params.is_empty()
    }

    /// Looks up `index` in a name map (binary search first, since valid maps are sorted).
    pub fn lookup(map: &NameMap, index: u32) -> Option<&str> {
        match map.binary_search_by_key(&index, |(i, _)| *i) {
            Ok(p) => Some(map[p].1.as_str()),
            Err(_) => map
                .iter()
                .find(|(i, _)| *i == index)
                .map(|(_, n)| n.as_str()),
        }
    }

    /// Looks up a name within an indirect map.
    pub fn lookup_indirect(map: &IndirectNameMap, outer: u32, inner: u32) -> Option<&str> {
        map.iter()
            .find(|(o, _)| *o == outer)
            .and_then(|(_, m)| Names::lookup(m, inner))
    }
}
