//! The words and codes HR exports use for change types, reasons, document types, sex,
//! categories and roster status.
//!
//! The lists are data (`data/*.toml`, each entry with its source; see docs/code-lists.md),
//! loaded by [`CodeLists`], which also layers a user's `[codes]` table, and compiled once
//! per run into a [`Vocab`] for the run's region. A cell is read in one of four forms: a
//! label (`辞职`), `code|label` (`28|辞职`), `code label` (`6301 在职人员解除/终止劳动合同`),
//! or a bare code (`S317`). Matching ignores spaces and Latin case and treats full-width
//! ASCII as ASCII.
//!
//! Labels mean the same everywhere. Codes do not (sex `1` is female in Guangdong's template
//! and male in GB/T 2261.1), so each code belongs to a dictionary: national ones are read
//! everywhere, regional ones where the run's region code starts with one of theirs (the
//! more specific wins). Without a region, a code is read when all dictionaries that define
//! it agree. In a `code|label` cell the label decides, and a code that no dictionary pairs
//! with that meaning (`11|减员`) makes the cell unreadable rather than guessed.

mod load;
pub mod render;
mod suggest;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use load::{CodeLists, CodesError, Dict, Entry, List};

use super::text::{is_trim, map_char, split_code_label};
use crate::ids::DocType;
use crate::model::{Category, ChangeKind, Hukou, MedicalTier, Reason, RosterStatus, Sex};

/// A canonical value a list maps to, named in the data by a stable id.
pub trait Meaning: Copy + PartialEq + Sized {
    fn from_id(id: &str) -> Option<Self>;
    fn ids() -> Vec<&'static str>;
}

impl Meaning for ChangeKind {
    fn from_id(id: &str) -> Option<Self> {
        ChangeKind::ALL.into_iter().find(|k| k.id() == id)
    }
    fn ids() -> Vec<&'static str> {
        ChangeKind::ALL.iter().map(|k| k.id()).collect()
    }
}

impl Meaning for Reason {
    fn from_id(id: &str) -> Option<Self> {
        Reason::ALL
            .into_iter()
            .chain(Reason::ADDITION)
            .find(|r| r.id() == id)
    }
    fn ids() -> Vec<&'static str> {
        Reason::ALL
            .iter()
            .chain(Reason::ADDITION.iter())
            .map(|r| r.id())
            .collect()
    }
}

impl Meaning for DocType {
    fn from_id(id: &str) -> Option<Self> {
        DocType::ALL.into_iter().find(|d| d.code() == id)
    }
    fn ids() -> Vec<&'static str> {
        DocType::ALL.iter().map(|d| d.code()).collect()
    }
}

impl Meaning for Sex {
    fn from_id(id: &str) -> Option<Self> {
        match id {
            "MALE" => Some(Sex::Male),
            "FEMALE" => Some(Sex::Female),
            _ => None,
        }
    }
    fn ids() -> Vec<&'static str> {
        vec!["MALE", "FEMALE"]
    }
}

impl Meaning for Category {
    fn from_id(id: &str) -> Option<Self> {
        match id {
            "WORKER" => Some(Category::Worker),
            "CADRE" => Some(Category::Cadre),
            _ => None,
        }
    }
    fn ids() -> Vec<&'static str> {
        vec!["WORKER", "CADRE"]
    }
}

impl Meaning for RosterStatus {
    fn from_id(id: &str) -> Option<Self> {
        match id {
            "ACTIVE" => Some(RosterStatus::Active),
            "STOPPED" => Some(RosterStatus::Stopped),
            _ => None,
        }
    }
    fn ids() -> Vec<&'static str> {
        vec!["ACTIVE", "STOPPED"]
    }
}

impl Meaning for Hukou {
    fn from_id(id: &str) -> Option<Self> {
        Hukou::ALL.into_iter().find(|h| h.id() == id)
    }
    fn ids() -> Vec<&'static str> {
        Hukou::ALL.iter().map(|h| h.id()).collect()
    }
}

impl Meaning for MedicalTier {
    fn from_id(id: &str) -> Option<Self> {
        MedicalTier::ALL.into_iter().find(|t| t.id() == id)
    }
    fn ids() -> Vec<&'static str> {
        MedicalTier::ALL.iter().map(|t| t.id()).collect()
    }
}

