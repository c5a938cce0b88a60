//! A deterministic generator of realistic change files, rosters and workbooks at any size,
//! with a chosen share of rows planted with one known problem each.
//!
//! Shared by `examples/generate.rs` (the command), `tests/it/generated.rs` and the benches,
//! which include this file with `#[path]`. It depends only on `headcount::calendar` for date
//! arithmetic, never on the checks it exercises: the ID check characters are computed here.
//!
//! The month is fixed: Beijing, period 2025-08, processing date 2025-08-20. Clean additions
//! are new people (not on the roster) hired 2025-08-01 ..= 15 with a base inside Beijing's
//! 2025 floor and ceiling; clean reductions are active roster members who left
//! 2025-08-06 ..= 15 for an ordinary reason. Everyone is born 1976–2003, so no age rule
//! applies, and every row names a category, so no woman lacks one.

#![allow(dead_code)]

use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use headcount::calendar::Date;

pub const REGION: &str = "beijing";
pub const PERIOD: &str = "2025-08";
pub const AS_OF: &str = "2025-08-20";
pub const EMPLOYER: &str = "91110000600037341L";

/// The change file's header: 15 columns, as an HR export names them.
pub const HEADER: [&str; 15] = [
    "姓名",
    "证件类型",
    "证件号码",
    "变动类型",
    "性别",
    "出生日期",
    "人员类别",
    "入职日期",
    "参保年月",
    "缴费基数",
    "离职日期",
    "停缴年月",
    "减员原因",
    "联系电话",
    "部门",
];

const C_NAME: usize = 0;
const C_ID_TYPE: usize = 1;
const C_ID: usize = 2;
const C_CHANGE: usize = 3;
const C_SEX: usize = 4;
const C_BIRTH: usize = 5;
const C_CATEGORY: usize = 6;
const C_HIRE: usize = 7;
const C_START: usize = 8;
const C_BASE: usize = 9;
const C_LEAVE: usize = 10;
const C_STOP: usize = 11;
const C_REASON: usize = 12;
const C_PHONE: usize = 13;
const C_DEPT: usize = 14;

pub const ROSTER_HEADER: [&str; 8] = [
    "姓名",
    "证件类型",
    "证件号码",
    "人员类别",
    "参保年月",
    "缴费基数",
    "参保状态",
    "停缴年月",
];

/// What to generate.
#[derive(Clone, Debug)]
pub struct Spec {
    pub rows: usize,
    pub roster: usize,
    /// Share of change rows planted with a problem (0.0 ..= 1.0).
    pub bad_share: f64,
    pub seed: u64,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// The problems planted, one per planted row.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Plant {
    /// Wrong GB 11643 check character (V003).
    Checksum,
    /// A birth month 13 inside the ID, with a correct check character (V004).
    BirthInId,
    /// The ID went through a float: `1.10101E+17`, or a number cell (V005).
    Scientific,
    /// An impossible hire or leave date (V010).
    BadDate,
    /// A negative base (V011).
    BadBase,
    /// A change type no vocabulary knows (V012).
    UnknownKind,
    /// No name (V001).
    MissingName,
    /// A copy of an earlier addition (X001).
    Duplicate,
    /// Full-width digits in the ID: fixed and reported as a warning (V019), still accepted.
    FullWidth,
}

impl Plant {
    const ALL: [Plant; 9] = [
        Plant::Checksum,
        Plant::BirthInId,
        Plant::Scientific,
        Plant::BadDate,
        Plant::BadBase,
        Plant::UnknownKind,
        Plant::MissingName,
        Plant::Duplicate,
        Plant::FullWidth,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Plant::Checksum => "V003",
            Plant::BirthInId => "V004",
            Plant::Scientific => "V005",
            Plant::BadDate => "V010",
            Plant::BadBase => "V011",
            Plant::UnknownKind => "V012",
            Plant::MissingName => "V001",
            Plant::Duplicate => "X001",
            Plant::FullWidth => "V019",
        }
    }

    /// Whether the planted problem rejects the row.
    pub fn rejects(self) -> bool {
        self != Plant::FullWidth
    }

    fn addition_only(self) -> bool {
        matches!(self, Plant::BirthInId | Plant::BadBase | Plant::Duplicate)
    }
}

/// A planted row: its number as a person sees it, and the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planted {
    pub row: u32,
    pub plant: Plant,
}

/// What was written.
#[derive(Clone, Debug)]
pub struct Written {
    pub changes: PathBuf,
    pub roster: Option<PathBuf>,
    pub rows: usize,
    pub additions: usize,
    pub reductions: usize,
    pub planted: Vec<Planted>,
}

