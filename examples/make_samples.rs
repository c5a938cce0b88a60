//! Writes the sample month in `samples/`: one employer's August 2025 headcount changes as a
//! portal-style workbook, a GBK-encoded CSV export from the branch office, the roster they
//! are checked against, and `samples/README.md`, which lists every finding planted in them
//! with the row number a person sees in Excel.
//!
//! Run from the crate root with `cargo run --example make_samples`.
//!
//! The output is deterministic: a fixed-seed LCG picks names, dates, phones and bases, no
//! clock is read, and the workbook's creation date is pinned to 2025-08-01, so a re-run
//! reproduces the same bytes (for the same rust_xlsxwriter version).
//!
//! The identity numbers are made here with a small GB 11643 check-character function on
//! purpose: the samples must not depend on the library code they are meant to exercise.

use std::collections::HashSet;
use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const OUT_DIR: &str = "samples";
const XLSX_FILE: &str = "2025-08_增减员.xlsx";
const CSV_FILE: &str = "2025-08_分公司.csv";
const ROSTER_FILE: &str = "roster.csv";

const EMPLOYER_NAME: &str = "北京云杉科技有限公司";
const EMPLOYER_CODE: &str = "91110000600037341L";
const REGION: &str = "beijing";
const PERIOD: &str = "2025-08";
const AS_OF: &str = "2025-08-20";
/// Beijing's base floor and ceiling from 2025-07 (used only to describe the plants).
const FLOOR: u32 = 7162;
const CEILING: u32 = 35811;

const SEED: u64 = 0x5EED_2025_0820;

// ---------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------

/// A 64-bit linear congruential generator (Knuth's MMIX constants); the high bits are used.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(hi - lo + 1)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u32) as usize]
    }
}

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

/// A calendar date as written in the samples. Not validated: one plant needs 1990-02-31.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Ymd {
    y: u16,
    m: u8,
    d: u8,
}

const fn ymd(y: u16, m: u8, d: u8) -> Ymd {
    Ymd { y, m, d }
}

impl Ymd {
    fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.y, self.m, self.d)
    }
    fn slash(self) -> String {
        format!("{}/{}/{}", self.y, self.m, self.d)
    }
    fn chinese(self) -> String {
        format!("{}年{}月{}日", self.y, self.m, self.d)
    }
    fn month(self) -> String {
        format!("{:04}{:02}", self.y, self.m)
    }
    fn excel(self) -> Result<ExcelDateTime> {
        Ok(ExcelDateTime::from_ymd(self.y, self.m, self.d)?)
    }
}

// ---------------------------------------------------------------------------------------
// Identity numbers (GB 11643)
// ---------------------------------------------------------------------------------------

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The MOD 11-2 check character for a 17-digit body.
fn check_char(body: &str) -> char {
    assert_eq!(body.len(), 17, "ID body must be 17 digits: {body}");
    let sum: u32 = body
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// An 18-character number: area code, birth date, 3-digit sequence, check character.
fn id18(area: &str, birth: Ymd, seq: u32) -> String {
    let body = format!("{area}{}{seq:03}", birth.compact());
    let check = check_char(&body);
    format!("{body}{check}")
}

/// A legacy 15-digit number: area code, YYMMDD, sequence (no check character).
fn id15(area: &str, birth: Ymd, seq: u32) -> String {
    format!(
        "{area}{:02}{:02}{:02}{seq:03}",
        birth.y % 100,
        birth.m,
        birth.d
    )
}

/// The same number typed with full-width digits (as some input methods produce).
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0xFF10 + (c as u32 - '0' as u32)).unwrap_or(c),
            'X' => 'Ｘ',
            _ => c,
        })
        .collect()
}

/// What Excel keeps of an 18-digit number typed into a General cell: 15 significant digits.
fn as_excel_number(id: &str) -> f64 {
    format!("{}000", &id[..15])
        .parse()
        .expect("an all-digit ID number")
}

/// A different check character from the right one (for the V003 plant).
fn wrong_check(id: &str) -> String {
    let right = id.chars().last().expect("non-empty ID");
    let wrong = match right {
        '9' => '3',
        'X' => '7',
        c => char::from_digit((c.to_digit(10).unwrap_or(0) + 3) % 10, 10).unwrap_or('0'),
    };
    format!("{}{wrong}", &id[..17])
}

// ---------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sex {
    Male,
    Female,
}

use Sex::{Female, Male};

impl Sex {
    fn zh(self) -> &'static str {
        match self {
            Male => "男",
            Female => "女",
        }
    }
}

#[derive(Clone, Debug)]
struct Person {
    name: String,
    sex: Sex,
    birth: Ymd,
    id: String,
    category: &'static str,
    hukou: &'static str,
    phone: String,
    dept: &'static str,
}

const BEIJING_AREAS: [&str; 11] = [
    "110101", "110102", "110105", "110106", "110107", "110108", "110111", "110112", "110113",
    "110114", "110115",
];
const OTHER_AREAS: [&str; 10] = [
    "130102", "130104", "120104", "320106", "370102", "410105", "420106", "440305", "510104",
    "610113",
];
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤";
const MALE_GIVEN: [&str; 30] = [
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "辉", "鹏", "浩然", "子轩",
    "宇航", "俊杰", "志强", "建华", "文博", "思远", "天宇", "晨阳", "一鸣", "嘉豪", "博文", "振宇",
    "国栋", "海洋", "建军",
];
const FEMALE_GIVEN: [&str; 30] = [
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "婷", "雪", "慧", "佳怡", "欣怡", "雨桐",
    "思琪", "梦瑶", "晓燕", "丽华", "婉清", "诗涵", "雅琴", "秀英", "玉兰", "婧", "悦", "晓雯",
    "丹丹", "雨萱", "若曦", "美玲",
];
const PHONE_PREFIXES: [&str; 25] = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "158", "159", "176", "177", "180", "181", "185", "186", "187", "188", "189", "199",
];
const DEPARTMENTS: [&str; 9] = [
    "研发部",
    "产品部",
    "销售部",
    "市场部",
    "财务部",
    "人力资源部",
    "行政部",
    "客服部",
    "运维部",
];
/// Names written by hand into the scenario; generated names must avoid them.
const FIXED_NAMES: [&str; 6] = [
    "林晓燕",
    "林小燕",
    "周志刚",
    "周智刚",
    "阿依古丽•买买提",
    "Zhang San",
];

/// Makes people with unique names and ID numbers.
struct People {
    rng: Lcg,
    names: HashSet<String>,
    ids: HashSet<String>,
}

