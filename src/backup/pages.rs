//! Page-level backups: a database file seen as its pages, each hashed, so a backup can
//! store only the pages that changed since the one before (an incremental) and a chain
//! of them (a full backup and the incrementals on it) restores to the exact file.
//!
//! Files in a backup of a chain: `pages.sha` (zstd: the 16 first bytes of each page's
//! SHA-256, in page order: what the next incremental compares with) and, in an
//! incremental, `pages.zst` (zstd: the changed pages, each as its number, u32 little
//! endian, then its bytes). A full backup holds `plantlog.db` itself.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::BackupError;
use super::manifest::DATABASE;

pub const HASHES: &str = "pages.sha";
pub const PAGES: &str = "pages.zst";

/// A page's fingerprint.
pub type PageHash = [u8; 16];

const ZSTD_LEVEL: i32 = 3;

fn read_err(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + use<> {
    let path = path.to_path_buf();
    move |source| BackupError::Read { path, source }
}

/// The page size of an SQLite database file, from its header.
pub fn page_size(path: &Path) -> Result<u32, BackupError> {
    let mut head = [0u8; 100];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .map_err(read_err(path))?;
    if &head[..16] != b"SQLite format 3\0" {
        return Err(BackupError::Invalid(format!(
            "{} is not an SQLite database",
            path.display()
        )));
    }
    let n = u16::from_be_bytes([head[16], head[17]]) as u32;
    Ok(if n == 1 { 65_536 } else { n })
}

/// A database file read once: its size and SHA-256 (hex) and each page's hash.
pub struct Scan {
    pub bytes: u64,
    pub sha256: String,
    pub page_size: u32,
    pub hashes: Vec<PageHash>,
}

/// Reads `path` page by page; `each` sees every page (its number from 1, its bytes, its
/// hash).
pub fn scan(
    path: &Path,
    mut each: impl FnMut(u32, &[u8], &PageHash) -> Result<(), BackupError>,
) -> Result<Scan, BackupError> {
    let size = page_size(path)?;
    let mut f = BufReader::with_capacity(1 << 20, File::open(path).map_err(read_err(path))?);
    let mut whole = Sha256::new();
    let mut page = vec![0u8; size as usize];
    let mut hashes = Vec::new();
    let mut bytes = 0u64;
    loop {
        let mut got = 0;
        while got < page.len() {
            let k = f.read(&mut page[got..]).map_err(read_err(path))?;
            if k == 0 {
                break;
            }
            got += k;
        }
        if got == 0 {
            break;
        }
        if got < page.len() {
            return Err(BackupError::Invalid(format!(
                "{} ends inside a page",
                path.display()
            )));
        }
        bytes += got as u64;
        whole.update(&page);
        let h: PageHash = Sha256::digest(&page)[..16].try_into().expect("16 bytes");
        hashes.push(h);
        each(hashes.len() as u32, &page, &h)?;
    }
    Ok(Scan {
        bytes,
        sha256: hex::encode(whole.finalize()),
        page_size: size,
        hashes,
    })
}

/// Writes the page hashes to `path` (zstd), synced.
pub fn write_hashes(path: &Path, hashes: &[PageHash]) -> Result<(), BackupError> {
    let write = || -> std::io::Result<()> {
        let f = File::create(path)?;
        let mut z = zstd::Encoder::new(BufWriter::new(f), ZSTD_LEVEL)?;
        for h in hashes {
            z.write_all(h)?;
        }
        let w = z.finish()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    };
    write().map_err(|e| BackupError::target(path, e))
}

pub fn read_hashes(path: &Path) -> Result<Vec<PageHash>, BackupError> {
    let bytes = std::fs::read(path).map_err(read_err(path))?;
    hashes_from(&bytes, path)
}

/// The page hashes in the bytes of a `pages.sha` file (`path` names it in errors).
pub fn hashes_from(bytes: &[u8], path: &Path) -> Result<Vec<PageHash>, BackupError> {
    let mut raw = Vec::new();
    zstd::Decoder::new(bytes)
        .and_then(|mut z| z.read_to_end(&mut raw))
        .map_err(read_err(path))?;
    if raw.len() % 16 != 0 {
        return Err(BackupError::Invalid(format!(
            "{} is not a list of page hashes",
            path.display()
        )));
    }
    Ok(raw
        .chunks_exact(16)
        .map(|c| c.try_into().expect("16 bytes"))
        .collect())
}

/// The changed pages of an incremental, as they are written.
pub struct PageWriter {
    z: zstd::Encoder<'static, BufWriter<File>>,
    pub pages: u64,
}

impl PageWriter {
    pub fn create(path: &Path) -> Result<PageWriter, BackupError> {
        let f = File::create(path).map_err(|e| BackupError::target(path, e))?;
        let z = zstd::Encoder::new(BufWriter::with_capacity(1 << 20, f), ZSTD_LEVEL)
            .map_err(|e| BackupError::target(path, e))?;
        Ok(PageWriter { z, pages: 0 })
    }

    pub fn page(&mut self, pgno: u32, data: &[u8]) -> std::io::Result<()> {
        self.pages += 1;
        self.z.write_all(&pgno.to_le_bytes())?;
        self.z.write_all(data)
    }

    /// Ends the stream and syncs the file.
    pub fn finish(self) -> std::io::Result<()> {
        let w = self.z.finish()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    }
}

/// Reads the pages of an incremental's `pages.zst`: `each` gets each page's number and
/// bytes, in the order they were stored.
pub fn read_pages(
    path: &Path,
    page_size: u32,
    mut each: impl FnMut(u32, &[u8]) -> Result<(), BackupError>,
) -> Result<u64, BackupError> {
    let f = File::open(path).map_err(read_err(path))?;
    let mut z = zstd::Decoder::new(f).map_err(read_err(path))?;
    let mut num = [0u8; 4];
    let mut page = vec![0u8; page_size as usize];
    let mut n = 0;
    loop {
        match z.read_exact(&mut num) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(n),
            Err(e) => return Err(read_err(path)(e)),
        }
        z.read_exact(&mut page).map_err(read_err(path))?;
        n += 1;
        each(u32::from_le_bytes(num), &page)?;
    }
}

