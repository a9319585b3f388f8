//! The hostile suite: every way out of the preopen and every bad pointer is
//! refused with the right errno, and the host files outside the sandbox are
//! checked to be untouched after each attempt.

mod common;

use std::os::unix::fs::symlink;

use common::{Guest, PRE, READ, RW};
use wtool_wasi::funcs::{args, fd, path, poll};
use wtool_wasi::types::oflags;
use wtool_wasi::Errno;

/// Runs `attack` and checks nothing outside the sandbox changed.
fn contained(g: &mut Guest, attack: impl FnOnce(&mut Guest)) {
    let before = g.outside_snapshot();
    attack(g);
    assert_eq!(
        g.outside_snapshot(),
        before,
        "something outside the sandbox changed"
    );
}

const ESCAPES: &[&str] = &[
    "..",
    "../",
    "./..",
    "../outside/secret.txt",
    "../sandbox/../outside/secret.txt",
    "sub/../../outside/secret.txt",
    "sub/../..",
    "sub/deeper/../../../outside/secret.txt",
    "sub/./../.././outside",
    "..//outside//secret.txt",
];

fn with_sub() -> Guest {
    let g = Guest::new();
    std::fs::create_dir_all(g.sandbox().join("sub/deeper")).expect("mkdir");
    g
}

#[test]
fn dotdot_climbs_are_not_capable() {
    let mut g = with_sub();
    contained(&mut g, |g| {
        for p in ESCAPES {
            assert_eq!(g.open_read(p), Err(Errno::Notcapable), "open {p}");
            assert_eq!(
                g.open(p, oflags::CREAT, RW),
                Err(Errno::Notcapable),
                "create {p}"
            );
            assert_eq!(g.stat(p, true), Err(Errno::Notcapable), "stat {p}");
            assert_eq!(g.stat(p, false), Err(Errno::Notcapable), "lstat {p}");
            assert_eq!(
                g.path_op(path::path_unlink_file, p),
                Err(Errno::Notcapable),
                "unlink {p}"
            );
            assert_eq!(
                g.path_op(path::path_remove_directory, p),
                Err(Errno::Notcapable),
                "rmdir {p}"
            );
        }
        for p in ["../newdir", "sub/../../newdir", "../outside/newdir"] {
            assert_eq!(
                g.path_op(path::path_create_directory, p),
                Err(Errno::Notcapable),
                "mkdir {p}"
            );
        }
        assert_eq!(
            g.rename("hello.txt", "../stolen.txt"),
            Err(Errno::Notcapable)
        );
        assert_eq!(
            g.rename("../outside/secret.txt", "here.txt"),
            Err(Errno::Notcapable)
        );
        assert_eq!(g.symlink("hello.txt", "../planted"), Err(Errno::Notcapable));
        let a = g.put(b"../outside/secret.txt");
        let b = g.put(b"hardlink");
        assert_eq!(
            path::path_link(&mut g.ctx, &mut g.mem, PRE, 0, a, 21, PRE, b, 8),
            Err(Errno::Notcapable)
        );
    });
    assert!(!g.root.path().join("newdir").exists());
    assert!(!g.sandbox().join("hardlink").exists());
    // Climbing that stays inside is fine.
    assert!(g.open_read("sub/../hello.txt").is_ok());
    assert!(g.open_read("sub/deeper/../../hello.txt").is_ok());
}

#[test]
fn climbing_from_a_subdirectory_descriptor_stops_at_that_descriptor() {
    let mut g = with_sub();
    std::fs::write(g.sandbox().join("sub/inner.txt"), b"inner").expect("write");
    let sub = g
        .open(
            "sub",
            oflags::DIRECTORY,
            READ | wtool_wasi::types::rights::PATH_OPEN,
        )
        .expect("open sub");
    // Even `..` back into the preopen is outside what `sub` grants.
    assert_eq!(
        g.open_at(sub, "../hello.txt", 0, READ, true),
        Err(Errno::Notcapable)
    );
    assert!(g.open_at(sub, "deeper/../inner.txt", 0, READ, true).is_ok());
}

