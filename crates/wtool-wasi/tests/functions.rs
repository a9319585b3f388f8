//! The preview1 functions doing their job: driven directly with an in-memory
//! guest memory and a temp directory as the preopen.

mod common;

use common::{Guest, PRE, READ, RW};
use wtool_wasi::funcs::{args, fd, path, poll};
use wtool_wasi::types::{clockid, eventtype, filetype, oflags, rights, whence};
use wtool_wasi::{call, imports, signature, DirPerms, Errno, Preopen, Signal, WasiCtx, MODULE};

#[test]
fn errno_values_are_the_specs() {
    assert_eq!(wtool_wasi::errno::ALL.len(), 77);
    for (i, e) in wtool_wasi::errno::ALL.iter().enumerate() {
        assert_eq!(usize::from(e.code()), i, "{}", e.name());
        assert_eq!(Errno::from_code(e.code()), Some(*e));
    }
    let spot = [
        (Errno::Success, 0, "success"),
        (Errno::TooBig, 1, "2big"),
        (Errno::Acces, 2, "acces"),
        (Errno::Badf, 8, "badf"),
        (Errno::Exist, 20, "exist"),
        (Errno::Fault, 21, "fault"),
        (Errno::Inval, 28, "inval"),
        (Errno::Isdir, 31, "isdir"),
        (Errno::Loop, 32, "loop"),
        (Errno::Nametoolong, 37, "nametoolong"),
        (Errno::Noent, 44, "noent"),
        (Errno::Nosys, 52, "nosys"),
        (Errno::Notdir, 54, "notdir"),
        (Errno::Notempty, 55, "notempty"),
        (Errno::Notsup, 58, "notsup"),
        (Errno::Perm, 63, "perm"),
        (Errno::Spipe, 70, "spipe"),
        (Errno::Xdev, 75, "xdev"),
        (Errno::Notcapable, 76, "notcapable"),
    ];
    for (e, code, name) in spot {
        assert_eq!((e.code(), e.name()), (code, name));
    }
    assert_eq!(Errno::from_code(77), None);
}

#[test]
fn import_table_matches_dispatcher() {
    assert_eq!(MODULE, "wasi_snapshot_preview1");
    assert_eq!(imports().len(), 46);
    let po = signature("path_open").expect("path_open");
    use wtool_ast::ValType::{I32, I64};
    assert_eq!(po.params, &[I32, I32, I32, I32, I32, I64, I64, I32, I32]);
    assert_eq!(po.results, &[I32]);
    assert!(signature("proc_exit")
        .expect("proc_exit")
        .results
        .is_empty());
    // Every import dispatches without a trap when called with the right arity
    // on a context with nothing in it (all pointers 0, a 64 KiB memory).
    for sig in imports() {
        if matches!(sig.name, "proc_exit" | "poll_oneoff") {
            continue;
        }
        let mut ctx = WasiCtx::builder().build().expect("ctx");
        let mut mem = vec![0u8; 65536];
        let args = vec![0u64; sig.params.len()];
        let r = call(&mut ctx, &mut mem, sig.name, &args);
        assert!(matches!(r, Ok(Some(_))), "{}: {r:?}", sig.name);
    }
    let mut ctx = WasiCtx::builder().build().expect("ctx");
    let mut mem = vec![0u8; 64];
    assert_eq!(
        call(&mut ctx, &mut mem, "proc_exit", &[7]),
        Err(Signal::Exit(7))
    );
    assert!(matches!(
        call(&mut ctx, &mut mem, "fd_write", &[1]),
        Err(Signal::Trap(_))
    ));
    assert!(matches!(
        call(&mut ctx, &mut mem, "nope", &[]),
        Err(Signal::Trap(_))
    ));
    assert_eq!(
        call(&mut ctx, &mut mem, "sock_accept", &[0, 0, 0]),
        Ok(Some(58))
    );
    assert_eq!(call(&mut ctx, &mut mem, "proc_raise", &[0]), Ok(Some(52)));
    assert_eq!(call(&mut ctx, &mut mem, "sched_yield", &[]), Ok(Some(0)));
}