impl Written {
    /// Rows a correct run must reject (at least; other rules may reject more).
    pub fn planted_rejections(&self) -> usize {
        self.planted.iter().filter(|p| p.plant.rejects()).count()
    }
}

// ---------------------------------------------------------------------------------------
// Randomness and people
// ---------------------------------------------------------------------------------------

/// SplitMix64: tiny, fast, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const REGION_CODES: [&str; 20] = [
    "110101", "110102", "110105", "110106", "110107", "110108", "110111", "110112", "110113",
    "110114", "110115", "130102", "130104", "370102", "410105", "420106", "510107", "610113",
    "320106", "440106",
];
const SURNAMES: [&str; 32] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
];
const GIVEN: [&str; 40] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "梦", "瑶", "若", "曦", "国", "栋", "斌", "雨",
    "桐", "思", "宇", "浩", "然", "欣", "怡", "博",
];
const DEPARTMENTS: [&str; 10] = [
    "研发部",
    "销售部",
    "市场部",
    "财务部",
    "人力资源部",
    "行政部",
    "客服中心",
    "生产一车间",
    "生产二车间",
    "质量管理部",
];
const REASONS: [&str; 6] = [
    "辞职",
    "协商解除",
    "合同到期",
    "解除劳动合同",
    "28|辞职",
    "个人原因",
];

/// Birth days are drawn from 1976-01-01 on, over this many days (to 2003-05).
const BIRTH_DAYS: u64 = 10_000;
/// Distinct IDs the scheme can make: region × birth day × 3-digit sequence.
const ID_SPACE: u64 = REGION_CODES.len() as u64 * BIRTH_DAYS * 1000;
/// Prime (Knuth's golden-ratio multiplier), so coprime with `ID_SPACE` (factors 2 and 5),
/// and far from any multiple of it, so neighbouring people differ in every part.
const ID_STRIDE: u64 = 2_654_435_761;

/// One person: who they are is a pure function of their index and the seed.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub birth: Date,
    pub female: bool,
}

/// The GB 11643 check character of 17 digits.
pub fn check_char(body: &[u8]) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let s: u32 = body
        .iter()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    char::from(b"10X98765432"[(s % 11) as usize])
}

fn day_zero() -> i64 {
    Date::new(1976, 1, 1).map_or(0, Date::day_number)
}

/// Person `i`: distinct indices below `ID_SPACE` give distinct ID numbers.
pub fn person(i: u64, seed: u64) -> Person {
    let s = (i.wrapping_mul(ID_STRIDE) + seed % ID_SPACE) % ID_SPACE;
    let region = REGION_CODES[(s % REGION_CODES.len() as u64) as usize];
    let rest = s / REGION_CODES.len() as u64;
    let day = rest % BIRTH_DAYS;
    let seq = rest / BIRTH_DAYS;
    let birth = Date::from_day_number(day_zero() + day as i64)
        .or_else(|| Date::new(1990, 1, 1))
        .unwrap_or_else(|| unreachable!("fixed dates are valid"));
    let body = format!(
        "{region}{:04}{:02}{:02}{seq:03}",
        birth.year(),
        birth.month(),
        birth.day()
    );
    let id = format!("{body}{}", check_char(body.as_bytes()));
    let female = seq % 2 == 0;
    let mut r = Rng::new(i ^ seed.rotate_left(17));
    let mut name = SURNAMES[r.below(SURNAMES.len() as u64) as usize].to_string();
    for _ in 0..1 + r.below(2) {
        name.push_str(GIVEN[r.below(GIVEN.len() as u64) as usize]);
    }
    Person {
        id,
        name,
        birth,
        female,
    }
}

// ---------------------------------------------------------------------------------------
// Cells and rows
// ---------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub enum Val {
    Empty,
    Text(String),
    /// A date: a date cell in a workbook, text in the given style in a CSV.
    Date(Date, DateStyle),
    /// A number cell in a workbook; `csv` is how a CSV export writes it.
    Num(f64, String),
}

#[derive(Copy, Clone, Debug)]
pub enum DateStyle {
    Iso,
    Slash,
    Compact,
    Chinese,
}

impl Val {
    fn text(s: impl Into<String>) -> Val {
        Val::Text(s.into())
    }

