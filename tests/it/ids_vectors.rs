//! Every row of every file in `tests/vectors/` against our checkers.
//!
//! Files whose name contains `uscc` go through `check_uscc`; the others through `check`
//! with the type `detect` guesses, on 2026-11-22. Rows where our design deliberately
//! disagrees with the vector are listed in `DELIBERATE`, and the test fails if that list
//! and the actual disagreements ever differ, so it cannot go stale.

use std::collections::BTreeMap;
use std::path::Path;

use headcount::calendar::Date;
use headcount::ids::{check, check_uscc, detect};

/// (value, why we disagree with the row's `valid`).
const DELIBERATE: &[(&str, &str)] = &[
    (
        "110111198012010078",
        "stdnum rejects it because county 110111 did not exist yet in 1980; we check the \
         province only, since county codes are historical and old ones stay in use",
    ),
    (
        "110201199312010077",
        "stdnum rejects it because county 110201 was abolished before 1993; province-only \
         check as above",
    ),
];

#[derive(Debug, serde::Deserialize)]
struct Row {
    value: String,
    valid: bool,
    notes: String,
}

fn ours(file: &str, value: &str) -> Result<(), String> {
    if file.contains("uscc") {
        check_uscc(value).map(drop).map_err(|e| format!("{e:?}"))
    } else {
        let today = Date::new(2026, 11, 22).unwrap();
        check(detect(value), value, today)
            .map(drop)
            .map_err(|e| format!("{e:?}"))
    }
}

#[test]
fn vectors_agree_except_where_we_chose_otherwise() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 7, "expected the seven vector files in {dir:?}");

    let mut rows_per_file = BTreeMap::new();
    let mut disagreements = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The public suites' files open with `#` lines naming their source.
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_path(path)
            .unwrap();
        let mut count = 0;
        for row in reader.deserialize::<Row>() {
            let row = row.unwrap_or_else(|e| panic!("{name}: {e}"));
            count += 1;
            let result = ours(&name, &row.value);
            if result.is_ok() != row.valid {
                disagreements.push(format!(
                    "{name}: {:?} vector says valid={}, we say {result:?} ({})",
                    row.value, row.valid, row.notes
                ));
            }
        }
        rows_per_file.insert(name, count);
    }

    // Guard against an empty or truncated copy making the test vacuous.
    let expected_rows = BTreeMap::from([
        ("cn_other_id_documents.csv".to_owned(), 27),
        ("cn_ric_hutool.csv".to_owned(), 14),
        ("cn_ric_id_validator_go.csv".to_owned(), 10),
        ("cn_ric_id_validator_php.csv".to_owned(), 19),
        ("cn_ric_stdnum.csv".to_owned(), 12),
        ("cn_uscc_extra.csv".to_owned(), 5),
        ("cn_uscc_stdnum.csv".to_owned(), 206),
    ]);
    assert_eq!(rows_per_file, expected_rows);

    let unexpected: Vec<_> = disagreements
        .iter()
        .filter(|d| {
            !DELIBERATE
                .iter()
                .any(|(v, _)| d.contains(&format!("{v:?}")))
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "unexpected disagreements:\n{unexpected:#?}"
    );
    for (value, why) in DELIBERATE {
        assert!(
            disagreements
                .iter()
                .any(|d| d.contains(&format!("{value:?}"))),
            "{value} is listed as a deliberate disagreement ({why}) but now agrees: \
             remove it from DELIBERATE"
        );
    }
    assert_eq!(disagreements.len(), DELIBERATE.len(), "{disagreements:#?}");
}
