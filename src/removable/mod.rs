//! Removable drives (USB sticks) and writing to them so that what arrives can be
//! trusted: [`drives`] lists them (Windows: drive type removable, with label and free
//! space; Linux: mounted removable block devices under /media and /run/media);
//! [`write`] puts a set of staged files into a folder on one, checking free space and
//! the FAT32 file limit first, writing each under a temporary name then renaming it,
//! flushing, reading every file back against its SHA-256, with MANIFEST.txt and
//! SHA256SUMS, progress and cancel.
//!
//! Headless and knows nothing of what it writes: the core stages the files (reports,
//! samples, configuration, audit log) and audits the export. Imports no other room.

pub mod write;

use std::path::{Path, PathBuf};

use serde::Serialize;

/// A removable drive, mounted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Drive {
    /// Where files go: "E:\\" or "/media/anna/STICK".
    pub path: String,
    /// The volume's label; empty when it has none.
    pub label: String,
    pub free_bytes: u64,
    pub total_bytes: u64,
    /// "vfat", "exfat", "ntfs", "FAT32", ...
    pub filesystem: String,
}

/// The removable drives mounted now, then the folders named in the environment
/// variable `PLANTLOG_EXTRA_DRIVES` (separated as PATH is), each shown as a drive: a
/// stick the listing cannot see (a card reader that says it is fixed), and the
/// end-to-end tests, whose machine has no stick.
pub fn drives() -> Vec<Drive> {
    #[cfg(windows)]
    let mut out = windows_drives();
    #[cfg(not(windows))]
    let mut out = {
        let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
        linux_drives(
            &mounts,
            Path::new("/sys/block"),
            Path::new("/dev/disk/by-label"),
        )
    };
    if let Some(extra) = std::env::var_os("PLANTLOG_EXTRA_DRIVES") {
        for p in std::env::split_paths(&extra).filter(|p| p.is_dir()) {
            out.push(Drive {
                label: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                free_bytes: fs4::available_space(&p).unwrap_or(0),
                total_bytes: fs4::total_space(&p).unwrap_or(0),
                filesystem: "folder".to_string(),
                path: p.display().to_string(),
            });
        }
    }
    out
}

/// Undoes /proc/mounts' octal escapes ("\040" is a space).
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The whole disk a partition belongs to: "sdb1" -> "sdb", "mmcblk0p1" -> "mmcblk0",
/// "loop3" -> "loop3".
fn disk_of(dev: &str, sys_block: &Path) -> String {
    if sys_block.join(dev).exists() {
        return dev.to_string();
    }
    let t = dev.trim_end_matches(|c: char| c.is_ascii_digit());
    let t2 = t.strip_suffix('p').unwrap_or(t);
    if sys_block.join(t2).exists() { t2 } else { t }.to_string()
}

