//! WIT text to the resolved model: files and directories (with `deps/`) are
//! read, lexed, parsed, ordered by package dependencies and resolved, with
//! the semantics of wit-parser's `Resolve::push_path`.

mod ast;
mod error;
mod gate;
mod lex;
mod parser;
mod parser_types;
mod resolve;
mod toposort;
mod types;
mod world;

pub use error::{SourceError, WitError};
pub(crate) use world::elaborate as elaborate_world;

use crate::model::{PackageId, PackageName, Resolve};
use resolve::{Located, Resolver, UnresolvedPackage};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// Which `@unstable` features are enabled.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// Features to enable by name.
    pub features: Vec<String>,
    /// Enable every feature.
    pub all_features: bool,
}

/// Every file read, so that errors can quote them.
#[derive(Default)]
struct Sources {
    files: Vec<(PathBuf, String)>,
}

impl Sources {
    fn located(&self, e: Located) -> WitError {
        let (path, src) = &self.files[e.file];
        error::locate(
            error::Spanned {
                message: e.message,
                offset: e.at,
            },
            path,
            src,
        )
    }
}

/// Parses a `.wit` file, or a directory of them plus its `deps/`, into
/// `Resolve` and returns it with the id of the main package.
pub fn parse_path(path: &Path, opts: &ParseOptions) -> Result<(Resolve, PackageId), WitError> {
    let mut resolve = Resolve::default();
    let mut sources = Sources::default();
    let io = |p: &Path, e: std::io::Error| {
        WitError::Other(format!("failed to read {}: {e}", p.display()))
    };
    let main = if path.is_dir() {
        let main = group_dir(&mut sources, path)?;
        let mut deps = Vec::new();
        let deps_dir = path.join("deps");
        if deps_dir.exists() {
            let mut entries: Vec<_> = std::fs::read_dir(&deps_dir)
                .and_then(|d| d.collect::<Result<Vec<_>, _>>())
                .map_err(|e| io(&deps_dir, e))?;
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                let p = e.path();
                if p.is_dir() {
                    deps.push(group_dir(&mut sources, &p)?);
                } else if p.extension().is_some_and(|x| x == "wit") {
                    let text = std::fs::read_to_string(&p).map_err(|e| io(&p, e))?;
                    deps.push(group_files(&mut sources, vec![(p, text)])?);
                } else if p.extension().is_some_and(|x| x == "wasm" || x == "wat") {
                    return Err(WitError::Other(format!(
                        "{}: WIT packages encoded as components are not supported in deps/",
                        p.display()
                    )));
                }
            }
        }
        push_groups(&mut resolve, &sources, main, deps, opts)?
    } else {
        let text = std::fs::read_to_string(path).map_err(|e| io(path, e))?;
        let group = group_files(&mut sources, vec![(path.to_path_buf(), text)])?;
        push_groups(&mut resolve, &sources, group, Vec::new(), opts)?
    };
    Ok((resolve, main))
}

/// Parses one file's text (named `name` in errors) into `resolve`; its
/// dependencies must already be there. Returns the file's main package.
pub fn parse_source(
    resolve: &mut Resolve,
    name: &str,
    text: &str,
    opts: &ParseOptions,
) -> Result<PackageId, WitError> {
    let mut sources = Sources::default();
    let group = group_files(&mut sources, vec![(PathBuf::from(name), text.to_string())])?;
    let before = (
        resolve.packages.len(),
        resolve.interfaces.len(),
        resolve.worlds.len(),
        resolve.types.len(),
    );
    let result = push_groups(resolve, &sources, group, Vec::new(), opts);
    if result.is_err() {
        // Leave `resolve` as it was: the caller may go on using it.
        resolve.packages.truncate(before.0);
        resolve.interfaces.truncate(before.1);
        resolve.worlds.truncate(before.2);
        resolve.types.truncate(before.3);
    }
    result
}

/// A set of files forming one package, plus the `package … { }` blocks in them.
struct Group {
    main: UnresolvedPackage,
    nested: Vec<UnresolvedPackage>,
}

