//! Receiving a plant's batch: the token names the site, the body's checksum is checked,
//! and the batch is applied in one transaction that locks the site's row, so two
//! central servers receiving the same batch apply it once. Idempotent by
//! (site, seq, checksum): a batch applied before gets its first answer again.

use deadpool_postgres::Pool;
use sha2::{Digest, Sha256};

use crate::db::{DbError, token_hash};
use crate::wire::{Ack, Batch, Refusal};

/// The largest batch body accepted (compressed), and after decompression.
pub const MAX_BODY: usize = 16 << 20;
pub const MAX_JSON: usize = 256 << 20;

#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    #[error("no valid token: send `Authorization: Bearer <the site's token>`")]
    Unauthorized,
    #[error("this token belongs to another site; a site's token writes only its own site")]
    Forbidden,
    #[error("{0}")]
    Bad(String),
    #[error("{message}")]
    Conflict {
        message: String,
        expected_seq: Option<i64>,
    },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<tokio_postgres::Error> for ReceiveError {
    fn from(e: tokio_postgres::Error) -> Self {
        ReceiveError::Db(e.into())
    }
}

impl ReceiveError {
    pub fn status(&self) -> u16 {
        match self {
            ReceiveError::Unauthorized => 401,
            ReceiveError::Forbidden => 403,
            ReceiveError::Bad(_) => 400,
            ReceiveError::Conflict { .. } => 409,
            ReceiveError::Db(_) => 503,
        }
    }

    pub fn refusal(&self) -> Refusal {
        let code = match self {
            ReceiveError::Unauthorized => "unauthorized",
            ReceiveError::Forbidden => "wrong_site",
            ReceiveError::Bad(_) => "bad_batch",
            ReceiveError::Conflict { .. } => "sequence_conflict",
            ReceiveError::Db(_) => "database_unavailable",
        };
        Refusal {
            code: code.into(),
            message: self.to_string(),
            expected_seq: match self {
                ReceiveError::Conflict { expected_seq, .. } => *expected_seq,
                _ => None,
            },
        }
    }
}

/// The site a token may write, by its id and name.
pub async fn authenticate(pool: &Pool, token: &str) -> Result<(i64, String), ReceiveError> {
    let client = pool.get().await.map_err(DbError::from)?;
    let row = client
        .query_opt(
            "SELECT s.id, s.name FROM site_tokens t JOIN sites s ON s.id = t.site_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL
               AND (t.expires_at IS NULL OR t.expires_at > now())",
            &[&token_hash(token)],
        )
        .await?;
    row.map(|r| (r.get(0), r.get(1)))
        .ok_or(ReceiveError::Unauthorized)
}

