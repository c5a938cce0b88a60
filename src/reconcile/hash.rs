//! The partition a person lands in: the crate's fixed hash (`fxhash`; SipHash was 5 % of
//! a reconciliation's time) of the key the person is matched by.

use std::hash::Hasher;

pub use crate::fxhash::{Fx, FxBuild, FxMap};

/// The hash of one tagged text (fmix64-finished, so its bits all vary).
pub fn of(tag: u8, text: &str) -> u64 {
    let mut h = Fx::default();
    h.write_u8(tag);
    h.write(text.as_bytes());
    h.write_usize(text.len());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fixed_and_tells_texts_apart() {
        assert_eq!(of(0, "110101199001011234"), of(0, "110101199001011234"));
        assert_ne!(of(0, "110101199001011234"), of(0, "110101199001011235"));
        assert_ne!(of(0, "张三"), of(2, "张三"));
        // Texts that differ only past a word, or by a trailing zero byte, differ.
        assert_ne!(of(0, "12345678a"), of(0, "12345678b"));
        assert_ne!(of(0, "a"), of(0, "a\0"));
    }

    #[test]
    fn ids_spread_over_partitions() {
        let mut counts = [0u32; 16];
        for i in 0..16_000 {
            let id = format!("1101011990{:07}X", i * 7);
            counts[(of(0, &id) % 16) as usize] += 1;
        }
        // About 1,000 each: none empty, none double.
        assert!(
            counts.iter().all(|&c| (500..2000).contains(&c)),
            "{counts:?}"
        );
    }
}
