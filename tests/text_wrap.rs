//! The line breaker against the 26 cases of research/cjk-layout.md §6 (cut from the seed
//! page, plus synthetic T1/T2 cases). Expected lines are the research's, derived from the
//! rules (UAX #14 + kinsoku + T1/T2, greedy first fit, optional one-mark hanging). Cases
//! C03, C04, C16 and C21 now break before an opening quote (T5), C07 and C08 keep a number
//! with its measure word unless that leaves 4 cells empty (T4).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use dubao::text::{AmbiguousWidth, WrapOptions, width, wrap_str};

struct Case {
    id: &'static str,
    input: &'static str,
    width: usize,
    amb: u8,
    hang: bool,
    expected: &'static [&'static str],
}

const fn case(
    id: &'static str,
    input: &'static str,
    width: usize,
    amb: u8,
    hang: bool,
    expected: &'static [&'static str],
) -> Case {
    Case {
        id,
        input,
        width,
        amb,
        hang,
        expected,
    }
}

const C01: &str = "受冷空气影响，我市气温骤降，大风天气频繁，";
const C03: &str = "为群众安全出行“保驾护航”。连日来，";
const C13: &str = "非常感谢巡察组……”前不久，";

const CASES: &[Case] = &[
    case(
        "C01",
        C01,
        20,
        1,
        false,
        &["受冷空气影响，我市气", "温骤降，大风天气频", "繁，"],
    ),
    case(
        "C02",
        C01,
        12,
        1,
        true,
        &["受冷空气影响，", "我市气温骤降，", "大风天气频繁，"],
    ),
    case(
        "C03",
        C03,
        16,
        1,
        false,
        &["为群众安全出行", "“保驾护航”。连日", "来，"],
    ),
    case(
        "C04",
        C03,
        16,
        2,
        false,
        &["为群众安全出行", "“保驾护航”。连", "日来，"],
    ),
    case(
        "C05",
        "深入开展“三年专项整治”“百日攻坚”“大检查大整治大提升”等专项整治行动",
        16,
        1,
        false,
        &[
            "深入开展“三年专",
            "项整治”“百日攻",
            "坚”“大检查大整治",
            "大提升”等专项整",
            "治行动",
        ],
    ),
    case(
        "C06",
        "发现一般隐患1807项，已整改1807项，限期整改31项，",
        16,
        1,
        false,
        &[
            "发现一般隐患1807",
            "项，已整改1807",
            "项，限期整改31",
            "项，",
        ],
    ),
    case(
        "C07",
        "行政处罚123.5万元，关闭取缔3家，曝光2家。",
        16,
        1,
        false,
        &["行政处罚123.5", "万元，关闭取缔", "3家，曝光2家。"],
    ),
    case(
        "C08",
        "罚款21.7万元，责令停产整顿4家；",
        10,
        1,
        false,
        &["罚款21.7", "万元，责令", "停产整顿", "4家；"],
    ),
    case("C09", "www.dtnews.cn", 16, 1, false, &["www.dtnews.cn"]),
    case("C10", "www.dtnews.cn", 10, 1, false, &["www.dtnews", ".cn"]),
    case(
        "C11",
        "出台了《关于支持和鼓励事业单位管理和专业技术人才创新创业的实施意见》，充分发挥",
        22,
        1,
        false,
        &[
            "出台了《关于支持和鼓励",
            "事业单位管理和专业技术",
            "人才创新创业的实施意",
            "见》，充分发挥",
        ],
    ),
    case(
        "C12",
        "修订了《平城区小学作息时间表(试行)》，保障学生运动、睡眠。",
        18,
        1,
        false,
        &[
            "修订了《平城区小学",
            "作息时间表(试",
            "行)》，保障学生运",
            "动、睡眠。",
        ],
    ),
    case("C13", C13, 16, 1, false, &["非常感谢巡察", "组……”前不久，"]),
    case("C14", C13, 16, 2, false, &["非常感谢巡察", "组……”前不久，"]),
    case(
        "C15",
        "这事儿你们能管吗？”前些时，",
        16,
        1,
        false,
        &["这事儿你们能管", "吗？”前些时，"],
    ),
    case(
        "C16",
        "积极探索实践“党建引领+新就业群体”治理模式，",
        14,
        1,
        false,
        &["积极探索实践", "“党建引领+新就", "业群体”治理模", "式，"],
    ),
    case(
        "C17",
        "本报讯（记者 尚丽）受冷空气影响，",
        18,
        1,
        false,
        &["本报讯（记者 尚", "丽）受冷空气影响，"],
    ),
    case(
        "C18",
        "“餐厨垃圾桶不能摆在店门外，这样影响市容。”“地锁全部拆除，不能影响其他人通行。”近日，",
        20,
        1,
        false,
        &[
            "“餐厨垃圾桶不能摆在",
            "店门外，这样影响市",
            "容。”“地锁全部拆除，",
            "不能影响其他人通",
            "行。”近日，",
        ],
    ),
    case(
        "C19",
        "组建70人的专业救援队、18支共1304人的应急抢险队、3支共150人的社会公益救援队……",
        20,
        1,
        false,
        &[
            "组建70人的专业救援",
            "队、18支共1304人的应",
            "急抢险队、3支共150人",
            "的社会公益救援队……",
        ],
    ),
    case(
        "C20",
        "\u{3000}\u{3000}本报讯（记者 郝雨）为依法依规、公平公正地开展振华南院棚改项目征收工作，",
        16,
        1,
        false,
        &[
            "\u{3000}\u{3000}本报讯（记者",
            "郝雨）为依法依",
            "规、公平公正地开",
            "展振华南院棚改项",
            "目征收工作，",
        ],
    ),
    case(
        "C21",
        "鹿苑街道暖“新”行动推进基层治理",
        12,
        1,
        false,
        &["鹿苑街道暖", "“新”行动推进", "基层治理"],
    ),
    case(
        "C22",
        "3支共150人",
        2,
        1,
        false,
        &["3", "支", "共", "15", "0", "人"],
    ),
    case(
        "S01",
        "比尔·盖茨来到平城区",
        4,
        1,
        false,
        &["比", "尔·", "盖茨", "来到", "平城", "区"],
    ),
    case(
        "S02",
        "气温10～20摄氏度",
        6,
        1,
        false,
        &["气温", "10～20", "摄氏度"],
    ),
    case(
        "S03",
        "他说——安全第一",
        4,
        1,
        false,
        &["他", "说——", "安全", "第一"],
    ),
    case(
        "S04",
        "\u{3000}\u{3000}本报讯",
        6,
        1,
        false,
        &["\u{3000}\u{3000}本", "报讯"],
    ),
];

