//! What the desktop app tells the person at the PC: an OS notification for each alarm
//! that turns active and unacknowledged among the alarms their login receives (the
//! same list the banner shows, so the roles and machine assignments are the core's).
//! Critical, high and medium alarms are notified; low ones stay in the list, as EEMUA
//! 191 keeps low priority for what the operator reads when there is time. More than
//! three at once become one notification that counts them, so a flood is one pop-up.
//!
//! The first list seen after start, or after another person logs in, is what was
//! already there: it is recorded, not announced.

use std::collections::{BTreeMap, HashSet};

use super::store::{AlarmState, AlarmView};
use crate::config::Priority;

/// The most alarms notified one by one from a single look; more are counted in one.
pub const ONE_BY_ONE: usize = 3;

/// An OS notification: a title and a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub title: String,
    pub body: String,
}

/// The alarms already shown to one person.
#[derive(Debug, Default)]
pub struct Seen {
    /// Whose list it is (a user id); a change starts over.
    user: Option<i64>,
    ids: HashSet<i64>,
}

fn notifies(a: &AlarmView, now_ms: i64) -> bool {
    let priority = matches!(a.priority.as_str(), "critical" | "high" | "medium");
    priority
        && a.state == AlarmState::ActiveUnacked
        && !a.suppressed
        && a.shelved_until.is_none_or(|u| u <= now_ms)
}

fn title(priority: &str) -> String {
    let mut p = priority.to_string();
    if let Some(first) = p.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    format!("{p} alarm")
}

/// Machine names by key (the alarms view's `machine_names`).
pub type Names = BTreeMap<String, String>;

fn line(a: &AlarmView, names: &Names) -> String {
    match &a.machine {
        Some(m) => format!("{} ({})", a.name, names.get(m).unwrap_or(m)),
        None => a.name.clone(),
    }
}

impl Seen {
    /// The notifications for `user`'s open alarms now. Alarms no longer open are
    /// forgotten, so one raised again is news again.
    pub fn news(
        &mut self,
        user: i64,
        alarms: &[AlarmView],
        names: &Names,
        now_ms: i64,
    ) -> Vec<Note> {
        let first_look = self.user != Some(user);
        if first_look {
            self.user = Some(user);
            self.ids.clear();
        }
        let new: Vec<&AlarmView> = alarms
            .iter()
            .filter(|a| notifies(a, now_ms) && !self.ids.contains(&a.id))
            .collect();
        self.ids = alarms.iter().map(|a| a.id).collect();
        if first_look || new.is_empty() {
            return Vec::new();
        }
        if new.len() > ONE_BY_ONE {
            // The list is most urgent first, so the top of `new` is what matters most.
            let top = Priority::ALL
                .iter()
                .map(|p| p.name())
                .find(|p| new.iter().any(|a| a.priority == *p))
                .unwrap_or("medium");
            let shown: Vec<String> = new
                .iter()
                .take(ONE_BY_ONE)
                .map(|a| line(a, names))
                .collect();
            return vec![Note {
                title: format!("{} new alarms", new.len()),
                body: format!(
                    "{}; and {} more (the most urgent: {top}). Open Plantlog's alarm list.",
                    shown.join("; "),
                    new.len() - ONE_BY_ONE
                ),
            }];
        }
        new.into_iter()
            .map(|a| Note {
                title: title(&a.priority),
                body: if a.action.is_empty() {
                    line(a, names)
                } else {
                    format!("{}. {}", line(a, names), a.action)
                },
            })
            .collect()
    }

    /// Starts over, as after a logout: the next list is recorded, not announced.
    pub fn forget(&mut self) {
        self.user = None;
        self.ids.clear();
    }
}

/// The alarms of a `GET /api/alarms` answer (an attached core's) and their machines'
/// names, as the desktop app reads them.
pub fn parse_list(body: &[u8]) -> Result<(Vec<AlarmView>, Names), serde_json::Error> {
    #[derive(serde::Deserialize)]
    struct List {
        alarms: Vec<AlarmView>,
        #[serde(default)]
        machine_names: Names,
    }
    serde_json::from_slice::<List>(body).map(|l| (l.alarms, l.machine_names))
}

