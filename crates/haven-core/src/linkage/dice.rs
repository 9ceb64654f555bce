//! Dice comparisons of CLK sets: every pair, or only pairs that share a block.
//!
//! All pairs: the right set is sorted by popcount, so that each left CLK is compared only
//! with CLKs whose popcount allows a Dice coefficient at the threshold
//! (`2·min(a, b) / (a + b) ≥ t`); left CLKs are taken in blocks of 32 of similar popcount
//! so that each right CLK is read from memory once per block. A comparison is the popcount
//! of `a ∧ b` over 64-bit words, checked against a table of the smallest intersection that
//! reaches the threshold for each `|a| + |b|`, so no division is made for pairs that fail.
//! The comparing loop runs under `pulp`'s runtime dispatch: with the CPU's `popcnt` and
//! AVX2 when it has them (x86-64-v3), plain code otherwise, and no `unsafe` here.
//!
//! Blocked: records that share a key are compared. Keys are either given (for instance
//! blocklib's `clknblocks`) or drawn from the CLKs themselves by bit-sampling LSH: each of
//! `bands` keys is `bits` bit positions chosen at random (fixed seed), so CLKs that agree
//! on most bits share some key with high probability.

use super::bits::ClkSet;
use super::blocked::{fnv, keyed_pairs, lsh_keys};
use super::model::{LinkageError, Progress, ScoredPair};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Which pairs are compared.
#[derive(Debug, Clone, PartialEq)]
pub enum Blocking {
    /// Every left CLK with every right CLK (pruned by popcount only).
    All,
    /// Bit-sampling LSH: `bands` keys of `bits` sampled bit positions each.
    Lsh { bands: usize, bits: usize },
    /// Given block keys per record; records sharing any key are compared.
    Keys {
        left: Vec<Vec<String>>,
        right: Vec<Vec<String>>,
    },
}

impl Blocking {
    /// 32 bands of 10 bits: two CLKs that agree on 90 % of their bits share a band with
    /// probability ≈ 1 − (1 − 0.9¹⁰)³² > 0.9999; at 82 % (Dice ≈ 0.8 for CLKs 45 % full)
    /// ≈ 0.99; random CLKs share one in about 3 % of pairs.
    pub fn default_lsh() -> Self {
        Blocking::Lsh {
            bands: 32,
            bits: 10,
        }
    }
}

const LEFT_BLOCK: usize = 32;

/// Candidate pairs with a Dice coefficient of at least `threshold`, sorted as anonlink
/// sorts them: by score descending, then left index, then right index.
pub fn candidates(
    left: &ClkSet,
    right: &ClkSet,
    threshold: f64,
    blocking: &Blocking,
    threads: usize,
    progress: &dyn Progress,
) -> Result<Vec<ScoredPair>, LinkageError> {
    if !left.is_empty() && !right.is_empty() && left.bits() != right.bits() {
        return Err(LinkageError::Clks(format!(
            "the left CLKs have {} bits and the right ones {}",
            left.bits(),
            right.bits()
        )));
    }
    if !(0.0..=1.0).contains(&threshold) {
        return Err(LinkageError::Config(format!(
            "the threshold {threshold} is not between 0 and 1"
        )));
    }
    let table = MinIntersection::new(left.bits().max(right.bits()), threshold);
    progress.start("comparing", left.len() as u64);
    let mut pairs = match blocking {
        Blocking::All => all_pairs(left, right, &table, threads, progress),
        Blocking::Lsh { bands, bits } => {
            let (l, r) = lsh_keys(left, right, *bands, *bits);
            keyed_pairs(left, right, &l, &r, &table, threads, progress)
        }
        Blocking::Keys {
            left: lk,
            right: rk,
        } => {
            if lk.len() != left.len() || rk.len() != right.len() {
                return Err(LinkageError::Clks(
                    "there must be one list of blocks per CLK".into(),
                ));
            }
            let hash = |keys: &Vec<Vec<String>>| -> Vec<Vec<u64>> {
                keys.iter()
                    .map(|ks| ks.iter().map(|k| fnv(k.as_bytes())).collect())
                    .collect()
            };
            keyed_pairs(left, right, &hash(lk), &hash(rk), &table, threads, progress)
        }
    };
    pairs.sort_unstable_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.left.cmp(&b.left))
            .then(a.right.cmp(&b.right))
    });
    Ok(pairs)
}

