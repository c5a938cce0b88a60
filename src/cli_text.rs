//! The texts of `--help` and of command-line errors, in Chinese and English: data in
//! `cli_text.toml`, one entry per text, read by `cli.rs` (see docs/decisions.md).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use headcount::finding::Lang;
use serde::Deserialize;

/// The embedded table, as written.
pub const SOURCE: &str = include_str!("cli_text.toml");

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub headings: BTreeMap<String, Text>,
    pub commands: BTreeMap<String, Text>,
    pub options: BTreeMap<String, Text>,
    pub errors: BTreeMap<String, Text>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The parsed table. It is embedded and a test parses it, so the empty fallback is never
/// seen in practice; a broken table costs help texts, never a panic.
pub fn texts() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    TEXTS.get_or_init(|| parse().unwrap_or_default())
}

pub fn parse() -> Result<Texts, toml::de::Error> {
    toml::from_str(SOURCE)
}

fn pick(map: &'static BTreeMap<String, Text>, key: &str, lang: Lang) -> &'static str {
    map.get(key).map(|t| t.get(lang)).unwrap_or_default()
}

pub fn heading(key: &str, lang: Lang) -> &'static str {
    pick(&texts().headings, key, lang)
}

/// The about text of a command, by its path ("headcount", "run", "policy check").
pub fn command(path: &str, lang: Lang) -> &'static str {
    pick(&texts().commands, path, lang)
}

/// The key an option's text is stored under: "<command path> <id>" when that exists,
/// else "<id>".
pub fn option_key(path: &str, id: &str) -> String {
    let specific = format!("{path} {id}");
    if !path.is_empty() && texts().options.contains_key(&specific) {
        specific
    } else {
        id.to_string()
    }
}

pub fn option(path: &str, id: &str, lang: Lang) -> &'static str {
    pick(&texts().options, &option_key(path, id), lang)
}

/// An error message with its `{name}` holes filled.
pub fn error(key: &str, lang: Lang, fill: &[(&str, &str)]) -> String {
    let mut s = pick(&texts().errors, key, lang).to_string();
    for (name, value) in fill {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}