#[test]
fn absolute_paths_are_not_capable() {
    let mut g = with_sub();
    let host_secret = g.outside().join("secret.txt").display().to_string();
    let host_hello = g.sandbox().join("hello.txt").display().to_string();
    contained(&mut g, |g| {
        for p in [
            "/",
            "/etc/passwd",
            "//etc/passwd",
            "/sandbox/hello.txt",
            host_secret.as_str(),
            host_hello.as_str(),
        ] {
            assert_eq!(g.open_read(p), Err(Errno::Notcapable), "open {p}");
            assert_eq!(g.stat(p, true), Err(Errno::Notcapable), "stat {p}");
            assert_eq!(
                g.path_op(path::path_create_directory, p),
                Err(Errno::Notcapable),
                "mkdir {p}"
            );
            assert_eq!(
                g.path_op(path::path_unlink_file, p),
                Err(Errno::Notcapable),
                "unlink {p}"
            );
        }
        assert_eq!(g.rename("hello.txt", "/tmp/stolen"), Err(Errno::Notcapable));
        // A symlink the guest creates may not point at an absolute path either.
        assert_eq!(g.symlink(&host_secret, "abs"), Err(Errno::Notcapable));
    });
}

#[test]
fn symlinks_pointing_outside_are_refused() {
    let mut g = with_sub();
    let sb = g.sandbox();
    symlink(g.outside().join("secret.txt"), sb.join("abs_file")).expect("symlink");
    symlink(g.outside(), sb.join("abs_dir")).expect("symlink");
    symlink("../outside/secret.txt", sb.join("rel_file")).expect("symlink");
    symlink("../outside", sb.join("rel_dir")).expect("symlink");
    symlink("../../outside", sb.join("sub/deep_rel_dir")).expect("symlink");
    symlink("..", sb.join("up")).expect("symlink");
    symlink("/", sb.join("root")).expect("symlink");
    contained(&mut g, |g| {
        for p in [
            "abs_file",
            "rel_file",
            "abs_dir/secret.txt",
            "rel_dir/secret.txt",
            "sub/deep_rel_dir/secret.txt",
            "up/outside/secret.txt",
            "root/etc/passwd",
            "up",
        ] {
            assert_eq!(
                g.open_at(PRE, p, 0, READ, true),
                Err(Errno::Notcapable),
                "open {p}"
            );
            assert_eq!(g.stat(p, true), Err(Errno::Notcapable), "stat {p}");
        }
        // Through a link as an intermediate component, whatever the follow flag says.
        for p in ["abs_dir/new.txt", "rel_dir/new.txt", "up/outside/new.txt"] {
            assert_eq!(
                g.open_at(PRE, p, oflags::CREAT, RW, false),
                Err(Errno::Notcapable),
                "create {p}"
            );
            assert_eq!(
                g.path_op(path::path_create_directory, p),
                Err(Errno::Notcapable),
                "mkdir {p}"
            );
        }
        for p in ["abs_dir/secret.txt", "rel_dir/secret.txt"] {
            assert_eq!(
                g.path_op(path::path_unlink_file, p),
                Err(Errno::Notcapable),
                "unlink {p}"
            );
            assert_eq!(
                g.rename("hello.txt", p),
                Err(Errno::Notcapable),
                "rename onto {p}"
            );
            assert_eq!(
                g.rename(p, "stolen.txt"),
                Err(Errno::Notcapable),
                "rename from {p}"
            );
            let pp = g.put(p.as_bytes());
            let fst = u32::from(wtool_wasi::types::fstflags::MTIM_NOW);
            assert_eq!(
                path::path_filestat_set_times(
                    &mut g.ctx,
                    &mut g.mem,
                    PRE,
                    1,
                    pp,
                    p.len() as u32,
                    0,
                    0,
                    fst
                ),
                Err(Errno::Notcapable)
            );
        }
        // Not following the last link: open refuses (ELOOP), and writing
        // through it with O_CREAT does not create the target.
        assert_eq!(g.open_at(PRE, "abs_file", 0, READ, false), Err(Errno::Loop));
        assert_eq!(
            g.open_at(PRE, "rel_file", oflags::CREAT | oflags::TRUNC, RW, false),
            Err(Errno::Loop)
        );
        // Hard-linking the target of an outside link, following it.
        let a = g.put(b"rel_file");
        let b = g.put(b"hard");
        assert_eq!(
            path::path_link(&mut g.ctx, &mut g.mem, PRE, 1, a, 8, PRE, b, 4),
            Err(Errno::Notcapable)
        );
        // The links themselves can be inspected and removed: that touches only the sandbox.
        assert_eq!(
            g.stat("abs_file", false).map(|s| s[16]),
            Ok(wtool_wasi::types::filetype::SYMBOLIC_LINK)
        );
        g.path_op(path::path_unlink_file, "abs_file")
            .expect("unlink the link itself");
    });
    assert!(g.outside().join("secret.txt").exists());
    // A guest-made relative link that climbs out is created (it is only data)
    // but can never be followed.
    g.symlink("../outside/secret.txt", "mine")
        .expect("relative link");
    assert_eq!(g.open_read("mine"), Err(Errno::Notcapable));
    // Links that stay inside work.
    symlink("../hello.txt", sb.join("sub/back")).expect("symlink");
    assert!(g.open_read("sub/back").is_ok());
    symlink("sub/deeper", sb.join("to_deeper")).expect("symlink");
    assert!(g.open("to_deeper/made.txt", oflags::CREAT, RW).is_ok());
    assert!(sb.join("sub/deeper/made.txt").exists());
}

