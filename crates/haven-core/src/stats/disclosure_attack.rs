//! The attacker: for random tables it tries every table that would have been published the
//! same way (so it knows the rule) and fails when a small count has only one possible
//! value: from the shown cells, from margins and totals, and from two successive releases
//! of a cumulative table whose total grew by an amount the attacker knows.

use rand::{rngs::StdRng, Rng, SeedableRng};

use super::{Count, Disclosure, Table};

const K: i64 = 5;

fn small(n: i64) -> bool {
    (1..K).contains(&n)
}

/// Every vector of `m` values from 0 to `cap`, in turn.
fn each_vector(m: usize, cap: i64, mut f: impl FnMut(&[i64])) {
    let mut v = vec![0; m];
    loop {
        f(&v);
        let mut i = 0;
        while i < m {
            if v[i] < cap {
                v[i] += 1;
                break;
            }
            v[i] = 0;
            i += 1;
        }
        if i == m {
            return;
        }
    }
}

/// The possible values of each cell and each figure over the tables `candidates` accepts.
struct Possible {
    cells: Vec<Vec<i64>>,
    figures: Vec<Vec<i64>>,
}

impl Possible {
    fn new(table: &Table) -> Self {
        Possible {
            cells: vec![Vec::new(); table.cells.len()],
            figures: vec![Vec::new(); table.figures.len()],
        }
    }

    fn add(&mut self, table: &Table, cells: &[i64]) {
        for (i, &n) in cells.iter().enumerate() {
            if !self.cells[i].contains(&n) {
                self.cells[i].push(n);
            }
        }
        for (j, f) in table.figures.iter().enumerate() {
            let s: i64 = f.iter().map(|&i| cells[i]).sum();
            if !self.figures[j].contains(&s) {
                self.figures[j].push(s);
            }
        }
    }

    /// What the attacker recovered: a small count (a cell, or a withheld figure) that has
    /// only one possible value. Empty when the table held.
    fn recovered(&self, table: &Table, cells: &[i64], shown: &[Count]) -> Vec<String> {
        let mut out = Vec::new();
        for (i, &n) in cells.iter().enumerate() {
            if small(n) && self.cells[i] == [n] {
                out.push(format!("cell {i} = {n}"));
            }
        }
        for (j, f) in table.figures.iter().enumerate() {
            let s: i64 = f.iter().map(|&i| cells[i]).sum();
            if small(s) && !matches!(shown[j], Count::Exact(_)) && self.figures[j] == [s] {
                out.push(format!("figure {j} = {s}"));
            }
        }
        out
    }
}

/// The attacker against one release: every table of values up to `cap` that `publish`
/// would have shown the same way.
fn attack_once(table: &Table, cap: i64, publish: &dyn Fn(&Table) -> Vec<Count>) -> Vec<String> {
    let shown = publish(table);
    let mut possible = Possible::new(table);
    let mut guess = table.clone();
    each_vector(table.cells.len(), cap, |v| {
        guess.cells.copy_from_slice(v);
        if publish(&guess) == shown {
            possible.add(table, v);
        }
    });
    possible.recovered(table, &table.cells, &shown)
}

/// The release before `a` the attacker cannot see, chosen as freely as the shown figures
/// allow: equal to `a` in the cells of shown figures, nothing elsewhere (so those cells
/// are withheld whatever they hold).
fn freest_previous(table: &Table, a: &[i64], shown_a: &[Count]) -> Vec<i64> {
    let mut z = vec![0; a.len()];
    for (f, c) in table.figures.iter().zip(shown_a) {
        if matches!(c, Count::Exact(_)) {
            for &i in f {
                z[i] = a[i];
            }
        }
    }
    z
}

