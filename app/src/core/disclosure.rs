//! Statistical disclosure control for every figure associations and the public see: cells of
//! fewer Kommunen than the threshold are hidden, then more until the hidden ones can no longer
//! be computed from the rest (`suppress`); counts of answers are hidden where they would tell
//! what single Kommunen answered (`answer_counts`); and two groups whose figures may be set
//! side by side must differ by none or at least the threshold of Kommunen (`differ_safely`).

use std::collections::HashSet;
use std::hash::Hash;

/// Hides cells with fewer than `t` Kommunen, then the smallest visible ones until the hidden
/// ones together reach `t` (or nothing is left to hide). `cells`: (Kommunen, shown).
pub fn suppress(cells: &mut [(i64, bool)], t: i64) {
    for c in cells.iter_mut() {
        if c.0 > 0 && c.0 < t {
            c.1 = false;
        }
    }
    loop {
        let hidden: i64 = cells.iter().filter(|c| !c.1).map(|c| c.0).sum();
        if hidden == 0 || hidden >= t {
            return;
        }
        let Some(next) = cells.iter_mut().filter(|c| c.1 && c.0 > 0).min_by_key(|c| c.0) else { return };
        next.1 = false;
    }
}

/// Which counts of `n` answers may be shown (`true`). A count is hidden when fewer than `t`
/// Kommunen gave that answer, or fewer than `t` did not: where (almost) all answered alike,
/// the count would tell each one's answer. When the counts divide `n` among themselves
/// (`partition`: Ja/Nein, a single choice), one hidden count would follow from the others, so
/// more are hidden until at least two are and together they hold at least `t` answers.
pub fn answer_counts(n: i64, counts: &[i64], t: i64, partition: bool) -> Vec<bool> {
    let mut shown: Vec<bool> = counts.iter().map(|&k| k == 0 || (k >= t && n - k >= t)).collect();
    if !partition {
        return shown;
    }
    loop {
        let hidden: Vec<usize> = (0..counts.len()).filter(|&i| !shown[i]).collect();
        let sum: i64 = hidden.iter().map(|&i| counts[i]).sum();
        if hidden.is_empty() || (hidden.len() >= 2 && sum >= t) {
            return shown;
        }
        let Some(next) = (0..counts.len()).filter(|&i| shown[i]).min_by_key(|&i| counts[i]) else { return shown };
        shown[next] = false;
    }
}

/// Whether the figures of two groups of Kommunen may stand side by side: each holds none or at
/// least `t` Kommunen the other lacks, so their difference never is one or two Kommunen's answer.
pub fn differ_safely<T: Eq + Hash>(a: &HashSet<T>, b: &HashSet<T>, t: usize) -> bool {
    let only_a = a.difference(b).count();
    let only_b = b.difference(a).count();
    (only_a == 0 || only_a >= t) && (only_b == 0 || only_b >= t)
}

/// The median of a histogram (value → count).
pub fn median<T: Ord + Clone>(hist: &[(T, i64)]) -> Option<T> {
    let total: i64 = hist.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let mut sorted = hist.to_vec();
    sorted.sort();
    let half = (total + 1) / 2;
    let mut seen = 0;
    for (v, n) in sorted {
        seen += n;
        if seen >= half {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_kreise_are_hidden_and_one_more_when_they_add_up_to_too_few() {
        let mut c = vec![(1, true), (20, true), (9, true), (0, true)];
        suppress(&mut c, 3);
        assert_eq!(c, vec![(1, false), (20, true), (9, false), (0, true)]);
        let mut c = vec![(1, true), (1, true), (1, true), (30, true)];
        suppress(&mut c, 3);
        assert_eq!(c.iter().filter(|x| !x.1).count(), 3);
        assert!(c[3].1);
    }

    #[test]
    fn median_of_a_histogram() {
        assert_eq!(median::<i64>(&[]), None);
        assert_eq!(median(&[(10, 1)]), Some(10));
        assert_eq!(median(&[(30, 1), (10, 2), (20, 1)]), Some(10));
        assert_eq!(median(&[(5, 1), (7, 1), (9, 1)]), Some(7));
    }

    #[test]
    fn an_answer_almost_everyone_gave_is_hidden_with_a_second_count_of_its_partition() {
        // Ja 9, Nein 1 of 10: »Nein« is one Kommune, »Ja« all but one; both hidden.
        assert_eq!(answer_counts(10, &[9, 1], 3, true), vec![false, false]);
        assert_eq!(answer_counts(10, &[5, 5], 3, true), vec![true, true]);
        // All ten alike: »Ja 10« would tell every answer, »Nein 0« with n would tell it too.
        assert_eq!(answer_counts(10, &[10, 0], 3, true), vec![false, false]);
        // A single choice: one small option and two large ones; the smaller large one goes too.
        assert_eq!(answer_counts(20, &[2, 8, 10], 3, true), vec![false, false, true]);
        // A multiple choice: each option stands alone.
        assert_eq!(answer_counts(10, &[2, 5, 10], 3, false), vec![false, true, false]);
    }

    #[test]
    fn groups_that_differ_by_one_or_two_kommunen_may_not_stand_side_by_side() {
        let a: HashSet<i32> = (0..10).collect();
        let b: HashSet<i32> = (0..9).collect();
        let c: HashSet<i32> = (0..7).collect();
        assert!(!differ_safely(&a, &b, 3));
        assert!(differ_safely(&a, &c, 3));
        assert!(differ_safely(&a, &a, 3));
        let d: HashSet<i32> = (1..11).collect();
        assert!(!differ_safely(&a, &d, 3));
    }
}
