//! Writes `tests/layouts/`: one file per supported layout (docs/layouts.md), with the
//! layout's title rows and header exactly as the template or export has them, three rows of
//! made-up people, and planted errors that `tests/layouts.rs` expects on the right row and
//! column (the expectations are in `tests/layouts/expected.tsv`, written here too).
//!
//! Run from the crate root with `cargo run --example make_layouts`.
//!
//! Names are invented; ID numbers are built from invented birth dates and sequence numbers
//! with the GB 11643 check character (examples/support/datagen.rs), never copied. Layouts
//! whose real files are `.xls` (BIFF8), SpreadsheetML or HTML are written as `.xlsx` with the
//! same cells: reading those formats is another reader's job (docs/layouts.md says which).

#[path = "support/datagen.rs"]
mod datagen;

use std::error::Error;
use std::fmt::Write as _;
use std::fs;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const OUT: &str = "tests/layouts";

/// One test file.
struct Spec {
    /// File name in tests/layouts (its words may decide the change kind).
    file: &'static str,
    /// The layout it is written in (docs/layouts.md).
    layout: &'static str,
    sheet: &'static str,
    /// Rows above the header (titles, unit lines), one string per cell.
    titles: &'static [&'static [&'static str]],
    header: &'static [&'static str],
    /// The sub-row of a two-row header.
    sub: Option<&'static [&'static str]>,
    /// One cell template per column: `$name`, `$id`, `$base`, `$date` (2025-08-05),
    /// `$date8` (20250805), `$month` (202508), `$past` (202506), or a literal.
    row: &'static [&'static str],
    /// Planted errors: (data row index, column index, value, rule code).
    plant: &'static [(usize, usize, &'static str, &'static str)],
    /// Extra arguments the test passes (e.g. `--kind FILE=reduce`).
    args: &'static str,
    /// What decides the change kind (summary.json `kind_from`).
    kind_from: &'static str,
}

const NAMES: [&str; 4] = ["周晓明", "王思远", "李佳怡", "陈浩然"];

fn id_for(i: usize) -> String {
    // Invented: area 440304 / 510104 / 110105 / 310115, born 1988-1991.
    let areas = ["440304", "510104", "110105", "310115"];
    let body = format!(
        "{}{}{:02}{:02}{:03}",
        areas[i % 4],
        1988 + i,
        3 + i,
        11 + i,
        121 + 2 * i
    );
    let check = datagen::check_char(body.as_bytes());
    format!("{body}{check}")
}

fn fill(template: &str, i: usize) -> String {
    match template {
        "$name" => NAMES[i % NAMES.len()].to_string(),
        "$id" => id_for(i),
        "$base" => format!("{}", 8000 + 500 * i),
        "$date" => format!("2025-08-{:02}", 5 + i),
        "$date8" => format!("202508{:02}", 5 + i),
        "$month" => "202508".to_string(),
        "$past" => "202506".to_string(),
        other => other.to_string(),
    }
}

const SZ_TITLE: &[&[&str]] = &[
    &["深圳市社会保险网上申报"],
    &[
        "单位编号：",
        "1234567",
        "",
        "单位名称：",
        "深圳市示例科技有限公司",
    ],
    &[],
];

