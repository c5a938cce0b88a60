//! The manifest of a `rebase` run and the configuration `verify` rebuilds from it. The
//! record has `run`'s form (`output::manifest`): the wage file is the one input, the roster
//! is `roster`, and the arguments are `rebase`'s own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Config, Options};
use crate::error::Error;
use crate::input::InputError;
use crate::output::atomic::Staged;
use crate::output::csv_sink::CsvEncoding;
use crate::output::manifest::{self, FileHash, Manifest, PolicyRecord, PolicySource};
use crate::policy::PolicySet;

/// The argument keys `manifest` records and `options_from_manifest` re-applies.
pub const RECORDED_ARGUMENTS: [&str; 8] = [
    "region",
    "year",
    "applied_from",
    "lang",
    "mask",
    "xlsx",
    "encoding",
    "csv_encoding",
];

fn input(path: &Path) -> Result<FileHash, Error> {
    let shown = crate::audit::shown_path(path);
    let (sha256, bytes) =
        manifest::hash_file(path).map_err(|e| Error::Input(InputError::unreadable(&shown, &e)))?;
    let path_hex = manifest::path_hex(&crate::audit::recorded_path(path), &shown);
    Ok(FileHash {
        path: shown,
        sha256,
        bytes,
        path_hex,
    })
}

pub fn manifest(cfg: &Config, policy: &PolicySet, staged: &Staged) -> Result<Manifest, Error> {
    let mut arguments = BTreeMap::new();
    arguments.insert("region".to_string(), cfg.region.clone());
    arguments.insert("year".to_string(), cfg.year.to_string());
    if let Some(m) = cfg.applied_from {
        arguments.insert("applied_from".to_string(), m.to_string());
    }
    arguments.insert("lang".to_string(), cfg.lang.id().to_string());
    arguments.insert("mask".to_string(), cfg.mask.to_string());
    if cfg.xlsx {
        arguments.insert("xlsx".to_string(), "true".to_string());
    }
    if let Some(e) = cfg.encoding {
        arguments.insert("encoding".to_string(), e.id().to_string());
    }
    if cfg.csv_encoding != CsvEncoding::Utf8 {
        arguments.insert(
            "csv_encoding".to_string(),
            cfg.csv_encoding.id().to_string(),
        );
    }
    let outputs = crate::output::manifest::staged_hashes(staged, super::OUTPUTS)?;
    Ok(Manifest {
        tool: "headcount".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        command: "rebase".into(),
        arguments,
        aliases: BTreeMap::new(),
        policy: Some(PolicyRecord {
            digest: policy.digest(),
            file: cfg.policy.as_deref().map(input).transpose()?,
            sources: policy
                .sources()
                .into_iter()
                .map(|s| PolicySource {
                    name: s.name,
                    sha256: s.sha256,
                })
                .collect(),
        }),
        inputs: vec![input(&cfg.wages)?],
        layouts: cfg
            .layouts
            .iter()
            .map(|p| input(p))
            .collect::<Result<Vec<_>, _>>()?,
        roster: Some(input(&cfg.roster)?),
        outputs,
    })
}

/// The configuration of a recorded `rebase`, writing into `out`; `Err` says what cannot be
/// re-applied.
pub fn config_from_manifest(
    m: &Manifest,
    out: PathBuf,
    jobs: Option<usize>,
) -> Result<Config, String> {
    if let Some(key) = m
        .arguments
        .keys()
        .find(|k| !RECORDED_ARGUMENTS.contains(&k.as_str()))
    {
        return Err(format!(
            "records the argument `{key}`, which headcount {} does not know how to re-apply \
             (use the version that wrote it: {})",
            env!("CARGO_PKG_VERSION"),
            m.version
        ));
    }
    let [wages] = m.inputs.as_slice() else {
        return Err("a rebase manifest names exactly one wage file".into());
    };
    let Some(roster) = &m.roster else {
        return Err("a rebase manifest names the roster".into());
    };
    let arg = |k: &str| m.arguments.get(k).cloned();
    let opts = Options {
        roster: roster.fs_path(),
        wages: wages.fs_path(),
        region: arg("region").unwrap_or_default(),
        year: arg("year").unwrap_or_default(),
        applied_from: arg("applied_from"),
        out: Some(out),
        policy: m
            .policy
            .as_ref()
            .and_then(|p| p.file.as_ref())
            .map(FileHash::fs_path),
        lang: arg("lang"),
        no_mask: arg("mask").as_deref() == Some("false"),
        xlsx: arg("xlsx").as_deref() == Some("true"),
        jobs,
        quiet: true,
        encoding: arg("encoding"),
        csv_encoding: arg("csv_encoding"),
        layouts: m.layouts.iter().map(FileHash::fs_path).collect(),
    };
    opts.resolve().map_err(|e| {
        format!(
            "cannot re-apply its arguments: {}",
            crate::error::message(&e, crate::finding::Lang::En)
        )
    })
}
