//! Tests of the loader: every problem a policy file can have, with its key and line.

use super::*;

const PROV: &str = r#"
[provenance.notice]
source = "沪人社规〔2026〕1号"
confidence = "confirmed"
verified_on = 2026-07-10
"#;

/// The problems a user file triggers when layered over the embedded tables.
fn problems(body: &str) -> (String, Vec<Problem>) {
    let text = format!("{PROV}{body}");
    let result = PolicySet::embedded().unwrap().layer_str(&text, "user.toml");
    match result {
        Err(PolicyError::Invalid { file, problems }) => {
            assert_eq!(file, "user.toml");
            (text, problems)
        }
        Err(other) => panic!("expected P003, got {other}"),
        Ok(_) => panic!("expected P003 for:\n{text}"),
    }
}

/// 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in the text"))
        + 1
}

/// Assert a problem with this key, on the line containing `at`, mentioning `says`.
#[track_caller]
fn expect(text: &str, problems: &[Problem], key: &str, at: &str, says: &str) {
    let line = line_of(text, at);
    let found = problems
        .iter()
        .any(|p| p.key == key && p.line == Some(line) && p.message.contains(says));
    assert!(
        found,
        "no problem `{key}` at line {line} saying `{says}` in {problems:#?}"
    );
}

/// A patch of Beijing from 2025-07 with `body` under it (the tests' usual frame).
fn beijing_patch(body: &str) -> String {
    format!(
        "\n[[region]]\nname = \"beijing\"\n[[region.patch]]\nfrom = \"2025-07\"\nprovenance = \"notice\"\n{}",
        body.strip_prefix('\n').unwrap_or(body)
    )
}

const NEW_REGION_HEAD: &str = r#"
[[region]]
name = "suzhou"
code = "320500"
"#;

/// A complete period for a new region; `{from}`/`{to}` filled in by `period`.
fn period(from: &str, to: Option<&str>) -> String {
    let to = to.map_or(String::new(), |t| format!("to = \"{t}\"\n"));
    format!(
        r#"
[[region.period]]
from = "{from}"
{to}provenance = "notice"
contribution_year_start = 7
leaving_month_charged = true
retro_limit_months = 12
floor = "5000"
ceiling = "25000"
rounding = "half-up-fen"
[region.period.pension]
employer_rate = "0.16"
employee_rate = "0.08"
[region.period.medical]
employer_rate = "0.07"
employee_rate = "0.02"
[region.period.unemployment]
employer_rate = "0.005"
employee_rate = "0.005"
[region.period.injury]
employer_rate = "0.002"
employer_rate_min = "0.001"
employer_rate_max = "0.03"
"#
    )
}

#[test]
fn a_complete_new_region_is_accepted() {
    let text = format!("{PROV}{NEW_REGION_HEAD}{}", period("2025-01", None));
    let set = PolicySet::embedded()
        .unwrap()
        .layer_str(&text, "user.toml")
        .unwrap();
    assert_eq!(set.region("320500").unwrap().name(), "suzhou");
}

#[test]
fn unknown_keys_are_all_reported_with_line_and_path() {
    let (text, p) = problems(
        r#"
[[region]]
name = "beijing"
colour = "red"
[[region.patch]]
from = "2025-07"
[region.patch.pension]
flor = "7000"
"#,
    );
    expect(
        &text,
        &p,
        "region[beijing].colour",
        "colour =",
        "unknown field `colour`",
    );
    expect(
        &text,
        &p,
        "region[beijing].patch[2025-07].pension.flor",
        "flor =",
        "unknown field `flor`",
    );
    assert_eq!(p.len(), 2, "{p:#?}");
}

#[test]
fn a_float_asks_to_be_quoted() {
    let (text, p) = problems(&beijing_patch(
        r#"
floor = 7162.5
"#,
    ));
    expect(
        &text,
        &p,
        "region[beijing].patch[2025-07].floor",
        "floor = 7162.5",
        "\"7162.5\"",
    );
    assert!(p[0].message.contains("quoted string"));
    assert_eq!(
        p.len(),
        1,
        "a dropped float is not reported again as missing: {p:#?}"
    );
}

