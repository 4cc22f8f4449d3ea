//! Counter reviews (issue 9): the implausible counter steps of a machine's live window
//! with their reviews, and a supervisor's review (accept: the step's parts count;
//! correct: the count entered counts), stored and audited in one transaction and
//! applied to the live count at once.

use serde::{Deserialize, Serialize};

use super::{Core, Error};
use crate::auth::User;
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::production::counter;
use crate::production::records;
use crate::production::review::{self, CounterReview};
use crate::sample::now_ms;

/// An implausible counter step and its review, if it has one.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CounterEventView {
    pub ts: i64,
    pub scrap: bool,
    pub previous: i64,
    pub value: i64,
    /// What the step would count if accepted.
    pub claimed: i64,
    pub review: Option<CounterReview>,
}

/// A machine's implausible counter steps and new series since the live window began
/// (the start of the previous production day).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CounterEvents {
    pub machine: String,
    pub from_ms: i64,
    /// Newest first.
    pub events: Vec<CounterEventView>,
    /// When a counter's decoding changed (a new series began), oldest first.
    pub new_series: Vec<i64>,
}

/// `POST /api/machines/{key}/counter-events/review`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CounterReviewBody {
    pub ts: i64,
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub scrap: Option<bool>,
    #[cfg_attr(test, ts(type = r#""accept" | "correct""#))]
    pub decision: String,
    /// The right count, for "correct".
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub parts: Option<i64>,
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub comment: Option<String>,
}

/// The most parts a correction may enter for one step.
const MAX_CORRECTION: i64 = 1_000_000_000;

impl Core {
    /// The implausible counter steps of machine `key` in the live window, newest
    /// first, with their reviews.
    pub async fn counter_events(&self, user: &User, key: &str) -> Result<CounterEvents, Error> {
        self.check_machine(user, key).await?;
        let now = now_ms();
        let (recipe, data) = self
            .production
            .snapshot(key, now)
            .ok_or(Error::NotFound("machine"))?;
        let from = data.timeline.start;
        let k = key.to_string();
        let reviews = self
            .db()
            .run(move |c| {
                let Some(id) = records::machine_id(c, &k)? else {
                    return Ok(Vec::new());
                };
                review::load(c, id, &k, from, i64::MAX).map_err(Error::from)
            })
            .await?;
        let width = |scrap: bool| {
            if scrap {
                recipe.scrap.as_ref().and_then(|c| c.width)
            } else {
                recipe.count.as_ref().and_then(|c| c.width)
            }
        };
        let mut events: Vec<CounterEventView> = data
            .events
            .iter()
            .filter(|e| e.kind == "implausible")
            .map(|e| CounterEventView {
                ts: e.ts,
                scrap: e.scrap,
                previous: e.previous,
                value: e.value,
                claimed: counter::step(e.previous, e.value, width(e.scrap)).parts(),
                review: reviews
                    .iter()
                    .find(|r| r.ts == e.ts && r.scrap == e.scrap)
                    .cloned(),
            })
            .collect();
        events.reverse();
        let new_series = data
            .events
            .iter()
            .filter(|e| e.kind == "new_series")
            .map(|e| e.ts)
            .collect();
        Ok(CounterEvents {
            machine: key.to_string(),
            from_ms: from,
            events,
            new_series,
        })
    }

    /// A supervisor's review of an implausible step of machine `key`, audited.
    pub async fn review_counter(
        &self,
        actor: Actor,
        user: &User,
        key: &str,
        b: CounterReviewBody,
    ) -> Result<CounterReview, Error> {
        let scrap = b.scrap.unwrap_or(false);
        let list = self.counter_events(user, key).await?;
        let event = list
            .events
            .iter()
            .find(|e| e.ts == b.ts && e.scrap == scrap)
            .ok_or(Error::NotFound("implausible counter step"))?;
        let comment = super::production::comment(&b.comment)?;
        let (decision, parts) = match (b.decision.as_str(), b.parts) {
            ("accept", None) => ("accepted", event.claimed),
            ("accept", Some(_)) => {
                return Err(Error::Invalid {
                    code: "bad_field",
                    message:
                        "an accepted step counts its own parts; to enter another count, correct it"
                            .into(),
                    field: Some("parts"),
                });
            }
            ("correct", Some(n)) if (0..=MAX_CORRECTION).contains(&n) => ("corrected", n),
            ("correct", _) => {
                return Err(Error::Invalid {
                    code: "bad_field",
                    message: format!(
                        "enter the parts made in this step: a whole number from 0 to {MAX_CORRECTION}"
                    ),
                    field: Some("parts"),
                });
            }
            _ => {
                return Err(Error::Invalid {
                    code: "bad_field",
                    message: "the decision is \"accept\" or \"correct\"".into(),
                    field: Some("decision"),
                });
            }
        };
        let review = CounterReview {
            machine: key.to_string(),
            ts: event.ts,
            scrap,
            decision: decision.to_string(),
            parts,
            previous: event.previous,
            value: event.value,
            comment,
            entered_by: actor.name.clone(),
            entered_ms: now_ms(),
        };
        let calendar = self.production.calendar();
        let stored = review.clone();
        self.db()
            .run(move |c| {
                let id =
                    records::machine_id(c, &stored.machine)?.ok_or(Error::NotFound("machine"))?;
                let tx = crate::store::write_tx(c)?;
                review::put(&tx, id, &stored)?;
                audit::record(
                    &tx,
                    &AuditEntry::new(
                        &actor,
                        "counter.review",
                        &stored.machine,
                        &format!(
                            "{} the {}counter step at {} ({} \u{2192} {}): {} parts{}",
                            stored.decision,
                            if stored.scrap { "scrap " } else { "" },
                            calendar.date_time(stored.ts),
                            stored.previous,
                            stored.value,
                            stored.parts,
                            if stored.comment.is_empty() {
                                String::new()
                            } else {
                                format!("; {}", stored.comment)
                            }
                        ),
                    ),
                )?;
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await?;
        if !scrap {
            self.production.reviewed(key, review.ts, review.parts);
        }
        Ok(review)
    }
}
