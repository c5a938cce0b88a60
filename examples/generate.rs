//! Writes a realistic month of changes at any size, for benchmarks and tests:
//!
//! ```sh
//! cargo run --release --example generate -- --rows 1000000 --roster 1000000 \
//!     --bad-share 0.05 --seed 1 --format csv --out /tmp/hc-bench
//! ```
//!
//! writes `changes.csv` (or `changes.xlsx`), `roster.csv` (unless `--roster 0`) and
//! `planted.csv` (the row and rule code of every planted problem), and prints the
//! `headcount check` command that reads them. The same arguments write the same bytes.

#[path = "support/datagen.rs"]
mod datagen;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(about = "Write a generated month of headcount changes")]
struct Args {
    /// Change rows to write.
    #[arg(long, default_value_t = 1000)]
    rows: usize,
    /// Roster members to write (0: no roster).
    #[arg(long, default_value_t = 1000)]
    roster: usize,
    /// Share of change rows planted with one problem each.
    #[arg(long, default_value_t = 0.05)]
    bad_share: f64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// csv or xlsx (the roster is always CSV).
    #[arg(long, default_value = "csv")]
    format: String,
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let format = match args.format.as_str() {
        "csv" => datagen::Format::Csv,
        "xlsx" => datagen::Format::Xlsx,
        other => {
            eprintln!("--format must be csv or xlsx, not `{other}`");
            return ExitCode::from(2);
        }
    };
    if !(0.0..=1.0).contains(&args.bad_share) {
        eprintln!("--bad-share must be between 0 and 1");
        return ExitCode::from(2);
    }
    let spec = datagen::Spec {
        rows: args.rows,
        roster: args.roster,
        bad_share: args.bad_share,
        seed: args.seed,
    };
    let written = match datagen::write(&spec, format, &args.out)
        .and_then(|w| datagen::write_planted(&w, &args.out).map(|()| w))
    {
        Ok(w) => w,
        Err(e) => {
            eprintln!("generate: {e}");
            return ExitCode::from(2);
        }
    };
    eprintln!(
        "wrote {} rows ({} additions, {} reductions, {} planted, {} of them rejecting) to {}",
        written.rows,
        written.additions,
        written.reductions,
        written.planted.len(),
        written.planted_rejections(),
        written.changes.display()
    );
    let cmd = datagen::args("check", &written, &args.out.join("out"));
    println!("headcount {}", cmd.join(" "));
    ExitCode::SUCCESS
}
