//! People: the first admin, logins and sessions, one's own password, the users the
//! admin manages, and the audit log. Passwords, sessions and the audit trail are
//! `auth`'s; this puts them behind the core's methods, with the limits the running core
//! keeps (the setup code, the hashing limit).

use std::collections::HashSet;
use std::sync::Arc;

use serde::Serialize;

use super::security::Scope;
use super::{Core, Error};
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::auth::sessions::{self, Invalid};
use crate::auth::users::{self, NewUser, UserChange, UserError};
use crate::auth::vendor::{self, VendorScope};
use crate::auth::{self, LoginError, Permission, Role, User, policy, prefs, throttle};
use crate::sample::now_ms;

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
    /// Whether this user logs in with a second factor.
    pub mfa_enabled: bool,
    /// Whether their role (or vendor account) requires one.
    pub mfa_required: bool,
    /// Required but not set up yet: nothing else works until it is.
    pub mfa_enrolment_required: bool,
    /// Set for a vendor account: its company, end and scope (the UI shows a banner).
    pub vendor: Option<VendorScope>,
    /// The language the UI speaks to them: their own choice, else the plant's default.
    pub language: String,
    /// Their theme (light, dark); null follows the system's setting.
    pub theme: Option<String>,
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

/// A session the access rule looked at: who, what they may do, and where.
#[derive(Debug, Clone)]
pub struct Admitted {
    pub user: User,
    /// Effective permissions: a vendor's pages, or the role's.
    pub permissions: Vec<Permission>,
    pub scope: Scope,
    pub vendor: Option<VendorScope>,
    /// A second factor is required and not set up yet.
    pub mfa_enrolment_required: bool,
}

impl Admitted {
    /// Whether the caller may use `p`.
    pub fn can(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }
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

fn login_refusal(e: LoginError) -> Error {
    let message = e.to_string();
    match e {
        LoginError::BadCredentials => Error::Unauthenticated {
            code: "bad_credentials",
            message: "wrong username or password".into(),
        },
        LoginError::TooManyAttempts => Error::TooMany {
            code: "too_many_attempts",
            message,
        },
        LoginError::TooManyFromHere => Error::TooMany {
            code: "too_many_attempts",
            message,
        },
        LoginError::MfaRequired => Error::Unauthenticated {
            code: "mfa_required",
            message,
        },
        LoginError::BadCode => Error::Unauthenticated {
            code: "bad_code",
            message,
        },
        LoginError::Sqlite(e) => e.into(),
    }
}

impl Core {
    async fn me(&self, user: User) -> Result<Me, Error> {
        let a = self.admitted(user).await?;
        let id = a.user.id;
        let (settings, language, choices) = self
            .db()
            .run(move |c| {
                Ok::<_, Error>((
                    policy::load(c)?,
                    prefs::language_of(c, id)?,
                    prefs::load(c, id)?,
                ))
            })
            .await?;
        Ok(Me {
            id: a.user.id,
            username: a.user.username.clone(),
            display_name: a.user.display_name.clone(),
            permissions: a.permissions.clone(),
            role: a.user.role,
            must_change_password: a.user.must_change_password,
            idle_timeout_s: settings.idle_timeout_s,
            mfa_enabled: a.user.mfa_enabled,
            mfa_required: settings.mfa_required(a.user.role, a.user.is_vendor()),
            mfa_enrolment_required: a.mfa_enrolment_required,
            vendor: a.vendor,
            language,
            theme: choices.theme,
        })
    }

    /// What `user` may do and see, now.
    async fn admitted(&self, user: User) -> Result<Admitted, Error> {
        let (id, is_vendor) = (user.id, user.is_vendor());
        let (scope, settings) = self
            .db()
            .run(move |c| {
                Ok::<_, Error>((
                    if is_vendor {
                        vendor::scope(c, id)?
                    } else {
                        None
                    },
                    policy::load(c)?,
                ))
            })
            .await?;
        let required = settings.mfa_required(user.role, user.is_vendor());
        Ok(Admitted {
            permissions: scope.as_ref().map_or_else(
                || settings.permissions(user.role),
                |s| s.permissions.clone(),
            ),
            scope: scope.as_ref().map_or(Scope::All, |s| {
                Scope::Machines(Arc::new(s.machines.iter().cloned().collect::<HashSet<_>>()))
            }),
            mfa_enrolment_required: required && !user.mfa_enabled,
            vendor: scope,
            user,
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
                message: "you were logged out after a time without activity, or at the end of the session's lifetime; log in again".into(),
            }),
            Err(Invalid::Unknown) => Err(Error::Unauthenticated {
                code: "unauthorized",
                message: "log in first".into(),
            }),
        }
    }

    /// The live session of `token`, with what its user may do and see.
    pub async fn admit(&self, token: String, touch: bool) -> Result<Admitted, Error> {
        let user = self.session_user(token, touch).await?;
        self.admitted(user).await
    }

    /// Records a vendor's request (every action of a vendor session is audited).
    pub async fn audit_vendor_request(&self, actor: Actor, what: String) -> Result<(), Error> {
        self.db()
            .run(move |c| {
                audit::record(
                    c,
                    &AuditEntry::new(&actor, "vendor.request", &actor.name, &what),
                )
                .map_err(Error::from)
            })
            .await
    }