pub(crate) fn valid_means(list: List, id: &str) -> bool {
    known_means(list).contains(&id)
}

pub(crate) fn known_means(list: List) -> Vec<&'static str> {
    match list {
        List::Change => ChangeKind::ids(),
        List::Reason => Reason::ids(),
        List::DocType => DocType::ids(),
        List::Sex => Sex::ids(),
        List::Category => Category::ids(),
        List::Status => RosterStatus::ids(),
        List::Hukou => Hukou::ids(),
        List::MedicalTier => MedicalTier::ids(),
    }
}

/// Every list compiled for one region: look-ups by label and by code, built once.
pub struct Vocab {
    change: Table<ChangeKind>,
    reason: Table<Reason>,
    doc_type: Table<DocType>,
    sex: Table<Sex>,
    category: Table<Category>,
    status: Table<RosterStatus>,
    hukou: Table<Hukou>,
    medical_tier: Table<MedicalTier>,
}

impl Vocab {
    /// Compiles `lists` for the region whose 6-digit division code is `region` (`None`:
    /// no region given).
    pub fn new(lists: &CodeLists, region: Option<&str>) -> Vocab {
        Vocab {
            change: Table::new(lists, List::Change, region),
            reason: Table::new(lists, List::Reason, region),
            doc_type: Table::new(lists, List::DocType, region),
            sex: Table::new(lists, List::Sex, region),
            category: Table::new(lists, List::Category, region),
            status: Table::new(lists, List::Status, region),
            hukou: Table::new(lists, List::Hukou, region),
            medical_tier: Table::new(lists, List::MedicalTier, region),
        }
    }

    /// The embedded lists without a region.
    pub fn embedded() -> &'static Vocab {
        static V: OnceLock<Vocab> = OnceLock::new();
        V.get_or_init(|| Vocab::new(embedded_lists(), None))
    }

    /// 增员, 减员 or 信息变更.
    pub fn change_kind(&self, s: &str) -> Option<ChangeKind> {
        self.change.parse(s)
    }

    /// A canonical reduction reason; `Reason::Other` for a real reason without a rule
    /// consequence.
    pub fn reason(&self, s: &str) -> Option<Reason> {
        self.reason.parse(s)
    }

    pub fn doc_type(&self, s: &str) -> Option<DocType> {
        self.doc_type.parse(s)
    }

    pub fn sex(&self, s: &str) -> Option<Sex> {
        self.sex.parse(s)
    }

    pub fn category(&self, s: &str) -> Option<Category> {
        self.category.parse(s)
    }

    pub fn roster_status(&self, s: &str) -> Option<RosterStatus> {
        self.status.parse(s)
    }

    pub fn hukou(&self, s: &str) -> Option<Hukou> {
        self.hukou.parse(s)
    }

    pub fn medical_tier(&self, s: &str) -> Option<MedicalTier> {
        self.medical_tier.parse(s)
    }

    /// Up to `n` known reasons closest to `text`, as a person would write them, for V013;
    /// none for an empty cell or one that shares too little with any.
    pub fn closest_reasons(&self, text: &str, n: usize) -> Vec<String> {
        suggest::closest(text, &self.reason.shown, n)
    }
}

/// The embedded lists, read once. They are checked by tests, so an error cannot reach a
/// user; should it happen all the same, the lists are empty and every cell is reported.
pub fn embedded_lists() -> &'static CodeLists {
    static L: OnceLock<CodeLists> = OnceLock::new();
    L.get_or_init(|| CodeLists::embedded().unwrap_or_default())
}

/// 增员 or 减员, with the embedded lists and no region.
pub fn change_kind(s: &str) -> Option<ChangeKind> {
    Vocab::embedded().change_kind(s)
}

pub fn reason(s: &str) -> Option<Reason> {
    Vocab::embedded().reason(s)
}

pub fn doc_type(s: &str) -> Option<DocType> {
    Vocab::embedded().doc_type(s)
}

pub fn sex(s: &str) -> Option<Sex> {
    Vocab::embedded().sex(s)
}

pub fn category(s: &str) -> Option<Category> {
    Vocab::embedded().category(s)
}

pub fn roster_status(s: &str) -> Option<RosterStatus> {
    Vocab::embedded().roster_status(s)
}

