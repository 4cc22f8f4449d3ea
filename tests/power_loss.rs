//! Power loss, simulated: an SQLite VFS over the real one that keeps every write in
//! memory until the file is synced, and at a "power cut" forgets what was not synced
//! (as the OS's page cache is lost when the power goes). The database is then opened
//! again with the plain VFS, as after a reboot.
//!
//! Each round commits batches of 200 samples the way the writer does (same PRAGMAs,
//! `store::setup`; same insert, `store::raw::insert`) and, now and then, an audit
//! record through a `Durability::Full` connection the way the API does; then the power
//! is cut after a random number of commits. After each cut: `PRAGMA integrity_check`
//! is ok, no commit is torn (whole batches only), nothing appears that was not
//! committed, every audit record acknowledged is there, and with the writer's
//! durability ([`plantlog::store::WRITER_DURABILITY`]) every acknowledged sample
//! commit is there. The same rounds with `synchronous=NORMAL` print how much a WAL
//! database without a sync per commit loses: the reason the writer syncs each commit.

use std::collections::HashMap;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::path::Path;
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rand::{RngExt, SeedableRng};
use rusqlite::{Connection, OpenFlags, ffi};

use plantlog::auth::audit::{self, AuditEntry};
use plantlog::sample::Sample;
use plantlog::store::{self, Durability};

const VFS_NAME: &CStr = c"plantlog-power-cut";

/// Unsynced writes are tracked in chunks of this size.
const CHUNK: usize = 64 * 1024;

/// Set while the power is off: writes, syncs and deletes are dropped.
static POWER_OFF: AtomicBool = AtomicBool::new(false);
/// The real VFS underneath, and ours.
static VFS: OnceLock<(usize, usize)> = OnceLock::new();

fn real_vfs() -> *mut ffi::sqlite3_vfs {
    VFS.get().unwrap().0 as *mut ffi::sqlite3_vfs
}

/// The OS's page cache: what programs see of each file (the file on disk plus writes
/// not synced yet), shared by every handle on the file, lost at a power cut.
type Cache = Mutex<HashMap<String, Arc<Mutex<Seen>>>>;
static CACHE: OnceLock<Cache> = OnceLock::new();

fn cache() -> std::sync::MutexGuard<'static, HashMap<String, Arc<Mutex<Seen>>>> {
    CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// A file of ours: the real file, and the cache's view of it.
#[repr(C)]
struct CutFile {
    base: ffi::sqlite3_file,
    real: *mut ffi::sqlite3_file,
    seen: *const Mutex<Seen>,
}

struct Seen {
    data: Vec<u8>,
    /// The chunks written since the last sync, and whether the size changed.
    dirty: std::collections::BTreeSet<usize>,
    resized: bool,
}

unsafe fn parts(f: *mut ffi::sqlite3_file) -> (*mut ffi::sqlite3_file, &'static Mutex<Seen>) {
    unsafe {
        let f = f as *mut CutFile;
        ((*f).real, &*(*f).seen)
    }
}

unsafe fn real_methods(real: *mut ffi::sqlite3_file) -> &'static ffi::sqlite3_io_methods {
    unsafe { &*(*real).pMethods }
}

/// Writes what was written since the last sync to the real file.
unsafe fn flush(real: *mut ffi::sqlite3_file, seen: &Mutex<Seen>) -> c_int {
    let mut s = seen.lock().unwrap();
    let m = unsafe { real_methods(real) };
    if s.resized {
        let rc = unsafe { (m.xTruncate.unwrap())(real, s.data.len() as i64) };
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        s.resized = false;
    }
    // The real VFS writes at most 128 KiB at once: chunk by chunk.
    for chunk in std::mem::take(&mut s.dirty) {
        let from = chunk * CHUNK;
        let to = (from + CHUNK).min(s.data.len());
        if from < to {
            let rc = unsafe {
                (m.xWrite.unwrap())(
                    real,
                    s.data[from..].as_ptr() as *const c_void,
                    (to - from) as c_int,
                    from as i64,
                )
            };
            if rc != ffi::SQLITE_OK {
                return rc;
            }
        }
    }
    ffi::SQLITE_OK
}

unsafe extern "C" fn x_close(f: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        // A close leaves the writes in the OS's cache, as a real close does.
        let (real, _) = parts(f);
        let rc = (real_methods(real).xClose.unwrap())(real);
        ffi::sqlite3_free(real as *mut c_void);
        drop(Arc::from_raw((*(f as *mut CutFile)).seen));
        rc
    }
}

