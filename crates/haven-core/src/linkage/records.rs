//! Plaintext record linkage end to end: comparisons, blocking, EM, scores, clusters.

use super::blocking::{self, Rule};
use super::compare::{self, Comparison, Prepared};
use super::config::{ComparisonKind, LinkConfig, DEFAULT_THRESHOLD};
use super::em::{self, Model};
use super::model::{LinkageError, Progress, ScoredPair, Table};
use super::solve::{clusters, greedy_solve, Clusters};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Duplicates within one set.
    Dedup,
    /// The same persons in two sets.
    Link,
}

/// The outcome, with what was done to get it (for the summary).
#[derive(Debug, Clone)]
pub struct Linked {
    /// Pairs at or over the threshold, best first; `score` is the match probability.
    pub pairs: Vec<ScoredPair>,
    pub clusters: Clusters,
    /// The comparisons used, described ("surname (name)").
    pub comparisons: Vec<String>,
    /// Each comparison's level names, in the model's order.
    pub level_names: Vec<Vec<String>>,
    /// The blocking rules used, with the pairs each produces alone.
    pub rules: Vec<(String, usize)>,
    /// Generated rules left out because they would produce too many pairs.
    pub skipped_rules: Vec<(String, usize)>,
    /// Pairs compared.
    pub candidates: usize,
    pub model: Model,
    pub threshold: f64,
}

/// Links `left` with `right`, or deduplicates `left` when `right` is `None`. `id` is the
/// identifier column (never compared).
pub fn link_records(
    left: &Table,
    right: Option<&Table>,
    id: &str,
    config: &LinkConfig,
    threads: usize,
    progress: &dyn Progress,
) -> Result<Linked, LinkageError> {
    let id_col = left.column(id)?;
    if let Some(r) = right {
        r.column(id)?;
    }
    let threshold = config.threshold.unwrap_or(DEFAULT_THRESHOLD);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(LinkageError::Config(format!(
            "the threshold {threshold} is not a probability"
        )));
    }
    let comparisons = match &config.comparisons {
        Some(specs) => specs
            .iter()
            .map(Comparison::from_spec)
            .collect::<Result<Vec<_>, _>>()?,
        None => compare::choose(left, id_col, right),
    };
    if comparisons.is_empty() {
        return Err(LinkageError::Config(
            "there is no column to compare besides the identifier".into(),
        ));
    }
    let prep_left = comparisons
        .iter()
        .map(|c| Prepared::new(c, left))
        .collect::<Result<Vec<_>, _>>()?;
    let prep_right = match right {
        Some(r) => Some(
            comparisons
                .iter()
                .map(|c| Prepared::new(c, r))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => None,
    };
    let right_table = right.unwrap_or(left);
    let pr = prep_right.as_ref().unwrap_or(&prep_left);

    let (rules, skipped) = choose_rules(config, &comparisons, left, right)?;
    let pairs = blocking::pairs(&rules, left.len(), right_table.len(), right.is_none());
    let rules_used: Vec<(String, usize)> = rules
        .iter()
        .map(|r| (r.rule.text.clone(), r.pairs))
        .collect();

    let k = comparisons.len();
    progress.start("comparing", pairs.len() as u64);
    let gammas = gamma_matrix(&comparisons, &prep_left, pr, &pairs, threads, progress);
    let sides = Sides {
        comparisons: &comparisons,
        left: &prep_left,
        right: pr,
        n_left: left.len(),
        n_right: right_table.len(),
        same_set: right.is_none(),
    };
    progress.start("training", rules.len() as u64);
    let model = train_model(&sides, &rules, &gammas, config, threads, progress);
    drop(rules);
    let (patterns, _) = em::patterns(&gammas, k);
    let probability: HashMap<&[u8], f64> = patterns
        .iter()
        .map(|g| (g.as_slice(), model.probability(g)))
        .collect();

    let mut scored: Vec<ScoredPair> = pairs
        .iter()
        .zip(gammas.chunks(k))
        .filter_map(|(&(l, r), g)| {
            let p = probability.get(g).copied().unwrap_or(0.0);
            (p >= threshold).then_some(ScoredPair {
                left: l,
                right: r,
                score: p,
            })
        })
        .collect();
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.left.cmp(&b.left))
            .then(a.right.cmp(&b.right))
    });
    if config.one_to_one && right.is_some() {
        scored = greedy_solve(&scored, false);
    }
    let clusters = match right {
        Some(r) => clusters(left.len(), r.len(), &scored),
        None => clusters(left.len(), 0, &scored),
    };
    Ok(Linked {
        pairs: scored,
        clusters,
        comparisons: comparisons.iter().map(Comparison::describe).collect(),
        level_names: comparisons.iter().map(Comparison::level_names).collect(),
        rules: rules_used,
        skipped_rules: skipped,
        candidates: pairs.len(),
        model,
        threshold,
    })
}

/// Both sides' prepared columns.
struct Sides<'a> {
    comparisons: &'a [Comparison],
    left: &'a [Prepared],
    right: &'a [Prepared],
    n_left: usize,
    n_right: usize,
    same_set: bool,
}

