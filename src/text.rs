//! The front end's texts in Chinese and English — help, command-line errors and program
//! messages — read from one data file, `text.toml`, one entry per text with zh and en side
//! by side (see docs/decisions.md, "The front end"). Rule messages are not here: they live
//! with their rule.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::finding::Lang;

/// The embedded table, as written.
pub const SOURCE: &str = include_str!("text.toml");

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub headings: BTreeMap<String, Text>,
    pub commands: BTreeMap<String, Text>,
    pub options: BTreeMap<String, Text>,
    pub errors: BTreeMap<String, Text>,
    pub messages: BTreeMap<String, Text>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// A program error's code, shown once before its message.
    pub code: Option<String>,
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
/// seen in practice; a broken table costs texts, never a panic.
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

/// The help of a flag, by its key in `config::flags`.
pub fn option(key: &str, lang: Lang) -> &'static str {
    pick(&texts().options, key, lang)
}

fn fill(mut s: String, args: &[(&str, &str)]) -> String {
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// A command-line error message with its `{name}` holes filled.
pub fn error(key: &str, lang: Lang, args: &[(&str, &str)]) -> String {
    fill(pick(&texts().errors, key, lang).to_string(), args)
}

/// A program message with its holes filled, its code (if any) once in front: `[E003] …`.
pub fn message(key: &str, lang: Lang, args: &[(&str, &str)]) -> String {
    let Some(t) = texts().messages.get(key) else {
        return key.to_string();
    };
    let text = fill(t.get(lang).to_string(), args);
    match &t.code {
        Some(code) => format!("[{code}] {text}"),
        None => text,
    }
}

/// A program message as a value: its key in `[messages]` and the values of its holes,
/// rendered in a language only when shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// The value of a hole: the same in both languages, or worded in each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Same(String),
    Lang { zh: String, en: String },
}

impl Message {
    pub fn new(key: &'static str) -> Message {
        Message {
            key,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Message {
        self.args.push((name, Arg::Same(value.to_string())));
        self
    }

    /// A hole whose value is worded in each language.
    pub fn arg_lang(mut self, name: &'static str, zh: impl ToString, en: impl ToString) -> Message {
        self.args.push((
            name,
            Arg::Lang {
                zh: zh.to_string(),
                en: en.to_string(),
            },
        ));
        self
    }

    /// A hole worded by a function of the language (a nested message, a list).
    pub fn arg_by(self, name: &'static str, f: impl Fn(Lang) -> String) -> Message {
        self.arg_lang(name, f(Lang::Zh), f(Lang::En))
    }

    /// The code of the message, if it has one.
    pub fn code(&self) -> Option<&'static str> {
        texts().messages.get(self.key)?.code.as_deref()
    }

    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<(&str, &str)> = self
            .args
            .iter()
            .map(|(k, v)| {
                let v = match (v, lang) {
                    (Arg::Same(s), _) => s.as_str(),
                    (Arg::Lang { zh, .. }, Lang::Zh) => zh.as_str(),
                    (Arg::Lang { en, .. }, Lang::En) => en.as_str(),
                };
                (*k, v)
            })
            .collect();
        message(self.key, lang, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_every_text_has_both_languages() {
        let t = match parse() {
            Ok(t) => t,
            Err(e) => panic!("src/text.toml: {e}"),
        };
        for (section, map) in [
            ("headings", &t.headings),
            ("commands", &t.commands),
            ("options", &t.options),
            ("errors", &t.errors),
            ("messages", &t.messages),
        ] {
            for (key, text) in map {
                assert!(
                    !text.zh.is_empty() && !text.en.is_empty(),
                    "src/text.toml [{section}] `{key}` lacks zh or en"
                );
            }
        }
    }

    #[test]
    fn codes_are_unique_and_holes_match_between_languages() {
        let holes = |s: &str| -> Vec<String> {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(h, _)| h.to_string()))
                .collect();
            v.sort();
            v
        };
        let mut seen = std::collections::BTreeSet::new();
        for (key, t) in &texts().messages {
            if let Some(c) = &t.code {
                assert!(seen.insert(c.clone()), "code {c} used twice ({key})");
            }
            assert_eq!(holes(&t.zh), holes(&t.en), "[messages] `{key}`");
        }
    }

    #[test]
    fn a_message_shows_its_code_once() {
        let m = Message::new("jobs_zero");
        let zh = m.render(Lang::Zh);
        let en = m.render(Lang::En);
        assert!(
            zh.starts_with("[E0") && en.starts_with("[E0"),
            "{zh} / {en}"
        );
        assert_eq!(zh.matches("E0").count(), 1, "{zh}");
    }
}
