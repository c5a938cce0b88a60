//! Code lists as data: the embedded TOML files, and a user's `[codes]` layered over them.
//!
//! A layer is any TOML document; only its `[codes]` table is read, so a layout file or
//! `headcount.toml` can carry one. Entries of a later layer are added after the earlier
//! ones and win where they give a label or a code another meaning.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::finding::Lang;

/// The embedded files, in load order (dictionaries first).
const EMBEDDED: [(&str, &str); 9] = [
    ("dicts.toml", include_str!("data/dicts.toml")),
    ("change.toml", include_str!("data/change.toml")),
    ("reason.toml", include_str!("data/reason.toml")),
    ("doc_type.toml", include_str!("data/doc_type.toml")),
    ("sex.toml", include_str!("data/sex.toml")),
    ("category.toml", include_str!("data/category.toml")),
    ("status.toml", include_str!("data/status.toml")),
    ("hukou.toml", include_str!("data/hukou.toml")),
    ("medical_tier.toml", include_str!("data/medical_tier.toml")),
];

/// The lists a `[codes]` table may hold, with the values each may map to.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum List {
    Change,
    Reason,
    DocType,
    Sex,
    Category,
    Status,
    Hukou,
    MedicalTier,
}

impl List {
    pub const ALL: [List; 8] = [
        List::Change,
        List::Reason,
        List::DocType,
        List::Sex,
        List::Category,
        List::Status,
        List::Hukou,
        List::MedicalTier,
    ];

    /// The list a name means: its key, or the longer names layouts use
    /// (`document-type`, `reduction-reason`, `stop-reason` …).
    pub fn from_name(name: &str) -> Option<List> {
        let n = name.trim().to_ascii_lowercase().replace('_', "-");
        Some(match n.as_str() {
            "change" | "change-type" | "change-kind" => List::Change,
            "reason" | "reduction-reason" | "stop-reason" | "leave-reason" => List::Reason,
            "doc-type" | "document-type" | "id-type" => List::DocType,
            "sex" | "gender" => List::Sex,
            "category" | "retirement-category" => List::Category,
            "status" | "roster-status" => List::Status,
            "hukou" | "household-registration" => List::Hukou,
            "medical-tier" => List::MedicalTier,
            _ => return None,
        })
    }

    /// The key under `[codes]`.
    pub fn key(self) -> &'static str {
        match self {
            List::Change => "change",
            List::Reason => "reason",
            List::DocType => "doc_type",
            List::Sex => "sex",
            List::Category => "category",
            List::Status => "status",
            List::Hukou => "hukou",
            List::MedicalTier => "medical_tier",
        }
    }
}

/// One dictionary of codes: used everywhere (`regions` empty) or where the run's region
/// code starts with one of `regions`.
#[derive(Clone, Debug)]
pub struct Dict {
    pub name: String,
    pub title: String,
    pub regions: Vec<String>,
    pub source: String,
}

/// One entry of a list: what its labels and its code mean, and where it comes from.
#[derive(Clone, Debug)]
pub struct Entry {
    pub list: List,
    pub means: String,
    pub code: Option<String>,
    pub labels: Vec<String>,
    pub dict: String,
    /// False when the code is only written beside its label (`28|辞职`).
    pub alone: bool,
    pub source: String,
    /// The file (embedded name or the user's path) and line it was read from.
    pub origin: String,
    pub line: u32,
}

/// Every dictionary and entry, layer after layer.
#[derive(Clone, Debug, Default)]
pub struct CodeLists {
    pub dicts: Vec<Dict>,
    pub entries: Vec<Entry>,
}

/// A problem in a `[codes]` table: the file, the key and the line, in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodesError {
    pub file: String,
    pub key: String,
    pub line: Option<u32>,
    pub zh: String,
    pub en: String,
}

impl CodesError {
    pub fn message(&self, lang: Lang) -> String {
        let at = |line: &dyn Fn(u32) -> String| {
            let mut s = self.file.clone();
            if let Some(l) = self.line {
                s.push_str(&line(l));
            }
            if !self.key.is_empty() {
                s.push_str(&format!(" `{}`", self.key));
            }
            s
        };
        match lang {
            Lang::Zh => format!("代码表 {}：{}", at(&|l| format!(" 第 {l} 行")), self.zh),
            Lang::En => format!("code list {}: {}", at(&|l| format!(" line {l}")), self.en),
        }
    }
}