impl People {
    fn new(seed: u64) -> People {
        let mut people = People {
            rng: Lcg(seed),
            names: HashSet::new(),
            ids: HashSet::new(),
        };
        for name in FIXED_NAMES {
            people.names.insert(name.to_string());
        }
        people
    }

    fn fresh_name(&mut self, sex: Sex) -> String {
        let surnames: Vec<char> = SURNAMES.chars().collect();
        loop {
            let surname = self.rng.pick(&surnames);
            let given = match sex {
                Male => self.rng.pick(&MALE_GIVEN),
                Female => self.rng.pick(&FEMALE_GIVEN),
            };
            let name = format!("{surname}{given}");
            if self.names.insert(name.clone()) {
                return name;
            }
        }
    }

    fn area(&mut self) -> &'static str {
        if self.rng.below(100) < 65 {
            self.rng.pick(&BEIJING_AREAS)
        } else {
            self.rng.pick(&OTHER_AREAS)
        }
    }

    fn birth(&mut self, years: (u16, u16)) -> Ymd {
        let y = self.rng.range(u32::from(years.0), u32::from(years.1)) as u16;
        let m = self.rng.range(1, 12) as u8;
        let d = self.rng.range(1, 28) as u8;
        ymd(y, m, d)
    }

    /// A sequence number whose last digit carries the sex (odd = male); 996–999 are avoided.
    fn seq(&mut self, sex: Sex) -> u32 {
        let even = self.rng.below(498) * 2;
        match sex {
            Male => even + 1,
            Female => even,
        }
    }

    /// A person with a random area and birth date in `years`.
    fn person(&mut self, sex: Sex, years: (u16, u16)) -> Person {
        let name = self.fresh_name(sex);
        let area = self.area();
        let birth = self.birth(years);
        self.build(name, sex, area, birth)
    }

    /// A person with the given name, area and birth date (and a unique 18-digit ID).
    fn build(&mut self, name: String, sex: Sex, area: &'static str, birth: Ymd) -> Person {
        let id = loop {
            let seq = self.seq(sex);
            let id = id18(area, birth, seq);
            if self.ids.insert(id.clone()) {
                break id;
            }
        };
        let category = if self.rng.below(2) == 0 {
            "工人"
        } else {
            "干部"
        };
        let local = area.starts_with("11");
        let rural = self.rng.below(5) == 0;
        let hukou = match (local, rural) {
            (true, false) => "本市城镇",
            (true, true) => "本市农村",
            (false, false) => "外埠城镇",
            (false, true) => "外埠农村",
        };
        let phone = format!(
            "{}{:08}",
            self.rng.pick(&PHONE_PREFIXES),
            self.rng.below(100_000_000)
        );
        let dept = self.rng.pick(&DEPARTMENTS);
        Person {
            name,
            sex,
            birth,
            id,
            category,
            hukou,
            phone,
            dept,
        }
    }

    /// A new hire's date: 2025-08-01 ..= 2025-08-15, all within 30 days of the as-of date.
    fn hire_date(&mut self) -> Ymd {
        ymd(2025, 8, self.rng.range(1, 15) as u8)
    }

    /// A declared base inside Beijing's 2025 floor and ceiling, in tens of yuan.
    fn base(&mut self) -> u32 {
        self.rng.range(720, 3500) * 10
    }
}

// ---------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------

/// One planted finding, described for the README.
struct Plant {
    code: &'static str,
    what: String,
    also: String,
}

fn plant(code: &'static str, what: impl Into<String>) -> Plant {
    Plant {
        code,
        what: what.into(),
        also: String::new(),
    }
}

impl Plant {
    fn also(mut self, also: impl Into<String>) -> Plant {
        self.also = also.into();
        self
    }
}

/// A planted finding placed in a file, for the README table.
struct Finding {
    file: &'static str,
    sheet: &'static str,
    row: String,
    code: &'static str,
    what: String,
    also: String,
}

/// A workbook cell.
#[derive(Clone, Debug)]
enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(Ymd),
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// A row of the workbook's 增员 sheet (序号 is added when writing).
#[derive(Clone)]
struct Addition {
    name: Cell,
    id_type: Cell,
    id: Cell,
    sex: Cell,
    birth: Cell,
    category: Cell,
    hukou: Cell,
    hire: Cell,
    start: Cell,
    base: Cell,
    phone: Cell,
    dept: Cell,
    note: Cell,
}

const ADD_HEADER: [&str; 14] = [
    "序号",
    "姓名*",
    "证件类型*",
    "证件号码*",
    "性别",
    "出生日期",
    "个人身份",
    "户口性质",
    "入职日期*",
    "参保年月",
    "缴费基数*",
    "手机号码",
    "部门",
    "备注",
];
const ADD_WIDTHS: [f64; 14] = [
    6.0, 16.0, 12.0, 22.0, 6.0, 12.0, 10.0, 10.0, 12.0, 10.0, 12.0, 14.0, 12.0, 16.0,
];
/// 0-based row of the first data row in 增员 and 减员 (title, notes, header above it).
const FIRST_DATA_ROW: u32 = 3;
const ADD_ID_COL: u16 = 3;
const ADD_NAME_COL: u16 = 1;
const ADD_BASE_COL: u16 = 10;

impl Addition {
    /// A clean row: every value valid and consistent with the ID number.
    fn clean(p: &Person, hire: Ymd, base: u32) -> Addition {
        Addition {
            name: text(&p.name),
            id_type: text("居民身份证"),
            id: text(&p.id),
            sex: text(p.sex.zh()),
            birth: Cell::Date(p.birth),
            category: text(p.category),
            hukou: text(p.hukou),
            hire: Cell::Date(hire),
            start: text(hire.month()),
            base: Cell::Number(f64::from(base)),
            phone: text(&p.phone),
            dept: text(p.dept),
            note: Cell::Empty,
        }
    }

    fn cells(&self) -> [&Cell; 13] {
        [
            &self.name,
            &self.id_type,
            &self.id,
            &self.sex,
            &self.birth,
            &self.category,
            &self.hukou,
            &self.hire,
            &self.start,
            &self.base,
            &self.phone,
            &self.dept,
            &self.note,
        ]
    }
}

/// A row of the workbook's 减员 sheet (序号 is added when writing).
struct Reduction {
    name: String,
    id: String,
    leave: Ymd,
    stop: String,
    reason: String,
    note: String,
}

const RED_HEADER: [&str; 8] = [
    "序号",
    "姓名*",
    "证件类型",
    "证件号码*",
    "离职日期*",
    "停缴年月",
    "减员原因*",
    "备注",
];
const RED_WIDTHS: [f64; 8] = [6.0, 12.0, 12.0, 22.0, 12.0, 10.0, 18.0, 16.0];
const RED_ID_COL: u16 = 3;

