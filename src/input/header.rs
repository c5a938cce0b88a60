//! Finding the header row and mapping its columns to fields.
//!
//! Portal templates put a title and notes above the header, mark required columns with `*`
//! and add remarks in brackets; HR exports use a dozen names for the same column. The header
//! is the first row (within the first 20) that names the required fields.

use std::collections::BTreeMap;

use super::rows_buf::RowBuf;
use crate::finding::{Rule, Severity};
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
    /// 参加险种: which insurances the row enrolls in.
    Insurances,
}

impl Field {
    pub const ALL: [Field; 19] = [
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
        Field::Insurances,
    ];
    pub const COUNT: usize = Field::ALL.len();

    /// The canonical name (also the key for extra aliases in `headcount.toml`).
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
            Field::Insurances => "insurances",
        }
    }

    pub fn from_id(id: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.id() == id)
    }

    /// Header texts accepted for this field; the first is the one we write.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Name => &[
                "姓名",
                "员工姓名",
                "职工姓名",
                "人员姓名",
                "参保人姓名",
                "name",
                "employee name",
                "full name",
            ],
            Field::IdType => &[
                "证件类型",
                "身份证件类型",
                "证件种类",
                "id type",
                "document type",
            ],
            Field::IdNumber => &[
                "证件号码",
                "身份证号",
                "身份证号码",
                "公民身份号码",
                "身份证件号码",
                "证件号",
                "社会保障号码",
                "社会保障号",
                "id number",
                "id no",
                "id card",
            ],
            Field::Change => &[
                "变动类型",
                "增减类型",
                "业务类型",
                "增减员",
                "增减员类型",
                "变更类型",
                "申报类型",
                "change",
                "change type",
            ],
            Field::Sex => &["性别", "sex", "gender"],
            Field::BirthDate => &["出生日期", "出生年月日", "birth date", "date of birth"],
            Field::HireDate => &[
                "入职日期",
                "用工日期",
                "参加工作日期",
                "入职时间",
                "到岗日期",
                "用工起始日期",
                "hire date",
            ],
            Field::StartMonth => &[
                "参保年月",
                "起缴年月",
                "社保起缴年月",
                "参保时间",
                "首次参保年月",
                "参保月份",
                "缴费起始年月",
                "start month",
            ],
            Field::LeaveDate => &[
                "离职日期",
                "终止日期",
                "离职时间",
                "解除劳动合同日期",
                "leave date",
            ],
            Field::StopMonth => &[
                "停缴年月",
                "社保停缴年月",
                "停保年月",
                "停保时间",
                "stop month",
            ],
            Field::Reason => &[
                "减员原因",
                "离职原因",
                "停保原因",
                "变动原因",
                "停交原因",
                "停缴原因",
                "减少原因",
                "reason",
            ],
            Field::Base => &[
                "缴费基数",
                "社保基数",
                "申报工资",
                "缴费工资",
                "月缴费基数",
                "base",
                "contribution base",
            ],
            Field::Category => &["个人身份", "人员类别", "岗位类型", "人员身份", "category"],
            Field::Employer => &[
                "统一社会信用代码",
                "单位统一社会信用代码",
                "社会信用代码",
                "信用代码",
                "单位编号",
                "单位代码",
                "employer",
                "employer code",
            ],
            Field::Hukou => &["户口性质", "户籍性质", "户口类型", "户籍类型", "hukou"],
            Field::Phone => &[
                "手机",
                "联系电话",
                "手机号码",
                "手机号",
                "参保人手机号",
                "电话号码",
                "phone",
                "mobile",
            ],
            Field::Department => &["部门", "工作部门", "所属部门", "department"],
            Field::Status => &["参保状态", "缴费状态", "人员状态", "status"],
            Field::Insurances => &["参加险种", "参保险种", "险种", "insurances"],
        }
    }

    /// The Chinese header we write for this field.
    pub fn label_zh(self) -> &'static str {
        self.aliases()[0]
    }
}

/// Extra header texts per field, from `headcount.toml`.
#[derive(Clone, Debug, Default)]
pub struct Aliases {
    extra: BTreeMap<Field, Vec<String>>,
}

impl Aliases {
    /// Adds texts for a field named by its canonical id; `Err` for an unknown field.
    pub fn add(&mut self, field: &str, texts: &[String]) -> Result<(), String> {
        let f = Field::from_id(field).ok_or_else(|| {
            let known: Vec<_> = Field::ALL.iter().map(|f| f.id()).collect();
            format!(
                "unknown field `{field}` in [aliases]; known fields: {}",
                known.join(", ")
            )
        })?;
        self.extra
            .entry(f)
            .or_default()
            .extend(texts.iter().map(|t| normalize_header(t)));
        Ok(())
    }

    fn field_for(&self, normalized: &str) -> Option<Field> {
        if normalized.is_empty() {
            return None;
        }
        for f in Field::ALL {
            if f.aliases()
                .iter()
                .any(|a| normalize_header(a) == normalized)
            {
                return Some(f);
            }
        }
        self.extra
            .iter()
            .find(|(_, texts)| texts.iter().any(|t| t == normalized))
            .map(|(f, _)| *f)
    }

