//! The deletions and the export as the API asks for them, on the running core's
//! database (off the async threads): the handlers (src/api/takeout.rs) hold no
//! database calls of their own.

use crate::auth::audit::Actor;
use crate::core::Core;
use crate::store::Db;
use crate::store::retention::Class;

use super::forget::{self, ForgetError, Forgotten, TagPlan, UserPlan};
use super::history::{self, BeforeError, BeforePlan, MachinePlan, Removed};

/// The database the full export reads.
pub fn db(core: &Core) -> Db {
    core.db().clone()
}

fn typed(confirm: Option<&str>, name: &str) -> Result<(), ForgetError> {
    if confirm.map(str::trim) == Some(name) {
        Ok(())
    } else {
        Err(ForgetError::Changed(format!(
            "type {name} to confirm; nothing was deleted"
        )))
    }
}

pub async fn plan_user(core: &Core, name: String) -> Result<UserPlan, ForgetError> {
    core.db().run(move |c| forget::plan_user(c, &name)).await
}

/// Plans again and forgets the person when `confirm` is their username.
pub async fn forget_user(
    core: &Core,
    name: String,
    confirm: Option<String>,
    actor: Actor,
) -> Result<Forgotten, ForgetError> {
    core.db()
        .run(move |c| {
            let plan = forget::plan_user(c, &name)?;
            typed(confirm.as_deref(), &plan.username)?;
            forget::forget_user(c, &plan, &actor)
        })
        .await
}

pub async fn plan_tag(core: &Core, name: String) -> Result<TagPlan, ForgetError> {
    core.db().run(move |c| forget::plan_tag(c, &name)).await
}

pub async fn forget_tag(
    core: &Core,
    name: String,
    confirm: Option<String>,
    actor: Actor,
) -> Result<TagPlan, ForgetError> {
    core.db()
        .run(move |c| {
            let plan = forget::plan_tag(c, &name)?;
            typed(confirm.as_deref(), &plan.name)?;
            forget::forget_tag(c, &plan, &actor)?;
            Ok(plan)
        })
        .await
}

pub async fn plan_machine(core: &Core, name: String) -> Result<MachinePlan, ForgetError> {
    core.db()
        .run(move |c| history::plan_machine(c, &name))
        .await
}

pub async fn forget_machine(
    core: &Core,
    name: String,
    confirm: Option<String>,
    actor: Actor,
) -> Result<Removed, ForgetError> {
    core.db()
        .run(move |c| {
            let plan = history::plan_machine(c, &name)?;
            typed(confirm.as_deref(), &plan.key)?;
            history::forget_machine(c, &plan, &actor)
        })
        .await
}

pub async fn plan_before(
    core: &Core,
    class: Class,
    before: i64,
) -> Result<BeforePlan, ForgetError> {
    core.db()
        .run(move |c| history::plan_before(c, class, before))
        .await
}

/// Audit records purged are archived to the data folder's archive/, as the scheduled
/// purge archives them.
pub async fn forget_before(
    core: &Core,
    class: Class,
    before: i64,
    actor: Actor,
) -> Result<Removed, BeforeError> {
    let archive = core.data_folder().join("archive");
    core.db()
        .run(move |c| {
            let plan = history::plan_before(c, class, before)?;
            history::forget_before(c, &plan, &archive, &actor)
        })
        .await
}