/// The values of the cells a release shows on their own, exactly.
fn known_cells(table: &Table, shown: &[Count]) -> Vec<Option<i64>> {
    let mut known = vec![None; table.cells.len()];
    for (f, c) in table.figures.iter().zip(shown) {
        if let (&[i], Count::Exact(n)) = (f.as_slice(), c) {
            known[i] = Some(*n);
        }
    }
    known
}

/// Every way to split `total` into `m` parts of 0 or more.
fn each_split(m: usize, total: i64, f: &mut impl FnMut(&[i64])) {
    fn go(parts: &mut Vec<i64>, m: usize, left: i64, f: &mut impl FnMut(&[i64])) {
        if parts.len() + 1 == m {
            parts.push(left);
            f(parts);
            parts.pop();
            return;
        }
        for x in 0..=left {
            parts.push(x);
            go(parts, m, left - x, f);
            parts.pop();
        }
    }
    if m == 0 {
        if total == 0 {
            f(&[]);
        }
        return;
    }
    go(&mut Vec::with_capacity(m), m, total, f);
}

/// How a release is published: the table and the previous release's cells.
type Release<'a> = &'a dyn Fn(&Table, &[i64]) -> Vec<Count>;

/// The attacker against two releases: last month's `a` (published after an earlier one it
/// does not see, `z`) and this month's `b`, knowing the growth of the total. Returns what it
/// recovered of either month.
fn attack_twice(table: &Table, z: &[i64], b: &[i64], cap: i64) -> Vec<String> {
    let d = Disclosure::default();
    attack_releases(table, z, b, cap, &|t, p| d.publish_after(t, p))
}

fn attack_releases(table: &Table, z: &[i64], b: &[i64], cap: i64, publish: Release) -> Vec<String> {
    let a = &table.cells;
    let shown_a = publish(table, z);
    let tb = Table {
        cells: b.to_vec(),
        figures: table.figures.clone(),
    };
    let shown_b = publish(&tb, a);
    let growth: i64 = b.iter().sum::<i64>() - a.iter().sum::<i64>();
    let (known_a, known_b) = (known_cells(table, &shown_a), known_cells(&tb, &shown_b));
    let free_a: Vec<usize> = (0..a.len()).filter(|&i| known_a[i].is_none()).collect();
    let free_b: Vec<usize> = (0..a.len()).filter(|&i| known_b[i].is_none()).collect();
    let mut last = Possible::new(table);
    let mut this = Possible::new(table);
    let mut ga = table.clone();
    let mut gb = tb.clone();
    each_vector(free_a.len(), cap, |fa| {
        for (i, k) in known_a.iter().enumerate() {
            if let Some(n) = k {
                ga.cells[i] = *n;
            }
        }
        for (j, &i) in free_a.iter().enumerate() {
            ga.cells[i] = fa[j];
        }
        let va = ga.cells.clone();
        let za = freest_previous(table, &va, &shown_a);
        if publish(&ga, &za) != shown_a {
            return;
        }
        // This month's cells: at least last month's, adding up to the known total.
        let mut fixed = va.clone();
        for (i, k) in known_b.iter().enumerate() {
            if let Some(n) = k {
                fixed[i] = *n;
            }
        }
        if fixed.iter().zip(&va).any(|(x, y)| x < y) {
            return;
        }
        let left = va.iter().sum::<i64>() + growth - fixed.iter().sum::<i64>();
        if left < 0 {
            return;
        }
        let mut any = false;
        each_split(free_b.len(), left, &mut |grow: &[i64]| {
            gb.cells.copy_from_slice(&fixed);
            for (j, &i) in free_b.iter().enumerate() {
                gb.cells[i] += grow[j];
            }
            if publish(&gb, &va) == shown_b {
                any = true;
                this.add(&tb, &gb.cells);
            }
        });
        if any {
            last.add(table, &va);
        }
    });
    let mut out: Vec<String> = last
        .recovered(table, a, &shown_a)
        .into_iter()
        .map(|s| format!("last month's {s}"))
        .collect();
    out.extend(
        this.recovered(&tb, b, &shown_b)
            .into_iter()
            .map(|s| format!("this month's {s}")),
    );
    out
}

