//! The words HR exports use for change types, reasons, sex, categories and roster status.
//!
//! Matching ignores spaces and Latin case and treats full-width ASCII as ASCII. A
//! `code|label` cell is read by its label; the code is used only when the label is not
//! known, and a cell whose known code contradicts its known label is rejected. Bare codes are
//! never accepted: the same digits mean different things in different cities' lists (sex `1`
//! is female in Guangdong and male in GB/T 2261.1; `12` is a reduction in Guangdong and a
//! transfer-in task in Shanghai).

use super::text::{is_trim, map_char, split_code_label};
use crate::model::{Category, ChangeKind, Reason, RosterStatus, Sex};

/// Declares a word table and the matching "accepted" list from one definition. Words are
/// written in key form: lower case, no spaces, ASCII punctuation (a test checks this).
macro_rules! vocabulary {
    ($table:ident, $accepted:ident: $t:ty { $($val:expr => [$($w:literal),+ $(,)?]),+ $(,)? }) => {
        const $table: &[(&str, $t)] = &[$($(($w, $val),)+)+];
        const $accepted: &[&str] = &[$($($w,)+)+];
    };
}

vocabulary!(CHANGE_WORDS, CHANGE_ACCEPTED: ChangeKind {
    ChangeKind::Addition => [
        "增员", "新参保", "新增", "转入", "新进", "增加", "增", "参保", "新增参保", "增员登记",
        "参保登记", "调入", "续保", "恢复缴费", "恢复参保",
        "add", "addition", "added", "new", "increase", "enrol", "enroll", "enrolment",
        "enrollment", "transferin",
    ],
    ChangeKind::Reduction => [
        "减员", "停保", "停缴", "转出", "封存", "减少", "减", "停止缴费", "停止参保", "减员登记",
        "停保登记", "调出", "中断缴费", "终止参保", "退保",
        "reduce", "reduction", "reduced", "remove", "removal", "decrease", "stop",
        "transferout",
    ],
});

/// Guangdong template codes (`11|增员`, `12|减员`).
const CHANGE_CODES: &[(&str, ChangeKind)] =
    &[("11", ChangeKind::Addition), ("12", ChangeKind::Reduction)];

vocabulary!(REASON_WORDS, REASON_ACCEPTED: Reason {
    Reason::Resign => [
        "辞职", "主动离职", "个人原因离职", "个人辞职", "本人辞职", "员工辞职", "主动辞职",
        "自动离职", "自离", "个人原因",
        "resign", "resigned", "resignation", "quit",
    ],
    Reason::TerminateMutual => [
        "协商解除", "协商解除劳动合同", "协商一致解除", "协商一致解除劳动合同", "双方协商解除",
        "协议解除", "协商离职",
        "terminate_mutual", "terminatemutual", "mutual", "mutualtermination",
    ],
    Reason::Dismiss => [
        "解除劳动合同", "辞退", "解雇", "开除", "解聘", "公司解聘", "单位解聘", "单位辞退",
        "单位解除劳动合同", "用人单位解除劳动合同", "除名",
        "dismiss", "dismissed", "dismissal", "fired",
    ],
    Reason::ContractEnd => [
        "合同到期", "劳动合同期满", "劳动合同期满终止", "合同期满", "劳动合同到期",
        "合同到期终止", "合同期满终止", "合同到期不续签", "到期不续签",
        "contract_end", "contractend", "contractexpired", "contractexpiry",
    ],
    Reason::Retire => [
        "退休", "达到法定退休年龄", "法定退休", "办理退休", "正常退休", "提前退休",
        "retire", "retired", "retirement",
    ],
    Reason::Death => [
        "死亡", "身故", "去世", "病故", "亡故", "工伤死亡", "因病死亡",
        "death", "died", "deceased",
    ],
    Reason::TransferOut => [
        "转出", "调出", "跨统筹区转移", "跨地区转移", "转移", "关系转出", "社保转出",
        "transfer_out", "transferout", "transfer", "transferred",
    ],
    Reason::Military => [
        "参军", "应征入伍", "入伍", "服兵役",
        "military", "enlist", "enlisted",
    ],
    Reason::Emigrate => [
        "出国(境)定居", "出国定居", "出境定居", "定居国外", "移民",
        "emigrate", "emigrated", "emigration",
    ],
    Reason::UnitClosed => [
        "单位注销", "破产", "单位破产", "企业注销", "公司注销", "企业破产", "公司破产",
        "单位关闭", "关闭", "倒闭", "歇业",
        "unit_closed", "unitclosed", "closed", "closure", "bankrupt", "bankruptcy",
    ],
    Reason::Other => ["其他", "其它", "其他原因", "other", "others"],
    Reason::Extend => [
        "延长缴费", "继续缴费", "延缴", "继续缴费至满最低缴费年限", "延长缴费至满最低缴费年限",
        "extend",
    ],
    Reason::Interrupted => [
        "补缴中断", "中断补缴", "断缴补缴", "补缴中断期间", "interrupted",
    ],
});