#[test]
fn symlink_loops_are_eloop() {
    let mut g = Guest::new();
    let sb = g.sandbox();
    symlink("b", sb.join("a")).expect("symlink");
    symlink("a", sb.join("b")).expect("symlink");
    symlink("self", sb.join("self")).expect("symlink");
    symlink("loopdir/x", sb.join("loopdir")).expect("symlink");
    // A long chain inside the limit resolves; one over it is ELOOP.
    std::fs::write(sb.join("end"), b"end").expect("write");
    let mut prev = "end".to_string();
    for i in 0..41 {
        let name = format!("c{i}");
        symlink(&prev, sb.join(&name)).expect("symlink");
        prev = name;
    }
    assert_eq!(g.open_read("a"), Err(Errno::Loop));
    assert_eq!(g.open_read("self"), Err(Errno::Loop));
    assert_eq!(g.open_read("loopdir/y"), Err(Errno::Loop));
    assert_eq!(g.stat("self", true), Err(Errno::Loop));
    assert!(g.open_read("c39").is_ok(), "40 links");
    assert_eq!(g.open_read("c40"), Err(Errno::Loop), "41 links");
}

#[test]
fn symlink_swapped_in_after_open_is_refused() {
    let mut g = with_sub();
    let sb = g.sandbox();
    std::fs::write(sb.join("sub/secret.txt"), b"inside").expect("write");
    let sub = g
        .open(
            "sub",
            oflags::DIRECTORY,
            READ | wtool_wasi::types::rights::PATH_OPEN,
        )
        .expect("open sub");
    // Swap `sub` for a link to the outside after the guest holds a handle on it.
    std::fs::rename(sb.join("sub"), sb.join("sub_old")).expect("rename");
    symlink(g.outside(), sb.join("sub")).expect("symlink abs");
    contained(&mut g, |g| {
        // The held handle still means the original directory, wherever it moved.
        let f = g
            .open_at(sub, "secret.txt", 0, READ, true)
            .expect("via handle");
        assert_eq!(g.read_fd(f, 100).as_deref(), Ok(&b"inside"[..]));
        // Through the preopen, the new link is seen and refused.
        assert_eq!(
            g.open_at(PRE, "sub/secret.txt", 0, READ, true),
            Err(Errno::Notcapable)
        );
        assert_eq!(
            g.open_at(PRE, "sub/secret.txt", 0, READ, false),
            Err(Errno::Notcapable)
        );
        assert_eq!(
            g.open_at(PRE, "sub/planted.txt", oflags::CREAT, RW, false),
            Err(Errno::Notcapable)
        );
    });
    // Same with a relative link.
    std::fs::remove_file(sb.join("sub")).expect("rm");
    symlink("../outside", sb.join("sub")).expect("symlink rel");
    contained(&mut g, |g| {
        assert_eq!(
            g.open_at(PRE, "sub/secret.txt", 0, READ, true),
            Err(Errno::Notcapable)
        );
    });
}

/// Atomically exchanges two names (renameat2 RENAME_EXCHANGE), so the racing
/// name always exists and is one thing or the other.
fn exchange(a: &std::path::Path, b: &std::path::Path) {
    rustix::fs::renameat_with(
        rustix::fs::CWD,
        a,
        rustix::fs::CWD,
        b,
        rustix::fs::RenameFlags::EXCHANGE,
    )
    .expect("renameat2 exchange");
}

