//! `headcount inspect`: how headcount reads a file, sheet by sheet, before any rule runs —
//! the header row and why, what each column means, the change kind and what decided it,
//! and a few parsed values. `--emit-layout` writes a layout file to start from instead.
//!
//! Reads only the first rows of each sheet (the planning read), so it is quick on any file.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::config::Kinds;
use crate::error::Error;
use crate::finding::Lang;
use crate::input::cell::Cell;
use crate::input::encoding::Encoding;
use crate::input::header::{self, Detection, Field, Header, Schema};
use crate::input::layout::{Target, Vocabulary};
use crate::input::plan::{self, column_letter, KindSource, PlanOptions, SheetPlan};
use crate::input::rows_buf::RowBuf;
use crate::input::value::{self, Value};
use crate::input::InputFile;
use crate::model::ChangeKind;

/// What to inspect and how to show it.
pub struct Request {
    pub inputs: Vec<PathBuf>,
    pub vocab: Vocabulary,
    pub kinds: Kinds,
    pub sheet: Option<String>,
    pub encoding: Option<Encoding>,
    pub lang: Lang,
    pub mask: bool,
    pub emit_layout: bool,
}

impl Request {
    /// From `inspect`'s options (the command line over headcount.toml): the vocabulary with
    /// the user's layouts and aliases, `--kind`, and how to read and show the files.
    pub fn from_options(
        v: &crate::config::Values,
        tables: &crate::config::Tables,
    ) -> Result<Request, Error> {
        Ok(Request {
            inputs: v.paths("inputs"),
            vocab: crate::config::vocabulary(&v.paths("layout"), &tables.aliases)?,
            kinds: Kinds::parse(&v.texts("kind"))?,
            sheet: v.text("sheet"),
            encoding: crate::config::encoding(v)?,
            lang: v.lang()?,
            mask: !v.switch("no-mask"),
            emit_layout: v.switch("emit-layout"),
        })
    }
}

/// How many data rows are sampled per sheet.
const SAMPLES: usize = 3;

/// The report (or, with `emit_layout`, the layout file) for every input.
pub fn run(req: &Request) -> Result<String, Error> {
    let mut out = String::new();
    for path in &req.inputs {
        let shown = crate::pipeline::display(path);
        let mut file = InputFile::open(path, &shown, req.encoding)?;
        let opts = PlanOptions {
            schema: Schema::Changes,
            vocab: &req.vocab,
            only_sheet: req.sheet.as_deref(),
            kind: req.kinds.for_input(path),
            keep_head: true,
        };
        let plan = plan::plan(&mut file, &shown, &opts)?;
        if req.emit_layout {
            for sheet in &plan.sheets {
                emit(&mut out, req, &shown, sheet);
            }
        } else {
            let _ = writeln!(out, "{}{shown}", tr(req.lang, "文件：", "file: "));
            for sheet in &plan.sheets {
                report(&mut out, req, sheet);
            }
            out.push('\n');
        }
    }
    Ok(out)
}

fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn sheet_title(lang: Lang, sheet: &SheetPlan) -> String {
    match (lang, sheet.name.is_empty()) {
        (Lang::Zh, true) => "表格（CSV）".to_string(),
        (Lang::En, true) => "table (CSV)".to_string(),
        (Lang::Zh, false) => format!("工作表「{}」", sheet.name),
        (Lang::En, false) => format!("sheet `{}`", sheet.name),
    }
}

fn target_text(vocab: &Vocabulary, t: Target, lang: Lang) -> String {
    format!("{} ({})", vocab.target_label(t, lang), vocab.target_id(t))
}