/// The removable drives in `mounts` (the text of /proc/mounts): block devices mounted
/// under /media or /run/media whose disk says removable in `sys_block`
/// (/sys/block/DISK/removable), with their label from `by_label` (/dev/disk/by-label).
pub fn linux_drives(mounts: &str, sys_block: &Path, by_label: &Path) -> Vec<Drive> {
    let labels: Vec<(String, PathBuf)> = std::fs::read_dir(by_label)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let target = std::fs::canonicalize(e.path()).ok()?;
                    Some((unescape(&e.file_name().to_string_lossy()), target))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    for line in mounts.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 3 || !f[0].starts_with("/dev/") {
            continue;
        }
        let dir = unescape(f[1]);
        if !(dir.starts_with("/media/") || dir.starts_with("/run/media/")) {
            continue;
        }
        let dev = f[0].trim_start_matches("/dev/");
        let disk = disk_of(dev, sys_block);
        let removable = std::fs::read_to_string(sys_block.join(&disk).join("removable"))
            .map(|s| s.trim() == "1")
            .unwrap_or(false);
        if !removable {
            continue;
        }
        let label = labels
            .iter()
            .find(|(_, t)| t == Path::new(f[0]))
            .map(|(l, _)| l.clone())
            .unwrap_or_else(|| {
                Path::new(&dir)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
        out.push(Drive {
            free_bytes: fs4::available_space(&dir).unwrap_or(0),
            total_bytes: fs4::total_space(&dir).unwrap_or(0),
            path: dir,
            label,
            filesystem: f[2].to_string(),
        });
    }
    out
}

#[cfg(windows)]
fn windows_drives() -> Vec<Drive> {
    use windows_sys::Win32::Storage::FileSystem::{
        GetDiskFreeSpaceExW, GetDriveTypeW, GetLogicalDrives, GetVolumeInformationW,
    };
    const DRIVE_REMOVABLE: u32 = 2;
    let wide = |s: &str| s.encode_utf16().chain(Some(0)).collect::<Vec<u16>>();
    let text = |b: &[u16]| {
        let n = b.iter().position(|c| *c == 0).unwrap_or(b.len());
        String::from_utf16_lossy(&b[..n])
    };
    let mask = unsafe { GetLogicalDrives() };
    let mut out = Vec::new();
    for i in 0..26u32 {
        if mask & (1 << i) == 0 {
            continue;
        }
        let root = format!("{}:\\", (b'A' + i as u8) as char);
        let w = wide(&root);
        // SAFETY: `w` is a NUL-terminated UTF-16 string that outlives the call.
        if unsafe { GetDriveTypeW(w.as_ptr()) } != DRIVE_REMOVABLE {
            continue;
        }
        let mut label = [0u16; 261];
        let mut fs = [0u16; 261];
        // SAFETY: the buffers' lengths are passed; the null pointers are optional outputs.
        let ok = unsafe {
            GetVolumeInformationW(
                w.as_ptr(),
                label.as_mut_ptr(),
                label.len() as u32,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                fs.as_mut_ptr(),
                fs.len() as u32,
            )
        };
        if ok == 0 {
            // No medium in the drive (a card reader without a card).
            continue;
        }
        let (mut free, mut total) = (0u64, 0u64);
        // SAFETY: pointers to two u64 outputs; the third output is optional.
        unsafe { GetDiskFreeSpaceExW(w.as_ptr(), &mut free, &mut total, std::ptr::null_mut()) };
        out.push(Drive {
            path: root,
            label: text(&label),
            free_bytes: free,
            total_bytes: total,
            filesystem: text(&fs),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linux_drives_are_the_removable_disks_mounted_under_media() {
        let sys = tempfile::tempdir().unwrap();
        let labels = tempfile::tempdir().unwrap();
        for (disk, removable) in [("sdb", "1"), ("sda", "0"), ("mmcblk0", "1")] {
            std::fs::create_dir_all(sys.path().join(disk)).unwrap();
            std::fs::write(
                sys.path().join(disk).join("removable"),
                format!("{removable}\n"),
            )
            .unwrap();
        }
        let media = tempfile::tempdir().unwrap();
        let m = media.path().display().to_string();
        let mounts = format!(
            "/dev/sda2 / ext4 rw 0 0\n\
             /dev/sda3 /media/anna/DATA ext4 rw 0 0\n\
             /dev/sdb1 /media/anna/PLANT\\040STICK vfat rw 0 0\n\
             /dev/mmcblk0p1 /run/media/anna/CARD exfat rw 0 0\n\
             tmpfs /media/tmp tmpfs rw 0 0\n\
             /dev/sdb1 {m} vfat rw 0 0\n"
        );
        let d = linux_drives(&mounts, sys.path(), labels.path());
        let paths: Vec<_> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["/media/anna/PLANT STICK", "/run/media/anna/CARD"]);
        assert_eq!(d[0].label, "PLANT STICK");
        assert_eq!(d[0].filesystem, "vfat");
        assert_eq!(d[1].filesystem, "exfat");
    }
}
