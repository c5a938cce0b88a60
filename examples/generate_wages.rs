//! Writes a payroll export for `headcount rebase` benchmarks: twelve 2025 monthly lines
//! (ID, name, 工资月份, 应发工资) for each of the first `--members` people of the roster that
//! `examples/generate.rs` writes with the same `--seed`.
//!
//! ```sh
//! cargo run --release --example generate -- --rows 1000 --roster 1000000 --out /tmp/hc-rebase
//! cargo run --release --example generate_wages -- --members 1000000 --out /tmp/hc-rebase
//! headcount rebase --roster /tmp/hc-rebase/roster.csv --wages /tmp/hc-rebase/wages.csv \
//!     --region beijing --year 2026 --out /tmp/hc-rebase/out
//! ```

#[path = "support/datagen.rs"]
mod datagen;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(about = "Write a generated payroll export (12 months a person) for rebase")]
struct Args {
    /// People to write wages for (the roster's first N).
    #[arg(long, default_value_t = 1000)]
    members: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let path = args.out.join("wages.csv");
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&args.out)?;
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
        writeln!(w, "姓名,身份证号,工资月份,应发工资")?;
        for m in 0..args.members {
            let p = datagen::person(m, args.seed);
            for month in 1..=12u64 {
                // 6,000–20,999 yuan, a little higher in the second half of the year.
                let wage =
                    6000 + (m * 7919 + month * 131) % 15000 + if month > 6 { 300 } else { 0 };
                writeln!(w, "{},{},2025-{month:02},{wage}", p.name, p.id)?;
            }
        }
        w.flush()
    };
    match write() {
        Ok(()) => {
            eprintln!(
                "wrote {} wage lines to {}",
                args.members * 12,
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate_wages: {e}");
            ExitCode::from(2)
        }
    }
}
