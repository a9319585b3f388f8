//! The WASI preview1 host calls with hostile arguments: sequences of calls
//! to any function, with pointers and lengths at and past the end of a small
//! guest memory, wrapping around, overlapping, or pointing at the path names
//! laid out at its start. Never a panic; an error is an errno; nothing is
//! created outside the preopened directory.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use wtool_ast::ValType;
use wtool_wasi::{call, imports, DirPerms, InputStream, OutputStream, SliceMemory, WasiCtx};

/// Path names the calls can point at (offset 0, 32, 64, ...).
const NAMES: &[&[u8]] = &[
    b"a.txt",
    b"sub",
    b"sub/b.txt",
    b"..",
    b"../escape",
    b"/etc/passwd",
    b"link",
    b"sub/../../x",
    b".",
    b"new",
];

/// A scratch directory: `root` is preopened, `outside` sits next to it and
/// must stay empty.
fn dirs() -> &'static (tempfile::TempDir, PathBuf, PathBuf) {
    static D: OnceLock<(tempfile::TempDir, PathBuf, PathBuf)> = OnceLock::new();
    D.get_or_init(|| {
        let t = tempfile::tempdir().expect("temp dir");
        let root = t.path().join("root");
        let outside = t.path().join("outside");
        (t, root, outside)
    })
}

fn reset(root: &Path, outside: &Path) {
    let _ = std::fs::remove_dir_all(root);
    let _ = std::fs::remove_dir_all(outside);
    std::fs::create_dir_all(root.join("sub")).expect("sandbox");
    std::fs::create_dir_all(outside).expect("outside");
    std::fs::write(root.join("a.txt"), b"hello").expect("a.txt");
    std::fs::write(root.join("sub/b.txt"), b"world").expect("b.txt");
}

#[derive(Arbitrary, Debug)]
enum Arg {
    Zero,
    /// One of the name slots.
    Name(u8),
    /// Near the end of memory: `len - k`.
    FromEnd(u16),
    Small(u16),
    /// Near 2^32: `u32::MAX - k`.
    Wrap(u16),
    Raw(u64),
}

#[derive(Arbitrary, Debug)]
struct Call {
    func: u8,
    args: [Arg; 9],
}

#[derive(Arbitrary, Debug)]
struct Input {
    two_pages: bool,
    read_only: bool,
    stdin: Vec<u8>,
    calls: Vec<Call>,
    memory: Vec<u8>,
}

fn value(a: &Arg, mem_len: u64, ty: ValType) -> u64 {
    let v = match *a {
        Arg::Zero => 0,
        Arg::Name(i) => (i as u64 % NAMES.len() as u64) * 32,
        Arg::FromEnd(k) => mem_len.wrapping_sub(k as u64),
        Arg::Small(k) => k as u64,
        Arg::Wrap(k) => (u32::MAX - k as u32) as u64,
        Arg::Raw(r) => r,
    };
    if ty == ValType::I32 {
        v as u32 as u64
    } else {
        v
    }
}

/// `poll_oneoff` may sleep until a clock subscription's timeout: cap every
/// timeout in the subscriptions at `in_ptr` to a microsecond, so the
/// harness never sleeps long (absolute ones become past times).
fn cap_timeouts(mem: &mut [u8], in_ptr: u64, n: u64) {
    for i in 0..n.min(64) {
        let at = in_ptr as usize + i as usize * 48 + 24;
        if let Some(t) = mem.get_mut(at..at + 8) {
            let v = u64::from_le_bytes(t.try_into().unwrap()) % 1000;
            t.copy_from_slice(&v.to_le_bytes());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let (_, root, outside) = dirs();
    reset(root, outside);
    let perms = if input.read_only {
        DirPerms::ReadOnly
    } else {
        DirPerms::ReadWrite
    };
    let Ok(mut ctx) = WasiCtx::builder()
        .args(["prog", "arg"])
        .env("KEY", "value")
        .preopen_dir(root, "/", perms)
        .stdin(InputStream::bytes(input.stdin))
        .stdout(OutputStream::Null)
        .stderr(OutputStream::Null)
        .build()
    else {
        return;
    };
    let mut mem = vec![0u8; if input.two_pages { 131072 } else { 65536 }];
    for (i, n) in NAMES.iter().enumerate() {
        mem[i * 32..i * 32 + n.len()].copy_from_slice(n);
    }
    let start = NAMES.len() * 32;
    let m = input.memory.len().min(mem.len() - start);
    mem[start..start + m].copy_from_slice(&input.memory[..m]);
    let mem_len = mem.len() as u64;
    let funcs = imports();
    for c in input.calls.iter().take(24) {
        let sig = &funcs[c.func as usize % funcs.len()];
        let raw: Vec<u64> = sig
            .params
            .iter()
            .zip(&c.args)
            .map(|(&t, a)| value(a, mem_len, t))
            .collect();
        if sig.name == "poll_oneoff" {
            cap_timeouts(&mut mem, raw[0], raw[2]);
        }
        match call(&mut ctx, &mut SliceMemory(&mut mem), sig.name, &raw) {
            Ok(Some(errno)) => assert!((0..=76).contains(&errno), "{}: errno {errno}", sig.name),
            Ok(None) => assert_eq!(sig.name, "proc_exit"),
            Err(_) => break, // proc_exit, or a trap: the program ends
        }
    }
    let escaped: Vec<_> = std::fs::read_dir(outside)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        escaped.is_empty(),
        "created outside the sandbox: {escaped:?}"
    );
    let siblings = std::fs::read_dir(root.parent().unwrap()).unwrap().count();
    assert_eq!(siblings, 2, "created next to the sandbox");
});
