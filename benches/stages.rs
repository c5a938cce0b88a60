//! The pipeline's stages one at a time, on a generated month of 20,000 rows (and a roster of
//! as many): CSV read, row build + row rules, cross-row rules, ID check, contributions,
//! roster load. `cd benches && cargo bench` (a crate of its own); whole runs are measured by `benches/run.sh`.
//!
//! Kept short (few samples) because the benchmark machine has two shared cores.

#[path = "../examples/support/datagen.rs"]
mod datagen;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rust_decimal::Decimal;

use headcount::calendar::{Date, Month};
use headcount::contributions;
use headcount::ids::{self, DocType};
use headcount::input::header::Schema;
use headcount::input::layout::Vocabulary;
use headcount::input::plan::{self, SheetData};
use headcount::input::rows_buf::RowBuf;
use headcount::input::{InputFile, RowReader};
use headcount::output::{SourceFile, SourceSheet, Sources};
use headcount::policy::PolicySet;
use headcount::rows::key::PersonKey;
use headcount::rows::roster::Roster;
use headcount::rows::{ChangeRow, SheetCtx};
use headcount::rules::{self, batch::Batch, Context};

const ROWS: usize = 20_000;
const CHUNK: usize = 8192;

struct Generated {
    _dir: tempfile::TempDir,
    written: datagen::Written,
}

fn generate() -> Generated {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = datagen::Spec {
        rows: ROWS,
        roster: ROWS,
        bad_share: 0.05,
        seed: 1,
    };
    let written = datagen::write(&spec, datagen::Format::Csv, dir.path()).expect("generate");
    Generated { _dir: dir, written }
}