/// Builds the database a chain restores to into `out`: the full backup's file, then each
/// incremental's pages in order, cut to the last one's page count, synced. `chain` is
/// the backup folders, the full one first; `pages` is the last one's page count.
pub fn rebuild(chain: &[&Path], page_size: u32, pages: u64, out: &Path) -> Result<(), BackupError> {
    let (full, incrementals) = chain
        .split_first()
        .ok_or_else(|| BackupError::Invalid("an empty chain of backups".into()))?;
    let write_err = read_err(out);
    std::fs::copy(full.join(DATABASE), out).map_err(read_err(out))?;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(out)
        .map_err(read_err(out))?;
    for dir in incrementals {
        read_pages(&dir.join(PAGES), page_size, |pgno, data| {
            f.seek(SeekFrom::Start((pgno as u64 - 1) * page_size as u64))
                .and_then(|_| f.write_all(data))
                .map_err(read_err(out))
        })?;
    }
    f.set_len(pages * page_size as u64)
        .and_then(|_| f.sync_all())
        .map_err(write_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_pages_applied_to_the_full_give_the_file_back() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t SELECT randomblob(300) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 2000) SELECT i FROM n);").unwrap();
        let full = dir.path().join("full");
        std::fs::create_dir(&full).unwrap();
        std::fs::copy(&db, full.join(DATABASE)).unwrap();
        let before = scan(&full.join(DATABASE), |_, _, _| Ok(())).unwrap();
        c.execute_batch("UPDATE t SET x = randomblob(310) WHERE rowid % 97 = 0; INSERT INTO t SELECT randomblob(500) FROM t LIMIT 300;").unwrap();
        drop(c);
        let inc = dir.path().join("inc");
        std::fs::create_dir(&inc).unwrap();
        let mut w = PageWriter::create(&inc.join(PAGES)).unwrap();
        let after = scan(&db, |pgno, data, h| {
            if before.hashes.get(pgno as usize - 1) != Some(h) {
                w.page(pgno, data).unwrap();
            }
            Ok(())
        })
        .unwrap();
        let stored = w.pages;
        w.finish().unwrap();
        assert!(
            stored > 0 && stored < after.hashes.len() as u64 / 2,
            "{stored} of {}",
            after.hashes.len()
        );
        let out = dir.path().join("rebuilt.db");
        rebuild(
            &[&full, &inc],
            after.page_size,
            after.hashes.len() as u64,
            &out,
        )
        .unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&db).unwrap());
        write_hashes(&inc.join(HASHES), &after.hashes).unwrap();
        assert_eq!(read_hashes(&inc.join(HASHES)).unwrap(), after.hashes);
    }
}
