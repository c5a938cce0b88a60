use super::*;
use proptest::prelude::*;
use std::collections::HashMap;

fn lists() -> &'static CodeLists {
    embedded_lists()
}

#[test]
fn no_label_or_code_has_two_meanings_in_one_dictionary() {
    let lists = CodeLists::embedded().unwrap();
    for list in List::ALL {
        let mut labels: HashMap<String, &str> = HashMap::new();
        let mut codes: HashMap<(String, &str), &str> = HashMap::new();
        for e in lists.of(list) {
            for l in &e.labels {
                let k = Key::new(l).unwrap().as_str().to_string();
                assert!(k.len() < KEY_CAP, "{l}");
                let prev = labels.insert(k, &e.means);
                assert!(
                    prev.is_none_or(|p| p == e.means),
                    "{list:?}: label {l} means {prev:?} and {}",
                    e.means
                );
            }
            if let Some(c) = &e.code {
                let prev = codes.insert((c.clone(), &e.dict), &e.means);
                assert!(prev.is_none(), "{list:?}: code {c} twice in {}", e.dict);
            }
        }
    }
}

#[test]
fn national_dictionaries_do_not_contradict_each_other() {
    let lists = CodeLists::embedded().unwrap();
    let national: Vec<&str> = lists
        .dicts
        .iter()
        .filter(|d| d.regions.is_empty())
        .map(|d| d.name.as_str())
        .collect();
    for list in List::ALL {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for e in lists
            .of(list)
            .filter(|e| national.contains(&e.dict.as_str()))
        {
            if let Some(c) = &e.code {
                let prev = seen.insert(strip_zeros(c).to_string(), &e.means);
                assert!(prev.is_none_or(|p| p == e.means), "{list:?} {c}");
            }
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
        ("信息变更", Information),
        ("个人基本信息变更", Information),
        ("档案修改", Information),
        ("Information", Information),
        // Label known, code not in the list (as 1|新进 above).
        ("13|变更", Information),
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
        "13|调整",
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
        // Real reasons without a rule consequence are understood.
        ("离职", Other),
        ("出国", Other),
        ("22|中断缴费", Other),
        ("取消入职通知", Other),
        ("6399|其他原因中断缴费", Other),
        // What HR systems write.
        ("被用人单位解除劳动合同", Dismiss),
        ("公司倒闭", UnitClosed),
        ("养老在职转退休", Retire),
        ("异地转移", TransferOut),
        ("合同到期不续签", ContractEnd),
        ("主动离职", Resign),
        // National codes, alone and with labels.
        ("6501", Retire),
        ("6402 出国定居", Emigrate),
        ("6401|死亡", Death),
        ("4401 在职死亡", Death),
    ] {
        assert_eq!(reason(s), Some(want), "{s}");
    }
    for s in [
        "",
        "合计",
        "1",
        "28",
        "99",
        "4",
        "28|解雇",
        "29|辞职",
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
    for s in ["", "0", "男女", "未知", "x"] {
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
}

/// The id a cell reads as, in `list`, with the embedded lists and no region.
fn read_id(list: List, s: &str) -> Option<String> {
    let v = Vocab::embedded();
    let id = |ids: Vec<&'static str>, i: usize| ids[i].to_string();
    match list {
        List::Change => v.change_kind(s).map(|x| id(ChangeKind::ids(), x as usize)),
        List::Reason => v.reason(s).map(|x| x.id().to_string()),
        List::DocType => v.doc_type(s).map(|x| x.code().to_string()),
        List::Sex => v.sex(s).map(|x| id(Sex::ids(), x as usize)),
        List::Category => v.category(s).map(|x| id(Category::ids(), x as usize)),
        List::Status => v
            .roster_status(s)
            .map(|x| id(RosterStatus::ids(), x as usize)),
        List::Hukou => v.hukou(s).map(|x| x.id().to_string()),
        List::MedicalTier => v.medical_tier(s).map(|x| x.id().to_string()),
    }
}

#[test]
fn every_label_reads_as_its_meaning_in_any_case_and_spacing() {
    for list in List::ALL {
        for e in lists().of(list) {
            for l in &e.labels {
                let spaced: String = l
                    .chars()
                    .flat_map(|c| [c.to_ascii_uppercase(), ' '])
                    .collect();
                for s in [l.as_str(), &spaced, &format!("\u{3000}{l} ")] {
                    assert_eq!(
                        read_id(list, s).as_deref(),
                        Some(e.means.as_str()),
                        "{list:?} {s:?}"
                    );
                }
                if let Some(code) = &e.code {
                    for s in [
                        format!("{code}|{l}"),
                        format!("{code}｜{l}"),
                        format!("{code} {l}"),
                    ] {
                        assert_eq!(
                            read_id(list, &s).as_deref(),
                            Some(e.means.as_str()),
                            "{list:?} {s:?}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn document_types() {
    use DocType::*;
    for (text, t) in [
        ("身份证", ResidentId),
        ("居民身份证", ResidentId),
        ("居民身份证（户口簿）", ResidentId),
        ("居民身份证(户口簿)", ResidentId),
        (" 居民 身份证 ", ResidentId),
        ("Resident ID", ResidentId),
        ("RESIDENT_ID", ResidentId),
        ("ｒｅｓｉｄｅｎｔ ｉｄ", ResidentId),
        ("港澳台居民居住证", ResidencePermit),
        ("外国人永久居留身份证", ForeignPermanentResident),
        ("护照", ForeignPassport),
        ("Passport", ForeignPassport),
        ("中国护照", ChinesePassport),
        ("台胞证", TaiwanPermit),
        ("回乡证", HongKongPermit),
        ("澳门居民来往内地通行证", MacaoPermit),
        ("社保卡", SocialSecurityCard),
        ("其他", Other),
        ("０１", ResidentId),
        ("001", ResidentId),
        (" 17 ", ResidencePermit),
        ("01|居民身份证", ResidentId),
        ("01 居民身份证", ResidentId),
        // Guangdong's template codes, read beside their labels.
        ("6|身份证", ResidentId),
        ("1|护照", ForeignPassport),
        ("16", ChinesePassport),
    ] {
        assert_eq!(doc_type(text), Some(t), "{text}");
    }
    for t in DocType::ALL {
        assert_eq!(doc_type(t.code()), Some(t), "{t:?}");
        assert_eq!(doc_type(t.code().trim_start_matches('0')), Some(t), "{t:?}");
        assert_eq!(doc_type(t.label_zh()), Some(t), "{t:?}");
        assert_eq!(doc_type(t.label_en()), Some(t), "{t:?}");
        assert_eq!(doc_type(&t.label_en().to_uppercase()), Some(t), "{t:?}");
    }
    for text in [
        "",
        " ",
        "0",
        "00",
        "18",
        "89",
        "100",
        "1a",
        "驾驶证",
        "id number",
        "01|护照",
        "6|护照",
    ] {
        assert_eq!(doc_type(text), None, "{text:?}");
    }
    assert_eq!(doc_type(&"身".repeat(KEY_CAP)), None);
}

#[test]
fn regional_codes_follow_the_region() {
    let zj = Vocab::new(lists(), Some("330100"));
    let sz = Vocab::new(lists(), Some("440300"));
    let gz = Vocab::new(lists(), Some("440100"));
    let bj = Vocab::new(lists(), Some("110000"));
    // Zhejiang numbers the residence permit 16; the national list says Chinese passport.
    assert_eq!(zj.doc_type("16"), Some(DocType::ResidencePermit));
    assert_eq!(bj.doc_type("16"), Some(DocType::ChinesePassport));
    // Death is 6309 in Zhejiang's list and 6401 in the national 64xx list.
    assert_eq!(zj.reason("6309"), Some(Reason::Death));
    assert_eq!(bj.reason("6401"), Some(Reason::Death));
    assert_eq!(zj.reason("6401"), Some(Reason::Death));
    assert_eq!(bj.reason("6309"), None);
    assert_eq!(
        reason("6309"),
        Some(Reason::Death),
        "no region: one meaning everywhere"
    );
    // Shenzhen's portal codes, in Shenzhen only (and without a region).
    assert_eq!(sz.reason("S317"), Some(Reason::Resign));
    assert_eq!(sz.reason("s318"), Some(Reason::Dismiss));
    assert_eq!(reason("S317"), Some(Reason::Resign));
    assert_eq!(gz.reason("S317"), None);
    assert_eq!(sz.reason("1"), Some(Reason::ContractEnd));
    assert_eq!(
        reason("1"),
        None,
        "1 is a different reason in Shenzhen and Shanghai"
    );
    // Guangdong's sex codes override GB/T 2261.1 in Guangdong only.
    assert_eq!(gz.sex("1|"), Some(Sex::Female));
    assert_eq!(gz.sex("1"), None, "written alone only beside its label");
    assert_eq!(bj.sex("1"), Some(Sex::Male));
    assert_eq!(zj.sex("1"), Some(Sex::Male));
    assert_eq!(
        sex("1"),
        Some(Sex::Male),
        "no region: the national standard"
    );
    // Codes only written beside their label are never read alone.
    assert_eq!(gz.reason("28"), None);
    assert_eq!(gz.reason("28|"), Some(Reason::Resign));
    // Chengdu's `code label` cells.
    let cd = Vocab::new(lists(), Some("510100"));
    assert_eq!(cd.reason("6351 单位调动"), Some(Reason::TransferOut));
    assert_eq!(cd.reason("6351"), Some(Reason::TransferOut));
    assert_eq!(
        cd.reason("6301 在职人员解除/终止劳动合同"),
        Some(Reason::Other)
    );
}

#[test]
fn a_user_layer_adds_codes_and_can_redefine_them() {
    let mut l = CodeLists::embedded().unwrap();
    l.layer(
        "[codes.dicts.acme]\nregions = [\"4401\"]\n\
         [[codes.reason]]\ncode = \"Z9\"\nlabels = [\"回老家\"]\nmeans = \"OTHER\"\ndict = \"acme\"\n\
         [[codes.reason]]\nlabels = [\"出国\"]\nmeans = \"EMIGRATE\"\n",
        "acme.toml",
    )
    .unwrap();
    let v = Vocab::new(&l, Some("440106"));
    assert_eq!(v.reason("Z9"), Some(Reason::Other));
    assert_eq!(v.reason("回老家"), Some(Reason::Other));
    assert_eq!(v.reason("出国"), Some(Reason::Emigrate));
    assert_eq!(Vocab::new(&l, Some("110000")).reason("Z9"), None);
    assert_eq!(
        reason("出国"),
        Some(Reason::Other),
        "the embedded lists are unchanged"
    );
}

#[test]
fn closest_reasons_name_what_was_meant() {
    let v = Vocab::embedded();
    let c = v.closest_reasons("合同到期了", 3);
    assert!(c.iter().any(|s| s == "合同到期"), "{c:?}");
    let c = Vocab::new(lists(), Some("110000")).closest_reasons("S317", 3);
    assert_eq!(
        c.first().map(String::as_str),
        Some("S317 本人意愿中断就业（深圳）"),
        "{c:?}"
    );
    assert!(v.closest_reasons("", 3).is_empty());
    assert!(v.closest_reasons("㐀", 3).is_empty());
}

#[test]
fn household_registration() {
    let v = Vocab::embedded();
    assert_eq!(v.hukou("外埠城镇"), Some(Hukou::NonlocalUrban));
    assert_eq!(v.hukou("05|外地非农业户口"), Some(Hukou::NonlocalUrban));
    assert_eq!(v.hukou("05|本地农业户口"), None);
    assert_eq!(v.hukou("21 本地农村户口"), Some(Hukou::LocalRural));
    assert_eq!(v.hukou("外埠农村劳动力"), Some(Hukou::NonlocalRural));
    let cd = Vocab::new(lists(), Some("510100"));
    assert_eq!(cd.hukou("03 非本市户籍农民工"), Some(Hukou::NonlocalRural));
    assert_eq!(cd.hukou("03"), Some(Hukou::NonlocalRural));
    let sz = Vocab::new(lists(), Some("440300"));
    assert_eq!(sz.hukou("3"), Some(Hukou::NonlocalUrban));
    assert_eq!(
        sz.hukou("05"),
        None,
        "Guangdong's codes only beside their label"
    );
    assert_eq!(
        v.hukou("3"),
        Some(Hukou::NonlocalUrban),
        "no region: only Shenzhen defines 3"
    );
}

proptest! {
    // Each case loads and compiles every list: a few dozen cases cover the four forms.
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Whatever a user's layer says a label or code means is what a cell reads as, in any
    /// of the four forms, and the layer never breaks what the embedded lists read.
    #[test]
    fn a_layered_entry_reads_as_it_says(
        label in "[甲乙丙丁戊己庚辛壬癸]{2,6}",
        code in "[A-Z][0-9]{3}",
        means in 0usize..11,
    ) {
        let means = Reason::ALL[means];
        let mut l = CodeLists::embedded().unwrap();
        let text = format!(
            "[[codes.reason]]\ncode = \"{code}\"\nlabels = [\"{label}\"]\nmeans = \"{}\"\n",
            means.id()
        );
        l.layer(&text, "user.toml").unwrap();
        let v = Vocab::new(&l, Some("110000"));
        for cell in [label.clone(), code.clone(), format!("{code}|{label}"), format!("{code} {label}")] {
            prop_assert_eq!(v.reason(&cell), Some(means), "{}", cell);
        }
        prop_assert_eq!(v.reason("辞职"), Some(Reason::Resign));
        prop_assert_eq!(v.reason("6401"), Some(Reason::Death));
    }
}