#[test]
fn args_and_environment() {
    let mut g = Guest::with(
        |b| {
            b.arg("prog")
                .arg("héllo wörld")
                .args(["", "x"])
                .env("A", "1")
                .env("PATH_LIKE", "/a:/b")
                .env("A", "2")
        },
        b"",
        DirPerms::ReadWrite,
    );
    let (argc, size) = (g.alloc(4), g.alloc(4));
    args::args_sizes_get(&mut g.ctx, &mut g.mem, argc, size).expect("sizes");
    assert_eq!(g.u32_at(argc), 4);
    let total = "prog".len() + "héllo wörld".len() + "x".len() + 4;
    assert_eq!(g.u32_at(size) as usize, total);
    let (argv, buf) = (g.alloc(16), g.alloc(total as u32));
    args::args_get(&mut g.ctx, &mut g.mem, argv, buf).expect("args");
    let mut got = Vec::new();
    for i in 0..4 {
        let p = g.u32_at(argv + i * 4);
        let bytes = &g.mem[p as usize..];
        let end = bytes.iter().position(|&b| b == 0).expect("nul");
        got.push(String::from_utf8(bytes[..end].to_vec()).expect("utf8"));
    }
    assert_eq!(got, ["prog", "héllo wörld", "", "x"]);
    assert_eq!(
        g.bytes_at(buf, total as u32),
        b"prog\0h\xc3\xa9llo w\xc3\xb6rld\0\0x\0"
    );

    args::environ_sizes_get(&mut g.ctx, &mut g.mem, argc, size).expect("env sizes");
    assert_eq!(g.u32_at(argc), 2);
    assert_eq!(g.u32_at(size), 16 + 4);
    let (envp, ebuf) = (g.alloc(8), g.alloc(20));
    args::environ_get(&mut g.ctx, &mut g.mem, envp, ebuf).expect("env");
    assert_eq!(g.bytes_at(ebuf, 20), b"PATH_LIKE=/a:/b\0A=2\0");
}

#[test]
fn no_host_environment_leaks() {
    // The test process certainly has PATH/HOME; a context built without env has none.
    let mut ctx = WasiCtx::builder().build().expect("ctx");
    let mut mem = vec![0u8; 64];
    args::environ_sizes_get(&mut ctx, &mut mem, 0, 4).expect("sizes");
    assert_eq!(&mem[..8], &[0; 8]);
    args::args_sizes_get(&mut ctx, &mut mem, 0, 4).expect("sizes");
    assert_eq!(&mem[..8], &[0; 8]);
    assert!(WasiCtx::builder().env("A=B", "x").build().is_err());
    assert!(WasiCtx::builder().arg("a\0b").build().is_err());
    assert!(WasiCtx::builder()
        .preopen(Preopen::parse("/definitely/not/here::x"))
        .build()
        .is_err());
}

#[test]
fn preopen_spec_parsing() {
    let p = Preopen::parse("/tmp/data::/data");
    assert_eq!(
        (p.host.to_str(), p.guest.as_str()),
        (Some("/tmp/data"), "/data")
    );
    let p = Preopen::parse(".");
    assert_eq!((p.host.to_str(), p.guest.as_str()), (Some("."), "."));
}

#[test]
fn clocks() {
    let mut g = Guest::new();
    let p = g.alloc(8);
    for id in [
        clockid::REALTIME,
        clockid::MONOTONIC,
        clockid::PROCESS_CPUTIME_ID,
        clockid::THREAD_CPUTIME_ID,
    ] {
        args::clock_res_get(&mut g.ctx, &mut g.mem, id, p).expect("res");
        assert!(g.u64_at(p) >= 1 && g.u64_at(p) <= 1_000_000_000);
    }
    args::clock_time_get(&mut g.ctx, &mut g.mem, clockid::REALTIME, 1, p).expect("realtime");
    let wall = g.u64_at(p);
    let host = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after epoch")
        .as_nanos() as u64;
    assert!(host.abs_diff(wall) < 5_000_000_000, "{wall} vs {host}");
    args::clock_time_get(&mut g.ctx, &mut g.mem, clockid::MONOTONIC, 1, p).expect("mono");
    let a = g.u64_at(p);
    std::thread::sleep(std::time::Duration::from_millis(2));
    args::clock_time_get(&mut g.ctx, &mut g.mem, clockid::MONOTONIC, 1, p).expect("mono");
    assert!(g.u64_at(p) >= a + 2_000_000);
    assert_eq!(
        args::clock_time_get(&mut g.ctx, &mut g.mem, 4, 1, p),
        Err(Errno::Inval)
    );
    assert_eq!(
        args::clock_res_get(&mut g.ctx, &mut g.mem, 99, p),
        Err(Errno::Inval)
    );
}