/// Fx-hashed: the keys are short words looked up once per cell.
type Map<V> = HashMap<Box<str>, V, crate::fxhash::FxBuild>;

/// One list compiled: keys are in `Key` form.
struct Table<T> {
    labels: Map<T>,
    /// Codes read when written alone.
    alone: Map<T>,
    /// Codes read beside a label the lists do not know (`11|增员(新)`, `12|`).
    paired: Map<T>,
    /// The same two by code without leading zeros (`1` for `01`), tried second:
    /// spreadsheets drop them.
    alone_z: Map<T>,
    paired_z: Map<T>,
    /// Every meaning any dictionary gives a code, to reject `11|减员`.
    meanings: Map<Vec<T>>,
    /// Labels as written and `code label` forms, with their key, for suggestions.
    shown: Vec<(String, String)>,
}

impl<T: Meaning> Table<T> {
    fn new(lists: &CodeLists, list: List, region: Option<&str>) -> Table<T> {
        let mut t = Table {
            labels: Map::default(),
            alone: Map::default(),
            paired: Map::default(),
            alone_z: Map::default(),
            paired_z: Map::default(),
            meanings: Map::default(),
            shown: Vec::new(),
        };
        let mut coded: Vec<Coded<T>> = Vec::new();
        for (i, e) in lists.of(list).enumerate() {
            let Some(value) = T::from_id(&e.means) else {
                continue;
            };
            for label in &e.labels {
                if let Some(k) = Key::new(label) {
                    t.labels.insert(k.as_str().into(), value);
                    t.shown.push((label.clone(), k.as_str().to_string()));
                }
            }
            let Some(code) = &e.code else { continue };
            let Some(key) = code_key(code) else { continue };
            let dict = lists.dicts.iter().find(|d| d.name == e.dict);
            let priority = dict.and_then(|d| priority(d, region));
            // A code is suggested with its label and where it is used: `S317 本人意愿中断就业（深圳）`.
            let place = dict
                .filter(|d| !d.regions.is_empty())
                .map_or(String::new(), |d| format!("（{}）", d.title));
            let first = e.labels.first().map_or("", String::as_str);
            let shown = format!("{code} {first}").trim().to_string() + &place;
            t.shown.push((shown, key.clone()));
            coded.push((
                strip_zeros(&key).to_string(),
                false,
                priority,
                i,
                e.alone,
                value,
            ));
            coded.push((key, true, priority, i, e.alone, value));
        }
        for (key, _, _, _, _, v) in &coded {
            let m = t.meanings.entry(key.as_str().into()).or_default();
            if !m.contains(v) {
                m.push(*v);
            }
        }
        let mut keys: Vec<(bool, &str)> = coded.iter().map(|c| (c.1, c.0.as_str())).collect();
        keys.sort_unstable();
        keys.dedup();
        for (exact, key) in keys {
            let all: Vec<&Coded<T>> = coded
                .iter()
                .filter(|c| c.1 == exact && c.0 == key)
                .collect();
            let Some((value, alone)) = resolve(&all, region.is_some()) else {
                continue;
            };
            let [a, p] = if exact {
                [&mut t.alone, &mut t.paired]
            } else {
                [&mut t.alone_z, &mut t.paired_z]
            };
            if alone {
                a.insert(key.into(), value);
            }
            p.insert(key.into(), value);
        }
        t
    }

    fn parse(&self, s: &str) -> Option<T> {
        // Most cells are written exactly as a label.
        if let Some(v) = self.labels.get(s) {
            return Some(*v);
        }
        if let Some((code, label)) = split_code_label(s) {
            return self.pair(code, label);
        }
        if let Some((code, label)) = split_code_space(s) {
            if let Some(v) = self.pair(code, label) {
                return Some(v);
            }
        }
        let key = Key::new(s)?;
        if let Some(v) = self.labels.get(key.as_str()) {
            return Some(*v);
        }
        let key = key.as_str();
        self.alone
            .get(key)
            .or_else(|| self.alone_z.get(strip_zeros(key)))
            .copied()
    }

