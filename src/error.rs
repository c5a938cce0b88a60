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
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("refusing to write into {out}: it would overwrite the input {input}")]
    OutputOverInput { out: PathBuf, input: PathBuf },
}

impl Error {
    /// The rule code a user can look up, where the error has one.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Error::Input(e) => Some(e.code()),
            Error::Policy(e) => e.code(),
            _ => None,
        }
    }
}

/// The message shown to a user, in their language where the error has a catalogue rule.
pub fn message(e: &Error, lang: crate::finding::Lang) -> String {
    match e {
        Error::Input(i) => i.message(lang),
        other => match other.code() {
            Some(code) => format!("[{code}] {other}"),
            None => other.to_string(),
        },
    }
}
