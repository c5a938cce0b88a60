//! A user policy file that changes one figure changes exactly the amounts that depend on it,
//! and the manifest records the policy actually used.

use crate::common;

use common::{code, repo, stderr};
use rust_decimal::Decimal;

const OVERRIDE: &str = r#"
[provenance.notice]
source = "test: the employer's own reading of a notice"
confidence = "confirmed"
verified_on = 2025-08-01

[[region]]
name = "beijing"

[[region.patch]]
from = "2025-07"
provenance = "notice"

[region.patch.unemployment]
employer_rate = "0.008"
"#;

fn run(out: &std::path::Path, policy: Option<&std::path::Path>) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"));
    cmd.current_dir(repo())
        .args(common::SAMPLE_RUN)
        .args(["--quiet", "--out"]);
    cmd.arg(out);
    if let Some(p) = policy {
        cmd.arg("--policy").arg(p);
    }
    let o = cmd.output().expect("run");
    assert_eq!(code(&o), 1, "{}", stderr(&o));
}

fn table(path: &std::path::Path) -> Vec<Vec<String>> {
    common::read_text(path)
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn one_figure_changes_only_what_depends_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("override.toml");
    std::fs::write(&policy, OVERRIDE).unwrap();
    let (before, after) = (dir.path().join("before"), dir.path().join("after"));
    run(&before, None);
    run(&after, Some(&policy));

    let (a, b) = (
        table(&before.join("contributions.csv")),
        table(&after.join("contributions.csv")),
    );
    assert_eq!(a.len(), b.len());
    let header = &a[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (month, base) = (col("month"), col("base"));
    let (changed, total) = (col("unemployment_employer"), col("employer_total"));
    let mut lines_changed = 0;
    for (x, y) in a.iter().zip(&b).skip(1) {
        for i in 0..header.len() {
            if i == changed || i == total {
                continue;
            }
            assert_eq!(x[i], y[i], "column {} changed: {x:?} vs {y:?}", header[i]);
        }
        // A late fee has no insurance columns; its total follows the month's amount.
        if x[col("kind")] == "late_fee" {
            continue;
        }
        let in_patched_period = x[month].as_str() >= "2025-07";
        if in_patched_period {
            // base × 0.008, half-up to the fen; the employer total moves by the difference.
            let base: Decimal = x[base].parse().unwrap();
            let mut want = (base * Decimal::new(8, 3))
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            want.rescale(2);
            let want = want.to_string();
            assert_eq!(y[changed], want, "{y:?}");
            assert_ne!(x[changed], y[changed]);
            lines_changed += 1;
        } else {
            assert_eq!(
                x[changed], y[changed],
                "a 2025-06 back-pay month keeps its own period: {y:?}"
            );
        }
    }
    assert!(lines_changed > 20);

    let manifest = |d: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(d.join("manifest.json")).unwrap()).unwrap()
    };
    let (m1, m2) = (manifest(&before), manifest(&after));
    assert_ne!(m1["policy"]["digest"], m2["policy"]["digest"]);
    let sources = m2["policy"]["sources"].to_string();
    assert!(sources.contains("override.toml"), "{sources}");
}

#[test]
fn policy_command_shows_sources_and_check_validates() {
    let w = common::Work::new();
    let o = w.run(&["policy", "--region", "beijing", "--period", "2025-08"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "7162",
        "35811",
        "medium",
        "unverified",
        "source",
        "2% + 3.00",
    ] {
        assert!(text.contains(needle), "missing {needle}:\n{text}");
    }
    let o = w.run(&["policy", "--region", "nowhere"]);
    assert_eq!(code(&o), 2);

    w.write("good.toml", OVERRIDE);
    let o = w.run(&["policy", "check", "good.toml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    w.write(
        "bad.toml",
        OVERRIDE
            .replace("employer_rate", "employee_rate")
            .replace("unemployment", "injury"),
    );
    let o = w.run(&["policy", "check", "bad.toml"]);
    assert_eq!(code(&o), 2, "an employee share for work injury is invalid");
    assert!(
        stderr(&o).contains("P003") && stderr(&o).contains("bad.toml"),
        "{}",
        stderr(&o)
    );
}