#[test]
fn random_fills_the_buffer() {
    let mut g = Guest::new();
    let p = g.alloc(4096);
    args::random_get(&mut g.ctx, &mut g.mem, p, 4096).expect("random");
    let a = g.bytes_at(p, 4096);
    args::random_get(&mut g.ctx, &mut g.mem, p, 4096).expect("random");
    let b = g.bytes_at(p, 4096);
    assert_ne!(a, b);
    // 4096 random bytes: every byte value is very likely present at least once
    // in one of two draws; check a weaker property that cannot flake: not all zero,
    // and many distinct values.
    let mut seen = [false; 256];
    for &x in a.iter().chain(&b) {
        seen[x as usize] = true;
    }
    assert!(seen.iter().filter(|&&s| s).count() > 200);
    args::random_get(&mut g.ctx, &mut g.mem, 0, 0).expect("empty");
}

#[test]
fn stdio_streams() {
    let mut g = Guest::with(|b| b, b"line one\nline two\n", DirPerms::ReadWrite);
    assert_eq!(g.write_fd(1, b"to stdout\n"), Ok(10));
    assert_eq!(g.write_fd(2, b"to stderr\n"), Ok(10));
    // Two iovecs in one call, gathered in order.
    let a = g.put(b"ab");
    let b = g.put(b"cde");
    let iov = g.put(
        &[
            a.to_le_bytes(),
            2u32.to_le_bytes(),
            b.to_le_bytes(),
            3u32.to_le_bytes(),
        ]
        .concat(),
    );
    let n = g.alloc(4);
    fd::fd_write(&mut g.ctx, &mut g.mem, 1, iov, 2, n).expect("writev");
    assert_eq!(g.u32_at(n), 5);
    assert_eq!(g.out.contents(), b"to stdout\nabcde");
    assert_eq!(g.err.contents(), b"to stderr\n");
    assert_eq!(g.read_fd(0, 5).as_deref(), Ok(&b"line "[..]));
    assert_eq!(g.read_fd(0, 100).as_deref(), Ok(&b"one\nline two\n"[..]));
    assert_eq!(g.read_fd(0, 100).as_deref(), Ok(&b""[..]));
    // Wrong directions and seeking a stream.
    assert_eq!(g.write_fd(0, b"x"), Err(Errno::Notcapable));
    assert_eq!(g.read_fd(1, 1), Err(Errno::Notcapable));
    let p = g.alloc(8);
    assert_eq!(
        fd::fd_seek(&mut g.ctx, &mut g.mem, 1, 0, 0, p),
        Err(Errno::Spipe)
    );
    assert_eq!(fd::fd_tell(&mut g.ctx, &mut g.mem, 0, p), Err(Errno::Spipe));
    let st = g.alloc(24);
    fd::fd_fdstat_get(&mut g.ctx, &mut g.mem, 1, st).expect("fdstat");
    assert_eq!(g.mem[st as usize], filetype::CHARACTER_DEVICE);
    assert_eq!(g.u64_at(st + 8) & rights::FD_WRITE, rights::FD_WRITE);
    assert_eq!(g.u64_at(st + 8) & rights::FD_SEEK, 0);
    fd::fd_sync(&mut g.ctx, &mut g.mem, 1).expect("sync stdout");
}

