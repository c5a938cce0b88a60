//! Finding the header row and mapping its columns to fields.
//!
//! Portal templates put a title and notes above the header, mark required columns with `*`
//! and add remarks in brackets; HR exports use a dozen names for the same column. The header
//! is the first row (within the first 20) with a name and an ID column; what each header
//! text means is data (`layout.rs`).

use super::layout::{Target, Vocabulary};
use super::rows_buf::RowBuf;
use crate::finding::{Lang, Rule, Severity};
use crate::model::ChangeKind;

/// How many rows from the top may hold titles and notes before the header.
pub const HEADER_SEARCH_ROWS: usize = 20;

/// The canonical fields a column can map to.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Field {
    Name,
    IdType,
    IdNumber,
    Change,
    Sex,
    BirthDate,
    HireDate,
    StartMonth,
    LeaveDate,
    StopMonth,
    Reason,
    Base,
    Category,
    Employer,
    Hukou,
    Phone,
    Department,
    Status,
    /// 参加险种 as one text cell: which insurances the row enrolls in (issue 14).
    Cover,
    /// A month's gross wage in a payroll export (`rebase`, issue 17).
    Wage,
    /// Last year's monthly average wage, one per person (`rebase`).
    AverageWage,
    /// The month a wage line is for (`rebase`).
    WageMonth,
    /// 医疗保险档次: the medical tier the person is enrolled in (Shenzhen 一档/二档/三档).
    MedicalTier,
    /// 原证件号码: an information change's number before the correction; in a roster, the
    /// numbers a member was known by before (issue 17).
    OldIdNumber,
    /// 原姓名: an information change's name before the change.
    OldName,
}

impl Field {
    pub const ALL: [Field; 25] = [
        Field::Name,
        Field::IdType,
        Field::IdNumber,
        Field::Change,
        Field::Sex,
        Field::BirthDate,
        Field::HireDate,
        Field::StartMonth,
        Field::LeaveDate,
        Field::StopMonth,
        Field::Reason,
        Field::Base,
        Field::Category,
        Field::Employer,
        Field::Hukou,
        Field::Phone,
        Field::Department,
        Field::Status,
        Field::Cover,
        Field::Wage,
        Field::AverageWage,
        Field::WageMonth,
        Field::MedicalTier,
        Field::OldIdNumber,
        Field::OldName,
    ];
    pub const COUNT: usize = Field::ALL.len();

    /// The canonical name (also the key for extra aliases in `headcount.toml` and the
    /// `field` of a layout column).
    pub fn id(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::IdType => "id_type",
            Field::IdNumber => "id_number",
            Field::Change => "change",
            Field::Sex => "sex",
            Field::BirthDate => "birth_date",
            Field::HireDate => "hire_date",
            Field::StartMonth => "start_month",
            Field::LeaveDate => "leave_date",
            Field::StopMonth => "stop_month",
            Field::Reason => "reason",
            Field::Base => "base",
            Field::Category => "category",
            Field::Employer => "employer",
            Field::Hukou => "hukou",
            Field::Phone => "phone",
            Field::Department => "department",
            Field::Status => "status",
            Field::Cover => "cover",
            Field::Wage => "wage",
            Field::AverageWage => "average_wage",
            Field::WageMonth => "wage_month",
            Field::MedicalTier => "medical_tier",
            Field::OldIdNumber => "old_id_number",
            Field::OldName => "old_name",
        }
    }

    pub fn from_id(id: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.id() == id)
    }

    /// Read only from the wage file of `rebase`; change files and rosters ignore it.
    pub fn wage_file_only(self) -> bool {
        matches!(self, Field::Wage | Field::AverageWage | Field::WageMonth)
    }

    /// The Chinese label of this field (from the vocabulary data).
    pub fn label_zh(self) -> &'static str {
        Vocabulary::embedded().label(self, Lang::Zh)
    }
}

