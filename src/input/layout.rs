//! The header vocabulary and named layouts, as data.
//!
//! Which header texts mean which field, which columns are known but unused, which words in
//! a sheet or file name say the change kind, and the named layouts of portal templates and
//! HR exports all live in TOML files (`layout/data/*.toml`), embedded as defaults and read
//! through the same loader as a user's own layout file. Everything here is per sheet, not
//! per row: a header is mapped once.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::header::{normalize_header, Field};
use crate::model::ChangeKind;

/// The embedded data files, in loading order.
pub const EMBEDDED: [(&str, &str); 5] = [
    ("fields.toml", include_str!("layout/data/fields.toml")),
    ("known.toml", include_str!("layout/data/known.toml")),
    ("kinds.toml", include_str!("layout/data/kinds.toml")),
    ("portals.toml", include_str!("layout/data/portals.toml")),
    ("exports.toml", include_str!("layout/data/exports.toml")),
];

/// What a header text means.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Field(Field),
    /// Known, not used: an index into [`Vocabulary::known`].
    Known(usize),
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub label_zh: String,
    pub label_en: String,
    /// Header texts as written in the data (the first is the label).
    pub headers: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct KnownDef {
    pub id: String,
    pub label_zh: String,
    pub label_en: String,
    pub headers: Vec<String>,
}

/// One column of a named layout.
#[derive(Clone, Debug)]
pub struct LayoutColumn {
    /// The header text as the template writes it.
    pub header: String,
    /// The group header above it, for two-row headers.
    pub group: Option<String>,
    pub target: Target,
    /// The value form (`text`, `id`, `date:yyyy-MM-dd`, `month`, `money`, `code|label` …).
    pub form: String,
    /// The code list its values come from, by name.
    pub codes: Option<String>,
    /// The normalised text a sheet's column is compared with.
    key: String,
}

/// A named layout: a portal template or an HR system's export.
#[derive(Clone, Debug)]
pub struct Layout {
    pub name: String,
    pub title: String,
    pub city: Option<String>,
    pub source: String,
    pub format: Option<String>,
    pub sheets: Vec<String>,
    pub title_rows: u32,
    pub header_rows: u32,
    pub kind: Option<ChangeKind>,
    pub columns: Vec<LayoutColumn>,
    /// How headcount writes this template (portal layouts only): see [`Upload`].
    pub upload: Option<Upload>,
    /// For a template that is not a change file (a wage change, an information change):
    /// what it is and where its work is done instead, `(zh, en)`; H010 says so rather than
    /// asking for a change type (H002).
    pub not_changes: Option<(String, String)>,
    /// The file it was read from (`portals.toml`, or the user's file).
    pub origin: String,
}

/// What writing a portal template needs beyond its columns: the rows above the header and
/// the cell each value is written as. The columns (header, order, form) are the layout's.
#[derive(Clone, Debug, Default)]
pub struct Upload {
    /// Rows above the header, cell by cell (as many as `title_rows`); `{employer}` stands
    /// for `--employer`.
    pub title_cells: Vec<Vec<String>>,
    /// Per column header: what a value (a canonical id such as `RESIGN`, or a label as
    /// written) becomes in the cell; `*` for any other value.
    pub values: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// Per column header: the cell written on every line (`1` for 参加).
    pub fixed: std::collections::BTreeMap<String, String>,
    /// Per column header: the cell by change kind (`ADDITION`, `REDUCTION`), for a template
    /// that takes both kinds (`11|增员` / `12|减员`); a kind not listed leaves it blank.
    pub kind_values: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// Columns the portal wants filled that headcount cannot fill (电脑号, 民族 …): a blank
    /// there is counted in a note.
    pub ask: Vec<String>,
    /// A back-pay template (Shenzhen 补缴): one line per month before the period that an
    /// addition is charged for, the month in the start-month column.
    pub backpay: bool,
    /// A template for some additions only (Shenzhen 调入): those whose change-type cell is
    /// one of these words, or whose sheet or file name contains one.
    pub when_change: Vec<String>,
}

