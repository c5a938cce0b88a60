//! `headcount verify MANIFEST`: repeat a recorded run and compare. The library returns a
//! report; it is printed here, the comparison on stdout, a could-not-run on stderr.

use headcount::config::{self, Values};
use headcount::exit::Exit;

pub fn run(cli: Values) -> Exit {
    let (v, _, lang) = match super::options("verify", cli) {
        Ok(o) => o,
        Err(exit) => return exit,
    };
    let jobs = match config::jobs(&v) {
        Ok(j) => j,
        Err(e) => return super::fail(&e, lang),
    };
    headcount::interrupt::set_lang(lang);
    headcount::interrupt::install();
    let report = headcount::verify::verify(&headcount::verify::VerifyOptions {
        manifest: v.path("manifest").unwrap_or_default(),
        out: v.path("out"),
        jobs,
    });
    let lines = report.render(lang);
    for (i, line) in lines.iter().enumerate() {
        if report.exit == Exit::CannotRun {
            if i == 0 {
                eprintln!("headcount: {line}");
            } else {
                eprintln!("{line}");
            }
        } else {
            super::emit(&format!("{line}\n"));
        }
    }
    report.exit
}