    /// The extra texts (normalised) by field id, for the manifest.
    pub fn by_field(&self) -> BTreeMap<String, Vec<String>> {
        self.extra
            .iter()
            .map(|(f, texts)| (f.id().to_string(), texts.clone()))
            .collect()
    }

    /// The accepted header texts for a field, built-in then extra, for messages.
    pub fn accepted(&self, f: Field) -> String {
        let mut all: Vec<String> = f.aliases().iter().map(|s| s.to_string()).collect();
        if let Some(extra) = self.extra.get(&f) {
            all.extend(extra.iter().cloned());
        }
        all.join(" / ")
    }
}

/// Header text as compared: half-width, no spaces, no `*` marker, no bracketed remarks,
/// lower case, no `_`/`-`/`:` separators.
pub fn normalize_header(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
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
    /// Row number as a person sees it.
    pub row: u32,
    /// Index of the header in the rows it was found among.
    pub index: usize,
    /// The header cells as they appear in the input.
    pub columns: Vec<String>,
    pub map: ColumnMap,
    /// Columns whose header text names no field (H005), with their text.
    pub unknown: Vec<(u32, String)>,
}

#[derive(Debug)]
pub enum Detection {
    Found(Header),
    /// H002: a header row, but required fields are not there.
    Missing {
        row: u32,
        missing: Vec<Field>,
    },
    /// H003: two columns map to one field.
    Ambiguous {
        row: u32,
        field: Field,
        first: String,
        second: String,
    },
    /// No row looks like a header.
    NotFound,
}

/// A sheet name that says which change its rows are (增员 / 减员 sheets).
pub fn sheet_kind(name: &str) -> Option<ChangeKind> {
    let n = normalize_header(name);
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    // "增减员" names both kinds, and contains "减员".
    if n.contains("增减") {
        return None;
    }
    match (
        has(&["增员", "增加", "新增", "新参保", "参保登记", "addition"]),
        has(&["减员", "减少", "停保", "停缴", "reduction"]),
    ) {
        (true, false) => Some(ChangeKind::Addition),
        (false, true) => Some(ChangeKind::Reduction),
        _ => None,
    }
}

/// The fields a sheet must have columns for.
pub fn required(schema: Schema, kind: Option<ChangeKind>) -> Vec<Field> {
    let mut req = vec![Field::Name, Field::IdNumber];
    if schema == Schema::Changes {
        match kind {
            None => req.push(Field::Change),
            Some(ChangeKind::Addition) => req.extend([Field::HireDate, Field::Base]),
            Some(ChangeKind::Reduction) => req.extend([Field::LeaveDate, Field::Reason]),
        }
    }
    req
}

/// Looks for the header among the first rows of a sheet.
pub fn detect(
    rows: &RowBuf,
    schema: Schema,
    kind: Option<ChangeKind>,
    aliases: &Aliases,
) -> Detection {
    let required = required(schema, kind);
    let mut best: Option<(usize, u32, Vec<Field>)> = None;
    for (index, row) in rows.rows().enumerate().take(HEADER_SEARCH_ROWS) {
        let columns = row.texts();
        let mut map = ColumnMap::default();
        let mut unknown = Vec::new();
        let mut recognised = 0usize;
        let mut duplicate = None;
        for (col, text) in columns.iter().enumerate() {
            let col = col as u32;
            match aliases.field_for(&normalize_header(text)) {
                Some(f) => {
                    match map.get(f) {
                        Some(prev) if duplicate.is_none() => {
                            duplicate = Some((f, columns[prev].clone(), text.clone()));
                        }
                        Some(_) => {}
                        None => map.set(f, col),
                    }
                    recognised += 1;
                }
                None if !text.trim().is_empty() => unknown.push((col, text.clone())),
                None => {}
            }
        }
        let missing: Vec<Field> = required.iter().copied().filter(|f| !map.has(*f)).collect();
        let core_present = map.has(Field::Name) && map.has(Field::IdNumber);
        if core_present {
            if let Some((field, first, second)) = duplicate {
                return Detection::Ambiguous {
                    row: row.number,
                    field,
                    first,
                    second,
                };
            }
            if !missing.is_empty() {
                return Detection::Missing {
                    row: row.number,
                    missing,
                };
            }
            return Detection::Found(Header {
                row: row.number,
                index,
                columns,
                map,
                unknown,
            });
        }
        if recognised >= 3 && best.as_ref().is_none_or(|(n, _, _)| recognised > *n) {
            best = Some((recognised, row.number, missing));
        }
    }
    match best {
        Some((_, row, missing)) => Detection::Missing { row, missing },
        None => Detection::NotFound,
    }
}

