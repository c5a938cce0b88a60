//! Bill layouts as data: which header texts a bill has and what each column's cells are.
//!
//! The embedded `data/bills.toml` and a user's `--layout` file go through one loader, so a
//! city's bill is added without a rebuild. Header texts are compared normalised, as the
//! change files' are (`input::header::normalize_header`).

use serde::Deserialize;

use super::model::{Kind, Part};
use crate::input::header::normalize_header;

pub const EMBEDDED: &str = include_str!("data/bills.toml");

/// What a bill column holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ColField {
    IdNumber,
    PersonNo,
    Name,
    Month,
    Kind,
    Insurance,
    Base,
    Amount,
    /// An amount that wins over `Amount` when not blank (应补(退)费额).
    Due,
    Ignore,
}

impl ColField {
    fn parse(s: &str) -> Option<ColField> {
        Some(match s {
            "id_number" => ColField::IdNumber,
            "person_no" => ColField::PersonNo,
            "name" => ColField::Name,
            "month" => ColField::Month,
            "kind" => ColField::Kind,
            "insurance" => ColField::Insurance,
            "base" => ColField::Base,
            "amount" => ColField::Amount,
            "due" => ColField::Due,
            "ignore" => ColField::Ignore,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct BillColumn {
    pub header: String,
    pub group: Option<String>,
    pub field: ColField,
    pub insurance: Option<String>,
    pub part: Option<Part>,
    pub kind: Option<Kind>,
    pub optional: bool,
    /// A `base` column with `insurance`: the other insurances' bases follow from it by
    /// the policy's floors and ceilings (contributions.csv's base is the pension's).
    pub limits: bool,
    /// Normalised `group/header` (or `header`), as a sheet's column is compared.
    pub key: String,
}

#[derive(Clone, Debug)]
pub struct BillLayout {
    pub name: String,
    pub title: String,
    pub source: String,
    /// One file per insurance × part, named by the file or sheet name.
    pub per_file: bool,
    pub columns: Vec<BillColumn>,
    /// `bills.toml` or the user's file.
    pub origin: String,
}

/// Words that say an insurance, a part or a kind, normalised.
#[derive(Clone, Debug, Default)]
pub struct Words {
    pub insurance: Vec<(String, Vec<String>)>,
    pub employer: Vec<String>,
    pub employee: Vec<String>,
    pub backpay: Vec<String>,
    pub refund: Vec<String>,
    pub not_compared: Vec<String>,
}

/// What a kind cell says.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum KindCell {
    Is(Kind),
    NotCompared,
}

impl Words {
    /// Names are folded, not header-normalised: `养老(单位).xlsx` keeps its bracket.
    fn fold(text: &str) -> String {
        text.chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                c => c,
            })
            .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '\u{3000}'))
            .flat_map(char::to_lowercase)
            .collect()
    }

    fn has(words: &[String], text: &str) -> bool {
        words
            .iter()
            .any(|w| !w.is_empty() && text.contains(w.as_str()))
    }

    /// The insurance a text names, if exactly one.
    pub fn insurance(&self, text: &str) -> Option<String> {
        let n = Self::fold(text);
        let found: Vec<&String> = self
            .insurance
            .iter()
            .filter(|(_, w)| Self::has(w, &n))
            .map(|(id, _)| id)
            .collect();
        match found.as_slice() {
            [one] => Some((*one).clone()),
            _ => None,
        }
    }

    /// The part a text names, if exactly one.
    pub fn part(&self, text: &str) -> Option<Part> {
        let n = Self::fold(text);
        match (Self::has(&self.employer, &n), Self::has(&self.employee, &n)) {
            (true, false) => Some(Part::Employer),
            (false, true) => Some(Part::Employee),
            _ => None,
        }
    }

    /// The kind of a kind cell: back-pay and refund words, late fees; else regular.
    pub fn kind(&self, text: &str) -> KindCell {
        let n = Self::fold(text);
        if Self::has(&self.not_compared, &n) {
            KindCell::NotCompared
        } else if Self::has(&self.refund, &n) {
            KindCell::Is(Kind::Refund)
        } else if Self::has(&self.backpay, &n) {
            KindCell::Is(Kind::Backpay)
        } else {
            KindCell::Is(Kind::Regular)
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct BillLayouts {
    pub layouts: Vec<BillLayout>,
    pub words: Words,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDef {
    words: Option<WordsEntry>,
    #[serde(default)]
    bill: Vec<BillEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WordsEntry {
    #[serde(default)]
    insurance: Vec<InsuranceWords>,
    #[serde(default)]
    employer: Vec<String>,
    #[serde(default)]
    employee: Vec<String>,
    #[serde(default)]
    backpay: Vec<String>,
    #[serde(default)]
    refund: Vec<String>,
    #[serde(default)]
    not_compared: Vec<String>,
    #[serde(rename = "source")]
    _source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InsuranceWords {
    id: String,
    words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BillEntry {
    name: String,
    title: Option<String>,
    city: Option<String>,
    source: String,
    #[serde(default)]
    per_file: bool,
    columns: Vec<ColumnEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnEntry {
    header: String,
    group: Option<String>,
    field: String,
    insurance: Option<String>,
    part: Option<String>,
    kind: Option<String>,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    limits: bool,
}

fn norm_all(v: Vec<String>) -> Vec<String> {
    v.iter().map(|s| Words::fold(s)).collect()
}

impl BillLayouts {
    /// The embedded layouts (tested to load).
    pub fn embedded() -> Result<BillLayouts, String> {
        let mut l = BillLayouts::default();
        l.load(EMBEDDED, "bills.toml")?;
        Ok(l)
    }

    /// Adds a layout file; `Err` names the file and what is wrong (English, as TOML errors).
    pub fn load(&mut self, text: &str, origin: &str) -> Result<(), String> {
        let def: FileDef = toml::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
        if let Some(w) = def.words {
            for i in w.insurance {
                let words = norm_all(i.words);
                match self.words.insurance.iter_mut().find(|(id, _)| *id == i.id) {
                    Some((_, old)) => old.extend(words),
                    None => self.words.insurance.push((i.id, words)),
                }
            }
            self.words.employer.extend(norm_all(w.employer));
            self.words.employee.extend(norm_all(w.employee));
            self.words.backpay.extend(norm_all(w.backpay));
            self.words.refund.extend(norm_all(w.refund));
            self.words.not_compared.extend(norm_all(w.not_compared));
        }
        for b in def.bill {
            let layout = layout_of(b, origin)?;
            self.layouts.retain(|l| l.name != layout.name);
            self.layouts.push(layout);
        }
        Ok(())
    }

    /// The layout whose required columns are all among `keys` (a header's normalised
    /// columns), the one matching most columns; ties go to the later-loaded layout (a
    /// user's file over the embedded ones).
    pub fn best_match(&self, keys: &[String]) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for (i, l) in self.layouts.iter().enumerate() {
            let required_ok = l
                .columns
                .iter()
                .filter(|c| !c.optional)
                .all(|c| keys.contains(&c.key));
            if !required_ok {
                continue;
            }
            let n = l.columns.iter().filter(|c| keys.contains(&c.key)).count();
            if best.is_none_or(|(_, m)| n >= m) {
                best = Some((i, n));
            }
        }
        best.map(|(i, _)| i)
    }

    /// The layout sharing most required columns with `keys`, and those it lacks (for the
    /// message when nothing matches).
    pub fn nearest(&self, keys: &[String]) -> Option<(&BillLayout, Vec<String>)> {
        self.layouts
            .iter()
            .map(|l| {
                let missing: Vec<String> = l
                    .columns
                    .iter()
                    .filter(|c| !c.optional && !keys.contains(&c.key))
                    .map(|c| match &c.group {
                        Some(g) => format!("{g}/{}", c.header),
                        None => c.header.clone(),
                    })
                    .collect();
                (l, missing)
            })
            .min_by_key(|(_, m)| m.len())
    }
}

fn layout_of(b: BillEntry, origin: &str) -> Result<BillLayout, String> {
    let _ = b.city;
    let mut columns = Vec::new();
    for c in b.columns {
        let at = || format!("{origin}: bill `{}`, column `{}`", b.name, c.header);
        let field = ColField::parse(&c.field).ok_or_else(|| {
            format!(
                "{}: unknown field `{}`; known: id_number, person_no, name, month, kind, insurance, base, amount, due, ignore",
                at(),
                c.field
            )
        })?;
        let part = match c.part.as_deref() {
            None => None,
            Some("employer") => Some(Part::Employer),
            Some("employee") => Some(Part::Employee),
            Some(p) => return Err(format!("{}: part `{p}` is not employer or employee", at())),
        };
        let kind = match c.kind.as_deref() {
            None => None,
            Some("regular") => Some(Kind::Regular),
            Some("backpay") => Some(Kind::Backpay),
            Some("refund") => Some(Kind::Refund),
            Some(k) => {
                return Err(format!(
                    "{}: kind `{k}` is not regular, backpay or refund",
                    at()
                ))
            }
        };
        if c.limits && (field != ColField::Base || c.insurance.is_none()) {
            return Err(format!(
                "{}: `limits = true` is for a base column that names its insurance",
                at()
            ));
        }
        let key = match &c.group {
            Some(g) => format!("{}/{}", normalize_header(g), normalize_header(&c.header)),
            None => normalize_header(&c.header),
        };
        columns.push(BillColumn {
            header: c.header,
            group: c.group,
            field,
            insurance: c.insurance,
            part,
            kind,
            optional: c.optional,
            limits: c.limits,
            key,
        });
    }
    if !columns
        .iter()
        .any(|c| matches!(c.field, ColField::Amount | ColField::Due))
    {
        return Err(format!("{origin}: bill `{}` has no amount column", b.name));
    }
    Ok(BillLayout {
        title: b.title.unwrap_or_else(|| b.name.clone()),
        name: b.name,
        source: b.source,
        per_file: b.per_file,
        columns,
        origin: origin.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_layouts_load_with_sources() {
        let l = BillLayouts::embedded().unwrap();
        assert!(l.layouts.len() >= 4);
        for b in &l.layouts {
            assert!(!b.source.is_empty(), "{}", b.name);
        }
        assert_eq!(l.words.insurance("养老保险(单位)"), Some("pension".into()));
        assert_eq!(l.words.part("养老保险(单位)"), Some(Part::Employer));
        assert_eq!(l.words.part("养老_单位"), Some(Part::Employer));
        assert_eq!(l.words.kind("补缴"), KindCell::Is(Kind::Backpay));
        assert_eq!(l.words.kind("late_fee"), KindCell::NotCompared);
        assert_eq!(l.words.kind("标准"), KindCell::Is(Kind::Regular));
    }

    #[test]
    fn a_user_layout_replaces_by_name_and_bad_fields_are_named() {
        let mut l = BillLayouts::embedded().unwrap();
        let n = l.layouts.len();
        l.load(
            "[[bill]]\nname = \"long-arrears\"\nsource = \"mine\"\ncolumns = [\n{ header = \"工号\", field = \"person_no\" },\n{ header = \"金额\", field = \"amount\" }]\n",
            "mine.toml",
        )
        .unwrap();
        assert_eq!(l.layouts.len(), n);
        let err = l
            .load(
                "[[bill]]\nname = \"x\"\nsource = \"s\"\ncolumns = [{ header = \"a\", field = \"shoe\" }]\n",
                "x.toml",
            )
            .unwrap_err();
        assert!(err.contains("x.toml") && err.contains("shoe"), "{err}");
    }
}