impl Reduction {
    fn new(p: &Person, leave: Ymd, stop: &str, reason: &str) -> Reduction {
        Reduction {
            name: p.name.clone(),
            id: p.id.clone(),
            leave,
            stop: stop.to_string(),
            reason: reason.to_string(),
            note: String::new(),
        }
    }

    fn note(mut self, note: &str) -> Reduction {
        self.note = note.to_string();
        self
    }
}

/// A row of the branch office's CSV export: every value is text.
struct BranchRow {
    name: String,
    id_type: String,
    id: String,
    change: String,
    sex: String,
    hire: String,
    leave: String,
    reason: String,
    base: String,
    category: String,
    phone: String,
}

const BRANCH_TITLE: &str = "分公司社保增减员导出 2025年8月";
const BRANCH_HEADER: [&str; 11] = [
    "姓名",
    "证件类型",
    "身份证号",
    "变动类型",
    "性别",
    "入职日期",
    "离职日期",
    "减员原因",
    "缴费基数",
    "人员类别",
    "联系电话",
];
/// CSV line of the first data row (title on line 1, header on line 2).
const BRANCH_FIRST_LINE: usize = 3;

impl BranchRow {
    fn addition(p: &Person, hire: String, base: &str) -> BranchRow {
        BranchRow {
            name: p.name.clone(),
            id_type: "身份证".to_string(),
            id: p.id.clone(),
            change: "11|增员".to_string(),
            sex: p.sex.zh().to_string(),
            hire,
            leave: String::new(),
            reason: String::new(),
            base: base.to_string(),
            category: p.category.to_string(),
            phone: p.phone.clone(),
        }
    }

    fn reduction(p: &Person, leave: String, reason: &str) -> BranchRow {
        BranchRow {
            name: p.name.clone(),
            id_type: "身份证".to_string(),
            id: p.id.clone(),
            change: "12|减员".to_string(),
            sex: p.sex.zh().to_string(),
            hire: String::new(),
            leave,
            reason: reason.to_string(),
            base: String::new(),
            category: p.category.to_string(),
            phone: String::new(),
        }
    }

    fn record(&self) -> [&str; 11] {
        [
            &self.name,
            &self.id_type,
            &self.id,
            &self.change,
            &self.sex,
            &self.hire,
            &self.leave,
            &self.reason,
            &self.base,
            &self.category,
            &self.phone,
        ]
    }
}

/// A member of the roster (参保名册) as the period starts.
struct RosterRow {
    name: String,
    id: String,
    category: &'static str,
    start: String,
    base: u32,
    stopped: Option<String>,
}

const ROSTER_HEADER: [&str; 8] = [
    "姓名",
    "证件类型",
    "证件号码",
    "人员类别",
    "参保年月",
    "缴费基数",
    "参保状态",
    "停缴年月",
];

impl RosterRow {
    fn active(p: &Person, start: &str, base: u32) -> RosterRow {
        RosterRow {
            name: p.name.clone(),
            id: p.id.clone(),
            category: p.category,
            start: start.to_string(),
            base,
            stopped: None,
        }
    }

    fn stopped(p: &Person, start: &str, base: u32, stop: &str) -> RosterRow {
        RosterRow {
            stopped: Some(stop.to_string()),
            ..RosterRow::active(p, start, base)
        }
    }
}

/// Everything the generator writes. `reductions` holds `None` for a deliberately blank row.
struct Scenario {
    /// Excel row (增员) of the stopped roster member who comes back.
    returning_row: usize,
    additions: Vec<(Addition, Vec<Plant>)>,
    reductions: Vec<Option<(Reduction, Vec<Plant>)>>,
    branch: Vec<(BranchRow, Vec<Plant>)>,
    roster: Vec<RosterRow>,
}

// ---------------------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------------------

/// A roster start month for someone born in `birth_year`: 2015-01 ..= 2025-07, and not
/// before the year they turn 22.
fn roster_start(p: &mut People, birth_year: u16) -> String {
    let first = u32::from(birth_year.saturating_add(22)).max(2015);
    let y = p.rng.range(first.min(2025), 2025);
    let m = if y == 2025 {
        p.rng.range(1, 7)
    } else {
        p.rng.range(1, 12)
    };
    format!("{y:04}{m:02}")
}

/// A clean addition of a new person.
fn clean_addition(p: &mut People) -> Addition {
    let sex = if p.rng.below(2) == 0 { Male } else { Female };
    let years = if sex == Male {
        (1975, 2003)
    } else {
        (1980, 2003)
    };
    let who = p.person(sex, years);
    let hire = p.hire_date();
    let base = p.base();
    Addition::clean(&who, hire, base)
}

/// A clean addition of a new person, to be spoiled by the caller.
fn planted_addition(p: &mut People, sex: Sex, years: (u16, u16)) -> (Person, Addition) {
    let who = p.person(sex, years);
    let hire = p.hire_date();
    let base = p.base();
    let row = Addition::clean(&who, hire, base);
    (who, row)
}

/// A new person for the branch office's export.
fn branch_person(p: &mut People, sex: Sex) -> Person {
    let years = if sex == Male {
        (1978, 2002)
    } else {
        (1982, 2002)
    };
    p.person(sex, years)
}

