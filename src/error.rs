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

/// The message shown to a user, in their language, its code (where it has one) once in
/// front. The words are in the catalogue (`src/text.toml`) or the rule.
pub fn message(e: &Error, lang: crate::finding::Lang) -> String {
    use crate::text::Message;
    match e {
        Error::Input(i) => i.message(lang),
        Error::Internal {
            file,
            out,
            write,
            location,
        } => internal_message(file.as_deref(), out, *write, location.as_deref()).render(lang),
        Error::Write { path, source } => Message::new("write_failed")
            .arg("path", path.display())
            .arg("reason", io_reason(source, lang))
            .render(lang),
        Error::Usage(m) => m.render(lang),
        Error::Policy(p) => policy_message(p, lang),
        Error::OutputOverInput { out, input } => Message::new("output_over_input")
            .arg("out", out.display())
            .arg("input", input.display())
            .render(lang),
    }
}

/// An I/O error in words of the user's language for the common causes; the system's text
/// otherwise.
fn io_reason(e: &std::io::Error, lang: crate::finding::Lang) -> String {
    use std::io::ErrorKind;
    let key = match (e.kind(), e.raw_os_error()) {
        (ErrorKind::StorageFull, _) | (_, Some(28)) => "io_full",
        (ErrorKind::FileTooLarge, _) | (_, Some(27)) => "io_too_large",
        (ErrorKind::PermissionDenied, _) => "io_permission",
        _ => return e.to_string(),
    };
    crate::text::message(key, lang, &[])
}

fn internal_message(
    file: Option<&str>,
    out: &std::path::Path,
    write: Option<crate::panic_guard::WriteFailure>,
    location: Option<&str>,
) -> crate::text::Message {
    use crate::panic_guard::WriteFailure;
    use crate::text::Message;
    let out = out.display().to_string();
    if let Some(w) = write {
        let why = match w {
            WriteFailure::Full => "write_full",
            WriteFailure::TooLarge => "write_too_large",
            WriteFailure::Other => "write_other",
        };
        return Message::new("write_into_out_failed")
            .arg("out", out)
            .arg_by("reason", |l| crate::text::message(why, l, &[]));
    }
    let at = location.map(|l| format!(" ({l})")).unwrap_or_default();
    match file {
        Some(f) => Message::new("internal_file")
            .arg("file", f)
            .arg("at", at)
            .arg("out", out),
        None => Message::new("internal_writing")
            .arg("at", at)
            .arg("out", out),
    }
}

/// A policy error in the user's language, its code once: P002 and P003 by their rules.
fn policy_message(e: &PolicyError, lang: crate::finding::Lang) -> String {
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
            let sep = crate::text::heading("clause_separator", lang);
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
                known.join(crate::text::heading("list_separator", lang)),
            )
            .render(lang),
        PolicyError::Io { file, source } => Message::new("policy_unreadable")
            .arg("file", file)
            .arg("reason", io_reason(source, lang))
            .render(lang),
    }
}