    fn csv(&self) -> String {
        match self {
            Val::Empty => String::new(),
            Val::Text(s) => s.clone(),
            Val::Num(_, s) => s.clone(),
            Val::Date(d, style) => match style {
                DateStyle::Iso => d.to_string(),
                DateStyle::Slash => format!("{}/{}/{}", d.year(), d.month(), d.day()),
                DateStyle::Compact => format!("{:04}{:02}{:02}", d.year(), d.month(), d.day()),
                DateStyle::Chinese => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            },
        }
    }
}

type Row = [Val; 15];

fn empty_row() -> Row {
    std::array::from_fn(|_| Val::Empty)
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::new(y, m, d).unwrap_or_else(|| unreachable!("fixed dates are valid"))
}

fn phone(r: &mut Rng) -> String {
    format!("1{}{:09}", 3 + r.below(7), r.below(1_000_000_000))
}

fn base(r: &mut Rng) -> (f64, String) {
    // Hundreds of yuan, sometimes with fen, sometimes with a thousands separator.
    let fen = (7_200 + r.below(28_000)) * 100 + if r.chance(0.2) { r.below(100) } else { 0 };
    let value = fen as f64 / 100.0;
    let (yuan, cents) = (fen / 100, fen % 100);
    let text = match r.below(4) {
        0 => format!("{yuan}"),
        1 => format!("{},{:03}.{cents:02}", yuan / 1000, yuan % 1000),
        _ => format!("{yuan}.{cents:02}"),
    };
    (value, text)
}

