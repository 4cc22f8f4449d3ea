//! Sets of time as sorted, disjoint half-open spans [start, end): the arithmetic that
//! planned production time is made of (shifts minus breaks minus planned stops).

/// A half-open span of time, [start, end), in UTC ms.
pub type Span = (i64, i64);

/// Sorts and joins overlapping or touching spans; drops empty ones.
pub fn normalize(mut v: Vec<Span>) -> Vec<Span> {
    v.retain(|(a, b)| a < b);
    v.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// What both sets hold.
pub fn intersect(x: &[Span], y: &[Span]) -> Vec<Span> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < x.len() && j < y.len() {
        let a = x[i].0.max(y[j].0);
        let b = x[i].1.min(y[j].1);
        if a < b {
            out.push((a, b));
        }
        if x[i].1 < y[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// What `x` holds and `y` does not.
pub fn subtract(x: &[Span], y: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut j = 0;
    for &(a, b) in x {
        let mut start = a;
        while j < y.len() && y[j].1 <= start {
            j += 1;
        }
        let mut k = j;
        while k < y.len() && y[k].0 < b {
            if y[k].0 > start {
                out.push((start, y[k].0));
            }
            start = start.max(y[k].1);
            k += 1;
        }
        if start < b {
            out.push((start, b));
        }
    }
    out
}

/// The length of a set.
pub fn total(x: &[Span]) -> i64 {
    x.iter().map(|(a, b)| b - a).sum()
}

/// The spans of a set that reach into [from, to) (not clipped).
pub fn overlapping(x: &[Span], from: i64, to: i64) -> &[Span] {
    let i = x.partition_point(|s| s.1 <= from);
    let j = i + x[i..].partition_point(|s| s.0 < to);
    &x[i..j]
}

/// How much of the set lies in [from, to).
pub fn within(x: &[Span], from: i64, to: i64) -> i64 {
    // The first span that ends after `from`.
    let i = x.partition_point(|s| s.1 <= from);
    x[i..]
        .iter()
        .take_while(|s| s.0 < to)
        .map(|&(a, b)| b.min(to) - a.max(from))
        .filter(|d| *d > 0)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_arithmetic() {
        let shift = vec![(0, 100)];
        let breaks = normalize(vec![(40, 50), (10, 20), (45, 60)]);
        assert_eq!(breaks, vec![(10, 20), (40, 60)]);
        let work = subtract(&shift, &breaks);
        assert_eq!(work, vec![(0, 10), (20, 40), (60, 100)]);
        assert_eq!(
            intersect(&work, &[(5, 25), (90, 200)]),
            vec![(5, 10), (20, 25), (90, 100)]
        );
        assert_eq!(total(&work), 70);
        assert_eq!(within(&work, 5, 65), 5 + 20 + 5);
        assert_eq!(overlapping(&work, 10, 61), &[(20, 40), (60, 100)]);
        assert_eq!(overlapping(&work, 40, 60), &[] as &[Span]);
        assert_eq!(subtract(&[(0, 10)], &[(0, 10)]), vec![]);
        assert_eq!(
            subtract(&[(0, 10), (20, 30)], &[(5, 25)]),
            vec![(0, 5), (25, 30)]
        );
    }
}
