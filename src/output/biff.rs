//! Just enough BIFF8 (Excel 97-2003 `.xls`) to write the portal templates that want it:
//! one sheet of text and number cells, merged ranges and column widths, in a compound file
//! with no timestamps, so the bytes depend only on the cells. No crate in the tree writes
//! `.xls` (rust_xlsxwriter writes OOXML only; calamine reads): see docs/decisions.md.
//!
//! The sheet is kept in memory: an `.xls` sheet holds at most 65,536 rows, so at most a
//! few tens of MB, and the compound file needs the stream's length before its first byte.

use std::io::{self, Write};

/// Rows and columns an `.xls` sheet holds.
pub const MAX_ROWS: u32 = 65_536;
pub const MAX_COLS: u16 = 256;
/// Characters of a LABEL cell.
const MAX_LABEL: usize = 255;

/// How a number cell shows (built-in BIFF formats, so no FORMAT record is needed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumFormat {
    /// `0`
    Integer,
    /// `0.00`
    Money,
}

/// Cell XF indexes after the 16 style/default XFs: text (`@`), `0.00`, `0`.
const XF_DEFAULT: u16 = 15;
const XF_TEXT: u16 = 16;
const XF_MONEY: u16 = 17;
const XF_INTEGER: u16 = 18;

/// One worksheet's cell records, in the order written (rows ascending).
pub struct Sheet {
    name: String,
    cells: Vec<u8>,
    rows: u32,
    cols: u16,
    merges: Vec<[u16; 4]>,
    widths: Vec<(u16, u16)>,
}

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet {
            name: name.chars().take(31).collect(),
            cells: Vec::new(),
            rows: 0,
            cols: 0,
            merges: Vec::new(),
            widths: Vec::new(),
        }
    }

    fn at(&mut self, row: u32, col: u16) -> io::Result<(u16, u16)> {
        if row >= MAX_ROWS || col >= MAX_COLS {
            return Err(io::Error::other(format!(
                "cell ({row}, {col}) is beyond an .xls sheet (65,536 rows, 256 columns)"
            )));
        }
        self.rows = self.rows.max(row + 1);
        self.cols = self.cols.max(col + 1);
        Ok((row as u16, col))
    }

    /// A text cell, typed as text (`@`) so a spreadsheet keeps leading zeros and long IDs.
    pub fn text(&mut self, row: u32, col: u16, s: &str) -> io::Result<()> {
        let (r, c) = self.at(row, col)?;
        let units: Vec<u16> = s.encode_utf16().take(MAX_LABEL).collect();
        let mut p = Vec::with_capacity(9 + units.len() * 2);
        p.extend(r.to_le_bytes());
        p.extend(c.to_le_bytes());
        p.extend(XF_TEXT.to_le_bytes());
        p.extend((units.len() as u16).to_le_bytes());
        p.push(1);
        units.iter().for_each(|u| p.extend(u.to_le_bytes()));
        record(&mut self.cells, 0x0204, &p);
        Ok(())
    }

    pub fn number(&mut self, row: u32, col: u16, n: f64, format: NumFormat) -> io::Result<()> {
        let (r, c) = self.at(row, col)?;
        let xf = match format {
            NumFormat::Integer => XF_INTEGER,
            NumFormat::Money => XF_MONEY,
        };
        let mut p = Vec::with_capacity(14);
        p.extend(r.to_le_bytes());
        p.extend(c.to_le_bytes());
        p.extend(xf.to_le_bytes());
        p.extend(n.to_le_bytes());
        record(&mut self.cells, 0x0203, &p);
        Ok(())
    }

    /// Cells `first..=last` of a row shown as one (the text goes in the first).
    pub fn merge(&mut self, row: u32, first: u16, last: u16) -> io::Result<()> {
        let (r, _) = self.at(row, last)?;
        self.merges.push([r, r, first, last]);
        Ok(())
    }

    /// A column's width in characters.
    pub fn width(&mut self, col: u16, chars: f64) {
        let w = (chars.clamp(1.0, 255.0) * 256.0) as u16;
        self.widths.push((col, w));
    }

    /// The same sheet with only its first `rows` rows (cells and merges).
    pub fn first_rows(&self, rows: u32) -> Sheet {
        let mut cells = Vec::new();
        let mut at = 0;
        while at + 6 <= self.cells.len() {
            let len = u16::from_le_bytes([self.cells[at + 2], self.cells[at + 3]]) as usize;
            let row = u16::from_le_bytes([self.cells[at + 4], self.cells[at + 5]]);
            let end = (at + 4 + len).min(self.cells.len());
            if u32::from(row) < rows {
                cells.extend(&self.cells[at..end]);
            }
            at = end;
        }
        Sheet {
            name: self.name.clone(),
            cells,
            rows: self.rows.min(rows),
            cols: self.cols,
            merges: self
                .merges
                .iter()
                .filter(|m| u32::from(m[0]) < rows)
                .copied()
                .collect(),
            widths: self.widths.clone(),
        }
    }

    /// The whole `.xls` file.
    pub fn save(&self, out: &mut impl Write) -> io::Result<()> {
        let stream = self.workbook_stream();
        compound_file(&stream, out)
    }

    fn workbook_stream(&self) -> Vec<u8> {
        let mut g = Vec::new();
        record(&mut g, 0x0809, &bof(0x0005));
        record(&mut g, 0x0042, &1200u16.to_le_bytes()); // CODEPAGE: UTF-16
        record(
            &mut g,
            0x003D, // WINDOW1
            &le16(&[0, 0, 0x4000, 0x2000, 0x0038, 0, 0, 1, 0x0258]),
        );
        // Fonts 0-3 and 5 (index 4 is never read).
        for _ in 0..5 {
            record(&mut g, 0x0031, &font("宋体"));
        }
        for i in 0..16u16 {
            let style = i < 15;
            record(&mut g, 0x00E0, &xf(0, style));
        }
        record(&mut g, 0x00E0, &xf(49, false)); // @
        record(&mut g, 0x00E0, &xf(2, false)); // 0.00
        record(&mut g, 0x00E0, &xf(1, false)); // 0
        record(&mut g, 0x0293, &[0x00, 0x80, 0x00, 0xFF]); // STYLE: Normal
        let boundsheet_at = g.len() + 4;
        let mut bs = vec![0u8; 4];
        bs.extend([0, 0]);
        bs.extend(short_string(&self.name));
        record(&mut g, 0x0085, &bs);
        record(&mut g, 0x000A, &[]);
        // The sheet's BOF follows the globals directly.
        let sheet_at = g.len() as u32;
        g[boundsheet_at..boundsheet_at + 4].copy_from_slice(&sheet_at.to_le_bytes());

        record(&mut g, 0x0809, &bof(0x0010));
        for &(col, w) in &self.widths {
            let mut p = Vec::new();
            p.extend(col.to_le_bytes());
            p.extend(col.to_le_bytes());
            p.extend(w.to_le_bytes());
            p.extend(XF_DEFAULT.to_le_bytes());
            p.extend([0, 0, 0, 0]);
            record(&mut g, 0x007D, &p);
        }
        let mut dim = Vec::new();
        dim.extend(0u32.to_le_bytes());
        dim.extend(self.rows.to_le_bytes());
        dim.extend(0u16.to_le_bytes());
        dim.extend(self.cols.to_le_bytes());
        dim.extend(0u16.to_le_bytes());
        record(&mut g, 0x0200, &dim);
        g.extend(&self.cells);
        // WINDOW2: grid, headers, zeros, selected.
        let mut w2 = le16(&[0x06B6, 0, 0, 0x40, 0, 0, 0]);
        w2.extend([0, 0, 0, 0]);
        w2.truncate(18);
        record(&mut g, 0x023E, &w2);
        // MERGEDCELLS, at most 1,026 ranges a record.
        for chunk in self.merges.chunks(1026) {
            let mut p = (chunk.len() as u16).to_le_bytes().to_vec();
            for m in chunk {
                p.extend(le16(m));
            }
            record(&mut g, 0x00E5, &p);
        }
        record(&mut g, 0x000A, &[]);
        g
    }
}

