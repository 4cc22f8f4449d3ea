//! Security: the holes of issue 8, each with the test that failed before its fix, and
//! what was built against them (TLS, MFA, password policy, vendor accounts, access
//! review). docs/SECURITY.md maps the threat model to these tests.

mod accounts;
mod endpoints;
mod fuzz;
mod holes;
mod limits;
mod mfa;
mod prefs;
mod tls;
mod vendors;