/// For each `|a| + |b|`, the smallest `|a ∧ b|` whose Dice coefficient (computed as
/// anonlink does, `2c / s` in double precision) reaches the threshold.
pub(super) struct MinIntersection {
    min: Vec<u32>,
    t: f64,
}

impl MinIntersection {
    fn new(bits: usize, t: f64) -> Self {
        let min = (0..=2 * bits)
            .map(|s| {
                if s == 0 {
                    return if t <= 0.0 { 0 } else { u32::MAX };
                }
                let sf = s as f64;
                let mut c = ((t * sf / 2.0).ceil() as usize).min(s / 2 + 1);
                while c > 0 && 2.0 * (c - 1) as f64 / sf >= t {
                    c -= 1;
                }
                while c <= s / 2 && 2.0 * c as f64 / sf < t {
                    c += 1;
                }
                if c > s / 2 {
                    u32::MAX
                } else {
                    c as u32
                }
            })
            .collect();
        MinIntersection { min, t }
    }

    #[inline(always)]
    pub(super) fn accepts(&self, both: u32, sum: u32) -> bool {
        both >= self.min[sum as usize]
    }
}

pub(super) fn score(both: u32, sum: u32) -> f64 {
    if sum == 0 {
        0.0
    } else {
        2.0 * f64::from(both) / f64::from(sum)
    }
}

#[inline(always)]
pub(super) fn intersection<const W: usize>(a: &[u64], b: &[u64]) -> u32 {
    if W > 0 {
        let (Ok(a), Ok(b)) = (<&[u64; W]>::try_from(a), <&[u64; W]>::try_from(b)) else {
            return 0;
        };
        let mut n = 0;
        for i in 0..W {
            n += (a[i] & b[i]).count_ones();
        }
        n
    } else {
        a.iter().zip(b).map(|(x, y)| (x & y).count_ones()).sum()
    }
}

/// The right set sorted by popcount, with the original positions.
struct Sorted {
    order: Vec<u32>,
    counts: Vec<u32>,
    data: Vec<u64>,
    stride: usize,
}

impl Sorted {
    fn new(set: &ClkSet) -> Self {
        let mut order: Vec<u32> = (0..set.len() as u32).collect();
        order.sort_by_key(|&i| set.count(i as usize));
        let mut data = Vec::with_capacity(set.data().len());
        for &i in &order {
            data.extend_from_slice(set.words(i as usize));
        }
        Sorted {
            counts: order.iter().map(|&i| set.count(i as usize)).collect(),
            order,
            data,
            stride: set.stride(),
        }
    }

    /// Positions whose popcount `b` allows `2·min(a, b)/(a + b) ≥ t`, with a margin of one.
    fn range(&self, a: u32, t: f64) -> std::ops::Range<usize> {
        let a = f64::from(a);
        let lo = if t <= 0.0 {
            0.0
        } else {
            (t * a / (2.0 - t)).floor() - 1.0
        };
        let hi = if t <= 0.0 {
            f64::MAX
        } else {
            (a * (2.0 - t) / t).ceil() + 1.0
        };
        let start = self.counts.partition_point(|&c| f64::from(c) < lo);
        let end = self.counts.partition_point(|&c| f64::from(c) <= hi);
        start..end.max(start)
    }
}

struct Block<'a> {
    left: &'a ClkSet,
    rows: &'a [u32],
    right: &'a Sorted,
    table: &'a MinIntersection,
    t: f64,
    out: &'a std::cell::RefCell<Vec<ScoredPair>>,
}

impl pulp::WithSimd for Block<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) {
        match self.left.stride() {
            16 => self.run::<16>(),
            8 => self.run::<8>(),
            32 => self.run::<32>(),
            _ => self.run::<0>(),
        }
    }
}

