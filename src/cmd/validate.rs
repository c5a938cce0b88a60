//! `headcount run` and `headcount check`.

use headcount::calendar::Date;
use headcount::config::{self, Command, Values};
use headcount::exit::Exit;

pub fn run(command: Command, cli: Values) -> Exit {
    let lang = super::early_lang(&cli);
    headcount::interrupt::set_lang(lang);
    headcount::interrupt::install();
    let cfg = config::options(command.id(), cli)
        .and_then(|(v, tables)| config::resolve(command, &v, tables, Date::today()));
    let cfg = match cfg {
        Ok(c) => c,
        Err(e) => return super::fail(&e, lang),
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
        Err(e) => super::fail(&e, cfg.lang),
    }
}
