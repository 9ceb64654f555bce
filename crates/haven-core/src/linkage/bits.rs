//! Bit vectors in clkhash's layout, and sets of CLKs laid out for fast comparison.
//!
//! clkhash keeps a Bloom filter in a `bitarray` with big-endian bit order: bit `i` is bit
//! `7 - i % 8` of byte `i / 8`, and the serialised form is the bytes in base64. Here the
//! bytes are packed big-endian into `u64` words, so bit `i` is bit `63 - i % 64` of word
//! `i / 64`, and `to_bytes` gives back exactly clkhash's bytes.

use super::model::LinkageError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// A fixed-length bit vector (one CLK).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bits {
    len: usize,
    words: Vec<u64>,
}

impl Bits {
    pub fn new(len: usize) -> Self {
        Self {
            len,
            words: vec![0; len.div_ceil(64)],
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn words(&self) -> &[u64] {
        &self.words
    }

    pub fn set(&mut self, i: usize) {
        debug_assert!(i < self.len);
        self.words[i / 64] |= 1 << (63 - i % 64);
    }

    pub fn get(&self, i: usize) -> bool {
        self.words[i / 64] >> (63 - i % 64) & 1 == 1
    }

    pub fn count_ones(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }

    /// Sets every bit that is set in `other` (same length).
    pub fn or_assign(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// clkhash's `fold_xor`: `folds` times, the first half XOR the second half.
    pub fn fold_xor(self, folds: u32) -> Bits {
        let mut bits = self;
        for _ in 0..folds {
            let half = bits.len / 2;
            let mut out = Bits::new(half);
            for i in 0..half {
                if bits.get(i) != bits.get(half + i) {
                    out.set(i);
                }
            }
            bits = out;
        }
        bits
    }

    /// The bytes clkhash serialises (`bitarray.tobytes()`: unused bits of the last byte 0).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self.words.iter().flat_map(|w| w.to_be_bytes()).collect();
        out.truncate(self.len.div_ceil(8));
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Self {
        let mut words = Vec::with_capacity(bytes.len().div_ceil(8));
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            words.push(u64::from_be_bytes(w));
        }
        Self {
            len: bytes.len() * 8,
            words,
        }
    }

    /// clkhash's `serialize_bitarray`: standard base64 of the bytes.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.to_bytes())
    }
}

/// Many CLKs of one length, stored one after another with their popcounts, so that a
/// comparison reads two short runs of words and no pointer.
#[derive(Debug, Clone, Default)]
pub struct ClkSet {
    bits: usize,
    stride: usize,
    data: Vec<u64>,
    counts: Vec<u32>,
}

impl ClkSet {
    pub fn from_bits(clks: &[Bits]) -> Result<Self, LinkageError> {
        let bits = clks.first().map_or(0, Bits::len);
        let stride = bits.div_ceil(64);
        let mut set = ClkSet {
            bits,
            stride,
            data: Vec::with_capacity(stride * clks.len()),
            counts: Vec::with_capacity(clks.len()),
        };
        for (i, c) in clks.iter().enumerate() {
            if c.len() != bits {
                return Err(LinkageError::Clks(format!(
                    "CLK {i} has {} bits where the first has {bits}",
                    c.len()
                )));
            }
            set.data.extend_from_slice(c.words());
            set.counts.push(c.count_ones());
        }
        Ok(set)
    }

    /// Reads base64 CLKs (clkhash's JSON form); every one must have the same length.
    pub fn from_base64<S: AsRef<str>>(clks: &[S]) -> Result<Self, LinkageError> {
        let decoded = clks
            .iter()
            .enumerate()
            .map(|(i, s)| {
                STANDARD
                    .decode(s.as_ref().trim())
                    .map(|b| Bits::from_bytes(&b))
                    .map_err(|e| LinkageError::Clks(format!("CLK {i} is not base64: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_bits(&decoded)
    }

    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The length of each CLK in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Words per CLK.
    pub fn stride(&self) -> usize {
        self.stride
    }

    pub fn words(&self, i: usize) -> &[u64] {
        &self.data[i * self.stride..(i + 1) * self.stride]
    }

    pub fn count(&self, i: usize) -> u32 {
        self.counts[i]
    }

    pub fn counts(&self) -> &[u32] {
        &self.counts
    }

    pub(crate) fn data(&self) -> &[u64] {
        &self.data
    }

    /// Bit `bit` of CLK `i`.
    pub fn get(&self, i: usize, bit: usize) -> bool {
        self.words(i)[bit / 64] >> (63 - bit % 64) & 1 == 1
    }
}

/// The Dice coefficient of two bit vectors: `2 |a ∧ b| / (|a| + |b|)`, 0 when both are
/// empty (as anonlink).
pub fn dice(a: &[u64], b: &[u64]) -> f64 {
    let ca: u32 = a.iter().map(|w| w.count_ones()).sum();
    let cb: u32 = b.iter().map(|w| w.count_ones()).sum();
    let both: u32 = a.iter().zip(b).map(|(x, y)| (x & y).count_ones()).sum();
    if ca + cb == 0 {
        0.0
    } else {
        2.0 * f64::from(both) / f64::from(ca + cb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_bitarray_big_endian() {
        let mut b = Bits::new(13);
        b.set(0);
        b.set(7);
        b.set(8);
        b.set(12);
        assert_eq!(b.to_bytes(), vec![0b1000_0001, 0b1000_1000]);
        let back = Bits::from_bytes(&b.to_bytes());
        assert!(back.get(0) && back.get(7) && back.get(8) && back.get(12) && !back.get(1));
    }

    #[test]
    fn fold_xor_halves() {
        // 1100 0110 folded once: 1100 ^ 0110 = 1010.
        let mut b = Bits::new(8);
        for i in [0, 1, 5, 6] {
            b.set(i);
        }
        let f = b.fold_xor(1);
        assert_eq!(f.len(), 4);
        assert_eq!(f.to_bytes(), vec![0b1010_0000]);
    }

    #[test]
    fn dice_by_hand() {
        // a = 1111 0000, b = 1100 1100: |a|=4, |b|=4, |a∧b|=2 → 2·2/8 = 0.5.
        let a = [0xF0u64 << 56];
        let b = [0xCCu64 << 56];
        assert_eq!(dice(&a, &b), 0.5);
        assert_eq!(dice(&a, &a), 1.0);
        assert_eq!(dice(&[0], &[0]), 0.0);
        // 3 of 5 and 3 of 3 sharing 3: 6/8.
        assert_eq!(dice(&[0b11111], &[0b10101]), 0.75);
    }
}
