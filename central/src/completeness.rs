//! Completeness per shift and tag, for the owner's page: from the views `completeness`
//! and `completeness_gaps` (migration 04), the shifts of the last days, per site and
//! shift how many tags are complete, and the incomplete tags with the fraction of
//! their expected samples that arrived and their gaps with causes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use deadpool_postgres::Pool;

use crate::db::DbError;
use crate::owner::{count, esc, utc};

/// A gap of one tag in one shift, with its cause.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    pub from_ts: i64,
    pub to_ts: i64,
    pub cause: String,
}

/// One tag in one shift.
#[derive(Debug, Clone, PartialEq)]
pub struct TagRow {
    pub device: String,
    pub tag: String,
    pub expected: i64,
    pub arrived: i64,
    pub gaps: Vec<Gap>,
}

/// One shift of one site.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftRow {
    pub site: String,
    pub day: String,
    pub shift: String,
    pub from_ts: i64,
    pub to_ts: i64,
    pub tags: Vec<TagRow>,
}

impl ShiftRow {
    pub fn expected(&self) -> i64 {
        self.tags.iter().map(|t| t.expected).sum()
    }
    pub fn arrived(&self) -> i64 {
        self.tags.iter().map(|t| t.arrived).sum()
    }
}

/// The shifts that began within the last `days` days (and before now), newest first.
pub async fn shifts(pool: &Pool, days: i64) -> Result<Vec<ShiftRow>, DbError> {
    let client = pool.get().await?;
    let since = "(extract(epoch FROM now()) * 1000)::bigint - $1::bigint * 86400000";
    let rows = client
        .query(
            &format!(
                "SELECT site, day, shift, from_ts, to_ts, device, tag, tag_id, expected, arrived
                 FROM completeness
                 WHERE from_ts >= {since} AND from_ts < (extract(epoch FROM now()) * 1000)::bigint
                 ORDER BY from_ts DESC, site, device, tag"
            ),
            &[&days],
        )
        .await?;
    let gaps = client
        .query(
            &format!(
                "SELECT site, shift_from_ts, tag_id, from_ts, to_ts, cause FROM completeness_gaps
                 WHERE shift_from_ts >= {since} ORDER BY from_ts, cause"
            ),
            &[&days],
        )
        .await?;
    let mut gaps_of: BTreeMap<(String, i64, i64), Vec<Gap>> = BTreeMap::new();
    for g in &gaps {
        gaps_of
            .entry((g.get(0), g.get(1), g.get(2)))
            .or_default()
            .push(Gap {
                from_ts: g.get(3),
                to_ts: g.get(4),
                cause: g.get(5),
            });
    }
    let mut out: Vec<ShiftRow> = Vec::new();
    for r in &rows {
        let site: String = r.get(0);
        let from_ts: i64 = r.get(3);
        let tag_id: i64 = r.get(7);
        let tag = TagRow {
            device: r.get::<_, Option<String>>(5).unwrap_or_default(),
            tag: r.get::<_, Option<String>>(6).unwrap_or_default(),
            expected: r.get(8),
            arrived: r.get(9),
            gaps: gaps_of
                .remove(&(site.clone(), from_ts, tag_id))
                .unwrap_or_default(),
        };
        match out.last_mut() {
            Some(s) if s.site == site && s.from_ts == from_ts => s.tags.push(tag),
            _ => out.push(ShiftRow {
                site,
                day: r.get::<_, Option<String>>(1).unwrap_or_default(),
                shift: r.get::<_, Option<String>>(2).unwrap_or_default(),
                from_ts,
                to_ts: r.get(4),
                tags: vec![tag],
            }),
        }
    }
    Ok(out)
}

/// "1 h 30 min", "45 min 10 s", "12 s".
pub fn duration(ms: i64) -> String {
    let s = ms / 1000;
    let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60);
    match (h, m, sec) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, 0) => format!("{h} h"),
        (h, m, 0) => format!("{h} h {m} min"),
        (h, m, s) => format!("{h} h {m} min {s} s"),
    }
}

fn percent(arrived: i64, expected: i64) -> String {
    if expected <= 0 {
        return "—".into();
    }
    let p = arrived as f64 * 100.0 / expected as f64;
    if arrived < expected && p > 99.9 {
        "99.9 %".into()
    } else {
        format!("{p:.1} %")
    }
}

/// At most this many gaps listed per tag and shift (a meter that misses a sample
/// every minute has 480 in a shift).
const MAX_GAPS: usize = 8;