/// A random table: a line with its total, a line with a hidden cell (counted in the total
/// but not shown, like referrals still waiting), or a grid with row and column margins and
/// a grand total. Counts lean small so that many are withheld.
fn random_table(rng: &mut StdRng, max: i64) -> Table {
    let value = |rng: &mut StdRng| {
        if rng.gen_bool(0.5) {
            rng.gen_range(0..K)
        } else {
            rng.gen_range(0..=max)
        }
    };
    match rng.gen_range(0..3) {
        0 => {
            let m = rng.gen_range(2..=4);
            Table::line(&(0..m).map(|_| value(rng)).collect::<Vec<_>>())
        }
        1 => {
            let m = rng.gen_range(2..=3);
            let mut t = Table::line(&(0..=m).map(|_| value(rng)).collect::<Vec<_>>());
            t.figures.remove(m);
            t
        }
        _ => {
            // 2 × 2 cells: a b / c d, margins a+b, c+d, a+c, b+d and the total.
            let cells: Vec<i64> = (0..4).map(|_| value(rng)).collect();
            let figures = vec![
                vec![0],
                vec![1],
                vec![2],
                vec![3],
                vec![0, 1],
                vec![2, 3],
                vec![0, 2],
                vec![1, 3],
                vec![0, 1, 2, 3],
            ];
            Table { cells, figures }
        }
    }
}

#[test]
fn no_small_count_follows_from_shown_cells_margins_or_totals() {
    let d = Disclosure::default();
    let mut rng = StdRng::seed_from_u64(19);
    let mut withheld = 0;
    for _ in 0..300 {
        let table = random_table(&mut rng, 9);
        let shown = d.publish(&table);
        withheld += shown
            .iter()
            .filter(|c| !matches!(c, Count::Exact(_)))
            .count();
        let got = attack_once(&table, 11, &|t| d.publish(t));
        assert!(
            got.is_empty(),
            "{table:?} published as {shown:?} gives away {got:?}"
        );
    }
    assert!(withheld > 300, "the tables withheld too little to test");
}

#[test]
fn no_small_count_follows_from_two_successive_releases() {
    let d = Disclosure::default();
    let mut rng = StdRng::seed_from_u64(1919);
    let mut withheld = 0;
    for _ in 0..80 {
        let table = random_table(&mut rng, 6);
        // Three months of a cumulative table: z ≤ a ≤ b, each month adding a little.
        let z: Vec<i64> = table
            .cells
            .iter()
            .map(|&n| n - rng.gen_range(0..=n.min(3)))
            .collect();
        let b: Vec<i64> = table
            .cells
            .iter()
            .map(|&n| n + rng.gen_range(0..=2))
            .collect();
        let shown = d.publish_after(
            &Table {
                cells: b.clone(),
                figures: table.figures.clone(),
            },
            &table.cells,
        );
        withheld += shown
            .iter()
            .filter(|c| !matches!(c, Count::Exact(_)))
            .count();
        let got = attack_twice(&table, &z, &b, 8);
        assert!(
            got.is_empty(),
            "{z:?} → {:?} → {b:?} gives away {got:?}",
            table.cells
        );
    }
    assert!(withheld > 80, "the releases withheld too little to test");
}

/// Main's network view showed each link's count ("fewer than 5" below five) beside the
/// exact number of all referrals: the attacker must catch that, or it proves nothing.
#[test]
fn the_attacker_catches_main_s_network_view() {
    let old = |t: &Table| -> Vec<Count> {
        let links: Vec<Count> = t
            .cells
            .iter()
            .map(|&n| {
                if small(n) {
                    Count::FewerThan(K)
                } else {
                    Count::Exact(n)
                }
            })
            .collect();
        let mut out = links;
        out.push(Count::Exact(t.cells.iter().sum()));
        out
    };
    let table = Table::line(&[3, 10]);
    assert_eq!(
        attack_once(&table, 11, &old),
        ["cell 0 = 3", "figure 0 = 3"]
    );
    // The same two links through the mechanism: nothing to recover.
    let d = Disclosure::default();
    assert!(attack_once(&table, 11, &|t| d.publish(t)).is_empty());
}

