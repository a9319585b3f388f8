//! `wtool component wit|embed`: WIT packages and worlds, as
//! `wasm-tools component` handles them.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::CliError;
use crate::io::{atomic_write, Format, OutputArg, OutputKind};
use wtool_wit::encode::StringEncoding;
use wtool_wit::model::{PackageId, Resolve, WorldId};
use wtool_wit::parse::{ParseOptions, WitError};

const EXAMPLES: &str = "\
Examples:
  wtool component wit app.wasm                 # the WIT a component imports and exports
  wtool component wit wit/                     # a WIT package directory (with deps/), normalized
  wtool component wit wit/ --wasm -o pkg.wasm  # the package encoded as a component
  wtool component embed wit/ core.wasm -o core-with-wit.wasm --world app
  wtool component new core-with-wit.wasm -o app.wasm   # the module wrapped as a component";

/// Arguments of `wtool component`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// Print the WIT of a component, a WIT package encoded as a component, or a WIT file or directory
    Wit(WitArgs),
    /// Record a WIT world in a core module's `component-type` custom section
    Embed(EmbedArgs),
    /// Wrap a core module carrying WIT metadata (`component embed`) into a component
    New(NewArgs),
}

/// `@unstable` feature selection, as wasm-tools spells it.
#[derive(clap::Args, Debug)]
struct WitFeatures {
    /// Enable these `@unstable(feature = …)` WIT features (comma-separated or repeated)
    #[arg(long = "features", value_name = "FEATURES", value_delimiter = ',')]
    features: Vec<String>,
    /// Enable every `@unstable` WIT feature
    #[arg(long)]
    all_features: bool,
}

impl WitFeatures {
    fn options(&self) -> ParseOptions {
        ParseOptions {
            features: self.features.clone(),
            all_features: self.all_features,
        }
    }
}

#[derive(clap::Args, Debug)]
struct WitArgs {
    /// A component (.wasm), a WIT file, or a directory of WIT files with deps/ (stdin when omitted)
    input: Option<PathBuf>,
    /// Write here instead of stdout (atomically)
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Write the package encoded as a component (binary) instead of WIT text
    #[arg(short, long, conflicts_with = "wat")]
    wasm: bool,
    /// Write the package encoded as a component, in the text format
    #[arg(short = 't', long)]
    wat: bool,
    /// Leave doc comments out of the WIT text
    #[arg(long)]
    no_docs: bool,
    #[command(flatten)]
    features: WitFeatures,
}

#[derive(clap::Args, Debug)]
struct EmbedArgs {
    /// The WIT file or directory holding the world
    wit: PathBuf,
    /// The core module (stdin when omitted)
    input: Option<PathBuf>,
    /// The world: a name in the main package, or `ns:pkg/world` (needed when there are several)
    #[arg(short, long, value_name = "WORLD")]
    world: Option<String>,
    /// The string encoding the module's canonical ABI uses
    #[arg(long, value_name = "ENCODING", default_value = "utf8", value_parser = ["utf8", "utf16", "compact-utf16"])]
    encoding: String,
    /// Write here instead of stdout (atomically)
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Write the result in the text format
    #[arg(short = 't', long)]
    wat: bool,
    #[command(flatten)]
    features: WitFeatures,
}

#[derive(clap::Args, Debug)]
struct NewArgs {
    /// The core module with a `component-type` custom section (stdin when omitted)
    input: Option<PathBuf>,
    /// Write here instead of stdout (atomically)
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Satisfy the module's imports from core module NAME with this adapter module
    /// (NAME defaults to the file name up to its first dot: `wasi_snapshot_preview1`)
    #[arg(long, value_name = "[NAME=]ADAPTER")]
    adapt: Vec<String>,
    /// Write the component in the text format
    #[arg(short = 't', long)]
    wat: bool,
    /// Adapters allocate their stack and buffers with `memory.grow` instead of
    /// the main module's `cabi_realloc`
    #[arg(long)]
    realloc_via_memory_grow: bool,
    /// Merge imports of semver-compatible versions of one interface into the newest
    #[arg(long, require_equals = true, value_name = "true|false", num_args = 0..=1,
          default_missing_value = "true", default_value = "true")]
    merge_imports_based_on_semver: bool,
    /// Recognise only the `cm32p2` name mangling, not the legacy names
    #[arg(long)]
    reject_legacy_names: bool,
    /// Validate the component before writing it
    #[arg(long, require_equals = true, value_name = "true|false", num_args = 0..=1,
          default_missing_value = "true", default_value = "true")]
    validate: bool,
}

/// Runs the chosen `component` subcommand.
pub fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        Sub::Wit(a) => wit(a),
        Sub::Embed(a) => embed(a),
        Sub::New(a) => new(a),
    }
}

/// The input's bytes and the name errors use for it.
fn read_input(path: Option<&Path>) -> Result<(Vec<u8>, String), CliError> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            let name = p.display().to_string();
            let bytes = std::fs::read(p).map_err(|e| CliError::io("read", &name, e))?;
            Ok((bytes, name))
        }
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| CliError::io("read", "<stdin>", e))?;
            Ok((bytes, "<stdin>".into()))
        }
    }
}