fn scenario() -> Scenario {
    let mut p = People::new(SEED);
    let mut roster = Vec::new();

    // --- People already on the roster whom this month's files touch -------------------
    let leaver_resign = p.person(Male, (1985, 1996));
    let leaver_bad_reason = p.person(Female, (1988, 1998));
    let leaver_contract = p.person(Female, (1980, 1995));
    let retiree = {
        let name = p.fresh_name(Male);
        // Born 1965-05: statutory age 60 years 2 months, reached in 2025-07.
        p.build(name, Male, "110106", ymd(1965, 5, 17))
    };
    let renamed = p.build("林晓燕".to_string(), Female, "110108", ymd(1991, 11, 3));
    let leaver_mutual = p.person(Male, (1978, 1994));
    let leaver_july = p.person(Male, (1986, 1997));
    let leaver_late = p.person(Female, (1990, 1999));
    let branch_leaver_a = p.person(Male, (1983, 1998));
    let branch_leaver_b = p.person(Female, (1985, 1997));
    let already_active = p.person(Male, (1980, 1995));
    let adjusted = p.person(Female, (1982, 1996));

    for (who, start, base) in [
        (&leaver_resign, "201907", 18_500),
        (&leaver_bad_reason, "202203", 9_800),
        (&leaver_contract, "202208", 14_200),
        (&retiree, "201503", 12_000),
        (&renamed, "202011", 16_800),
        (&leaver_mutual, "201806", 26_000),
        (&leaver_july, "202104", 11_500),
        (&leaver_late, "202402", 8_600),
        (&branch_leaver_a, "202309", 7_000),
        (&branch_leaver_b, "202106", 10_400),
        (&already_active, "202305", 21_000),
        (&adjusted, "201710", 13_300),
    ] {
        roster.push(RosterRow::active(who, start, base));
    }

    // --- Roster members nobody touches this month --------------------------------------
    let legacy_bases = [7_100, 38_000, 40_000];
    for i in 0..14 {
        let sex = if i % 2 == 0 { Male } else { Female };
        let years = if sex == Male {
            (1968, 1999)
        } else {
            (1978, 1999)
        };
        let who = p.person(sex, years);
        let start = roster_start(&mut p, who.birth.y);
        let base = match legacy_bases.get(i) {
            Some(b) => *b,
            None => p.rng.range(72, 340) * 100,
        };
        roster.push(RosterRow::active(&who, &start, base));
    }
    // Stopped members, and one more (below) who comes back this month.
    for (sex, start, stop, base) in [
        (Female, "201604", "202312", 9_000),
        (Male, "201909", "202406", 15_500),
        (Female, "202207", "202503", 7_500),
    ] {
        let who = p.person(sex, (1980, 1995));
        roster.push(RosterRow::stopped(&who, start, base, stop));
    }
    let returning = p.person(Male, (1984, 1996));
    roster.push(RosterRow::stopped(&returning, "202106", 12_600, "202507"));

    // --- People added this month in both files -----------------------------------------
    let twice_added = p.person(Female, (1990, 2001)); // X001
    let renamed_in_batch = {
        // X003: 周志刚 in the workbook, 周智刚 in the branch export.
        let area = p.area();
        let birth = p.birth((1986, 1996));
        p.build("周志刚".to_string(), Male, area, birth)
    };
    let quick_quitter = p.person(Male, (1996, 2002)); // X002

    // --- The workbook's 增员 sheet -------------------------------------------------------
    let mut additions: Vec<(Addition, Vec<Plant>)> = Vec::new();
    // Excel row numbers of the rows other rows refer to.
    let first_data_row = FIRST_DATA_ROW as usize + 1;
    let (twice_added_row, renamed_row, quitter_row, returning_row);
    additions.push((clean_addition(&mut p), vec![]));
    additions.push((clean_addition(&mut p), vec![]));
    {
        let (_, mut row) = planted_addition(&mut p, Male, (1985, 2000));
        row.phone = text("1381234567");
        additions.push((
            row,
            vec![plant("V015", "手机号码 `1381234567` has 10 digits")],
        ));
    }
    {
        let hire = ymd(2025, 8, 1);
        twice_added_row = first_data_row + additions.len();
        additions.push((Addition::clean(&twice_added, hire, 12_000), vec![]));
    }
    {
        let (who, mut row) = planted_addition(&mut p, Male, (1988, 1998));
        row.sex = text("女");
        row.category = text("工人");
        additions.push((
            row,
            vec![plant(
                "V008",
                format!(
                    "性别 says 女 but the ID's 17th digit `{}` is odd (male)",
                    &who.id[16..17]
                ),
            )],
        ));
    }
    additions.push((clean_addition(&mut p), vec![]));
    {
        let (who, mut row) = planted_addition(&mut p, Male, (1980, 1995));
        row.id = text(&who.id[..17]);
        additions.push((
            row,
            vec![plant(
                "V002",
                format!("证件号码 `{}` has 17 characters", &who.id[..17]),
            )],
        ));
    }
    {
        let (_, mut row) = planted_addition(&mut p, Female, (1995, 2003));
        row.base = Cell::Number(5_000.0);
        additions.push((
            row,
            vec![plant(
                "A007",
                format!("缴费基数 5000 is below the floor {FLOOR}"),
            )],
        ));
    }
    {
        let mut row = Addition::clean(&returning, ymd(2025, 8, 4), 13_500);
        row.note = text("二次入职");
        returning_row = first_data_row + additions.len();
        additions.push((row, vec![]));
    }
    {
        let (who, mut row) = loop {
            let (who, row) = planted_addition(&mut p, Male, (1985, 1995));
            if !who.id.ends_with('X') {
                break (who, row);
            }
        };
        let number = as_excel_number(&who.id);
        row.id = Cell::Number(number);
        additions.push((
            row,
            vec![plant(
                "V005",
                format!(
                    "证件号码 is a number cell {number:.0} (shows as 1.10…E+17; true ID {})",
                    who.id
                ),
            )],
        ));
    }
    {
        let (_, mut row) = planted_addition(&mut p, Female, (1985, 1998));
        row.category = Cell::Empty;
        additions.push((row, vec![plant("V018", "a woman with 个人身份 empty")]));
    }
    {
        let hire = ymd(2025, 8, 6);
        renamed_row = first_data_row + additions.len();
        additions.push((Addition::clean(&renamed_in_batch, hire, 16_000), vec![]));
    }
    {
        let (who, mut row) = planted_addition(&mut p, Female, (1984, 1996));
        let wrong = wrong_check(&who.id);
        row.id = text(&wrong);
        additions.push((
            row,
            vec![plant(
                "V003",
                format!(
                    "证件号码 `{wrong}`: check character should be `{}`",
                    &who.id[17..]
                ),
            )],
        ));
    }
    {
        let name = p.fresh_name(Male);
        let who = p.build(name, Male, "110112", ymd(2010, 3, 12));
        let mut row = Addition::clean(&who, ymd(2025, 8, 4), 7_500);
        row.category = text("工人");
        additions.push((
            row,
            vec![plant("A001", "born 2010-03-12, hired 2025-08-04: aged 15")],
        ));
    }
    {
        let (who, mut row) = planted_addition(&mut p, Male, (1986, 1990));
        let wrong = ymd(who.birth.y, (who.birth.m % 12) + 1, who.birth.d);
        row.birth = Cell::Date(wrong);
        additions.push((
            row,
            vec![plant(
                "V009",
                format!(
                    "出生日期 {:04}-{:02}-{:02} but the ID says {:04}-{:02}-{:02}",
                    wrong.y, wrong.m, wrong.d, who.birth.y, who.birth.m, who.birth.d
                ),
            )],
        ));
    }
    {
        let hire = ymd(2025, 8, 1);
        quitter_row = first_data_row + additions.len();
        additions.push((Addition::clean(&quick_quitter, hire, 9_000), vec![]));
    }
    {
        let (_, mut row) = planted_addition(&mut p, Male, (1990, 2000));
        row.base = text("面议");
        additions.push((
            row,
            vec![plant("V011", "缴费基数 is the text `面议` (negotiable)")],
        ));
    }
    additions.push((clean_addition(&mut p), vec![]));
    {
        let (who, mut row) = planted_addition(&mut p, Male, (1992, 1996));
        let body = format!("810000{}{:03}", who.birth.compact(), p.seq(Male));
        let permit = format!("{body}{}", check_char(&body));
        row.id = text(&permit);
        row.hukou = Cell::Empty;
        additions.push((
            row,
            vec![plant(
                "V006",
                format!("证件类型 居民身份证 but `{permit}` is a Hong Kong residence permit (81…, valid checksum)"),
            )],
        ));
    }
    {
        let (_, mut row) = planted_addition(&mut p, Female, (1988, 1996));
        row.hire = Cell::Date(ymd(2025, 6, 10));
        row.start = text("202506");
        row.note = text("漏报补缴");
        additions.push((
            row,
            vec![plant(
                "A004",
                "入职日期 2025-06-10 is 71 days before the as-of date",
            )
            .also("A009 (back-pay 2025-06 and 2025-07, 参保年月 202506); A011 only if the policy's retro limit is under 2 months")],
        ));
    }
    {
        let name = "阿依古丽•买买提";
        let who = p.build(name.to_string(), Female, "650102", ymd(1994, 9, 21));
        let mut row = Addition::clean(&who, ymd(2025, 8, 11), 15_000);
        row.category = text("干部");
        additions.push((
            row,
            vec![plant(
                "V014",
                "姓名 `阿依古丽•买买提` uses `•` (U+2022) where the middle dot `·` belongs",
            )],
        ));
    }
    additions.push((clean_addition(&mut p), vec![]));
    {
        let (_, mut row) = planted_addition(&mut p, Male, (1983, 1999));
        row.name = Cell::Empty;
        additions.push((row, vec![plant("V001", "姓名 is empty")]));
    }
    {
        let (_, mut row) = planted_addition(&mut p, Male, (1978, 1990));
        row.base = Cell::Number(50_000.0);
        additions.push((
            row,
            vec![plant(
                "A008",
                format!("缴费基数 50000 is above the ceiling {CEILING}"),
            )],
        ));
    }
    {
        let (_, mut row) = planted_addition(&mut p, Male, (1975, 1976));
        let birth = ymd(1975, 4, 8);
        let seq = p.seq(Male);
        let legacy = id15("110102", birth, seq);
        row.id = text(&legacy);
        row.birth = Cell::Date(birth);
        row.sex = text("男");
        row.hukou = text("本市城镇");
        additions.push((
            row,
            vec![plant(
                "V007",
                format!(
                    "证件号码 `{legacy}` is a valid legacy 15-digit ID (18-digit form `{}`)",
                    id18("110102", birth, seq)
                ),
            )],
        ));
    }
    {
        let (who, mut row) = planted_addition(&mut p, Female, (1989, 1999));
        row.name = text(format!(" {} ", who.name));
        additions.push((
            row,
            vec![plant(
                "V019",
                format!(
                    "姓名 `\" {} \"` has a leading and a trailing space",
                    who.name
                ),
            )],
        ));
    }
    additions.push((clean_addition(&mut p), vec![]));
    {
        let (_, mut row) = planted_addition(&mut p, Male, (1990, 1990));
        let body = format!("11010519900231{:03}", p.seq(Male));
        let bad_date = format!("{body}{}", check_char(&body));
        row.id = text(&bad_date);
        row.birth = Cell::Empty;
        row.hukou = text("本市城镇");
        additions.push((
            row,
            vec![plant(
                "V004",
                format!("证件号码 `{bad_date}` holds the birth date 1990-02-31 (check character right for that body)"),
            )],
        ));
    }
    {
        let name = p.fresh_name(Male);
        let who = p.build(name, Male, "130102", ymd(1963, 6, 25));
        let mut row = Addition::clean(&who, ymd(2025, 8, 1), 12_000);
        row.category = text("工人");
        additions.push((
            row,
            vec![plant(
                "A003",
                "a man born 1963-06-25: past his statutory retirement age (60, reached 2023-06)",
            )],
        ));
    }
    {
        let (_, mut row) = planted_addition(&mut p, Female, (1990, 2000));
        row.hire = text("2025-13-01");
        additions.push((
            row,
            vec![plant(
                "V010",
                "入职日期 is the text cell `2025-13-01` (month 13)",
            )],
        ));
    }
    additions.push((clean_addition(&mut p), vec![]));
    additions.push((clean_addition(&mut p), vec![]));

    // --- The workbook's 减员 sheet -------------------------------------------------------
    let not_enrolled = p.person(Female, (1990, 2000));
    let reductions = vec![
        Some((
            Reduction::new(&leaver_resign, ymd(2025, 8, 8), "202509", "辞职"),
            vec![],
        )),
        Some((
            Reduction::new(&leaver_bad_reason, ymd(2025, 8, 12), "202509", "不想干了"),
            vec![plant("V013", "减员原因 `不想干了` is not a known reason")],
        )),
        Some((
            Reduction::new(
                &leaver_contract,
                ymd(2025, 8, 15),
                "202509",
                "劳动合同期满终止",
            ),
            vec![],
        )),
        Some((
            Reduction::new(&not_enrolled, ymd(2025, 8, 11), "202509", "辞职"),
            vec![plant("R001", "the person is not on the roster")],
        )),
        None,
        None,
        Some((
            Reduction::new(&retiree, ymd(2025, 8, 6), "202509", "退休").note("办理退休"),
            vec![],
        )),
        Some((
            Reduction {
                name: "林小燕".to_string(),
                ..Reduction::new(&renamed, ymd(2025, 8, 13), "202509", "协商解除劳动合同")
            },
            vec![plant(
                "R007",
                "姓名 林小燕, but the roster has 林晓燕 for this ID",
            )],
        )),
        Some((
            Reduction::new(
                &leaver_mutual,
                ymd(2025, 8, 14),
                "202508",
                "协商解除劳动合同",
            ),
            vec![],
        )),
        Some((
            Reduction::new(&leaver_july, ymd(2025, 7, 31), "202510", "辞职").note("7月漏报"),
            vec![plant(
                "R005",
                "left 2025-07-31 but 停缴年月 is 202510 (neither 202507 nor 202508)",
            )
            .also("R003 (202510 is after 202509, the month after the period); R006 (reported 20 days after leaving)")],
        )),
        Some((
            Reduction::new(&leaver_late, ymd(2025, 8, 15), "202509", "辞职"),
            vec![],
        )),
    ];

    // --- The branch office's CSV -------------------------------------------------------
    let mut branch: Vec<(BranchRow, Vec<Plant>)> = Vec::new();
    {
        let who = branch_person(&mut p, Male);
        branch.push((
            BranchRow::addition(&who, ymd(2025, 8, 4).slash(), "12,500.00"),
            vec![],
        ));
    }
    branch.push((
        BranchRow::addition(&twice_added, ymd(2025, 8, 1).compact(), "12000"),
        vec![plant(
            "X001",
            format!(
                "{} is added again (also {XLSX_FILE} 增员 row {twice_added_row})",
                twice_added.name
            ),
        )],
    ));
    {
        let who = branch_person(&mut p, Female);
        let mut row = BranchRow::addition(&who, ymd(2025, 8, 5).chinese(), "8800");
        row.id = full_width(&who.id);
        branch.push((
            row,
            vec![plant(
                "V019",
                format!(
                    "身份证号 typed in full-width digits (`{}`)",
                    full_width(&who.id)
                ),
            )],
        ));
    }
    branch.push((
        BranchRow::reduction(&branch_leaver_a, ymd(2025, 8, 8).slash(), "28|辞职"),
        vec![],
    ));
    branch.push((
        BranchRow::addition(&already_active, ymd(2025, 8, 6).slash(), "21000"),
        vec![plant(
            "A006",
            "the roster already lists this person as active (参保)",
        )],
    ));
    {
        let mut row = BranchRow::addition(&adjusted, String::new(), "16000");
        row.change = "调整".to_string();
        branch.push((
            row,
            vec![plant(
                "V012",
                "变动类型 `调整` (a base adjustment) is not an addition or a reduction",
            )],
        ));
    }
    {
        let who = branch_person(&mut p, Male);
        branch.push((
            BranchRow::addition(&who, "8月4日".to_string(), "9500"),
            vec![plant("V010", "入职日期 `8月4日` has no year")],
        ));
    }
    {
        let who = branch_person(&mut p, Female);
        branch.push((
            BranchRow::addition(&who, ymd(2025, 8, 11).chinese(), "9800"),
            vec![],
        ));
    }
    {
        let row = BranchRow {
            name: "周智刚".to_string(),
            ..BranchRow::addition(&renamed_in_batch, ymd(2025, 8, 6).compact(), "16000")
        };
        branch.push((
            row,
            vec![plant(
                "X003",
                format!("this ID is 周志刚 in {XLSX_FILE} 增员 row {renamed_row}, 周智刚 here"),
            )
            .also("X001 (the same ID added twice)")],
        ));
    }
    {
        let mut who = branch_person(&mut p, Male);
        who.name = "Zhang San".to_string();
        branch.push((
            BranchRow::addition(&who, ymd(2025, 8, 7).slash(), "11000"),
            vec![plant(
                "V014",
                "姓名 `Zhang San` in Latin letters on a resident ID",
            )],
        ));
    }
    branch.push((
        BranchRow::reduction(&quick_quitter, ymd(2025, 8, 15).chinese(), "28|辞职"),
        vec![plant(
            "X002",
            format!(
                "{} is reduced here and added in {XLSX_FILE} 增员 row {quitter_row}",
                quick_quitter.name
            ),
        )
        .also("R001 unless additions in the same batch count as enrolled")],
    ));
    {
        let who = branch_person(&mut p, Female);
        branch.push((
            BranchRow::addition(&who, ymd(2025, 8, 12).compact(), "0"),
            vec![plant("V011", "缴费基数 is 0")],
        ));
    }
    {
        let who = branch_person(&mut p, Male);
        branch.push((
            BranchRow::addition(&who, ymd(2025, 9, 1).slash(), "10500"),
            vec![plant("A013", "入职日期 2025/9/1 is after the as-of date")
                .also("A010 (参保年月 defaults to the hire month 202509, after the period)")],
        ));
    }
    branch.push((
        BranchRow::reduction(&branch_leaver_b, ymd(2025, 8, 12).compact(), "29|解雇"),
        vec![],
    ));
    {
        let who = branch_person(&mut p, Female);
        branch.push((
            BranchRow::addition(&who, ymd(2025, 8, 5).compact(), "8200"),
            vec![],
        ));
    }

    roster.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));

    Scenario {
        returning_row,
        additions,
        reductions,
        branch,
        roster,
    }
}

