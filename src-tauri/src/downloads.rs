//! Downloads inside the window (CSV exports, the configuration file, reports): a native
//! save dialog asks where, starting in the Downloads folder with the name the server or
//! page suggested; cancelling it cancels the download. The file still comes from the
//! core's HTTP API through the webview, as in a browser: no second data path.

use std::path::{Path, PathBuf};

use tauri::webview::DownloadEvent;
use tauri::{Runtime, Webview};

/// The handler for `WebviewWindowBuilder::on_download`.
pub fn on_download<R: Runtime>(webview: Webview<R>, event: DownloadEvent<'_>) -> bool {
    match event {
        DownloadEvent::Requested { url, destination } => {
            let (dir, name) = split_suggestion(destination);
            tracing::info!("download of {url} asks where to save {name}");
            if let Ok(path) = std::env::var("PLANTLOG_DESKTOP_SAVE_TO") {
                // Tests: no dialog, save where the variable says.
                *destination = PathBuf::from(path);
                return true;
            }
            let window = webview.window();
            let picked = rfd::FileDialog::new()
                .set_title("Save as")
                .set_directory(&dir)
                .set_file_name(&name)
                .set_parent(&window)
                .save_file();
            match picked {
                Some(path) => {
                    *destination = path;
                    true
                }
                None => {
                    tracing::info!("download of {url} cancelled");
                    false
                }
            }
        }
        DownloadEvent::Finished { url, path, success } => {
            if success {
                tracing::info!("downloaded {url} to {:?}", path.unwrap_or_default());
            } else {
                tracing::warn!("the download of {url} failed");
            }
            true
        }
        _ => true,
    }
}

/// The folder and file name the webview suggests (its Downloads folder and the name
/// from the answer), with fallbacks when either is missing.
pub fn split_suggestion(destination: &Path) -> (PathBuf, String) {
    let name = destination
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "plantlog-download".into());
    let dir = destination
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .or_else(dirs_download)
        .unwrap_or_else(std::env::temp_dir);
    (dir, name)
}

fn dirs_download() -> Option<PathBuf> {
    std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" })
        .map(|h| PathBuf::from(h).join("Downloads"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suggested_name_and_folder_are_kept() {
        let (dir, name) = split_suggestion(Path::new("/home/op/Downloads/samples.csv"));
        assert_eq!(dir, PathBuf::from("/home/op/Downloads"));
        assert_eq!(name, "samples.csv");
        let (_, name) = split_suggestion(Path::new(""));
        assert_eq!(name, "plantlog-download");
    }
}