/// Header text as compared: half-width, no spaces or line breaks, no `*`/`﹡` marker, no
/// bracketed remarks or units (an unclosed bracket drops the rest), lower case, no
/// `_`/`-`/`:` separators.
pub fn normalize_header(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{FE61}' => '*',
            _ => c,
        };
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '*' | '_' | '-' | ':' | '：' => {}
            c if c.is_whitespace() || c == '\u{3000}' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// What kind of table a sheet holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Schema {
    Changes,
    Roster,
    /// A wage file for the annual base adjustment (`rebase`).
    Wages,
}

/// Column index per field for one sheet.
#[derive(Clone, Debug, Default)]
pub struct ColumnMap {
    cols: [Option<u32>; Field::COUNT],
}

impl ColumnMap {
    pub fn get(&self, f: Field) -> Option<usize> {
        self.cols[f as usize].map(|c| c as usize)
    }

    pub fn has(&self, f: Field) -> bool {
        self.cols[f as usize].is_some()
    }

    fn set(&mut self, f: Field, col: u32) {
        self.cols[f as usize] = Some(col);
    }

    /// The fields that are mapped, in column order.
    pub fn fields(&self) -> impl Iterator<Item = (Field, usize)> + '_ {
        Field::ALL
            .into_iter()
            .filter_map(|f| self.get(f).map(|c| (f, c)))
    }
}

/// A recognised header.
#[derive(Clone, Debug)]
pub struct Header {
    /// Row number as a person sees it (the upper row of a two-row header).
    pub row: u32,
    /// Index of the header's last row in the rows it was found among; data follows it.
    pub index: usize,
    /// The sub-row of a two-row group header (`*参加险种` over `养老, 失业, …`).
    pub sub_row: Option<u32>,
    /// The header cells as they appear in the input (`group/sub` under a group).
    pub columns: Vec<String>,
    /// For a column under a group cell: the group's text and its own.
    pub groups: Vec<Option<(String, String)>>,
    pub map: ColumnMap,
    /// What each column means, by column.
    pub targets: Vec<Option<Target>>,
    /// Columns whose header text names no field (H005), with their text.
    pub unknown: Vec<(u32, String)>,
    /// The named layout the columns match, an index into the vocabulary's layouts.
    pub layout: Option<usize>,
}

// Once per sheet: the size of the found header does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Detection {
    Found(Header),
    /// H002: a row that looks like a header, but without the name or ID column.
    Missing {
        row: u32,
        missing: Vec<Field>,
        /// The column texts of that row.
        seen: Vec<String>,
    },
    /// H003: two columns map to one field.
    Ambiguous {
        row: u32,
        field: Field,
        first: (u32, String),
        second: (u32, String),
    },
    /// No row looks like a header.
    NotFound,
}

/// The fields a sheet must have columns for, once its change kind is known.
///
/// Dates are not among them: many portal templates have no hire date (the start month is
/// the declared one) or no leave date; the rules that need them say so (H007) instead.
pub fn required(schema: Schema, kind: Option<ChangeKind>) -> Vec<Field> {
    let mut req = vec![Field::Name, Field::IdNumber];
    if schema == Schema::Changes {
        match kind {
            None => req.push(Field::Change),
            Some(ChangeKind::Addition) => req.push(Field::Base),
            Some(ChangeKind::Reduction) | Some(ChangeKind::Information) => {}
        }
    }
    req
}