/// Applies a batch of `site` (already authenticated for `site_id`).
pub async fn apply(
    pool: &Pool,
    site_id: i64,
    site: &str,
    body: &[u8],
    claimed_checksum: Option<&str>,
    blocks: bool,
) -> Result<Ack, ReceiveError> {
    let checksum = Sha256::digest(body).to_vec();
    if let Some(claimed) = claimed_checksum
        && !claimed.eq_ignore_ascii_case(&hex::encode(&checksum))
    {
        return Err(ReceiveError::Bad(
            "the body does not match its Plantlog-Checksum: it was damaged on the way; send it again".into(),
        ));
    }
    let batch = if blocks {
        decode_blocks(body)?
    } else {
        let json = zstd::bulk::decompress(body, MAX_JSON)
            .map_err(|e| ReceiveError::Bad(format!("the body is not zstd-compressed JSON: {e}")))?;
        let batch = serde_json::from_slice::<Batch>(&json)
            .map_err(|e| ReceiveError::Bad(format!("the batch does not parse: {e}")))?;
        in_range(&batch.ts, batch.from_ts, batch.to_ts)?;
        batch
    };
    if batch.site != site {
        return Err(ReceiveError::Bad(format!(
            "the batch names site {:?}, sent to site {site:?}",
            batch.site
        )));
    }
    let n = batch.ts.len();
    if batch.tag.len() != n
        || batch.value.len() != n
        || batch.text.len() != n
        || batch.quality.len() != n
    {
        return Err(ReceiveError::Bad(
            "the batch's columns differ in length".into(),
        ));
    }
    if batch.seq < 1 {
        return Err(ReceiveError::Bad("sequence numbers start at 1".into()));
    }

    let mut client = pool.get().await.map_err(DbError::from)?;
    let tx = client.transaction().await?;
    // The site's row, locked: batches of one site are applied one at a time, whichever
    // central server receives them.
    let row = tx
        .query_one(
            "SELECT last_seq, acked_to_ts FROM sites WHERE id = $1 FOR UPDATE",
            &[&site_id],
        )
        .await?;
    let last_seq: i64 = row.get(0);
    let acked_to_ts: i64 = row.get(1);
    if batch.seq <= last_seq {
        let Some(old) = tx
            .query_opt(
                "SELECT checksum, samples, new_samples FROM batches WHERE site_id = $1 AND seq = $2",
                &[&site_id, &batch.seq],
            )
            .await?
        else {
            return Err(ReceiveError::Conflict {
                message: format!("batch {} is older than the site's history here", batch.seq),
                expected_seq: Some(last_seq + 1),
            });
        };
        let old_sum: Vec<u8> = old.get(0);
        if old_sum != checksum {
            tx.execute(
                "INSERT INTO events (site_id, kind, detail) VALUES ($1, 'batch refused', $2)",
                &[
                    &site_id,
                    &format!("batch {} sent again with other contents", batch.seq),
                ],
            )
            .await?;
            tx.commit().await?;
            return Err(ReceiveError::Conflict {
                message: format!(
                    "batch {} was received before with other contents; the plant's sync state does not follow the central server's (was the plant's database restored from an older backup?)",
                    batch.seq
                ),
                expected_seq: Some(last_seq + 1),
            });
        }
        return Ok(Ack {
            site: site.into(),
            seq: batch.seq,
            acked_seq: last_seq,
            acked_to_ts,
            samples: i64::from(old.get::<_, i32>(1)),
            new_samples: i64::from(old.get::<_, i32>(2)),
            replay: true,
            server_ms: now_ms(),
        });
    }
    if batch.seq != last_seq + 1 {
        return Err(ReceiveError::Conflict {
            message: format!(
                "batch {} arrived, batch {} was expected next",
                batch.seq,
                last_seq + 1
            ),
            expected_seq: Some(last_seq + 1),
        });
    }

    for t in &batch.tags {
        tx.execute(
            "INSERT INTO tags (site_id, tag_id, device, name, unit) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (site_id, tag_id) DO UPDATE SET device = excluded.device,
                 name = excluded.name, unit = excluded.unit, updated_at = now()
             WHERE (tags.device, tags.name, tags.unit) IS DISTINCT FROM (excluded.device, excluded.name, excluded.unit)",
            &[&site_id, &t.id, &t.device, &t.name, &t.unit],
        )
        .await?;
    }
    let quality: Vec<i32> = batch
        .quality
        .iter()
        .map(|&q| i32::try_from(q).unwrap_or(i32::MAX))
        .collect();
    let new_samples = tx
        .execute(
            "INSERT INTO samples (site_id, tag_id, ts, value, text, quality)
             SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::float8[], $5::text[], $6::int[])
             ON CONFLICT DO NOTHING",
            &[
                &site_id,
                &batch.tag,
                &batch.ts,
                &batch.value,
                &batch.text,
                &quality,
            ],
        )
        .await? as i64;
    let acked_to = acked_to_ts.max(batch.to_ts);
    tx.execute(
        "INSERT INTO batches (site_id, seq, checksum, from_ts, to_ts, samples, new_samples, bytes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &site_id,
            &batch.seq,
            &checksum,
            &batch.from_ts,
            &batch.to_ts,
            &(n as i32),
            &(new_samples as i32),
            &(body.len() as i32),
        ],
    )
    .await?;
    tx.execute(
        "UPDATE sites SET last_seq = $2, acked_to_ts = $3, last_batch_at = now(),
             samples = samples + $4 WHERE id = $1",
        &[&site_id, &batch.seq, &acked_to, &new_samples],
    )
    .await?;
    tx.commit().await?;
    Ok(Ack {
        site: site.into(),
        seq: batch.seq,
        acked_seq: batch.seq,
        acked_to_ts: acked_to,
        samples: n as i64,
        new_samples,
        replay: false,
        server_ms: now_ms(),
    })
}