#[test]
fn prestat_names_the_preopen() {
    let mut g = Guest::new();
    let p = g.alloc(8);
    fd::fd_prestat_get(&mut g.ctx, &mut g.mem, PRE, p).expect("prestat");
    assert_eq!(g.mem[p as usize], 0);
    assert_eq!(g.u32_at(p + 4), 8);
    let name = g.alloc(8);
    fd::fd_prestat_dir_name(&mut g.ctx, &mut g.mem, PRE, name, 8).expect("name");
    assert_eq!(g.bytes_at(name, 8), b"/sandbox");
    assert_eq!(
        fd::fd_prestat_dir_name(&mut g.ctx, &mut g.mem, PRE, name, 7),
        Err(Errno::Nametoolong)
    );
    // wasi-libc scans upward until EBADF.
    assert_eq!(
        fd::fd_prestat_get(&mut g.ctx, &mut g.mem, 4, p),
        Err(Errno::Badf)
    );
    assert_eq!(
        fd::fd_prestat_get(&mut g.ctx, &mut g.mem, 1, p),
        Err(Errno::Badf)
    );
    assert_eq!(g.ctx.preopens(), vec![(3, "/sandbox".to_string())]);
    let st = g.alloc(24);
    fd::fd_fdstat_get(&mut g.ctx, &mut g.mem, PRE, st).expect("fdstat");
    assert_eq!(g.mem[st as usize], filetype::DIRECTORY);
}

#[test]
fn files_read_write_seek() {
    let mut g = Guest::new();
    let f = g
        .open("data.bin", oflags::CREAT | oflags::TRUNC, RW)
        .expect("create");
    assert_eq!(f, 4);
    assert_eq!(g.write_fd(f, b"0123456789"), Ok(10));
    let p = g.alloc(8);
    fd::fd_tell(&mut g.ctx, &mut g.mem, f, p).expect("tell");
    assert_eq!(g.u64_at(p), 10);
    fd::fd_seek(
        &mut g.ctx,
        &mut g.mem,
        f,
        (-4i64) as u64,
        u32::from(whence::END),
        p,
    )
    .expect("seek");
    assert_eq!(g.u64_at(p), 6);
    assert_eq!(g.read_fd(f, 100).as_deref(), Ok(&b"6789"[..]));
    fd::fd_seek(&mut g.ctx, &mut g.mem, f, 2, u32::from(whence::SET), p).expect("seek");
    fd::fd_seek(&mut g.ctx, &mut g.mem, f, 1, u32::from(whence::CUR), p).expect("seek");
    assert_eq!(g.u64_at(p), 3);
    assert_eq!(
        fd::fd_seek(&mut g.ctx, &mut g.mem, f, 0, 3, p),
        Err(Errno::Inval)
    );
    assert_eq!(
        fd::fd_seek(&mut g.ctx, &mut g.mem, f, (-1i64) as u64, 0, p),
        Err(Errno::Inval)
    );
    // pread/pwrite do not move the offset.
    let d = g.put(b"AB");
    let iov = g.put(&[d.to_le_bytes(), 2u32.to_le_bytes()].concat());
    let n = g.alloc(4);
    fd::fd_pwrite(&mut g.ctx, &mut g.mem, f, iov, 1, 8, n).expect("pwrite");
    let buf = g.alloc(4);
    let iov = g.put(&[buf.to_le_bytes(), 4u32.to_le_bytes()].concat());
    fd::fd_pread(&mut g.ctx, &mut g.mem, f, iov, 1, 6, n).expect("pread");
    assert_eq!(g.u32_at(n), 4);
    assert_eq!(g.bytes_at(buf, 4), b"67AB");
    fd::fd_tell(&mut g.ctx, &mut g.mem, f, p).expect("tell");
    assert_eq!(g.u64_at(p), 3);
    // Size changes.
    fd::fd_filestat_set_size(&mut g.ctx, &mut g.mem, f, 4).expect("truncate");
    fd::fd_allocate(&mut g.ctx, &mut g.mem, f, 10, 90).expect("allocate");
    let st = g.alloc(64);
    fd::fd_filestat_get(&mut g.ctx, &mut g.mem, f, st).expect("filestat");
    assert_eq!(g.mem[st as usize + 16], filetype::REGULAR_FILE);
    assert_eq!(g.u64_at(st + 32), 100);
    assert_eq!(g.u64_at(st + 24), 1);
    fd::fd_advise(&mut g.ctx, &mut g.mem, f, 0, 0, 2).expect("advise");
    assert_eq!(
        fd::fd_advise(&mut g.ctx, &mut g.mem, f, 0, 0, 6),
        Err(Errno::Inval)
    );
    fd::fd_datasync(&mut g.ctx, &mut g.mem, f).expect("datasync");
    fd::fd_close(&mut g.ctx, &mut g.mem, f).expect("close");
    assert_eq!(fd::fd_close(&mut g.ctx, &mut g.mem, f), Err(Errno::Badf));
    let host = std::fs::read(g.sandbox().join("data.bin")).expect("host file");
    assert_eq!(&host[..4], b"0123");
    assert_eq!(host.len(), 100);
}