/// Main's `stats::table` withheld the total whenever a count was withheld: safe in one
/// release, but not in two. Last month 0 and 10 were shown with the total 10; this month
/// one more arrived and the table shows "fewer than 5" and 10: the attacker who knows one
/// arrived knows the new count is 1.
#[test]
fn the_attacker_catches_a_total_withheld_only_this_month() {
    let old = |cells: &[i64]| -> Vec<Count> {
        let mut out: Vec<Count> = cells
            .iter()
            .map(|&n| {
                if small(n) {
                    Count::FewerThan(K)
                } else {
                    Count::Exact(n)
                }
            })
            .collect();
        let total = if out.iter().all(|c| matches!(c, Count::Exact(_))) {
            Count::Exact(cells.iter().sum())
        } else {
            Count::Withheld
        };
        out.push(total);
        out
    };
    let (a, b) = ([0, 10], [1, 10]);
    let (shown_a, shown_b) = (old(&a), old(&b));
    let mut values = Vec::new();
    each_vector(2, 11, |va| {
        each_vector(2, 11, |vb| {
            let grew = vb.iter().sum::<i64>() - va.iter().sum::<i64>();
            let cumulative = vb.iter().zip(va).all(|(x, y)| x >= y);
            let same = old(va) == shown_a && old(vb) == shown_b;
            if same && grew == 1 && cumulative && !values.contains(&vb[0]) {
                values.push(vb[0]);
            }
        });
    });
    assert_eq!(values, [1]);
    // The same attacker finds it against the mechanism's one-release rule used for monthly
    // releases; with last month before it (`publish_after`) this month's count is open.
    let table = Table::line(&a);
    let once = Disclosure::default();
    let got = attack_releases(&table, &[0, 8], &b, 11, &|t, _| once.publish(t));
    assert!(
        got.contains(&"this month's cell 0 = 1".to_owned()),
        "{got:?}"
    );
    assert!(attack_twice(&table, &[0, 8], &b, 11).is_empty());
}

#[test]
fn the_threshold_only_goes_up() {
    assert_eq!(Disclosure::from_setting(None).unwrap().k(), 5);
    assert_eq!(Disclosure::from_setting(Some("10")).unwrap().k(), 10);
    assert!(Disclosure::from_setting(Some("4")).is_err());
    assert!(Disclosure::from_setting(Some("ten")).is_err());
    let ten = Disclosure::new(10).unwrap();
    assert_eq!(ten.count(7), Count::FewerThan(10));
    assert_eq!(ten.count(10), Count::Exact(10));
    assert_eq!(ten.count(0), Count::Exact(0));
}

#[test]
fn a_figure_is_shown_only_when_all_its_cells_are_safe() {
    let d = Disclosure::default();
    // Signposted 1, waiting 4, helped 6: the lines' total and "referred" hold a small cell.
    let t = Table {
        cells: vec![1, 4, 6],
        figures: vec![vec![0, 1, 2], vec![0], vec![1, 2], vec![2]],
    };
    assert_eq!(
        d.publish(&t),
        [
            Count::Withheld,
            Count::FewerThan(5),
            Count::Withheld,
            Count::Exact(6)
        ]
    );
    // After a month in which the 4 became 5: still withheld, it was small last month.
    let next = Table {
        cells: vec![1, 5, 6],
        ..t.clone()
    };
    assert_eq!(
        d.publish_after(&next, &[1, 4, 6])[2..],
        [Count::Withheld, Count::Exact(6)]
    );
}
