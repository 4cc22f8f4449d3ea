//! Folders of an installed Plantlog: the service's data folder (ProgramData on Windows,
//! /var/lib on Linux), logs and crash records inside a data folder, and the path-length
//! check for Windows, where the bundled SQLite opens no path longer than MAX_PATH.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Name of the folder under ProgramData (Windows) or /var/lib (Linux).
pub const SERVICE_FOLDER_WINDOWS: &str = "Plantlog";
pub const SERVICE_FOLDER_LINUX: &str = "/var/lib/plantlog";

/// The data folder of the Plantlog service: `%ProgramData%\Plantlog` on Windows (every
/// user's, readable by the desktop app of any user), `/var/lib/plantlog` on Linux.
pub fn service_data_dir() -> PathBuf {
    service_data_dir_from(cfg!(windows), std::env::var_os("ProgramData"))
}

/// [`service_data_dir`] with the OS and `%ProgramData%` given, for tests.
pub fn service_data_dir_from(windows: bool, program_data: Option<OsString>) -> PathBuf {
    if windows {
        let base = program_data
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(r"C:\ProgramData"));
        base.join(SERVICE_FOLDER_WINDOWS)
    } else {
        PathBuf::from(SERVICE_FOLDER_LINUX)
    }
}

/// The log files of a data folder.
pub fn logs_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// The crash records of a data folder.
pub fn crash_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("crash")
}

/// The longest database path the bundled SQLite opens on Windows (MAX_PATH less the
/// terminating NUL; SQLite's Windows VFS does not use `\\?\` long paths).
pub const WINDOWS_MAX_DB_PATH: usize = 259;

#[derive(Debug, thiserror::Error)]
#[error(
    "the data folder {dir} is too long for Windows: the database path would be {len} characters, at most {max} work. Choose a shorter folder (for example D:\\Plantlog) with --data-dir"
)]
pub struct PathTooLong {
    pub dir: PathBuf,
    pub len: usize,
    pub max: usize,
}

/// Checks that the data folder's database path is short enough for Windows. On other
/// systems every path passes. A folder on another drive (`D:\Plantlog`) or a UNC share
/// is fine as long as it is short enough.
pub fn check_data_dir(dir: &Path) -> Result<(), PathTooLong> {
    check_data_dir_for(cfg!(windows), dir)
}

/// [`check_data_dir`] with the OS given, for tests.
pub fn check_data_dir_for(windows: bool, dir: &Path) -> Result<(), PathTooLong> {
    if !windows {
        return Ok(());
    }
    // plantlog.db-wal is the longest file SQLite opens in the folder.
    let len = dir.as_os_str().to_string_lossy().encode_utf16().count() + "\\plantlog.db-wal".len();
    if len > WINDOWS_MAX_DB_PATH {
        return Err(PathTooLong {
            dir: dir.to_path_buf(),
            len,
            max: WINDOWS_MAX_DB_PATH,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_folder_is_under_program_data_on_windows() {
        let d = service_data_dir_from(true, Some(r"D:\ProgramData".into()));
        assert_eq!(d, PathBuf::from(r"D:\ProgramData").join("Plantlog"));
        let d = service_data_dir_from(true, None);
        assert_eq!(d, PathBuf::from(r"C:\ProgramData").join("Plantlog"));
        let d = service_data_dir_from(true, Some("".into()));
        assert_eq!(d, PathBuf::from(r"C:\ProgramData").join("Plantlog"));
        assert_eq!(
            service_data_dir_from(false, Some("x".into())),
            PathBuf::from("/var/lib/plantlog")
        );
    }

    #[test]
    fn long_windows_data_folders_are_refused_with_their_length() {
        assert!(check_data_dir_for(true, Path::new(r"D:\Plantlog")).is_ok());
        assert!(check_data_dir_for(true, Path::new(r"\\server\share\Plantlog")).is_ok());
        let long = format!(r"C:\{}", "a".repeat(250));
        let err = check_data_dir_for(true, Path::new(&long)).unwrap_err();
        assert!(err.len > WINDOWS_MAX_DB_PATH);
        assert!(err.to_string().contains("D:\\Plantlog"), "{err}");
        // Elsewhere any length is fine.
        assert!(check_data_dir_for(false, Path::new(&long)).is_ok());
    }
}