/// Every sample of a batch's range lies in it.
fn in_range(ts: &[i64], from: i64, to: i64) -> Result<(), ReceiveError> {
    match ts.iter().find(|&&ts| ts < from || ts >= to) {
        Some(ts) => Err(ReceiveError::Bad(format!(
            "a sample at {ts} lies outside the batch's range {from}..{to}"
        ))),
        None => Ok(()),
    }
}

/// A raw samples' batch sent as the plant's compressed blocks (wire::BlocksHeader),
/// decoded into columns.
pub fn decode_blocks(body: &[u8]) -> Result<Batch, ReceiveError> {
    let bad = |m: String| ReceiveError::Bad(m);
    if body.len() < 8 || &body[..4] != crate::wire::BLOCKS_MAGIC {
        return Err(bad("the body is not a Plantlog blocks batch (PLB1)".into()));
    }
    let hlen = u32::from_le_bytes(body[4..8].try_into().expect("4 bytes")) as usize;
    let rest = &body[8..];
    if hlen > rest.len() {
        return Err(bad("the blocks batch's header is cut short".into()));
    }
    let json = zstd::bulk::decompress(&rest[..hlen], MAX_JSON).map_err(|e| {
        bad(format!(
            "the blocks batch's header is not zstd-compressed: {e}"
        ))
    })?;
    let h: crate::wire::BlocksHeader = serde_json::from_slice(&json)
        .map_err(|e| bad(format!("the blocks batch's header does not parse: {e}")))?;
    let mut data = &rest[hlen..];
    let mut batch = Batch {
        site: h.site,
        seq: h.seq,
        from_ts: h.from_ts,
        to_ts: h.to_ts,
        tags: h.tags,
        tag: Vec::new(),
        ts: Vec::new(),
        value: Vec::new(),
        text: Vec::new(),
        quality: Vec::new(),
    };
    for b in &h.blocks {
        let len = usize::try_from(b.len).unwrap_or(usize::MAX);
        if len > data.len() {
            return Err(bad(format!("the block of tag {} is cut short", b.tag)));
        }
        let samples = crate::codec::decode(b.tag, &data[..len])
            .map_err(|e| bad(format!("the block of tag {}: {e}", b.tag)))?;
        data = &data[len..];
        if samples.len() as i64 != b.n {
            return Err(bad(format!(
                "the block of tag {} holds {} samples, its header says {}",
                b.tag,
                samples.len(),
                b.n
            )));
        }
        let times: Vec<i64> = samples.iter().map(|s| s.ts).collect();
        if b.again {
            // Sent again: samples of the range already sent, below this batch's.
            if let Some(ts) = times.iter().find(|&&ts| ts >= batch.from_ts) {
                return Err(bad(format!(
                    "a sample sent again at {ts} lies at or after the batch's range start {}",
                    batch.from_ts
                )));
            }
        } else {
            in_range(&times, batch.from_ts, batch.to_ts)?;
        }
        for s in samples {
            batch.tag.push(b.tag);
            batch.ts.push(s.ts);
            match s.raw_value() {
                Some(crate::sample::Value::Number(v)) => {
                    batch.value.push(Some(*v));
                    batch.text.push(None);
                }
                Some(crate::sample::Value::Text(t)) => {
                    batch.value.push(None);
                    batch.text.push(Some(t.to_string()));
                }
                None => {
                    batch.value.push(None);
                    batch.text.push(None);
                }
            }
            batch.quality.push(s.quality.code());
        }
    }
    if !data.is_empty() {
        return Err(bad("the blocks batch has bytes after its last block".into()));
    }
    Ok(batch)
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