fn group_dir(sources: &mut Sources, dir: &Path) -> Result<Group, WitError> {
    let io = |e: std::io::Error| WitError::Other(format!("failed to read {}: {e}", dir.display()));
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io)? {
        let p = e.map_err(io)?.path();
        if p.is_file() && p.extension().is_some_and(|x| x == "wit") {
            let text = std::fs::read_to_string(&p).map_err(io)?;
            files.push((p, text));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    group_files(sources, files)
}

fn group_files(sources: &mut Sources, files: Vec<(PathBuf, String)>) -> Result<Group, WitError> {
    let mut name: Option<(PackageName, usize, usize)> = None;
    let mut docs = crate::model::Docs::default();
    let mut decls = Vec::new();
    let mut nested = Vec::new();
    for (path, text) in files {
        let file = sources.files.len();
        let parsed = parser::parse_file(&text).map_err(|e| error::locate(e, &path, &text));
        sources.files.push((path, text));
        let parsed = parsed?;
        let err = |at: usize, m: String| {
            sources.located(Located {
                file,
                at,
                message: m,
            })
        };
        if let Some((pkg, at, d)) = parsed.name {
            if let Some((prev, ..)) = &name {
                if *prev != pkg {
                    return Err(err(
                        at,
                        format!("package identifier `{pkg}` does not match previous package name of `{prev}`"),
                    ));
                }
            }
            let d = types::docs_of(&d);
            if d.contents.is_some() {
                if docs.contents.is_some() {
                    return Err(err(
                        at,
                        "found doc comments on multiple 'package' items".into(),
                    ));
                }
                docs = d;
            }
            name = Some((pkg, file, at));
        }
        for n in parsed.nested {
            let (pkg, at, d) = n.name.unwrap();
            nested.push(UnresolvedPackage {
                name: pkg,
                file,
                at,
                docs: types::docs_of(&d),
                decls: vec![(file, n.items)],
            });
        }
        decls.push((file, parsed.items));
    }
    let Some((name, file, at)) = name else {
        return Err(WitError::Other(
            "no `package` header was found in any WIT file for this package".into(),
        ));
    };
    Ok(Group {
        main: UnresolvedPackage {
            name,
            file,
            at,
            docs,
            decls,
        },
        nested,
    })
}

/// Sorts all packages of `main` and `deps` so dependencies come first, and
/// resolves them in that order.
fn push_groups(
    resolve: &mut Resolve,
    sources: &Sources,
    main: Group,
    deps: Vec<Group>,
    opts: &ParseOptions,
) -> Result<PackageId, WitError> {
    let main_name = main.main.name.clone();
    let mut all: BTreeMap<(String, String, Option<crate::model::Version>), UnresolvedPackage> =
        BTreeMap::new();
    for g in std::iter::once(main).chain(deps) {
        for p in g.nested.into_iter().chain([g.main]) {
            let key = (
                p.name.namespace.clone(),
                p.name.name.clone(),
                p.name.version.clone(),
            );
            if all.contains_key(&key) {
                let (file, at) = (p.file, p.at);
                return Err(sources.located(Located {
                    file,
                    at,
                    message: format!("package `{}` is defined in two different locations", p.name),
                }));
            }
            all.insert(key, p);
        }
    }
    let mut order: Vec<(String, String, Option<crate::model::Version>)> = Vec::new();
    let mut visiting = HashSet::new();
    for key in all.keys() {
        visit(key, &all, &mut order, &mut visiting, sources)?;
    }
    let mut main_id = None;
    for key in order {
        let pkg = &all[&key];
        let mut r = Resolver::run(resolve, pkg, opts).map_err(|e| sources.located(e))?;
        r.finish(opts).map_err(|e| sources.located(e))?;
        if pkg.name == main_name {
            main_id = Some(r.pkg);
        }
    }
    Ok(main_id.expect("the main package is among those sorted"))
}

type Key = (String, String, Option<crate::model::Version>);

fn visit(
    key: &Key,
    all: &BTreeMap<Key, UnresolvedPackage>,
    order: &mut Vec<Key>,
    visiting: &mut HashSet<Key>,
    sources: &Sources,
) -> Result<(), WitError> {
    if order.contains(key) {
        return Ok(());
    }
    let pkg = &all[key];
    for (dep, file, at) in foreign_deps(pkg) {
        let dk = (dep.namespace.clone(), dep.name.clone(), dep.version.clone());
        if !visiting.insert(dk.clone()) {
            return Err(sources.located(Located {
                file,
                at,
                message: format!("package `{dep}` creates a dependency cycle"),
            }));
        }
        if all.contains_key(&dk) {
            visit(&dk, all, order, visiting, sources)?;
        }
        visiting.remove(&dk);
    }
    order.push(key.clone());
    Ok(())
}

/// Packages `pkg` refers to, in first-mention order (imports before exports
/// in a world, as wit-parser visits them).
fn foreign_deps(pkg: &UnresolvedPackage) -> Vec<(PackageName, usize, usize)> {
    let mut out: Vec<(PackageName, usize, usize)> = Vec::new();
    for (file, items) in &pkg.decls {
        let mut add = |p: &ast::UsePath| {
            if let ast::UsePath::Package { pkg, at, .. } = p {
                if !out.iter().any(|o| o.0 == *pkg) {
                    out.push((pkg.clone(), *file, *at));
                }
            }
        };
        for item in items {
            match item {
                ast::Item::Use(u) => add(&u.path),
                ast::Item::Interface(i) => {
                    for it in &i.items {
                        if let ast::IfaceItem::Use(u) = it {
                            add(&u.from);
                        }
                    }
                }
                ast::Item::World(w) => {
                    let mut imports = Vec::new();
                    let mut exports = Vec::new();
                    for it in &w.items {
                        match it {
                            ast::WorldItem::Use(u) => add(&u.from),
                            ast::WorldItem::Include(i) => add(&i.from),
                            ast::WorldItem::Import(e) => imports.push(e),
                            ast::WorldItem::Export(e) => exports.push(e),
                            ast::WorldItem::Type(_) => {}
                        }
                    }
                    for e in imports.into_iter().chain(exports) {
                        match &e.kind {
                            ast::ExternKind::Interface(_, items) => {
                                for it in items {
                                    if let ast::IfaceItem::Use(u) = it {
                                        add(&u.from);
                                    }
                                }
                            }
                            ast::ExternKind::Path(p) | ast::ExternKind::NamedPath(_, p) => add(p),
                            ast::ExternKind::Func(..) => {}
                        }
                    }
                }
            }
        }
    }
    out
}
