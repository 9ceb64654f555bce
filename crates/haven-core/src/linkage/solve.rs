//! From candidate pairs to decisions: anonlink's greedy one-to-one solver, and clusters
//! as connected components.

use super::model::{ScoredPair, Side};

/// anonlink's greedy solver for two sets: candidates are taken by score (highest first,
/// ties by left then right index) and a pair is kept when neither of its records is in a
/// kept pair yet. With `same_set` (deduplication), left and right index one set, so a
/// record is used at most once on either side.
pub fn greedy_solve(candidates: &[ScoredPair], same_set: bool) -> Vec<ScoredPair> {
    let mut sorted = candidates.to_vec();
    sorted.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.left.cmp(&b.left))
            .then(a.right.cmp(&b.right))
    });
    let size = sorted
        .iter()
        .map(|p| p.left.max(p.right) as usize + 1)
        .max()
        .unwrap_or(0);
    let mut used_left = vec![false; size];
    let mut used_right = vec![false; size];
    let mut kept = Vec::new();
    for p in sorted {
        let (l, r) = (p.left as usize, p.right as usize);
        let taken = if same_set {
            used_left[l] || used_left[r] || l == r
        } else {
            used_left[l] || used_right[r]
        };
        if !taken {
            used_left[l] = true;
            if same_set {
                used_left[r] = true;
            } else {
                used_right[r] = true;
            }
            kept.push(p);
        }
    }
    kept
}

/// Every record's cluster (connected components of the pairs). Clusters are numbered from
/// 0 in the order of their first record, left records before right ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clusters {
    pub left: Vec<u32>,
    /// Empty when deduplicating one set.
    pub right: Vec<u32>,
    pub count: usize,
}

impl Clusters {
    /// Every record with its side and cluster.
    pub fn members(&self) -> impl Iterator<Item = (Side, usize, u32)> + '_ {
        let l = self
            .left
            .iter()
            .enumerate()
            .map(|(i, c)| (Side::Left, i, *c));
        let r = self
            .right
            .iter()
            .enumerate()
            .map(|(i, c)| (Side::Right, i, *c));
        l.chain(r)
    }
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

/// Connected components over `n_left` left and `n_right` right records (`n_right` = 0 and
/// pairs within the left set when deduplicating).
pub fn clusters(n_left: usize, n_right: usize, pairs: &[ScoredPair]) -> Clusters {
    let n = n_left + n_right;
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let offset = if n_right == 0 { 0 } else { n_left as u32 };
    for p in pairs {
        let (a, b) = (
            find(&mut parent, p.left),
            find(&mut parent, p.right + offset),
        );
        if a != b {
            let (lo, hi) = (a.min(b), a.max(b));
            parent[hi as usize] = lo;
        }
    }
    let mut number = vec![u32::MAX; n];
    let mut count = 0u32;
    let mut of = vec![0u32; n];
    for (i, slot) in of.iter_mut().enumerate() {
        let root = find(&mut parent, i as u32) as usize;
        if number[root] == u32::MAX {
            number[root] = count;
            count += 1;
        }
        *slot = number[root];
    }
    let right = of.split_off(n_left);
    Clusters {
        left: of,
        right,
        count: count as usize,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(left: u32, right: u32, score: f64) -> ScoredPair {
        ScoredPair { left, right, score }
    }

    #[test]
    fn greedy_takes_the_best_pair_first_and_each_record_once() {
        // Scores by hand: 0–0 0.9, 0–1 0.95, 1–1 0.8, 1–0 0.85, 2–2 0.7.
        // Best is 0–1; then 1–0 (0.85); 0–0 and 1–1 are blocked; 2–2 stays.
        let c = [
            p(0, 0, 0.9),
            p(0, 1, 0.95),
            p(1, 1, 0.8),
            p(1, 0, 0.85),
            p(2, 2, 0.7),
        ];
        let kept = greedy_solve(&c, false);
        assert_eq!(kept, vec![p(0, 1, 0.95), p(1, 0, 0.85), p(2, 2, 0.7)]);
    }

    #[test]
    fn greedy_ties_go_to_the_lower_index() {
        let c = [p(1, 0, 0.8), p(0, 0, 0.8)];
        assert_eq!(greedy_solve(&c, false), vec![p(0, 0, 0.8)]);
    }

    #[test]
    fn greedy_within_one_set_uses_a_record_once() {
        let c = [p(0, 1, 0.9), p(1, 2, 0.8), p(2, 3, 0.7)];
        assert_eq!(greedy_solve(&c, true), vec![p(0, 1, 0.9), p(2, 3, 0.7)]);
    }

    #[test]
    fn clusters_are_connected_components() {
        // Dedup: 0–1, 1–2 chain into one cluster; 3 alone; 4–5.
        let c = clusters(6, 0, &[p(0, 1, 1.0), p(1, 2, 1.0), p(4, 5, 1.0)]);
        assert_eq!(c.left, vec![0, 0, 0, 1, 2, 2]);
        assert_eq!(c.count, 3);
        // Link: left 0 with right 1, left 1 alone, right 0 alone.
        let c = clusters(2, 2, &[p(0, 1, 1.0)]);
        assert_eq!((c.left, c.right, c.count), (vec![0, 1], vec![2, 0], 3));
    }
}
