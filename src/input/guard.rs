//! Checks made on a workbook's own directory and declared counts before calamine reads it,
//! so that what a file claims (inflated sizes, string counts, repeated cells, a cell at
//! row 65,535) cannot cost more memory or time than the limits allow. zip refuses to
//! inflate a part past its declared size, so the declared sizes are a real bound.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::cfb::Cfb;
use super::limits::{self, Limits, MIB};
use super::sniff::{self, Kind};
use super::InputError;

pub fn check(path: &Path, display: &str, kind: Kind) -> Result<(), InputError> {
    let limits = limits::get();
    match kind {
        Kind::Xlsx | Kind::Ods => zipped(path, display, kind, &limits),
        Kind::Xls => xls(path, display, &limits),
        _ => Ok(()),
    }
}

fn too_big(display: &str, zh: String, en: String) -> InputError {
    InputError::refused_with(
        display,
        format!("{zh}；这超出了输入限制（见 docs/security.md「Input limits」），如文件确实如此，可在 headcount.toml 的 [limits] 中调高"),
        format!("{en}; that is past the input limits (docs/security.md, \"Input limits\"); if the file is genuine, raise them under [limits] in headcount.toml"),
    )
}

fn open_zip(path: &Path, display: &str) -> Result<zip::ZipArchive<BufReader<File>>, InputError> {
    let file = File::open(path).map_err(|e| InputError::unreadable(display, &e))?;
    zip::ZipArchive::new(BufReader::new(file))
        .map_err(|_| InputError::refused(display, sniff::ZIP_DAMAGED))
}

fn zipped(path: &Path, display: &str, kind: Kind, l: &Limits) -> Result<(), InputError> {
    let mut zip = open_zip(path, display)?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else {
            return Err(InputError::refused(display, sniff::ZIP_DAMAGED));
        };
        let (name, size, packed) = (
            f.name().map(|n| n.into_owned()).unwrap_or_default(),
            f.size(),
            f.compressed_size(),
        );
        total = total.saturating_add(size);
        if size > l.part_mib * MIB {
            return Err(too_big(
                display,
                format!("其中的 {name} 解压后有 {} MiB", size / MIB),
                format!("its part {name} inflates to {} MiB", size / MIB),
            ));
        }
        if size > MIB && size / packed.max(1) > l.compression_ratio {
            return Err(too_big(
                display,
                format!(
                    "其中的 {name} 压缩比为 {}:1（{} KiB 解压为 {} MiB），像是一个“压缩炸弹”",
                    size / packed.max(1),
                    packed / 1024,
                    size / MIB
                ),
                format!(
                    "its part {name} has a compression ratio of {}:1 ({} KiB inflating to {} MiB), like a zip bomb",
                    size / packed.max(1),
                    packed / 1024,
                    size / MIB
                ),
            ));
        }
    }
    if total > l.workbook_mib * MIB {
        return Err(too_big(
            display,
            format!("解压后共有 {} MiB", total / MIB),
            format!("it inflates to {} MiB in all", total / MIB),
        ));
    }
    match kind {
        Kind::Xlsx => shared_strings(&mut zip, display, l),
        _ => ods_repeats(&mut zip, display, l),
    }
}