pub static H001: Rule = Rule {
    code: "H001",
    severity: Severity::Fatal,
    title_zh: "文件没有可识别的表头行",
    title_en: "no sheet of the file has a recognisable header row",
    message_zh: "{file}：前 20 行中没有可识别的表头（已检查工作表：{sheets}）；未找到的必需列：{missing}",
    message_en: "{file}: no recognisable header row in the first 20 rows (sheets looked at: {sheets}); required columns not found: {missing}",
    hint_zh: "可接受的表头文字：{accepted}",
    hint_en: "accepted header texts: {accepted}",
    basis: "",
};

pub static H002: Rule = Rule {
    code: "H002",
    severity: Severity::Fatal,
    title_zh: "表头缺少必需列",
    title_en: "a required column is missing from the header",
    message_zh: "{file}{sheet}第 {row} 行的表头缺少必需列：{missing}",
    message_en: "{file}{sheet}: the header in row {row} lacks required columns: {missing}",
    hint_zh: "可接受的表头文字：{accepted}",
    hint_en: "accepted header texts: {accepted}",
    basis: "",
};

pub static H003: Rule = Rule {
    code: "H003",
    severity: Severity::Fatal,
    title_zh: "两列对应同一字段（表头有歧义）",
    title_en: "two columns map to the same field (ambiguous header)",
    message_zh: "{file}{sheet}第 {row} 行：列「{first}」和「{second}」都表示字段 {field}",
    message_en: "{file}{sheet}: in header row {row}, columns `{first}` and `{second}` both mean field {field}",
    hint_zh: "删除或重命名其中一列",
    hint_en: "delete or rename one of them",
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
    hint_zh: "如需使用，请在 headcount.toml 的 [aliases] 中添加别名",
    hint_en: "to use it, add an alias under [aliases] in headcount.toml",
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

pub static RULES: [&Rule; 6] = [&H001, &H002, &H003, &H004, &H005, &H006];

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
                "备注",
            ],
            &["1", "张三", "x", "y", "z"],
        ]);
        let Detection::Found(h) = detect(
            &buf,
            Schema::Changes,
            Some(ChangeKind::Addition),
            &Aliases::default(),
        ) else {
            panic!("no header");
        };
        assert_eq!(h.row, 3);
        assert_eq!(h.index, 2);
        assert_eq!(h.map.get(Field::IdNumber), Some(2));
        assert_eq!(
            h.unknown,
            vec![(0, "序号".to_string()), (5, "备注".to_string())]
        );
    }

    #[test]
    fn missing_required_column_is_h002() {
        let buf = sheet(&[&["姓名", "身份证号", "入职日期"]]);
        match detect(
            &buf,
            Schema::Changes,
            Some(ChangeKind::Addition),
            &Aliases::default(),
        ) {
            Detection::Missing { row, missing } => {
                assert_eq!(row, 1);
                assert_eq!(missing, vec![Field::Base]);
            }
            other => panic!("{other:?}"),
        }
        // Without a sheet name saying the kind, the change column is required.
        let buf = sheet(&[&["姓名", "身份证号", "缴费基数"]]);
        assert!(matches!(
            detect(&buf, Schema::Changes, None, &Aliases::default()),
            Detection::Missing { .. }
        ));
    }

    #[test]
    fn header_without_core_fields_is_h002_not_silence() {
        let buf = sheet(&[&["员工", "身份证号", "入职日期", "缴费基数"]]);
        match detect(
            &buf,
            Schema::Changes,
            Some(ChangeKind::Addition),
            &Aliases::default(),
        ) {
            Detection::Missing { missing, .. } => assert_eq!(missing, vec![Field::Name]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn two_id_columns_are_ambiguous() {
        let buf = sheet(&[&["姓名", "身份证号", "证件号码", "变动类型"]]);
        assert!(matches!(
            detect(&buf, Schema::Changes, None, &Aliases::default()),
            Detection::Ambiguous {
                field: Field::IdNumber,
                ..
            }
        ));
    }

    #[test]
    fn instructions_sheet_has_no_header() {
        let buf = sheet(&[&["填表说明"], &["1. 证件号码请以文本格式填写"]]);
        assert!(matches!(
            detect(&buf, Schema::Changes, None, &Aliases::default()),
            Detection::NotFound
        ));
    }

    #[test]
    fn extra_aliases_from_config() {
        let mut a = Aliases::default();
        a.add("id_number", &["员工证件号".to_string()]).unwrap();
        assert!(a.add("shoe_size", &[]).is_err());
        let buf = sheet(&[&["姓名", "员工证件号", "变动类型"]]);
        assert!(matches!(
            detect(&buf, Schema::Changes, None, &a),
            Detection::Found(_)
        ));
        assert!(a.accepted(Field::IdNumber).contains("员工证件号"));
    }

    #[test]
    fn sheet_names_set_the_kind() {
        assert_eq!(sheet_kind("增员"), Some(ChangeKind::Addition));
        assert_eq!(
            sheet_kind("批量停缴上传人员模板"),
            Some(ChangeKind::Reduction)
        );
        assert_eq!(sheet_kind("新增上传人员模板"), Some(ChangeKind::Addition));
        assert_eq!(sheet_kind("Sheet1"), None);
        assert_eq!(sheet_kind("增减员"), None);
    }
}
