//! Just enough of the OLE2 compound file format (the container of .xls, .doc and of
//! password-protected .xlsx) to list its stream names and read one stream, checking
//! every offset, so a damaged container is a clear refusal before calamine sees it.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

pub const MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

pub struct Cfb {
    file: File,
    len: u64,
    sector: u64,
    fat: Vec<u32>,
    entries: Vec<Entry>,
    mini_cutoff: u64,
    first_mini_fat: u32,
}

pub struct Entry {
    pub name: String,
    kind: u8,
    start: u32,
    size: u64,
}

/// Why a container cannot be read (shown as "damaged").
pub type Damaged = &'static str;

impl Cfb {
    pub fn open(mut file: File, len: u64) -> Result<Cfb, Damaged> {
        let mut h = [0u8; 512];
        file.seek(SeekFrom::Start(0))
            .and_then(|_| file.read_exact(&mut h))
            .map_err(|_| "truncated header")?;
        if &h[..8] != MAGIC {
            return Err("not a compound file");
        }
        let sector = match u16le(&h, 0x1E) {
            9 => 512u64,
            12 => 4096,
            _ => return Err("bad sector size"),
        };
        let sectors = len / sector;
        let fat_sectors = u64::from(u32le(&h, 0x2C));
        if fat_sectors > sectors {
            return Err("FAT larger than the file");
        }
        let mut fat_list: Vec<u32> = (0..109).map(|i| u32le(&h, 0x4C + i * 4)).collect();
        let mut difat = u32le(&h, 0x44);
        let mut guard = 0;
        while difat != END_OF_CHAIN && difat != FREE && (fat_list.len() as u64) < fat_sectors {
            guard += 1;
            if guard > sectors {
                return Err("DIFAT loop");
            }
            let s = read_sector(&mut file, len, sector, difat)?;
            let per = (sector / 4) as usize;
            fat_list.extend((0..per - 1).map(|i| u32le(&s, i * 4)));
            difat = u32le(&s, (per - 1) * 4);
        }
        fat_list.truncate(fat_sectors as usize);
        let mut fat = Vec::with_capacity((fat_sectors * sector / 4) as usize);
        for &s in &fat_list {
            let bytes = read_sector(&mut file, len, sector, s)?;
            fat.extend(bytes.chunks_exact(4).map(|c| u32le(c, 0)));
        }
        let mut cfb = Cfb {
            file,
            len,
            sector,
            fat,
            entries: Vec::new(),
            mini_cutoff: u64::from(u32le(&h, 0x38)),
            first_mini_fat: u32le(&h, 0x3C),
        };
        let dir = cfb.chain_bytes(u32le(&h, 0x30), u64::MAX)?;
        for e in dir.chunks_exact(128) {
            let name_len = (u16le(e, 0x40) as usize).min(64);
            let units: Vec<u16> = e[..name_len]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .take_while(|&u| u != 0)
                .collect();
            let kind = e[0x42];
            let size = if sector == 512 {
                u64::from(u32le(e, 0x78))
            } else {
                u64::from(u32le(e, 0x78)) | (u64::from(u32le(e, 0x7C)) << 32)
            };
            cfb.entries.push(Entry {
                name: String::from_utf16_lossy(&units),
                kind,
                start: u32le(e, 0x74),
                size,
            });
        }
        if cfb.entries.first().is_none_or(|r| r.kind != 5) {
            return Err("no root entry");
        }
        Ok(cfb)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|e| e.kind == 1 || e.kind == 2)
            .map(|e| e.name.as_str())
    }

    pub fn has(&self, name: &str) -> bool {
        self.names().any(|n| n.eq_ignore_ascii_case(name))
    }

    /// The bytes of a stream (at most its declared size, and never more than the file).
    pub fn stream(&mut self, name: &str) -> Result<Vec<u8>, Damaged> {
        let Some(e) = self
            .entries
            .iter()
            .find(|e| e.kind == 2 && e.name.eq_ignore_ascii_case(name))
        else {
            return Err("stream missing");
        };
        let (start, size) = (e.start, e.size);
        if size > self.len.saturating_mul(64) {
            return Err("stream larger than the file");
        }
        if size >= self.mini_cutoff {
            return self.chain_bytes(start, size);
        }
        // Small streams live in the mini stream, 64-byte sectors chained by the mini FAT.
        let root = &self.entries[0];
        let (root_start, root_size) = (root.start, root.size);
        let mini_stream = self.chain_bytes(root_start, root_size)?;
        let mini_fat: Vec<u32> = self
            .chain_bytes(self.first_mini_fat, u64::MAX)?
            .chunks_exact(4)
            .map(|c| u32le(c, 0))
            .collect();
        let mut out = Vec::with_capacity(size as usize);
        let mut s = start;
        let mut guard = 0usize;
        while (out.len() as u64) < size {
            guard += 1;
            if guard > mini_fat.len() + 1 {
                return Err("mini chain loop");
            }
            let at = s as usize * 64;
            let chunk = mini_stream
                .get(at..at + 64)
                .ok_or("mini sector out of range")?;
            let want = ((size - out.len() as u64) as usize).min(64);
            out.extend_from_slice(&chunk[..want]);
            s = *mini_fat.get(s as usize).ok_or("mini FAT out of range")?;
        }
        Ok(out)
    }

    fn chain_bytes(&mut self, start: u32, size: u64) -> Result<Vec<u8>, Damaged> {
        let mut out = Vec::new();
        let mut s = start;
        let mut guard = 0usize;
        while s != END_OF_CHAIN && (out.len() as u64) < size {
            guard += 1;
            if guard > self.fat.len() + 1 {
                return Err("sector chain loop");
            }
            let bytes = read_sector(&mut self.file, self.len, self.sector, s)?;
            out.extend_from_slice(&bytes);
            s = *self.fat.get(s as usize).ok_or("FAT entry out of range")?;
        }
        if size != u64::MAX {
            if (out.len() as u64) < size {
                return Err("stream cut short");
            }
            out.truncate(size as usize);
        }
        Ok(out)
    }
}

fn read_sector(file: &mut File, len: u64, sector: u64, n: u32) -> Result<Vec<u8>, Damaged> {
    let at = (u64::from(n) + 1)
        .checked_mul(sector)
        .ok_or("sector out of range")?;
    if at + sector > len {
        return Err("sector past the end of the file");
    }
    let mut buf = vec![0u8; sector as usize];
    file.seek(SeekFrom::Start(at))
        .and_then(|_| file.read_exact(&mut buf))
        .map_err(|_| "unreadable sector")?;
    Ok(buf)
}

fn u16le(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32le(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