impl Block<'_> {
    /// The popcounts of the block's left CLKs.
    #[inline(always)]
    fn counts(&self) -> Vec<u32> {
        self.rows
            .iter()
            .map(|&i| self.left.count(i as usize))
            .collect()
    }

    /// The positions on the right that any of the block's left CLKs may match: from the
    /// lowest start to the highest end of their popcount ranges.
    #[inline(always)]
    fn span(&self, counts: &[u32]) -> std::ops::Range<usize> {
        let ranges = counts.iter().map(|&c| self.right.range(c, self.t));
        let lo = ranges.clone().map(|r| r.start).min().unwrap_or(0);
        let hi = ranges.map(|r| r.end).max().unwrap_or(0);
        lo..hi
    }

    /// Compares the block's left CLKs (copied side by side first, so that they stay in
    /// the L1 cache) with each right CLK in the block's popcount range; the right CLK is
    /// copied into a local array so that its words stay in registers across the block.
    #[inline(always)]
    fn run<const W: usize>(self) {
        let r = self.right;
        let stride = self.left.stride();
        let counts = self.counts();
        let mut words = Vec::with_capacity(self.rows.len() * stride);
        for &i in self.rows {
            words.extend_from_slice(self.left.words(i as usize));
        }
        for j in self.span(&counts) {
            let b = &r.data[j * r.stride..(j + 1) * r.stride];
            let cb = r.counts[j];
            if W > 0 {
                let Ok(b) = <&[u64; W]>::try_from(b) else {
                    return;
                };
                let b: [u64; W] = *b;
                for (k, a) in words.chunks_exact(W).enumerate() {
                    let Ok(a) = <&[u64; W]>::try_from(a) else {
                        return;
                    };
                    let mut both = 0;
                    for w in 0..W {
                        both += (a[w] & b[w]).count_ones();
                    }
                    self.keep(k, counts[k], both, cb, j);
                }
            } else {
                for (k, a) in words.chunks_exact(stride.max(1)).enumerate() {
                    let both = a.iter().zip(b).map(|(x, y)| (x & y).count_ones()).sum();
                    self.keep(k, counts[k], both, cb, j);
                }
            }
        }
    }

    /// [`Block::run`] for 1024-bit CLKs with AVX2.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn run_avx2(&self, simd: pulp::x86::V3) {
        use super::avx2;
        let r = self.right;
        let n = avx2::Nibbles::new(simd);
        let counts = self.counts();
        let rows: Vec<avx2::Clk1024> = self
            .rows
            .iter()
            .filter_map(|&i| avx2::load(self.left.words(i as usize)))
            .collect();
        for j in self.span(&counts) {
            let Some(b) = avx2::load(&r.data[j * 16..(j + 1) * 16]) else {
                return;
            };
            let cb = r.counts[j];
            for (k, a) in rows.iter().enumerate() {
                let both = avx2::intersection(simd, n, a, &b);
                self.keep(k, counts[k], both, cb, j);
            }
        }
    }

    #[inline(always)]
    fn keep(&self, k: usize, ca: u32, both: u32, cb: u32, j: usize) -> bool {
        let sum = ca + cb;
        if self.table.accepts(both, sum) {
            // Rare (pairs over the threshold): out of the hot loop's way.
            push(
                self.out,
                ScoredPair {
                    left: self.rows[k],
                    right: self.right.order[j],
                    score: score(both, sum),
                },
            );
            return true;
        }
        false
    }
}

#[inline(never)]
fn push(out: &std::cell::RefCell<Vec<ScoredPair>>, p: ScoredPair) {
    out.borrow_mut().push(p);
}