fn report(out: &mut String, req: &Request, sheet: &SheetPlan) {
    let lang = req.lang;
    let vocab = &req.vocab;
    let _ = writeln!(out, "  {}", sheet_title(lang, sheet));
    let Some(data) = &sheet.data else {
        let why = sheet
            .head
            .as_ref()
            .map(|h| header::detect(h, vocab))
            .unwrap_or(Detection::NotFound);
        let line = match (why, lang) {
            (Detection::Missing { row, missing, .. }, Lang::Zh) => format!(
                "没有表头：第 {row} 行像表头，但缺少 {}",
                header::field_list(&missing, vocab, Lang::Zh)
            ),
            (Detection::Missing { row, missing, .. }, Lang::En) => format!(
                "no header: row {row} looks like one but lacks {}",
                ids(&missing)
            ),
            (
                Detection::Ambiguous {
                    row, field, first, second,
                },
                Lang::Zh,
            ) => format!(
                "表头第 {row} 行有歧义：第 {} 列「{}」和第 {} 列「{}」都表示 {}；在版式文件中把不用的一列写成 field = \"ignore\"",
                column_letter(first.0), first.1, column_letter(second.0), second.1, field.id()
            ),
            (
                Detection::Ambiguous {
                    row, field, first, second,
                },
                Lang::En,
            ) => format!(
                "ambiguous header in row {row}: column {} `{}` and column {} `{}` both mean {}; mark the one not to use `field = \"ignore\"` in a layout file",
                column_letter(first.0), first.1, column_letter(second.0), second.1, field.id()
            ),
            (_, Lang::Zh) => "没有表头：前 20 行中没有同时含姓名列和证件号码列的行，此表不读".to_string(),
            (_, Lang::En) => {
                "no header: no row in the first 20 has both a name and an ID-number column; the sheet is not read".to_string()
            }
        };
        let _ = writeln!(out, "    {line}");
        return;
    };
    let h = &data.header;
    let col_of = |f: Field| h.map.get(f).map_or(String::new(), |c| h.columns[c].clone());
    let above = h.row.saturating_sub(1);
    let core = h.map.has(Field::Name) && h.map.has(Field::IdNumber);
    let _ = match lang {
        Lang::Zh if !core => writeln!(
            out,
            "    表头：第 {}前 20 行中识别出的列最多的一行，但没有姓名列或证件号码列）",
            rows_text(h, lang)
        ),
        Lang::En if !core => writeln!(
            out,
            "    header: row{}the row with the most known columns in the first 20, but without a name or ID-number column)",
            rows_text(h, lang)
        ),
        Lang::Zh => writeln!(
            out,
            "    表头：第 {}第一个同时有姓名列「{}」和证件号码列「{}」的行{}）",
            rows_text(h, lang),
            col_of(Field::Name),
            col_of(Field::IdNumber),
            if above > 0 {
                format!("；上方 {above} 行是标题或说明")
            } else {
                String::new()
            }
        ),
        Lang::En => writeln!(
            out,
            "    header: row{}the first with a name column `{}` and an ID-number column `{}`{})",
            rows_text(h, lang),
            col_of(Field::Name),
            col_of(Field::IdNumber),
            if above > 0 {
                format!("; the {above} rows above are titles or notes")
            } else {
                String::new()
            }
        ),
    };
    if let Some(l) = h.layout.and_then(|l| vocab.layouts.get(l)) {
        let _ = match lang {
            Lang::Zh => writeln!(
                out,
                "    版式：{}「{}」（来源：{}）",
                l.name, l.title, l.source
            ),
            Lang::En => writeln!(
                out,
                "    layout: {} `{}` (source: {})",
                l.name, l.title, l.source
            ),
        };
    }
    let _ = writeln!(out, "    {}", kind_text(data.kind, data.kind_from, lang));
    let missing: Vec<Field> = header::required(Schema::Changes, data.kind)
        .into_iter()
        .filter(|f| !h.map.has(*f))
        .collect();
    if !missing.is_empty() {
        let _ = match lang {
            Lang::Zh => writeln!(
                out,
                "    缺少必需列：{}（run/check 会以 H002 停止）",
                header::field_list(&missing, vocab, Lang::Zh)
            ),
            Lang::En => writeln!(
                out,
                "    missing required columns: {} (run/check stop with H002)",
                ids(&missing)
            ),
        };
    }
    let _ = writeln!(out, "    {}", tr(lang, "列：", "columns:"));
    let samples = sample_rows(sheet.head.as_ref(), h);
    for (c, text) in h.columns.iter().enumerate() {
        if text.trim().is_empty() {
            continue;
        }
        let shown_text = text.replace(['\n', '\r'], " ");
        let meaning = match h.targets.get(c).copied().flatten() {
            Some(Target::Field(f)) if h.map.get(f) == Some(c) => {
                let vals: Vec<String> = samples
                    .iter()
                    .map(|r| sample(f, r.get(c).unwrap_or(&Cell::Empty), req))
                    .filter(|s| !s.is_empty())
                    .collect();
                let sep = tr(lang, "、", ", ");
                if vals.is_empty() {
                    target_text(vocab, Target::Field(f), lang)
                } else {
                    format!(
                        "{}{}{}",
                        target_text(vocab, Target::Field(f), lang),
                        tr(lang, "：", ": "),
                        vals.join(sep)
                    )
                }
            }
            Some(Target::Field(f)) => match (h.map.get(f), lang) {
                (Some(first), Lang::Zh) => format!(
                    "{}——与第 {} 列重复（H003）：在版式文件中把不用的一列写成 field = \"ignore\"",
                    target_text(vocab, Target::Field(f), lang),
                    column_letter(first as u32)
                ),
                (_, _) => format!(
                    "{} — same as column {} (H003): mark the one not to use `field = \"ignore\"` in a layout file",
                    target_text(vocab, Target::Field(f), lang),
                    h.map.get(f).map_or(String::new(), |c| column_letter(c as u32))
                ),
            },
            Some(t @ Target::Known(_)) => format!(
                "{}{}",
                tr(lang, "已知，不使用：", "known, not used: "),
                target_text(vocab, t, lang)
            ),
            _ => {
                let near: Vec<String> = vocab
                    .nearest(text, 3)
                    .into_iter()
                    .map(|(h, t)| format!("{h} → {}", vocab.target_id(t)))
                    .collect();
                if near.is_empty() {
                    tr(lang, "未识别（H005）", "unknown (H005)").to_string()
                } else {
                    format!(
                        "{}{}",
                        tr(
                            lang,
                            "未识别（H005）；最接近：",
                            "unknown (H005); nearest: "
                        ),
                        near.join(tr(lang, "、", ", "))
                    )
                }
            }
        };
        let _ = writeln!(
            out,
            "      {} {shown_text} → {meaning}",
            column_letter(c as u32)
        );
    }
}