/// Words of sheet and file names that decide the change kind.
#[derive(Clone, Debug, Default)]
pub struct KindWords {
    pub addition: Vec<String>,
    pub reduction: Vec<String>,
    pub information: Vec<String>,
    pub neither: Vec<String>,
}

impl KindWords {
    /// The kind a sheet or file name implies, if exactly one.
    pub fn decide(&self, name: &str) -> Option<ChangeKind> {
        let n = normalize_header(name);
        let has = |words: &[String]| words.iter().any(|w| !w.is_empty() && n.contains(w));
        if has(&self.neither) {
            return None;
        }
        match (
            has(&self.addition),
            has(&self.reduction),
            has(&self.information),
        ) {
            (true, false, false) => Some(ChangeKind::Addition),
            (false, true, false) => Some(ChangeKind::Reduction),
            (false, false, true) => Some(ChangeKind::Information),
            _ => None,
        }
    }
}

/// Every header text headcount knows, and the named layouts.
#[derive(Clone, Debug)]
pub struct Vocabulary {
    fields: Vec<FieldDef>,
    pub known: Vec<KnownDef>,
    pub layouts: Vec<Layout>,
    pub kind_words: KindWords,
    /// Normalised header text → meaning.
    index: HashMap<String, Target>,
    /// Texts given two meanings by the embedded data (must stay empty; a test checks).
    conflicts: Vec<String>,
    /// The user's additions, for the manifest: (origin, field or known id, text).
    pub user_texts: Vec<(String, String, String)>,
}