#[test]
fn missing_figures_are_named() {
    let body = period("2025-01", None)
        .replace("ceiling = \"25000\"\n", "")
        .replace("retro_limit_months = 12\n", "")
        .replace("employee_rate = \"0.02\"\n", "");
    let (text, p) = problems(&format!("{NEW_REGION_HEAD}{body}"));
    let key = "region[suzhou].period[2025-01]";
    expect(
        &text,
        &p,
        &format!("{key}.retro_limit_months"),
        "[[region.period]]",
        "retro_limit_months",
    );
    for ins in ["pension", "medical", "unemployment", "injury"] {
        expect(
            &text,
            &p,
            &format!("{key}.{ins}.ceiling"),
            &format!("[region.period.{ins}]"),
            "ceiling",
        );
    }
    expect(
        &text,
        &p,
        &format!("{key}.medical.employee_rate"),
        "[region.period.medical]",
        "employee_rate",
    );
    assert_eq!(p.len(), 6, "{p:#?}");
}

#[test]
fn a_missing_insurance_table_is_named() {
    let body = period("2025-01", None).replace(
        "[region.period.unemployment]\nemployer_rate = \"0.005\"\nemployee_rate = \"0.005\"\n",
        "",
    );
    let (text, p) = problems(&format!("{NEW_REGION_HEAD}{body}"));
    expect(
        &text,
        &p,
        "region[suzhou].period[2025-01].unemployment",
        "[[region.period]]",
        "[unemployment] table",
    );
}

#[test]
fn employee_shares_for_injury_and_maternity_are_refused() {
    let (text, p) = problems(&beijing_patch(
        r#"
[region.patch.injury]
employee_rate = "0.001"
[region.patch.extra.maternity]
employer_rate = "0.008"
employee_fixed = "1.00"
"#,
    ));
    expect(
        &text,
        &p,
        "region[beijing].patch[2025-07].injury.employee_rate",
        "employee_rate = \"0.001\"",
        "Art. 53",
    );
    expect(
        &text,
        &p,
        "region[beijing].patch[2025-07].extra.maternity.employee_fixed",
        "employee_fixed",
        "employees pay nothing",
    );
}

#[test]
fn a_zero_employee_share_for_injury_is_fine() {
    let text = format!(
        "{PROV}{}",
        r#"
[[region]]
name = "beijing"
[[region.patch]]
from = "2025-07"
provenance = "notice"
[region.patch.injury]
employee_rate = "0"
"#
    );
    assert!(PolicySet::embedded()
        .unwrap()
        .layer_str(&text, "u.toml")
        .is_ok());
}

#[test]
fn floor_above_ceiling_blames_the_new_figure() {
    let (text, p) = problems(&beijing_patch(
        r#"
[region.patch.pension]
floor = "40000"
"#,
    ));
    expect(
        &text,
        &p,
        "region[beijing].period[2025-07].pension.floor",
        "floor = \"40000\"",
        "above the ceiling 35811",
    );
    assert_eq!(p.len(), 1, "{p:#?}");
}

#[test]
fn overlapping_periods_are_refused() {
    let body = format!(
        "{}{}",
        period("2025-01", Some("2025-12")),
        period("2025-06", None)
    );
    let (text, p) = problems(&format!("{NEW_REGION_HEAD}{body}"));
    let second = text.match_indices("[[region.period]]").nth(1).unwrap().0;
    let line = text[..second].lines().count() + 1;
    let found = p.iter().any(|p| {
        p.key == "region[suzhou].period[2025-06]"
            && p.line == Some(line)
            && p.message.contains("overlaps")
    });
    assert!(found, "{p:#?}");
}

#[test]
fn an_open_period_before_another_overlaps() {
    let body = format!("{}{}", period("2025-01", None), period("2025-06", None));
    let (_, p) = problems(&format!("{NEW_REGION_HEAD}{body}"));
    assert!(
        p.iter()
            .any(|p| p.message.contains("give the earlier one a `to`")),
        "{p:#?}"
    );
}

#[test]
fn gaps_inside_a_region_are_refused() {
    let body = format!(
        "{}{}",
        period("2025-01", Some("2025-03")),
        period("2025-06", None)
    );
    let (text, p) = problems(&format!("{NEW_REGION_HEAD}{body}"));
    let second = text.match_indices("[[region.period]]").nth(1).unwrap().0;
    let gap = p
        .iter()
        .find(|p| p.message.contains("gap"))
        .expect("a gap problem");
    assert_eq!(gap.key, "region[suzhou].period[2025-06]");
    assert!(gap.message.contains("2025-04 – 2025-05"), "{}", gap.message);
    assert_eq!(gap.line, Some(text[..second].lines().count() + 1));
    assert_eq!(p.len(), 1, "{p:#?}");
}