/// Looks for the header among the first rows of a sheet: the first row with a name and an
/// ID column. A row below it that names sub-columns under group cells (and has no name or
/// ID) is the second row of a two-row header.
pub fn detect(rows: &RowBuf, vocab: &Vocabulary) -> Detection {
    let all = head_texts(rows);
    let mut best: Option<(usize, u32, Vec<Field>, Vec<String>)> = None;
    for (index, (number, texts)) in all.iter().enumerate() {
        let targets: Vec<Option<Target>> = texts
            .iter()
            .map(|t| vocab.lookup(&normalize_header(t)))
            .collect();
        let has = |f: Field| targets.contains(&Some(Target::Field(f)));
        if has(Field::Name) && has(Field::IdNumber) {
            return at(&all, index, vocab, false);
        }
        // A named layout without a name column (a reduction keyed on the ID alone, as
        // Huangshi's 单位职工社会保险暂停) is a header too.
        if has(Field::IdNumber) {
            let keys: Vec<String> = texts.iter().map(|t| normalize_header(t)).collect();
            if vocab
                .match_layout(&keys)
                .is_some_and(|l| vocab.layout_without_name(l))
            {
                return at(&all, index, vocab, false);
            }
        }
        // Only fields count: a summary sheet of known, unused columns (序号, 单位名称,
        // 养老保险 …) is no header, and stays a skipped sheet (H004).
        let recognised = targets
            .iter()
            .filter(|t| matches!(t, Some(Target::Field(_))))
            .count();
        if recognised >= 3 && best.as_ref().is_none_or(|(n, ..)| recognised > *n) {
            let missing = [Field::Name, Field::IdNumber]
                .into_iter()
                .filter(|f| !has(*f))
                .collect();
            let seen = texts
                .iter()
                .filter(|t| !t.trim().is_empty())
                .cloned()
                .collect();
            best = Some((recognised, *number, missing, seen));
        }
    }
    match best {
        Some((_, row, missing, seen)) => Detection::Missing { row, missing, seen },
        None => Detection::NotFound,
    }
}

/// The header as if it were at row `number`, a second column for a field left unmapped
/// (for `inspect` on a sheet whose header lacks the name or ID column, or has two columns
/// for one field: it still shows what every column means).
pub fn header_at(rows: &RowBuf, number: u32, vocab: &Vocabulary) -> Detection {
    let all = head_texts(rows);
    match all.iter().position(|(n, _)| *n == number) {
        Some(index) => at(&all, index, vocab, true),
        None => Detection::NotFound,
    }
}

/// For `inspect`: the row (number) with the most known texts, at least two, when no row
/// is a header; where a new export's header most likely is.
pub fn candidate(rows: &RowBuf, vocab: &Vocabulary) -> Option<u32> {
    head_texts(rows)
        .iter()
        .map(|(n, texts)| {
            let known = texts
                .iter()
                .filter(|t| vocab.lookup(&normalize_header(t)).is_some())
                .count();
            (known, std::cmp::Reverse(*n))
        })
        .filter(|(k, _)| *k >= 2)
        .max()
        .map(|(_, std::cmp::Reverse(n))| n)
}

fn head_texts(rows: &RowBuf) -> Vec<(u32, Vec<String>)> {
    rows.rows()
        .take(HEADER_SEARCH_ROWS)
        .map(|r| (r.number, r.texts()))
        .collect()
}

/// The header whose (upper) row is `all[index]`, with a sub-row below it if there is one.
fn at(all: &[(u32, Vec<String>)], index: usize, vocab: &Vocabulary, lenient: bool) -> Detection {
    let (number, texts) = &all[index];
    let targets: Vec<Option<Target>> = texts
        .iter()
        .map(|t| vocab.lookup(&normalize_header(t)))
        .collect();
    let sub = all.get(index + 1).filter(|(_, next)| {
        let blank_at = |t: Target| {
            targets
                .iter()
                .position(|x| *x == Some(t))
                .is_none_or(|c| next.get(c).is_none_or(|s| s.trim().is_empty()))
        };
        blank_at(Target::Field(Field::Name))
            && blank_at(Target::Field(Field::IdNumber))
            && next.iter().enumerate().any(|(c, s)| {
                !s.trim().is_empty()
                    && texts.get(c).is_none_or(|t| t.trim().is_empty())
                    && texts[..c.min(texts.len())]
                        .iter()
                        .any(|t| !t.trim().is_empty())
            })
    });
    let combined = match sub {
        Some((_, next)) => combine(texts, next, vocab),
        None => Combined {
            keys: texts.iter().map(|t| normalize_header(t)).collect(),
            groups: vec![None; texts.len()],
            columns: texts.clone(),
            targets,
        },
    };
    build(
        *number,
        index,
        sub.map(|(n, _)| *n),
        combined,
        vocab,
        lenient,
    )
}