/// The user id of a `GET /api/me` answer.
pub fn user_id(body: &[u8]) -> Option<i64> {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()?
        .get("id")?
        .as_i64()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alarm(id: i64, priority: &str, state: AlarmState) -> AlarmView {
        AlarmView {
            id,
            key: format!("rule-{id}"),
            kind: "high".into(),
            name: format!("Oil too hot {id}"),
            priority: priority.into(),
            roles: vec!["maintenance".into()],
            action: "Check the cooler.".into(),
            machine: Some("press-1".into()),
            value: Some(41.0),
            state,
            raised_at: 1_000,
            cleared_at: None,
            acked_at: None,
            acked_by: None,
            ack_comment: None,
            shelved_until: None,
            shelved_by: None,
            shelve_reason: None,
            suppressed: false,
        }
    }

    #[test]
    fn the_first_list_is_recorded_and_only_new_alarms_are_announced() {
        let mut seen = Seen::default();
        let a1 = alarm(1, "critical", AlarmState::ActiveUnacked);
        assert!(
            seen.news(7, std::slice::from_ref(&a1), &Names::new(), 0)
                .is_empty()
        );
        let a2 = alarm(2, "high", AlarmState::ActiveUnacked);
        let names = Names::from([("press-1".to_string(), "Press 1".to_string())]);
        let notes = seen.news(7, &[a1.clone(), a2.clone()], &names, 0);
        assert_eq!(
            notes,
            vec![Note {
                title: "High alarm".into(),
                body: "Oil too hot 2 (Press 1). Check the cooler.".into()
            }]
        );
        // Seen once: not again.
        assert!(
            seen.news(7, &[a1.clone(), a2.clone()], &Names::new(), 0)
                .is_empty()
        );
        // Gone from the list and raised again: news again.
        assert!(
            seen.news(7, std::slice::from_ref(&a1), &Names::new(), 0)
                .is_empty()
        );
        assert_eq!(seen.news(7, &[a1, a2], &Names::new(), 0).len(), 1);
    }

    #[test]
    fn low_acknowledged_cleared_shelved_and_suppressed_alarms_are_not_announced() {
        let mut seen = Seen::default();
        seen.news(7, &[], &Names::new(), 0);
        let low = alarm(1, "low", AlarmState::ActiveUnacked);
        let acked = alarm(2, "critical", AlarmState::ActiveAcked);
        let cleared = alarm(3, "critical", AlarmState::ClearedUnacked);
        let mut shelved = alarm(4, "critical", AlarmState::ActiveUnacked);
        shelved.shelved_until = Some(5_000);
        let mut suppressed = alarm(5, "high", AlarmState::ActiveUnacked);
        suppressed.suppressed = true;
        let all = [low, acked, cleared, shelved, suppressed];
        assert!(seen.news(7, &all, &Names::new(), 1_000).is_empty());
        // The shelf ran out, but the alarm was seen already: no pop-up for it now.
        assert!(seen.news(7, &all, &Names::new(), 6_000).is_empty());
    }

    #[test]
    fn a_flood_is_one_notification_and_another_login_starts_over() {
        let mut seen = Seen::default();
        seen.news(7, &[], &Names::new(), 0);
        let flood: Vec<AlarmView> = (1..=5)
            .map(|i| {
                alarm(
                    i,
                    if i == 1 { "critical" } else { "medium" },
                    AlarmState::ActiveUnacked,
                )
            })
            .collect();
        let notes = seen.news(7, &flood, &Names::new(), 0);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].title, "5 new alarms");
        assert!(
            notes[0]
                .body
                .contains("and 2 more (the most urgent: critical)"),
            "{}",
            notes[0].body
        );
        // Another person logs in: their open alarms are not news.
        assert!(seen.news(8, &flood, &Names::new(), 0).is_empty());
        seen.forget();
        assert!(seen.news(8, &flood, &Names::new(), 0).is_empty());
    }

    #[test]
    fn the_user_id_of_a_me_answer() {
        assert_eq!(user_id(br#"{"id": 12, "username": "ann"}"#), Some(12));
        assert_eq!(user_id(b"{}"), None);
        assert_eq!(user_id(b"not json"), None);
    }

    #[test]
    fn an_attached_cores_answer_reads_back() {
        let a = alarm(3, "high", AlarmState::ActiveUnacked);
        let body = serde_json::json!({ "alarms": [a], "active": {},
            "machine_names": { "press-1": "Press 1" } });
        let (list, names) = parse_list(body.to_string().as_bytes()).unwrap();
        assert_eq!(list, vec![alarm(3, "high", AlarmState::ActiveUnacked)]);
        assert_eq!(names.get("press-1").map(String::as_str), Some("Press 1"));
        // A key without a name (an older core's answer) is shown as it is.
        let mut seen = Seen::default();
        seen.news(1, &[], &Names::new(), 0);
        let notes = seen.news(1, &list, &Names::new(), 0);
        assert_eq!(notes[0].body, "Oil too hot 3 (press-1). Check the cooler.");
    }
}