#[test]
fn a_bad_rounding_id_lists_the_good_ones() {
    let (text, p) = problems(&beijing_patch(
        r#"
[region.patch.medical]
rounding = "half-up"
"#,
    ));
    expect(
        &text,
        &p,
        "region[beijing].patch[2025-07].medical.rounding",
        "rounding = \"half-up\"",
        "ceil-jiao",
    );
}

#[test]
fn rates_outside_zero_to_one_are_refused() {
    let (text, p) = problems(&beijing_patch(
        r#"
[region.patch.pension]
employer_rate = "16"
[region.patch.medical]
employer_rate = "1"
employee_rate = "-0.02"
"#,
    ));
    let k = "region[beijing].patch[2025-07]";
    expect(
        &text,
        &p,
        &format!("{k}.pension.employer_rate"),
        "employer_rate = \"16\"",
        "outside [0, 1)",
    );
    expect(
        &text,
        &p,
        &format!("{k}.medical.employer_rate"),
        "employer_rate = \"1\"",
        "outside [0, 1)",
    );
    expect(
        &text,
        &p,
        &format!("{k}.medical.employee_rate"),
        "employee_rate = \"-0.02\"",
        "outside [0, 1)",
    );
    assert_eq!(p.len(), 3, "{p:#?}");
}

#[test]
fn a_percentage_gets_a_hint() {
    let (_, p) = problems(&beijing_patch(
        r#"
[region.patch.pension]
employer_rate = "16%"
"#,
    ));
    assert!(p[0].message.contains("\"0.16\""), "{p:#?}");
}

#[test]
fn from_after_to_is_refused() {
    let body = period("2025-06", Some("2025-01"));
    let (text, p) = problems(&format!("{NEW_REGION_HEAD}{body}"));
    expect(
        &text,
        &p,
        "region[suzhou].period[2025-06].to",
        "[[region.period]]",
        "before `from`",
    );
}

#[test]
fn injury_default_outside_its_range_is_refused() {
    let (text, p) = problems(&beijing_patch(
        r#"
[region.patch.injury]
employer_rate = "0.05"
"#,
    ));
    expect(
        &text,
        &p,
        "region[beijing].period[2025-07].injury.employer_rate",
        "employer_rate = \"0.05\"",
        "outside its allowed range",
    );
}

#[test]
fn an_employer_rate_outside_the_range_is_refused() {
    let (text, p) = problems("\n[[region]]\nname = \"beijing\"\ninjury_rate = \"0.05\"\n");
    expect(
        &text,
        &p,
        "region[beijing].injury_rate",
        "injury_rate",
        "outside the range 0.002 – 0.0285",
    );
    // From headcount.toml too.
    let err = PolicySet::embedded()
        .unwrap()
        .set_injury_rate("beijing", Decimal::new(1, 3))
        .unwrap_err();
    assert_eq!(err.code(), Some("P003"));
    assert!(
        err.to_string().contains("region[beijing].injury_rate"),
        "{err}"
    );
}

#[test]
fn provenance_is_required_and_checked() {
    let (text, p) = problems(
        r#"
[provenance.partial]
source = "a blog"

[[region]]
name = "beijing"
[[region.patch]]
from = "2025-07"
[region.patch.pension]
floor = "7200"
ceiling = { value = "36000", provenance = "nowhere" }
"#,
    );
    expect(
        &text,
        &p,
        "provenance.partial.confidence",
        "[provenance.partial]",
        "confidence",
    );
    expect(
        &text,
        &p,
        "provenance.partial.verified_on",
        "[provenance.partial]",
        "verified_on",
    );
    expect(
        &text,
        &p,
        "region[beijing].patch[2025-07].pension.floor",
        "floor = \"7200\"",
        "no provenance",
    );
    expect(
        &text,
        &p,
        "region[beijing].patch[2025-07].pension.ceiling.provenance",
        "ceiling =",
        "unknown provenance `nowhere`",
    );
}

