//! Tests of the policy set as a whole: the embedded tables, lookups, layering.

use super::set::{hex, EMBEDDED};
use super::*;
use crate::calendar::Month;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::str::FromStr;

fn m(s: &str) -> Month {
    s.parse().unwrap()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Every figure of every period: (region, from, to, key, value, provenance).
type Row = (String, Month, Option<Month>, String, String, Provenance);

fn all_figures(set: &PolicySet) -> Vec<Row> {
    let mut out = Vec::new();
    for r in set.regions() {
        for p in r.periods() {
            for f in p.figures() {
                let key = match f.insurance {
                    Some(i) => format!("{i}.{}", f.name),
                    None => f.name.to_string(),
                };
                out.push((
                    r.name.clone(),
                    p.from,
                    p.to,
                    key,
                    f.value,
                    (**f.provenance).clone(),
                ));
            }
        }
    }
    out
}

const USER_PROV: &str = r#"
[provenance.notice]
source = "京人社发〔2025〕99号"
confidence = "confirmed"
verified_on = 2025-10-01
"#;

#[test]
fn embedded_tables_validate_and_cover_every_month_from_2024_07() {
    let set = PolicySet::embedded().expect("embedded tables must validate");
    let names: Vec<&str> = set.regions().map(|r| r.name()).collect();
    assert_eq!(
        names,
        [
            "beijing",
            "shanghai",
            "shenzhen",
            "guangzhou",
            "hangzhou",
            "tianjin",
            "chongqing",
            "chengdu",
            "wuhan",
            "nanjing",
            "hefei",
            "xian"
        ]
    );
    for r in set.regions() {
        for month in m("2024-07").through(m("2035-12")) {
            assert!(
                r.period(month).is_some(),
                "{} has no period for {month}",
                r.name()
            );
        }
        // Every period ends where its source says; later months carry it forward.
        assert!(
            r.periods().iter().all(|p| p.to().is_some()),
            "{}: a period is open-ended",
            r.name()
        );
        assert_eq!(
            r.insurance_names()[..4],
            ["pension", "medical", "unemployment", "injury"]
        );
    }
    let codes: Vec<&str> = set.regions().map(|r| r.code()).collect();
    assert_eq!(
        codes,
        [
            "110000", "310000", "440300", "440100", "330100", "120000", "500000", "510100",
            "420100", "320100", "340100", "610100"
        ]
    );
    // Chinese name, code and pinyin all find a city.
    for given in ["成都", "510100", "chengdu", "西安市", "xi'an", "Wuhan"] {
        assert!(set.region(given).is_some(), "{given}");
    }
}

#[test]
fn embedded_figures_match_the_domain_tables() {
    let set = PolicySet::embedded().unwrap();
    let bj = set.region("beijing").unwrap();
    let p24 = bj.period(m("2024-07")).unwrap();
    assert_eq!(
        (p24.floor("pension"), p24.ceiling("medical")),
        (Some(d("6821")), Some(d("35283")))
    );
    let fl = &p24.insurance("pension").unwrap().floor;
    assert_eq!(fl.provenance.confidence, Confidence::High);
    let p25 = bj.period(m("2025-07")).unwrap();
    assert_eq!(
        (p25.floor("injury"), p25.ceiling("injury")),
        (Some(d("7162")), Some(d("35811")))
    );
    let med = p25.insurance("medical").unwrap();
    let ee = med.employee.as_ref().unwrap();
    assert_eq!(
        (ee.rate.value, ee.fixed.as_ref().unwrap().value),
        (d("0.02"), d("3.00"))
    );
    assert_eq!(
        ee.fixed.as_ref().unwrap().provenance.confidence,
        Confidence::Medium
    );
    let sh = set
        .region("shanghai")
        .unwrap()
        .period(m("2025-07"))
        .unwrap();
    assert_eq!(sh.floor("pension"), Some(d("7460")));
    for ins in ["pension", "medical", "unemployment"] {
        let i = sh.insurance(ins).unwrap();
        assert_eq!(i.employer.rounding.value, Rounding::CeilJiao);
        assert_eq!(i.employer.rounding.provenance.confidence, Confidence::Low);
    }
    assert_eq!(
        sh.insurance("injury").unwrap().employer.rounding.value,
        Rounding::HalfUpFen
    );
    let hz = set.region("hangzhou").unwrap();
    assert_eq!(hz.period(m("2024-12")).unwrap().from(), m("2024-01"));
    assert_eq!(
        hz.period(m("2025-01"))
            .unwrap()
            .contribution_year_start_month(),
        1
    );
    let sz = set
        .region("shenzhen")
        .unwrap()
        .period(m("2025-01"))
        .unwrap();
    assert_eq!(
        (sz.floor("pension"), sz.floor("unemployment")),
        (Some(d("4492")), Some(d("2360")))
    );
    let sz26 = set.period_for("shenzhen", m("2026-03")).unwrap();
    assert_eq!(
        (
            sz26.floor("pension"),
            sz26.floor("medical"),
            sz26.ceiling("unemployment"),
            sz26.floor("maternity")
        ),
        (
            Some(d("4775")),
            Some(d("6727")),
            Some(d("44265")),
            Some(d("6727"))
        )
    );
    // Work injury and, where present, maternity: nothing from the employee.
    for r in set.regions() {
        for p in r.periods() {
            assert!(p.insurance("injury").unwrap().employee.is_none());
        }
    }
}

#[test]
fn region_lookup_by_name_code_alias() {
    let set = PolicySet::embedded().unwrap();
    for given in [
        "beijing",
        "Beijing",
        "110000",
        "北京",
        "北京市",
        "BJ",
        " bj ",
    ] {
        assert_eq!(
            set.region(given).map(Region::name),
            Some("beijing"),
            "{given}"
        );
    }
    assert!(set.region("wuxi").is_none());
    match set.require_region("wuxi") {
        Err(PolicyError::UnknownRegion { known, .. }) => assert_eq!(known.len(), 12),
        other => panic!("{other:?}"),
    }
}

#[test]
fn no_coverage_is_p002() {
    let set = PolicySet::embedded().unwrap();
    let err = set.period_for("beijing", m("2024-06")).unwrap_err();
    assert_eq!(err.code(), Some("P002"));
    assert!(
        err.to_string()
            .contains("2024-07 – 2025-06, 2025-07 – 2026-06, 2026-07 – 2027-06"),
        "{err}"
    );
    assert!(set.period_for("beijing", m("2024-07")).is_ok());
}

#[test]
fn stop_month_and_contribution_year() {
    let set = PolicySet::embedded().unwrap();
    let p = set.period_for("beijing", m("2025-08")).unwrap();
    assert!(p.leaving_month_charged());
    assert_eq!(p.stop_month_for(m("2025-08")), m("2025-09"));
    assert_eq!(p.stop_month_for(m("2025-12")), m("2026-01"));
    assert_eq!(p.retro_limit_months(), 12);
    assert_eq!(p.contribution_year_start(m("2025-07")), m("2025-07"));
    assert_eq!(p.contribution_year_start(m("2026-06")), m("2025-07"));
    assert_eq!(p.contribution_year_start(m("2026-07")), m("2026-07"));
    let hz = set.period_for("hangzhou", m("2025-08")).unwrap();
    assert_eq!(hz.contribution_year_start(m("2025-08")), m("2025-01"));
    assert_eq!(hz.contribution_year_start(m("2025-01")), m("2025-01"));
    // Patched to "not charged": the stop month is the leaving month.
    let text = format!(
        "{USER_PROV}[[region]]\nname = \"beijing\"\n[[region.patch]]\nfrom = \"2025-07\"\n\
         leaving_month_charged = {{ value = false, provenance = \"notice\" }}\n"
    );
    let set = set.layer_str(&text, "u.toml").unwrap();
    let p = set.period_for("beijing", m("2025-08")).unwrap();
    assert_eq!(p.stop_month_for(m("2025-08")), m("2025-08"));
}

#[test]
fn patching_one_figure_changes_exactly_that_figure() {
    let before = PolicySet::embedded().unwrap();
    let text = format!(
        "{USER_PROV}
[[region]]
name = \"beijing\"
[[region.patch]]
from = \"2025-07\"
[region.patch.pension]
floor = {{ value = \"7500\", provenance = \"notice\" }}
"
    );
    let after = before.clone().layer_str(&text, "user.toml").unwrap();
    let (a, b) = (all_figures(&before), all_figures(&after));
    assert_eq!(a.len(), b.len());
    let changed: Vec<(&Row, &Row)> = a.iter().zip(&b).filter(|(x, y)| x != y).collect();
    assert_eq!(changed.len(), 1, "{changed:#?}");
    let (old, new) = changed[0];
    assert_eq!(
        (old.0.as_str(), old.1, old.3.as_str()),
        ("beijing", m("2025-07"), "pension.floor")
    );
    assert_eq!((old.4.as_str(), new.4.as_str()), ("7162", "7500"));
    assert_eq!(new.5.source, "京人社发〔2025〕99号");
    assert_eq!(new.5.confidence, Confidence::Confirmed);
    assert_eq!(&*new.5.origin, "user.toml");
    // The medical floor of the same period is untouched.
    let p = after.period_for("beijing", m("2025-08")).unwrap();
    assert_eq!(p.floor("medical"), Some(d("7162")));
}

#[test]
fn a_period_wide_value_in_a_patch_reaches_every_insurance() {
    let text = format!(
        "{USER_PROV}[[region]]\nname = \"shanghai\"\n[[region.patch]]\nfrom = \"2025-07\"\n\
         provenance = \"notice\"\nfloor = \"7500\"\nceiling = \"37500\"\n\
         [region.patch.injury]\nfloor = \"7000\"\n"
    );
    let set = PolicySet::embedded()
        .unwrap()
        .layer_str(&text, "u.toml")
        .unwrap();
    let p = set.period_for("shanghai", m("2025-07")).unwrap();
    for ins in ["pension", "medical", "unemployment"] {
        assert_eq!(
            (p.floor(ins), p.ceiling(ins)),
            (Some(d("7500")), Some(d("37500")))
        );
    }
    // The insurance's own value in the same patch wins.
    assert_eq!(p.floor("injury"), Some(d("7000")));
    // The other period is untouched.
    let old = set.period_for("shanghai", m("2025-06")).unwrap();
    assert_eq!(old.floor("pension"), Some(d("7384")));
}

fn beijing_period(from: &str, floor: &str) -> String {
    format!(
        "
[[region.period]]
from = \"{from}\"
provenance = \"notice\"
contribution_year_start = 7
leaving_month_charged = true
retro_limit_months = 6
floor = \"{floor}\"
ceiling = \"36000\"
rounding = \"half-up-fen\"
[region.period.pension]
employer_rate = \"0.16\"
employee_rate = \"0.08\"
[region.period.medical]
employer_rate = \"0.098\"
employee_rate = \"0.02\"
employee_fixed = \"3\"
[region.period.unemployment]
employer_rate = \"0.005\"
employee_rate = \"0.005\"
[region.period.injury]
employer_rate = \"0.002\"
employer_rate_min = \"0.002\"
employer_rate_max = \"0.0285\"
[region.period.extra.serious_illness]
floor = \"0\"
ceiling = \"0\"
employer_rate = \"0\"
employee_rate = \"0\"
employee_fixed = \"3\"
"
    )
}

#[test]
fn a_new_period_closes_the_open_one() {
    let text = format!(
        "{USER_PROV}[[region]]\nname = \"beijing\"\n{}",
        beijing_period("2026-07", "7400")
    );
    let set = PolicySet::embedded()
        .unwrap()
        .layer_str(&text, "u.toml")
        .unwrap();
    let bj = set.region("beijing").unwrap();
    let froms: Vec<(Month, Option<Month>)> =
        bj.periods().iter().map(|p| (p.from(), p.to())).collect();
    assert_eq!(
        froms,
        [
            (m("2024-07"), Some(m("2025-06"))),
            (m("2025-07"), Some(m("2026-06"))),
            (m("2026-07"), None)
        ]
    );
    assert_eq!(
        bj.period(m("2026-06")).unwrap().floor("pension"),
        Some(d("7162"))
    );
    let new = bj.period(m("2026-07")).unwrap();
    assert_eq!(new.floor("pension"), Some(d("7400")));
    assert_eq!(new.retro_limit_months(), 6);
    // The extra column appears after the core four.
    assert_eq!(
        bj.insurance_names(),
        [
            "pension",
            "medical",
            "unemployment",
            "injury",
            "serious_illness"
        ]
    );
    let a = crate::contributions::compute(new, d("10000"), None);
    let si = a.item("serious_illness").unwrap();
    assert_eq!(
        (si.base, si.employer, si.employee),
        (d("0"), d("0.00"), d("3.00"))
    );
}

#[test]
fn a_period_with_the_same_from_replaces_the_old_one() {
    let text = format!(
        "{USER_PROV}[[region]]\nname = \"beijing\"\n{}",
        beijing_period("2026-07", "7300")
    );
    let (set, changes) = load::layer(
        PolicySet::embedded().unwrap(),
        text.as_bytes(),
        "u.toml",
        SourceKind::User,
    )
    .unwrap();
    assert_eq!(changes, ["beijing: replaces period 2026-07"]);
    let bj = set.region("beijing").unwrap();
    assert_eq!(bj.periods().len(), 3);
    let p = bj.period(m("2026-07")).unwrap();
    assert_eq!(p.floor("pension"), Some(d("7300")));
    assert!(p
        .figures()
        .iter()
        .all(|f| &*f.provenance.origin == "u.toml"));
}

#[test]
fn adding_a_region() {
    let text = format!(
        "{USER_PROV}[[region]]\nname = \"wuxi\"\ncode = \"320200\"\naliases = [\"无锡\"]\n{}",
        beijing_period("2025-07", "5000")
    );
    let set = PolicySet::embedded()
        .unwrap()
        .layer_str(&text, "u.toml")
        .unwrap();
    let wx = set.region("无锡").unwrap();
    assert_eq!((wx.name(), wx.code()), ("wuxi", "320200"));
    assert_eq!(wx.period(m("2025-06")), None);
    assert_eq!(set.regions().count(), EMBEDDED.len());
}

#[test]
fn the_employer_injury_rate() {
    let set = PolicySet::embedded().unwrap();
    assert_eq!(set.region("shanghai").unwrap().injury_rate(), None);
    let set = set.set_injury_rate("上海", d("0.004")).unwrap();
    let sh = set.region("shanghai").unwrap();
    assert_eq!(sh.injury_rate(), Some(d("0.004")));
    // The default injury rate is no longer "used", so P001 drops it.
    let p001 = sh.unconfirmed(m("2025-08"), set.confirmation());
    assert!(!p001
        .iter()
        .any(|f| f.insurance == Some(InsuranceId::INJURY) && f.figure == "employer_rate"));
    assert!(
        !p001.iter().any(|f| f.figure == "injury_rate"),
        "the employer's own rate is its fact"
    );
    assert!(set.clone().set_injury_rate("shanghai", d("0.03")).is_err());
    assert!(matches!(
        set.set_injury_rate("nowhere", d("0.004")),
        Err(PolicyError::UnknownRegion { .. })
    ));
}

#[test]
fn p001_lists_unconfirmed_figures_once() {
    let set = PolicySet::embedded().unwrap();
    let c = set.confirmation();
    let bj = set.region("beijing").unwrap();
    let early = bj.unconfirmed(m("2024-08"), c);
    let key = |f: &FigureRef| f.key();
    // High confidence from a source citing the official text: confirmed.
    assert!(!early.iter().any(|f| key(f) == "pension.floor"));
    assert!(!early.iter().any(|f| key(f) == "contribution_year_start"));
    // Medium: reported, with its source and evidence.
    let fixed = early
        .iter()
        .find(|f| key(f) == "medical.employee_fixed")
        .unwrap();
    assert_eq!(
        (fixed.confidence, fixed.evidence),
        (Confidence::Medium, Evidence::OfficialCiting)
    );
    assert!(fixed.source.contains("rsj.beijing.gov.cn"));
    // Over a run: once per figure and period.
    let months = [m("2025-08"), m("2026-08"), m("2025-09")];
    let run = set.unconfirmed(bj, months);
    let fixed: Vec<_> = run
        .iter()
        .filter(|f| key(f) == "medical.employee_fixed")
        .collect();
    assert_eq!(fixed.len(), 2, "one per period used");
    let mut dedup = run.clone();
    dedup.dedup_by(|a, b| {
        (a.period_from, a.insurance, a.figure) == (b.period_from, b.insurance, b.figure)
    });
    assert_eq!(dedup.len(), run.len());
}

#[test]
fn confirmation_is_data_a_user_file_can_replace() {
    let set = PolicySet::embedded().unwrap();
    let bj = set.region("beijing").unwrap();
    assert!(!bj.unconfirmed(m("2026-08"), set.confirmation()).is_empty());
    let text = "[confirmation]\nconfidence = [\"confirmed\", \"high\", \"medium-high\", \"medium\", \"low\", \"unverified\"]\n\
                evidence = [\"official\", \"official-citing\", \"third-party\", \"memory\"]\n";
    let all = set.clone().layer_str(text, "c.toml").unwrap();
    let bj = all.region("beijing").unwrap();
    assert!(bj.unconfirmed(m("2026-08"), all.confirmation()).is_empty());
    // A confidence outside the list keeps a figure unconfirmed.
    let text = "[confirmation]\nconfidence = [\"confirmed\"]\nevidence = [\"official\"]\n";
    let strict = set.layer_str(text, "c.toml").unwrap();
    let bj = strict.region("beijing").unwrap();
    assert!(bj
        .unconfirmed(m("2026-08"), strict.confirmation())
        .iter()
        .any(|f| f.key() == "pension.floor"));
}

#[test]
fn months_after_the_last_period_carry_it_forward() {
    let set = PolicySet::embedded().unwrap();
    let bj = set.region("beijing").unwrap();
    assert_eq!(bj.carried(m("2027-06")), None);
    let last = bj.carried(m("2027-08")).unwrap();
    assert_eq!((last.from(), last.to()), (m("2026-07"), Some(m("2027-06"))));
    assert_eq!(bj.period(m("2027-08")), Some(last));
    // Before the first period nothing is carried: P002.
    assert!(set.period_for("beijing", m("2024-06")).is_err());
}

#[test]
fn a_change_splits_its_period_for_one_insurance() {
    let set = PolicySet::embedded().unwrap();
    let sh = set.region("shanghai").unwrap();
    let before = sh.period(m("2025-02")).unwrap();
    let after = sh.period(m("2025-03")).unwrap();
    assert_eq!(before.to(), Some(m("2025-02")));
    assert_eq!(after.from(), m("2025-03"));
    let rate = |p: &Period| p.insurance("medical").unwrap().employer.rate.value;
    assert_eq!((rate(before), rate(after)), (d("0.10"), d("0.09")));
    // Everything else is the same period's.
    assert_eq!(before.floor("pension"), after.floor("pension"));
    assert_eq!(
        before.insurance("pension"),
        after.insurance("pension"),
        "only medical changes"
    );
}

#[test]
fn replacing_a_period_replaces_the_pieces_its_changes_split_off() {
    let text = format!(
        "{USER_PROV}[[region]]\nname = \"shanghai\"\n{}",
        beijing_period("2025-07", "7460")
            .replace("from = \"2025-07\"", "from = \"2025-07\"\nto = \"2026-06\"")
    );
    let set = PolicySet::embedded()
        .unwrap()
        .layer_str(&text, "u.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    let sh = set.region("shanghai").unwrap();
    let p = sh.period(m("2026-04")).unwrap();
    assert_eq!((p.from(), p.to()), (m("2025-07"), Some(m("2026-06"))));
    assert_eq!(
        p.insurance("medical").unwrap().employer.rate.value,
        d("0.098")
    );
}

#[test]
fn changes_and_evidence_are_checked() {
    let bad = [
        (
            "[[region]]\nname = \"shanghai\"\n[[region.patch]]\nfrom = \"2025-07\"\n[[region.patch.change]]\nfrom = \"2025-09\"\n",
            "a patch cannot hold",
        ),
        (
            "[provenance.x]\nsource = \"s\"\nconfidence = \"high\"\nevidence = \"rumour\"\nverified_on = 2026-01-01\n",
            "unknown evidence `rumour`",
        ),
        (
            "[provenance.x]\nsource = \"s\"\nconfidence = \"sure\"\nverified_on = 2026-01-01\n",
            "medium-high",
        ),
    ];
    for (text, needle) in bad {
        let err = PolicySet::embedded()
            .unwrap()
            .layer_str(text, "u.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains(needle), "{needle}: {err}");
    }
    let with_to = format!(
        "{USER_PROV}[[region]]\nname = \"wuxi\"\ncode = \"320200\"\n{}\
         [[region.period.change]]\nfrom = \"2025-09\"\nto = \"2025-10\"\n",
        beijing_period("2025-07", "5000")
    );
    let err = PolicySet::embedded()
        .unwrap()
        .layer_str(&with_to, "u.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not `to`"), "{err}");
}

#[test]
fn a_change_outside_its_period_is_refused() {
    let text = format!(
        "{USER_PROV}[[region]]\nname = \"wuxi\"\ncode = \"320200\"\n{}\
         [[region.period.change]]\nfrom = \"2030-01\"\n[region.period.change.medical]\nemployer_rate = \"0.09\"\n",
        beijing_period("2025-07", "5000").replace("from = \"2025-07\"", "from = \"2025-07\"\nto = \"2026-06\"")
    );
    let err = PolicySet::embedded()
        .unwrap()
        .layer_str(&text, "u.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a change must start inside its period"),
        "{err}"
    );
}

#[test]
fn digest_follows_the_sources_in_order() {
    let a = PolicySet::embedded().unwrap();
    let b = PolicySet::embedded().unwrap();
    assert_eq!(a.digest(), b.digest());
    assert_eq!(a.digest().len(), 64);
    let sources = a.sources();
    assert_eq!(sources.len(), EMBEDDED.len());
    assert!(sources
        .iter()
        .all(|s| s.kind == SourceKind::Embedded && s.sha256.len() == 64));
    assert_eq!(sources[0].name, "embedded:beijing.toml");

    let file = |floor: &str| {
        format!(
            "{USER_PROV}[[region]]\nname = \"beijing\"\n[[region.patch]]\nfrom = \"2025-07\"\n\
             provenance = \"notice\"\nfloor = \"{floor}\"\n"
        )
    };
    let one = a.clone().layer_str(&file("7200"), "one.toml").unwrap();
    let same = b.clone().layer_str(&file("7200"), "renamed.toml").unwrap();
    let other = a.clone().layer_str(&file("7201"), "one.toml").unwrap();
    assert_ne!(one.digest(), a.digest());
    assert_eq!(
        one.digest(),
        same.digest(),
        "the name is not part of the policy"
    );
    assert_ne!(one.digest(), other.digest());
    let last = one.sources().pop().unwrap();
    assert_eq!(
        (last.name.as_str(), last.kind),
        ("one.toml", SourceKind::User)
    );
    assert_eq!(last.sha256, hex(&Sha256::digest(file("7200").as_bytes())));
    // The employer's rate is part of the policy used.
    let with_rate = one.clone().set_injury_rate("beijing", d("0.004")).unwrap();
    assert_ne!(with_rate.digest(), one.digest());
    assert_eq!(
        with_rate.sources().last().unwrap().kind,
        SourceKind::Setting
    );
}

#[test]
fn files_are_read_with_bom_and_crlf_and_named_without_directories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my-policy.toml");
    let text = format!(
        "\u{feff}{USER_PROV}[[region]]\r\nname = \"beijing\"\r\ninjury_rate = \"0.005\"\r\n"
    );
    std::fs::write(&path, &text).unwrap();
    let set = PolicySet::embedded().unwrap().layer_file(&path).unwrap();
    assert_eq!(
        set.region("beijing").unwrap().injury_rate(),
        Some(d("0.005"))
    );
    assert_eq!(set.sources().last().unwrap().name, "my-policy.toml");

    let summary = check_file(&path).unwrap();
    assert!(summary.contains("valid policy file"), "{summary}");
    assert!(
        summary.contains("beijing: sets the employer's work-injury rate to 0.005"),
        "{summary}"
    );

    std::fs::write(&path, "[[region]]\nname = \"beijing\"\nfoo = 1\n").unwrap();
    match check_file(&path) {
        Err(PolicyError::Invalid { file, problems }) => {
            assert_eq!(
                file,
                path.display().to_string(),
                "messages name the path as given"
            );
            assert_eq!(problems[0].line, Some(3));
        }
        other => panic!("{other:?}"),
    }
    let missing = dir.path().join("missing.toml");
    assert!(matches!(
        PolicySet::embedded().unwrap().layer_file(&missing),
        Err(PolicyError::Io { .. })
    ));
}

#[test]
fn a_patch_can_close_and_reopen_a_period_and_take_whole_numbers() {
    let close = format!(
        "{USER_PROV}[[region]]\nname = \"beijing\"\n[[region.patch]]\nfrom = \"2026-07\"\n\
         to = \"2026-12\"\nprovenance = \"notice\"\nfloor = 7200\n"
    );
    let set = PolicySet::embedded()
        .unwrap()
        .layer_str(&close, "a.toml")
        .unwrap();
    let bj = set.region("beijing").unwrap();
    assert_eq!(
        bj.period(m("2026-12")).unwrap().floor("pension"),
        Some(d("7200"))
    );
    assert!(bj.carried(m("2027-01")).is_some());
    let reopen =
        "[[region]]\nname = \"beijing\"\n[[region.patch]]\nfrom = \"2026-07\"\nto = \"open\"\n";
    let set = set.layer_str(reopen, "b.toml").unwrap();
    let bj = set.region("beijing").unwrap();
    assert_eq!(bj.carried(m("2030-01")), None);
    assert!(bj.period(m("2030-01")).is_some());
}