/// A racing host thread flips `sub` between a real directory and a link to
/// the outside while the guest opens `sub/secret.txt` over and over: every
/// open that succeeds must have read the inside file.
#[test]
fn racing_symlink_swaps_never_escape() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let mut g = Guest::new();
    let sb = g.sandbox();
    std::fs::create_dir(sb.join("sub")).expect("mkdir");
    std::fs::write(sb.join("sub/secret.txt"), b"inside").expect("write");
    symlink(g.outside(), sb.join("evil")).expect("symlink");
    let stop = Arc::new(AtomicBool::new(false));
    let flipper = {
        let stop = stop.clone();
        let sb = sb.clone();
        std::thread::spawn(move || {
            let mut n = 0u32;
            while !stop.load(Ordering::Relaxed) {
                exchange(&sb.join("sub"), &sb.join("evil"));
                n += 1;
            }
            n
        })
    };
    let before = g.outside_snapshot();
    let (mut ok, mut refused) = (0, 0);
    for i in 0..3000 {
        let r = if i % 2 == 0 {
            g.open_at(PRE, "sub/secret.txt", 0, READ, true)
        } else {
            g.open_at(
                PRE,
                "sub/secret.txt",
                oflags::CREAT | oflags::TRUNC,
                RW,
                false,
            )
        };
        match r {
            Ok(f) => {
                let got = g.read_fd(f, 100).expect("read");
                assert!(got == b"inside" || got.is_empty(), "read {got:?}");
                fd::fd_close(&mut g.ctx, &mut g.mem, f).expect("close");
                ok += 1;
            }
            Err(Errno::Notcapable) => refused += 1,
            // An entry that keeps flapping exhausts the bounded re-resolution:
            // a refusal too (seen once under a fully loaded test run).
            Err(Errno::Loop) => refused += 1,
            Err(e) => panic!("unexpected {e}"),
        }
    }
    stop.store(true, Ordering::Relaxed);
    let flips = flipper.join().expect("flipper");
    assert!(flips > 0 && ok + refused == 3000);
    assert_eq!(g.outside_snapshot(), before);
}

#[test]
fn bad_paths() {
    let mut g = Guest::new();
    assert_eq!(g.open_read(""), Err(Errno::Noent));
    assert_eq!(g.open_read("hello.txt\0../../outside"), Err(Errno::Ilseq));
    let long = "a/".repeat(2100);
    assert_eq!(g.open_read(&long), Err(Errno::Nametoolong));
    assert_eq!(g.open_read("hello.txt/"), Err(Errno::Notdir));
    assert_eq!(g.open_read("hello.txt/x"), Err(Errno::Notdir));
}

fn iov(g: &mut Guest, entries: &[(u32, u32)]) -> u32 {
    let bytes: Vec<u8> = entries
        .iter()
        .flat_map(|(p, l)| [p.to_le_bytes(), l.to_le_bytes()].concat())
        .collect();
    g.put(&bytes)
}

#[test]
fn out_of_bounds_iovecs_are_efault_with_no_side_effect() {
    let mut g = Guest::with(|b| b, b"stdin data", wtool_wasi::DirPerms::ReadWrite);
    let size = g.mem.len() as u32;
    let n = g.alloc(4);
    let good = g.put(b"visible");
    let cases: Vec<Vec<(u32, u32)>> = vec![
        vec![(size, 1)],
        vec![(size - 2, 3)],
        vec![(0xFFFF_FFF0, 0x20)],
        vec![(good, 7), (size + 100, 1)],
        vec![(good, 7), (0, 0xFFFF_FFFF)],
        vec![(good, 7), (u32::MAX, 1)],
    ];
    for c in &cases {
        let v = iov(&mut g, c);
        assert_eq!(
            fd::fd_write(&mut g.ctx, &mut g.mem, 1, v, c.len() as u32, n),
            Err(Errno::Fault),
            "{c:?}"
        );
        assert_eq!(
            fd::fd_read(&mut g.ctx, &mut g.mem, 0, v, c.len() as u32, n),
            Err(Errno::Fault),
            "{c:?}"
        );
    }
    // The iovec array itself out of bounds, or straddling the end.
    for (ptr, count) in [
        (size, 1),
        (size - 4, 1),
        (u32::MAX - 3, 1),
        (0, 0xFFFF_FFFF),
        (0, 0x2000_0000),
    ] {
        assert_eq!(
            fd::fd_write(&mut g.ctx, &mut g.mem, 1, ptr, count, n),
            Err(Errno::Fault)
        );
        assert_eq!(
            fd::fd_read(&mut g.ctx, &mut g.mem, 0, ptr, count, n),
            Err(Errno::Fault)
        );
    }
    // The result pointer out of bounds: refused before any I/O.
    let v = iov(&mut g, &[(good, 7)]);
    assert_eq!(
        fd::fd_write(&mut g.ctx, &mut g.mem, 1, v, 1, size - 2),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd::fd_read(&mut g.ctx, &mut g.mem, 0, v, 1, u32::MAX),
        Err(Errno::Fault)
    );
    assert_eq!(g.out.contents(), b"", "no partial write happened");
    assert_eq!(
        g.read_fd(0, 100).as_deref(),
        Ok(&b"stdin data"[..]),
        "stdin was not consumed"
    );
    // Same for files, pread and pwrite.
    let f = g.open("f.txt", oflags::CREAT, RW).expect("create");
    let bad = iov(&mut g, &[(good, 7), (size, 8)]);
    assert_eq!(
        fd::fd_write(&mut g.ctx, &mut g.mem, f, bad, 2, n),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd::fd_pwrite(&mut g.ctx, &mut g.mem, f, bad, 2, 0, n),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd::fd_pread(&mut g.ctx, &mut g.mem, f, bad, 2, 0, n),
        Err(Errno::Fault)
    );
    assert_eq!(
        std::fs::metadata(g.sandbox().join("f.txt"))
            .expect("host")
            .len(),
        0
    );
}