// ---------------------------------------------------------------------------------------
// Writers
// ---------------------------------------------------------------------------------------

const INSTRUCTIONS: [&str; 9] = [
    "填表说明",
    "一、本工作簿用于北京云杉科技有限公司（统一社会信用代码 91110000600037341L）2025年8月社会保险增减员申报。",
    "二、“增员”与“减员”两张工作表的第3行为列名，请从第4行起逐行填写，不要修改列名、插入列或合并单元格。",
    "三、带*的列必须填写；证件号码一列请先设置为文本格式再录入，否则18位号码会被显示为科学计数法并丢失末尾数字。",
    "四、日期按“年-月-日”填写（例如 2025-08-04）；参保年月、停缴年月按六位数字填写（例如 202508）。",
    "五、缴费基数填写月度申报工资（元），超出当年上下限的由经办机构按上下限核定。",
    "六、女职工须填写个人身份（工人或干部），用于确定退休年龄。",
    "七、减员原因可选：辞职、协商解除劳动合同、解除劳动合同、劳动合同期满终止、退休、死亡、转出、参军、出国（境）定居、单位注销、其他。",
    "八、提交前请核对人数与合计行，确认无误后上传。",
];

struct Formats {
    title: Format,
    notes: Format,
    header: Format,
    date: Format,
    money: Format,
    general: Format,
    text: Format,
    total: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            notes: Format::new().set_font_color(Color::Red),
            header: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0x00DD_EBF7)),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            money: Format::new().set_num_format("#,##0.00"),
            general: Format::new(),
            text: Format::new().set_num_format("@"),
            total: Format::new().set_bold().set_num_format("#,##0.00"),
        }
    }
}