const SPECS: &[Spec] = &[
    Spec {
        file: "newps.xlsx",
        layout: "shenzhen-newps",
        sheet: "Sheet1",
        titles: SZ_TITLE,
        header: &[
            "身份证号码",
            "姓名",
            "配偶姓名(非必填项)",
            "户籍",
            "职工性质",
            "民族",
            "缴费工资",
            "利手",
            "参保人手机号",
            "工作部门(非必填项)",
            "个人银行名称(非必填项)",
            "个人银行帐号(非必填项)",
            "养老保险",
            "医疗保险",
            "工伤保险",
            "失业保险",
        ],
        sub: None,
        row: &[
            "$id",
            "$name",
            "",
            "3",
            "2",
            "01",
            "$base",
            "1",
            "13800138000",
            "研发部",
            "",
            "",
            "1",
            "1",
            "1",
            "1",
        ],
        plant: &[(1, 6, "八千", "V011"), (2, 0, "44030419901113125", "V002")],
        args: "",
        kind_from: "layout",
    },
    Spec {
        file: "movein.xlsx",
        layout: "shenzhen-movein",
        sheet: "Sheet1",
        titles: SZ_TITLE,
        header: &[
            "电脑号",
            "姓名",
            "身份证号码",
            "缴费工资",
            "职工性质",
            "利手",
            "工作部门",
            "民族",
            "配偶姓名(非必填项)",
            "养老保险",
            "医疗保险",
            "工伤保险",
            "失业保险",
        ],
        sub: None,
        row: &[
            "600123456",
            "$name",
            "$id",
            "$base",
            "2",
            "1",
            "财务部",
            "01",
            "",
            "1",
            "4",
            "1",
            "1",
        ],
        plant: &[(0, 3, "0", "V011")],
        args: "",
        kind_from: "layout",
    },
    Spec {
        file: "stop.xlsx",
        layout: "shenzhen-stop",
        sheet: "Sheet1",
        titles: SZ_TITLE,
        header: &["电脑号", "姓名", "身份证号", "停交原因"],
        sub: None,
        row: &["600123456", "$name", "$id", "S317"],
        plant: &[(2, 1, "", "V001")],
        args: "",
        kind_from: "layout",
    },
    Spec {
        file: "allup_sample.xlsx",
        layout: "shenzhen-allup",
        sheet: "Sheet1",
        titles: SZ_TITLE,
        header: &[
            "序号",
            "业务类型",
            "电脑号",
            "身份证号码",
            "姓名",
            "缴费工资",
            "户籍",
            "职工性质",
            "职别",
            "养老保险",
            "医疗保险",
            "失业保险",
            "住房公积金",
            "工伤保险",
            "利手",
            "是否申请劳动保障卡号",
            "工作时间",
            "工作地点(不超过10个字符,不能输入汉字)",
            "民族",
            "配偶姓名",
        ],
        sub: None,
        row: &[
            "1",
            "增员",
            "",
            "$id",
            "$name",
            "$base",
            "1",
            "2",
            "2",
            "1",
            "1",
            "1",
            "0",
            "1",
            "1",
            "1",
            "2010-07-01",
            "SZ",
            "01",
            "",
        ],
        plant: &[(1, 1, "调岗", "V012")],
        args: "",
        kind_from: "column",
    },
    Spec {
        file: "newps_Foreigner.xlsx",
        layout: "shenzhen-foreigner",
        sheet: "Sheet1",
        titles: SZ_TITLE,
        header: &[
            "序号",
            "姓名",
            "身份证",
            "出生日期",
            "基数",
            "养老",
            "医疗",
            "工伤",
            "失业",
            "生育",
        ],
        sub: None,
        row: &["1", "$name", "$id", "", "$base", "1", "1", "1", "1", "1"],
        plant: &[(0, 3, "1970-01-01", "V009")],
        args: "",
        kind_from: "layout",
    },
    Spec {
        file: "BJ.xlsx",
        layout: "shenzhen-backpay",
        sheet: "Sheet1",
        titles: &[&[
            "单位编号:",
            "1234567",
            "单位名称：",
            "深圳市示例科技有限公司",
        ]],
        header: &[
            "序号",
            "员工姓名",
            "电脑号",
            "身份证号码",
            "补缴月份",
            "补缴基数",
        ],
        sub: None,
        row: &["1", "$name", "600123456", "$id", "$past", "$base"],
        plant: &[(2, 4, "2025年13月", "V010")],
        args: "",
        kind_from: "layout",
    },
    Spec {
        file: "EmSheBao_BatchAdd.xlsx",
        layout: "shenzhen-bms-batch-add",
        sheet: "员工社保新增",
        titles: &[&["社会保险批量导入表格"]],
        header: &[
            "员工编号",
            "姓名",
            "身份证号",
            "所属月份",
            "电脑号",
            "工资(整数)",
            "户籍(市内城镇、市外城镇)",
            "职工性质(合同制、劳务)",
            "利手(左、右)",
            "民族(汉族、白族...)",
            "养老(参加、不参加)",
            "医疗(一档、二档、三档、不参加)",
            "工伤(参加、不参加)",
            "失业(参加、不参加)",
            "生育(参加、不参加)",
        ],
        sub: None,
        row: &[
            "E001",
            "$name",
            "$id",
            "$month",
            "",
            "$base",
            "市内城镇",
            "合同制",
            "右",
            "汉族",
            "参加",
            "一档",
            "参加",
            "参加",
            "参加",
        ],
        plant: &[(0, 2, "44030419880311121X", "V003")],
        args: "",
        kind_from: "sheet name",
    },
    Spec {
        file: "ciic-disk-in.xlsx",
        layout: "shanghai-roll-in",
        sheet: "转入盘片",
        titles: &[],
        header: &[
            "序号",
            "身份证号码",
            "姓名",
            "缴费起始年月",
            "月平均工资收入",
        ],
        sub: None,
        row: &["1", "$id", "$name", "$month", "$base"],
        plant: &[(1, 3, "2025-8-x", "V010")],
        args: "",
        kind_from: "sheet name",
    },
    Spec {
        file: "ciic-disk-out.xlsx",
        layout: "shanghai-roll-out",
        sheet: "转出盘片",
        titles: &[],
        header: &["身份证号码", "姓名", "月平均工资收入"],
        sub: None,
        row: &["$id", "$name", "$base"],
        plant: &[(0, 0, "31011519880311", "V002")],
        args: "",
        kind_from: "sheet name",
    },
    Spec {
        file: "北京市社会保险参保人员增加表.xlsx",
        layout: "beijing-addition-form",
        sheet: "Sheet1",
        titles: &[
            &["北京市社会保险参保人员增加表"],
            &["填报单位(盖章)：", "北京示例科技有限公司"],
            &[
                "统一社会信用代码(组织机构代码)：",
                "91110000600037341L",
                "",
                "社会保险登记证编码：",
                "12345678",
            ],
        ],
        header: &[
            "序号",
            "姓名",
            "性别",
            "*公民身份号码",
            "*缴费人员类别",
            "*参加险种",
            "",
            "",
            "",
            "",
            "*个人缴费（恢复）原因",
            "",
            "*申报月工资收入\\档次(元",
            "*增加日期",
        ],
        sub: Some(&[
            "", "", "", "", "", "养老", "失业", "工伤", "生育", "医疗", "四险", "医疗", "", "",
        ]),
        row: &[
            "1",
            "$name",
            "",
            "$id",
            "本市城镇职工",
            "1",
            "1",
            "1",
            "1",
            "1",
            "其他新参统",
            "其他新参统",
            "$base",
            "2025/8/1",
        ],
        plant: &[(2, 2, "女", "V008")],
        args: "",
        kind_from: "file name",
    },
    Spec {
        file: "普通减员.xlsx",
        layout: "beijing-normal-reduction",
        sheet: "Sheet1",
        titles: &[],
        header: &[
            "姓名",
            "身份证号",
            "停止缴费险种",
            "四险缴费截止月份",
            "停止缴费原因",
            "创建时间",
        ],
        sub: None,
        row: &["$name", "$id", "四险", "202507", "辞职", "2025-08-10"],
        plant: &[(1, 4, "不想干了", "V013")],
        args: "",
        kind_from: "file name",
    },
    Spec {
        file: "成都增员.xlsx",
        layout: "chengdu-addition",
        sheet: "Sheet1",
        titles: &[],
        header: &[
            "姓名",
            "身份证号码",
            "人员类别",
            "文化程度",
            "参保时间",
            "申报工资",
            "电话号码",
        ],
        sub: None,
        row: &[
            "$name",
            "$id",
            "01 城镇职工",
            "21 大学本科",
            "$date",
            "$base",
            "13800138000",
        ],
        plant: &[(0, 5, "-100", "V011")],
        args: "",
        kind_from: "file name",
    },
    Spec {
        file: "成都减员.xlsx",
        layout: "chengdu-reduction",
        sheet: "Sheet1",
        titles: &[],
        header: &["社保编码", "姓名", "停保时间", "停保原因"],
        sub: None,
        row: &["$id", "$name", "$date", "6301 在职人员解除/终止劳动合同"],
        plant: &[(2, 2, "2025-02-30", "V010")],
        args: "",
        kind_from: "file name",
    },
    Spec {
        file: "guangzhou-code-label.xlsx",
        layout: "guangdong-code-label",
        sheet: "Sheet1",
        titles: &[
            &["广州市社会保险增减员申报"],
            &["单位名称", "广州示例有限公司"],
            &["单位编号", "12345"],
            &[],
        ],
        header: &[
            "变动类型",
            "姓名",
            "证件类型",
            "证件号码",
            "户口性质",
            "个人身份",
            "缴费基数",
            "参保年月",
            "变动原因",
        ],
        sub: None,
        row: &[
            "11|增员",
            "$name",
            "6|身份证",
            "$id",
            "03|本地非农业户口",
            "06|工人",
            "$base",
            "$month",
            "11|新参保",
        ],
        plant: &[(1, 0, "13|调整", "V012")],
        args: "",
        kind_from: "column",
    },
    Spec {
        file: "合肥社会保险登记申请表.xlsx",
        layout: "hefei-registration",
        sheet: "Sheet1",
        titles: &[&[
            "合肥市就业失业登记、劳动用工备案、社会保险登记申请表",
            "单位管理码：",
            "001",
            "统一社会信用代码：",
            "91340100MA2N000001",
        ]],
        header: &[
            "序号",
            "姓名",
            "性别",
            "身法证号",
            "现工种或职务",
            "合同起始日期",
            "合同终止日期",
            "合同期限",
            "月工资收入(元)",
            "参加保险险种",
            "",
            "",
            "",
            "用工形式",
            "户籍所在地",
            "备注",
        ],
        sub: Some(&[
            "", "", "", "", "", "", "", "", "", "养老", "失业", "医疗", "工伤", "", "", "",
        ]),
        row: &[
            "1",
            "$name",
            "",
            "$id",
            "工程师",
            "$date",
            "2028-08-04",
            "三年",
            "$base",
            "1",
            "1",
            "1",
            "1",
            "劳动合同",
            "合肥",
            "",
        ],
        plant: &[(1, 5, "2025.08.32", "V010")],
        args: "",
        kind_from: "layout",
    },
    Spec {
        file: "增员_上海导入示例.xlsx",
        layout: "bjwq-shanghai-order",
        sheet: "Sheet1",
        titles: &[],
        header: &[
            "员工姓名",
            "唯一号",
            "证件号",
            "委托/派遣",
            "证件号类型",
            "入职时间",
            "福利起始时间",
            "社会保险基数",
            "住房公积金基数",
        ],
        sub: None,
        row: &[
            "$name",
            "U0001",
            "$id",
            "委托",
            "身份证",
            "$date",
            "$month",
            "$base",
            "$base",
        ],
        plant: &[(2, 7, "", "V001")],
        args: "",
        kind_from: "file name",
    },
    Spec {
        file: "上海离职导出.xlsx",
        layout: "bjwq-shanghai-leave",
        sheet: "Sheet1",
        titles: &[],
        header: &[
            "姓名",
            "证件类型",
            "证件号码",
            "客户编号",
            "客户名称",
            "客户简称",
            "OS发起离职时间",
            "离职日期",
            "收费结束时间",
            "离职原因",
            "离职备注",
            "公积金转移方式",
            "退档地",
            "GE离职原因",
            "客户方编号",
            "是否离职E化",
        ],
        sub: None,
        row: &[
            "$name",
            "身份证",
            "$id",
            "C01",
            "示例客户",
            "示例",
            "2025-08-01",
            "$date",
            "202508",
            "辞职",
            "",
            "转移",
            "上海",
            "个人原因",
            "K01",
            "否",
        ],
        plant: &[(0, 7, "2025/08/41", "V010")],
        args: "",
        kind_from: "file name",
    },
    Spec {
        file: "合同解除终止.xlsx",
        layout: "hefei-contract-end",
        sheet: "Sheet1",
        titles: &[],
        header: &[
            "社保福利地",
            "社保福利办理方",
            "一级客户名称",
            "二级客户名称",
            "业务员",
            "姓名",
            "性别",
            "证件号码",
            "劳动合同合同起始时间",
            "劳动合同合同终止时间",
            "离职时间",
            "社保终止时间",
            "社保基数",
            "用工形式",
            "社保账号",
            "离职原因",
            "联系电话",
        ],
        sub: None,
        row: &[
            "合肥",
            "自办",
            "示例客户",
            "示例二级",
            "张",
            "$name",
            "",
            "$id",
            "20230101",
            "20251231",
            "$date8",
            "$date8",
            "$base",
            "劳动合同",
            "S01",
            "辞职",
            "13800138000",
        ],
        plant: &[(1, 15, "看心情", "V013")],
        args: "",
        kind_from: "file name",
    },
    Spec {
        file: "2025-08离职员工.xlsx",
        layout: "hr-crm-staff-export",
        sheet: "员工",
        titles: &[],
        header: &[
            "姓名",
            "办公地点",
            "部门",
            "人员状态",
            "职称级别",
            "身份证",
            "生日日期",
            "入职时间",
            "转正时间",
            "离职时间",
            "私人手机号",
            "学历",
            "民族",
        ],
        sub: None,
        row: &[
            "$name",
            "总部",
            "销售部",
            "离职",
            "P5",
            "$id",
            "",
            "2022-03-01",
            "2022-06-01",
            "$date",
            "13800138000",
            "本科",
            "汉族",
        ],
        plant: &[(2, 9, "", "V001")],
        args: "",
        kind_from: "file name",
    },
    Spec {
        file: "2025-08转出雇员.xlsx",
        layout: "ciic-employee-export",
        sheet: "雇员",
        titles: &[],
        header: &[
            "雇员编号",
            "雇员姓名",
            "证件号",
            "企业社保账号",
            "社保状态",
            "社保账户类型",
            "结算区县",
            "客户名称",
            "社保账户名称",
            "起缴月份",
            "截止月份",
            "办理月份",
            "入职日期",
        ],
        sub: None,
        row: &[
            "E01",
            "$name",
            "$id",
            "A123",
            "转出",
            "中智大库",
            "浦东",
            "示例客户",
            "示例账户",
            "201907",
            "202507",
            "$month",
            "2019-06-20",
        ],
        plant: &[(1, 2, "310115199003131251", "V003")],
        args: "",
        kind_from: "file name",
    },
];

