//! What a finding is: a rule (stable code, severity, bilingual message template) applied to
//! a place in the input. Every stage that reports findings speaks this module; the rule
//! definitions themselves live next to their checks, and `rules::catalogue` lists them all.

use std::fmt;

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Says what was not checked and why; never rejects a row or fails a run.
    Note,
    Warning,
    Error,
    /// Stops the run (exit 2); never appears in `errors.csv`.
    Fatal,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Fatal => "fatal",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" | "chinese" => Some(Lang::Zh),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// One rule of the catalogue. Templates name their parameters in braces: `{found}`.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    /// One line saying what the rule is about (for the catalogue).
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub message_zh: &'static str,
    pub message_en: &'static str,
    /// How to fix the source data, where a hint helps.
    pub hint_zh: &'static str,
    pub hint_en: &'static str,
    /// The section of the domain notes the rule rests on (empty when none).
    pub basis: &'static str,
}

impl Rule {
    pub fn title(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.title_zh,
            Lang::En => self.title_en,
        }
    }

    /// The message with its parameters filled in, followed by the hint.
    pub fn render(&self, lang: Lang, args: &[(&'static str, String)]) -> String {
        let (template, hint) = match lang {
            Lang::Zh => (self.message_zh, self.hint_zh),
            Lang::En => (self.message_en, self.hint_en),
        };
        let mut out = fill(template, args, lang);
        if !hint.is_empty() {
            out.push_str(match lang {
                Lang::Zh => "；",
                Lang::En => "; ",
            });
            out.push_str(&fill(hint, args, lang));
        }
        out
    }
}

/// Replaces `{key}` by its argument, preferring a language-specific `key_zh` / `key_en`
/// when one is given; an unknown key is left as written so a missing argument shows up in
/// tests rather than vanishing.
pub fn fill(template: &str, args: &[(&'static str, String)], lang: Lang) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let key = &after[..close];
                let localized = args.iter().find(|(k, _)| {
                    k.strip_prefix(key)
                        .and_then(|rest| rest.strip_prefix('_'))
                        .is_some_and(|l| l == lang.id())
                });
                match localized.or_else(|| args.iter().find(|(k, _)| *k == key)) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where a finding points. Indexes refer to the run's registry of files and sheets, so a
/// finding stays small; `row` is the row number a person sees (0 = the whole sheet or run),
/// `column` an index into the sheet's header cells.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct At {
    pub file: u32,
    pub sheet: u32,
    pub row: u32,
    pub column: Option<u32>,
}

impl At {
    /// A finding about the whole run (policy), in no file.
    pub const RUN: At = At {
        file: u32::MAX,
        sheet: u32::MAX,
        row: 0,
        column: None,
    };
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    /// Usually the rule's default; a rule may escalate (e.g. far below retirement age).
    pub severity: Severity,
    pub at: At,
    pub args: Vec<(&'static str, String)>,
}

impl Finding {
    pub fn new(rule: &'static Rule, at: At) -> Finding {
        Finding {
            rule,
            severity: rule.severity,
            at,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, key: &'static str, value: impl fmt::Display) -> Finding {
        self.args.push((key, value.to_string()));
        self
    }

    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    pub fn message(&self, lang: Lang) -> String {
        self.rule.render(lang, &self.args)
    }

    pub fn is_error(&self) -> bool {
        self.severity >= Severity::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static DEMO: Rule = Rule {
        code: "Z999",
        severity: Severity::Error,
        title_zh: "示例",
        title_en: "demo",
        message_zh: "校验位应为 {expected}，实为 {found}",
        message_en: "check character should be {expected}, found {found}",
        hint_zh: "请核对证件",
        hint_en: "check the document",
        basis: "",
    };

    #[test]
    fn renders_both_languages_with_hint() {
        let f = Finding::new(&DEMO, At::default())
            .arg("expected", 'X')
            .arg("found", 3);
        assert_eq!(f.message(Lang::Zh), "校验位应为 X，实为 3；请核对证件");
        assert_eq!(
            f.message(Lang::En),
            "check character should be X, found 3; check the document"
        );
    }

    #[test]
    fn missing_argument_stays_visible() {
        assert_eq!(fill("a {x} b {y", &[], Lang::Zh), "a {x} b {y");
        assert_eq!(fill("{a}{a}", &[("a", "1".into())], Lang::Zh), "11");
    }

    #[test]
    fn language_specific_arguments_win() {
        let args = [("d_zh", "长度".to_string()), ("d_en", "length".to_string())];
        assert_eq!(fill("[{d}]", &args, Lang::Zh), "[长度]");
        assert_eq!(fill("[{d}]", &args, Lang::En), "[length]");
    }

    #[test]
    fn severities_order_for_merging() {
        assert!(Severity::Fatal > Severity::Error && Severity::Error > Severity::Warning);
        let f = Finding::new(&DEMO, At::default()).severity(Severity::Warning);
        assert!(!f.is_error());
    }
}