/// calamine reserves room for `uniqueCount` strings before reading one: the count must fit
/// the part (every `<si>` takes at least 9 bytes) and the part must fit the limit.
fn shared_strings(
    zip: &mut zip::ZipArchive<BufReader<File>>,
    display: &str,
    l: &Limits,
) -> Result<(), InputError> {
    let Some(name) = zip
        .file_names_raw()
        .find(|n| n.eq_ignore_ascii_case(b"xl/sharedStrings.xml"))
        .map(|n| String::from_utf8_lossy(n).into_owned())
    else {
        return Ok(());
    };
    let Ok(f) = zip.by_name(&name) else {
        return Err(InputError::refused(display, sniff::ZIP_DAMAGED));
    };
    let size = f.size();
    if size > l.shared_strings_mib * MIB {
        return Err(too_big(
            display,
            format!(
                "共享字符串表（sharedStrings.xml）解压后有 {} MiB，需整体读入内存",
                size / MIB
            ),
            format!(
                "its shared strings (sharedStrings.xml) inflate to {} MiB, which are read whole",
                size / MIB
            ),
        ));
    }
    let mut head = Vec::with_capacity(4096);
    if f.take(4096).read_to_end(&mut head).is_err() {
        return Err(InputError::refused(display, sniff::ZIP_DAMAGED));
    }
    // `count` counts references to the strings (a column of 正常 counts each cell), so it
    // may exceed what the part holds; only without `uniqueCount` is it the one calamine uses.
    let find = |key: &[u8]| {
        head.windows(key.len())
            .position(|w| w == key)
            .map(|at| at + key.len())
    };
    let unique = find(b"uniqueCount=\"");
    let count = head
        .windows(7)
        .enumerate()
        .find(|(i, w)| *w == b"count=\"" && (*i == 0 || head[i - 1].is_ascii_whitespace()))
        .map(|(i, _)| i + 7);
    if let Some(at) = unique.or(count) {
        let digits: Vec<u8> = head[at..]
            .iter()
            .take_while(|b| **b != b'"')
            .copied()
            .collect();
        let fits = size / 9 + 1;
        let declared = std::str::from_utf8(&digits)
            .ok()
            .and_then(|d| d.trim().parse::<u64>().ok());
        if declared.is_none_or(|n| n > fits) {
            let shown = String::from_utf8_lossy(&digits[..digits.len().min(30)]).into_owned();
            return Err(InputError::refused_with(
                display,
                format!("共享字符串表声明有 {shown} 个字符串，但其大小最多容纳 {fits} 个：文件已损坏或被篡改；请重新导出"),
                format!("its shared strings declare {shown} strings where the part has room for at most {fits}: the file is damaged or tampered with; export it again"),
            ));
        }
    }
    Ok(())
}