impl fmt::Display for CodesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for CodesError {}

#[derive(Deserialize)]
struct Outer {
    #[serde(default)]
    codes: Option<CodesDoc>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CodesDoc {
    #[serde(default)]
    dicts: BTreeMap<String, Spanned<DictDoc>>,
    #[serde(default)]
    change: Vec<Spanned<EntryDoc>>,
    #[serde(default)]
    reason: Vec<Spanned<EntryDoc>>,
    #[serde(default)]
    doc_type: Vec<Spanned<EntryDoc>>,
    #[serde(default)]
    sex: Vec<Spanned<EntryDoc>>,
    #[serde(default)]
    category: Vec<Spanned<EntryDoc>>,
    #[serde(default)]
    status: Vec<Spanned<EntryDoc>>,
    #[serde(default)]
    hukou: Vec<Spanned<EntryDoc>>,
    #[serde(default)]
    medical_tier: Vec<Spanned<EntryDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DictDoc {
    #[serde(default)]
    title: String,
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryDoc {
    means: Spanned<String>,
    #[serde(default)]
    code: Option<Spanned<String>>,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    dict: Option<Spanned<String>>,
    #[serde(default)]
    alone: Option<bool>,
    #[serde(default)]
    source: Option<String>,
}

impl CodeLists {
    /// The embedded lists. Their validity is a test, so a failure here is a build defect;
    /// it is still reported as an error, never a panic.
    pub fn embedded() -> Result<CodeLists, CodesError> {
        let mut lists = CodeLists::default();
        for (name, text) in EMBEDDED {
            lists.layer(text, name)?;
        }
        Ok(lists)
    }

    /// Adds the `[codes]` table of `text` (a whole TOML document; other tables are left to
    /// their own readers). `origin` names the file in messages and is the default source
    /// of its entries.
    pub fn layer(&mut self, text: &str, origin: &str) -> Result<(), CodesError> {
        let err = |key: &str, span: Option<Range<usize>>, zh: String, en: String| CodesError {
            file: origin.to_string(),
            key: key.to_string(),
            line: span.map(|s| line_of(text, s.start)),
            zh,
            en,
        };
        let outer: Outer = toml::from_str(text).map_err(|e| {
            let msg = e.message().trim().to_string();
            err(
                "",
                e.span(),
                format!("不是有效的代码表（{msg}）"),
                format!("not a valid code list ({msg})"),
            )
        })?;
        let Some(doc) = outer.codes else {
            return Ok(());
        };
        let mut dicts = self.dicts.clone();
        for (name, d) in doc.dicts {
            let span = d.span();
            let d = d.into_inner();
            let key = format!("codes.dicts.{name}");
            if let Some(bad) = d.regions.iter().find(|r| !is_region_prefix(r)) {
                return Err(err(
                    &key,
                    Some(span),
                    format!("地区「{bad}」应为行政区划代码的前 2–6 位数字（如 44、4403）"),
                    format!(
                        "region `{bad}` should be the first 2–6 digits of a division code \
                         (44, 4403)"
                    ),
                ));
            }
            let dict = Dict {
                name: name.clone(),
                title: d.title,
                regions: d.regions,
                source: d.source.unwrap_or_else(|| origin.to_string()),
            };
            match dicts.iter_mut().find(|x| x.name == name) {
                Some(x) => *x = dict,
                None => dicts.push(dict),
            }
        }
        let mut entries = Vec::new();
        for (list, items) in [
            (List::Change, doc.change),
            (List::Reason, doc.reason),
            (List::DocType, doc.doc_type),
            (List::Sex, doc.sex),
            (List::Category, doc.category),
            (List::Status, doc.status),
            (List::Hukou, doc.hukou),
            (List::MedicalTier, doc.medical_tier),
        ] {
            for (i, item) in items.into_iter().enumerate() {
                let span = item.span();
                let e = item.into_inner();
                let key = format!("codes.{}[{}]", list.key(), i + 1);
                let means_span = e.means.span();
                let means = e.means.into_inner();
                if !super::valid_means(list, &means) {
                    let known = super::known_means(list).join(", ");
                    return Err(err(
                        &format!("{key}.means"),
                        Some(means_span),
                        format!("「{means}」不是可用的取值；可用：{known}"),
                        format!("`{means}` is not a value of this list; known: {known}"),
                    ));
                }
                let dict = match e.dict {
                    Some(d) => {
                        let d_span = d.span();
                        let d = d.into_inner();
                        if !dicts.iter().any(|x| x.name == d) {
                            let known: Vec<_> = dicts.iter().map(|x| x.name.as_str()).collect();
                            let known = known.join(", ");
                            return Err(err(
                                &format!("{key}.dict"),
                                Some(d_span),
                                format!("未定义的代码字典「{d}」；已定义：{known}（在 [codes.dicts.{d}] 中定义）"),
                                format!("unknown dictionary `{d}`; defined: {known} (define it under [codes.dicts.{d}])"),
                            ));
                        }
                        d
                    }
                    None => "national".to_string(),
                };
                let code = match e.code {
                    Some(c) => {
                        let c_span = c.span();
                        let c = c.into_inner();
                        let c = c.trim().to_string();
                        if c.is_empty() || !c.chars().all(|ch| ch.is_alphanumeric()) {
                            return Err(err(
                                &format!("{key}.code"),
                                Some(c_span),
                                format!("代码「{c}」只能由字母和数字组成"),
                                format!("code `{c}` must be letters and digits only"),
                            ));
                        }
                        Some(c)
                    }
                    None => None,
                };
                let mut labels = e.labels;
                labels.extend(e.label);
                labels.retain(|l| !l.trim().is_empty());
                if code.is_none() && labels.is_empty() {
                    return Err(err(
                        &key,
                        Some(span),
                        "条目需要 code 或 labels".to_string(),
                        "an entry needs a code or labels".to_string(),
                    ));
                }
                entries.push(Entry {
                    list,
                    means,
                    code,
                    labels,
                    dict,
                    alone: e.alone.unwrap_or(true),
                    source: e.source.unwrap_or_else(|| origin.to_string()),
                    origin: origin.to_string(),
                    line: line_of(text, span.start),
                });
            }
        }
        self.dicts = dicts;
        self.entries.extend(entries);
        Ok(())
    }

    /// The list and dictionary a layout's `codes` name refers to: `LIST` or `DICT-LIST`
    /// (`reason`, `shenzhen-stop-reason`, `zhejiang.hukou`); `None` for a list or a
    /// dictionary we do not have.
    pub fn find(&self, name: &str) -> Option<(List, Option<&Dict>)> {
        if let Some(list) = List::from_name(name) {
            return Some((list, None));
        }
        let (dict, list) = name.split_once(['-', '.'])?;
        let list = List::from_name(list)?;
        let dict = self.dicts.iter().find(|d| d.name == dict)?;
        Some((list, Some(dict)))
    }

    /// The entries of one list, in load order.
    pub fn of(&self, list: List) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.list == list)
    }
}

fn is_region_prefix(r: &str) -> bool {
    (2..=6).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_digit())
}

