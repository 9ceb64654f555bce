//! The Fellegi–Sunter model and its unsupervised training by expectation–maximisation.
//!
//! A pair's comparison vector γ has one level per comparison (or none when a value is
//! missing). Given that the pair is a match, level `l` of comparison `k` has probability
//! `m[k][l]`, given a non-match `u[k][l]`; comparisons are taken as independent, and
//! `λ` is the share of matches among the candidate pairs. EM alternates the probability
//! that each pair is a match (E) with the m, u and λ that best explain those
//! probabilities (M). Pairs with the same γ are counted together, so an iteration costs
//! the number of distinct vectors, not of pairs.

use std::collections::HashMap;

/// A missing value's level.
pub const MISSING: u8 = u8::MAX;

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub lambda: f64,
    pub m: Vec<Vec<f64>>,
    pub u: Vec<Vec<f64>>,
    pub iterations: usize,
    pub converged: bool,
}

impl Model {
    /// Where EM starts: λ at 0.1, the given m and u, not yet trained.
    fn start(m: Vec<Vec<f64>>, u: Vec<Vec<f64>>) -> Model {
        Model {
            lambda: 0.1,
            m,
            u,
            iterations: 0,
            converged: false,
        }
    }

    /// The probability that a pair with levels `gamma` is a match.
    pub fn probability(&self, gamma: &[u8]) -> f64 {
        let mut log_m = self.lambda.ln();
        let mut log_u = (1.0 - self.lambda).ln();
        for (k, &g) in gamma.iter().enumerate() {
            if g != MISSING {
                log_m += self.m[k][g as usize].ln();
                log_u += self.u[k][g as usize].ln();
            }
        }
        1.0 / (1.0 + (log_u - log_m).exp())
    }

    /// The weight of each level, log2(m / u): how much it speaks for a match.
    pub fn weights(&self) -> Vec<Vec<f64>> {
        self.m
            .iter()
            .zip(&self.u)
            .map(|(m, u)| m.iter().zip(u).map(|(m, u)| (m / u).log2()).collect())
            .collect()
    }
}

/// Distinct comparison vectors (`k` levels each, flattened) with how often each occurs.
pub fn patterns(gammas: &[u8], k: usize) -> (Vec<Vec<u8>>, Vec<f64>) {
    let mut counts: HashMap<&[u8], f64> = HashMap::new();
    for g in gammas.chunks(k.max(1)) {
        *counts.entry(g).or_default() += 1.0;
    }
    let mut v: Vec<(Vec<u8>, f64)> = counts.into_iter().map(|(g, c)| (g.to_vec(), c)).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v.into_iter().unzip()
}

/// Level frequencies, smoothed so that no level has probability 0.
pub fn frequencies(gammas: &[u8], levels: &[usize]) -> Vec<Vec<f64>> {
    let k = levels.len();
    let mut f: Vec<Vec<f64>> = levels.iter().map(|&n| vec![0.5; n]).collect();
    for g in gammas.chunks(k.max(1)) {
        for (j, &l) in g.iter().enumerate() {
            if l != MISSING {
                f[j][l as usize] += 1.0;
            }
        }
    }
    f.iter_mut().for_each(|v| normalise(v));
    f
}

fn normalise(v: &mut [f64]) {
    for x in v.iter_mut() {
        *x = x.max(1e-9);
    }
    let s: f64 = v.iter().sum();
    v.iter_mut().for_each(|x| *x /= s);
}

/// Starting m: most matches agree exactly, a few are a level off, few disagree.
pub fn initial_m(levels: &[usize]) -> Vec<Vec<f64>> {
    levels
        .iter()
        .map(|&n| {
            let mut v: Vec<f64> = (0..n)
                .map(|l| {
                    if l == 0 {
                        0.8
                    } else if l + 1 == n {
                        0.05
                    } else {
                        0.15 / (n - 2) as f64
                    }
                })
                .collect();
            normalise(&mut v);
            v
        })
        .collect()
}