// The file format (embedded and user files alike).

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileDef {
    #[serde(default)]
    field: Vec<FieldEntry>,
    #[serde(default)]
    known: Vec<KnownEntry>,
    #[serde(default)]
    kind_words: Option<KindWordsEntry>,
    #[serde(default)]
    layout: Vec<LayoutEntry>,
    /// Value code lists: allowed here, read by `input::value::vocab::CodeLists::layer`.
    #[serde(default, rename = "codes")]
    _codes: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldEntry {
    id: String,
    label_zh: Option<String>,
    label_en: Option<String>,
    #[serde(default)]
    headers: Vec<String>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownEntry {
    id: String,
    label_zh: Option<String>,
    label_en: Option<String>,
    #[serde(default)]
    headers: Vec<String>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindWordsEntry {
    #[serde(default)]
    addition: Vec<String>,
    #[serde(default)]
    reduction: Vec<String>,
    #[serde(default)]
    information: Vec<String>,
    #[serde(default)]
    neither: Vec<String>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutEntry {
    name: String,
    title: Option<String>,
    city: Option<String>,
    source: String,
    format: Option<String>,
    #[serde(default)]
    sheets: Vec<String>,
    title_rows: Option<u32>,
    header_rows: Option<u32>,
    kind: Option<String>,
    columns: Vec<ColumnEntry>,
    upload: Option<UploadEntry>,
    not_changes_zh: Option<String>,
    not_changes_en: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UploadEntry {
    #[serde(default)]
    title_cells: Vec<Vec<String>>,
    #[serde(default)]
    values: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    fixed: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    kind_values: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    ask: Vec<String>,
    #[serde(default)]
    backpay: bool,
    #[serde(default)]
    when_change: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnEntry {
    header: String,
    group: Option<String>,
    field: String,
    form: Option<String>,
    codes: Option<String>,
}

/// Checks an `[layout.upload]` table against its layout: one row of cells per title row,
/// a single header row, and value tables only for columns the layout has.
fn upload_of(
    u: UploadEntry,
    name: &str,
    origin: &str,
    title_rows: u32,
    header_rows: u32,
    columns: &[LayoutColumn],
) -> Result<Upload, String> {
    if u.title_cells.len() != title_rows as usize {
        return Err(format!(
            "{origin}: layout `{name}`: upload.title_cells has {} rows, title_rows is {title_rows}",
            u.title_cells.len()
        ));
    }
    if header_rows > 2 {
        return Err(format!(
            "{origin}: layout `{name}`: an upload is written with one or two header rows, not {header_rows}"
        ));
    }
    for (kinds, header) in u.kind_values.iter().map(|(h, k)| (k, h)) {
        if let Some(bad) = kinds
            .keys()
            .find(|k| !ChangeKind::ALL.iter().any(|c| c.id() == k.as_str()))
        {
            return Err(format!(
                "{origin}: layout `{name}`: upload.kind_values.`{header}` names `{bad}`, not ADDITION, REDUCTION or INFORMATION"
            ));
        }
    }
    for header in u
        .values
        .keys()
        .chain(u.fixed.keys())
        .chain(u.kind_values.keys())
        .chain(&u.ask)
    {
        if !columns.iter().any(|c| &c.header == header) {
            return Err(format!(
                "{origin}: layout `{name}`: upload names a column `{header}` the layout does not have"
            ));
        }
    }
    Ok(Upload {
        title_cells: u.title_cells,
        values: u.values,
        fixed: u.fixed,
        kind_values: u.kind_values,
        ask: u.ask,
        backpay: u.backpay,
        when_change: u.when_change,
    })
}

/// Reads `add`, `reduce`, `info`, their long forms and the Chinese words.
pub fn parse_kind(s: &str) -> Option<ChangeKind> {
    match s.trim().to_ascii_lowercase().as_str() {
        "add" | "addition" | "增员" => Some(ChangeKind::Addition),
        "reduce" | "reduction" | "减员" => Some(ChangeKind::Reduction),
        "info" | "information" | "信息变更" => Some(ChangeKind::Information),
        _ => None,
    }
}

/// The key a layout column is matched by: its group and its own text.
fn column_key(group: Option<&str>, header: &str) -> String {
    match group {
        Some(g) => format!("{}/{}", normalize_header(g), normalize_header(header)),
        None => normalize_header(header),
    }
}

impl Vocabulary {
    /// The embedded vocabulary, parsed once.
    pub fn embedded() -> &'static Vocabulary {
        static EMBEDDED_VOCAB: OnceLock<Vocabulary> = OnceLock::new();
        EMBEDDED_VOCAB.get_or_init(|| {
            let mut v = Vocabulary::empty();
            for (name, text) in EMBEDDED {
                // The embedded files are tested to load; a failure here is a build defect,
                // and the rest of the data still loads.
                if let Err(e) = v.load(text, name, false) {
                    debug_assert!(false, "{e}");
                }
            }
            v
        })
    }

    fn empty() -> Vocabulary {
        Vocabulary {
            fields: Field::ALL
                .iter()
                .map(|f| FieldDef {
                    label_zh: f.id().to_string(),
                    label_en: f.id().to_string(),
                    headers: Vec::new(),
                })
                .collect(),
            known: Vec::new(),
            layouts: Vec::new(),
            kind_words: KindWords::default(),
            index: HashMap::new(),
            conflicts: Vec::new(),
            user_texts: Vec::new(),
        }
    }

    /// Adds a data file (embedded or the user's). A user's text overrides an embedded one;
    /// `Err` names what is wrong, in English and with the file's name.
    pub fn load(&mut self, text: &str, origin: &str, user: bool) -> Result<(), String> {
        let def: FileDef = toml::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
        for f in def.field {
            let field = Field::from_id(&f.id).ok_or_else(|| {
                format!(
                    "{origin}: unknown field `{}`; known fields: {}",
                    f.id,
                    field_ids()
                )
            })?;
            let _ = f.source;
            let d = &mut self.fields[field as usize];
            if let Some(l) = f.label_zh {
                d.label_zh = l;
            }
            if let Some(l) = f.label_en {
                d.label_en = l;
            }
            for h in f.headers {
                self.add_text(&h, Target::Field(field), origin, user);
                self.fields[field as usize].headers.push(h);
            }
        }
        for k in def.known {
            let _ = k.source;
            let i = match self.known.iter().position(|d| d.id == k.id) {
                Some(i) => i,
                None => {
                    self.known.push(KnownDef {
                        id: k.id.clone(),
                        label_zh: k.id.clone(),
                        label_en: k.id.clone(),
                        headers: Vec::new(),
                    });
                    self.known.len() - 1
                }
            };
            if let Some(l) = k.label_zh {
                self.known[i].label_zh = l;
            }
            if let Some(l) = k.label_en {
                self.known[i].label_en = l;
            }
            for h in k.headers {
                self.add_text(&h, Target::Known(i), origin, user);
                self.known[i].headers.push(h);
            }
        }
        if let Some(w) = def.kind_words {
            let _ = w.source;
            let norm = |v: Vec<String>| v.iter().map(|s| normalize_header(s)).collect::<Vec<_>>();
            self.kind_words.addition.extend(norm(w.addition));
            self.kind_words.reduction.extend(norm(w.reduction));
            self.kind_words.information.extend(norm(w.information));
            self.kind_words.neither.extend(norm(w.neither));
        }
        for l in def.layout {
            let layout = self.layout_of(l, origin)?;
            // A layout's texts join the vocabulary where they mean nothing yet, so a
            // slightly changed export still maps; the layout's own meaning applies when the
            // whole layout matches.
            for c in &layout.columns {
                if c.group.is_none() && !self.index.contains_key(&c.key) && !c.key.is_empty() {
                    self.index.insert(c.key.clone(), c.target);
                }
            }
            self.layouts.retain(|old| old.name != layout.name);
            self.layouts.push(layout);
        }
        Ok(())
    }

    fn layout_of(&self, l: LayoutEntry, origin: &str) -> Result<Layout, String> {
        let kind = match l.kind.as_deref() {
            None => None,
            Some(k) => Some(parse_kind(k).ok_or_else(|| {
                format!(
                    "{origin}: layout `{}`: kind `{k}` is not addition or reduction",
                    l.name
                )
            })?),
        };
        let mut columns = Vec::new();
        for c in l.columns {
            let target = self.target_of(&c.field).ok_or_else(|| {
                format!(
                    "{origin}: layout `{}`, column `{}`: unknown field `{}`; known fields: {}; known, not used: {}",
                    l.name,
                    c.header,
                    c.field,
                    field_ids(),
                    self.known.iter().map(|k| k.id.as_str()).collect::<Vec<_>>().join(", ")
                )
            })?;
            columns.push(LayoutColumn {
                key: column_key(c.group.as_deref(), &c.header),
                header: c.header,
                group: c.group,
                target,
                form: c.form.unwrap_or_else(|| "text".to_string()),
                codes: c.codes,
            });
        }
        let not_changes = match (l.not_changes_zh, l.not_changes_en) {
            (Some(zh), Some(en)) => Some((zh, en)),
            (None, None) => None,
            _ => {
                return Err(format!(
                    "{origin}: layout `{}`: not_changes_zh and not_changes_en go together",
                    l.name
                ))
            }
        };
        let title_rows = l.title_rows.unwrap_or(0);
        let header_rows = l.header_rows.unwrap_or(1);
        let upload = match l.upload {
            None => None,
            Some(u) => Some(upload_of(
                u,
                &l.name,
                origin,
                title_rows,
                header_rows,
                &columns,
            )?),
        };
        Ok(Layout {
            title: l.title.unwrap_or_else(|| l.name.clone()),
            name: l.name,
            city: l.city,
            source: l.source,
            format: l.format,
            sheets: l.sheets,
            title_rows,
            header_rows,
            kind,
            columns,
            upload,
            not_changes,
            origin: origin.to_string(),
        })
    }

    /// A field id or a known id.
    pub fn target_of(&self, id: &str) -> Option<Target> {
        Field::from_id(id).map(Target::Field).or_else(|| {
            self.known
                .iter()
                .position(|k| k.id == id)
                .map(Target::Known)
        })
    }

    fn add_text(&mut self, text: &str, target: Target, origin: &str, user: bool) {
        let key = normalize_header(text);
        if key.is_empty() {
            return;
        }
        if user {
            self.user_texts.push((
                origin.to_string(),
                self.target_id(target).to_string(),
                key.clone(),
            ));
        }
        match self.index.insert(key.clone(), target) {
            Some(old) if old != target && !user => self.conflicts.push(key),
            _ => {}
        }
    }

    /// Adds `[aliases]` texts from `headcount.toml` for a field named by its id.
    pub fn add_aliases(
        &mut self,
        field: &str,
        texts: &[String],
        origin: &str,
    ) -> Result<(), String> {
        let f = Field::from_id(field).ok_or_else(|| {
            format!(
                "unknown field `{field}` in [aliases]; known fields: {}",
                field_ids()
            )
        })?;
        for t in texts {
            self.add_text(t, Target::Field(f), origin, true);
            self.fields[f as usize].headers.push(t.clone());
        }
        Ok(())
    }

    /// What a normalised header text means.
    pub fn lookup(&self, normalized: &str) -> Option<Target> {
        self.index.get(normalized).copied()
    }

    pub fn label(&self, f: Field, lang: crate::finding::Lang) -> &str {
        let d = &self.fields[f as usize];
        match lang {
            crate::finding::Lang::Zh => &d.label_zh,
            crate::finding::Lang::En => &d.label_en,
        }
    }

    pub fn target_id(&self, t: Target) -> &str {
        match t {
            Target::Field(f) => f.id(),
            Target::Known(i) => self.known.get(i).map_or("", |k| k.id.as_str()),
        }
    }

    pub fn target_label(&self, t: Target, lang: crate::finding::Lang) -> &str {
        match t {
            Target::Field(f) => self.label(f, lang),
            Target::Known(i) => self.known.get(i).map_or("", |k| match lang {
                crate::finding::Lang::Zh => k.label_zh.as_str(),
                crate::finding::Lang::En => k.label_en.as_str(),
            }),
        }
    }

    /// Header texts accepted for a field, as written in the data.
    pub fn headers(&self, f: Field) -> &[String] {
        &self.fields[f as usize].headers
    }

    /// Texts the embedded data gives two meanings (a test keeps this empty).
    pub fn conflicts(&self) -> &[String] {
        &self.conflicts
    }

    /// The accepted texts of `field` nearest to any of `seen` (normalised), best first.
    pub fn nearest_for(&self, field: Field, seen: &[String], n: usize) -> Vec<String> {
        let mut scored: Vec<(usize, usize, &String)> = self
            .headers(field)
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let key = normalize_header(h);
                let d = seen
                    .iter()
                    .map(|s| distance(&key, &normalize_header(s)))
                    .min()
                    .unwrap_or(usize::MAX);
                (d, i, h)
            })
            .collect();
        scored.sort();
        scored
            .into_iter()
            .take(n)
            .map(|(_, _, h)| h.clone())
            .collect()
    }

    /// The known header texts nearest to `text`, with what they mean, best first; only
    /// texts that share at least one character.
    pub fn nearest(&self, text: &str, n: usize) -> Vec<(String, Target)> {
        let key = normalize_header(text);
        let mut all: Vec<(usize, String, Target)> = Vec::new();
        for (i, d) in self.fields.iter().enumerate() {
            // Suggestions are for change files (inspect): the wage-file fields of `rebase`
            // would crowd out the base (月度工资 → 上年度月平均工资 instead of 缴费工资).
            if Field::ALL[i].wage_file_only() {
                continue;
            }
            for h in &d.headers {
                all.push((0, h.clone(), Target::Field(Field::ALL[i])));
            }
        }
        for (i, k) in self.known.iter().enumerate() {
            for h in &k.headers {
                all.push((0, h.clone(), Target::Known(i)));
            }
        }
        // More shared characters first, then fewer edits.
        let mut scored: Vec<(usize, usize, String, Target)> = all
            .into_iter()
            .filter_map(|(_, h, t)| {
                let other = normalize_header(&h);
                let shared = other.chars().filter(|c| key.contains(*c)).count();
                (shared > 0).then(|| (usize::MAX - shared, distance(&key, &other), h, t))
            })
            .collect();
        scored.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        let all: Vec<(usize, String, Target)> =
            scored.into_iter().map(|(_, d, h, t)| (d, h, t)).collect();
        let mut out: Vec<(String, Target)> = Vec::new();
        for (_, h, t) in all {
            if out.len() == n {
                break;
            }
            if !out.iter().any(|(o, _)| *o == h) {
                out.push((h, t));
            }
        }
        out
    }

    /// The layout whose every column is among `keys` (a sheet's normalised columns), the
    /// one with the most columns; `None` when none matches or two equally good ones
    /// disagree on the kind.
    pub fn match_layout(&self, keys: &[String]) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        let mut tie = false;
        for (i, l) in self.layouts.iter().enumerate() {
            if l.columns.is_empty() || !l.columns.iter().all(|c| keys.contains(&c.key)) {
                continue;
            }
            let n = l.columns.len();
            match best {
                Some((_, m)) if m > n => {}
                Some((j, m)) if m == n => {
                    tie |= self.layouts[j].kind != l.kind;
                }
                _ => {
                    best = Some((i, n));
                    tie = false;
                }
            }
        }
        if tie {
            None
        } else {
            best.map(|(i, _)| i)
        }
    }

    /// Whether layout `layout` has no name column: its rows are identified by the ID alone.
    pub fn layout_without_name(&self, layout: usize) -> bool {
        self.layouts.get(layout).is_some_and(|l| {
            !l.columns
                .iter()
                .any(|c| c.target == Target::Field(Field::Name))
        })
    }

    /// What the layout says a sheet column (by its normalised key) means.
    pub fn layout_target(&self, layout: usize, key: &str) -> Option<Target> {
        self.layouts
            .get(layout)?
            .columns
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.target)
    }
}

fn field_ids() -> String {
    Field::ALL
        .iter()
        .map(|f| f.id())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Edit distance in characters.
fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads_without_conflicts() {
        let mut v = Vocabulary::empty();
        for (name, text) in EMBEDDED {
            v.load(text, name, false).unwrap();
        }
        assert_eq!(v.conflicts(), &[] as &[String]);
        // Every field has a label and at least one header text.
        for f in Field::ALL {
            assert!(!v.headers(f).is_empty(), "{f:?}");
        }
        assert!(v.layouts.len() >= 15);
    }

    #[test]
    fn first_employment_is_not_the_hire_date() {
        let v = Vocabulary::embedded();
        assert!(matches!(v.lookup("参加工作日期"), Some(Target::Known(_))));
        assert!(matches!(v.lookup("参加工作时间"), Some(Target::Known(_))));
        assert_eq!(
            v.lookup(&normalize_header("入职日期")),
            Some(Target::Field(Field::HireDate))
        );
        for t in [
            "参保时间",
            "参保开始年月",
            "缴费起始年月",
            "福利起始时间",
            "增加日期",
            "所属月份",
        ] {
            assert_eq!(v.lookup(t), Some(Target::Field(Field::StartMonth)), "{t}");
        }
    }

    #[test]
    fn issue_vocabulary_is_known() {
        let v = Vocabulary::embedded();
        let cases = [
            ("缴费工资", Field::Base),
            ("月缴费工资", Field::Base),
            ("月平均工资收入", Field::Base),
            ("申报月均工资收入（元）", Field::Base),
            ("社会保险基数", Field::Base),
            ("工资", Field::Base),
            ("公民身份证号码", Field::IdNumber),
            ("证件编号", Field::IdNumber),
            ("身份证", Field::IdNumber),
            ("雇员证件号", Field::IdNumber),
            ("变更日期", Field::LeaveDate),
            ("停保时间", Field::StopMonth),
            ("社保终止时间", Field::StopMonth),
            ("变更原因", Field::Reason),
            ("停交原因", Field::Reason),
            ("停保原因", Field::Reason),
            ("﹡姓  名", Field::Name),
            ("户籍(市内城镇、市外城镇)", Field::Hukou),
            ("*申报月工资收入\\档次(元", Field::Base),
        ];
        for (text, f) in cases {
            assert_eq!(
                v.lookup(&normalize_header(text)),
                Some(Target::Field(f)),
                "{text}"
            );
        }
        for text in [
            "民族",
            "文化程度",
            "户籍所在地",
            "配偶姓名",
            "利手",
            "银行账号",
            "单位名称",
        ] {
            assert!(v.lookup(&normalize_header(text)).is_some(), "{text}");
        }
    }

    #[test]
    fn kind_words_decide_or_abstain() {
        let w = &Vocabulary::embedded().kind_words;
        assert_eq!(w.decide("增员"), Some(ChangeKind::Addition));
        assert_eq!(
            w.decide("批量停缴上传文件模版"),
            Some(ChangeKind::Reduction)
        );
        assert_eq!(w.decide("新增人员上传文件模版"), Some(ChangeKind::Addition));
        assert_eq!(w.decide("转出盘片"), Some(ChangeKind::Reduction));
        assert_eq!(w.decide("2025-08入职名单"), Some(ChangeKind::Addition));
        assert_eq!(w.decide("信息变更"), Some(ChangeKind::Information));
        assert_eq!(w.decide("个人基本信息变更"), Some(ChangeKind::Information));
        assert_eq!(w.decide("Sheet1"), None);
        assert_eq!(w.decide("增减员"), None);
    }

    #[test]
    fn an_upload_table_must_fit_its_layout() {
        let layout = |upload: &str| {
            format!(
                "[[layout]]\nname = \"u\"\nsource = \"s\"\ntitle_rows = 1\ncolumns = [{{ header = \"姓名\", field = \"name\" }}]\n{upload}"
            )
        };
        let mut v = Vocabulary::embedded().clone();
        v.load(
            &layout("[layout.upload]\ntitle_cells = [[\"标题\"]]\n"),
            "u.toml",
            true,
        )
        .unwrap();
        let u = v.layouts.last().and_then(|l| l.upload.as_ref()).unwrap();
        assert_eq!(u.title_cells, [["标题"]]);
        let err = v
            .load(&layout("[layout.upload]\n"), "u.toml", true)
            .unwrap_err();
        assert!(err.contains("title_cells has 0 rows"), "{err}");
        let err = v
            .load(
                &layout("[layout.upload]\ntitle_cells = [[]]\nask = [\"民族\"]\n"),
                "u.toml",
                true,
            )
            .unwrap_err();
        assert!(err.contains("`民族`"), "{err}");
    }

    #[test]
    fn user_file_adds_a_layout_and_rejects_unknown_fields() {
        let mut v = Vocabulary::embedded().clone();
        v.load(
            "[[layout]]\nname = \"acme\"\nsource = \"ours\"\nkind = \"reduction\"\ncolumns = [\n { header = \"员工号码\", field = \"id_number\" },\n { header = \"花名\", field = \"name\" },\n { header = \"工位\", field = \"ignore\" },\n]\n",
            "acme.toml",
            true,
        )
        .unwrap();
        assert_eq!(v.lookup("员工号码"), Some(Target::Field(Field::IdNumber)));
        let keys: Vec<String> = ["员工号码", "花名", "工位"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let i = v.match_layout(&keys).unwrap();
        assert_eq!(v.layouts[i].kind, Some(ChangeKind::Reduction));
        let err = v
            .load(
                "[[layout]]\nname = \"x\"\nsource = \"s\"\ncolumns = [{ header = \"a\", field = \"shoe_size\" }]\n",
                "x.toml",
                true,
            )
            .unwrap_err();
        assert!(err.contains("shoe_size") && err.contains("x.toml"), "{err}");
        assert!(v.load("colour = 1", "y.toml", true).is_err());
    }

    #[test]
    fn nearest_texts_share_characters() {
        let v = Vocabulary::embedded();
        let near = v.nearest("月度工资", 3);
        assert!(
            near.iter().any(|(_, t)| *t == Target::Field(Field::Base)),
            "{near:?}"
        );
        assert!(v.nearest("xyz", 3).is_empty() || v.nearest("xyz", 3).len() <= 3);
    }

    #[test]
    fn the_documented_layout_file_loads() {
        let page = include_str!("../../docs/layouts.md");
        let start = page.find("```toml\n").expect("a toml example") + 8;
        let len = page[start..].find("```").expect("its end");
        let mut v = Vocabulary::embedded().clone();
        v.load(&page[start..start + len], "docs/layouts.md", true)
            .unwrap();
        assert!(v.layouts.iter().any(|l| l.name == "acme-hr-leavers"));
        assert_eq!(v.lookup("工位"), v.target_of("desk"));
    }
}