fn line_of(text: &str, at: usize) -> u32 {
    let end = at.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u32
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_load_with_a_source_for_every_entry() {
        let lists = CodeLists::embedded().unwrap();
        for l in List::ALL {
            assert!(lists.of(l).count() > 0, "{l:?}");
        }
        for e in &lists.entries {
            assert!(
                !e.source.ends_with(".toml"),
                "{}:{} has no source",
                e.origin,
                e.line
            );
        }
        for d in &lists.dicts {
            assert!(!d.source.ends_with(".toml"), "dictionary {}", d.name);
        }
    }

    #[test]
    fn layouts_name_lists_and_dictionaries() {
        let lists = CodeLists::embedded().unwrap();
        let name = |n: &str| lists.find(n).map(|(l, d)| (l, d.map(|d| d.name.as_str())));
        assert_eq!(name("reduction-reason"), Some((List::Reason, None)));
        assert_eq!(name("document-type"), Some((List::DocType, None)));
        assert_eq!(
            name("shenzhen-stop-reason"),
            Some((List::Reason, Some("shenzhen")))
        );
        assert_eq!(
            name("zhejiang.hukou"),
            Some((List::Hukou, Some("zhejiang")))
        );
        assert_eq!(name("shenzhen-handedness"), None);
        assert_eq!(name("mars-reason"), None);
    }

    #[test]
    fn a_user_layer_adds_entries_and_dictionaries() {
        let mut lists = CodeLists::embedded().unwrap();
        let before = lists.entries.len();
        lists
            .layer(
                "region = \"x\"\n[codes.dicts.acme]\nregions = [\"4401\"]\n\
                 [[codes.reason]]\ncode = \"Z1\"\nlabels = [\"合同到期离开\"]\n\
                 means = \"CONTRACT_END\"\ndict = \"acme\"\n",
                "acme.toml",
            )
            .unwrap();
        assert_eq!(lists.entries.len(), before + 1);
        let e = lists.entries.last().unwrap();
        assert_eq!((e.source.as_str(), e.line), ("acme.toml", 4));
        // A document without [codes] adds nothing.
        lists
            .layer("[aliases]\nname = [\"x\"]\n", "h.toml")
            .unwrap();
        assert_eq!(lists.entries.len(), before + 1);
    }

    #[test]
    fn errors_name_the_file_key_and_line_in_both_languages() {
        let mut lists = CodeLists::embedded().unwrap();
        let e = lists
            .layer(
                "\n[[codes.reason]]\nlabels = [\"x\"]\nmeans = \"FIRED\"\n",
                "my.toml",
            )
            .unwrap_err();
        assert_eq!(e.key, "codes.reason[1].means");
        assert_eq!(e.line, Some(4));
        assert_eq!(
            e.message(Lang::Zh),
            "代码表 my.toml 第 4 行 `codes.reason[1].means`：「FIRED」不是可用的取值；可用：\
             RESIGN, TERMINATE_MUTUAL, DISMISS, CONTRACT_END, RETIRE, DEATH, TRANSFER_OUT, \
             MILITARY, EMIGRATE, UNIT_CLOSED, OTHER, EXTEND, INTERRUPTED"
        );
        assert_eq!(
            e.message(Lang::En),
            "code list my.toml line 4 `codes.reason[1].means`: `FIRED` is not a value of this \
             list; known: RESIGN, TERMINATE_MUTUAL, DISMISS, CONTRACT_END, RETIRE, DEATH, \
             TRANSFER_OUT, MILITARY, EMIGRATE, UNIT_CLOSED, OTHER, EXTEND, INTERRUPTED"
        );
        assert!(
            e.message(Lang::Zh).contains("my.toml"),
            "{}",
            e.message(Lang::Zh)
        );
        assert!(e.message(Lang::Zh).contains("FIRED"));
        assert!(e.message(Lang::En).contains("line 4"));
        assert!(e.message(Lang::En).contains("RESIGN"));

        let e = lists
            .layer(
                "[[codes.reason]]\nlabels = [\"x\"]\nmeans = \"OTHER\"\ndict = \"mars\"\n",
                "my.toml",
            )
            .unwrap_err();
        assert_eq!((e.key.as_str(), e.line), ("codes.reason[1].dict", Some(4)));
        assert!(e.message(Lang::En).contains("mars"));

        let e = lists
            .layer("[[codes.reasons]]\nmeans = \"OTHER\"\n", "my.toml")
            .unwrap_err();
        assert!(e.message(Lang::En).contains("reasons"), "{e}");
        assert_eq!(e.line, Some(1));

        let e = lists
            .layer("[[codes.sex]]\nmeans = \"MALE\"\n", "my.toml")
            .unwrap_err();
        assert!(e.en.contains("code or labels"), "{e}");

        let e = lists
            .layer(
                "[[codes.sex]]\ncode = \"1 2\"\nmeans = \"MALE\"\n",
                "my.toml",
            )
            .unwrap_err();
        assert_eq!(e.key, "codes.sex[1].code");

        let e = lists.layer("[codes\n", "my.toml").unwrap_err();
        assert_eq!(e.line, Some(1));
        // A failed layer leaves the lists as they were.
        assert_eq!(
            lists.entries.len(),
            CodeLists::embedded().unwrap().entries.len()
        );
    }
}