#[test]
fn append_flag_and_fdstat() {
    let mut g = Guest::new();
    let f = g.open("log.txt", oflags::CREAT, RW).expect("create");
    g.write_fd(f, b"one\n").expect("write");
    fd::fd_fdstat_set_flags(
        &mut g.ctx,
        &mut g.mem,
        f,
        u32::from(wtool_wasi::types::fdflags::APPEND),
    )
    .expect("append");
    let p = g.alloc(8);
    fd::fd_seek(&mut g.ctx, &mut g.mem, f, 0, 0, p).expect("rewind");
    g.write_fd(f, b"two\n").expect("write");
    let st = g.alloc(24);
    fd::fd_fdstat_get(&mut g.ctx, &mut g.mem, f, st).expect("fdstat");
    assert_eq!(g.mem[st as usize], filetype::REGULAR_FILE);
    assert_eq!(
        u16::from_le_bytes([g.mem[st as usize + 2], g.mem[st as usize + 3]]),
        1
    );
    assert_eq!(g.u64_at(st + 8), RW);
    assert_eq!(
        fd::fd_fdstat_set_flags(
            &mut g.ctx,
            &mut g.mem,
            f,
            u32::from(wtool_wasi::types::fdflags::SYNC)
        ),
        Err(Errno::Notsup)
    );
    assert_eq!(
        std::fs::read(g.sandbox().join("log.txt")).expect("host"),
        b"one\ntwo\n"
    );
    // Rights can be dropped, never regained.
    fd::fd_fdstat_set_rights(&mut g.ctx, &mut g.mem, f, rights::FD_READ, 0).expect("drop");
    assert_eq!(g.write_fd(f, b"x"), Err(Errno::Notcapable));
    assert_eq!(
        fd::fd_fdstat_set_rights(&mut g.ctx, &mut g.mem, f, RW, 0),
        Err(Errno::Notcapable)
    );
}