/// The planned sheet of a change file and all its rows, read in chunks as the pipeline does.
fn read_all(path: &Path) -> (SheetData, Vec<RowBuf>) {
    let mut file = InputFile::open(path, "changes.csv", None).expect("open");
    let opts = plan::PlanOptions {
        schema: Schema::Changes,
        vocab: Vocabulary::embedded(),
        only_sheet: None,
        kind: None,
        keep_head: false,
    };
    let mut p = plan::plan(&mut file, "changes.csv", &opts).expect("plan");
    let sheet = p.sheets.remove(0);
    let data = sheet.data.expect("header");
    // The generator writes the header on the first line, so data starts at row index 1.
    assert_eq!(data.header.index, 0);
    let mut chunks = Vec::new();
    file.with_sheet("", |r: &mut dyn RowReader| loop {
        let mut buf = RowBuf::for_records();
        if r.fill(&mut buf, CHUNK).expect("fill") == 0 {
            break;
        }
        chunks.push(buf);
    })
    .expect("sheet");
    (data, chunks)
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

fn as_of() -> Date {
    Date::new(2025, 8, 20).expect("date")
}

fn period() -> Month {
    Month::new(2025, 8).expect("month")
}

fn csv_read(c: &mut Criterion) {
    let m = generate();
    let mut g = c.benchmark_group("csv_read");
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("changes", |b| {
        b.iter(|| {
            let mut file = InputFile::open(&m.written.changes, "c.csv", None).expect("open");
            let mut buf = file.row_buf();
            let mut rows = 0;
            file.with_sheet("", |r| {
                while let Ok(n @ 1..) = r.fill(&mut buf, CHUNK) {
                    rows += n;
                }
            })
            .expect("sheet");
            black_box(rows)
        })
    });
    g.finish();
}

fn roster_load(c: &mut Criterion) {
    let m = generate();
    let path = m.written.roster.clone().expect("roster");
    let mut g = c.benchmark_group("roster_load");
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("csv", |b| {
        b.iter(|| {
            let r = Roster::load(
                &path,
                "roster.csv",
                None,
                Vocabulary::embedded(),
                headcount::input::value::vocab::Vocab::embedded(),
            )
            .expect("roster");
            black_box(r.len())
        })
    });
    g.finish();
}

fn rows_and_rules(c: &mut Criterion) {
    let m = generate();
    let policy = PolicySet::embedded().expect("policy");
    let (data, chunks) = read_all(&m.written.changes);
    let roster = Roster::load(
        m.written.roster.as_deref().expect("roster"),
        "roster.csv",
        None,
        Vocabulary::embedded(),
        headcount::input::value::vocab::Vocab::embedded(),
    )
    .expect("roster");
    let ctx = SheetCtx {
        file: 0,
        sheet: 0,
        map: &data.header.map,
        kind: data.kind,
        vocab: headcount::input::value::vocab::Vocab::embedded(),
    };
    let rctx = Context {
        as_of: as_of(),
        period: period(),
        mask: true,
        employer: Some(datagen::EMPLOYER),
        roster: Some(&roster),
        region: policy.region("beijing"),
    };
    let rows = || {
        chunks
            .iter()
            .enumerate()
            .flat_map(|(i, c)| (usize::from(i == 0)..c.len()).map(move |r| c.row(r)))
    };
    let mut g = c.benchmark_group("rows");
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("is_blank", |b| {
        b.iter(|| rows().filter(|r| r.is_blank()).count())
    });
    g.bench_function("build", |b| {
        b.iter(|| {
            rows()
                .map(|r| black_box(ChangeRow::build(r, ctx)).at.row)
                .sum::<u32>()
        })
    });
    g.bench_function("build_and_row_rules", |b| {
        b.iter(|| {
            rows()
                .map(|r| {
                    let row = ChangeRow::build(r, ctx);
                    rules::check_row(&row, &rctx).findings.len()
                })
                .sum::<usize>()
        })
    });
    let sources = Sources {
        files: vec![SourceFile {
            display: "changes.csv".into(),
            sheets: vec![SourceSheet {
                name: String::new(),
                columns: data.header.columns.clone(),
                header_row: data.header.row,
                id_column: data
                    .header
                    .map
                    .get(headcount::input::header::Field::IdNumber)
                    .map(|c| c as u32),
            }],
        }],
    };
    g.bench_function("cross_row_rules", |b| {
        let checked: Vec<_> = rows()
            .map(|r| {
                let row = ChangeRow::build(r, ctx);
                let checked = rules::check_row(&row, &rctx);
                (row, checked)
            })
            .collect();
        b.iter(|| {
            let mut batch = Batch::default();
            let mut n = 0;
            for (row, checked) in &checked {
                let mut c = rules::Checked {
                    facts: checked.facts.clone(),
                    findings: Vec::new(),
                };
                batch.check(row, &mut c, &sources);
                n += c.findings.len();
            }
            n
        })
    });
    g.finish();
}

fn id_check(c: &mut Criterion) {
    let ids: Vec<String> = (0..ROWS as u64).map(|i| datagen::person(i, 1).id).collect();
    let mut g = c.benchmark_group("ids");
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("check_resident", |b| {
        b.iter(|| {
            ids.iter()
                .filter(|id| ids::check(DocType::ResidentId, id, as_of()).is_ok())
                .count()
        })
    });
    g.bench_function("person_key", |b| {
        b.iter(|| ids.iter().filter_map(|id| PersonKey::of(id)).count())
    });
    let vocab = headcount::input::value::vocab::Vocab::embedded();
    for label in ["居民身份证", "身份证", "01"] {
        g.bench_with_input(BenchmarkId::new("doc_type_parse", label), label, |b, l| {
            b.iter(|| {
                (0..ROWS)
                    .filter(|_| vocab.doc_type(black_box(l)).is_some())
                    .count()
            })
        });
    }
    g.finish();
}

fn contributions_compute(c: &mut Criterion) {
    let policy = PolicySet::embedded().expect("policy");
    let p = policy.period_for("beijing", period()).expect("period");
    let bases: Vec<Decimal> = (0..ROWS as i64)
        .map(|i| Decimal::new(720_000 + (i * 7_919) % 2_800_000, 2))
        .collect();
    let mut g = c.benchmark_group("contributions");
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("compute", |b| {
        b.iter(|| {
            bases
                .iter()
                .map(|&base| contributions::compute(p, base, None).employer_total)
                .sum::<Decimal>()
        })
    });
    g.finish();
}

criterion_group! {
    name = stages;
    config = config();
    targets = csv_read, roster_load, rows_and_rules, id_check, contributions_compute
}
criterion_main!(stages);
