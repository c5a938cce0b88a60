//! The `headcount` binary: arguments → Config → library → exit code.

mod cli;
mod cli_text;

use std::process::ExitCode;

use headcount::calendar::{Date, Month};
use headcount::config::{self, Command};
use headcount::exit::Exit;
use headcount::finding::Lang;

fn main() -> ExitCode {
    // Help and usage errors in the user's language (Chinese unless --lang en).
    let argv: Vec<_> = std::env::args_os().collect();
    let lang = cli::lang_of(&argv);
    let args = match cli::parse(argv, lang) {
        Ok(a) => a,
        Err(exit) => return ExitCode::from(exit.code() as u8),
    };
    // Panics become exit-2 messages without their payload; signals clean up temp files.
    headcount::panic_guard::install_hook();
    let exit = match args.command {
        cli::Command::Run(a) => validate(Command::Run, a.inputs, a.common.into_options(None)),
        cli::Command::Check(a) => {
            let format = match a.format {
                cli::FindingsFormat::Csv => "csv",
                cli::FindingsFormat::Json => "json",
            };
            let mut opts = a.common.into_options(Some(format));
            opts.max_findings = a.max_findings;
            validate(Command::Check, a.inputs, opts)
        }
        cli::Command::Verify(v) => verify(v),
        cli::Command::Inspect(a) => inspect(a),
        cli::Command::Rebase(a) => rebase(a.into_options()),
        cli::Command::Rules { format, lang } => rules(format, &lang),
        cli::Command::Policy(p) => policy(p),
        cli::Command::Reconcile(a) => reconcile(a),
    };
    ExitCode::from(exit.code() as u8)
}

fn validate(command: Command, inputs: Vec<std::path::PathBuf>, opts: config::Options) -> Exit {
    let lang = opts
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_default();
    headcount::interrupt::set_lang(lang);
    headcount::interrupt::install();
    let cfg = config::load_file(std::path::Path::new("."))
        .and_then(|file| config::resolve(command, inputs, opts, file, Date::today()));
    let cfg = match cfg {
        Ok(c) => c,
        Err(e) => return fail(&e, lang),
    };
    headcount::interrupt::set_lang(cfg.lang);
    match headcount::pipeline::execute(&cfg) {
        Ok(outcome) => {
            if !cfg.quiet {
                let screen = headcount::output::screen::Screen::of(&cfg, &outcome.written);
                eprint!(
                    "{}",
                    headcount::output::screen::story(&outcome.summary, &screen, cfg.lang)
                );
            }
            outcome.exit
        }
        Err(e) => fail(&e, cfg.lang),
    }
}

fn rebase(opts: headcount::rebase::Options) -> Exit {
    let lang = opts
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_default();
    headcount::interrupt::set_lang(lang);
    headcount::interrupt::install();
    let cfg = match opts.resolve() {
        Ok(c) => c,
        Err(e) => return fail(&e, lang),
    };
    match headcount::rebase::execute(&cfg) {
        Ok(outcome) => {
            if !cfg.quiet {
                eprint!("{}", outcome.summary.screen(cfg.lang));
            }
            outcome.exit
        }
        Err(e) => fail(&e, cfg.lang),
    }
}

fn inspect(a: cli::InspectArgs) -> Exit {
    let lang = a.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let req = config::load_file(std::path::Path::new(".")).and_then(|file| {
        config::inspect_request(
            file,
            a.inputs,
            a.layouts,
            &a.kind,
            a.sheet,
            a.encoding.as_deref(),
            a.lang.as_deref(),
            !a.no_mask,
            a.emit_layout,
        )
    });
    let req = match req {
        Ok(r) => r,
        Err(e) => return fail(&e, lang),
    };
    match headcount::inspect::run(&req) {
        Ok(text) => {
            print!("{text}");
            Exit::Clean
        }
        Err(e) => fail(&e, lang),
    }
}