#[test]
fn enormous_lengths_are_refused_without_allocating() {
    let mut g = Guest::new();
    let size = g.mem.len() as u32;
    let p = g.put(b"hello.txt");
    let out = g.alloc(64);
    let huge = u32::MAX;
    assert_eq!(
        args::random_get(&mut g.ctx, &mut g.mem, 0, huge),
        Err(Errno::Fault)
    );
    assert_eq!(
        args::random_get(&mut g.ctx, &mut g.mem, size - 10, 11),
        Err(Errno::Fault)
    );
    assert_eq!(
        args::args_get(&mut g.ctx, &mut g.mem, size, size),
        Ok(()),
        "no args: nothing to write"
    );
    let mut ga = Guest::with(
        |b| b.arg("prog").env("K", "V"),
        b"",
        wtool_wasi::DirPerms::ReadWrite,
    );
    let sz = ga.mem.len() as u32;
    assert_eq!(
        args::args_get(&mut ga.ctx, &mut ga.mem, sz - 2, 0),
        Err(Errno::Fault)
    );
    assert_eq!(
        args::args_get(&mut ga.ctx, &mut ga.mem, 0, sz - 2),
        Err(Errno::Fault)
    );
    assert_eq!(
        args::environ_get(&mut ga.ctx, &mut ga.mem, 0, u32::MAX),
        Err(Errno::Fault)
    );
    assert_eq!(
        args::args_sizes_get(&mut ga.ctx, &mut ga.mem, sz, 0),
        Err(Errno::Fault)
    );
    assert_eq!(
        args::clock_time_get(&mut g.ctx, &mut g.mem, 0, 0, size - 4),
        Err(Errno::Fault)
    );
    // Paths.
    let op = |g: &mut Guest, ptr: u32, len: u32| {
        let o = g.alloc(4);
        path::path_open(&mut g.ctx, &mut g.mem, PRE, 0, ptr, len, 0, READ, 0, 0, o)
    };
    assert_eq!(op(&mut g, p, huge), Err(Errno::Fault));
    assert_eq!(op(&mut g, huge, 9), Err(Errno::Fault));
    assert_eq!(op(&mut g, 0, 5000), Err(Errno::Nametoolong));
    assert_eq!(
        path::path_open(&mut g.ctx, &mut g.mem, PRE, 0, p, 9, 0, READ, 0, 0, size),
        Err(Errno::Fault)
    );
    assert_eq!(
        path::path_create_directory(&mut g.ctx, &mut g.mem, PRE, p, huge),
        Err(Errno::Fault)
    );
    assert_eq!(
        path::path_filestat_get(&mut g.ctx, &mut g.mem, PRE, 0, p, 9, size - 63),
        Err(Errno::Fault)
    );
    assert_eq!(
        path::path_readlink(&mut g.ctx, &mut g.mem, PRE, p, 9, out, huge, out),
        Err(Errno::Fault)
    );
    // Directory listing, prestat name, poll.
    let used = g.alloc(4);
    assert_eq!(
        fd::fd_readdir(&mut g.ctx, &mut g.mem, PRE, out, huge, 0, used),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd::fd_readdir(&mut g.ctx, &mut g.mem, PRE, size - 8, 16, 0, used),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd::fd_prestat_dir_name(&mut g.ctx, &mut g.mem, PRE, out, huge),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd::fd_fdstat_get(&mut g.ctx, &mut g.mem, PRE, size - 23),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd::fd_filestat_get(&mut g.ctx, &mut g.mem, PRE, u32::MAX),
        Err(Errno::Fault)
    );
    assert_eq!(
        poll::poll_oneoff(&mut g.ctx, &mut g.mem, 0, 0, huge, used),
        Err(Errno::Fault)
    );
    assert_eq!(
        poll::poll_oneoff(&mut g.ctx, &mut g.mem, 0, size - 32, 2, used),
        Err(Errno::Fault)
    );
    // Huge seeks and sizes are host errors, not crashes.
    let f = g.open("big.txt", oflags::CREAT, RW).expect("create");
    assert_eq!(
        fd::fd_filestat_set_size(&mut g.ctx, &mut g.mem, f, u64::MAX),
        Err(Errno::Fbig)
    );
    assert_eq!(
        fd::fd_allocate(&mut g.ctx, &mut g.mem, f, u64::MAX, 2),
        Err(Errno::Fbig)
    );
    assert_eq!(
        fd::fd_seek(&mut g.ctx, &mut g.mem, f, u64::MAX, 0, out),
        Err(Errno::Inval)
    );
    // A memory that is empty: every pointer faults.
    let mut empty: Vec<u8> = Vec::new();
    assert_eq!(
        fd::fd_write(&mut g.ctx, &mut empty, 1, 0, 0, 0),
        Err(Errno::Fault)
    );
    assert_eq!(args::random_get(&mut g.ctx, &mut empty, 0, 0), Ok(()));
    assert_eq!(
        args::random_get(&mut g.ctx, &mut empty, 0, 1),
        Err(Errno::Fault)
    );
}