fn ids(fields: &[Field]) -> String {
    fields.iter().map(|f| f.id()).collect::<Vec<_>>().join(", ")
}

/// `4`, or `4–5` and a word on the two rows.
fn rows_text(h: &Header, lang: Lang) -> String {
    match (h.sub_row, lang) {
        (Some(s), Lang::Zh) => format!("{}–{} 行（两行表头：分组行和子列行；", h.row, s),
        (Some(s), Lang::En) => format!(
            "s {}–{} (two-row header: groups and sub-columns; ",
            h.row, s
        ),
        (None, Lang::Zh) => format!("{} 行（", h.row),
        (None, Lang::En) => format!(" {} (", h.row),
    }
}

fn kind_text(kind: Option<ChangeKind>, from: Option<KindSource>, lang: Lang) -> String {
    match (kind, from, lang) {
        (_, Some(KindSource::Column), Lang::Zh) => "变动类型：每行由变动类型列说明".to_string(),
        (_, Some(KindSource::Column), Lang::En) => {
            "change kind: each row's change-type column".to_string()
        }
        (Some(k), Some(src), Lang::Zh) => {
            format!("变动类型：{}（由{}决定）", k.label_zh(), src.label_zh())
        }
        (Some(k), Some(src), Lang::En) => {
            format!("change kind: {} (decided by the {})", k.label_en(), src.id())
        }
        (_, _, Lang::Zh) => "变动类型：无法确定——没有变动类型列，工作表名、文件名和版式都没有说明；可用 --kind add|reduce|info".to_string(),
        (_, _, Lang::En) => "change kind: undecided — no change-type column, and neither the sheet name, the file name nor a layout says; use --kind add|reduce|info".to_string(),
    }
}

/// The first non-blank data rows after the header, as cells.
fn sample_rows<'a>(head: Option<&'a RowBuf>, h: &Header) -> Vec<Vec<Cell<'a>>> {
    let Some(head) = head else { return Vec::new() };
    (h.index + 1..head.len())
        .map(|i| head.row(i))
        .filter(|r| !r.is_blank())
        .take(SAMPLES)
        .map(|r| (0..r.width()).map(|c| r.cell(c)).collect())
        .collect()
}

/// One value as headcount reads it: dates and months normalised, amounts as decimals,
/// ID numbers masked; `?「…」` for a value it cannot read.
fn sample(f: Field, cell: &Cell<'_>, req: &Request) -> String {
    let raw = cell.to_string().trim().to_string();
    if raw.is_empty() {
        return String::new();
    }
    let bad = || match req.lang {
        Lang::Zh => format!("?「{raw}」"),
        Lang::En => format!("?`{raw}`"),
    };
    fn show<T: std::fmt::Display>(v: Value<T>, bad: impl Fn() -> String) -> String {
        match v {
            Value::Ok { value, .. } => value.to_string(),
            Value::Invalid => bad(),
            Value::Empty => String::new(),
        }
    }
    // Masking as in the reports (docs/security.md): the year of a birth date only, and
    // any ID-shaped text in another column.
    let masked = crate::output::redact::Redact::tokens(req.mask);
    match f {
        Field::IdNumber if req.mask => crate::ids::mask(&raw),
        Field::BirthDate if req.mask => masked
            .birth_cell(&show(value::date(cell), bad))
            .into_owned(),
        Field::BirthDate | Field::HireDate | Field::LeaveDate => show(value::date(cell), bad),
        Field::StartMonth | Field::StopMonth => show(value::month(cell), bad),
        Field::Base => show(value::money(cell), bad),
        _ => masked.text(&raw).into_owned(),
    }
}