/// A WIT error as the CLI shows source errors: file:line:col and a snippet.
fn wit_error(e: WitError) -> CliError {
    match e {
        WitError::Source(s) => {
            let file = s.path.display().to_string();
            // The parser reports line and column; the renderer wants the
            // byte offset in the file's text, which is re-read for it.
            match std::fs::read_to_string(&s.path) {
                Ok(text) => {
                    let offset = offset_of(&text, s.line, s.col);
                    CliError::Source {
                        file,
                        text,
                        offset,
                        len: 0,
                        message: s.message,
                    }
                }
                Err(_) => CliError::Plain(format!("{}\n  --> {file}:{}:{}", s.message, s.line, s.col)),
            }
        }
        WitError::Other(m) => CliError::Plain(m),
    }
}

/// The byte offset of 1-based `line` and character column `col` in `text`.
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// Reads WIT from a path: a directory, a `.wit` file, or a WIT package
/// encoded as a component.
fn load_wit(path: &Path, opts: &ParseOptions) -> Result<(Resolve, PackageId), CliError> {
    if path.is_file() {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| CliError::io("read", &name, e))?;
        if bytes.starts_with(b"\0asm") {
            return decode_wasm(&bytes, &name).map(|d| {
                let main = d.package();
                match d {
                    wtool_wit::decode::DecodedWasm::WitPackage(r, _)
                    | wtool_wit::decode::DecodedWasm::Component(r, _) => (r, main),
                }
            });
        }
    }
    wtool_wit::parse::parse_path(path, opts).map_err(wit_error)
}

fn decode_wasm(bytes: &[u8], name: &str) -> Result<wtool_wit::decode::DecodedWasm, CliError> {
    if bytes.len() >= 8 && bytes[4..8] == [1, 0, 0, 0] {
        return Err(CliError::Plain(format!(
            "{name}: this is a core module, not a component: `wtool component wit` reads \
             components and WIT (a module's embedded world is read by `wasm-tools component new`)"
        )));
    }
    wtool_wit::decode::decode(bytes).map_err(|e| CliError::Component {
        file: name.to_string(),
        offset: Some(e.offset),
        message: e.message,
    })
}

/// `wtool component wit`.
fn wit(args: WitArgs) -> Result<(), CliError> {
    let opts = args.features.options();
    let (resolve, main) = match args.input.as_deref() {
        Some(p) if p.as_os_str() != "-" && p.is_dir() => {
            wtool_wit::parse::parse_path(p, &opts).map_err(wit_error)?
        }
        path => {
            let (bytes, name) = read_input(path)?;
            if bytes.starts_with(b"\0asm") {
                let d = decode_wasm(&bytes, &name)?;
                let main = d.package();
                match d {
                    wtool_wit::decode::DecodedWasm::WitPackage(r, _)
                    | wtool_wit::decode::DecodedWasm::Component(r, _) => (r, main),
                }
            } else if let Some(p) = path.filter(|p| p.as_os_str() != "-") {
                wtool_wit::parse::parse_path(p, &opts).map_err(wit_error)?
            } else {
                let text = String::from_utf8(bytes).map_err(|_| {
                    CliError::Plain("<stdin>: WIT text must be UTF-8".into())
                })?;
                let mut resolve = Resolve::default();
                let main = wtool_wit::parse::parse_source(&mut resolve, "<stdin>", &text, &opts)
                    .map_err(wit_error)?;
                (resolve, main)
            }
        }
    };
    if args.wasm || args.wat {
        let bytes = wtool_wit::encode::encode(&resolve, main)
            .map_err(|e| CliError::Plain(format!("cannot encode the package: {}", e.0)))?;
        return write(args.output.as_deref(), args.wasm, |out| {
            if args.wasm {
                out.write_all(&bytes)
            } else {
                let c = wtool_component::decode(&bytes, wtool_ast::Features::ALL)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                wtool_component::print::print_to_io(&c, &Default::default(), out)
            }
        });
    }
    let mut printer = wtool_wit::print::WitPrinter::new();
    printer.emit_docs(!args.no_docs);
    let text = printer
        .print_all(&resolve, main)
        .map_err(|(_, e)| CliError::Plain(format!("cannot print the package as WIT: {e}")))?;
    write(args.output.as_deref(), false, |out| out.write_all(text.as_bytes()))
}

/// Writes to `-o FILE` atomically, or to stdout.
fn write(
    output: Option<&Path>,
    binary: bool,
    f: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    let kind = if binary {
        OutputKind::Binary
    } else {
        OutputKind::Text
    };
    if let Some(p) = output.filter(|p| p.as_os_str() != "-") {
        return atomic_write(p, f);
    }
    OutputArg { output: None }.write_with(kind, f)
}