/// Trains the model as splink does, for the reason given at [`em::train`]:
/// - u from random pairs;
/// - m by one EM session per blocking rule, on that rule's pairs only, leaving out the
///   comparisons of the rule's own columns (all its pairs agree there, which says nothing
///   about matches); each comparison's m is the average over the sessions that estimated
///   it, weighted by the matches each found;
/// - λ, the share of matches among all candidate pairs, by EM with m and u held.
fn train_model(
    s: &Sides,
    rules: &[blocking::Keyed],
    gammas: &[u8],
    config: &LinkConfig,
    threads: usize,
    progress: &dyn Progress,
) -> Model {
    let k = s.comparisons.len();
    let levels: Vec<usize> = s.comparisons.iter().map(Comparison::levels).collect();
    let random = random_gammas(
        s.comparisons,
        s.left,
        s.right,
        s.n_left,
        s.n_right,
        s.same_set,
    );
    let u = em::frequencies(&random, &levels);
    let iterations = config.max_iterations.unwrap_or(100);
    let mut m_sum: Vec<Vec<f64>> = levels.iter().map(|&n| vec![0.0; n]).collect();
    let mut weight = vec![0.0; k];
    let mut total_iterations = 0;
    for (i, rule) in rules.iter().enumerate() {
        let own: Vec<bool> = s
            .comparisons
            .iter()
            .map(|c| rule.rule.uses(&c.column))
            .collect();
        let pairs = blocking::pairs(&rules[i..=i], s.n_left, s.n_right, s.same_set);
        progress.advance(1);
        if pairs.len() < 10 || own.iter().all(|o| *o) {
            continue;
        }
        let mut g = gamma_matrix(
            s.comparisons,
            s.left,
            s.right,
            &pairs,
            threads,
            &super::model::NoProgress,
        );
        for row in g.chunks_mut(k) {
            for (level, mine) in row.iter_mut().zip(&own) {
                if *mine {
                    *level = em::MISSING;
                }
            }
        }
        let (patterns, counts) = em::patterns(&g, k);
        let session = em::train(&patterns, &counts, &levels, u.clone(), iterations, false);
        total_iterations += session.iterations;
        let matches = session.lambda * pairs.len() as f64;
        for c in (0..k).filter(|c| !own[*c]) {
            for (sum, m) in m_sum[c].iter_mut().zip(&session.m[c]) {
                *sum += matches * m;
            }
            weight[c] += matches;
        }
    }
    let start = em::initial_m(&levels);
    let m: Vec<Vec<f64>> = m_sum
        .into_iter()
        .zip(weight)
        .zip(start)
        .map(|((sum, w), start)| {
            if w > 0.0 {
                sum.iter().map(|x| x / w).collect()
            } else {
                start
            }
        })
        .collect();
    let (patterns, counts) = em::patterns(gammas, k);
    let mut model = em::fit_lambda(&patterns, &counts, m, u, iterations);
    model.iterations += total_iterations;
    model
}

type Rules = (Vec<blocking::Keyed>, Vec<(String, usize)>);

/// The configured rules, or the generated ones that stay under the pair budget.
fn choose_rules(
    config: &LinkConfig,
    comparisons: &[Comparison],
    left: &Table,
    right: Option<&Table>,
) -> Result<Rules, LinkageError> {
    let date_map = |t: &Table| -> Result<HashMap<String, Prepared>, LinkageError> {
        comparisons
            .iter()
            .filter(|c| c.kind == ComparisonKind::Date)
            .map(|c| Ok((c.column.clone(), Prepared::new(c, t)?)))
            .collect()
    };
    let dl = date_map(left)?;
    let dr = match right {
        Some(r) => date_map(r)?,
        None => HashMap::new(),
    };
    let dates = (&dl, if right.is_some() { &dr } else { &dl });
    if let Some(texts) = &config.blocking {
        let rules = texts
            .iter()
            .map(|t| Rule::parse(t))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok((blocking::index(rules, left, right, dates)?, Vec::new()));
    }
    let n = left.len() + right.map_or(0, Table::len);
    let budget = config.max_pairs_per_rule.unwrap_or((50 * n).max(1_000_000));
    let all = blocking::index(blocking::generate(comparisons), left, right, dates)?;
    let (keep, skip): (Vec<_>, Vec<_>) = all.into_iter().partition(|r| r.pairs <= budget);
    Ok((
        keep,
        skip.into_iter().map(|r| (r.rule.text, r.pairs)).collect(),
    ))
}

fn gamma(
    comparisons: &[Comparison],
    left: &[Prepared],
    right: &[Prepared],
    l: usize,
    r: usize,
    out: &mut Vec<u8>,
) {
    for (c, (pl, pr)) in comparisons.iter().zip(left.iter().zip(right)) {
        out.push(compare::level(c, pl, l, pr, r).unwrap_or(em::MISSING));
    }
}

fn gamma_matrix(
    comparisons: &[Comparison],
    left: &[Prepared],
    right: &[Prepared],
    pairs: &[(u32, u32)],
    threads: usize,
    progress: &dyn Progress,
) -> Vec<u8> {
    let chunk = pairs.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = pairs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    let mut out = Vec::with_capacity(part.len() * comparisons.len());
                    for (n, &(l, r)) in part.iter().enumerate() {
                        gamma(comparisons, left, right, l as usize, r as usize, &mut out);
                        if n % 4096 == 4095 {
                            progress.advance(4096);
                        }
                    }
                    progress.advance((part.len() % 4096) as u64);
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Comparison vectors of up to 100,000 random pairs (nearly all non-matches), for u.
fn random_gammas(
    comparisons: &[Comparison],
    left: &[Prepared],
    right: &[Prepared],
    n_left: usize,
    n_right: usize,
    same_set: bool,
) -> Vec<u8> {
    let mut out = Vec::new();
    if n_left == 0 || n_right == 0 || (same_set && n_left < 2) {
        return out;
    }
    let possible = if same_set {
        n_left * (n_left - 1) / 2
    } else {
        n_left * n_right
    };
    let mut state = 0x5EED_u64;
    let mut next = |n: usize| {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    };
    for _ in 0..possible.min(100_000) {
        let l = next(n_left);
        let mut r = next(n_right);
        if same_set && r == l {
            r = (r + 1) % n_right;
        }
        gamma(comparisons, left, right, l, r, &mut out);
    }
    out
}
