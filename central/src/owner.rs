//! The owner's page: every site with its sync state (last batch, per stream position,
//! batches applied, batches refused) and, across sites, production (part counters) and
//! energy (kWh meters) by day from the hour rollups. Rendered on the server as one HTML
//! page; protected by the owner's password (HTTP Basic, any user name), given to
//! `plantlog-central serve --owner-password-file`. Without one the page is not served.
//!
//! The page also rotates a site's token (`POST /sites/{site}/rotate`): a form per site
//! with the grace period the old tokens keep. A browser sends the Basic credentials with
//! any request to the server, also one a foreign page makes it send, so the form carries
//! a token of its own (an HMAC of the site's name under the password's hash, which only
//! someone who has read the page knows) and a request whose Origin is another server is
//! refused.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine as _;
use deadpool_postgres::Pool;
use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::db::DbError;

/// The owner's password, kept as its SHA-256.
#[derive(Clone)]
pub struct Owner {
    hash: [u8; 32],
}

impl Owner {
    /// From the password (at least 12 characters: the page is reachable by anyone who
    /// reaches the server).
    pub fn new(password: &str) -> Result<Self, String> {
        let password = password.trim_end_matches(['\r', '\n']);
        if password.chars().count() < 12 {
            return Err("the owner's password must have at least 12 characters".into());
        }
        Ok(Self {
            hash: Sha256::digest(password.as_bytes()).into(),
        })
    }

    /// Whether the request carries the password (HTTP Basic; the user name is not
    /// checked). Compared as hashes, in constant time.
    pub fn allows(&self, headers: &HeaderMap) -> bool {
        let Some(given) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "))
            .and_then(|b| {
                base64::engine::general_purpose::STANDARD
                    .decode(b.trim())
                    .ok()
            })
            .and_then(|b| String::from_utf8(b).ok())
        else {
            return false;
        };
        let password = given.split_once(':').map_or("", |(_, p)| p);
        let h: [u8; 32] = Sha256::digest(password.as_bytes()).into();
        same(&h, &self.hash)
    }

    /// The form token for rotating `site`'s token: an HMAC of the action and the site's
    /// name under the password's hash. Only someone who could read the page has it.
    pub fn form_token(&self, site: &str) -> String {
        let mut m = hmac::Hmac::<Sha256>::new_from_slice(&self.hash).expect("any key length");
        m.update(b"rotate\0");
        m.update(site.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }
}

/// Constant-time equality of two byte strings of the same length.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// One stream of a site.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamRow {
    pub stream: String,
    pub last_seq: i64,
    pub position: i64,
    pub rows: i64,
    pub last_batch_at: Option<String>,
}

/// A site as the owner's page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteRow {
    pub name: String,
    /// The newest batch of any stream, UTC "YYYY-MM-DD HH:MM:SS".
    pub last_batch_at: Option<String>,
    pub raw_last_seq: i64,
    pub raw_acked_to_ts: i64,
    pub samples: i64,
    /// Batches applied, raw samples' and the streams' together.
    pub batches: i64,
    /// Batches refused (wrong token, sequence conflicts, unknown streams, ...).
    pub refused: i64,
    pub last_refusal: Option<String>,
    pub streams: Vec<StreamRow>,
    /// Tokens valid now.
    pub tokens: i64,
    /// When the first of the valid tokens that end (rotated ones in their grace period)
    /// ends, UTC.
    pub token_ends: Option<String>,
}

/// One day of one site: parts counted and energy, from the hour rollups.
#[derive(Debug, Clone, PartialEq)]
pub struct DayRow {
    pub day: String,
    pub site: String,
    pub parts: Option<f64>,
    pub kwh: Option<f64>,
    pub scrap: Option<f64>,
}

const TS: &str = "'YYYY-MM-DD HH24:MI:SS'";