fn verify(v: cli::VerifyArgs) -> Exit {
    let lang = match v.lang.as_deref().map(Lang::parse) {
        None => Lang::default(),
        Some(Some(l)) => l,
        Some(None) => {
            eprintln!(
                "headcount: --lang: expected zh or en, found `{}`",
                v.lang.unwrap_or_default()
            );
            return Exit::CannotRun;
        }
    };
    if v.jobs == Some(0) {
        eprintln!("headcount: --jobs must be at least 1");
        return Exit::CannotRun;
    }
    headcount::interrupt::set_lang(lang);
    headcount::interrupt::install();
    let verdict = headcount::verify::verify(&headcount::verify::VerifyOptions {
        manifest: v.manifest,
        out: v.out,
        jobs: v.jobs,
        lang,
    });
    // Could-not-run goes to stderr like every exit-2 message; the comparison to stdout.
    for (i, line) in verdict.lines.iter().enumerate() {
        if verdict.exit == Exit::CannotRun {
            if i == 0 {
                eprintln!("headcount: {line}");
            } else {
                eprintln!("{line}");
            }
        } else {
            println!("{line}");
        }
    }
    verdict.exit
}

fn reconcile(a: cli::ReconcileArgs) -> Exit {
    let lang = match a.lang.as_deref().map(Lang::parse) {
        None => Lang::default(),
        Some(Some(l)) => l,
        Some(None) => {
            eprintln!("headcount: --lang: expected zh or en");
            return Exit::CannotRun;
        }
    };
    let period = match a.period.as_deref().map(str::parse::<Month>) {
        None => None,
        Some(Ok(m)) => Some(m),
        Some(Err(e)) => {
            eprintln!("headcount: --period: {e}");
            return Exit::CannotRun;
        }
    };
    headcount::interrupt::set_lang(lang);
    headcount::interrupt::install();
    // No --expected: the month's run computed on the spot, as `run` would with these.
    let compute = match &a.expected {
        Some(_) => None,
        None => {
            let opts = config::Options {
                period: a.period.clone(),
                as_of: a.as_of.clone(),
                region: a.region.clone(),
                policy: a.policy.clone(),
                roster: a.roster.clone(),
                employer: a.employer.clone(),
                lang: a.lang.clone(),
                no_mask: a.no_mask,
                quiet: true,
                ..config::Options::default()
            };
            let cfg = config::load_file(std::path::Path::new(".")).and_then(|file| {
                config::resolve(Command::Run, a.changes.clone(), opts, file, Date::today())
            });
            match cfg {
                Ok(c) => Some(Box::new(c)),
                Err(e) => return fail(&e, lang),
            }
        }
    };
    let opts = headcount::reconcile::Options {
        bills: a.bills,
        expected: a.expected.unwrap_or_default(),
        compute,
        computed: false,
        out: a.out,
        layouts: a.layouts,
        period,
        region: a.region,
        policy: a.policy,
        lang,
        mask: !a.no_mask,
    };
    match headcount::reconcile::run(&opts) {
        Ok(outcome) => {
            if !a.quiet {
                eprint!("{}", outcome.screen);
            }
            outcome.exit
        }
        Err(e) => fail(&e, lang),
    }
}

fn fail(e: &headcount::error::Error, lang: Lang) -> Exit {
    // A message may quote a cell: ID-shaped text is masked on stderr, always.
    let message = headcount::error::message(e, lang);
    eprintln!(
        "headcount: {}",
        headcount::output::redact::id_tokens(&message)
    );
    Exit::CannotRun
}

fn rules(format: cli::CatalogueFormat, lang: &str) -> Exit {
    let Some(lang) = Lang::parse(lang) else {
        eprintln!("headcount: --lang: expected zh or en, found `{lang}`");
        return Exit::CannotRun;
    };
    let out = match format {
        cli::CatalogueFormat::Text => headcount::rules::catalogue::text(lang),
        cli::CatalogueFormat::Json => headcount::rules::catalogue::json(),
        cli::CatalogueFormat::Md => headcount::rules::catalogue::markdown(),
    };
    print!("{out}");
    Exit::Clean
}

