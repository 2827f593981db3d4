//! A minimal ZIP writer (stored entries, no compression): enough to hand a set of CSV files to
//! a person or another system as one download, as OneRoster CSV bundles are exchanged.

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as ZIP requires.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fn u16le(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(&u16::try_from(value).unwrap_or(u16::MAX).to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(&u32::try_from(value).unwrap_or(u32::MAX).to_le_bytes());
}

/// Packs `(name, contents)` files into a ZIP archive. Files must be under 4 GiB in total.
pub fn write(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, contents) in files {
        let offset = out.len();
        let crc = crc32(contents) as usize;
        let header = |buf: &mut Vec<u8>, central: bool| {
            if central {
                buf.extend_from_slice(&[0x50, 0x4B, 0x01, 0x02]);
                u16le(buf, 20); // made by
            } else {
                buf.extend_from_slice(&[0x50, 0x4B, 0x03, 0x04]);
            }
            u16le(buf, 20); // version needed
            u16le(buf, 0x0800); // UTF-8 names
            u16le(buf, 0); // stored
            u16le(buf, 0); // time
            u16le(buf, 0x21); // date: 1980-01-01
            u32le(buf, crc);
            u32le(buf, contents.len());
            u32le(buf, contents.len());
            u16le(buf, name.len());
            u16le(buf, 0); // extra
        };
        header(&mut out, false);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(contents);
        header(&mut central, true);
        u16le(&mut central, 0); // comment
        u16le(&mut central, 0); // disk
        u16le(&mut central, 0); // internal attributes
        u32le(&mut central, 0); // external attributes
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = out.len();
    out.extend_from_slice(&central);
    out.extend_from_slice(&[0x50, 0x4B, 0x05, 0x06]);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, files.len());
    u16le(&mut out, files.len());
    u32le(&mut out, central.len());
    u32le(&mut out, central_offset);
    u16le(&mut out, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn archives_have_local_headers_a_directory_and_an_end_record() {
        let zip = write(&[("a.csv".into(), b"x,y\n1,2\n".to_vec()), ("b.csv".into(), Vec::new())]);
        assert_eq!(&zip[..4], b"PK\x03\x04");
        let end = zip.len() - 22;
        assert_eq!(&zip[end..end + 4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([zip[end + 10], zip[end + 11]]), 2, "two entries");
        let directory = u32::from_le_bytes([zip[end + 16], zip[end + 17], zip[end + 18], zip[end + 19]]) as usize;
        assert_eq!(&zip[directory..directory + 4], b"PK\x01\x02");
    }
}