pub async fn sites(pool: &Pool) -> Result<Vec<SiteRow>, DbError> {
    let client = pool.get().await?;
    let rows = client
        .query(
            &format!(
                "SELECT s.id, s.name, to_char(greatest(s.last_batch_at,
                        (SELECT max(last_batch_at) FROM site_streams st WHERE st.site_id = s.id))
                        AT TIME ZONE 'UTC', {TS}),
                    s.last_seq, s.acked_to_ts, s.samples,
                    (SELECT count(*) FROM batches b WHERE b.site_id = s.id)
                      + (SELECT count(*) FROM stream_batches b WHERE b.site_id = s.id),
                    (SELECT count(*) FROM events e WHERE e.site_id = s.id AND e.kind = 'batch refused'),
                    (SELECT to_char(e.at AT TIME ZONE 'UTC', {TS}) || ': ' || e.detail FROM events e
                       WHERE e.site_id = s.id AND e.kind = 'batch refused' ORDER BY e.id DESC LIMIT 1),
                    (SELECT count(*) FROM site_tokens t WHERE t.site_id = s.id
                       AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())),
                    (SELECT to_char(min(t.expires_at) AT TIME ZONE 'UTC', {TS}) FROM site_tokens t
                       WHERE t.site_id = s.id AND t.revoked_at IS NULL AND t.expires_at > now())
                 FROM sites s ORDER BY s.name"
            ),
            &[],
        )
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let id: i64 = r.get(0);
        let streams = client
            .query(
                &format!(
                    "SELECT stream, last_seq, position, rows,
                        to_char(last_batch_at AT TIME ZONE 'UTC', {TS})
                     FROM site_streams WHERE site_id = $1 ORDER BY stream"
                ),
                &[&id],
            )
            .await?
            .iter()
            .map(|s| StreamRow {
                stream: s.get(0),
                last_seq: s.get(1),
                position: s.get(2),
                rows: s.get(3),
                last_batch_at: s.get(4),
            })
            .collect();
        out.push(SiteRow {
            name: r.get(1),
            last_batch_at: r.get(2),
            raw_last_seq: r.get(3),
            raw_acked_to_ts: r.get(4),
            samples: r.get(5),
            batches: r.get(6),
            refused: r.get(7),
            last_refusal: r.get(8),
            streams,
            tokens: r.get(9),
            token_ends: r.get(10),
        });
    }
    Ok(out)
}

