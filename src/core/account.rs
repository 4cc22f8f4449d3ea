//! People: the first admin, logins and sessions, one's own password, the users the
//! admin manages, and the audit log. Passwords, sessions and the audit trail are
//! `auth`'s; this puts them behind the core's methods.

use serde::Serialize;

use super::{Core, Error};
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::auth::sessions::{self, Invalid};
use crate::auth::users::{self, NewUser, UserChange};
use crate::auth::{self, LoginError, Permission, Role, User};

/// Who is logged in, with what they may do.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub permissions: Vec<Permission>,
    pub must_change_password: bool,
    pub idle_timeout_s: i64,
}

/// A role with its name on screen and its permissions.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RoleView {
    pub role: Role,
    pub label: &'static str,
    pub permissions: Vec<Permission>,
}

/// A new session: its user and the token for the cookie.
pub struct Session {
    pub me: Me,
    pub token: String,
}

/// A user to create, as the admin gives it.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CreateUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

/// The role matrix.
pub fn roles() -> Vec<RoleView> {
    Role::ALL
        .into_iter()
        .map(|r| RoleView {
            role: r,
            label: r.label(),
            permissions: r.permissions(),
        })
        .collect()
}

impl Core {
    async fn me(&self, user: User) -> Result<Me, Error> {
        let idle_timeout_s = self
            .db()
            .run(|c| sessions::idle_timeout_s(c).map_err(Error::from))
            .await?;
        Ok(Me {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            permissions: user.role.permissions(),
            role: user.role,
            must_change_password: user.must_change_password,
            idle_timeout_s,
        })
    }

    /// The logged-in user and what they may do.
    pub async fn me_of(&self, user: User) -> Result<Me, Error> {
        self.me(user).await
    }

    /// The user of a live session; `touch` counts the request as activity.
    pub async fn session_user(&self, token: String, touch: bool) -> Result<User, Error> {
        let found = self
            .db()
            .run(move |c| sessions::lookup(c, &token, touch).map_err(Error::from))
            .await?;
        match found {
            Ok(user) => Ok(user),
            Err(Invalid::Expired) => Err(Error::Unauthenticated {
                code: "session_expired",
                message: "you were logged out after a time without activity; log in again".into(),
            }),
            Err(Invalid::Unknown) => Err(Error::Unauthenticated {
                code: "unauthorized",
                message: "log in first".into(),
            }),
        }
    }

    /// Whether the first admin account is still to be created.
    pub async fn setup_required(&self) -> Result<bool, Error> {
        let n = self
            .db()
            .run(|c| users::count(c).map_err(Error::from))
            .await?;
        Ok(n == 0)
    }

    /// Creates the first admin (only while there are no users) and logs them in.
    pub async fn setup(
        &self,
        username: String,
        display_name: String,
        password: String,
        client: String,
    ) -> Result<Session, Error> {
        let (user, token) = self
            .db()
            .run(move |c| {
                let user = users::create_first_admin(
                    c,
                    &NewUser {
                        username: username.trim(),
                        display_name: &display_name,
                        role: Role::Admin,
                        password: &password,
                        must_change_password: false,
                    },
                    &client,
                )?;
                let token = sessions::create(c, user.id, &client)?;
                Ok::<_, Error>((user, token))
            })
            .await?;
        Ok(Session {
            me: self.me(user).await?,
            token,
        })
    }

    /// Checks a username and password and starts a session; audited either way.
    pub async fn login(
        &self,
        username: String,
        password: String,
        client: String,
    ) -> Result<Session, Error> {
        let result = self
            .db()
            .run(move |c| Ok::<_, Error>(auth::login(c, username.trim(), &password, &client)))
            .await?;
        let (user, token) = result.map_err(|e| match e {
            LoginError::BadCredentials => Error::Unauthenticated {
                code: "bad_credentials",
                message: "wrong username or password".into(),
            },
            LoginError::TooManyAttempts => Error::TooMany {
                code: "too_many_attempts",
                message: e.to_string(),
            },
            LoginError::Sqlite(e) => e.into(),
        })?;
        Ok(Session {
            me: self.me(user).await?,
            token,
        })
    }

    /// Ends a session; audited.
    pub async fn logout(&self, token: String, actor: Actor) -> Result<(), Error> {
        self.db()
            .run(move |c| {
                sessions::delete(c, &token)?;
                audit::record(c, &AuditEntry::new(&actor, "logout", &actor.name, ""))?;
                Ok::<_, Error>(())
            })
            .await
    }

    /// Changes one's own password, checking the current one first.
    pub async fn change_own_password(
        &self,
        user: &User,
        current: String,
        new: String,
        actor: Actor,
    ) -> Result<(), Error> {
        let id = user.id;
        let username = user.username.clone();
        self.db()
            .run(move |c| {
                let ok = users::by_username(c, &username)?
                    .is_some_and(|(_, hash)| auth::password::verify(&hash, &current));
                if !ok {
                    return Err(Error::Unauthenticated {
                        code: "bad_credentials",
                        message: "the current password is wrong".into(),
                    });
                }
                users::set_password(c, id, &new, false, &actor)?;
                Ok(())
            })
            .await
    }

    pub async fn users(&self) -> Result<Vec<User>, Error> {
        self.db().run(|c| users::list(c).map_err(Error::from)).await
    }

    /// Creates a user, who must choose their own password at the first login.
    pub async fn create_user(&self, new: CreateUser, actor: Actor) -> Result<User, Error> {
        self.db()
            .run(move |c| {
                users::create(
                    c,
                    &NewUser {
                        username: new.username.trim(),
                        display_name: &new.display_name,
                        role: new.role,
                        password: &new.password,
                        must_change_password: true,
                    },
                    &actor,
                )
                .map_err(Error::from)
            })
            .await
    }

    pub async fn update_user(
        &self,
        id: i64,
        change: UserChange,
        actor: Actor,
    ) -> Result<User, Error> {
        self.db()
            .run(move |c| users::update(c, id, &change, &actor).map_err(Error::from))
            .await
    }

    /// Gives a user a password the admin chose; they must change it at the next login.
    pub async fn reset_password(
        &self,
        id: i64,
        password: String,
        actor: Actor,
    ) -> Result<(), Error> {
        self.db()
            .run(move |c| users::set_password(c, id, &password, true, &actor).map_err(Error::from))
            .await
    }

    /// The audit log, newest first, `limit` entries before the entry id `before`.
    pub async fn audit_log(
        &self,
        limit: u32,
        before: Option<i64>,
    ) -> Result<Vec<AuditEntry>, Error> {
        self.db()
            .run(move |c| audit::list(c, limit, before).map_err(Error::from))
            .await
    }
}