/// Title (merged), notes line (merged), header row; returns the first data row (0-based).
fn sheet_frame(
    ws: &mut Worksheet,
    title: &str,
    header: &[&str],
    widths: &[f64],
    f: &Formats,
) -> Result<u32> {
    let last = (header.len() - 1) as u16;
    ws.merge_range(0, 0, 0, last, title, &f.title)?;
    ws.set_row_height(0, 30)?;
    ws.merge_range(
        1,
        0,
        1,
        last,
        "带*为必填项；证件号码请以文本格式填写",
        &f.notes,
    )?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &f.header)?;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(FIRST_DATA_ROW, 0)?;
    Ok(FIRST_DATA_ROW)
}

/// Writes one cell; `text` and `number` are the formats for text and number cells.
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    (text, number): (&Format, &Format),
    f: &Formats,
) -> Result<()> {
    match cell {
        Cell::Empty => {}
        Cell::Text(s) => {
            ws.write_string_with_format(row, col, s, text)?;
        }
        Cell::Number(n) => {
            ws.write_number_with_format(row, col, *n, number)?;
        }
        Cell::Date(d) => {
            ws.write_datetime_with_format(row, col, &d.excel()?, &f.date)?;
        }
    }
    Ok(())
}

fn record(
    findings: &mut Vec<Finding>,
    file: &'static str,
    sheet: &'static str,
    row: usize,
    plants: &[Plant],
) {
    for pl in plants {
        findings.push(Finding {
            file,
            sheet,
            row: row.to_string(),
            code: pl.code,
            what: pl.what.clone(),
            also: pl.also.clone(),
        });
    }
}

