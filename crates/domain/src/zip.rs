//! A minimal ZIP writer (stored entries, no compression): enough to hand a set of CSV files to
//! a person or another system as one download, as OneRoster CSV bundles are exchanged.

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as ZIP requires.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = Crc32::default();
    crc.update(bytes);
    crc.value()
}

fn u16le(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(&u16::try_from(value).unwrap_or(u16::MAX).to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(&u32::try_from(value).unwrap_or(u32::MAX).to_le_bytes());
}

/// A local (or, with `central`, a directory) header: version, flags, stored, 1980-01-01.
fn header(buf: &mut Vec<u8>, central: bool, flags: usize, crc: u32, size: usize, name: &str) {
    if central {
        buf.extend_from_slice(&[0x50, 0x4B, 0x01, 0x02]);
        u16le(buf, 20); // made by
    } else {
        buf.extend_from_slice(&[0x50, 0x4B, 0x03, 0x04]);
    }
    u16le(buf, 20); // version needed
    u16le(buf, flags);
    u16le(buf, 0); // stored
    u16le(buf, 0); // time
    u16le(buf, 0x21); // date: 1980-01-01
    u32le(buf, crc as usize);
    u32le(buf, size);
    u32le(buf, size);
    u16le(buf, name.len());
    u16le(buf, 0); // extra
}

/// UTF-8 names.
const UTF8: usize = 0x0800;
/// The CRC and sizes follow the data, in a descriptor (they are not known when it starts).
const DESCRIBED_AFTER: usize = 0x0008;

/// A ZIP written as it goes, for a download streamed file by file: each entry's header, then
/// its bytes (whose CRC the caller keeps with [`Crc32`]), then its descriptor; the directory at
/// the end. Entries are stored; the whole must stay under 4 GiB.
#[derive(Default)]
pub struct Streamed {
    central: Vec<u8>,
    offset: usize,
    entries: usize,
    started_at: usize,
}

impl Streamed {
    pub fn new() -> Streamed {
        Streamed::default()
    }

    /// The header that starts an entry.
    pub fn begin(&mut self, name: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(30 + name.len());
        header(&mut out, false, UTF8 | DESCRIBED_AFTER, 0, 0, name);
        out.extend_from_slice(name.as_bytes());
        self.started_at = self.offset;
        self.offset += out.len();
        out
    }

    /// The descriptor that ends the entry begun last, once its `size` bytes have gone out.
    pub fn end(&mut self, name: &str, crc: u32, size: usize) -> Vec<u8> {
        let mut out = vec![0x50, 0x4B, 0x07, 0x08];
        u32le(&mut out, crc as usize);
        u32le(&mut out, size);
        u32le(&mut out, size);
        header(&mut self.central, true, UTF8 | DESCRIBED_AFTER, crc, size, name);
        u16le(&mut self.central, 0); // comment
        u16le(&mut self.central, 0); // disk
        u16le(&mut self.central, 0); // internal attributes
        u32le(&mut self.central, 0); // external attributes
        u32le(&mut self.central, self.started_at);
        self.central.extend_from_slice(name.as_bytes());
        self.offset += size + out.len();
        self.entries += 1;
        out
    }

    /// The directory and the end record.
    pub fn finish(self) -> Vec<u8> {
        let mut out = self.central;
        let size = out.len();
        out.extend_from_slice(&[0x50, 0x4B, 0x05, 0x06]);
        u16le(&mut out, 0);
        u16le(&mut out, 0);
        u16le(&mut out, self.entries);
        u16le(&mut out, self.entries);
        u32le(&mut out, size);
        u32le(&mut out, self.offset);
        u16le(&mut out, 0);
        out
    }
}

/// CRC-32 kept over bytes that arrive in pieces.
pub struct Crc32(u32);

impl Default for Crc32 {
    fn default() -> Self {
        Crc32(0xFFFF_FFFF)
    }
}

impl Crc32 {
    pub fn update(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u32::from(*byte);
            for _ in 0..8 {
                let mask = (self.0 & 1).wrapping_neg();
                self.0 = (self.0 >> 1) ^ (0xEDB8_8320 & mask);
            }
        }
    }

    pub fn value(&self) -> u32 {
        !self.0
    }
}

/// Packs `(name, contents)` files into a ZIP archive. Files must be under 4 GiB in total.
pub fn write(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, contents) in files {
        let offset = out.len();
        let crc = crc32(contents);
        header(&mut out, false, UTF8, crc, contents.len(), name);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(contents);
        header(&mut central, true, UTF8, crc, contents.len(), name);
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

    #[test]
    fn a_streamed_archive_has_what_its_pieces_carried() {
        let files = [("a/one.txt", b"hello".as_slice()), ("b/two.txt", b"".as_slice())];
        let mut zip = Streamed::new();
        let mut out = Vec::new();
        for (name, bytes) in files {
            out.extend(zip.begin(name));
            let mut crc = Crc32::default();
            for piece in bytes.chunks(2) {
                crc.update(piece);
                out.extend_from_slice(piece);
            }
            out.extend(zip.end(name, crc.value(), bytes.len()));
        }
        out.extend(zip.finish());
        let end = out.len() - 22;
        assert_eq!(&out[end..end + 4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([out[end + 10], out[end + 11]]), 2);
        let directory = u32::from_le_bytes([out[end + 16], out[end + 17], out[end + 18], out[end + 19]]) as usize;
        assert_eq!(&out[directory..directory + 4], b"PK\x01\x02");
        let crc =
            u32::from_le_bytes([out[directory + 16], out[directory + 17], out[directory + 18], out[directory + 19]]);
        assert_eq!(crc, crc32(b"hello"));
        let second = u32::from_le_bytes([
            out[directory + 46 + 9 + 42],
            out[directory + 46 + 9 + 43],
            out[directory + 46 + 9 + 44],
            out[directory + 46 + 9 + 45],
        ]) as usize;
        assert_eq!(&out[second..second + 4], b"PK\x03\x04", "the second entry's offset is where it starts");
    }
}
