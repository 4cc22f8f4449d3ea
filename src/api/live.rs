//! Live events over server-sent events: new samples as they arrive, the overview once
//! a second, a word when alarms changed (the browser then asks for the alarms it
//! receives), and the end of the session when it ends. A browser that reads slowly
//! skips sample batches; it never slows collection.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;

use super::access::Caller;
use crate::core::Core;
use crate::sample::SampleJson;

/// How often the overview is sent and the session checked.
const TICK: Duration = Duration::from_secs(1);

pub async fn live(State(core): State<Arc<Core>>, caller: Caller) -> impl IntoResponse {
    let token = caller.token;
    let scope = caller.scope;
    let (tx, rx) = mpsc::channel::<Result<Event, Infallible>>(64);
    let mut samples = core.subscribe_samples();
    let mut alarms = core.subscribe_alarm_changes();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        loop {
            let event = tokio::select! {
                _ = tick.tick() => {
                    // The stream does not count as activity, so an unattended screen
                    // still times out.
                    if let Err(e) = core.session_user(token.clone(), false).await {
                        let code = super::error::ApiError::from(e).code;
                        let data = serde_json::json!({"code": code}).to_string();
                        let _ = tx.send(Ok(Event::default().event("session_end").data(data))).await;
                        return;
                    }
                    let overview = core.overview_in(&scope);
                    Event::default().event("overview").json_data(&overview)
                }
                batch = samples.recv() => match batch {
                    Ok(batch) => {
                        let json: Vec<SampleJson> = core.visible_samples(&batch, &scope);
                        if json.is_empty() {
                            continue;
                        }
                        Event::default().event("samples").json_data(&json)
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                // Alarms changed: the browser asks for those it receives (GET /api/alarms).
                change = alarms.recv() => match change {
                    Ok(()) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        Ok(Event::default().event("alarms").data("{}"))
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = tx.closed() => return,
                _ = core.stopping() => return,
            };
            let Ok(event) = event else { continue };
            if tx.send(Ok(event)).await.is_err() {
                return;
            }
        }
    });
    Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::default())
}