fn amb(n: u8) -> AmbiguousWidth {
    if n == 2 {
        AmbiguousWidth::Wide
    } else {
        AmbiguousWidth::Narrow
    }
}

#[test]
fn research_cases() {
    assert_eq!(CASES.len(), 26);
    let mut failures = Vec::new();
    for c in CASES {
        let mut opts = WrapOptions::new(c.width, amb(c.amb));
        opts.hang = c.hang;
        let got = wrap_str(c.input, &opts);
        if got != c.expected {
            failures.push(format!(
                "{}: expected {:?}\n      got {:?}",
                c.id, c.expected, got
            ));
        }
        let margin = if c.hang { 2 } else { 0 };
        for line in &got {
            assert!(
                width(line, amb(c.amb)) <= c.width + margin,
                "{}: {line}",
                c.id
            );
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn orphan_pass_carries_a_unit_down() {
    let text = "各部门要压实安全生产责任，确保安全责任体系清晰、监管主体明确的责任链条。";
    let mut opts = WrapOptions::new(34, AmbiguousWidth::Narrow);
    assert_eq!(
        wrap_str(text, &opts),
        [
            "各部门要压实安全生产责任，确保安全",
            "责任体系清晰、监管主体明确的责任链",
            "条。"
        ]
    );
    opts.orphans = true;
    assert_eq!(
        wrap_str(text, &opts),
        [
            "各部门要压实安全生产责任，确保安全",
            "责任体系清晰、监管主体明确的责任",
            "链条。"
        ]
    );
    // Not when the line above would end more than 4 cells short: `2026年` is one unit (T4).
    let text = "各部门要压实安全生产责任，确保安全责任体系清晰、监管主体明确的2026年。";
    let plain = wrap_str(text, &WrapOptions::new(34, AmbiguousWidth::Narrow));
    assert_eq!(plain.last(), Some(&"年。"), "{plain:?}");
    assert_eq!(wrap_str(text, &opts), plain);
}

#[test]
fn orphan_pass_carries_on_past_a_lone_mark() {
    // The last line is a lone `“` (a break before it after an ideograph, T5): one carried
    // ideograph still leaves an orphan, so a second one comes down too.
    let text = "各部门要压实安全生产责任确保安全责任体系清晰监管“";
    let mut opts = WrapOptions::new(24, AmbiguousWidth::Narrow);
    assert_eq!(
        wrap_str(text, &opts),
        ["各部门要压实安全生产责任", "确保安全责任体系清晰监管", "“"]
    );
    opts.orphans = true;
    assert_eq!(
        wrap_str(text, &opts),
        ["各部门要压实安全生产责任", "确保安全责任体系清晰", "监管“"]
    );
}