/// Joins a group row and its sub-row: a group cell spans the empty cells to its right
/// that have a sub-header. A sub-column means its own text if that is known, else the
/// group's.
pub(crate) fn combine(top: &[String], sub: &[String], vocab: &Vocabulary) -> Combined {
    let width = top.len().max(sub.len());
    let cell = |v: &[String], c: usize| v.get(c).map_or("", |s| s.trim()).to_string();
    let mut group = String::new();
    let (mut columns, mut keys, mut targets) = (Vec::new(), Vec::new(), Vec::new());
    let mut groups = Vec::new();
    for c in 0..width {
        let (t, s) = (cell(top, c), cell(sub, c));
        if !t.is_empty() {
            group = t.clone();
        } else if s.is_empty() {
            group.clear();
        }
        if s.is_empty() || group.is_empty() {
            keys.push(normalize_header(&t));
            targets.push(vocab.lookup(&normalize_header(&t)));
            columns.push(t);
            groups.push(None);
        } else {
            groups.push(Some((group.clone(), s.clone())));
            keys.push(format!(
                "{}/{}",
                normalize_header(&group),
                normalize_header(&s)
            ));
            targets.push(
                vocab
                    .lookup(&normalize_header(&s))
                    .or_else(|| vocab.lookup(&normalize_header(&group))),
            );
            columns.push(format!("{group}/{s}"));
        }
    }
    Combined {
        columns,
        keys,
        targets,
        groups,
    }
}

/// A header's columns: as shown, as compared, what they mean, and their groups.
pub(crate) struct Combined {
    pub(crate) columns: Vec<String>,
    pub(crate) keys: Vec<String>,
    targets: Vec<Option<Target>>,
    groups: Vec<Option<(String, String)>>,
}

fn build(
    row: u32,
    index: usize,
    sub_row: Option<u32>,
    combined: Combined,
    vocab: &Vocabulary,
    lenient: bool,
) -> Detection {
    let Combined {
        columns,
        keys,
        mut targets,
        groups,
    } = combined;
    // A named layout that matches says what its columns mean.
    let layout = vocab.match_layout(&keys);
    if let Some(l) = layout {
        for (c, key) in keys.iter().enumerate() {
            if let Some(t) = vocab.layout_target(l, key) {
                targets[c] = Some(t);
            }
        }
    }
    let mut map = ColumnMap::default();
    let mut unknown = Vec::new();
    for (col, target) in targets.iter().enumerate() {
        let col = col as u32;
        match target {
            Some(Target::Field(f)) => match map.get(*f) {
                Some(_) if lenient => {}
                Some(prev) => {
                    return Detection::Ambiguous {
                        row,
                        field: *f,
                        first: (prev as u32, columns[prev].clone()),
                        second: (col, columns[col as usize].clone()),
                    }
                }
                None => map.set(*f, col),
            },
            Some(Target::Known(_)) => {}
            None if !columns[col as usize].trim().is_empty() => {
                unknown.push((col, columns[col as usize].clone()))
            }
            None => {}
        }
    }
    Detection::Found(Header {
        row,
        index: index + usize::from(sub_row.is_some()),
        sub_row,
        columns,
        groups,
        map,
        targets,
        unknown,
        layout,
    })
}

pub static H001: Rule = Rule {
    code: "H001",
    severity: Severity::Fatal,
    title_zh: "文件没有可识别的表头行",
    title_en: "no sheet of the file has a recognisable header row",
    message_zh: "{file}：前 20 行中没有可识别的表头（已检查工作表：{sheets}）；未找到的必需列：{missing}",
    message_en: "{file}: no recognisable header row in the first 20 rows (sheets looked at: {sheets}); required columns not found: {missing}",
    hint_zh: "可接受的表头文字：{accepted}；用 headcount inspect 查看每列的识别结果",
    hint_en: "accepted header texts: {accepted}; `headcount inspect` shows how each column was read",
    basis: "",
};

