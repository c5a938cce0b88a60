//! Program errors: the run cannot go on (exit 2). Findings about the data are not errors;
//! they live in `rules::Finding` and never abort a run.

use std::path::PathBuf;

use crate::input::InputError;
use crate::policy::PolicyError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error("{0}")]
    Config(String),
    /// A bad option or setting, worded from the message catalogue (`src/text.toml`).
    #[error("{}", .0.render(crate::finding::Lang::En))]
    Usage(crate::text::Message),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("refusing to write into {out}: it would overwrite the input {input}")]
    OutputOverInput { out: PathBuf, input: PathBuf },
    /// A panic caught at the stage boundary (`panic_guard`); its payload is never shown.
    #[error("internal error")]
    Internal {
        /// The input being processed, as shown to the user.
        file: Option<String>,
        out: PathBuf,
        /// The panic was a failed write (a full disk inside a library's writer).
        write: Option<crate::panic_guard::WriteFailure>,
        /// Source location of the panic in headcount or a library (no input content).
        location: Option<String>,
    },
}

impl Error {
    /// The rule code a user can look up, where the error has one.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Error::Input(e) => Some(e.code()),
            Error::Policy(e) => e.code(),
            Error::Usage(m) => m.code(),
            _ => None,
        }
    }
}

/// The message shown to a user, in their language where the error has a catalogue rule.
pub fn message(e: &Error, lang: crate::finding::Lang) -> String {
    use crate::finding::Lang;
    match e {
        Error::Input(i) => i.message(lang),
        Error::Internal {
            file,
            out,
            write,
            location,
        } => internal_message(file.as_deref(), out, *write, location.as_deref(), lang),
        Error::Write { path, source } => {
            let why = io_reason(source, lang);
            match lang {
                Lang::Zh => format!("无法写入 {}：{why}", path.display()),
                Lang::En => format!("cannot write {}: {why}", path.display()),
            }
        }
        Error::Usage(m) => m.render(lang),
        Error::Policy(p) => policy_message(p, lang),
        Error::OutputOverInput { out, input } => crate::text::Message::new("output_over_input")
            .arg("out", out.display())
            .arg("input", input.display())
            .render(lang),
        Error::Config(text) => text.clone(),
    }
}

/// A policy error in the user's language, its code once: P002 and P003 by their rules.
fn policy_message(e: &PolicyError, lang: crate::finding::Lang) -> String {
    use crate::finding::Lang;
    use crate::text::Message;
    match e {
        PolicyError::NoCoverage { region, month, .. } => format!(
            "[P002] {}",
            crate::rules::policy::P002.render(
                lang,
                &[("region", region.clone()), ("month", month.to_string())]
            )
        ),
        PolicyError::Invalid { file, problems } => {
            let sep = match lang {
                Lang::Zh => "；",
                Lang::En => "; ",
            };
            let list: Vec<String> = problems
                .iter()
                .map(|p| {
                    let mut s = file.clone();
                    if let Some(line) = p.line {
                        s.push_str(&format!(":{line}"));
                    }
                    if !p.key.is_empty() {
                        s.push_str(&format!(": {}", p.key));
                    }
                    format!("{s}: {}", p.message)
                })
                .collect();
            format!(
                "[P003] {}",
                crate::rules::policy::P003.render(
                    lang,
                    &[("file", file.clone()), ("problems", list.join(sep)),]
                )
            )
        }
        PolicyError::UnknownRegion { given, known } => Message::new("unknown_region")
            .arg("region", given)
            .arg(
                "known",
                known.join(match lang {
                    Lang::Zh => "、",
                    Lang::En => ", ",
                }),
            )
            .render(lang),
        PolicyError::Io { file, source } => Message::new("policy_unreadable")
            .arg("file", file)
            .arg("reason", io_reason(source, lang))
            .render(lang),
    }
}

/// An I/O error in words of the user's language for the common causes; the system's text
/// otherwise.
fn io_reason(e: &std::io::Error, lang: crate::finding::Lang) -> String {
    use crate::finding::Lang;
    use std::io::ErrorKind;
    let (zh, en) = match (e.kind(), e.raw_os_error()) {
        (ErrorKind::StorageFull, _) | (_, Some(28)) => (
            "磁盘空间不足；之前的输出保持不变",
            "no space left on the device; the previous outputs are unchanged",
        ),
        (ErrorKind::FileTooLarge, _) | (_, Some(27)) => (
            "文件超过系统允许的大小；之前的输出保持不变",
            "the file exceeds the size the system allows; the previous outputs are unchanged",
        ),
        (ErrorKind::PermissionDenied, _) => ("没有写入权限", "permission denied"),
        _ => return e.to_string(),
    };
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

fn internal_message(
    file: Option<&str>,
    out: &std::path::Path,
    write: Option<crate::panic_guard::WriteFailure>,
    location: Option<&str>,
    lang: crate::finding::Lang,
) -> String {
    use crate::finding::Lang;
    use crate::panic_guard::WriteFailure;
    let out = out.display();
    if let Some(w) = write {
        let (zh, en) = match w {
            WriteFailure::Full => ("磁盘空间不足", "no space left on the device"),
            WriteFailure::TooLarge => (
                "文件超过系统允许的大小",
                "a file exceeds the size the system allows",
            ),
            WriteFailure::Other => ("写入失败", "a write failed"),
        };
        return match lang {
            Lang::Zh => format!("无法写入输出文件夹 {out}：{zh}；之前的输出保持不变"),
            Lang::En => format!(
                "cannot write into the output folder {out}: {en}; the previous outputs are unchanged"
            ),
        };
    }
    let at = location.map(|l| format!(" ({l})")).unwrap_or_default();
    match (lang, file) {
        (Lang::Zh, Some(f)) => format!(
            "处理 {f} 时发生内部错误{at}：这是 headcount 的缺陷，请连同该文件报告；{out} 中之前的输出保持不变"
        ),
        (Lang::Zh, None) => format!(
            "写出结果时发生内部错误{at}：这是 headcount 的缺陷，请报告；{out} 中之前的输出保持不变"
        ),
        (Lang::En, Some(f)) => format!(
            "internal error while processing {f}{at}: a defect in headcount, please report it with the file; the previous outputs in {out} are unchanged"
        ),
        (Lang::En, None) => format!(
            "internal error while writing the outputs{at}: a defect in headcount, please report it; the previous outputs in {out} are unchanged"
        ),
    }
}
