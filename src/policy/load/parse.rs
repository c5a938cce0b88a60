//! Stages 1–2: text → `PolicyDoc`. Syntax errors are all reported; a shape error drops
//! the offending entry and parsing goes on, so every problem is found in one pass.

use super::super::schema::{PolicyDoc, FLOAT_MESSAGE};
use super::{Cx, MAX_SHAPE_PROBLEMS};
use crate::calendar::Month;
use serde::Deserialize;
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub(super) fn parse(cx: &mut Cx) -> Option<PolicyDoc> {
    let (mut root, errors) = DeTable::parse_recoverable(cx.text);
    if !errors.is_empty() {
        for e in errors {
            let line = e.span().map_or(0, |s| cx.line(s));
            cx.problem("", line, format!("TOML syntax: {}", e.message()));
        }
        return None;
    }
    for _ in 0..MAX_SHAPE_PROBLEMS {
        let err = match PolicyDoc::deserialize(toml::Deserializer::from(root.clone())) {
            Ok(doc) => return Some(doc),
            Err(e) => e,
        };
        let Some(span) = err.span() else {
            cx.problem("", 0, err.message().to_string());
            return None;
        };
        let mut message = err.message().to_string();
        if message.starts_with(FLOAT_MESSAGE) {
            let raw = cx.text.get(span.clone()).unwrap_or("").trim();
            if !raw.is_empty()
                && raw
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"+-._eE".contains(&b))
            {
                message.push_str(&format!(": \"{}\"", raw.replace('_', "")));
            }
        }
        let steps = locate(root.get_ref(), &span);
        let key = path_label(root.get_ref(), &steps);
        cx.problem(&key, cx.line(span), message);
        if steps.is_empty() || !remove(root.get_mut(), &steps) {
            return None;
        }
        cx.dropped.push(key);
    }
    None
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The path to the entry an error span points at: an exact match of a key or value if
/// there is one, else the deepest entry containing it.
fn locate(root: &DeTable, span: &Range<usize>) -> Vec<Step> {
    fn walk(
        t: &DeTable,
        span: &Range<usize>,
        path: &mut Vec<Step>,
        best: &mut Option<((bool, usize), Vec<Step>)>,
    ) {
        fn consider(best: &mut Option<((bool, usize), Vec<Step>)>, path: &[Step], exact: bool) {
            let rank = (exact, path.len());
            if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                *best = Some((rank, path.to_vec()));
            }
        }
        for (k, v) in t.iter() {
            path.push(Step::Key(k.get_ref().to_string()));
            let (ks, vs) = (k.span(), v.span());
            if contains(&ks, span) || contains(&vs, span) {
                consider(best, path, ks == *span || vs == *span);
            }
            match v.get_ref() {
                DeValue::Table(inner) => walk(inner, span, path, best),
                DeValue::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        path.push(Step::Index(i));
                        if contains(&item.span(), span) {
                            consider(best, path, item.span() == *span);
                        }
                        if let DeValue::Table(inner) = item.get_ref() {
                            walk(inner, span, path, best);
                        }
                        path.pop();
                    }
                }
                _ => {}
            }
            path.pop();
        }
    }
    let mut best = None;
    walk(root, span, &mut Vec::new(), &mut best);
    best.map(|(_, p)| p).unwrap_or_default()
}

/// Remove the entry at `steps`; an array element takes its whole array with it (arrays
/// cannot drop one element, and the problem is reported already).
fn remove(t: &mut DeTable, steps: &[Step]) -> bool {
    match steps {
        [Step::Key(k)] | [Step::Key(k), Step::Index(_)] => t.remove(k.as_str()).is_some(),
        [Step::Key(k), rest @ ..] => {
            let Some(v) = t.get_mut(k.as_str()) else {
                return false;
            };
            match (v.get_mut(), rest) {
                (DeValue::Table(inner), _) => remove(inner, rest),
                (DeValue::Array(items), [Step::Index(i), rest2 @ ..]) => {
                    match items.get_mut(*i).map(|x| x.get_mut()) {
                        Some(DeValue::Table(inner)) => remove(inner, rest2),
                        _ => false,
                    }
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// `region[beijing].period[2025-07].pension.floor`: the same labels the validator uses.
fn path_label(root: &DeTable, steps: &[Step]) -> String {
    let mut out = String::new();
    let mut table = Some(root);
    let mut array: Option<&[Spanned<DeValue>]> = None;
    for step in steps {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
                let v = table.and_then(|t| t.get(k.as_str())).map(|v| v.get_ref());
                table = match v {
                    Some(DeValue::Table(t)) => Some(t),
                    _ => None,
                };
                array = match v {
                    Some(DeValue::Array(a)) => Some(a),
                    _ => None,
                };
            }
            Step::Index(i) => {
                let item = array.and_then(|a| a.get(*i)).map(|v| v.get_ref());
                let t = match item {
                    Some(DeValue::Table(t)) => Some(t),
                    _ => None,
                };
                let label = t.and_then(element_label);
                out.push_str(&format!(
                    "[{}]",
                    label.unwrap_or_else(|| format!("#{}", i + 1))
                ));
                table = t;
                array = None;
            }
        }
    }
    out
}

/// Array-of-tables elements are named by `name` (regions) or a valid `from` (periods).
fn element_label(t: &DeTable) -> Option<String> {
    if let Some(DeValue::String(name)) = t.get("name").map(|v| v.get_ref()) {
        return Some(name.to_string());
    }
    match t.get("from").map(|v| v.get_ref()) {
        Some(DeValue::String(from)) if from.parse::<Month>().is_ok() => Some(from.to_string()),
        _ => None,
    }
}