unsafe extern "C" fn x_read(
    f: *mut ffi::sqlite3_file,
    buf: *mut c_void,
    amt: c_int,
    off: i64,
) -> c_int {
    unsafe {
        let (_, seen) = parts(f);
        let s = seen.lock().unwrap();
        let out = std::slice::from_raw_parts_mut(buf as *mut u8, amt as usize);
        let off = off as usize;
        let have = s.data.len().saturating_sub(off).min(out.len());
        if have > 0 {
            out[..have].copy_from_slice(&s.data[off..off + have]);
        }
        if have < out.len() {
            out[have..].fill(0);
            return ffi::SQLITE_IOERR_SHORT_READ;
        }
        ffi::SQLITE_OK
    }
}

unsafe extern "C" fn x_write(
    f: *mut ffi::sqlite3_file,
    buf: *const c_void,
    amt: c_int,
    off: i64,
) -> c_int {
    if POWER_OFF.load(Ordering::SeqCst) {
        return ffi::SQLITE_OK;
    }
    unsafe {
        let (_, seen) = parts(f);
        let mut s = seen.lock().unwrap();
        let src = std::slice::from_raw_parts(buf as *const u8, amt as usize);
        if src.is_empty() {
            return ffi::SQLITE_OK;
        }
        let (from, to) = (off as usize, off as usize + src.len());
        if s.data.len() < to {
            s.data.resize(to, 0);
            s.resized = true;
        }
        s.data[from..to].copy_from_slice(src);
        s.dirty.extend(from / CHUNK..=(to - 1) / CHUNK);
        ffi::SQLITE_OK
    }
}

unsafe extern "C" fn x_truncate(f: *mut ffi::sqlite3_file, size: i64) -> c_int {
    if POWER_OFF.load(Ordering::SeqCst) {
        return ffi::SQLITE_OK;
    }
    unsafe {
        let (_, seen) = parts(f);
        let mut s = seen.lock().unwrap();
        s.data.truncate(size as usize);
        s.resized = true;
        ffi::SQLITE_OK
    }
}

unsafe extern "C" fn x_sync(f: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    if POWER_OFF.load(Ordering::SeqCst) {
        return ffi::SQLITE_OK;
    }
    unsafe {
        let (real, seen) = parts(f);
        let rc = flush(real, seen);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        (real_methods(real).xSync.unwrap())(real, flags)
    }
}

unsafe extern "C" fn x_file_size(f: *mut ffi::sqlite3_file, out: *mut i64) -> c_int {
    unsafe {
        let (_, seen) = parts(f);
        *out = seen.lock().unwrap().data.len() as i64;
        ffi::SQLITE_OK
    }
}

unsafe extern "C" fn x_lock(f: *mut ffi::sqlite3_file, l: c_int) -> c_int {
    unsafe {
        let (real, _) = parts(f);
        (real_methods(real).xLock.unwrap())(real, l)
    }
}

unsafe extern "C" fn x_unlock(f: *mut ffi::sqlite3_file, l: c_int) -> c_int {
    unsafe {
        let (real, _) = parts(f);
        (real_methods(real).xUnlock.unwrap())(real, l)
    }
}

unsafe extern "C" fn x_check_reserved(f: *mut ffi::sqlite3_file, out: *mut c_int) -> c_int {
    unsafe {
        let (real, _) = parts(f);
        (real_methods(real).xCheckReservedLock.unwrap())(real, out)
    }
}

/// No file controls: nothing may reach the real file behind the cache's back (a size
/// hint would grow it), and SQLite does without them.
unsafe extern "C" fn x_file_control(
    _f: *mut ffi::sqlite3_file,
    _op: c_int,
    _arg: *mut c_void,
) -> c_int {
    ffi::SQLITE_NOTFOUND
}

unsafe extern "C" fn x_sector_size(f: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let (real, _) = parts(f);
        (real_methods(real).xSectorSize.unwrap())(real)
    }
}

unsafe extern "C" fn x_device(f: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let (real, _) = parts(f);
        (real_methods(real).xDeviceCharacteristics.unwrap())(real)
    }
}

// The WAL index lives in shared memory, which a power cut loses whole: it is passed
// through, and the test deletes the -shm file after each cut.
unsafe extern "C" fn x_shm_map(
    f: *mut ffi::sqlite3_file,
    pg: c_int,
    sz: c_int,
    extend: c_int,
    out: *mut *mut c_void,
) -> c_int {
    unsafe {
        let (real, _) = parts(f);
        (real_methods(real).xShmMap.unwrap())(real, pg, sz, extend, out)
    }
}

unsafe extern "C" fn x_shm_lock(
    f: *mut ffi::sqlite3_file,
    off: c_int,
    n: c_int,
    flags: c_int,
) -> c_int {
    unsafe {
        let (real, _) = parts(f);
        (real_methods(real).xShmLock.unwrap())(real, off, n, flags)
    }
}