    /// Whether the first admin account is still to be created.
    pub async fn setup_required(&self) -> Result<bool, Error> {
        let n = self
            .db()
            .run(|c| users::count(c).map_err(Error::from))
            .await?;
        Ok(n == 0)
    }

    /// Creates the first admin (only while there are no users, only with the setup code
    /// printed at start, only from this PC) and logs them in.
    pub async fn setup(
        &self,
        username: String,
        display_name: String,
        password: String,
        setup_code: Option<String>,
        local: bool,
        client: String,
    ) -> Result<Session, Error> {
        if !self.setup_required().await? {
            return Err(UserError::SetupDone.into());
        }
        if !local {
            return Err(Error::Forbidden {
                code: "setup_local_only",
                message: "the admin account is created on the PC Plantlog runs on (http://127.0.0.1:...), not over the network".into(),
            });
        }
        self.check_setup_code(setup_code.as_deref())?;
        let (user, token) = self
            .hashing(move |c| {
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
                let token = sessions::create(c, user.id, &client, false)?;
                Ok::<_, Error>((user, token))
            })
            .await?;
        self.setup_done();
        Ok(Session {
            me: self.me(user).await?,
            token,
        })
    }

    /// Checks a username, password and (for accounts with one) second factor, and starts
    /// a session. The attempt is charged to the name and the client address first;
    /// password checks wait their turn (at most a few at once) or are refused when too
    /// many wait.
    pub async fn login(
        &self,
        username: String,
        password: String,
        code: Option<String>,
        client: String,
    ) -> Result<Session, Error> {
        let now = now_ms();
        let name = username.trim().to_string();
        let code_given = code.as_deref().is_some_and(|c| !c.trim().is_empty());
        let c2 = client.clone();
        let attempt = self
            .db()
            .run(move |c| Ok::<_, Error>(auth::begin_login(c, &name, code_given, &c2, now)))
            .await?
            .map_err(login_refusal)?;
        // The attempt comes back when it is refused for want of a hashing thread.
        let attempt = Arc::new(std::sync::Mutex::new(Some(attempt)));
        let taken = attempt.clone();
        let result = self
            .hashing(move |c| {
                let attempt = taken
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .take()
                    .expect("an attempt is checked once");
                Ok(auth::finish_login(
                    c,
                    attempt,
                    &password,
                    code.as_deref(),
                    now,
                ))
            })
            .await;
        let result = match result {
            Ok(r) => r,
            Err(busy) => {
                let left = attempt.lock().unwrap_or_else(|e| e.into_inner()).take();
                if let Some(a) = left {
                    self.db()
                        .run(move |c| auth::cancel_login(c, &a, now).map_err(Error::from))
                        .await?;
                }
                return Err(busy);
            }
        };
        let (user, token) = result.map_err(login_refusal)?;
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

    /// Changes one's own password, checking the current one first (wrong ones are
    /// counted and audited, and refused past a few per window); the new one must differ
    /// from the current one. The user's other sessions end.
    pub async fn change_own_password(
        &self,
        user: &User,
        token: String,
        current: String,
        new: String,
        actor: Actor,
    ) -> Result<(), Error> {
        let id = user.id;
        let username = user.username.clone();
        self.hashing(move |c| {
                let now = now_ms();
                let key = format!("password-change:{id}");
                if throttle::name_count(c, &key, now)? >= throttle::CHANGE_LIMIT {
                    return Err(Error::TooMany {
                        code: "too_many_attempts",
                        message: "too many wrong current passwords; wait 15 minutes".into(),
                    });
                }
                let hash = users::by_username(c, &username)?.map(|(_, h)| h);
                let ok = hash
                    .as_deref()
                    .is_some_and(|h| auth::password::verify(h, &current));
                if !ok {
                    throttle::charge(c, &key, &actor.client, now)?;
                    if throttle::first_failure(c, &key, &actor.client, now)? {
                        audit::record(
                            c,
                            &AuditEntry::new(
                                &actor,
                                "password_change.failed",
                                &username,
                                "wrong current password; further ones in the next 15 minutes are counted, not listed",
                            ),
                        )?;
                    }
                    return Err(Error::Unauthenticated {
                        code: "bad_credentials",
                        message: "the current password is wrong".into(),
                    });
                }
                if hash.as_deref().is_some_and(|h| auth::password::verify(h, &new)) {
                    return Err(UserError::SamePassword.into());
                }
                users::set_password(c, id, &new, false, &actor)?;
                sessions::delete_others(c, id, &token)?;
                Ok(())
            })
            .await
    }

    pub async fn users(&self) -> Result<Vec<User>, Error> {
        self.db().run(|c| users::list(c).map_err(Error::from)).await
    }

    /// Creates a user, who must choose their own password at the first login.
    pub async fn create_user(&self, new: CreateUser, actor: Actor) -> Result<User, Error> {
        self.hashing(move |c| {
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
        self.hashing(move |c| {
            users::set_password(c, id, &password, true, &actor).map_err(Error::from)
        })
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