#[test]
fn directories_rename_unlink_readdir() {
    let mut g = Guest::new();
    g.path_op(path::path_create_directory, "sub")
        .expect("mkdir");
    g.path_op(path::path_create_directory, "sub/deeper")
        .expect("mkdir nested");
    assert_eq!(
        g.path_op(path::path_create_directory, "sub"),
        Err(Errno::Exist)
    );
    let f = g
        .open("sub/a.txt", oflags::CREAT | oflags::EXCL, RW)
        .expect("create");
    g.write_fd(f, b"alpha").expect("write");
    assert_eq!(
        g.open("sub/a.txt", oflags::CREAT | oflags::EXCL, RW),
        Err(Errno::Exist)
    );
    g.rename("sub/a.txt", "sub/deeper/b.txt").expect("rename");
    assert!(!g.sandbox().join("sub/a.txt").exists());
    assert_eq!(
        std::fs::read(g.sandbox().join("sub/deeper/b.txt")).expect("moved"),
        b"alpha"
    );
    // Rename through a fd opened on a subdirectory, across two descriptors.
    let sub = g
        .open(
            "sub",
            oflags::DIRECTORY,
            READ | rights::PATH_OPEN | rights::PATH_RENAME_SOURCE | rights::PATH_RENAME_TARGET,
        )
        .expect("open dir");
    let a = g.put(b"deeper/b.txt");
    let b = g.put(b"c.txt");
    path::path_rename(&mut g.ctx, &mut g.mem, sub, a, 12, PRE, b, 5).expect("rename across fds");
    assert!(g.sandbox().join("c.txt").exists());

    let mut listing = g.readdir(PRE, 4096).expect("readdir");
    listing.retain(|(n, _)| n != "." && n != "..");
    assert_eq!(
        listing,
        [
            ("c.txt".to_string(), filetype::REGULAR_FILE),
            ("hello.txt".to_string(), filetype::REGULAR_FILE),
            ("sub".to_string(), filetype::DIRECTORY),
        ]
    );
    // A buffer too small for all entries: the cookie protocol yields the same list.
    let small = g.readdir(PRE, 40).expect("readdir small");
    let big = g.readdir(PRE, 4096).expect("readdir big");
    assert_eq!(small, big);
    assert_eq!(g.readdir(sub, 4096).expect("sub").len(), 3); // ".", "..", "deeper"

    assert_eq!(
        g.path_op(path::path_remove_directory, "sub"),
        Err(Errno::Notempty)
    );
    assert_eq!(
        g.path_op(path::path_unlink_file, "sub/deeper"),
        Err(Errno::Isdir)
    );
    g.path_op(path::path_remove_directory, "sub/deeper")
        .expect("rmdir");
    g.path_op(path::path_unlink_file, "c.txt").expect("unlink");
    assert_eq!(
        g.path_op(path::path_unlink_file, "c.txt"),
        Err(Errno::Noent)
    );
    assert!(!g.sandbox().join("c.txt").exists());
    assert_eq!(g.read_fd(sub, 10), Err(Errno::Isdir));
    assert_eq!(
        g.open("hello.txt", oflags::DIRECTORY, READ),
        Err(Errno::Notdir)
    );
    assert_eq!(g.open("missing.txt", 0, READ), Err(Errno::Noent));
}

#[test]
fn stat_links_and_times() {
    let mut g = Guest::new();
    let st = g.stat("hello.txt", false).expect("stat");
    assert_eq!(st[16], filetype::REGULAR_FILE);
    assert_eq!(u64::from_le_bytes(st[32..40].try_into().unwrap()), 15);
    g.symlink("hello.txt", "link").expect("symlink");
    assert_eq!(
        g.stat("link", false).expect("lstat")[16],
        filetype::SYMBOLIC_LINK
    );
    assert_eq!(
        g.stat("link", true).expect("stat")[16],
        filetype::REGULAR_FILE
    );
    let lp = g.put(b"link");
    let buf = g.alloc(64);
    let used = g.alloc(4);
    path::path_readlink(&mut g.ctx, &mut g.mem, PRE, lp, 4, buf, 64, used).expect("readlink");
    assert_eq!(g.bytes_at(buf, g.u32_at(used)), b"hello.txt");
    path::path_readlink(&mut g.ctx, &mut g.mem, PRE, lp, 4, buf, 3, used)
        .expect("readlink truncated");
    assert_eq!(g.u32_at(used), 3);
    // Reading through a followed link; opening it without follow is ELOOP.
    let f = g
        .open_at(PRE, "link", 0, READ, true)
        .expect("open via link");
    assert_eq!(g.read_fd(f, 100).as_deref(), Ok(&b"hello, sandbox\n"[..]));
    assert_eq!(g.open_at(PRE, "link", 0, READ, false), Err(Errno::Loop));
    // Hard link.
    let a = g.put(b"hello.txt");
    let b = g.put(b"hard.txt");
    path::path_link(&mut g.ctx, &mut g.mem, PRE, 0, a, 9, PRE, b, 8).expect("link");
    assert_eq!(
        u64::from_le_bytes(
            g.stat("hard.txt", false).expect("stat")[24..32]
                .try_into()
                .unwrap()
        ),
        2
    );
    // Times.
    let p = g.put(b"hello.txt");
    let fst = u32::from(wtool_wasi::types::fstflags::ATIM | wtool_wasi::types::fstflags::MTIM);
    path::path_filestat_set_times(
        &mut g.ctx,
        &mut g.mem,
        PRE,
        0,
        p,
        9,
        1_000_000_000_123,
        2_000_000_000_000,
        fst,
    )
    .expect("utimes");
    let st = g.stat("hello.txt", false).expect("stat");
    assert_eq!(
        u64::from_le_bytes(st[48..56].try_into().unwrap()),
        2_000_000_000_000
    );
    assert_eq!(
        u64::from_le_bytes(st[40..48].try_into().unwrap()),
        1_000_000_000_123
    );
    let bad = u32::from(wtool_wasi::types::fstflags::ATIM | wtool_wasi::types::fstflags::ATIM_NOW);
    assert_eq!(
        path::path_filestat_set_times(&mut g.ctx, &mut g.mem, PRE, 0, p, 9, 0, 0, bad),
        Err(Errno::Inval)
    );
    // `f` was opened for reading only: no right to change times through it.
    assert_eq!(
        fd::fd_filestat_set_times(
            &mut g.ctx,
            &mut g.mem,
            f,
            0,
            5_000_000_000,
            u32::from(wtool_wasi::types::fstflags::MTIM)
        ),
        Err(Errno::Notcapable)
    );
}