/// Trains m and λ (and u too with `train_u`) from the distinct vectors and their counts,
/// starting from `u`, usually estimated on random pairs (nearly all non-matches).
///
/// Candidate pairs come from blocking, so every non-match among them agrees on some
/// blocking key: u estimated on them describes the blocks, not non-matches, and EM can
/// settle on "the pairs of one rule against the pairs of another" instead of matches
/// against non-matches. Keeping u from random pairs (as splink does by default) avoids
/// that; `train_u` is there for the synthetic check that EM recovers all parameters.
pub fn train(
    patterns: &[Vec<u8>],
    counts: &[f64],
    levels: &[usize],
    u: Vec<Vec<f64>>,
    max_iterations: usize,
    train_u: bool,
) -> Model {
    let mut model = Model::start(initial_m(levels), u);
    let total: f64 = counts.iter().sum();
    if total == 0.0 {
        return model;
    }
    for it in 1..=max_iterations {
        let mut m: Vec<Vec<f64>> = levels.iter().map(|&n| vec![0.0; n]).collect();
        let mut u: Vec<Vec<f64>> = m.clone();
        let mut matches = 0.0;
        for (g, &c) in patterns.iter().zip(counts) {
            let p = model.probability(g);
            matches += c * p;
            for (k, &l) in g.iter().enumerate() {
                if l != MISSING {
                    m[k][l as usize] += c * p;
                    u[k][l as usize] += c * (1.0 - p);
                }
            }
        }
        m.iter_mut().chain(u.iter_mut()).for_each(|v| normalise(v));
        if !train_u {
            u = model.u.clone();
        }
        let lambda = (matches / total).clamp(1e-9, 1.0 - 1e-9);
        let change = model
            .m
            .iter()
            .flatten()
            .zip(m.iter().flatten())
            .chain(model.u.iter().flatten().zip(u.iter().flatten()))
            .map(|(a, b)| (a - b).abs())
            .fold((model.lambda - lambda).abs(), f64::max);
        model = Model {
            lambda,
            m,
            u,
            iterations: it,
            converged: false,
        };
        if change < 1e-6 {
            model.converged = true;
            break;
        }
    }
    model
}

/// λ alone, by EM with m and u held: the share of matches that best explains the pairs.
pub fn fit_lambda(
    patterns: &[Vec<u8>],
    counts: &[f64],
    m: Vec<Vec<f64>>,
    u: Vec<Vec<f64>>,
    max_iterations: usize,
) -> Model {
    let mut model = Model::start(m, u);
    let total: f64 = counts.iter().sum();
    if total == 0.0 {
        return model;
    }
    for it in 1..=max_iterations {
        let matches: f64 = patterns
            .iter()
            .zip(counts)
            .map(|(g, c)| c * model.probability(g))
            .sum();
        let lambda = (matches / total).clamp(1e-9, 1.0 - 1e-9);
        let change = (lambda - model.lambda).abs();
        model.lambda = lambda;
        model.iterations = it;
        if change < 1e-7 {
            model.converged = true;
            break;
        }
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two comparisons with two levels each (agree 0, disagree 1). Matches: 90 % agree
    /// on each; non-matches: 10 % and 20 %. 1,000 matches and 9,000 non-matches, counted
    /// exactly from those rates, so EM must land on them.
    #[test]
    fn em_recovers_m_u_and_lambda_from_a_synthetic_set() {
        let mut pats = Vec::new();
        let mut counts = Vec::new();
        for a in 0..2u8 {
            for b in 0..2u8 {
                let pm = [0.9, 0.1][a as usize] * [0.9, 0.1][b as usize];
                let pu = [0.1, 0.9][a as usize] * [0.2, 0.8][b as usize];
                pats.push(vec![a, b]);
                counts.push(1000.0 * pm + 9000.0 * pu);
            }
        }
        // A third comparison makes the mixture identifiable (two binary ones are not).
        let mut p3 = Vec::new();
        let mut c3 = Vec::new();
        for (g, _) in pats.iter().zip(&counts) {
            for c in 0..2u8 {
                let (a, b) = (g[0] as usize, g[1] as usize);
                let pm = [0.9, 0.1][a] * [0.9, 0.1][b] * [0.95, 0.05][c as usize];
                let pu = [0.1, 0.9][a] * [0.2, 0.8][b] * [0.05, 0.95][c as usize];
                p3.push(vec![g[0], g[1], c]);
                c3.push(1000.0 * pm + 9000.0 * pu);
            }
        }
        let levels = [2, 2, 2];
        let start_u = vec![vec![0.3, 0.7], vec![0.3, 0.7], vec![0.3, 0.7]];
        let model = train(&p3, &c3, &levels, start_u, 500, true);
        assert!(model.converged, "{model:?}");
        assert!((model.lambda - 0.1).abs() < 1e-3, "{model:?}");
        assert!(
            (model.m[0][0] - 0.9).abs() < 1e-3 && (model.u[0][0] - 0.1).abs() < 1e-3,
            "{model:?}"
        );
        assert!(
            (model.m[1][0] - 0.9).abs() < 1e-3 && (model.u[1][0] - 0.2).abs() < 1e-3,
            "{model:?}"
        );
        assert!(
            (model.m[2][0] - 0.95).abs() < 1e-3 && (model.u[2][0] - 0.05).abs() < 1e-3,
            "{model:?}"
        );
        // A pair agreeing on everything is a match, one disagreeing on everything is not.
        assert!(model.probability(&[0, 0, 0]) > 0.98);
        assert!(model.probability(&[1, 1, 1]) < 0.01);
        assert!(model.probability(&[0, MISSING, 0]) > 0.9);
    }

    #[test]
    fn patterns_count_identical_vectors() {
        let (p, c) = patterns(&[0, 1, 0, 1, 1, 1], 2);
        assert_eq!(p, vec![vec![0, 1], vec![1, 1]]);
        assert_eq!(c, vec![2.0, 1.0]);
    }
}
