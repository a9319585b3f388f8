//! Byte comparisons with wit-component: both sides write a `producers`
//! section naming the tool that wrote the bytes (`wit-component 0.263.0`,
//! `wtool 0.1.0`). [`normalize`] blanks that one section, in a component and
//! in the `component-type` sections of a core module, so everything else
//! must be byte-identical.

#![allow(dead_code)] // each test uses its own subset

use wtool_binary::leb128;

/// `bytes` with every `producers` custom section's contents replaced by an
/// empty producers section, at any depth of component-type metadata.
pub fn normalize(bytes: &[u8]) -> Vec<u8> {
    let Some(head) = bytes.get(..8) else {
        return bytes.to_vec();
    };
    let mut out = head.to_vec();
    let mut pos = 8;
    while pos < bytes.len() {
        let id = bytes[pos];
        let mut p = pos + 1;
        let Ok(size) = leb128::read_u32(bytes, &mut p) else {
            return bytes.to_vec();
        };
        let end = p + size as usize;
        let Some(body) = bytes.get(p..end) else {
            return bytes.to_vec();
        };
        let body = if id == 0 { custom(body) } else { body.to_vec() };
        out.push(id);
        leb128::write_u32(&mut out, body.len() as u32);
        out.extend_from_slice(&body);
        pos = end;
    }
    out
}

/// A custom section's body, normalized.
fn custom(body: &[u8]) -> Vec<u8> {
    let mut p = 0;
    let Ok(len) = leb128::read_u32(body, &mut p) else {
        return body.to_vec();
    };
    let name_end = p + len as usize;
    let Some(name) = body.get(p..name_end) else {
        return body.to_vec();
    };
    let payload = &body[name_end..];
    let payload = match name {
        b"producers" => vec![0],
        n if n.starts_with(b"component-type") => normalize(payload),
        _ => payload.to_vec(),
    };
    let mut out = body[..name_end].to_vec();
    out.extend_from_slice(&payload);
    out
}
