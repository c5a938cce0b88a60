//! The known words closest to one that was not understood, for the message that rejects it.
//!
//! Chinese reasons differ by whole characters added or left out (辞职 / 个人辞职 / 辞职离开),
//! so the score is the share of characters two words have in common (Dice over character
//! multisets); ties go to the smaller edit distance, then to list order. This runs only for
//! a rejected cell.

/// The least similarity (per mille) worth suggesting.
const MIN_DICE: u32 = 500;

/// Up to `n` of `candidates` (shown text, key form) closest to `text`; none in common is no
/// suggestion.
pub(super) fn closest(text: &str, candidates: &[(String, String)], n: usize) -> Vec<String> {
    let key: Vec<char> = super::Key::new(text)
        .map(|k| k.as_str().chars().collect())
        .unwrap_or_default();
    if key.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(u32, usize, usize, &str)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, (shown, k))| {
            let k: Vec<char> = k.chars().collect();
            let common = shared(&key, &k);
            // Per mille, so the sort key stays an integer. Below 0.5 the words share too
            // little to be what was meant (不想干了 and 到期不续签 share only 不).
            let dice = (2000 * common / (key.len() + k.len())) as u32;
            (dice >= MIN_DICE).then(|| (dice, levenshtein(&key, &k), i, shown.as_str()))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut out: Vec<String> = Vec::new();
    for (_, _, _, shown) in scored {
        if out.len() == n {
            break;
        }
        if !out.iter().any(|o| o == shown) {
            out.push(shown.to_string());
        }
    }
    out
}

/// Characters in common, counted with multiplicity.
fn shared(a: &[char], b: &[char]) -> usize {
    let mut rest: Vec<char> = b.to_vec();
    a.iter()
        .filter(|c| match rest.iter().position(|r| r == *c) {
            Some(i) => {
                rest.swap_remove(i);
                true
            }
            None => false,
        })
        .count()
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn edit_distance_and_shared_characters() {
        assert_eq!(levenshtein(&c("辞职"), &c("个人辞职")), 2);
        assert_eq!(levenshtein(&c(""), &c("abc")), 3);
        assert_eq!(levenshtein(&c("kitten"), &c("sitting")), 3);
        assert_eq!(shared(&c("合同到期"), &c("合同期满")), 3);
        assert_eq!(shared(&c("aab"), &c("ab")), 2);
    }

    #[test]
    fn closest_ranks_by_shared_characters_then_distance() {
        let cands: Vec<(String, String)> = ["辞职", "合同到期", "合同期满", "死亡"]
            .iter()
            .map(|s| (s.to_string(), s.to_string()))
            .collect();
        assert_eq!(
            closest("合同到期了", &cands, 2),
            vec!["合同到期".to_string(), "合同期满".to_string()]
        );
        assert!(closest("xyz", &cands, 3).is_empty());
        assert!(closest("不想干了", &[("到期不续签".into(), "到期不续签".into())], 3).is_empty());
        assert!(closest("", &cands, 3).is_empty());
    }
}