#[test]
fn patching_a_period_that_does_not_exist() {
    let (text, p) = problems(
        "\n[[region]]\nname = \"beijing\"\n[[region.patch]]\nfrom = \"2023-07\"\nprovenance = \"notice\"\nfloor = \"1\"\n",
    );
    expect(
        &text,
        &p,
        "region[beijing].patch[2023-07].from",
        "[[region.patch]]",
        "periods start: 2024-07, 2025-07",
    );
}

#[test]
fn a_new_region_needs_a_code_and_cannot_patch() {
    let (text, p) =
        problems("\n[[region]]\nname = \"suzhou\"\n[[region.patch]]\nfrom = \"2025-07\"\n");
    expect(
        &text,
        &p,
        "region[suzhou].code",
        "[[region]]",
        "6-digit `code`",
    );
    expect(
        &text,
        &p,
        "region[suzhou].patch[2025-07]",
        "[[region.patch]]",
        "nothing to patch",
    );
}

#[test]
fn names_codes_and_aliases_stay_unique() {
    let body = format!(
        "{}{}",
        NEW_REGION_HEAD.replace("code = \"320500\"", "code = \"320500\"\naliases = [\"bj\"]"),
        period("2025-01", None)
    );
    let (_, p) = problems(&body);
    assert!(
        p.iter().any(|p| p.key == "region[suzhou]"
            && p.message.contains("`bj` already names region beijing")),
        "{p:#?}"
    );
}

#[test]
fn a_changed_code_is_refused() {
    let (text, p) = problems("\n[[region]]\nname = \"beijing\"\ncode = \"110100\"\n");
    expect(
        &text,
        &p,
        "region[beijing].code",
        "code =",
        "has code 110000",
    );
}

#[test]
fn syntax_errors_give_a_line() {
    let (text, p) = problems("\n[[region]]\nname = \"beijing\nx = 1\n");
    assert!(p[0].message.starts_with("TOML syntax"), "{p:#?}");
    assert_eq!(p[0].line, Some(line_of(&text, "name = \"beijing")));
}

#[test]
fn wrong_types_are_reported_and_parsing_goes_on() {
    let (text, p) = problems(
        r#"
[[region]]
name = "beijing"
code = 110000
[[region.patch]]
from = "2025-07"
provenance = "notice"
leaving_month_charged = "yes"
retro_limit_months = 6.5
[region.patch.pension]
floor = true
"#,
    );
    expect(&text, &p, "region[beijing].code", "code = 110000", "string");
    expect(
        &text,
        &p,
        "region[beijing].patch[2025-07].leaving_month_charged",
        "leaving_month_charged",
        "true or false",
    );
    expect(
        &text,
        &p,
        "region[beijing].patch[2025-07].retro_limit_months",
        "retro_limit_months",
        "whole number",
    );
    expect(
        &text,
        &p,
        "region[beijing].patch[2025-07].pension.floor",
        "floor = true",
        "quoted string",
    );
    assert_eq!(p.len(), 4, "{p:#?}");
}

#[test]
fn bad_months_and_dates_are_reported() {
    let (text, p) = problems(
        r#"
[provenance.bad]
source = "x"
confidence = "sure"
verified_on = "2025-13-01"

[[region]]
name = "beijing"
[[region.patch]]
from = "2025-7"
"#,
    );
    expect(
        &text,
        &p,
        "region[beijing].patch[#1].from",
        "from = \"2025-7\"",
        "YYYY-MM",
    );
    expect(
        &text,
        &p,
        "provenance.bad.confidence",
        "confidence = \"sure\"",
        "unknown confidence `sure`",
    );
    expect(
        &text,
        &p,
        "provenance.bad.verified_on",
        "\"2025-13-01\"",
        "YYYY-MM-DD",
    );
    assert_eq!(p.len(), 3, "{p:#?}");
    // The missing `from` is not reported a second time.
    assert_eq!(
        p.iter().filter(|p| p.key.ends_with(".from")).count(),
        1,
        "{p:#?}"
    );
}

#[test]
fn non_utf8_is_refused() {
    let err = layer(
        PolicySet::empty(),
        b"name = \"\xff\"",
        "x.toml",
        SourceKind::User,
    )
    .unwrap_err();
    assert!(err.to_string().contains("UTF-8"), "{err}");
}
