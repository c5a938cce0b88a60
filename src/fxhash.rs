//! One fast, fixed hash for the maps keyed by the user's own data (ID numbers, names, code
//! words): the multiply-rotate word fold of rustc's `FxHasher` with a MurmurHash3 finaliser,
//! so every input bit reaches the low bits a table indexes by and the high bits a
//! partition number is taken from. SipHash's resistance to chosen keys buys nothing for
//! local files and cost 5–10 % of a run where these maps are hot. Being fixed, it also
//! places a person in the same `reconcile` partition every run.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

pub type FxBuild = BuildHasherDefault<Fx>;
pub type FxMap<K, V> = HashMap<K, V, FxBuild>;

impl Fx {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517C_C1B7_2722_0A95);
    }
}

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            // The tail's length, so that `ab` and `ab\0` differ.
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn write_isize(&mut self, i: isize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // fmix64.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 33;
        h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(s: &str) -> u64 {
        let mut h = Fx::default();
        h.write(s.as_bytes());
        h.finish()
    }

    #[test]
    fn fixed_and_sensitive_to_every_byte_and_the_length() {
        assert_eq!(hash("110105199001011232"), hash("110105199001011232"));
        assert_ne!(hash("110105199001011232"), hash("110105199001011240"));
        assert_ne!(hash("ab"), hash("ab\0"));
        assert_ne!(hash(""), hash("\0"));
        // The low bits vary (a table's index), not only the high ones.
        let lows: std::collections::BTreeSet<u64> =
            (0..64).map(|i| hash(&format!("张{i}")) & 0xF).collect();
        assert!(lows.len() > 8, "{lows:?}");
    }
}