pub static H002: Rule = Rule {
    code: "H002",
    severity: Severity::Fatal,
    title_zh: "表头缺少必需列",
    title_en: "a required column is missing from the header",
    message_zh: "{file}{sheet}第 {row} 行的表头缺少必需列：{missing}（该行的列：{seen}）",
    message_en: "{file}{sheet}: the header in row {row} lacks required columns: {missing} (its columns: {seen})",
    hint_zh: "最接近的可接受表头文字：{nearest}{ways}",
    hint_en: "nearest accepted header texts: {nearest}{ways}",
    basis: "",
};

pub static H003: Rule = Rule {
    code: "H003",
    severity: Severity::Fatal,
    title_zh: "两列对应同一字段（表头有歧义）",
    title_en: "two columns map to the same field (ambiguous header)",
    message_zh: "{file}{sheet}第 {row} 行：第 {first_col} 列「{first}」和第 {second_col} 列「{second}」都表示字段 {field}",
    message_en: "{file}{sheet}: in header row {row}, column {first_col} `{first}` and column {second_col} `{second}` both mean field {field}",
    hint_zh: "删除或重命名其中一列，或在版式文件（--layout）中把不用的一列写成 field = \"ignore\"（headcount inspect --emit-layout 可生成版式文件）",
    hint_en: "delete or rename one of them, or mark the one not to use `field = \"ignore\"` in a layout file (--layout; `headcount inspect --emit-layout` writes one)",
    basis: "",
};

pub static H004: Rule = Rule {
    code: "H004",
    severity: Severity::Warning,
    title_zh: "工作表没有可识别的表头，已跳过",
    title_en: "a sheet without a recognisable header was skipped",
    message_zh: "工作表「{sheet}」前 20 行中没有可识别的表头，已跳过",
    message_en: "sheet `{sheet}` has no recognisable header in its first 20 rows and was skipped",
    hint_zh: "",
    hint_en: "",
    basis: "",
};

pub static H005: Rule = Rule {
    code: "H005",
    severity: Severity::Warning,
    title_zh: "未识别的列，已忽略",
    title_en: "a column was not recognised and is ignored",
    message_zh: "列「{column}」未识别，已忽略",
    message_en: "column `{column}` was not recognised and is ignored",
    hint_zh: "headcount inspect --emit-layout 可生成版式文件，注明该列的含义（或 field = \"ignore\"）后用 --layout 读取；也可在 headcount.toml 的 [aliases] 中添加别名",
    hint_en: "`headcount inspect --emit-layout` writes a layout file: say what the column means (or `field = \"ignore\"`) and pass it with --layout; or add an alias under [aliases] in headcount.toml",
    basis: "",
};

pub static H006: Rule = Rule {
    code: "H006",
    severity: Severity::Fatal,
    title_zh: "文件无法读取",
    title_en: "the file cannot be read",
    message_zh: "{file}：无法读取：{reason}",
    message_en: "{file}: cannot be read: {reason}",
    hint_zh: "",
    hint_en: "",
    basis: "",
};

pub static H007: Rule = Rule {
    code: "H007",
    severity: Severity::Note,
    title_zh: "表中没有某个日期列，依赖它的检查已跳过",
    title_en: "a date column is absent; the checks that need it are skipped",
    message_zh: "工作表「{sheet}」没有{field}列：{effect}",
    message_en: "sheet `{sheet}` has no {field} column: {effect}",
    hint_zh: "",
    hint_en: "",
    basis: "real-world.md §2 (portal templates without hire or leave dates)",
};

pub static H010: Rule = Rule {
    code: "H010",
    severity: Severity::Fatal,
    title_zh: "文件是其他业务的模板，不是增减员",
    title_en: "the file is another business's template, not additions or reductions",
    message_zh: "{file}{sheet}第 {row} 行的表头是「{title}」（{layout}）：{what_zh}",
    message_en: "{file}{sheet}: the header in row {row} is the template `{title}` ({layout}): {what_en}",
    hint_zh: "增减员文件请用增员/减员模板；如确为增减员，可用 --kind add|reduce|info 说明",
    hint_en: "use an addition or reduction template; if the rows really are changes, say which with --kind add|reduce|info",
    basis: "",
};

