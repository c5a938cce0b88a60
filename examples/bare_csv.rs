//! The floor for reading a CSV: one `csv::ByteRecord` pass that touches every field and
//! does nothing else. `benches/run.sh` compares `headcount check` with it.
//!
//! ```sh
//! cargo run --release --example bare_csv -- FILE.csv
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: bare_csv FILE.csv");
        return ExitCode::from(2);
    };
    let mut reader = match csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(&path)
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("bare_csv: {e}");
            return ExitCode::from(2);
        }
    };
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut fields, mut bytes) = (0u64, 0u64, 0u64);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                rows += 1;
                fields += record.len() as u64;
                // Touch every field so the pass cannot be optimised into a line count.
                bytes += record.iter().map(|f| f.len() as u64).sum::<u64>();
            }
            Ok(false) => break,
            Err(e) => {
                eprintln!("bare_csv: {e}");
                return ExitCode::from(2);
            }
        }
    }
    println!("{rows} rows, {fields} fields, {bytes} field bytes");
    ExitCode::SUCCESS
}