fn record(out: &mut Vec<u8>, kind: u16, payload: &[u8]) {
    out.extend(kind.to_le_bytes());
    out.extend((payload.len() as u16).to_le_bytes());
    out.extend(payload);
}

fn le16(v: &[u16]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// BOF of a BIFF8 substream (`dt` 5 = workbook globals, 0x10 = worksheet).
fn bof(dt: u16) -> Vec<u8> {
    let mut p = le16(&[0x0600, dt, 0x0DBB, 0x07CC]);
    p.extend(0u32.to_le_bytes());
    p.extend(6u32.to_le_bytes());
    p
}

fn font(name: &str) -> Vec<u8> {
    // 10 pt, colour automatic, normal weight.
    let mut p = le16(&[200, 0, 0x7FFF, 400, 0]);
    p.extend([0, 0, 0x86, 0]);
    p.extend(short_string(name));
    p
}

/// An XF: a style XF (`style`) or a cell XF with number format `ifmt`.
fn xf(ifmt: u16, style: bool) -> Vec<u8> {
    let mut p = le16(&[0, ifmt]);
    let (flags, used): (u16, u8) = if style {
        (0xFFF5, 0)
    } else if ifmt == 0 {
        (0x0001, 0)
    } else {
        (0x0001, 0x04)
    };
    p.extend(flags.to_le_bytes());
    p.extend([0x20, 0, 0, used]);
    p.extend([0u8; 8]);
    p.extend(0x20C0u16.to_le_bytes());
    p
}

/// A string with an 8-bit length, stored as UTF-16.
fn short_string(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().take(255).collect();
    let mut p = vec![units.len() as u8, 1];
    units.iter().for_each(|u| p.extend(u.to_le_bytes()));
    p
}

const SECTOR: usize = 512;
const FREE: u32 = 0xFFFF_FFFF;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FAT_SECTOR: u32 = 0xFFFF_FFFD;
const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;
const NO_STREAM: u32 = 0xFFFF_FFFF;

/// An OLE2 compound file (version 3) holding one stream, `Workbook`. The stream is padded
/// to 4,096 bytes so it lives in regular sectors (no mini stream); the padding follows the
/// last EOF record, where readers stop.
fn compound_file(stream: &[u8], out: &mut impl Write) -> io::Result<()> {
    let len = stream.len().max(4096).div_ceil(SECTOR) * SECTOR;
    let s = len / SECTOR;
    // Sectors: the stream, one directory sector, the FAT, the DIFAT beyond the header's 109.
    let (mut f, mut d) = (1usize, 0usize);
    loop {
        let nf = (s + 1 + f + d).div_ceil(128);
        let nd = nf.saturating_sub(109).div_ceil(127);
        if (nf, nd) == (f, d) {
            break;
        }
        (f, d) = (nf, nd);
    }
    let dir = s as u32;
    let fat_at = |i: usize| (s + 1 + i) as u32;
    let difat_at = |i: usize| (s + 1 + f + i) as u32;

    let mut h = Vec::with_capacity(SECTOR);
    h.extend(crate::input::cfb::MAGIC);
    h.extend([0u8; 16]);
    h.extend(le16(&[0x003E, 0x0003, 0xFFFE, 9, 6, 0, 0, 0]));
    h.extend(0u32.to_le_bytes()); // directory sectors (0 in version 3)
    h.extend((f as u32).to_le_bytes());
    h.extend(dir.to_le_bytes());
    h.extend(0u32.to_le_bytes());
    h.extend(0x1000u32.to_le_bytes());
    h.extend(END_OF_CHAIN.to_le_bytes()); // no mini FAT
    h.extend(0u32.to_le_bytes());
    h.extend((if d > 0 { difat_at(0) } else { END_OF_CHAIN }).to_le_bytes());
    h.extend((d as u32).to_le_bytes());
    for i in 0..109 {
        h.extend((if i < f { fat_at(i) } else { FREE }).to_le_bytes());
    }
    out.write_all(&h)?;

    out.write_all(stream)?;
    out.write_all(&vec![0u8; len - stream.len()])?;

    let mut dir_sector = Vec::with_capacity(SECTOR);
    dir_sector.extend(dir_entry("Root Entry", 5, 1, END_OF_CHAIN, 0));
    dir_sector.extend(dir_entry("Workbook", 2, NO_STREAM, 0, len as u32));
    dir_sector.extend(dir_entry("", 0, NO_STREAM, 0, 0));
    dir_sector.extend(dir_entry("", 0, NO_STREAM, 0, 0));
    out.write_all(&dir_sector)?;

    let mut fat = Vec::with_capacity(f * 128);
    fat.extend((1..s as u32).chain([END_OF_CHAIN]));
    fat.push(END_OF_CHAIN); // the directory
    fat.extend(std::iter::repeat_n(FAT_SECTOR, f));
    fat.extend(std::iter::repeat_n(DIFAT_SECTOR, d));
    fat.resize(f * 128, FREE);
    for x in &fat {
        out.write_all(&x.to_le_bytes())?;
    }
    for i in 0..d {
        let mut sector = Vec::with_capacity(SECTOR);
        for j in 0..127 {
            let k = 109 + i * 127 + j;
            sector.extend((if k < f { fat_at(k) } else { FREE }).to_le_bytes());
        }
        let next = if i + 1 < d {
            difat_at(i + 1)
        } else {
            END_OF_CHAIN
        };
        sector.extend(next.to_le_bytes());
        out.write_all(&sector)?;
    }
    Ok(())
}

/// A 128-byte directory entry; all times zero, so the file is the same bytes every run.
fn dir_entry(name: &str, kind: u8, child: u32, start: u32, size: u32) -> Vec<u8> {
    let mut e = vec![0u8; 128];
    let units: Vec<u16> = name.encode_utf16().take(31).collect();
    for (i, u) in units.iter().enumerate() {
        e[i * 2..i * 2 + 2].copy_from_slice(&u.to_le_bytes());
    }
    let name_len = if units.is_empty() {
        0
    } else {
        (units.len() as u16 + 1) * 2
    };
    e[64..66].copy_from_slice(&name_len.to_le_bytes());
    e[66] = kind;
    e[67] = if kind == 0 { 0 } else { 1 };
    e[68..72].copy_from_slice(&NO_STREAM.to_le_bytes());
    e[72..76].copy_from_slice(&NO_STREAM.to_le_bytes());
    e[76..80].copy_from_slice(&child.to_le_bytes());
    e[116..120].copy_from_slice(&start.to_le_bytes());
    e[120..124].copy_from_slice(&size.to_le_bytes());
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xls};
    use std::io::Cursor;

    fn read(sheet: &Sheet) -> (String, calamine::Range<Data>) {
        let mut bytes = Vec::new();
        sheet.save(&mut bytes).unwrap();
        assert_eq!(bytes.len() % SECTOR, 0);
        let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).unwrap();
        let name = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&name).unwrap();
        (name, range)
    }

    #[test]
    fn calamine_reads_back_text_numbers_and_the_sheet_name() {
        let mut s = Sheet::new("新增人员");
        s.text(0, 0, "身份证号码").unwrap();
        s.text(0, 1, "缴费工资").unwrap();
        s.text(1, 0, "440304199807211023").unwrap();
        s.number(1, 1, 9121.0, NumFormat::Integer).unwrap();
        s.number(2, 1, 9120.5, NumFormat::Money).unwrap();
        s.merge(0, 0, 1).unwrap();
        s.width(0, 20.0);
        let (name, r) = read(&s);
        assert_eq!(name, "新增人员");
        assert_eq!(
            r.get_value((0, 0)),
            Some(&Data::String("身份证号码".into()))
        );
        assert_eq!(
            r.get_value((1, 0)),
            Some(&Data::String("440304199807211023".into()))
        );
        assert_eq!(r.get_value((1, 1)), Some(&Data::Float(9121.0)));
        assert_eq!(r.get_value((2, 1)), Some(&Data::Float(9120.5)));
    }

    /// A stream past 109 FAT sectors (about 7 MB) needs DIFAT sectors: still read whole.
    #[test]
    fn a_large_sheet_uses_difat_sectors_and_reads_back() {
        let mut s = Sheet::new("Sheet1");
        let rows = 40_000u32;
        for r in 0..rows {
            for c in 0..8u16 {
                s.text(r, c, "一二三四五六七八九十一二三四五六七八")
                    .unwrap();
            }
        }
        let (_, range) = read(&s);
        assert_eq!(range.height(), rows as usize);
        assert_eq!(
            range.get_value((rows - 1, 7)),
            Some(&Data::String("一二三四五六七八九十一二三四五六七八".into()))
        );
    }

    #[test]
    fn beyond_an_xls_sheet_is_an_error_not_a_wrap() {
        let mut s = Sheet::new("Sheet1");
        assert!(s.text(MAX_ROWS, 0, "x").is_err());
        assert!(s.number(0, MAX_COLS, 1.0, NumFormat::Integer).is_err());
        assert!(s.text(MAX_ROWS - 1, 0, "x").is_ok());
    }

    #[test]
    fn first_rows_keeps_the_header_only() {
        let mut s = Sheet::new("Sheet1");
        s.text(0, 0, "标题").unwrap();
        s.merge(0, 0, 2).unwrap();
        s.text(1, 0, "姓名").unwrap();
        s.number(2, 0, 1.0, NumFormat::Integer).unwrap();
        s.text(3, 1, "张三").unwrap();
        let h = s.first_rows(2);
        let (_, r) = read(&h);
        assert_eq!(r.height(), 2);
        assert_eq!(r.get_value((1, 0)), Some(&Data::String("姓名".into())));
        assert_eq!(h.merges.len(), 1);
    }

    #[test]
    fn the_same_cells_give_the_same_bytes() {
        let build = || {
            let mut s = Sheet::new("Sheet1");
            s.text(0, 0, "姓名").unwrap();
            let mut b = Vec::new();
            s.save(&mut b).unwrap();
            b
        };
        assert_eq!(build(), build());
    }
}