fn write_workbook(path: &Path, s: &Scenario, findings: &mut Vec<Finding>) -> Result<()> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 8, 1)?;
    let props = DocProperties::new()
        .set_title("2025年8月 社会保险增减员申报表")
        .set_author("人力资源部")
        .set_company(EMPLOYER_NAME)
        .set_creation_datetime(&created);
    wb.set_properties(&props);

    {
        let ws = wb.add_worksheet();
        ws.set_name("填表说明")?;
        ws.set_column_width(0, 110)?;
        for (i, line) in INSTRUCTIONS.iter().enumerate() {
            if i == 0 {
                ws.write_string_with_format(0, 0, *line, &f.title)?;
            } else {
                ws.write_string(i as u32, 0, *line)?;
            }
        }
    }

    {
        let ws = wb.add_worksheet();
        ws.set_name("增员")?;
        let first = sheet_frame(
            ws,
            "2025年8月 社会保险增员申报表",
            &ADD_HEADER,
            &ADD_WIDTHS,
            &f,
        )?;
        let mut total = 0.0;
        let mut row = first;
        for (i, (add, plants)) in s.additions.iter().enumerate() {
            ws.write_number(row, 0, (i + 1) as f64)?;
            for (c, cell) in add.cells().into_iter().enumerate() {
                let col = c as u16 + 1;
                // ID numbers are text cells formatted as text; the planted number
                // cell keeps the General format, as when a number is typed into it.
                let formats = if col == ADD_ID_COL {
                    (&f.text, &f.general)
                } else {
                    (&f.general, &f.money)
                };
                write_cell(ws, row, col, cell, formats, &f)?;
            }
            if let Cell::Number(n) = add.base {
                total += n;
            }
            record(findings, XLSX_FILE, "增员", row as usize + 1, plants);
            row += 1;
        }
        ws.write_string_with_format(row, ADD_NAME_COL, "合计", &f.header)?;
        ws.write_number_with_format(row, ADD_BASE_COL, total, &f.total)?;
    }

    {
        let ws = wb.add_worksheet();
        ws.set_name("减员")?;
        let first = sheet_frame(
            ws,
            "2025年8月 社会保险减员申报表",
            &RED_HEADER,
            &RED_WIDTHS,
            &f,
        )?;
        let mut n = 0;
        // A `None` leaves its row fully blank.
        for (row, item) in (first..).zip(&s.reductions) {
            if let Some((red, plants)) = item {
                n += 1;
                ws.write_number(row, 0, f64::from(n))?;
                ws.write_string(row, 1, &red.name)?;
                ws.write_string(row, 2, "居民身份证")?;
                ws.write_string_with_format(row, RED_ID_COL, &red.id, &f.text)?;
                ws.write_datetime_with_format(row, 4, &red.leave.excel()?, &f.date)?;
                ws.write_string(row, 5, &red.stop)?;
                ws.write_string(row, 6, &red.reason)?;
                if !red.note.is_empty() {
                    ws.write_string(row, 7, &red.note)?;
                }
                record(findings, XLSX_FILE, "减员", row as usize + 1, plants);
            }
        }
    }

    wb.save(path)?;
    Ok(())
}

fn write_branch_csv(path: &Path, s: &Scenario, findings: &mut Vec<Finding>) -> Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // A spreadsheet export pads the title line to the width of the table.
    let mut title = vec![BRANCH_TITLE];
    title.resize(BRANCH_HEADER.len(), "");
    w.write_record(&title)?;
    w.write_record(BRANCH_HEADER)?;
    for (i, (row, plants)) in s.branch.iter().enumerate() {
        w.write_record(row.record())?;
        record(findings, CSV_FILE, "", BRANCH_FIRST_LINE + i, plants);
    }
    let utf8 = String::from_utf8(w.into_inner().map_err(|e| e.to_string())?)?;
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&utf8);
    if unmappable {
        return Err("the branch CSV holds a character GBK cannot encode".into());
    }
    fs::write(path, &bytes)?;
    Ok(())
}

fn write_roster(path: &Path, s: &Scenario) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(ROSTER_HEADER)?;
    for r in &s.roster {
        let base = format!("{}.00", r.base);
        let (status, stop) = match &r.stopped {
            Some(stop) => ("停保", stop.as_str()),
            None => ("参保", ""),
        };
        w.write_record([
            r.name.as_str(),
            "居民身份证",
            &r.id,
            r.category,
            &r.start,
            &base,
            status,
            stop,
        ])?;
    }
    fs::write(path, w.into_inner().map_err(|e| e.to_string())?)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// README
