//! Sentences cut from the seed page, wrapped at widths 20, 33, 40, 41 and 80. The expected
//! lines were worked out by hand from the rules (every ideograph and full-width mark is 2
//! cells, “ ” 1 or 2 by setting; a mark is glued to the character before it; greedy first
//! fit; a hanging mark may pass the measure by 2 cells), then checked against the code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use dubao::text::{AmbiguousWidth, WrapOptions, width, wrap_str};

const A: &str = "受冷空气影响，我市气温骤降，大风天气频繁，为防止树木倾倒、树枝伤人，平城区园林绿化中心启动应急预案，";
const B: &str =
    "仅今年上半年，全区各部门共出动检查组887次，检查单位4251家，发现一般隐患1807项，已整改1807项，";
const D: &str = "确保隐患整治“零漏洞”、安全责任“零缺位”、安全问题“零容忍”，";
const E: &str = "本报讯（记者 尚丽）受冷空气影响，我市气温骤降，";

const N: AmbiguousWidth = AmbiguousWidth::Narrow;
const W: AmbiguousWidth = AmbiguousWidth::Wide;

#[rustfmt::skip]
const CASES: &[(&str, usize, AmbiguousWidth, bool, &[&str])] = &[
    (A, 20, N, false, &["受冷空气影响，我市气", "温骤降，大风天气频", "繁，为防止树木倾倒、", "树枝伤人，平城区园林", "绿化中心启动应急预", "案，"]),
    (A, 20, N, true, &["受冷空气影响，我市气", "温骤降，大风天气频繁，", "为防止树木倾倒、树枝", "伤人，平城区园林绿化", "中心启动应急预案，"]),
    (A, 33, N, false, &["受冷空气影响，我市气温骤降，大风", "天气频繁，为防止树木倾倒、树枝伤", "人，平城区园林绿化中心启动应急预", "案，"]),
    (A, 40, N, false, &["受冷空气影响，我市气温骤降，大风天气频", "繁，为防止树木倾倒、树枝伤人，平城区园林", "绿化中心启动应急预案，"]),
    (A, 40, N, true, &["受冷空气影响，我市气温骤降，大风天气频繁，", "为防止树木倾倒、树枝伤人，平城区园林绿化", "中心启动应急预案，"]),
    (A, 41, N, false, &["受冷空气影响，我市气温骤降，大风天气频", "繁，为防止树木倾倒、树枝伤人，平城区园林", "绿化中心启动应急预案，"]),
    (A, 80, N, false, &["受冷空气影响，我市气温骤降，大风天气频繁，为防止树木倾倒、树枝伤人，平城区园林绿", "化中心启动应急预案，"]),
    (B, 20, N, false, &["仅今年上半年，全区各", "部门共出动检查组887", "次，检查单位4251家，", "发现一般隐患1807项，", "已整改1807项，"]),
    (B, 33, N, false, &["仅今年上半年，全区各部门共出动检", "查组887次，检查单位4251家，发现一", "般隐患1807项，已整改1807项，"]),
    (B, 40, N, false, &["仅今年上半年，全区各部门共出动检查组887", "次，检查单位4251家，发现一般隐患1807项，", "已整改1807项，"]),
    (B, 41, N, false, &["仅今年上半年，全区各部门共出动检查组887", "次，检查单位4251家，发现一般隐患1807项，", "已整改1807项，"]),
    (B, 80, N, false, &["仅今年上半年，全区各部门共出动检查组887次，检查单位4251家，发现一般隐患1807项，", "已整改1807项，"]),
    (D, 20, N, false, &["确保隐患整治“零漏", "洞”、安全责任“零缺", "位”、安全问题“零容", "忍”，"]),
    (D, 20, N, true, &["确保隐患整治“零漏洞”、", "安全责任“零缺位”、安", "全问题“零容忍”，"]),
    (D, 33, N, false, &["确保隐患整治“零漏洞”、安全责任“零", "缺位”、安全问题“零容忍”，"]),
    (D, 40, N, false, &["确保隐患整治“零漏洞”、安全责任“零缺位”、", "安全问题“零容忍”，"]),
    (D, 40, W, false, &["确保隐患整治“零漏洞”、安全责任“零缺", "位”、安全问题“零容忍”，"]),
    (D, 41, N, false, &["确保隐患整治“零漏洞”、安全责任“零缺位”、", "安全问题“零容忍”，"]),
    (D, 41, W, false, &["确保隐患整治“零漏洞”、安全责任“零缺", "位”、安全问题“零容忍”，"]),
    (D, 80, W, false, &[D]),
    (E, 20, N, false, &["本报讯（记者 尚丽）", "受冷空气影响，我市气", "温骤降，"]),
    (E, 33, N, false, &["本报讯（记者 尚丽）受冷空气影响，", "我市气温骤降，"]),
    (E, 40, N, false, &["本报讯（记者 尚丽）受冷空气影响，我市气", "温骤降，"]),
    (E, 41, N, false, &["本报讯（记者 尚丽）受冷空气影响，我市气温", "骤降，"]),
    (E, 80, N, false, &[E]),
];

#[test]
fn seed_sentences_at_20_33_40_41_80() {
    let mut failures = Vec::new();
    for (k, &(input, w, amb, hang, expected)) in CASES.iter().enumerate() {
        let mut opts = WrapOptions::new(w, amb);
        opts.hang = hang;
        let got = wrap_str(input, &opts);
        if got != expected {
            failures.push(format!("case {k} (w={w}, {amb:?}, hang={hang}):\n  expected {expected:?}\n  got      {got:?}"));
        }
        for line in &got {
            assert!(width(line, amb) <= w + if hang { 2 } else { 0 });
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