/// The tax client's template is CSV here; nothing in its name says the kind: `--kind`.
const TAX_CSV: &str = "人员信息采集.csv";
const TAX_HEADER: &str = "工号,*姓名,*证件类型,*证件号码,*国籍(地区,*性别,*出生日期,人员状态,*任职受雇从业类型,手机号码,任职受雇从业日期,离职日期,备注";

fn main() -> Result<()> {
    fs::create_dir_all(OUT)?;
    let mut expected = String::from(
        "# file\tlayout\targs\tkind_from\trow\tcolumn\tcode  (written by examples/make_layouts.rs)\n",
    );
    for spec in SPECS {
        let mut book = Workbook::new();
        let created = ExcelDateTime::from_ymd(2025, 8, 1)?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&created));
        let ws = book.add_worksheet();
        ws.set_name(spec.sheet)?;
        let mut r: u32 = 0;
        for title in spec.titles {
            for (c, t) in title.iter().enumerate() {
                ws.write_string(r, c as u16, *t)?;
            }
            r += 1;
        }
        let header_row = r;
        for (c, t) in spec.header.iter().enumerate() {
            ws.write_string(r, c as u16, *t)?;
        }
        r += 1;
        if let Some(sub) = spec.sub {
            for (c, t) in sub.iter().enumerate() {
                ws.write_string(r, c as u16, *t)?;
            }
            r += 1;
        }
        for i in 0..3 {
            for (c, t) in spec.row.iter().enumerate() {
                let planted = spec.plant.iter().find(|p| p.0 == i && p.1 == c);
                let v = planted.map_or_else(|| fill(t, i), |p| p.2.to_string());
                if !v.is_empty() {
                    ws.write_string(r, c as u16, &v)?;
                }
            }
            r += 1;
        }
        book.save(format!("{OUT}/{}", spec.file))?;
        for p in spec.plant {
            let column = match spec.sub {
                Some(sub) if !sub[p.1].is_empty() => {
                    let group = spec.header[..=p.1].iter().rev().find(|g| !g.is_empty());
                    format!("{}/{}", group.unwrap_or(&""), sub[p.1])
                }
                _ => spec.header[p.1].to_string(),
            };
            let data_row = header_row + 2 + u32::from(spec.sub.is_some()) + p.0 as u32;
            let _ = writeln!(
                expected,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                spec.file, spec.layout, spec.args, spec.kind_from, data_row, column, p.3
            );
        }
    }
    // The CSV: the tax client's personnel template, leavers.
    let mut csv = format!("{TAX_HEADER}\n");
    for i in 0..3 {
        let leave = if i == 1 {
            "2025-08-3x".to_string()
        } else {
            fill("$date", i)
        };
        let _ = writeln!(
            csv,
            "E{i:03},{},居民身份证,{},中国,,,离职,雇员,13800138000,2021-05-10,{leave},",
            fill("$name", i),
            fill("$id", i)
        );
    }
    fs::write(format!("{OUT}/{TAX_CSV}"), csv)?;
    let _ = writeln!(
        expected,
        "{TAX_CSV}\ttax-client-person\t--kind {TAX_CSV}=reduce\t--kind\t3\t离职日期\tV010"
    );
    fs::write(format!("{OUT}/expected.tsv"), expected)?;
    Ok(())
}