fn all_pairs(
    left: &ClkSet,
    right: &ClkSet,
    table: &MinIntersection,
    threads: usize,
    progress: &dyn Progress,
) -> Vec<ScoredPair> {
    let sorted = Sorted::new(right);
    let mut rows: Vec<u32> = (0..left.len() as u32).collect();
    rows.sort_by_key(|&i| left.count(i as usize));
    let t = table.t;
    let next = AtomicUsize::new(0);
    let blocks: Vec<&[u32]> = rows.chunks(LEFT_BLOCK).collect();
    let parts: Vec<Vec<ScoredPair>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| {
                s.spawn(|| {
                    let arch = pulp::Arch::new();
                    let out = std::cell::RefCell::new(Vec::new());
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(block) = blocks.get(k) else { break };
                        let b = Block {
                            left,
                            rows: block,
                            right: &sorted,
                            table,
                            t,
                            out: &out,
                        };
                        #[cfg(target_arch = "x86_64")]
                        if left.stride() == 16 {
                            if let Some(simd) = pulp::x86::V3::try_new() {
                                simd.vectorize(|| b.run_avx2(simd));
                                progress.advance(block.len() as u64);
                                continue;
                            }
                        }
                        arch.dispatch(Block {
                            left,
                            rows: block,
                            right: &sorted,
                            table,
                            t,
                            out: &out,
                        });
                        progress.advance(block.len() as u64);
                    }
                    out.into_inner()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join()).collect()
    });
    parts.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linkage::bits::{dice, Bits};
    use crate::linkage::blocked::splitmix;
    use crate::linkage::model::NoProgress;

    fn set(bits: &[&[usize]], len: usize) -> ClkSet {
        let v: Vec<Bits> = bits
            .iter()
            .map(|on| {
                let mut b = Bits::new(len);
                on.iter().for_each(|&i| b.set(i));
                b
            })
            .collect();
        ClkSet::from_bits(&v).unwrap()
    }

    #[test]
    fn candidates_by_hand() {
        // Left 0 = {0,1,2,3}, left 1 = {10,11}; right 0 = {0,1,2,3} (Dice 1),
        // right 1 = {0,1,4,5} (2·2/8 = 0.5), right 2 = {10,11,12} (2·2/5 = 0.8).
        let l = set(&[&[0, 1, 2, 3], &[10, 11]], 64);
        let r = set(&[&[0, 1, 2, 3], &[0, 1, 4, 5], &[10, 11, 12]], 64);
        let c = candidates(&l, &r, 0.5, &Blocking::All, 1, &NoProgress).unwrap();
        let got: Vec<(u32, u32, f64)> = c.iter().map(|p| (p.left, p.right, p.score)).collect();
        assert_eq!(got, vec![(0, 0, 1.0), (1, 2, 0.8), (0, 1, 0.5)]);
        // The threshold is inclusive and exact: 0.8 keeps (1, 2), 0.81 does not.
        assert_eq!(
            candidates(&l, &r, 0.8, &Blocking::All, 1, &NoProgress)
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            candidates(&l, &r, 0.81, &Blocking::All, 1, &NoProgress)
                .unwrap()
                .len(),
            1
        );
    }

    fn random_set(n: usize, seed: u64, len: usize) -> Vec<Bits> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                let mut b = Bits::new(len);
                for i in 0..len {
                    if splitmix(&mut s) % 100 < 40 {
                        b.set(i);
                    }
                }
                b
            })
            .collect()
    }

    #[test]
    fn all_pairs_equal_a_plain_loop_at_every_length() {
        for len in [64, 512, 1024, 2048, 200] {
            let l = random_set(70, 1, len);
            let mut r = random_set(90, 2, len);
            r[5] = l[3].clone();
            let (ls, rs) = (
                ClkSet::from_bits(&l).unwrap(),
                ClkSet::from_bits(&r).unwrap(),
            );
            let got = candidates(&ls, &rs, 0.42, &Blocking::All, 2, &NoProgress).unwrap();
            let mut want = Vec::new();
            for (i, a) in l.iter().enumerate() {
                for (j, b) in r.iter().enumerate() {
                    let d = dice(a.words(), b.words());
                    if d >= 0.42 {
                        want.push((i as u32, j as u32, d));
                    }
                }
            }
            want.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
            let got: Vec<_> = got.iter().map(|p| (p.left, p.right, p.score)).collect();
            assert_eq!(got, want, "length {len}");
        }
    }

    #[test]
    fn lsh_and_given_blocks_find_near_copies() {
        let l = random_set(200, 3, 1024);
        let mut r = random_set(200, 4, 1024);
        // Right 7 is left 9 with 30 bits flipped (Dice ≈ 0.96).
        let mut near = l[9].clone();
        for i in 0..30 {
            if !near.get(i * 7) {
                near.set(i * 7);
            }
        }
        r[7] = near;
        let (ls, rs) = (
            ClkSet::from_bits(&l).unwrap(),
            ClkSet::from_bits(&r).unwrap(),
        );
        let lsh = candidates(&ls, &rs, 0.9, &Blocking::default_lsh(), 2, &NoProgress).unwrap();
        assert_eq!(
            lsh.iter().map(|p| (p.left, p.right)).collect::<Vec<_>>(),
            vec![(9, 7)]
        );
        let keys = |n: usize, k: usize| {
            (0..n)
                .map(|i| {
                    vec![if i == k {
                        "b".to_owned()
                    } else {
                        format!("x{i}")
                    }]
                })
                .collect()
        };
        let blocks = Blocking::Keys {
            left: keys(200, 9),
            right: keys(200, 7),
        };
        let given = candidates(&ls, &rs, 0.9, &blocks, 1, &NoProgress).unwrap();
        assert_eq!(given, lsh);
    }
}
