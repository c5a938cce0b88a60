//! Which insurances a row enrolls the person in (参加险种): `养老、医疗、失业、工伤`,
//! `单工伤`, `五险`. A row without the column enrolls in every insurance.
//!
//! The words are a code list; like the other vocabularies they are data here, in one table.

use super::text::map_char;

/// A set of the core insurances, as bits.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cover(u8);

impl Cover {
    pub const PENSION: Cover = Cover(1);
    pub const MEDICAL: Cover = Cover(2);
    pub const UNEMPLOYMENT: Cover = Cover(4);
    pub const INJURY: Cover = Cover(8);
    pub const ALL: Cover = Cover(15);
    pub const NONE: Cover = Cover(0);

    pub fn union(self, other: Cover) -> Cover {
        Cover(self.0 | other.0)
    }

    pub fn without(self, other: Cover) -> Cover {
        Cover(self.0 & !other.0)
    }

    pub fn intersects(self, other: Cover) -> bool {
        self.0 & other.0 != 0
    }

    pub fn contains(self, other: Cover) -> bool {
        self.0 & other.0 == other.0
    }

    /// The insurance a policy id belongs to; extras (maternity, serious illness) follow
    /// medical, which they are collected with.
    pub fn of_insurance(id: &str) -> Cover {
        match id {
            "pension" => Cover::PENSION,
            "unemployment" => Cover::UNEMPLOYMENT,
            "injury" => Cover::INJURY,
            _ => Cover::MEDICAL,
        }
    }

    /// Chinese labels, for messages: `养老、医疗`.
    pub fn label_zh(self) -> String {
        NAMES
            .iter()
            .filter(|(c, _, _)| self.contains(*c))
            .map(|(_, zh, _)| *zh)
            .collect::<Vec<_>>()
            .join("、")
    }

    pub fn label_en(self) -> String {
        NAMES
            .iter()
            .filter(|(c, _, _)| self.contains(*c))
            .map(|(_, _, en)| *en)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

const NAMES: [(Cover, &str, &str); 4] = [
    (Cover::PENSION, "养老", "pension"),
    (Cover::MEDICAL, "医疗", "medical"),
    (Cover::UNEMPLOYMENT, "失业", "unemployment"),
    (Cover::INJURY, "工伤", "work injury"),
];

/// Words (after separators are removed) and what they cover. Maternity is collected with
/// medical; 四险 / 五险 mean every insurance.
const WORDS: &[(&str, Cover)] = &[
    ("养老保险", Cover::PENSION),
    ("养老", Cover::PENSION),
    ("基本养老保险", Cover::PENSION),
    ("医疗保险", Cover::MEDICAL),
    ("医疗", Cover::MEDICAL),
    ("基本医疗保险", Cover::MEDICAL),
    ("生育保险", Cover::MEDICAL),
    ("生育", Cover::MEDICAL),
    ("失业保险", Cover::UNEMPLOYMENT),
    ("失业", Cover::UNEMPLOYMENT),
    ("工伤保险", Cover::INJURY),
    ("工伤", Cover::INJURY),
    ("单工伤", Cover::INJURY),
    ("仅工伤", Cover::INJURY),
    ("只参加工伤保险", Cover::INJURY),
    ("单险种工伤", Cover::INJURY),
    ("四险", Cover::ALL),
    ("五险", Cover::ALL),
    ("全部", Cover::ALL),
    ("全险", Cover::ALL),
    ("pension", Cover::PENSION),
    ("medical", Cover::MEDICAL),
    ("maternity", Cover::MEDICAL),
    ("unemployment", Cover::UNEMPLOYMENT),
    ("injury", Cover::INJURY),
    ("all", Cover::ALL),
];

/// The insurances a 参加险种 cell names; `None` when a part is not an insurance.
pub fn cover(s: &str) -> Option<Cover> {
    let mut out = Cover::NONE;
    let norm: String = s.chars().map(map_char).collect();
    for part in norm
        .split(['、', ',', '，', '/', ';', '；', '|', '+', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let part = part.to_lowercase();
        let (_, c) = WORDS.iter().find(|(w, _)| *w == part)?;
        out = out.union(*c);
    }
    (out != Cover::NONE).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lists_and_shorthands() {
        assert_eq!(cover("单工伤"), Some(Cover::INJURY));
        assert_eq!(cover("工伤保险"), Some(Cover::INJURY));
        assert_eq!(cover("养老、医疗、失业、工伤"), Some(Cover::ALL));
        assert_eq!(cover("五险"), Some(Cover::ALL));
        assert_eq!(
            cover("养老,生育"),
            Some(Cover::PENSION.union(Cover::MEDICAL))
        );
        assert_eq!(cover("Injury"), Some(Cover::INJURY));
        assert_eq!(cover("公积金"), None);
        assert_eq!(cover("工伤、公积金"), None);
        assert_eq!(cover(" 、 "), None);
    }

    #[test]
    fn labels() {
        assert_eq!(Cover::ALL.label_zh(), "养老、医疗、失业、工伤");
        assert_eq!(Cover::INJURY.label_en(), "work injury");
    }
}
