//! One input file through the reading and row stages (open, header plan, streamed rows,
//! `ChangeRow::build`, the row rules) without writing outputs, so each input costs
//! microseconds rather than the fsyncs of a whole run. Any outcome but a panic or a hang is
//! fine, and an input error must name the file: the property of tests/it/robustness.rs,
//! without a case limit.

use headcount::calendar::Date;
use headcount::finding::Lang;
use headcount::input::header::Schema;
use headcount::input::layout::Vocabulary;
use headcount::input::{plan, InputError, InputFile};
use headcount::rows::{ChangeRow, SheetCtx};
use headcount::rules::{self, Context};

pub fn check_file(name: &str, data: &[u8]) {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join(name);
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Err(e) = read(&path, name) {
        let m = e.message(Lang::En);
        assert!(m.contains(name), "the message does not name the file: {m}");
    }
}

/// Reads one file through the reading and row stages (also tests/it/fuzz_readers.rs's reader).
pub fn read(path: &std::path::Path, name: &str) -> Result<(), InputError> {
    let as_of = Date::new(2025, 8, 20).expect("a valid date");
    let rctx = Context {
        as_of,
        period: as_of.month_of(),
        mask: true,
        employer: None,
        roster: None,
        region: None,
    };
    let mut file = InputFile::open(path, name, None)?;
    let opts = plan::PlanOptions {
        schema: Schema::Changes,
        vocab: Vocabulary::embedded(),
        only_sheet: None,
        kind: None,
        keep_head: false,
    };
    let planned = plan::plan(&mut file, name, &opts)?;
    for sheet in &planned.sheets {
        let Some(data) = &sheet.data else { continue };
        let ctx = SheetCtx {
            file: 0,
            sheet: sheet.index,
            map: &data.header.map,
            kind: data.kind,
            vocab: headcount::input::value::vocab::Vocab::embedded(),
        };
        plan::stream::<InputError>(&mut file, sheet, data, 256, |rows, first| {
            for i in first..rows.len() {
                let row = ChangeRow::build(rows.row(i), ctx);
                let checked = rules::check_row(&row, &rctx);
                for f in &checked.findings {
                    let _ = f.message(Lang::Zh);
                }
            }
            Ok(())
        })?;
    }
    Ok(())
}