/// `headcount policy confirm --region R --period M`: the template of a confirming file.
fn policy_confirm(region: &str, period: &str, user: Option<&std::path::Path>) -> Exit {
    use headcount::policy::{render, PolicySet};
    let month = match period.parse::<Month>() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("headcount: --period: {e}");
            return Exit::CannotRun;
        }
    };
    let set = match PolicySet::embedded().and_then(|s| match user {
        Some(f) => s.layer_file(f),
        None => Ok(s),
    }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("headcount: {e}");
            return Exit::CannotRun;
        }
    };
    let r = match set.require_region(region) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("headcount: {e}");
            return Exit::CannotRun;
        }
    };
    match r.period(month) {
        Some(p) => {
            emit(&render::confirm_template(
                r,
                p,
                set.confirmation(),
                Date::today(),
            ));
            Exit::Clean
        }
        None => {
            eprintln!("headcount: [P002] no policy covers {} in {month}", r.name());
            Exit::CannotRun
        }
    }
}

fn policy(p: cli::PolicyArgs) -> Exit {
    use headcount::policy::{render, PolicySet};
    if let Some(cli::PolicyCommand::Confirm { region, period }) = &p.command {
        return policy_confirm(region, period, p.policy.as_deref());
    }
    if let Some(cli::PolicyCommand::Check { file }) = p.command {
        return match headcount::policy::check_file(&file) {
            Ok(summary) => {
                emit(&summary);
                Exit::Clean
            }
            Err(e) => {
                eprintln!("headcount: {e}");
                Exit::CannotRun
            }
        };
    }
    let lang = match p.lang.as_deref().map(Lang::parse) {
        None => Lang::Zh,
        Some(Some(l)) => l,
        Some(None) => {
            eprintln!("headcount: --lang: use zh or en");
            return Exit::CannotRun;
        }
    };
    let month = match p.period.as_deref().map(str::parse::<Month>) {
        Some(Ok(m)) => Some(m),
        Some(Err(e)) => {
            eprintln!("headcount: --period: {e}");
            return Exit::CannotRun;
        }
        None => None,
    };
    let set = match PolicySet::embedded().and_then(|s| match &p.policy {
        Some(f) => s.layer_file(f),
        None => Ok(s),
    }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("headcount: {e}");
            return Exit::CannotRun;
        }
    };
    let regions: Vec<_> = match &p.region {
        Some(name) => match set.region(name) {
            Some(r) => vec![r],
            None => {
                let known: Vec<_> = set.regions().map(|r| r.name().to_string()).collect();
                eprintln!(
                    "headcount: unknown region `{name}`; known: {}",
                    known.join(", ")
                );
                return Exit::CannotRun;
            }
        },
        None => set.regions().collect(),
    };
    let Some(month) = month.or_else(|| {
        if matches!(p.format, cli::TextOrJson::Json) {
            Some(Date::today().month_of())
        } else {
            None
        }
    }) else {
        // No month: the overview of every period, in the user's language.
        let today = Date::today().month_of();
        for (i, region) in regions.iter().enumerate() {
            if i > 0 {
                emit("\n");
            }
            emit(&render::overview(region, set.confirmation(), today, lang));
        }
        return Exit::Clean;
    };
    let mut exit = Exit::Clean;
    for region in regions {
        match region.period(month) {
            Some(period) => match p.format {
                cli::TextOrJson::Text => {
                    emit(&render::text(region, period, set.confirmation(), month))
                }
                cli::TextOrJson::Json => emit(&format!("{}\n", render::json(region, period))),
            },
            None => {
                eprintln!(
                    "headcount: [P002] no policy covers {} in {month}",
                    region.name()
                );
                exit = Exit::CannotRun;
            }
        }
    }
    exit
}

/// Standard output for the policy listings: a closed pipe (`| head`) ends the listing
/// quietly instead of panicking.
fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