// ---------------------------------------------------------------------------------------

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn write_readme(path: &Path, s: &Scenario, findings: &[Finding]) -> Result<()> {
    let adds_xlsx = s.additions.len();
    let reds_xlsx = s.reductions.iter().flatten().count();
    let branch_adds = s
        .branch
        .iter()
        .filter(|(r, _)| r.change == "11|增员")
        .count();
    let branch_reds = s
        .branch
        .iter()
        .filter(|(r, _)| r.change == "12|减员")
        .count();
    let branch_other = s.branch.len() - branch_adds - branch_reds;
    let rows = adds_xlsx + reds_xlsx + s.branch.len();
    let clean = s.additions.iter().filter(|(_, p)| p.is_empty()).count()
        + s.reductions
            .iter()
            .flatten()
            .filter(|(_, p)| p.is_empty())
            .count()
        + s.branch.iter().filter(|(_, p)| p.is_empty()).count();
    let clean_pct = (clean * 100 + rows / 2) / rows;
    let active = s.roster.iter().filter(|r| r.stopped.is_none()).count();
    let stopped = s.roster.len() - active;
    let first = FIRST_DATA_ROW as usize + 1;
    let total_row = first + adds_xlsx;
    let blank_rows: Vec<String> = s
        .reductions
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_none())
        .map(|(i, _)| (first + i).to_string())
        .collect();
    let blank_rows = blank_rows.join(" and ");
    let returning_row = s.returning_row;

    let mut md = String::new();
    writeln!(
        md,
        "# Sample month: {EMPLOYER_NAME}, August 2025

Generated by `examples/make_samples.rs`; do not edit these files by hand. Regenerate with

```sh
cargo run --example make_samples
```

and check them with

```sh
headcount run --region {REGION} --period {PERIOD} --as-of {AS_OF} \\
    --employer {EMPLOYER_CODE} --roster samples/{ROSTER_FILE} \\
    samples/{XLSX_FILE} samples/{CSV_FILE}
```

The workbook is given before the CSV, so for cross-row findings (X…) the CSV row is the
later one. The employer code `{EMPLOYER_CODE}` is valid (GB 32100 check and embedded
GB 11714 check); none of the files carries an employer column.

## The scenario

| | |
| --- | --- |
| employer | {EMPLOYER_NAME}, `{EMPLOYER_CODE}`, region `{REGION}` |
| declared period | {PERIOD} |
| as-of (processing) date | {AS_OF} |
| rows | {rows}: {} additions, {} reductions, {branch_other} row with an unknown change type |
| rows without a planted finding | {clean} of {rows} |
| roster | {} people: {active} active (参保), {stopped} stopped (停保) |

Every row that is not listed below is meant to be clean: valid 18-digit resident IDs from
real area codes (Beijing 1101xx and a few other provinces), 性别 and 出生日期 matching the
ID, 个人身份 filled for every woman, hire dates 2025-08-01 ..= 2025-08-15 (within 30 days of
the as-of date and in the declared month, so no back-pay), 参保年月 = hire month, bases
inside {FLOOR} ..= {CEILING}, and 11-digit mobile numbers. Clean reductions left between
2025-08-06 and 2025-08-15 (no more than 15 days before the as-of date), name a known reason,
and stop in the leaving month or the month after it. One clean addition (增员 row {returning_row}, note
`二次入职`) is a roster member stopped in 2025-07 who comes back: a one-month gap, too short
for A012.

The clean share (about {clean_pct}%) is lower than a real month's: each planted finding has
a row of its own, so that a test can match findings to rows one to one, and the month was
kept near 40 additions and 12 reductions. A 70% clean share with these plants would need
about three times as many rows.

## Files

### `{XLSX_FILE}`

Laid out like a portal template. Sheet `填表说明` holds instructions only (no header, so it
is skipped). Sheets `增员` and `减员` each have a merged title in row 1, a notes line in
row 2, the header in row 3 and data from row 4. The ID column is formatted as text and
every ID is a text cell except one planted number cell; dates are Excel date cells shown
as `yyyy-mm-dd` (except one planted text cell); 参保年月 and 停缴年月 are text such as
`202508`; bases are number cells. `增员` ends with a totals row (row {total_row}: 姓名 `合计`,
缴费基数 the sum of the numeric bases), and `减员` has two fully blank rows (rows {blank_rows}).
Both should be skipped without a finding (the blank rows counted as skipped).

The workbook's creation date is fixed to 2025-08-01T00:00:00Z through its document
properties, and rust_xlsxwriter stamps every zip entry with the same fixed date, so the
file is byte-identical from run to run. A different rust_xlsxwriter version may still
write different bytes.

### `{CSV_FILE}`

The branch office's HR export: **GBK**, no BOM, CRLF line ends. Line 1 is the title
`{BRANCH_TITLE}` padded with empty fields to the table width (as a spreadsheet export
writes it), line 2 the header, data from line 3. Additions and reductions share the sheet;
`变动类型` holds `11|增员` / `12|减员`. Dates are text in mixed forms (`2025/8/4`,
`2025年8月11日`, `20250801`), one base has a thousands separator (`12,500.00`, quoted),
reasons are coded (`28|辞职`, `29|解雇`), and there are no 参保年月 or 停缴年月 columns, so
the defaults apply. The `row` numbers below are line numbers.

### `{ROSTER_FILE}`

UTF-8 (no BOM), LF line ends, sorted by 参保年月. Start months run from 2015 to 2025-07;
bases are the ones last declared, so a few lie outside this year's floor and ceiling
(the period's floor and ceiling apply to them). Everyone the reductions remove is here as
active, except the planted R001 and X002 people.

## Planted findings

`row` is the row number as Excel shows it (for the CSV, the line number).
\"Also expected\" lists findings the planted value cannot avoid triggering as well.

| file | sheet | row | code | what is wrong | also expected |
| --- | --- | --- | --- | --- | --- |",
        adds_xlsx + branch_adds,
        reds_xlsx + branch_reds,
        s.roster.len(),
    )?;
    for f in findings {
        writeln!(
            md,
            "| `{}` | {} | {} | {} | {} | {} |",
            f.file,
            if f.sheet.is_empty() { "—" } else { f.sheet },
            f.row,
            f.code,
            md_cell(&f.what),
            md_cell(&f.also),
        )?;
    }
    writeln!(
        md,
        "
Findings about whole sheets and the run, not planted in a row:

| file | sheet | code | why |
| --- | --- | --- | --- |
| `{XLSX_FILE}` | 填表说明 | H004 | instructions only, no header row |
| `{XLSX_FILE}` | 增员 | H005 | columns `序号` and `备注` are not recognised (header row 3) |
| `{XLSX_FILE}` | 减员 | H005 | columns `序号` and `备注` are not recognised (header row 3) |
| — | — | P001 | Beijing's 2025-07 floor and ceiling are third-party figures, so the policy may flag them |

Things that must **not** produce a finding: the merged title and notes rows above each
header, the `合计` row, the blank rows in `减员`, the padded title line of the CSV, the coded
`code|label` cells, the quoted `12,500.00`, the mixed date forms, IDs ending in `X`, and the
roster bases outside this year's limits."
    )?;
    fs::write(path, md)?;
    Ok(())
}

fn main() -> Result<()> {
    let out = Path::new(OUT_DIR);
    fs::create_dir_all(out)?;
    let s = scenario();
    let mut findings = Vec::new();
    write_workbook(&out.join(XLSX_FILE), &s, &mut findings)?;
    write_branch_csv(&out.join(CSV_FILE), &s, &mut findings)?;
    write_roster(&out.join(ROSTER_FILE), &s)?;
    write_readme(&out.join("README.md"), &s, &findings)?;
    println!(
        "wrote {XLSX_FILE}, {CSV_FILE}, {ROSTER_FILE} and README.md to {OUT_DIR}/ ({} planted findings)",
        findings.len()
    );
    Ok(())
}
