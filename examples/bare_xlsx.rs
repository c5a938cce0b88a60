//! The floor for reading a workbook: calamine's streaming cell reader over every sheet,
//! touching each cell's value and nothing else (no `Range` is built). `benches/run.sh`
//! compares `headcount check` with it.
//!
//! ```sh
//! cargo run --release --example bare_xlsx -- FILE.xlsx
//! ```

use std::process::ExitCode;

use calamine::{open_workbook, DataRef, Reader, Xlsx};

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: bare_xlsx FILE.xlsx");
        return ExitCode::from(2);
    };
    let mut book: Xlsx<_> = match open_workbook(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("bare_xlsx: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut cells, mut text_bytes, mut numbers) = (0u64, 0u64, 0f64);
    for name in book.sheet_names() {
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("bare_xlsx: sheet {name}: {e}");
                return ExitCode::from(2);
            }
        };
        loop {
            match reader.next_cell() {
                Ok(Some(cell)) => {
                    cells += 1;
                    match cell.get_value() {
                        DataRef::String(s) => text_bytes += s.len() as u64,
                        DataRef::SharedString(s) => text_bytes += s.len() as u64,
                        DataRef::Float(f) => numbers += f,
                        DataRef::Int(i) => numbers += *i as f64,
                        _ => {}
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    eprintln!("bare_xlsx: sheet {name}: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    }
    println!("{cells} cells, {text_bytes} text bytes, sum of numbers {numbers:.2}");
    ExitCode::SUCCESS
}
