//! The escaping of variable-length parts that are followed by more of the key.
//!
//! Each `0x00` byte is written as `0x00 0xFF`, and the part ends with `0x00 0x00`. The
//! terminator sorts below every escaped byte pair and every other byte, so a string sorts
//! before its extensions and the bytes after the part cannot change the part's order.

use super::{DecodeError, KeyBuf};

/// The byte that follows `0x00` for a literal zero.
const ESCAPED_ZERO: u8 = 0xFF;
/// The byte that follows `0x00` at the end of the part.
const END: u8 = 0x00;

/// Appends `bytes` escaped and terminated.
pub(super) fn write_escaped(bytes: &[u8], out: &mut KeyBuf) {
    let mut rest = bytes;
    while let Some(zero) = rest.iter().position(|&b| b == 0) {
        out.extend_from_slice(&rest[..zero]);
        out.extend_from_slice(&[0, ESCAPED_ZERO]);
        rest = &rest[zero + 1..];
    }
    out.extend_from_slice(rest);
    out.extend_from_slice(&[0, END]);
}

/// Reads an escaped part off the front of `input`, unescaping it into a new `Vec`.
#[cfg(test)]
fn read_escaped(input: &mut &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    read_escaped_with(input, |chunk| out.extend_from_slice(chunk))?;
    Ok(out)
}

/// Reads an escaped part off the front of `input`, handing the unescaped bytes to `push` in
/// order, a run at a time (no buffer of its own). `input` is advanced only on success; on
/// error `push` may have been given part of the bytes.
pub(super) fn read_escaped_with(
    input: &mut &[u8],
    mut push: impl FnMut(&[u8]),
) -> Result<(), DecodeError> {
    let mut rest = *input;
    loop {
        let Some(zero) = rest.iter().position(|&b| b == 0) else {
            return Err(DecodeError::new("unterminated string part"));
        };
        match rest.get(zero + 1) {
            Some(&ESCAPED_ZERO) => {
                // The run and its literal zero in one piece.
                push(&rest[..=zero]);
                rest = &rest[zero + 2..];
            }
            Some(&END) => {
                push(&rest[..zero]);
                *input = &rest[zero + 2..];
                return Ok(());
            }
            _ => return Err(DecodeError::new("bad escape in string part")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(bytes: &[u8]) -> Vec<u8> {
        let mut buf = KeyBuf::new();
        write_escaped(bytes, &mut buf);
        buf.into_vec()
    }

    #[test]
    fn zeros_are_doubled_and_the_end_is_marked() {
        assert_eq!(escaped(b""), [0, 0]);
        assert_eq!(escaped(b"a\0b"), [b'a', 0, 0xFF, b'b', 0, 0]);
        let mut input = &[b'a', 0, 0xFF, 0, 0, 7][..];
        assert_eq!(read_escaped(&mut input).unwrap(), b"a\0");
        assert_eq!(input, [7]);
    }

    #[test]
    fn malformed_parts_are_errors() {
        assert!(read_escaped(&mut &b"abc"[..]).is_err());
        assert!(read_escaped(&mut &[b'a', 0, 5][..]).is_err());
        assert!(read_escaped(&mut &[b'a', 0][..]).is_err());
    }
}