/// Production and energy by day (UTC) and site, newest first, over the last `days`
/// days: parts are the increase of the tags counted in `parts`, energy the increase of
/// the tags in kWh (meters counting up), each from the hour rollups: within an hour
/// last minus first, between hours the next hour's first minus this hour's last; a
/// step down (a counter reset or wrap) counts as nothing. Scrap is the parts entered
/// as scrap on the plant (production records).
pub async fn days(pool: &Pool, days: i64) -> Result<Vec<DayRow>, DbError> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "WITH h AS (
                 SELECT r.site_id, r.t, t.unit, r.first, r.last,
                        lag(r.last) OVER (PARTITION BY r.site_id, r.tag_id ORDER BY r.t) AS prev_last,
                        lag(r.t) OVER (PARTITION BY r.site_id, r.tag_id ORDER BY r.t) AS prev_t
                 FROM rollups_1h r JOIN tags t USING (site_id, tag_id)
                 WHERE t.unit IN ('parts', 'kWh')
                   AND r.t >= (extract(epoch FROM now()) * 1000)::bigint - ($1::bigint + 1) * 86400000
             ), inc AS (
                 SELECT site_id, to_char(to_timestamp(t / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, unit,
                        greatest(coalesce(last - first, 0), 0)
                        + CASE WHEN prev_t = t - 3600000 THEN greatest(coalesce(first - prev_last, 0), 0) ELSE 0 END AS n
                 FROM h
             ), prod AS (
                 SELECT site_id, day, sum(n) FILTER (WHERE unit = 'parts') AS parts,
                        sum(n) FILTER (WHERE unit = 'kWh') AS kwh
                 FROM inc GROUP BY site_id, day
             ), scrap AS (
                 SELECT site_id,
                        to_char(to_timestamp((data->>'ts')::bigint / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                        sum((data->>'parts')::double precision) AS scrap
                 FROM records WHERE kind = 'scrap' AND data ? 'ts'
                 GROUP BY 1, 2
             )
             SELECT coalesce(p.day, c.day), s.name, p.parts, p.kwh, c.scrap
             FROM prod p FULL JOIN scrap c ON c.site_id = p.site_id AND c.day = p.day
             JOIN sites s ON s.id = coalesce(p.site_id, c.site_id)
             WHERE coalesce(p.day, c.day) >= to_char((now() - make_interval(days => $1::int)) AT TIME ZONE 'UTC', 'YYYY-MM-DD')
             ORDER BY 1 DESC, 2",
            &[&days],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| DayRow {
            day: r.get(0),
            site: r.get(1),
            parts: r.get(2),
            kwh: r.get(3),
            scrap: r.get(4),
        })
        .collect())
}

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// 1234567 as "1,234,567".
pub(crate) fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A time (UTC ms) as "YYYY-MM-DD HH:MM:SS" UTC; "—" for none.
pub fn utc(ms: i64) -> String {
    if ms <= 0 {
        return "—".into();
    }
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A stream's position in words: a time for rollups and production, a row id else.
fn position(stream: &str, pos: i64) -> String {
    match stream {
        "rollups" => format!("hours before {}", utc(pos)),
        "production" => format!("changes before {}", utc(pos)),
        _ if pos > 0 => format!("up to no. {}", count(pos - 1)),
        _ => "—".into(),
    }
}

fn number(v: Option<f64>, decimals: usize) -> String {
    match v {
        None => "—".into(),
        Some(v) if decimals == 0 => count(v.round() as i64),
        Some(v) => {
            let text = format!("{:.decimals$}", v.abs());
            let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
            let sign = if v < 0.0 { "-" } else { "" };
            format!("{sign}{}.{frac}", count(int.parse().unwrap_or(0)))
        }
    }
}

/// The page.
pub fn render(
    sites: &[SiteRow],
    days: &[DayRow],
    shifts: &[crate::completeness::ShiftRow],
    now: &str,
    owner: &Owner,
) -> String {
    let mut h = String::new();
    h.push_str(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Plantlog central: sites</title><style>\
         body{font-family:system-ui,sans-serif;margin:1.5rem 2rem;color:#0f172a;background:#f8fafc}\
         h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}\
         table{border-collapse:collapse;background:#fff;margin:.5rem 0 1rem}\
         th,td{padding:.35rem .7rem;border-bottom:1px solid #cbd5e1;text-align:left;vertical-align:top}\
         th{background:#e2e8f0}td.n{text-align:right;font-variant-numeric:tabular-nums}\
         .muted{color:#475569}.bad{color:#b91c1c}.site{font-weight:700;white-space:nowrap}\
         form.rotate{margin-top:.4rem}form.rotate input{width:4.5rem}\
         </style></head><body>",
    );
    let _ = write!(
        h,
        "<h1>Plantlog central</h1><p class=\"muted\">{} {} · times in UTC · as of {}</p>",
        sites.len(),
        if sites.len() == 1 { "site" } else { "sites" },
        esc(now)
    );
    h.push_str("<h2>Sites and their sync</h2>");
    if sites.is_empty() {
        h.push_str("<p>No site yet: add one with <code>plantlog-central site add NAME</code>.</p>");
    } else {
        h.push_str(
            "<table id=\"sites\"><thead><tr><th>Site</th><th>Last batch</th><th>Batches applied</th>\
             <th>Refused</th><th>Token</th><th>Stream</th><th>Batch no.</th><th>Position</th><th>Rows</th>\
             <th>Last batch of the stream</th></tr></thead><tbody>",
        );
        for s in sites {
            let mut lines: Vec<(String, i64, String, i64, String)> = Vec::new();
            if s.raw_last_seq > 0 || s.samples > 0 {
                lines.push((
                    "raw".into(),
                    s.raw_last_seq,
                    format!("complete to {}", utc(s.raw_acked_to_ts)),
                    s.samples,
                    String::new(),
                ));
            }
            for st in &s.streams {
                lines.push((
                    st.stream.clone(),
                    st.last_seq,
                    position(&st.stream, st.position),
                    st.rows,
                    st.last_batch_at.clone().unwrap_or_default(),
                ));
            }
            if lines.is_empty() {
                lines.push((
                    "—".into(),
                    0,
                    "nothing received yet".into(),
                    0,
                    String::new(),
                ));
            }
            let span = lines.len();
            for (i, (stream, seq, pos, rows, at)) in lines.iter().enumerate() {
                let _ = write!(
                    h,
                    "<tr data-site=\"{}\" data-stream=\"{}\">",
                    esc(&s.name),
                    esc(stream)
                );
                if i == 0 {
                    let refused = if s.refused > 0 {
                        format!(
                            "<span class=\"bad\">{}</span><br><span class=\"muted\">{}</span>",
                            count(s.refused),
                            esc(s.last_refusal.as_deref().unwrap_or(""))
                        )
                    } else {
                        "0".into()
                    };
                    let _ = write!(
                        h,
                        "<td rowspan=\"{span}\" class=\"site\">{}</td><td rowspan=\"{span}\">{}</td>\
                         <td rowspan=\"{span}\" class=\"n batches\">{}</td><td rowspan=\"{span}\" class=\"refused\">{}</td>\
                         <td rowspan=\"{span}\" class=\"token\">{}</td>",
                        esc(&s.name),
                        esc(s.last_batch_at.as_deref().unwrap_or("never")),
                        count(s.batches),
                        refused,
                        token_cell(s, owner)
                    );
                }
                let _ = write!(
                    h,
                    "<td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                    esc(stream),
                    count(*seq),
                    esc(pos),
                    count(*rows),
                    esc(at)
                );
            }
        }
        h.push_str("</tbody></table>");
    }
    h.push_str(
        "<h2>Production and energy by day</h2><p class=\"muted\">From the hour rollups the \
         plants send: parts are the increase of part counters (unit <code>parts</code>), energy \
         the increase of meters in kWh; scrap as entered on the plants. A day is complete once \
         its hours have arrived.</p>",
    );
    if days.is_empty() {
        h.push_str("<p>No rollups of counters or meters yet (the plants send them with the <code>rollups</code> class).</p>");
    } else {
        h.push_str(
            "<table id=\"days\"><thead><tr><th>Day</th><th>Site</th><th>Parts</th><th>Scrap</th>\
             <th>Energy (kWh)</th></tr></thead><tbody>",
        );
        for d in days {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&d.day),
                esc(&d.site),
                number(d.parts, 0),
                number(d.scrap, 0),
                number(d.kwh, 1)
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str(&crate::completeness::render(shifts));
    h.push_str("</body></html>");
    h
}

/// The token cell of a site: how many tokens are valid, when a rotated one ends, and
/// the form that rotates it.
fn token_cell(s: &SiteRow, owner: &Owner) -> String {
    let state = match (s.tokens, &s.token_ends) {
        (0, _) => "<span class=\"bad\">none valid</span>".to_string(),
        (1, None) => "1 valid".to_string(),
        (n, None) => format!("{n} valid"),
        (n, Some(end)) => format!(
            "{n} valid<br><span class=\"muted\">an old one ends {}</span>",
            esc(end)
        ),
    };
    format!(
        "{state}<form class=\"rotate\" method=\"post\" action=\"/sites/{}/rotate\">\
         <input type=\"hidden\" name=\"form_token\" value=\"{}\">\
         <label>old ones valid <input name=\"grace_hours\" type=\"number\" min=\"0\" max=\"2160\" \
         step=\"any\" value=\"24\" required> h more</label> <button>New token</button></form>",
        url_segment(&s.name),
        owner.form_token(&s.name)
    )
}

/// A site's name as one path segment (site names are letters, digits, '-', '_' and
/// '.'; anything else is percent-encoded).
fn url_segment(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The owner's password checked, or the answer that asks for it.
fn challenge(owner: Option<&Arc<Owner>>, headers: &HeaderMap) -> Result<Arc<Owner>, Box<Response>> {
    let Some(owner) = owner else {
        return Err(Box::new(
            (
                StatusCode::NOT_FOUND,
                "The owner's page is off: start plantlog-central serve with --owner-password-file.",
            )
                .into_response(),
        ));
    };
    if !owner.allows(headers) {
        return Err(Box::new(
            (
                StatusCode::UNAUTHORIZED,
                [(
                    header::WWW_AUTHENTICATE,
                    "Basic realm=\"Plantlog central\", charset=\"UTF-8\"",
                )],
                "The owner's password is needed.",
            )
                .into_response(),
        ));
    }
    Ok(owner.clone())
}

/// The rotation form's fields.
#[derive(serde::Deserialize)]
pub struct RotateForm {
    form_token: String,
    grace_hours: String,
}

/// Whether a request's Origin (when the browser sends one) is this server.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest.trim_end_matches('/'));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// POST /sites/{site}/rotate: a new token for the site, shown once; the old ones stay
/// valid for the grace period given.
pub async fn rotate(
    State((pool, owner)): State<(Pool, Option<Arc<Owner>>)>,
    Path(site): Path<String>,
    headers: HeaderMap,
    Form(form): Form<RotateForm>,
) -> Response {
    let owner = match challenge(owner.as_ref(), &headers) {
        Ok(o) => o,
        Err(r) => return *r,
    };
    if !same_origin(&headers)
        || !same(
            owner.form_token(&site).as_bytes(),
            form.form_token.as_bytes(),
        )
    {
        return (
            StatusCode::FORBIDDEN,
            "This request did not come from the owner's page: open the page and use its form.",
        )
            .into_response();
    }
    let hours: f64 = match form.grace_hours.trim().parse() {
        Ok(h) if (0.0..=2160.0).contains(&h) => h,
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                format!(
                    "The grace period must be a number of hours from 0 to 2160 (90 days), not {:?}.",
                    form.grace_hours
                ),
            )
                .into_response();
        }
    };
    let secs = (hours * 3600.0).round() as i64;
    match crate::db::rotate_token(&pool, &site, secs).await {
        Ok(token) => {
            tracing::info!("the owner rotated the token of site {site}");
            (
                [(header::CACHE_CONTROL, "no-store")],
                Html(rotated_page(&site, &token, hours)),
            )
                .into_response()
        }
        Err(DbError::Refused(why)) => (StatusCode::NOT_FOUND, why).into_response(),
        Err(e) => {
            tracing::warn!("rotating the token of {site}: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("The database cannot be written: {e}"),
            )
                .into_response()
        }
    }
}

/// The answer to a rotation: the new token, once.
fn rotated_page(site: &str, token: &str, hours: f64) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Plantlog central: new token for {site}</title><style>\
         body{{font-family:system-ui,sans-serif;margin:1.5rem 2rem;color:#0f172a;background:#f8fafc}}\
         code{{display:inline-block;font-size:1.1rem;background:#fff;padding:.3rem .5rem;border:1px solid #cbd5e1;user-select:all}}\
         </style></head><body><h1>A new token for {site}</h1>\
         <p>It is shown only now:</p><p><code id=\"token\">{token}</code></p>\
         <p>On the plant PC, as the admin, connect again with it (the classes chosen are kept) \
         and paste it when asked:</p><p><code>plantlog sync connect --url … --site {site} \
         --token-file -</code></p><p>The site's older tokens stay valid for {hours} h more, \
         then are refused.</p>\
         <p><a href=\"/\">Back to the sites</a></p></body></html>",
        site = esc(site),
        token = esc(token),
        hours = hours
    )
}

/// GET /: the page, for the owner's password.
pub async fn page(
    State((pool, owner)): State<(Pool, Option<Arc<Owner>>)>,
    headers: HeaderMap,
) -> Response {
    let owner = match challenge(owner.as_ref(), &headers) {
        Ok(o) => o,
        Err(r) => return *r,
    };
    let result = async {
        let s = sites(&pool).await?;
        let d = days(&pool, 31).await?;
        let c = crate::completeness::shifts(&pool, 7).await?;
        Ok::<_, DbError>((s, d, c))
    }
    .await;
    match result {
        Ok((s, d, c)) => {
            Html(render(&s, &d, &c, &utc(crate::receive::now_ms()), &owner)).into_response()
        }
        Err(e) => {
            tracing::warn!("the owner's page: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("The database cannot be read: {e}"),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_counts_read_right() {
        assert_eq!(utc(0), "—");
        assert_eq!(utc(1_700_000_000_000), "2023-11-14 22:13:20");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00:00");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(12), "12");
        assert_eq!(position("audit", 101), "up to no. 100");
        assert_eq!(number(Some(91_292.4), 0), "91,292");
        assert_eq!(number(Some(1_792.66), 1), "1,792.7");
        assert_eq!(number(None, 1), "—");
    }

    #[test]
    fn the_password_is_checked() {
        assert!(Owner::new("short").is_err());
        let o = Owner::new("correct horse battery\n").unwrap();
        let basic = |s: &str| {
            let mut h = HeaderMap::new();
            let v = format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(s)
            );
            h.insert(header::AUTHORIZATION, v.parse().unwrap());
            h
        };
        assert!(o.allows(&basic("owner:correct horse battery")));
        assert!(o.allows(&basic("anyone:correct horse battery")));
        assert!(!o.allows(&basic("owner:correct horse batter")));
        assert!(!o.allows(&HeaderMap::new()));
    }

    #[test]
    fn names_are_escaped() {
        let s = SiteRow {
            name: "<b>x</b>".into(),
            last_batch_at: None,
            raw_last_seq: 0,
            raw_acked_to_ts: 0,
            samples: 0,
            batches: 0,
            refused: 0,
            last_refusal: None,
            streams: vec![],
            tokens: 1,
            token_ends: None,
        };
        let page = render(&[s], &[], &[], "now", &Owner::new("twelve chars!").unwrap());
        assert!(page.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(!page.contains("<b>x</b>"));
    }
}