pub static RULES: [&Rule; 8] = [&H001, &H002, &H003, &H004, &H005, &H006, &H007, &H010];

/// How the ways to state a sheet's change kind are listed in H002.
pub const KIND_WAYS_ZH: &str = "。变动类型可用以下任一方式说明：表中的变动类型列（增员/减员/信息变更）；工作表名含 增员、新增、转入 或 减员、停保、转出 等字样；文件名含这些字样（如 2025-08入职.xlsx、离职名单.csv）；或命令行 --kind add|reduce|info（只对某个文件：--kind 文件名=add）";
pub const KIND_WAYS_EN: &str = ". The change kind can be stated in any of four ways: a change-type column (增员/减员/信息变更); a sheet name with 增员, 新增, 转入 or 减员, 停保, 转出 …; a file name with those words (e.g. 2025-08入职.xlsx, 离职名单.csv); or --kind add|reduce|info on the command line (for one file: --kind FILE=add)";

/// The field labels used in messages: `缴费基数 (base)`, `contribution base (base)`.
pub fn field_list(fields: &[Field], vocab: &Vocabulary, lang: Lang) -> String {
    fields
        .iter()
        .map(|f| format!("{} ({})", vocab.label(*f, lang), f.id()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::cell::Cell;

    fn sheet(rows: &[&[&str]]) -> RowBuf {
        let mut buf = RowBuf::for_cells();
        for (i, r) in rows.iter().enumerate() {
            buf.push_cells(
                i as u32 + 1,
                r.iter().map(|t| Cell::Text(t.to_string().into())),
            );
        }
        buf
    }

    #[test]
    fn normalizes_markers_brackets_and_width() {
        assert_eq!(normalize_header(" 姓名* "), "姓名");
        assert_eq!(normalize_header("配偶姓名（非必填项）"), "配偶姓名");
        assert_eq!(normalize_header("ＩＤ Number"), "idnumber");
        assert_eq!(normalize_header("证件号码(必填)*"), "证件号码");
        assert_eq!(normalize_header("hire_date"), "hiredate");
    }

    fn vocab() -> &'static Vocabulary {
        Vocabulary::embedded()
    }

    fn found(buf: &RowBuf) -> Header {
        match detect(buf, vocab()) {
            Detection::Found(h) => h,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn normalizes_small_asterisk_unclosed_bracket_and_breaks() {
        assert_eq!(normalize_header("﹡姓  名"), "姓名");
        assert_eq!(normalize_header("*国籍(地区"), "国籍");
        assert_eq!(
            normalize_header("申报月均\n工资收入（元）"),
            "申报月均工资收入"
        );
    }

    #[test]
    fn finds_header_below_titles() {
        let buf = sheet(&[
            &["2025年8月 社会保险增员申报表"],
            &["带*为必填项"],
            &[
                "序号",
                "姓名*",
                "证件号码*",
                "入职日期*",
                "缴费基数*",
                "奇怪列",
            ],
            &["1", "张三", "x", "y", "z"],
        ]);
        let h = found(&buf);
        assert_eq!(h.row, 3);
        assert_eq!(h.index, 2);
        assert_eq!(h.map.get(Field::IdNumber), Some(2));
        // 序号 is known and not used: not reported.
        assert_eq!(h.unknown, vec![(5, "奇怪列".to_string())]);
    }

    #[test]
    fn required_fields_follow_the_kind() {
        assert_eq!(
            required(Schema::Changes, Some(ChangeKind::Addition)),
            vec![Field::Name, Field::IdNumber, Field::Base]
        );
        assert_eq!(
            required(Schema::Changes, None),
            vec![Field::Name, Field::IdNumber, Field::Change]
        );
        assert_eq!(
            required(Schema::Changes, Some(ChangeKind::Reduction)),
            vec![Field::Name, Field::IdNumber]
        );
    }

    #[test]
    fn header_without_core_fields_is_missing_with_the_columns_seen() {
        let buf = sheet(&[&["员工", "身份证号", "入职日期", "缴费基数"]]);
        match detect(&buf, vocab()) {
            Detection::Missing { missing, seen, .. } => {
                assert_eq!(missing, vec![Field::Name]);
                assert_eq!(seen.len(), 4);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn two_id_columns_are_ambiguous_and_named() {
        let buf = sheet(&[&["姓名", "身份证号", "证件号码", "变动类型"]]);
        match detect(&buf, vocab()) {
            Detection::Ambiguous {
                field,
                first,
                second,
                ..
            } => {
                assert_eq!(field, Field::IdNumber);
                assert_eq!(first, (1, "身份证号".to_string()));
                assert_eq!(second, (2, "证件号码".to_string()));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hire_date_and_first_employment_together_are_read() {
        let h = found(&sheet(&[&[
            "姓名",
            "身份证号",
            "入职日期",
            "参加工作日期",
            "参保时间",
        ]]));
        assert_eq!(h.map.get(Field::HireDate), Some(2));
        assert_eq!(h.map.get(Field::StartMonth), Some(4));
        assert!(h.unknown.is_empty());
    }

    #[test]
    fn two_row_group_header_is_one_header() {
        let buf = sheet(&[
            &["北京市社会保险参保人员增加表"],
            &[
                "序号",
                "姓名",
                "性别",
                "*公民身份号码",
                "*参加险种",
                "",
                "",
                "*申报月工资收入\\档次(元",
                "*增加日期",
            ],
            &["", "", "", "", "养老", "失业", "工伤", "", ""],
            &["1", "张三", "男", "x", "1", "1", "1", "5000", "2025/8/1"],
        ]);
        let h = found(&buf);
        assert_eq!((h.row, h.sub_row, h.index), (2, Some(3), 2));
        assert_eq!(h.columns[5], "*参加险种/失业");
        assert_eq!(h.map.get(Field::Base), Some(7));
        assert_eq!(h.map.get(Field::StartMonth), Some(8));
        assert!(h.unknown.is_empty(), "{:?}", h.unknown);
    }

    #[test]
    fn a_matching_layout_says_what_its_columns_mean() {
        // Chengdu's 人员类别 is the hukou category, not the worker/cadre one.
        let h = found(&sheet(&[&[
            "姓名",
            "身份证号码",
            "人员类别",
            "文化程度",
            "参保时间",
            "申报工资",
            "电话号码",
        ]]));
        let v = vocab();
        assert_eq!(v.layouts[h.layout.unwrap()].name, "chengdu-addition");
        assert_eq!(h.map.get(Field::Hukou), Some(2));
        assert!(!h.map.has(Field::Category));
    }

    #[test]
    fn a_summary_sheet_of_known_unused_columns_is_no_header() {
        let buf = sheet(&[&["序号", "单位名称", "养老保险", "医疗保险", "备注"]]);
        assert!(matches!(detect(&buf, vocab()), Detection::NotFound));
        assert_eq!(candidate(&buf, vocab()), Some(1));
    }

    #[test]
    fn instructions_sheet_has_no_header() {
        let buf = sheet(&[&["填表说明"], &["1. 证件号码请以文本格式填写"]]);
        assert!(matches!(detect(&buf, vocab()), Detection::NotFound));
    }

    #[test]
    fn extra_aliases_from_config() {
        let mut v = vocab().clone();
        v.add_aliases("id_number", &["员工证件号".to_string()], "headcount.toml")
            .unwrap();
        assert!(v.add_aliases("shoe_size", &[], "headcount.toml").is_err());
        let buf = sheet(&[&["姓名", "员工证件号", "变动类型"]]);
        assert!(matches!(detect(&buf, &v), Detection::Found(_)));
        assert!(v.headers(Field::IdNumber).iter().any(|h| h == "员工证件号"));
    }
}