unsafe extern "C" fn x_shm_barrier(f: *mut ffi::sqlite3_file) {
    unsafe {
        let (real, _) = parts(f);
        (real_methods(real).xShmBarrier.unwrap())(real)
    }
}

unsafe extern "C" fn x_shm_unmap(f: *mut ffi::sqlite3_file, delete: c_int) -> c_int {
    unsafe {
        let (real, _) = parts(f);
        (real_methods(real).xShmUnmap.unwrap())(real, delete)
    }
}

static METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 2,
    xClose: Some(x_close),
    xRead: Some(x_read),
    xWrite: Some(x_write),
    xTruncate: Some(x_truncate),
    xSync: Some(x_sync),
    xFileSize: Some(x_file_size),
    xLock: Some(x_lock),
    xUnlock: Some(x_unlock),
    xCheckReservedLock: Some(x_check_reserved),
    xFileControl: Some(x_file_control),
    xSectorSize: Some(x_sector_size),
    xDeviceCharacteristics: Some(x_device),
    xShmMap: Some(x_shm_map),
    xShmLock: Some(x_shm_lock),
    xShmBarrier: Some(x_shm_barrier),
    xShmUnmap: Some(x_shm_unmap),
    xFetch: None,
    xUnfetch: None,
};

unsafe extern "C" fn x_open(
    _vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    f: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    unsafe {
        let rv = real_vfs();
        let cut = f as *mut CutFile;
        (*cut).base.pMethods = ptr::null();
        let real = ffi::sqlite3_malloc((*rv).szOsFile) as *mut ffi::sqlite3_file;
        if real.is_null() {
            return ffi::SQLITE_NOMEM;
        }
        ptr::write_bytes(real as *mut u8, 0, (*rv).szOsFile as usize);
        let rc = ((*rv).xOpen.unwrap())(rv, name, real, flags, out_flags);
        if rc != ffi::SQLITE_OK {
            ffi::sqlite3_free(real as *mut c_void);
            return rc;
        }
        // The cache's view of the file; what is on disk, when nothing is cached.
        let key = if name.is_null() {
            format!("temporary {real:p}")
        } else {
            CStr::from_ptr(name).to_string_lossy().to_string()
        };
        let seen = cache()
            .entry(key)
            .or_insert_with(|| {
                let m = real_methods(real);
                let mut size = 0i64;
                (m.xFileSize.unwrap())(real, &mut size);
                let mut data = vec![0u8; size as usize];
                for (i, chunk) in data.chunks_mut(CHUNK).enumerate() {
                    (m.xRead.unwrap())(
                        real,
                        chunk.as_mut_ptr() as *mut c_void,
                        chunk.len() as c_int,
                        (i * CHUNK) as i64,
                    );
                }
                Arc::new(Mutex::new(Seen {
                    data,
                    dirty: Default::default(),
                    resized: false,
                }))
            })
            .clone();
        (*cut).real = real;
        (*cut).seen = Arc::into_raw(seen);
        (*cut).base.pMethods = &METHODS;
        ffi::SQLITE_OK
    }
}

unsafe extern "C" fn x_delete(
    _vfs: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    sync_dir: c_int,
) -> c_int {
    if POWER_OFF.load(Ordering::SeqCst) {
        return ffi::SQLITE_OK;
    }
    unsafe {
        cache().remove(&*CStr::from_ptr(name).to_string_lossy());
        let rv = real_vfs();
        ((*rv).xDelete.unwrap())(rv, name, sync_dir)
    }
}

/// Registers the VFS once (not as the default).
fn register() {
    VFS.get_or_init(|| unsafe {
        let real = ffi::sqlite3_vfs_find(ptr::null());
        assert!(!real.is_null());
        let mut ours: ffi::sqlite3_vfs = *real;
        ours.iVersion = ours.iVersion.min(2);
        ours.szOsFile = std::mem::size_of::<CutFile>() as c_int;
        ours.zName = VFS_NAME.as_ptr();
        ours.pNext = ptr::null_mut();
        ours.xOpen = Some(x_open);
        ours.xDelete = Some(x_delete);
        ours.xSetSystemCall = None;
        ours.xGetSystemCall = None;
        ours.xNextSystemCall = None;
        let ours = Box::into_raw(Box::new(ours));
        assert_eq!(ffi::sqlite3_vfs_register(ours, 0), ffi::SQLITE_OK);
        (real as usize, ours as usize)
    });
}

fn open_cut(path: &Path, durability: Durability) -> Connection {
    let c = Connection::open_with_flags_and_vfs(path, OpenFlags::default(), VFS_NAME).unwrap();
    store::setup(&c, durability).unwrap();
    c
}