/// Guangzhou template codes (`28|辞职`, `29|解雇`, `99|其他`). Shanghai's numbered
/// reasons overlap these digits, so they are read only through their labels.
const REASON_CODES: &[(&str, Reason)] = &[
    ("28", Reason::Resign),
    ("29", Reason::Dismiss),
    ("99", Reason::Other),
];

vocabulary!(SEX_WORDS, SEX_ACCEPTED: Sex {
    Sex::Male => ["男", "男性", "m", "male"],
    Sex::Female => ["女", "女性", "f", "female"],
});

vocabulary!(CATEGORY_WORDS, CATEGORY_ACCEPTED: Category {
    Category::Worker => ["工人", "工勤", "工勤岗", "工勤人员", "生产岗", "生产工人", "worker"],
    // Management and professional-technical posts retire as cadres; other post names are
    // left unread (V018 then assumes the earlier age and says so).
    Category::Cadre => [
        "干部", "管理岗", "管理岗位", "管理人员", "专业技术岗", "专业技术岗位", "专业技术人员",
        "cadre",
    ],
});

/// Guangdong `个人身份` code (`06|工人`).
const CATEGORY_CODES: &[(&str, Category)] = &[("06", Category::Worker)];

vocabulary!(STATUS_WORDS, STATUS_ACCEPTED: RosterStatus {
    RosterStatus::Active => [
        "参保", "在保", "正常", "缴费", "正常缴费", "正常参保", "已参保", "参保缴费",
        "active", "normal", "insured", "enrolled",
    ],
    RosterStatus::Stopped => [
        "停保", "暂停", "中断", "减员", "停缴", "停止缴费", "暂停缴费", "中断缴费", "已停保",
        "已减员", "终止", "封存",
        "stopped", "stop", "suspended", "inactive",
    ],
});

/// 增员 or 减员, from the words HR systems and city templates use.
pub fn change_kind(s: &str) -> Option<ChangeKind> {
    parse(s, CHANGE_WORDS, CHANGE_CODES)
}

/// A canonical reduction reason from its Chinese label, a common synonym, its English id
/// (`RESIGN`) or word, or a Guangzhou `code|label` cell.
pub fn reason(s: &str) -> Option<Reason> {
    parse(s, REASON_WORDS, REASON_CODES)
}

/// `男`/`女`, `M`/`F`, `male`/`female`; codes only with their label (`0|男`).
pub fn sex(s: &str) -> Option<Sex> {
    parse(s, SEX_WORDS, &[])
}

/// Worker (工人) or cadre (干部), including post types that settle it unambiguously.
pub fn category(s: &str) -> Option<Category> {
    parse(s, CATEGORY_WORDS, CATEGORY_CODES)
}

/// Active or stopped enrolment in a roster.
pub fn roster_status(s: &str) -> Option<RosterStatus> {
    parse(s, STATUS_WORDS, &[])
}

pub fn accepted_change_kinds() -> &'static [&'static str] {
    CHANGE_ACCEPTED
}

pub fn accepted_reasons() -> &'static [&'static str] {
    REASON_ACCEPTED
}

pub fn accepted_sexes() -> &'static [&'static str] {
    SEX_ACCEPTED
}

pub fn accepted_categories() -> &'static [&'static str] {
    CATEGORY_ACCEPTED
}

pub fn accepted_statuses() -> &'static [&'static str] {
    STATUS_ACCEPTED
}

fn parse<T: Copy + PartialEq>(s: &str, words: &[(&str, T)], codes: &[(&str, T)]) -> Option<T> {
    let Some((code, label)) = split_code_label(s) else {
        return lookup(words, s);
    };
    match (lookup(words, label), lookup(codes, code)) {
        (Some(a), Some(b)) if a != b => None,
        (Some(a), _) => Some(a),
        (None, b) => b,
    }
}

fn lookup<T: Copy>(table: &[(&str, T)], s: &str) -> Option<T> {
    // Words are in key form, so a cell written exactly as one needs no key built.
    if let Some(&(_, t)) = table.iter().find(|(w, _)| *w == s) {
        return Some(t);
    }
    let key = Key::new(s)?;
    let key = key.as_bytes();
    table
        .iter()
        .find(|(w, _)| w.as_bytes() == key)
        .map(|&(_, t)| t)
}

/// Longest key kept; every word is far shorter, so longer text cannot match.
const KEY_CAP: usize = 64;

