//! Small files built in the tests: zip archives, compound files (OLE2) and BIFF8 .xls
//! workbook streams, written from the format specifications, with our own rows.

#![allow(dead_code)]

use std::io::Write;

pub enum Value {
    Num(f64),
    Text(String),
}

pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default().large_file(false);
    for (name, bytes) in parts {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

fn rec(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut r = kind.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

/// A BIFF8 workbook stream: globals naming one sheet, then the sheet with numeric cells.
pub fn biff(cells: &[(u16, u16, Value)]) -> Vec<u8> {
    biff_sheet("Sheet1", cells)
}

/// `biff` with the sheet's name, written in UTF-16 when it is not ASCII (e.g. `员工社保新增`).
pub fn biff_sheet(name: &str, cells: &[(u16, u16, Value)]) -> Vec<u8> {
    let bof = |kind: u16| {
        let mut d = vec![0u8; 16];
        d[..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&kind.to_le_bytes());
        rec(0x0809, &d)
    };
    // ShortXLUnicodeString: character count, flag (1 = UTF-16), characters.
    let units: Vec<u16> = name.encode_utf16().collect();
    let (flag, name): (u8, Vec<u8>) = if name.is_ascii() {
        (0, name.as_bytes().to_vec())
    } else {
        (1, units.iter().flat_map(|u| u.to_le_bytes()).collect())
    };
    let boundsheet_len = 4 + 4 + 2 + 2 + name.len();
    let mut globals = bof(0x0005);
    globals.extend(rec(0x0042, &1200u16.to_le_bytes()));
    let sheet_at = globals.len() + boundsheet_len + 4;
    let mut bs = (sheet_at as u32).to_le_bytes().to_vec();
    bs.extend_from_slice(&[0, 0, units.len() as u8, flag]);
    bs.extend_from_slice(&name);
    globals.extend(rec(0x0085, &bs));
    globals.extend(rec(0x000A, &[]));
    assert_eq!(globals.len(), sheet_at);
    let mut sheet = bof(0x0010);
    for (r, c, v) in cells {
        let mut d = r.to_le_bytes().to_vec();
        d.extend_from_slice(&c.to_le_bytes());
        d.extend_from_slice(&15u16.to_le_bytes());
        match v {
            Value::Num(n) => {
                d.extend_from_slice(&n.to_le_bytes());
                sheet.extend(rec(0x0203, &d));
            }
            Value::Text(t) => {
                // LABEL with an XLUnicodeString in UTF-16.
                let units: Vec<u16> = t.encode_utf16().collect();
                d.extend_from_slice(&(units.len() as u16).to_le_bytes());
                d.push(1);
                for u in units {
                    d.extend_from_slice(&u.to_le_bytes());
                }
                sheet.extend(rec(0x0204, &d));
            }
        }
    }
    sheet.extend(rec(0x000A, &[]));
    [globals, sheet].concat()
}

/// A compound file with one stream, stored in regular 512-byte sectors (padded to 4 KiB).
pub fn cfb(name: &str, data: &[u8]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    let mut data = data.to_vec();
    let size = data.len().max(4096).div_ceil(512) * 512;
    data.resize(size, 0);
    let n = size / 512;
    let put16 = |b: &mut [u8], at: usize, v: u16| b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 = |b: &mut [u8], at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    let mut h = vec![0u8; 512];
    h[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    put16(&mut h, 0x18, 0x3E);
    put16(&mut h, 0x1A, 3);
    put16(&mut h, 0x1C, 0xFFFE);
    put16(&mut h, 0x1E, 9);
    put16(&mut h, 0x20, 6);
    put32(&mut h, 0x2C, 1);
    put32(&mut h, 0x30, 1);
    put32(&mut h, 0x38, 4096);
    put32(&mut h, 0x3C, END);
    put32(&mut h, 0x44, END);
    for i in 0..109 {
        put32(&mut h, 0x4C + i * 4, if i == 0 { 0 } else { 0xFFFF_FFFF });
    }
    let mut fat = vec![0xFFu8; 512];
    put32(&mut fat, 0, 0xFFFF_FFFD);
    put32(&mut fat, 4, END);
    for s in 0..n {
        let next = if s + 1 == n { END } else { (s + 3) as u32 };
        put32(&mut fat, (s + 2) * 4, next);
    }
    let mut dir = vec![0u8; 512];
    for (i, (entry, kind, start, len)) in
        [("Root Entry", 5u8, END, 0u32), (name, 2, 2, size as u32)]
            .into_iter()
            .enumerate()
    {
        let at = i * 128;
        let units: Vec<u16> = entry.encode_utf16().chain([0]).collect();
        for (k, u) in units.iter().enumerate() {
            put16(&mut dir, at + k * 2, *u);
        }
        put16(&mut dir, at + 0x40, (units.len() * 2) as u16);
        dir[at + 0x42] = kind;
        put32(&mut dir, at + 0x44, 0xFFFF_FFFF);
        put32(&mut dir, at + 0x48, 0xFFFF_FFFF);
        put32(&mut dir, at + 0x4C, if i == 0 { 1 } else { 0xFFFF_FFFF });
        put32(&mut dir, at + 0x74, start);
        put32(&mut dir, at + 0x78, len);
    }
    for e in 2..4 {
        put32(&mut dir, e * 128 + 0x44, 0xFFFF_FFFF);
        put32(&mut dir, e * 128 + 0x48, 0xFFFF_FFFF);
        put32(&mut dir, e * 128 + 0x4C, 0xFFFF_FFFF);
    }
    [h, fat, dir, data].concat()
}

/// An Excel 2003 XML (SpreadsheetML) workbook with one sheet of text cells; empty cells are
/// left out and the next cell carries `ss:Index`, as Excel writes them.
pub fn xmlss(sheet: &str, rows: &[Vec<String>]) -> Vec<u8> {
    let esc = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut x = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n",
        "<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" ",
        "xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">\n"
    ));
    x.push_str(&format!("<Worksheet ss:Name=\"{}\"><Table>\n", esc(sheet)));
    for row in rows {
        x.push_str("<Row>");
        let mut skipped = false;
        for (c, t) in row.iter().enumerate() {
            if t.is_empty() {
                skipped = true;
                continue;
            }
            let index = if skipped {
                format!(" ss:Index=\"{}\"", c + 1)
            } else {
                String::new()
            };
            skipped = false;
            x.push_str(&format!(
                "<Cell{index}><Data ss:Type=\"String\">{}</Data></Cell>",
                esc(t)
            ));
        }
        x.push_str("</Row>\n");
    }
    x.push_str("</Table></Worksheet>\n</Workbook>\n");
    x.into_bytes()
}
