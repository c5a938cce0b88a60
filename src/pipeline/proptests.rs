//! Property: any cells whatever, of any type and any row width, go through the row stage
//! (`ChangeRow::build`, the row rules, the batch rules, the contribution arithmetic) without
//! a panic, and every finding renders in both languages. Bounded so `cargo test` stays fast.

use proptest::collection::vec;
use proptest::prelude::*;

use crate::calendar::Date;
use crate::finding::Lang;
use crate::input::cell::Cell;
use crate::input::header::{self, Detection};
use crate::input::layout::Vocabulary;
use crate::input::rows_buf::RowBuf;
use crate::input::sources::{SourceFile, SourceSheet, Sources};
use crate::model::ChangeKind;
use crate::policy::PolicySet;
use crate::rows::{ok, ChangeRow, SheetCtx};
use crate::rules::{self, batch::Batch, Context};

const HEADER: [&str; 16] = [
    "姓名",
    "证件类型",
    "证件号码",
    "变动类型",
    "性别",
    "出生日期",
    "入职日期",
    "参保年月",
    "缴费基数",
    "离职日期",
    "减员原因",
    "人员类别",
    "手机号码",
    "统一社会信用代码",
    "户口性质",
    "停缴年月",
];

/// Words and values the readers know, so rows get past the first checks often enough.
const NEAR_VALID: [&str; 22] = [
    "增员",
    "减员",
    "11|增员",
    "男",
    "女",
    "居民身份证",
    "港澳居民来往内地通行证",
    "110105199003070033",
    "11010519900307003X",
    "110105********0033",
    "2025-08-04",
    "2025/8/4",
    "20250804",
    "202508",
    "2025-13",
    "12000",
    "¥8,123.45",
    "离职",
    "退休",
    "干部",
    "91110000600037341L",
    "合计",
];

fn cell() -> impl Strategy<Value = Cell<'static>> {
    prop_oneof![
        Just(Cell::Empty),
        any::<String>().prop_map(|s| Cell::Text(s.into())),
        "[0-9xX０-９ 　\\-/.,:年月日元¥=+@'\t\r\n]{0,24}".prop_map(|s| Cell::Text(s.into())),
        prop::sample::select(NEAR_VALID.to_vec()).prop_map(|s| Cell::Text(s.into())),
        any::<f64>().prop_map(Cell::Number),
        (-1.0e6..1.0e20f64).prop_map(Cell::Number),
        (1800i32..2200, 1u32..13, 1u32..32)
            .prop_filter_map("a real date", |(y, m, d)| Date::new(y, m, d)
                .map(Cell::Date)),
        any::<bool>().prop_map(Cell::Bool),
        "#[A-Z/0!?]{1,6}".prop_map(Cell::Error),
    ]
}

fn header() -> header::Header {
    let mut buf = RowBuf::for_cells();
    buf.push_cells(1, HEADER.iter().map(|h| Cell::Text((*h).into())));
    match header::detect(&buf, Vocabulary::embedded()) {
        Detection::Found(h) => h,
        other => panic!("the test header is not recognised: {other:?}"),
    }
}

/// Parsed once, not in every case.
fn policy() -> &'static PolicySet {
    static SET: std::sync::OnceLock<PolicySet> = std::sync::OnceLock::new();
    SET.get_or_init(|| PolicySet::embedded().unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig {
        // PROPTEST_CASES=N runs more by hand.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_cells_go_through_the_row_stage(
        rows in vec(vec(cell(), 0..20), 1..10),
        sheet_kind in prop::option::of(prop_oneof![
            Just(ChangeKind::Addition),
            Just(ChangeKind::Reduction)
        ]),
        mask in any::<bool>(),
        day in 0u32..200,
    ) {
        let header = header();
        let policy = policy();
        let as_of = Date::new(2025, 1 + day / 28 % 12, 1 + day % 28).unwrap();
        let mut buf = RowBuf::for_cells();
        for (i, r) in rows.into_iter().enumerate() {
            buf.push_cells(i as u32 + 2, r);
        }
        // Without a change-type column the sheet name decides; with one, the cell does.
        let ctx = SheetCtx { file: 0, sheet: 0, map: &header.map, kind: sheet_kind, vocab: crate::input::value::vocab::Vocab::embedded() };
        let rctx = Context {
            as_of,
            period: as_of.month_of(),
            mask,
            employer: Some("91110000600037341L"),
            roster: None,
            region: policy.region("beijing"),
        };
        let sources = Sources {
            files: vec![SourceFile {
                display: "p.csv".into(),
                sheets: vec![SourceSheet {
                    name: String::new(),
                    columns: header.columns.clone(),
                    header_row: 1,
                    id_column: None,
                }],
            }],
        };
        let period = policy.period_for("beijing", as_of.month_of()).unwrap();
        let mut batch = Batch::default();
        for raw in buf.rows() {
            let row = ChangeRow::build(raw, ctx);
            let mut checked = rules::check_row(&row, &rctx);
            batch.check(&row, &mut checked, &sources);
            for f in &checked.findings {
                prop_assert!(!f.message(Lang::Zh).is_empty());
                prop_assert!(!f.message(Lang::En).is_empty());
                prop_assert_eq!(f.at.row, raw.number);
            }
            let _ = crate::ids::mask(row.id_text());
            let _ = row.normalized_fields();
            if let Some(base) = ok(&row.base) {
                let _ = crate::contributions::compute(period, *base, None);
            }
        }
    }
}
