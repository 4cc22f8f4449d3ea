//! The quality service's shared pieces for the API (issue 15): running work on a
//! database connection with the errors it can end in, and who may work on which machine
//! (operators: their assigned machines; roles that see every machine, and quality: all).

use rusqlite::Connection;

use super::store::{self, QualityError};
use crate::auth::{Permission, User};
use crate::core::{Core, Error};
use crate::store::StoreError;

/// What a quality request's database work can fail with.
pub enum Failed {
    Quality(QualityError),
    Core(Error),
}

pub type Out<T> = Result<T, Failed>;

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failed::Quality(e) => e.fmt(f),
            Failed::Core(e) => e.fmt(f),
        }
    }
}

impl From<QualityError> for Failed {
    fn from(e: QualityError) -> Self {
        Failed::Quality(e)
    }
}
impl From<StoreError> for Failed {
    fn from(e: StoreError) -> Self {
        Failed::Core(e.into())
    }
}
impl From<Error> for Failed {
    fn from(e: Error) -> Self {
        Failed::Core(e)
    }
}
impl From<rusqlite::Error> for Failed {
    fn from(e: rusqlite::Error) -> Self {
        Failed::Quality(e.into())
    }
}

/// Runs `f` on a database connection.
pub async fn db<T: Send + 'static>(
    core: &Core,
    f: impl FnOnce(&mut Connection) -> Result<T, Failed> + Send + 'static,
) -> Out<T> {
    core.db().run(f).await
}

/// Refuses a machine the caller may not work on (operators: their assigned machines).
pub async fn check_machine(core: &Core, user: &User, key: &str) -> Out<()> {
    if core.plant().machine(key).is_none() {
        return Err(Failed::Quality(QualityError::NotFound(format!(
            "machine \"{key}\""
        ))));
    }
    if user.role.can(Permission::AllMachines) || user.role.can(Permission::EditPlans) {
        return Ok(());
    }
    if !core.visible_machines(user).await?.iter().any(|k| k == key) {
        return Err(Error::NotAssigned(format!(
            "machine \"{key}\" is not one of your machines; a supervisor assigns machines to operators"
        ))
        .into());
    }
    Ok(())
}

/// The machines whose checks the caller sees: all production machines for roles that
/// see every machine (and quality), else their assigned ones.
pub async fn machines_of(core: &Core, user: &User) -> Out<Vec<String>> {
    let plant = core.plant();
    if user.role.can(Permission::AllMachines) || user.role.can(Permission::EditPlans) {
        // The machines with production figures, and any other with a running lot.
        let mut keys = crate::production::query::machines(&plant);
        let running = db(core, |c| Ok(store::running_machines(c)?)).await?;
        for k in running {
            if !keys.contains(&k) && plant.machine(&k).is_some() {
                keys.push(k);
            }
        }
        return Ok(keys);
    }
    Ok(core.visible_machines(user).await?)
}

/// Looks at the checks of every running lot and hands the alarm engine one alarm per
/// machine with an overdue check (see `alarm`); the next alarm tick raises or clears
/// them. Returns the machines with an overdue check. Called every few seconds by the
/// quality job and at once after a check is entered or a lot ends.
pub async fn watch_overdue(core: &Core) -> Out<Vec<String>> {
    let plant = core.plant();
    let now = crate::sample::now_ms();
    let list = db(core, move |c| {
        let mut list = Vec::new();
        for m in store::running_machines(c)? {
            if let Some((_, checks)) = super::trace::due_on(c, &plant, &m, now)?
                && let Some(cond) = super::alarm::overdue_condition(&plant, &m, &checks)
            {
                list.push(cond);
            }
        }
        Ok(list)
    })
    .await?;
    let machines = list.iter().filter_map(|c| c.def.machine.clone()).collect();
    core.alerts().set_conditions(super::alarm::SOURCE, list);
    Ok(machines)
}

/// Follows the machines' order tags (see `orders`): on a change of a tag's value the
/// running lot ends and the order's lot starts, at the sample's time. The settings are
/// read again every 5 seconds; a tag newly watched starts from its newest good value,
/// so an order that changed while Plantlog was stopped is taken at its next start.
pub async fn follow_order_tags(
    core: std::sync::Arc<Core>,
    cancel: tokio_util::sync::CancellationToken,
) {
    use super::orders::{self, Follower};
    let mut rx = core.subscribe_samples();
    let mut f = Follower::default();
    let mut reload = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        let batch: Vec<crate::sample::Sample> = tokio::select! {
            _ = cancel.cancelled() => return,
            _ = reload.tick() => {
                let plant = core.plant();
                match db(&core, |c| Ok(orders::load(c)?)).await {
                    Ok(s) => {
                        let before: std::collections::HashSet<_> = f.tags().collect();
                        f.reload(&plant, s);
                        f.tags()
                            .filter(|t| !before.contains(t))
                            .filter_map(|t| core.latest(t).and_then(|v| v.last_good))
                            .collect()
                    }
                    Err(e) => {
                        tracing::warn!("the order tags' settings cannot be read: {e}");
                        Vec::new()
                    }
                }
            }
            r = rx.recv() => match r {
                Ok(b) => b.to_vec(),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => Vec::new(),
                Err(_) => return,
            },
        };
        for (t, order, at) in f.changes(&batch) {
            let sources = f.sources.clone();
            let machine = t.machine.clone();
            let r = db(&core, move |c| {
                Ok(orders::apply(
                    c,
                    &sources,
                    &t,
                    order.as_deref(),
                    at,
                    crate::sample::now_ms(),
                )?)
            })
            .await;
            match r {
                Ok(a) => {
                    if let Some(l) = &a.started {
                        tracing::info!("lot {} started on {machine} from its order tag", l.code);
                    }
                }
                Err(e) => tracing::warn!("the order tag of {machine} changed, but: {e}"),
            }
        }
    }
}