/// The page's section.
pub fn render(shifts: &[ShiftRow]) -> String {
    let mut h = String::from(
        "<h2>Completeness by shift</h2><p class=\"muted\">Per shift (the plants' shift \
         calendars) the samples that arrived against those expected from each tag's poll \
         interval and recording policy (every poll: one a poll; on change, deadband, swinging \
         door: at least one a heartbeat), from the minute rollups; the gaps with their causes \
         where known, and the gaps without a known cause by time. Shifts of the last 7 days.</p>",
    );
    if shifts.is_empty() {
        h.push_str(
            "<p>No shifts yet (the plants send their shifts with the <code>rollups</code> class).</p>",
        );
        return h;
    }
    h.push_str(
        "<table id=\"completeness\"><thead><tr><th>Site</th><th>Shift</th><th>Tags complete</th>\
         <th>Arrived</th><th>Tag</th><th>Expected</th><th>Arrived</th><th>Gaps</th></tr></thead><tbody>",
    );
    for s in shifts {
        let incomplete: Vec<&TagRow> = s.tags.iter().filter(|t| t.arrived < t.expected).collect();
        let span = incomplete.len().max(1);
        let head = format!(
            "<td rowspan=\"{span}\" class=\"site\">{}</td><td rowspan=\"{span}\">{} {}<br><span class=\"muted\">{} – {}</span></td>\
             <td rowspan=\"{span}\" class=\"n\">{} of {}</td><td rowspan=\"{span}\" class=\"n{}\">{}</td>",
            esc(&s.site),
            esc(&s.day),
            esc(&s.shift),
            utc(s.from_ts),
            utc(s.to_ts),
            s.tags.len() - incomplete.len(),
            s.tags.len(),
            if s.arrived() < s.expected() {
                " bad"
            } else {
                ""
            },
            percent(s.arrived(), s.expected()),
        );
        if incomplete.is_empty() {
            let _ = write!(
                h,
                "<tr>{head}<td colspan=\"4\" class=\"muted\">every tag complete</td></tr>"
            );
            continue;
        }
        for (i, t) in incomplete.iter().enumerate() {
            let mut gaps = String::new();
            for g in t.gaps.iter().take(MAX_GAPS) {
                let _ = write!(
                    gaps,
                    "<div>{} – {} ({}): <b>{}</b></div>",
                    utc(g.from_ts),
                    utc(g.to_ts),
                    duration(g.to_ts - g.from_ts),
                    esc(&g.cause)
                );
            }
            if t.gaps.len() > MAX_GAPS {
                let rest = &t.gaps[MAX_GAPS..];
                let _ = write!(
                    gaps,
                    "<div class=\"muted\">and {} more gaps, {} in all (the view <code>completeness_gaps</code> lists them)</div>",
                    count(rest.len() as i64),
                    duration(rest.iter().map(|g| g.to_ts - g.from_ts).sum())
                );
            }
            if gaps.is_empty() {
                gaps = "<span class=\"muted\">missing within minutes, not located; cause not known</span>".into();
            }
            let _ = write!(
                h,
                "<tr>{}<td>{}/{}</td><td class=\"n\">{}</td><td class=\"n bad\" style=\"white-space:nowrap\">{} ({})</td><td>{}</td></tr>",
                if i == 0 { head.as_str() } else { "" },
                esc(&t.device),
                esc(&t.tag),
                count(t.expected),
                count(t.arrived),
                percent(t.arrived, t.expected),
                gaps
            );
        }
    }
    h.push_str("</tbody></table>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_percentages_read_right() {
        assert_eq!(duration(5_400_000), "1 h 30 min");
        assert_eq!(duration(2_710_000), "45 min 10 s");
        assert_eq!(duration(12_000), "12 s");
        assert_eq!(duration(3_600_000), "1 h");
        assert_eq!(percent(20_700, 28_800), "71.9 %");
        assert_eq!(percent(99_999, 100_000), "99.9 %");
        assert_eq!(percent(1, 0), "—");
    }

    #[test]
    fn incomplete_tags_are_listed_with_their_gaps() {
        let s = ShiftRow {
            site: "a<b".into(),
            day: "2026-11-26".into(),
            shift: "Early".into(),
            from_ts: 1_000_000,
            to_ts: 2_000_000,
            tags: vec![
                TagRow {
                    device: "meter".into(),
                    tag: "power".into(),
                    expected: 100,
                    arrived: 50,
                    gaps: vec![Gap {
                        from_ts: 1_500_000,
                        to_ts: 2_000_000,
                        cause: "device offline".into(),
                    }],
                },
                TagRow {
                    device: "meter".into(),
                    tag: "energy".into(),
                    expected: 10,
                    arrived: 10,
                    gaps: vec![],
                },
            ],
        };
        let h = render(&[s]);
        assert!(h.contains("a&lt;b"));
        assert!(h.contains("1 of 2"));
        assert!(h.contains("meter/power"));
        assert!(!h.contains("meter/energy"));
        assert!(h.contains("8 min 20 s): <b>device offline</b>"));
        assert!(h.contains("54.5 %"));

        // A meter missing a second every minute: eight gaps listed, the rest counted.
        let many = ShiftRow {
            site: "b".into(),
            day: "2026-11-26".into(),
            shift: "Late".into(),
            from_ts: 0,
            to_ts: 600_000,
            tags: vec![TagRow {
                device: "meter".into(),
                tag: "power".into(),
                expected: 600,
                arrived: 590,
                gaps: (0..10)
                    .map(|i| Gap {
                        from_ts: i * 60_000 + 59_000,
                        to_ts: i * 60_000 + 60_000,
                        cause: "cause not known".into(),
                    })
                    .collect(),
            }],
        };
        let h = render(&[many]);
        assert_eq!(h.matches("(1 s): <b>cause not known</b>").count(), MAX_GAPS);
        assert!(h.contains("and 2 more gaps, 2 s in all"), "{h}");
    }
}