#[test]
fn rights_are_enforced_per_descriptor() {
    let mut g = Guest::new();
    // Asking for rights the directory does not hand out.
    let ro = g.open("hello.txt", 0, READ).expect("read only");
    assert_eq!(g.write_fd(ro, b"x"), Err(Errno::Notcapable));
    let sub_rights = READ | wtool_wasi::types::rights::PATH_OPEN;
    std::fs::create_dir(g.sandbox().join("d")).expect("mkdir");
    let d = g.open("d", oflags::DIRECTORY, sub_rights).expect("dir");
    // `d` holds only READ | PATH_OPEN: creating through it is not capable.
    let name = g.put(b"new.txt");
    let o = g.alloc(4);
    assert_eq!(
        path::path_open(
            &mut g.ctx,
            &mut g.mem,
            d,
            0,
            name,
            7,
            u32::from(oflags::CREAT),
            READ,
            0,
            0,
            o
        ),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        path::path_create_directory(&mut g.ctx, &mut g.mem, d, name, 7),
        Err(Errno::Notcapable)
    );
    assert!(!g.sandbox().join("d/new.txt").exists());
}

/// The same race on the last component: `target.txt` flips between a regular
/// file and a link to the outside secret while the guest opens it following
/// links, and creates-and-truncates it not following links.
#[test]
fn racing_final_component_swaps_never_escape() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let mut g = Guest::new();
    let sb = g.sandbox();
    std::fs::write(sb.join("target.txt"), b"inside").expect("write");
    symlink(g.outside().join("secret.txt"), sb.join("link")).expect("symlink");
    let stop = Arc::new(AtomicBool::new(false));
    let flipper = {
        let stop = stop.clone();
        let sb = sb.clone();
        std::thread::spawn(move || {
            let mut n = 0u32;
            while !stop.load(Ordering::Relaxed) {
                exchange(&sb.join("target.txt"), &sb.join("link"));
                n += 1;
            }
            n
        })
    };
    let before = g.outside_snapshot();
    for i in 0..3000 {
        let r = if i % 2 == 0 {
            g.open_at(PRE, "target.txt", 0, READ, true)
        } else {
            g.open_at(PRE, "target.txt", oflags::TRUNC, RW, false)
        };
        match r {
            Ok(f) => {
                let got = g.read_fd(f, 100).expect("read");
                assert!(got == b"inside" || got.is_empty(), "{got:?}");
                fd::fd_close(&mut g.ctx, &mut g.mem, f).expect("close");
            }
            Err(Errno::Notcapable) | Err(Errno::Loop) => {}
            Err(e) => panic!("unexpected {e}"),
        }
    }
    stop.store(true, Ordering::Relaxed);
    assert!(flipper.join().expect("flipper") > 0);
    assert_eq!(g.outside_snapshot(), before);
    assert_eq!(
        std::fs::read(g.outside().join("secret.txt")).expect("secret"),
        b"top secret"
    );
}
