//! Blocked Dice comparisons: only records that share a key are compared. Keys are
//! given (blocklib's `clknblocks`) or drawn from the CLKs by bit-sampling LSH.

use super::bits::ClkSet;
use super::dice::{intersection, score, MinIntersection};
use super::model::{Progress, ScoredPair};
use std::collections::HashMap;

pub(super) fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

pub(super) fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub(super) fn lsh_keys(
    left: &ClkSet,
    right: &ClkSet,
    bands: usize,
    bits: usize,
) -> (Vec<Vec<u64>>, Vec<Vec<u64>>) {
    let len = left.bits().max(right.bits()).max(1);
    let mut seed = 0x4841_5645_4e5f_4c53; // fixed, so that both sides sample the same bits
    let samples: Vec<Vec<usize>> = (0..bands)
        .map(|_| {
            (0..bits.min(64))
                .map(|_| (splitmix(&mut seed) % len as u64) as usize)
                .collect()
        })
        .collect();
    let keys = |set: &ClkSet| -> Vec<Vec<u64>> {
        (0..set.len())
            .map(|i| {
                samples
                    .iter()
                    .enumerate()
                    .map(|(band, pos)| {
                        let v = pos
                            .iter()
                            .fold(0u64, |k, &p| k << 1 | u64::from(set.get(i, p)));
                        v ^ (band as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    })
                    .collect()
            })
            .collect()
    };
    (keys(left), keys(right))
}

pub(super) fn keyed_pairs(
    left: &ClkSet,
    right: &ClkSet,
    left_keys: &[Vec<u64>],
    right_keys: &[Vec<u64>],
    table: &MinIntersection,
    threads: usize,
    progress: &dyn Progress,
) -> Vec<ScoredPair> {
    let mut index: HashMap<u64, Vec<u32>> = HashMap::new();
    for (j, keys) in right_keys.iter().enumerate() {
        for k in keys {
            index.entry(*k).or_default().push(j as u32);
        }
    }
    let chunk = left.len().div_ceil(threads.max(1)).max(1);
    let index = &index;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..left.len())
            .step_by(chunk)
            .map(|start| {
                s.spawn(move || {
                    let mut seen = vec![u32::MAX; right.len()];
                    let mut out = Vec::new();
                    for (i, keys) in left_keys
                        .iter()
                        .enumerate()
                        .take((start + chunk).min(left.len()))
                        .skip(start)
                    {
                        let (a, ca) = (left.words(i), left.count(i));
                        for k in keys {
                            for &j in index.get(k).map_or(&[][..], Vec::as_slice) {
                                if seen[j as usize] == i as u32 {
                                    continue;
                                }
                                seen[j as usize] = i as u32;
                                let cb = right.count(j as usize);
                                let both = intersection::<0>(a, right.words(j as usize));
                                if table.accepts(both, ca + cb) {
                                    out.push(ScoredPair {
                                        left: i as u32,
                                        right: j,
                                        score: score(both, ca + cb),
                                    });
                                }
                            }
                        }
                        if (i - start) % 256 == 255 {
                            progress.advance(256);
                        }
                    }
                    progress.advance(((start + chunk).min(left.len()) - start) as u64 % 256);
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join())
            .flatten()
            .collect()
    })
}