/// ODS compresses runs of equal cells and rows as `number-columns-repeated` and
/// `number-rows-repeated`; calamine expands them. Counts the cells the expansion makes,
/// streaming `content.xml`, and refuses past the cell limit. Trailing runs of empty cells
/// (which every Calc file has, up to column 1024 and row 1,048,576) cost nothing.
fn ods_repeats(
    zip: &mut zip::ZipArchive<BufReader<File>>,
    display: &str,
    l: &Limits,
) -> Result<(), InputError> {
    use quick_xml::events::Event;
    let Ok(f) = zip.by_name("content.xml") else {
        return Err(InputError::refused(display, sniff::ZIP_DAMAGED));
    };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(f));
    let mut buf = Vec::new();
    let mut cells = 0u64;
    // The current row: its repeat count, the width up to its last non-empty cell, and
    // the width so far.
    let (mut row_rep, mut row_width, mut col) = (1u64, 0u64, 0u64);
    // Rows of the sheet so far, and the widest row.
    let (mut rows, mut width) = (0u64, 0u64);
    // Open elements: calamine loops forever on a content.xml cut inside a table, so a
    // document that does not close is refused here.
    let mut depth = 0u64;
    let mut elements = 0u64;
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(_) => return Err(InputError::refused(display, sniff::ZIP_DAMAGED_PART)),
        };
        let repeat = |e: &quick_xml::events::BytesStart<'_>, key: &str| -> u64 {
            e.attributes()
                .with_checks(false)
                .flatten()
                .find(|a| a.key.local_name().as_ref() == key)
                .and_then(|a| a.value.trim().parse().ok())
                .unwrap_or(1u64)
                .max(1)
        };
        let is_start = matches!(event, Event::Start(_));
        match &event {
            Event::Start(_) => {
                depth += 1;
                elements += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "table" => (rows, width) = (0, 0),
                "table-row" => {
                    row_rep = repeat(&e, "number-rows-repeated");
                    (row_width, col) = (0, 0);
                }
                "table-cell" | "covered-table-cell" => {
                    let n = repeat(&e, "number-columns-repeated");
                    col = col.saturating_add(n);
                    let has_value = is_start
                        || e.attributes()
                            .with_checks(false)
                            .flatten()
                            .any(|a| a.key.local_name().as_ref() == "value-type");
                    if has_value {
                        row_width = col;
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "table-row" => {
                if row_width > 0 {
                    rows = rows.saturating_add(row_rep);
                    width = width.max(row_width);
                    cells = cells.max(rows.saturating_mul(width));
                }
                if cells > l.cells {
                    return Err(too_big(
                        display,
                        format!("重复的单元格（number-columns-repeated / number-rows-repeated）展开后超过 {} 个单元格", l.cells),
                        format!("its repeated cells (number-columns-repeated / number-rows-repeated) expand to more than {} cells", l.cells),
                    ));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 || elements == 0 {
        return Err(InputError::refused(display, sniff::ZIP_DAMAGED_PART));
    }
    Ok(())
}

/// calamine reads an .xls sheet into a dense rectangle spanning its cells: one cell at row
/// 65,535 and column 65,535 would cost 137 GB. Scans the BIFF records for cell positions
/// first and refuses a sheet whose rectangle passes the cell limit (or whose cells lie past
/// the format's 256 columns).
fn xls(path: &Path, display: &str, l: &Limits) -> Result<(), InputError> {
    let damaged = || InputError::refused(display, sniff::OLE_DAMAGED);
    let file = File::open(path).map_err(|e| InputError::unreadable(display, &e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut cfb = Cfb::open(file, len).map_err(|_| damaged())?;
    let stream = cfb
        .stream("Workbook")
        .or_else(|_| cfb.stream("Book"))
        .map_err(|_| damaged())?;
    let mut at = 0usize;
    let mut sheet = 0u32;
    let (mut min_r, mut max_r, mut min_c, mut max_c) = (u32::MAX, 0u32, u32::MAX, 0u32);
    let check = |sheet: u32, min_r: u32, max_r: u32, min_c: u32, max_c: u32| {
        if min_r > max_r {
            return Ok(());
        }
        let area = u64::from(max_r - min_r + 1) * u64::from(max_c - min_c + 1);
        if max_c > 255 || area > l.cells {
            return Err(too_big(
                display,
                format!("第 {} 个工作表的单元格分布在第 {} 行第 {} 列之内，展开后有 {area} 个单元格（.xls 整表读入内存）", sheet - 1, max_r + 1, max_c + 1),
                format!("sheet {} has cells as far as row {}, column {}: {area} cells once expanded (an .xls sheet is read whole)", sheet - 1, max_r + 1, max_c + 1),
            ));
        }
        Ok(())
    };
    while at + 4 <= stream.len() {
        let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let size = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let data = &stream[at + 4..(at + 4 + size).min(stream.len())];
        at += 4 + size;
        let rc = |d: &[u8]| -> Option<(u32, u32)> {
            Some((
                u32::from(u16::from_le_bytes([*d.first()?, *d.get(1)?])),
                u32::from(u16::from_le_bytes([*d.get(2)?, *d.get(3)?])),
            ))
        };
        let mut cell = |r: u32, c: u32| {
            min_r = min_r.min(r);
            max_r = max_r.max(r);
            min_c = min_c.min(c);
            max_c = max_c.max(c);
        };
        match kind {
            // BOF: a new substream (a sheet, or the workbook globals).
            0x0809 => {
                check(sheet, min_r, max_r, min_c, max_c)?;
                sheet += 1;
                (min_r, max_r, min_c, max_c) = (u32::MAX, 0, u32::MAX, 0);
            }
            // NUMBER, RK, LABELSST, LABEL, BOOLERR, FORMULA, RSTRING.
            0x0203 | 0x027E | 0x00FD | 0x0204 | 0x0205 | 0x0006 | 0x00D6 => {
                if let Some((r, c)) = rc(data) {
                    cell(r, c);
                }
            }
            // MULRK: row, first column, …, last column.
            0x00BD => {
                if let (Some((r, c)), Some(last)) = (rc(data), data.get(size.saturating_sub(2)..)) {
                    cell(r, c);
                    if last.len() == 2 {
                        cell(r, u32::from(u16::from_le_bytes([last[0], last[1]])));
                    }
                }
            }
            _ => {}
        }
    }
    check(sheet, min_r, max_r, min_c, max_c)
}
