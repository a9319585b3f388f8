//! Input mutation shared by the fuzz test and the long-running fuzz example.

pub use wtool_testsupport::Rng;
/// Tokens spliced into inputs so mutations reach deeper than the lexer.
pub const TOKENS: &[&[u8]] = &[
    b"(",
    b")",
    b"$x",
    b"$\"q\"",
    b"block",
    b"end",
    b"else",
    b"(then",
    b"(else",
    b"if",
    b"loop",
    b"i32.const",
    b"0x",
    b"-0x1p-149",
    b"nan:0x1",
    b"inf",
    b"\"\\ff\"",
    b"(;",
    b";)",
    b";;",
    b"(@custom",
    b"(@x",
    b"offset=",
    b"align=3",
    b"(type 0)",
    b"(param $p i32)",
    b"(result i64)",
    b"br_table 0 1",
    b"call_indirect",
    b"(elem",
    b"(data",
    b"(module",
    b"quote",
    b"binary",
    b"\xff",
    b"\xe2\x80",
    b"1_000",
    b"__",
    b"v128.const i8x16",
];

/// One to a few random edits of `seed`, sometimes splicing in another corpus entry.
pub fn mutate(rng: &mut Rng, seed: &[u8], corpus: &[&[u8]]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let len = v.len();
        match rng.below(6) {
            0 if len > 0 => {
                let i = rng.below(len);
                v[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below(16).min(len - i);
                v.drain(i..i + n);
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below(64).min(len - i);
                let chunk = v[i..i + n].to_vec();
                let at = rng.below(len);
                v.splice(at..at, chunk);
            }
            3 => {
                let other = corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let i = rng.below(other.len());
                    let n = rng.below(256).min(other.len() - i);
                    let at = rng.below(len + 1);
                    v.splice(at..at, other[i..i + n].iter().copied());
                }
            }
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                v.splice(at..at, t.iter().copied());
                v.insert(at, b' ');
            }
        }
    }
    v
}

/// Seed inputs: every module of every 2.0 script (cut out by the test support
/// crate) plus the short scripts whole.
pub fn seed_corpus() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for f in &wtool_testsupport::v2_files() {
        if f.text.len() < 20_000 {
            seeds.push(f.text.as_bytes().to_vec());
        }
        let mut rest = f.text;
        while let Some(i) = rest.find("(module") {
            let s = wtool_testsupport::sexpr_at(rest, i + 1);
            if s.len() < 4_000 {
                seeds.push(s.as_bytes().to_vec());
            }
            rest = &rest[i + 7..];
        }
    }
    seeds
}