#[test]
fn renumber_and_fd_numbering() {
    let mut g = Guest::new();
    let a = g.open_read("hello.txt").expect("a");
    let b = g.open_read("hello.txt").expect("b");
    assert_eq!((a, b), (4, 5));
    fd::fd_close(&mut g.ctx, &mut g.mem, a).expect("close");
    assert_eq!(
        g.open_read("hello.txt"),
        Ok(4),
        "lowest free number is reused"
    );
    fd::fd_renumber(&mut g.ctx, &mut g.mem, 5, 4).expect("renumber");
    assert_eq!(g.read_fd(4, 5).as_deref(), Ok(&b"hello"[..]));
    assert_eq!(g.read_fd(5, 5), Err(Errno::Badf));
    assert_eq!(
        fd::fd_renumber(&mut g.ctx, &mut g.mem, 4, 9),
        Err(Errno::Badf)
    );
    fd::fd_renumber(&mut g.ctx, &mut g.mem, 4, 4).expect("self");
}

#[test]
fn descriptor_table_is_bounded() {
    let mut g = Guest::new();
    let mut last = Ok(0);
    for _ in 0..wtool_wasi::ctx::MAX_FDS {
        last = g.open_read("hello.txt");
        if last.is_err() {
            break;
        }
    }
    assert_eq!(last, Err(Errno::Mfile));
}