fn date_style(r: &mut Rng) -> DateStyle {
    match r.below(10) {
        0 => DateStyle::Slash,
        1 => DateStyle::Compact,
        2 => DateStyle::Chinese,
        _ => DateStyle::Iso,
    }
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The `k`-th active roster row: every 20th member (row 19, 39, …) is stopped.
fn active_member(k: u64) -> u64 {
    k + k / 19
}

fn active_count(roster: u64) -> u64 {
    roster - roster / 20
}

/// A permutation of `0..n` that looks random (an affine map with a stride coprime to n).
struct Shuffle {
    n: u64,
    stride: u64,
    offset: u64,
}

impl Shuffle {
    fn new(n: u64, r: &mut Rng) -> Shuffle {
        let n = n.max(1);
        let mut stride = (n / 2 + r.below(n)) | 1;
        while gcd(stride, n) != 1 {
            stride += 2;
        }
        Shuffle {
            n,
            stride,
            offset: r.below(n),
        }
    }

    fn at(&self, k: u64) -> u64 {
        ((k as u128 * self.stride as u128 + self.offset as u128) % self.n as u128) as u64
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Makes the change rows in order, one at a time.
struct Changes {
    spec: Spec,
    rng: Rng,
    next_row: usize,
    next_new_person: u64,
    reductions_left: u64,
    reductions_done: u64,
    shuffle: Shuffle,
    last_clean_addition: Option<Row>,
    planted: Vec<Planted>,
    additions: usize,
    reductions: usize,
}

impl Changes {
    fn new(spec: &Spec) -> Changes {
        let mut rng = Rng::new(spec.seed);
        let active = active_count(spec.roster as u64);
        // About three in ten rows are reductions, when there is a roster to reduce.
        let reductions = active.min((spec.rows as u64) * 3 / 10);
        let shuffle = Shuffle::new(active, &mut rng);
        Changes {
            spec: spec.clone(),
            rng,
            next_row: 0,
            next_new_person: spec.roster as u64,
            reductions_left: reductions,
            reductions_done: 0,
            shuffle,
            last_clean_addition: None,
            planted: Vec::new(),
            additions: 0,
            reductions: 0,
        }
    }

    /// The next row and its number as a person sees it (the header is row 1).
    fn next(&mut self) -> Option<(u32, Row)> {
        if self.next_row >= self.spec.rows {
            return None;
        }
        let number = self.next_row as u32 + 2;
        self.next_row += 1;
        let r = &mut self.rng;
        let mut plant = r.chance(self.spec.bad_share).then(|| *r.pick(&Plant::ALL));
        let rows_left = (self.spec.rows - self.next_row + 1) as u64;
        let reduction = self.reductions_left > 0
            && !plant.is_some_and(Plant::addition_only)
            && r.below(rows_left) < self.reductions_left;
        if plant == Some(Plant::Duplicate) && self.last_clean_addition.is_none() {
            plant = Some(Plant::MissingName);
        }
        let row = match plant {
            Some(Plant::Duplicate) => self.last_clean_addition.clone(),
            _ if reduction => Some(self.reduction(plant)),
            _ => Some(self.addition(plant)),
        }?;
        match plant {
            Some(p) => self.planted.push(Planted {
                row: number,
                plant: p,
            }),
            None if !reduction => self.last_clean_addition = Some(row.clone()),
            None => {}
        }
        if reduction {
            self.reductions += 1;
        } else {
            self.additions += 1;
        }
        Some((number, row))
    }

    fn common(&mut self, p: &Person, row: &mut Row) {
        let r = &mut self.rng;
        row[C_NAME] = Val::text(&p.name);
        row[C_ID_TYPE] = Val::text(if r.chance(0.5) {
            "居民身份证"
        } else {
            "身份证"
        });
        row[C_ID] = Val::text(&p.id);
        row[C_SEX] = Val::text(if p.female { "女" } else { "男" });
        row[C_BIRTH] = Val::Date(p.birth, DateStyle::Iso);
        row[C_CATEGORY] = Val::text(if r.chance(0.6) { "工人" } else { "干部" });
        row[C_PHONE] = Val::text(phone(r));
        row[C_DEPT] = Val::text(*r.pick(&DEPARTMENTS));
    }

    fn addition(&mut self, plant: Option<Plant>) -> Row {
        let mut p = person(self.next_new_person, self.spec.seed);
        self.next_new_person += 1;
        if plant == Some(Plant::BirthInId) {
            let mut body: Vec<u8> = p.id.as_bytes()[..17].to_vec();
            body[10] = b'1';
            body[11] = b'3';
            p.id = format!("{}{}", String::from_utf8_lossy(&body), check_char(&body));
        }
        let mut row = empty_row();
        self.common(&p, &mut row);
        let r = &mut self.rng;
        row[C_CHANGE] = Val::text(if r.chance(0.8) { "增员" } else { "11|增员" });
        let hire = date(2025, 8, 1 + r.below(15) as u32);
        row[C_HIRE] = Val::Date(hire, date_style(r));
        row[C_START] = Val::text("202508");
        let (value, text) = base(r);
        row[C_BASE] = Val::Num(value, text);
        if plant == Some(Plant::BadDate) {
            row[C_HIRE] = Val::text("2025-02-30");
        }
        if plant == Some(Plant::BadBase) {
            row[C_BASE] = Val::Num(-5000.0, "-5000".into());
        }
        self.plant(plant, &p, &mut row);
        row
    }

    fn reduction(&mut self, plant: Option<Plant>) -> Row {
        let k = self.shuffle.at(self.reductions_done);
        self.reductions_done += 1;
        self.reductions_left -= 1;
        let p = person(active_member(k), self.spec.seed);
        let mut row = empty_row();
        self.common(&p, &mut row);
        let r = &mut self.rng;
        row[C_CHANGE] = Val::text(if r.chance(0.8) { "减员" } else { "12|减员" });
        let leave = date(2025, 8, 6 + r.below(10) as u32);
        row[C_LEAVE] = Val::Date(leave, date_style(r));
        if r.chance(0.5) {
            row[C_STOP] = Val::text("202509");
        }
        row[C_REASON] = Val::text(*r.pick(&REASONS));
        if plant == Some(Plant::BadDate) {
            row[C_LEAVE] = Val::text("2025-13-01");
        }
        self.plant(plant, &p, &mut row);
        row
    }

    /// The plants that look the same on additions and reductions.
    fn plant(&mut self, plant: Option<Plant>, p: &Person, row: &mut Row) {
        match plant {
            Some(Plant::Checksum) => {
                // Never `…000`: 15 digits and zeros is a spreadsheet's doing (V005).
                let last = p.id.as_bytes()[17];
                let wrong = if last == b'0' || p.id[15..17] == *"00" {
                    if last == b'1' {
                        '2'
                    } else {
                        '1'
                    }
                } else {
                    '0'
                };
                row[C_ID] = Val::text(format!("{}{wrong}", &p.id[..17]));
            }
            Some(Plant::Scientific) => {
                let mantissa = format!("{}.{}", &p.id[..1], &p.id[1..6]);
                let value = p.id[..6].parse::<f64>().unwrap_or(0.0) * 1e12;
                row[C_ID] = Val::Num(value, format!("{mantissa}E+17"));
            }
            Some(Plant::UnknownKind) => row[C_CHANGE] = Val::text("调整"),
            Some(Plant::MissingName) => row[C_NAME] = Val::Empty,
            Some(Plant::FullWidth) => row[C_ID] = Val::text(full_width(&p.id)),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// Writers
// ---------------------------------------------------------------------------------------

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Writes `changes.csv` or `changes.xlsx`, and `roster.csv` when `spec.roster > 0`, into
/// `dir` (created if missing).
pub fn write(spec: &Spec, format: Format, dir: &Path) -> Result<Written> {
    std::fs::create_dir_all(dir)?;
    let roster = if spec.roster > 0 {
        let path = dir.join("roster.csv");
        write_roster(spec, &path)?;
        Some(path)
    } else {
        None
    };
    let mut gen = Changes::new(spec);
    let changes = match format {
        Format::Csv => {
            let path = dir.join("changes.csv");
            write_changes_csv(&mut gen, &path)?;
            path
        }
        Format::Xlsx => {
            let path = dir.join("changes.xlsx");
            write_changes_xlsx(&mut gen, &path)?;
            path
        }
    };
    Ok(Written {
        changes,
        roster,
        rows: spec.rows,
        additions: gen.additions,
        reductions: gen.reductions,
        planted: gen.planted,
    })
}

fn csv_writer(path: &Path) -> Result<csv::Writer<BufWriter<File>>> {
    let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    Ok(csv::WriterBuilder::new().from_writer(file))
}

fn write_changes_csv(gen: &mut Changes, path: &Path) -> Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record(HEADER)?;
    let mut line: Vec<String> = Vec::with_capacity(HEADER.len());
    while let Some((_, row)) = gen.next() {
        line.clear();
        line.extend(row.iter().map(Val::csv));
        w.write_record(&line)?;
    }
    w.flush()?;
    Ok(())
}

fn write_changes_xlsx(gen: &mut Changes, path: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format as XFormat, Workbook};
    let mut book = Workbook::new();
    let date_format = XFormat::new().set_num_format("yyyy-mm-dd");
    let money_format = XFormat::new().set_num_format("#,##0.00");
    // Excel's day 0, so a date cell holds its serial number.
    let epoch = date(1899, 12, 30).day_number();
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("增减员")?;
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    while let Some((number, row)) = gen.next() {
        let r = number - 1;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                Val::Empty => {}
                Val::Text(s) => {
                    sheet.write_string(r, c, s)?;
                }
                Val::Num(f, _) if c as usize == C_BASE => {
                    sheet.write_number_with_format(r, c, *f, &money_format)?;
                }
                Val::Num(f, _) => {
                    sheet.write_number(r, c, *f)?;
                }
                Val::Date(d, _) => {
                    let serial = (d.day_number() - epoch) as f64;
                    sheet.write_number_with_format(r, c, serial, &date_format)?;
                }
            }
        }
    }
    book.save(path)?;
    Ok(())
}

fn write_roster(spec: &Spec, path: &Path) -> Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record(ROSTER_HEADER)?;
    let mut r = Rng::new(spec.seed.rotate_left(29));
    for m in 0..spec.roster as u64 {
        let p = person(m, spec.seed);
        let stopped = m % 20 == 19;
        let start = format!("{}{:02}", 2015 + r.below(10), 1 + r.below(12));
        let (_, base) = base(&mut r);
        w.write_record([
            p.name.as_str(),
            "居民身份证",
            p.id.as_str(),
            if r.chance(0.6) { "工人" } else { "干部" },
            start.as_str(),
            base.as_str(),
            if stopped { "停保" } else { "参保" },
            if stopped { "202312" } else { "" },
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The arguments of a `headcount check` or `run` over what `write` produced.
pub fn args(command: &str, w: &Written, out: &Path) -> Vec<String> {
    let mut a: Vec<String> = vec![command.into()];
    a.push(w.changes.display().to_string());
    if let Some(r) = &w.roster {
        a.extend(["--roster".into(), r.display().to_string()]);
    }
    a.extend(
        [
            "--region",
            REGION,
            "--period",
            PERIOD,
            "--as-of",
            AS_OF,
            "--employer",
            EMPLOYER,
            "--quiet",
            "--out",
        ]
        .map(String::from),
    );
    a.push(out.display().to_string());
    a
}

/// Writes `planted.csv` (row, code, rejects) next to the data, for people checking by hand.
pub fn write_planted(w: &Written, dir: &Path) -> Result<()> {
    let mut out = BufWriter::new(File::create(dir.join("planted.csv"))?);
    writeln!(out, "row,code,rejects")?;
    for p in &w.planted {
        writeln!(out, "{},{},{}", p.row, p.plant.code(), p.plant.rejects())?;
    }
    out.flush()?;
    Ok(())
}
