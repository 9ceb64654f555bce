//! Counting distinct persons over linked sources: how many people, how many were seen by
//! more than one source, and how many each pair of sources shares. The figures are exact
//! counts of the clusters; disclosure control is applied where they are published.

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceCount {
    pub name: String,
    pub records: usize,
    /// Distinct persons among this source's records.
    pub persons: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub sources: Vec<SourceCount>,
    pub records: usize,
    /// Distinct persons across all sources (clusters).
    pub persons: usize,
    /// `in_sources[k]`: persons seen by exactly `k + 1` sources.
    pub in_sources: Vec<usize>,
    /// Persons seen by both source `a` and source `b` (`a < b`).
    pub overlaps: Vec<(usize, usize, usize)>,
    /// With exactly two sources, Chapman's capture–recapture estimate of the whole
    /// population, those seen by neither source included (it assumes the two sources
    /// reach people independently).
    pub chapman: Option<f64>,
}

/// `members` gives each record's source (an index into `names`) and cluster.
pub fn estimate(names: &[String], members: impl IntoIterator<Item = (usize, u32)>) -> Estimate {
    let n = names.len();
    let mut records = vec![0usize; n];
    // For each cluster, the sources it was seen in (as a bit set for up to 64 sources,
    // a sorted list beyond).
    let mut seen: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (source, cluster) in members {
        records[source] += 1;
        let s = seen.entry(cluster).or_default();
        if !s.contains(&source) {
            s.push(source);
        }
    }
    let mut persons = vec![0usize; n];
    let mut in_sources = vec![0usize; n.max(1)];
    let mut overlap = vec![vec![0usize; n]; n];
    for sources in seen.values() {
        in_sources[sources.len() - 1] += 1;
        for &a in sources {
            persons[a] += 1;
            for &b in sources {
                if a < b {
                    overlap[a][b] += 1;
                }
            }
        }
    }
    let overlaps: Vec<(usize, usize, usize)> = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .map(|(a, b)| (a, b, overlap[a][b]))
        .collect();
    let chapman = (n == 2).then(|| {
        let (n1, n2, m) = (persons[0] as f64, persons[1] as f64, overlap[0][1] as f64);
        (n1 + 1.0) * (n2 + 1.0) / (m + 1.0) - 1.0
    });
    Estimate {
        sources: names
            .iter()
            .zip(records.iter().zip(&persons))
            .map(|(name, (r, p))| SourceCount {
                name: name.clone(),
                records: *r,
                persons: *p,
            })
            .collect(),
        records: records.iter().sum(),
        persons: seen.len(),
        in_sources,
        overlaps,
        chapman,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_sources_by_hand() {
        // Source A: records in clusters 0, 1, 1 (a duplicate), 2; source B: 1, 3.
        // Persons: 0, 1, 2, 3 → 4; A has 3 persons, B 2; both: cluster 1.
        let names = vec!["A".to_owned(), "B".to_owned()];
        let e = estimate(&names, [(0, 0), (0, 1), (0, 1), (0, 2), (1, 1), (1, 3)]);
        assert_eq!(e.records, 6);
        assert_eq!(e.persons, 4);
        assert_eq!((e.sources[0].persons, e.sources[1].persons), (3, 2));
        assert_eq!(e.in_sources, vec![3, 1]);
        assert_eq!(e.overlaps, vec![(0, 1, 1)]);
        // Chapman: (3+1)(2+1)/(1+1) − 1 = 5.
        assert_eq!(e.chapman, Some(5.0));
    }
}