#[test]
fn poll_clock_and_stdin() {
    let mut g = Guest::with(|b| b, b"ready", DirPerms::ReadWrite);
    let sub = |ud: u64, tag: u8, a: u32, timeout: u64, flags: u16| {
        let mut s = [0u8; 48];
        s[0..8].copy_from_slice(&ud.to_le_bytes());
        s[8] = tag;
        s[16..20].copy_from_slice(&a.to_le_bytes());
        s[24..32].copy_from_slice(&timeout.to_le_bytes());
        s[40..42].copy_from_slice(&flags.to_le_bytes());
        s
    };
    // A 20 ms relative clock alone: sleeps, then fires.
    let input = g.put(&sub(7, eventtype::CLOCK, clockid::MONOTONIC, 20_000_000, 0));
    let out = g.alloc(32 * 2);
    let n = g.alloc(4);
    let t = std::time::Instant::now();
    poll::poll_oneoff(&mut g.ctx, &mut g.mem, input, out, 1, n).expect("poll");
    assert!(t.elapsed() >= std::time::Duration::from_millis(20));
    assert_eq!(g.u32_at(n), 1);
    assert_eq!(g.u64_at(out), 7);
    assert_eq!(g.mem[out as usize + 10], eventtype::CLOCK);
    // stdin with data and a long clock: stdin is ready at once.
    let input = g.put(
        &[
            sub(1, eventtype::CLOCK, clockid::MONOTONIC, 10_000_000_000, 0),
            sub(2, eventtype::FD_READ, 0, 0, 0),
        ]
        .concat(),
    );
    let t = std::time::Instant::now();
    poll::poll_oneoff(&mut g.ctx, &mut g.mem, input, out, 2, n).expect("poll");
    assert!(t.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(g.u32_at(n), 1);
    assert_eq!(g.u64_at(out), 2);
    assert_eq!(g.u64_at(out + 16), 5, "bytes available");
    // A bad descriptor is reported in the event, not as the call's errno.
    let input = g.put(&sub(3, eventtype::FD_READ, 99, 0, 0));
    poll::poll_oneoff(&mut g.ctx, &mut g.mem, input, out, 1, n).expect("poll");
    assert_eq!(
        u16::from_le_bytes([g.mem[out as usize + 8], g.mem[out as usize + 9]]),
        Errno::Badf.code()
    );
    // An absolute deadline in the past fires immediately.
    let input = g.put(&sub(4, eventtype::CLOCK, clockid::REALTIME, 1, 1));
    poll::poll_oneoff(&mut g.ctx, &mut g.mem, input, out, 1, n).expect("poll");
    assert_eq!(g.u64_at(out), 4);
    assert_eq!(
        poll::poll_oneoff(&mut g.ctx, &mut g.mem, input, out, 0, n),
        Err(Errno::Inval)
    );
}

#[test]
fn read_only_preopen_refuses_changes() {
    let mut g = Guest::with(|b| b, b"", DirPerms::ReadOnly);
    let f = g.open_read("hello.txt").expect("read is fine");
    assert_eq!(g.read_fd(f, 5).as_deref(), Ok(&b"hello"[..]));
    assert_eq!(g.write_fd(f, b"x"), Err(Errno::Notcapable));
    assert_eq!(
        g.open("new.txt", oflags::CREAT, READ),
        Err(Errno::Notcapable)
    );
    assert_eq!(g.open("hello.txt", 0, RW), Err(Errno::Notcapable));
    assert_eq!(
        g.open("hello.txt", oflags::TRUNC, READ),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        g.path_op(path::path_create_directory, "d"),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        g.path_op(path::path_unlink_file, "hello.txt"),
        Err(Errno::Notcapable)
    );
    assert_eq!(g.rename("hello.txt", "x.txt"), Err(Errno::Notcapable));
    assert_eq!(g.symlink("hello.txt", "l"), Err(Errno::Notcapable));
    assert_eq!(
        std::fs::read(g.sandbox().join("hello.txt")).expect("host"),
        b"hello, sandbox\n"
    );
    assert_eq!(std::fs::read_dir(g.sandbox()).expect("host").count(), 1);
}

#[test]
fn path_ops_need_a_directory_fd() {
    let mut g = Guest::new();
    let f = g.open_read("hello.txt").expect("open");
    assert_eq!(g.open_at(f, "x", 0, READ, false), Err(Errno::Notdir));
    assert_eq!(g.open_at(1, "x", 0, READ, false), Err(Errno::Notdir));
    assert_eq!(g.open_at(77, "x", 0, READ, false), Err(Errno::Badf));
}

#[test]
fn reader_and_writer_streams() {
    use std::io::Cursor;
    use std::sync::{Arc, Mutex};
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let sink = Arc::new(Mutex::new(Vec::new()));
    let mut ctx = WasiCtx::builder()
        .stdin(wtool_wasi::InputStream::Reader(Box::new(Cursor::new(
            b"from a reader".to_vec(),
        ))))
        .stdout(wtool_wasi::OutputStream::Writer(Box::new(Shared(
            sink.clone(),
        ))))
        .stderr(wtool_wasi::OutputStream::Null)
        .build()
        .expect("ctx");
    let mut mem = vec![0u8; 4096];
    // iovec at 0 -> buffer 64..128; count at 16.
    mem[0..4].copy_from_slice(&64u32.to_le_bytes());
    mem[4..8].copy_from_slice(&64u32.to_le_bytes());
    fd::fd_read(&mut ctx, &mut mem, 0, 0, 1, 16).expect("read");
    assert_eq!(&mem[64..77], b"from a reader");
    mem[4..8].copy_from_slice(&13u32.to_le_bytes());
    fd::fd_write(&mut ctx, &mut mem, 1, 0, 1, 16).expect("write");
    fd::fd_write(&mut ctx, &mut mem, 2, 0, 1, 16).expect("write to null");
    assert_eq!(&sink.lock().expect("lock")[..], b"from a reader");
    assert_eq!(u32::from_le_bytes(mem[16..20].try_into().unwrap()), 13);
}