/// A layout file for the sheet, every column with its meaning; columns headcount could not
/// place are `ignore` with the nearest known texts in a comment, for the user to correct.
fn emit(out: &mut String, req: &Request, shown: &str, sheet: &SheetPlan) {
    let lang = req.lang;
    let vocab = &req.vocab;
    let Some(data) = &sheet.data else {
        let _ = writeln!(
            out,
            "# {shown} {}: {}\n",
            sheet.name,
            tr(lang, "没有表头，跳过", "no header, skipped")
        );
        return;
    };
    let h = &data.header;
    let stem = std::path::Path::new(shown)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("export");
    let name: String = format!("{stem}-{}", sheet.name)
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == '"' {
                '-'
            } else {
                c
            }
        })
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    let _ = writeln!(
        out,
        "{}",
        tr(
            lang,
            "# 由 headcount inspect --emit-layout 生成。检查每列的 field（字段见 docs/layouts.md），\n# 把 field = \"ignore\" 的列改成它的字段或保留 ignore，然后：headcount run --layout 本文件 …",
            "# Written by headcount inspect --emit-layout. Check each column's field (fields: docs/layouts.md);\n# give the `ignore` columns their field or keep `ignore`, then: headcount run --layout THIS_FILE …",
        )
    );
    let _ = writeln!(out, "[[layout]]");
    let _ = writeln!(out, "name = {}", quote(&name));
    let place = if sheet.name.is_empty() {
        shown.to_string()
    } else {
        format!("{shown} [{}]", sheet.name)
    };
    let _ = writeln!(
        out,
        "source = {}",
        quote(&format!(
            "{place}, {}",
            tr(
                lang,
                "导出自（填写系统名称）",
                "exported by (name the system)"
            )
        ))
    );
    if !sheet.name.is_empty() {
        let _ = writeln!(out, "sheets = [{}]", quote(&sheet.name));
    }
    if h.row > 1 {
        let _ = writeln!(out, "title_rows = {}", h.row - 1);
    }
    if h.sub_row.is_some() {
        let _ = writeln!(out, "header_rows = 2");
    }
    match (data.kind, data.kind_from) {
        (Some(k), Some(src)) if src != KindSource::Column => {
            let _ = writeln!(
                out,
                "kind = \"{}\"",
                match k {
                    ChangeKind::Addition => "addition",
                    ChangeKind::Reduction => "reduction",
                    ChangeKind::Information => "information",
                }
            );
        }
        (_, Some(KindSource::Column)) => {}
        _ => {
            let _ = writeln!(
                out,
                "# kind = \"addition\"  # {}",
                tr(
                    lang,
                    "或 \"reduction\"：此表的变动类型",
                    "or \"reduction\": what this sheet's rows are"
                )
            );
        }
    }
    let _ = writeln!(out, "columns = [");
    for (c, text) in h.columns.iter().enumerate() {
        if text.trim().is_empty() {
            continue;
        }
        let (header_text, group) = match h.groups.get(c).cloned().flatten() {
            Some((g, sub)) => (sub, Some(g)),
            None => (text.clone(), None),
        };
        let group = group.map_or(String::new(), |g| format!(", group = {}", quote(&g)));
        match h.targets.get(c).copied().flatten() {
            Some(t) => {
                let twice = matches!(t, Target::Field(f) if h.map.get(f).is_some_and(|m| m != c));
                let _ = writeln!(
                    out,
                    "  {{ header = {}{group}, field = \"{}\" }},{}",
                    quote(&header_text),
                    vocab.target_id(t),
                    if twice {
                        tr(lang, "  # 与前面一列重复：一列保留，另一列写 \"ignore\"", "  # same field as a column before: keep one, make the other \"ignore\"")
                    } else {
                        ""
                    }
                );
            }
            None => {
                let near: Vec<String> = vocab
                    .nearest(text, 3)
                    .into_iter()
                    .map(|(h, t)| format!("{h} → {}", vocab.target_id(t)))
                    .collect();
                let _ = writeln!(
                    out,
                    "  {{ header = {}{group}, field = \"ignore\" }},  # {}{}",
                    quote(&header_text),
                    tr(lang, "未识别；最接近：", "unknown; nearest: "),
                    if near.is_empty() {
                        "-".to_string()
                    } else {
                        near.join(", ")
                    }
                );
            }
        }
    }
    let _ = writeln!(out, "]");
    let missing: Vec<Field> = header::required(Schema::Changes, data.kind)
        .into_iter()
        .filter(|f| !h.map.has(*f))
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "# {}{}",
            tr(lang, "还缺少必需字段：", "required fields still missing: "),
            ids(&missing)
        );
    }
    out.push('\n');
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut q = String::from('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\r' => {}
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_toml_valid() {
        let s = quote("a\"b\\c\nd");
        let v: toml::Value = toml::from_str(&format!("x = {s}")).unwrap();
        assert_eq!(v["x"].as_str(), Some("a\"b\\c\nd"));
    }
}