/// The comparison form of a word, built on the stack: no spaces, full-width ASCII mapped,
/// Latin lower-cased.
struct Key {
    buf: [u8; KEY_CAP],
    len: usize,
}

impl Key {
    fn new(s: &str) -> Option<Key> {
        let mut k = Key {
            buf: [0; KEY_CAP],
            len: 0,
        };
        for c in s.chars() {
            let c = map_char(c);
            if is_trim(c) {
                continue;
            }
            let c = c.to_ascii_lowercase();
            let end = k.len + c.len_utf8();
            c.encode_utf8(k.buf.get_mut(k.len..end)?);
            k.len = end;
        }
        Some(k)
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    const ALL_WORDS: [&[&str]; 5] = [
        CHANGE_ACCEPTED,
        REASON_ACCEPTED,
        SEX_ACCEPTED,
        CATEGORY_ACCEPTED,
        STATUS_ACCEPTED,
    ];

    #[test]
    fn words_are_written_in_key_form_and_unique() {
        for list in ALL_WORDS {
            let mut seen = HashSet::new();
            for w in list {
                let k = Key::new(w).unwrap();
                assert_eq!(k.as_bytes(), w.as_bytes(), "{w} is not in key form");
                assert!(seen.insert(*w), "{w} listed twice");
            }
        }
    }

    #[test]
    fn change_kinds() {
        use ChangeKind::*;
        for (s, want) in [
            ("增员", Addition),
            ("新参保", Addition),
            ("新增", Addition),
            ("转入", Addition),
            ("新进", Addition),
            ("增加", Addition),
            ("ADD", Addition),
            ("Addition", Addition),
            ("11|增员", Addition),
            ("11｜增员", Addition),
            ("11 | 增 员", Addition),
            ("减员", Reduction),
            ("停保", Reduction),
            ("停缴", Reduction),
            ("转出", Reduction),
            ("封存", Reduction),
            ("减少", Reduction),
            ("reduce", Reduction),
            ("REDUCTION", Reduction),
            ("Transfer Out", Reduction),
            ("ｒｅｄｕｃｅ", Reduction),
            ("12|减员", Reduction),
            // Label known, code not in the list.
            ("1|新进", Addition),
            // Label unknown: the code decides.
            ("11|增员(新)", Addition),
            ("12|", Reduction),
        ] {
            assert_eq!(change_kind(s), Some(want), "{s}");
        }
        for s in [
            "",
            "合计",
            "11",
            "12",
            "1",
            "增减",
            "11|减员",
            "12|增员",
            "13|变更",
            "|",
            "adds",
            "调整",
        ] {
            assert_eq!(change_kind(s), None, "{s:?}");
        }
    }

    #[test]
    fn reasons() {
        use Reason::*;
        for (s, want) in [
            ("辞职", Resign),
            ("主动离职", Resign),
            ("个人原因离职", Resign),
            ("RESIGN", Resign),
            ("resigned", Resign),
            ("28|辞职", Resign),
            ("协商解除", TerminateMutual),
            ("协商解除劳动合同", TerminateMutual),
            ("TERMINATE_MUTUAL", TerminateMutual),
            ("辞退", Dismiss),
            ("解雇", Dismiss),
            ("开除", Dismiss),
            ("解除劳动合同", Dismiss),
            ("29|解雇", Dismiss),
            ("DISMISS", Dismiss),
            ("合同到期", ContractEnd),
            ("劳动合同期满", ContractEnd),
            ("劳动合同期满终止", ContractEnd),
            ("CONTRACT_END", ContractEnd),
            ("退休", Retire),
            ("达到法定退休年龄", Retire),
            ("RETIRE", Retire),
            ("死亡", Death),
            ("身故", Death),
            ("DEATH", Death),
            ("转出", TransferOut),
            ("调出", TransferOut),
            ("跨统筹区转移", TransferOut),
            ("TRANSFER_OUT", TransferOut),
            ("参军", Military),
            ("应征入伍", Military),
            ("MILITARY", Military),
            ("出国定居", Emigrate),
            ("出国（境）定居", Emigrate),
            ("出国(境)定居", Emigrate),
            ("EMIGRATE", Emigrate),
            ("单位注销", UnitClosed),
            ("破产", UnitClosed),
            ("UNIT_CLOSED", UnitClosed),
            ("其他", Other),
            ("99|其他", Other),
            ("OTHER", Other),
            // Shanghai numbers with their labels.
            ("1|辞职", Resign),
            ("4|合同到期", ContractEnd),
            ("10|死亡", Death),
            // Guangzhou code with an unknown label.
            ("28|辞职(个人)", Resign),
        ] {
            assert_eq!(reason(s), Some(want), "{s}");
        }
        for s in [
            "",
            "合计",
            "离职",
            "出国",
            "1",
            "28",
            "99",
            "4",
            "22|中断缴费",
            "28|解雇",
            "29|辞职",
            "取消入职通知",
            "resignation letter",
        ] {
            assert_eq!(reason(s), None, "{s:?}");
        }
    }

    #[test]
    fn every_reason_reads_its_own_label_and_id() {
        for r in Reason::ALL {
            assert_eq!(reason(r.label_zh()), Some(r), "{}", r.label_zh());
            assert_eq!(reason(r.id()), Some(r), "{}", r.id());
        }
    }

    #[test]
    fn sexes() {
        for (s, want) in [
            ("男", Sex::Male),
            ("M", Sex::Male),
            ("male", Sex::Male),
            ("Male", Sex::Male),
            ("0|男", Sex::Male),
            ("1|男", Sex::Male), // GB/T 2261.1 numbering: the label decides
            ("女", Sex::Female),
            ("f", Sex::Female),
            ("FEMALE", Sex::Female),
            ("1|女", Sex::Female),
            ("2|女", Sex::Female),
        ] {
            assert_eq!(sex(s), Some(want), "{s}");
        }
        for s in ["", "0", "1", "2", "1|", "男女", "未知", "x"] {
            assert_eq!(sex(s), None, "{s:?}");
        }
    }

    #[test]
    fn categories() {
        for (s, want) in [
            ("工人", Category::Worker),
            ("worker", Category::Worker),
            ("06|工人", Category::Worker),
            ("06|", Category::Worker),
            ("工勤", Category::Worker),
            ("生产岗", Category::Worker),
            ("干部", Category::Cadre),
            ("Cadre", Category::Cadre),
            ("管理岗", Category::Cadre),
            ("专业技术岗", Category::Cadre),
        ] {
            assert_eq!(category(s), Some(want), "{s}");
        }
        for s in ["", "06", "职员", "员工", "06|干部", "合计"] {
            assert_eq!(category(s), None, "{s:?}");
        }
    }

    #[test]
    fn roster_statuses() {
        for (s, want) in [
            ("参保", RosterStatus::Active),
            ("在保", RosterStatus::Active),
            ("正常", RosterStatus::Active),
            ("缴费", RosterStatus::Active),
            ("正常缴费", RosterStatus::Active),
            ("Active", RosterStatus::Active),
            ("停保", RosterStatus::Stopped),
            ("暂停", RosterStatus::Stopped),
            ("中断", RosterStatus::Stopped),
            ("减员", RosterStatus::Stopped),
            ("停缴", RosterStatus::Stopped),
            ("STOPPED", RosterStatus::Stopped),
            ("1|参保", RosterStatus::Active),
        ] {
            assert_eq!(roster_status(s), Some(want), "{s}");
        }
        for s in ["", "1", "在职", "合计", "参保?"] {
            assert_eq!(roster_status(s), None, "{s:?}");
        }
    }

    #[test]
    fn labels_of_the_model_are_accepted() {
        for k in [ChangeKind::Addition, ChangeKind::Reduction] {
            assert_eq!(change_kind(k.label_zh()), Some(k));
            assert_eq!(change_kind(k.label_en()), Some(k));
        }
        for x in [Sex::Male, Sex::Female] {
            assert_eq!(sex(x.label_zh()), Some(x));
            assert_eq!(sex(x.label_en()), Some(x));
        }
        for c in [Category::Worker, Category::Cadre] {
            assert_eq!(category(c.label_zh()), Some(c));
        }
        for r in [RosterStatus::Active, RosterStatus::Stopped] {
            assert_eq!(roster_status(r.label_zh()), Some(r));
        }
    }

    #[test]
    fn long_text_does_not_match() {
        let long = "辞".repeat(40);
        assert_eq!(reason(&long), None);
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in any::<String>()) {
            let _ = (change_kind(&s), reason(&s), sex(&s), category(&s), roster_status(&s));
        }

        #[test]
        fn every_accepted_word_parses_in_any_case_and_spacing(i in 0usize..1000, upper in any::<bool>()) {
            for (list, f) in [
                (CHANGE_ACCEPTED, (|s: &str| change_kind(s).is_some()) as fn(&str) -> bool),
                (REASON_ACCEPTED, |s| reason(s).is_some()),
                (SEX_ACCEPTED, |s| sex(s).is_some()),
                (CATEGORY_ACCEPTED, |s| category(s).is_some()),
                (STATUS_ACCEPTED, |s| roster_status(s).is_some()),
            ] {
                let w = list[i % list.len()];
                let spaced: String = w
                    .chars()
                    .flat_map(|c| [if upper { c.to_ascii_uppercase() } else { c }, ' '])
                    .collect();
                prop_assert!(f(w), "{}", w);
                prop_assert!(f(&spaced), "{}", spaced);
            }
        }
    }
}
