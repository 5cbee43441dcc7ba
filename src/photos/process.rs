//! Cleaning and resizing photos, through a cache: every JPEG, PNG and WebP in the
//! output is decoded, turned upright by its EXIF orientation and encoded anew (the
//! encoders write no metadata), at its own size and at the planned smaller widths.
//!
//! Takes the output files and the plan; hands on the output files with each photo
//! replaced by its cleaned file and its versions added. Results are kept in
//! `ROOT/.spiegel-cache/photos/`, named by a hash of the photo's bytes, so an
//! unchanged photo is never processed again; the folder can be deleted at any time.
//! Photos are processed in parallel.

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder as _};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::{photo_format, scaled_height, Photos, Version};
use crate::diag::{Diagnostic, Diagnostics, Hint, Message};
use crate::write::{Content, OutputFile};

/// The cache folder under the site root.
pub const CACHE_DIR: &str = ".spiegel-cache";

/// Changes whenever processing changes, so older cached files are not used.
const PROCESSING: &str = "spiegel photos 1: upright, no metadata, jpeg q82, catmull-rom";

const JPEG_QUALITY: u8 = 82;

/// How many photos were processed and how many came from the cache.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PhotoStats {
    pub processed: usize,
    pub cached: usize,
}

/// One photo to publish: its output path, bytes and the smaller versions it needs.
struct Job<'a> {
    path: &'a str,
    content: &'a Content,
    resized: &'a [Version],
}

/// Replaces every photo in `files` by its cleaned file, and adds the resized versions.
pub fn process(
    root: &Path,
    files: Vec<OutputFile>,
    photos: &Photos,
) -> Result<(Vec<OutputFile>, PhotoStats), Diagnostics> {
    let cache = root.join(CACHE_DIR).join("photos");
    let (jobs, mut others): (Vec<OutputFile>, Vec<OutputFile>) =
        files.into_iter().partition(|f| photo_format(&f.path).is_some());
    let results: Vec<Result<(Vec<OutputFile>, bool), Diagnostic>> = jobs
        .par_iter()
        .map(|file| {
            let resized = photos.planned.get(&file.path).map_or(&[][..], |p| &p.resized[..]);
            run(root, &cache, &Job { path: &file.path, content: &file.content, resized })
        })
        .collect();
    let mut stats = PhotoStats::default();
    let mut diagnostics = Diagnostics::new();
    for result in results {
        match result {
            Ok((outputs, from_cache)) => {
                others.extend(outputs);
                if from_cache {
                    stats.cached += 1;
                } else {
                    stats.processed += 1;
                }
            }
            Err(d) => diagnostics.push(d),
        }
    }
    others.sort_by(|a, b| a.path.cmp(&b.path));
    diagnostics.into_result((others, stats))
}

/// Publishes one photo: from the cache when it is there, else processed and cached.
/// Returns its output files and whether they all came from the cache.
fn run(root: &Path, cache: &Path, job: &Job<'_>) -> Result<(Vec<OutputFile>, bool), Diagnostic> {
    let shown = |content: &Content| match content {
        Content::Copy(source) => source.strip_prefix(root).unwrap_or(source).to_path_buf(),
        Content::Bytes(_) | Content::Parts(_) => PathBuf::from(job.path),
    };
    let bytes = match job.content {
        Content::Bytes(bytes) => bytes.clone(),
        Content::Parts(parts) => parts.join().map_err(|e| {
            Diagnostic::file(shown(job.content), Message::CannotReadPhoto { cause: e.to_string() })
        })?,
        Content::Copy(source) => fs::read(source).map_err(|e| {
            Diagnostic::file(shown(job.content), Message::CannotReadPhoto { cause: e.to_string() })
                .with_hint(Hint::CheckFile)
        })?,
    };
    let format = photo_format(job.path).unwrap_or_default();
    let key = cache_key(&bytes);
    let names: Vec<(String, PathBuf)> =
        std::iter::once((job.path.to_string(), cache.join(format!("{key}-full.{format}"))))
            .chain(
                job.resized
                    .iter()
                    .map(|v| (v.path.clone(), cache.join(format!("{key}-{}w.{format}", v.width)))),
            )
            .collect();
    if names.iter().all(|(_, cached)| cached.is_file()) {
        let outputs = names
            .into_iter()
            .map(|(path, cached)| OutputFile { path, content: Content::Copy(cached) })
            .collect();
        return Ok((outputs, true));
    }
    let encoded = clean_and_resize(&bytes, &format, job.resized).map_err(|e| {
        Diagnostic::file(shown(job.content), Message::CannotProcessPhoto { cause: e.to_string() })
            .with_hint(Hint::SaveAgain)
    })?;
    let outputs = names
        .into_iter()
        .zip(encoded)
        .map(|((path, cached), bytes)| OutputFile { path, content: keep(&cached, bytes) })
        .collect();
    Ok((outputs, false))
}

/// A hash of the processing and the photo's bytes, as 32 hex digits.
fn cache_key(bytes: &[u8]) -> String {
    let digest = Sha256::new().chain_update(PROCESSING).chain_update(bytes).finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Stores an encoded file in the cache and refers to it there; when the cache cannot
/// be written (a read-only folder), the bytes stay in memory.
fn keep(cached: &Path, bytes: Vec<u8>) -> Content {
    let temporary = cached.with_extension("spiegel-tmp");
    let stored = cached.parent().map_or(Ok(()), fs::create_dir_all).and_then(|()| {
        fs::write(&temporary, &bytes)?;
        fs::rename(&temporary, cached)
    });
    match stored {
        Ok(()) => Content::Copy(cached.to_path_buf()),
        Err(_) => {
            let _ = fs::remove_file(&temporary);
            Content::Bytes(bytes)
        }
    }
}

/// The photo upright and without metadata, then each resized version, encoded.
fn clean_and_resize(
    bytes: &[u8],
    format: &str,
    resized: &[Version],
) -> image::ImageResult<Vec<Vec<u8>>> {
    let mut decoder =
        image::ImageReader::new(Cursor::new(bytes)).with_guessed_format()?.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut photo = DynamicImage::from_decoder(decoder)?;
    photo.apply_orientation(orientation);
    let mut encoded = vec![encode(&photo, format)?];
    for version in resized {
        // The plan computed the height from the header; the same rule gives the same size.
        let height = scaled_height(photo.width(), photo.height(), version.width);
        let smaller = photo.resize_exact(version.width, height, FilterType::CatmullRom);
        encoded.push(encode(&smaller, format)?);
    }
    Ok(encoded)
}

fn encode(photo: &DynamicImage, format: &str) -> image::ImageResult<Vec<u8>> {
    let mut out = Vec::new();
    match format {
        "png" => photo.write_with_encoder(PngEncoder::new(&mut out))?,
        "webp" => DynamicImage::ImageRgba8(photo.to_rgba8())
            .write_with_encoder(WebPEncoder::new_lossless(&mut out))?,
        _ => DynamicImage::ImageRgb8(photo.to_rgb8())
            .write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))?,
    }
    Ok(out)
}