/// Cuts the power: the connections go away without their unsynced writes, and the
/// shared memory is gone.
fn power_cut(path: &Path, connections: Vec<Connection>) {
    POWER_OFF.store(true, Ordering::SeqCst);
    drop(connections);
    cache().clear();
    POWER_OFF.store(false, Ordering::SeqCst);
    let shm = path.with_file_name(format!(
        "{}-shm",
        path.file_name().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_file(shm);
}

const BATCH: usize = 200;

struct Outcome {
    /// The most sample commits lost at one cut, and over all cuts.
    most_lost: usize,
    lost: usize,
    committed: usize,
}

/// Rounds of commits and power cuts with the samples' connection at `durability`.
fn rounds(durability: Durability, rounds: usize, seed: u64) -> Outcome {
    register();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plantlog.db");
    drop(store::Db::open(&path).unwrap());

    let mut ts = 1_700_000_000_000i64;
    let mut kept_batches = 0usize; // batches in the database after the last cut
    let mut audit_acked = 0i64;
    let mut out = Outcome {
        most_lost: 0,
        lost: 0,
        committed: 0,
    };
    for round in 0..rounds {
        let mut samples = open_cut(&path, durability);
        let api = open_cut(&path, Durability::Full);
        let commits = rng.random_range(1..400);
        for i in 0..commits {
            let batch: Vec<Sample> = (0..BATCH as i64)
                .map(|t| Sample::good(t + 1, ts, (ts % 1000) as f64 / 4.0))
                .collect();
            ts += 100;
            let tx = samples.transaction().unwrap();
            store::raw::insert(&tx, &batch).unwrap();
            tx.commit().unwrap();
            out.committed += 1;
            if i % 97 == 96 {
                let entry = AuditEntry {
                    id: 0,
                    ts,
                    actor: "test".into(),
                    actor_id: None,
                    action: "test.ack".into(),
                    target: String::new(),
                    detail: format!("round {round} commit {i}"),
                    client: "local".into(),
                };
                audit::record(&api, &entry).unwrap();
                audit_acked += 1;
            }
        }
        let acked = kept_batches + commits;
        power_cut(&path, vec![samples, api]);

        let c = Connection::open(&path).unwrap();
        let ok: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            ok, "ok",
            "round {round}: integrity_check after the power cut"
        );
        let rows: i64 = c
            .query_row("SELECT coalesce(sum(n), 0) FROM samples_hot", [], |r| {
                r.get(0)
            })
            .unwrap();
        let rows = rows as usize;
        assert_eq!(
            rows % BATCH,
            0,
            "round {round}: a commit was torn ({rows} samples)"
        );
        let batches = rows / BATCH;
        assert!(
            batches <= acked,
            "round {round}: {batches} batches found, only {acked} committed"
        );
        assert!(
            batches >= kept_batches,
            "round {round}: commits kept at an earlier cut are gone"
        );
        let audit: i64 = c
            .query_row(
                "SELECT count(*) FROM audit WHERE action = 'test.ack'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            audit, audit_acked,
            "round {round}: an acknowledged audit record was lost"
        );
        let lost = acked - batches;
        out.most_lost = out.most_lost.max(lost);
        out.lost += lost;
        kept_batches = batches;
        // The next round goes on from the newest time kept, as the writer does.
        let newest: Option<i64> = c
            .query_row("SELECT max(last) FROM samples_hot", [], |r| r.get(0))
            .unwrap();
        ts = ts.max(newest.unwrap_or(0) + 100);
    }
    out
}

#[test]
fn a_power_cut_loses_no_acknowledged_commit_and_never_corrupts() {
    let n: usize = std::env::var("PLANTLOG_POWER_CUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let seed: u64 = rand::random();
    eprintln!("power cuts: {n} per durability, seed {seed}");
    let writer = rounds(store::WRITER_DURABILITY, n, seed);
    let normal = rounds(Durability::Normal, n, seed);
    eprintln!(
        "power cuts: the writer's durability ({:?}): {} of {} commits lost; \
         synchronous=NORMAL: {} of {} commits lost, at most {} at one cut ({} samples, {:.1} s of 200 tags at 10 Hz)",
        store::WRITER_DURABILITY,
        writer.lost,
        writer.committed,
        normal.lost,
        normal.committed,
        normal.most_lost,
        normal.most_lost * BATCH,
        (normal.most_lost * BATCH) as f64 / 2000.0,
    );
    assert_eq!(
        writer.lost, 0,
        "with the writer's durability every acknowledged commit survives a power cut"
    );
    // The simulation must be able to lose something, or it proves nothing: without a
    // sync per commit, commits are lost.
    assert!(
        normal.lost > 0,
        "a WAL database without a sync per commit lost nothing: the power cut is not simulated"
    );
}