    /// A code beside a label: the label decides, unless no dictionary gives the code that
    /// meaning; an unknown or empty label leaves it to the code.
    fn pair(&self, code: &str, label: &str) -> Option<T> {
        let code = Key::new(code)?;
        let label = if label.is_empty() {
            None
        } else {
            Key::new(label).and_then(|k| self.labels.get(k.as_str()).copied())
        };
        let exact = self.meanings.get(code.as_str());
        let known = exact.or_else(|| self.meanings.get(strip_zeros(code.as_str())));
        match label {
            Some(v) => match known {
                Some(m) if !m.contains(&v) => None,
                _ => Some(v),
            },
            None if code.as_str().is_empty() => None,
            None => self
                .paired
                .get(code.as_str())
                .or_else(|| self.paired_z.get(strip_zeros(code.as_str())))
                .copied(),
        }
    }
}

/// A code as one entry gives it: (key, exact or with leading zeros stripped, dictionary
/// priority or `None` when the dictionary is not in force, entry index, readable alone,
/// meaning).
type Coded<T> = (String, bool, Option<usize>, usize, bool, T);

/// What a code means for the run, and whether it may stand alone. With a region, the most
/// specific dictionary in force decides (later entries win within one). Without one,
/// national dictionaries decide, and a code only regional ones define is read when they all
/// agree.
fn resolve<T: Copy + PartialEq>(tier: &[&Coded<T>], has_region: bool) -> Option<(T, bool)> {
    if has_region {
        let best = tier
            .iter()
            .filter(|c| c.2.is_some())
            .max_by_key(|c| (c.2, c.3))?;
        return Some((best.5, best.4));
    }
    if let Some(best) = tier.iter().filter(|c| c.2 == Some(0)).max_by_key(|c| c.3) {
        return Some((best.5, best.4));
    }
    let first = tier.first()?.5;
    tier.iter()
        .all(|c| c.5 == first)
        .then(|| (first, tier.iter().any(|c| c.4)))
}

/// How strongly a dictionary applies to the region: national ones weakest, the longest
/// matching region prefix strongest; `None` when it does not apply.
fn priority(d: &Dict, region: Option<&str>) -> Option<usize> {
    if d.regions.is_empty() {
        return Some(0);
    }
    let region = region?;
    d.regions
        .iter()
        .filter(|p| region.starts_with(p.as_str()))
        .map(String::len)
        .max()
}

/// A code in key form; `None` when too long to be one.
fn code_key(code: &str) -> Option<String> {
    Key::new(code).map(|k| k.as_str().to_string())
}

/// `01` and `1` alike, since spreadsheets drop leading zeros.
fn strip_zeros(key: &str) -> &str {
    if !key.bytes().all(|b| b.is_ascii_digit()) {
        return key;
    }
    let s = key.trim_start_matches('0');
    if s.is_empty() && !key.is_empty() {
        "0"
    } else {
        s
    }
}

/// `6301 在职人员…`, `01 城镇职工`: a code (up to two letters, then digits) and a label
/// after white space.
fn split_code_space(s: &str) -> Option<(&str, &str)> {
    let i = s.find(is_trim)?;
    let (code, rest) = (&s[..i], s[i..].trim_matches(is_trim));
    let letters = code.bytes().take_while(u8::is_ascii_alphabetic).count();
    let digits = &code.as_bytes()[letters..];
    let is_code = letters <= 2
        && !digits.is_empty()
        && code.len() <= 8
        && digits.iter().all(u8::is_ascii_digit);
    (is_code && !rest.is_empty()).then_some((code, rest))
}

/// Longest key kept; every label is shorter (a test checks), so longer text cannot match.
const KEY_CAP: usize = 256;

/// The comparison form of a word, built on the stack: no spaces, full-width ASCII mapped,
/// Latin lower-cased.
struct Key {
    buf: [u8; KEY_CAP],
    len: usize,
}

impl Key {
    fn new(s: &str) -> Option<Key> {
        let mut k = Key {
            buf: [0; KEY_CAP],
            len: 0,
        };
        for c in s.chars() {
            let c = map_char(c);
            if is_trim(c) {
                continue;
            }
            let c = c.to_ascii_lowercase();
            let end = k.len + c.len_utf8();
            c.encode_utf8(k.buf.get_mut(k.len..end)?);
            k.len = end;
        }
        Some(k)
    }

    fn as_str(&self) -> &str {
        // Whole characters were encoded, so this never fails.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

#[cfg(test)]
mod tests;