/// Finds the world `spec` names (or the only world of the main package).
fn pick_world(resolve: &Resolve, main: PackageId, spec: Option<&str>) -> Result<WorldId, CliError> {
    let pkg = resolve.package(main);
    match spec {
        None => match pkg.worlds.len() {
            1 => Ok(*pkg.worlds.values().next().expect("one world")),
            0 => Err(CliError::Plain(format!("package `{}` contains no worlds", pkg.name))),
            _ => Err(CliError::Usage {
                message: format!(
                    "package `{}` contains several worlds: {}",
                    pkg.name,
                    pkg.worlds.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
                ),
                hint: Some("choose one with `--world NAME`".into()),
            }),
        },
        Some(spec) => {
            // `ns:pkg/world` (with an optional version on the package) or a bare name.
            let (pkg_id, name) = match spec.split_once('/') {
                Some((p, w)) => {
                    let found = resolve.packages.iter().position(|q| {
                        let full = q.name.to_string();
                        full == p || format!("{}:{}", q.name.namespace, q.name.name) == p
                    });
                    match found {
                        Some(i) => (PackageId(i as u32), w),
                        None => {
                            return Err(CliError::Plain(format!("no package named `{p}`")));
                        }
                    }
                }
                None => (main, spec),
            };
            resolve
                .package(pkg_id)
                .worlds
                .get(name)
                .copied()
                .ok_or_else(|| {
                    CliError::Plain(format!(
                        "world `{name}` is not defined in package `{}`",
                        resolve.package(pkg_id).name
                    ))
                })
        }
    }
}

/// `wtool component embed`.
fn embed(args: EmbedArgs) -> Result<(), CliError> {
    let (resolve, main) = load_wit(&args.wit, &args.features.options())?;
    let world = pick_world(&resolve, main, args.world.as_deref())?;
    let input = crate::io::InputArg {
        input: args.input.clone().unwrap_or_else(|| PathBuf::from("-")),
    }
    .read()?;
    // A binary module is checked by decoding it and then kept byte for
    // byte (the section is appended); a text module is parsed and encoded.
    let module = match input.format {
        Format::Binary => {
            input.module(wtool_ast::Features::ALL)?;
            input.bytes.to_vec()
        }
        Format::Text => wtool_binary::encode(&input.module(wtool_ast::Features::ALL)?),
    };
    let encoding = match args.encoding.as_str() {
        "utf16" => StringEncoding::Utf16,
        "compact-utf16" => StringEncoding::CompactUtf16,
        _ => StringEncoding::Utf8,
    };
    let out = wtool_wit::encode::embed(&module, &resolve, world, encoding)
        .map_err(|e| CliError::Plain(format!("cannot encode the world: {}", e.0)))?;
    write(args.output.as_deref(), !args.wat, |w| {
        if args.wat {
            let m = wtool_binary::decode_with_features(&out, wtool_ast::Features::ALL)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            wtool_print::print_to_io(&m, &Default::default(), w)
        } else {
            w.write_all(&out)
        }
    })
}

/// `wtool component new`.
fn new(args: NewArgs) -> Result<(), CliError> {
    let mut adapters: Vec<(String, Vec<u8>)> = Vec::new();
    for a in &args.adapt {
        let (name, path) = match a.split_once('=') {
            Some((n, p)) => (n.to_string(), PathBuf::from(p)),
            None => {
                let path = PathBuf::from(a);
                let stem = path
                    .file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let name = stem.split('.').next().unwrap_or_default().to_string();
                (name, path)
            }
        };
        if name.is_empty() {
            return Err(CliError::Plain(format!(
                "--adapt {a}: the adapter needs a name (--adapt NAME=FILE)"
            )));
        }
        let input = crate::io::InputArg { input: path }.read()?;
        let bytes = match input.format {
            Format::Binary => input.bytes.to_vec(),
            Format::Text => wtool_binary::encode(&input.module(wtool_ast::Features::ALL)?),
        };
        adapters.push((name, bytes));
    }
    let input = crate::io::InputArg {
        input: args.input.clone().unwrap_or_else(|| PathBuf::from("-")),
    }
    .read()?;
    let module = match input.format {
        Format::Binary => input.bytes.to_vec(),
        Format::Text => wtool_binary::encode(&input.module(wtool_ast::Features::ALL)?),
    };
    let adapters: Vec<wtool_wit::new::AdapterInput> = adapters
        .iter()
        .map(|(name, bytes)| wtool_wit::new::AdapterInput { name, bytes })
        .collect();
    let options = wtool_wit::new::NewOptions {
        realloc_via_memory_grow: args.realloc_via_memory_grow,
        merge_imports_based_on_semver: args.merge_imports_based_on_semver,
        reject_legacy_names: args.reject_legacy_names,
        validate: args.validate,
    };
    let out = wtool_wit::new::new_component_with(&module, &adapters, &options)
        .map_err(|e| CliError::Plain(format!("failed to encode a component from module: {e}")))?;
    write(args.output.as_deref(), !args.wat, |w| {
        if args.wat {
            let c = wtool_component::decode(&out, wtool_ast::Features::ALL)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            w.write_all(wtool_component::print::print(&c).as_bytes())
        } else {
            w.write_all(&out)
        }
    })
}
