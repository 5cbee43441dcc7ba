//! `build --zip FILE`: the built site as one zip file, to hand out or upload. Unpacked,
//! it is one folder named after the organisation whose `index.html` opens the site
//! from disk, since every link in the site is relative.
//!
//! Takes the complete list of output files; writes the zip atomically (a temporary
//! file beside it, then rename), entries sorted, with a fixed date, so the same site
//! gives the same bytes. Photos and other compressed files are stored, the rest deflated.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::diag::{Action, Diagnostic, Hint, Message};
use crate::write::{Content, OutputFile};

/// Extensions of files that do not get smaller by deflating.
const COMPRESSED: [&str; 8] = ["jpg", "jpeg", "png", "webp", "gif", "zip", "woff2", "pdf"];

/// Writes `files` into the zip at `path`, under the folder `folder`.
pub fn write_zip(path: &Path, folder: &str, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let cannot = |e: &dyn std::fmt::Display| {
        Diagnostic::file(path, Message::CannotWriteZip { cause: e.to_string() })
            .with_hint(Hint::ZipFolder)
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.spiegel-tmp"));
    let result = (|| -> Result<(), Diagnostic> {
        let file = fs::File::create(&temporary).map_err(|e| cannot(&e))?;
        let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
        let mut sorted: Vec<&OutputFile> = files.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        for file in sorted {
            let bytes = match &file.content {
                Content::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
                Content::Parts(parts) => {
                    std::borrow::Cow::Owned(parts.join().map_err(|e| crate::spill::read_error(&e))?)
                }
                Content::Copy(source) => {
                    std::borrow::Cow::Owned(fs::read(source).map_err(|e| {
                        let cause = e.to_string();
                        Diagnostic::file(source, Message::CannotDo { action: Action::Read, cause })
                            .with_hint(Hint::FileStillExists)
                    })?)
                }
            };
            zip.start_file(format!("{folder}/{}", file.path), options(&file.path))
                .map_err(|e| cannot(&e))?;
            zip.write_all(&bytes).map_err(|e| cannot(&e))?;
        }
        let mut out = zip.finish().map_err(|e| cannot(&e))?;
        out.flush().map_err(|e| cannot(&e))?;
        drop(out);
        fs::rename(&temporary, path).map_err(|e| cannot(&e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

fn options(path: &str) -> SimpleFileOptions {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let method = if COMPRESSED.contains(&extension.as_str()) {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    };
    SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
}

/// Refuses a zip path inside the site's own folders, where the next build would
/// take it for content.
pub fn check_zip_path(root: &Path, zip: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let zip_abs = absolute(zip);
    let root_abs = fs::canonicalize(root).unwrap_or_else(|_| absolute(root));
    let parent = zip_abs.parent().and_then(|p| fs::canonicalize(p).ok()).unwrap_or_default();
    for folder in ["content", "static", "themes", "templates"] {
        if parent.starts_with(root_abs.join(folder)) {
            return Err(Diagnostic::file(zip, Message::ZipIntoSite { folder: folder.to_string() })
                .with_hint(Hint::ZipNextToSite));
        }
    }
    if zip_abs.is_dir() {
        return Err(Diagnostic::file(zip, Message::IsAFolder).with_hint(Hint::GiveFileName));
    }
    Ok(())
}
