//! Photos: the images a page shows, found in its Markdown, resolved to files, and
//! published safely. These are photos of children in a childcare location, so every
//! published JPEG, PNG and WebP is decoded and encoded anew: the EXIF orientation is
//! applied and all metadata (GPS position, camera, dates) is left behind.
//!
//! [`plan`] takes the loaded site and hands on, per page, the images its Markdown shows
//! (by offset, for `markdown`), each with its resized versions (800 and 1600 px wide,
//! never upscaled) and their sizes, read from the file's header only; a missing image
//! is a diagnostic at its line. [`process::process`] (build only, never `check`) turns
//! every photo in the output into its cleaned and resized files, through a cache.

pub mod process;

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use image::metadata::Orientation;
use image::ImageDecoder as _;
use pulldown_cmark::{Event, Parser, Tag};
use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Hint, LineIndex, Message};
use crate::load::{Page, Site, CONTENT_DIR};
use crate::markdown::options;
use crate::slug::suggestion;

/// The widths photos are resized to, when they are wider.
pub const WIDTHS: [u32; 2] = [800, 1600];

/// The site's own static folder, for images written as `/fotos/x.jpg`.
const STATIC_DIR: &str = "static";

/// Whether a file is a photo spiegel cleans and resizes, by its extension.
pub fn is_photo(path: &str) -> bool {
    photo_format(path).is_some()
}

/// The lowercase extension of a photo: `jpg`, `jpeg`, `png` or `webp`.
fn photo_format(path: &str) -> Option<String> {
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    ["jpg", "jpeg", "png", "webp"].contains(&extension.as_str()).then_some(extension)
}

/// One published file of a photo, site-relative.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub path: String,
    pub width: u32,
    pub height: u32,
}

/// An image a page shows, at `offset` in its body.
#[derive(Debug, Clone, PartialEq)]
pub struct PageImage {
    pub offset: usize,
    /// Site-relative path of the `src`: the smallest version of a photo.
    pub src: String,
    /// For photos: every version to choose from, narrowest first.
    pub srcset: Vec<Version>,
}

/// A referenced photo: where it comes from and the resized versions it needs.
#[derive(Debug, Clone)]
pub struct Planned {
    pub source: PathBuf,
    /// Versions besides the photo itself (which keeps its path and size).
    pub resized: Vec<Version>,
}

/// What `plan` found.
#[derive(Debug, Default)]
pub struct Photos {
    /// Per page, like `site.pages`: its images, by offset.
    pub pages: Vec<Vec<PageImage>>,
    /// Output path of each referenced photo → its plan.
    pub planned: BTreeMap<String, Planned>,
}

/// Finds and resolves the images of every page.
pub fn plan(root: &Path, site: &Site, diagnostics: &mut Diagnostics) -> Photos {
    plan_kept(root, site, (&mut Plans::default(), false), diagnostics)
}

/// Each page's plan at the last [`plan_kept`], by the address of the loaded page it was
/// made from (held here, so that no other page takes that address).
#[derive(Default)]
pub struct Plans(HashMap<usize, (Arc<Page>, Arc<PagePlan>)>);

/// Like [`plan`], taking a page's plan from `kept` while it is the same loaded page and
/// `reuse` holds: no file but Markdown changed since, so every image resolves as it did.
/// A plan with problems, or that shows a Markdown file, is made again every time.
pub fn plan_kept(
    root: &Path,
    site: &Site,
    (kept, reuse): (&mut Plans, bool),
    diagnostics: &mut Diagnostics,
) -> Photos {
    let key = |page: &Arc<Page>| Arc::as_ptr(page) as usize;
    let results: Vec<Arc<PagePlan>> = site
        .pages
        .par_iter()
        .map(|page| match kept.0.get(&key(page)).filter(|_| reuse) {
            Some((_, plan)) => Arc::clone(plan),
            None => Arc::new(plan_page(root, page)),
        })
        .collect();
    let mut photos = Photos::default();
    let mut plans = HashMap::with_capacity(results.len());
    for (page, plan) in site.pages.iter().zip(results) {
        let (images, planned, problems) = &*plan;
        photos.pages.push(images.clone());
        photos.planned.extend(planned.iter().cloned());
        diagnostics.extend(problems.iter().cloned());
        let shows_markdown = images.iter().any(|i| i.src.to_ascii_lowercase().ends_with(".md"));
        if problems.is_empty() && !shows_markdown {
            plans.insert(key(page), (Arc::clone(page), plan));
        }
    }
    kept.0 = plans;
    photos
}

type PagePlan = (Vec<PageImage>, Vec<(String, Planned)>, Vec<Diagnostic>);

fn plan_page(root: &Path, page: &Page) -> PagePlan {
    let mut plan: PagePlan = Default::default();
    // Every Markdown image starts with `![`: most pages need no parsing here.
    if page.source.as_os_str().is_empty() || !page.body().contains("![") {
        return plan;
    }
    let lines = LineIndex::new(&page.text);
    for (event, range) in Parser::new_ext(page.body(), options()).into_offset_iter() {
        let Event::Start(Tag::Image { dest_url, .. }) = event else { continue };
        let Some(wanted) = local_path(&dest_url) else { continue };
        let (line, col) = lines.position(&page.text, page.body_start + range.start);
        let at = |message: Message| {
            Diagnostic::new(&page.source, line, col, message).with_source(&page.text)
        };
        match resolve(root, page, &wanted).map_err(|(m, h)| at(*m).with_hint(h)) {
            Ok((source, output)) => match image_for(range.start, &source, &output) {
                Ok((image, planned)) => {
                    plan.0.push(image);
                    plan.1.extend(planned.map(|p| (output, p)));
                }
                Err(e) => plan.2.push(
                    at(Message::CannotReadImage { image: wanted.clone(), cause: e.to_string() })
                        .with_hint(Hint::SaveAgain),
                ),
            },
            Err(d) => plan.2.push(d),
        }
    }
    plan
}

/// The local file an image address names, percent-decoded; `None` for web addresses.
fn local_path(dest: &str) -> Option<String> {
    let has_scheme = dest.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme || dest.starts_with("//") || dest.is_empty() {
        return None;
    }
    let path = dest.split(['?', '#']).next().unwrap_or(dest);
    Some(percent_decode(path))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The file an image names and its site-relative output path: relative to the
/// Markdown file, or with a leading `/` from `static/` (then `content/`).
fn resolve(
    root: &Path,
    page: &Page,
    wanted: &str,
) -> Result<(PathBuf, String), (Box<Message>, Hint)> {
    let candidates: Vec<PathBuf> = match wanted.strip_prefix('/') {
        Some(from_root) => {
            vec![Path::new(STATIC_DIR).join(from_root), Path::new(CONTENT_DIR).join(from_root)]
        }
        None => vec![page.source.parent().unwrap_or(Path::new(CONTENT_DIR)).join(wanted)],
    };
    for candidate in &candidates {
        let Some(relative) = normalise(candidate) else { continue };
        let output = [STATIC_DIR, CONTENT_DIR]
            .iter()
            .find_map(|dir| relative.strip_prefix(dir).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"));
        let Some(output) = output.filter(|o| !o.is_empty()) else {
            return Err((
                Box::new(Message::ImageOutsideSite { image: wanted.to_string() }),
                Hint::PutPhotoNextTo,
            ));
        };
        if root.join(&relative).is_file() {
            return Ok((root.join(&relative), output));
        }
    }
    let first = normalise(&candidates[0]).unwrap_or_else(|| candidates[0].clone());
    let message = Box::new(Message::ImageNotFound { image: wanted.to_string() });
    Err((message, missing_hint(root, &first)))
}

/// `a/./b/../c` → `a/c`; `None` when `..` climbs above the site.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            // The guard climbs one folder; only climbing above the site fails.
            Component::ParentDir if !out.pop() => return None,
            Component::Normal(p) => out.push(p),
            _ => {}
        }
    }
    Some(out)
}

fn missing_hint(root: &Path, wanted: &Path) -> Hint {
    let siblings: Vec<String> = wanted
        .parent()
        .and_then(|dir| std::fs::read_dir(root.join(dir)).ok())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let name = wanted.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let suggestion = suggestion(&name, siblings.iter().map(String::as_str));
    Hint::NoSuchPhoto { path: wanted.to_string_lossy().replace('\\', "/"), suggestion }
}

/// The page image for a resolved file, and the plan of a photo.
fn image_for(
    offset: usize,
    source: &Path,
    output: &str,
) -> Result<(PageImage, Option<Planned>), image::ImageError> {
    let Some(format) = photo_format(output) else {
        let image = PageImage { offset, src: output.to_string(), srcset: Vec::new() };
        return Ok((image, None));
    };
    let (width, height) = upright_size(source)?;
    let resized: Vec<Version> = WIDTHS
        .iter()
        .filter(|&&w| w < width)
        .map(|&w| Version {
            path: resized_path(output, w, &format),
            width: w,
            height: scaled_height(width, height, w),
        })
        .collect();
    let mut srcset = resized.clone();
    if width <= WIDTHS[WIDTHS.len() - 1] {
        srcset.push(Version { path: output.to_string(), width, height });
    }
    let image = PageImage { offset, src: srcset[0].path.clone(), srcset };
    Ok((image, Some(Planned { source: source.to_path_buf(), resized })))
}

/// `fotos/toren.jpg`, 800 → `fotos/toren-800w.jpg`.
fn resized_path(output: &str, width: u32, format: &str) -> String {
    let stem = &output[..output.len() - format.len() - 1];
    format!("{stem}-{width}w.{}", &output[output.len() - format.len()..])
}

/// The height of a `width`-wide version of a `w`×`h` photo, rounded, at least 1.
pub fn scaled_height(w: u32, h: u32, width: u32) -> u32 {
    let scaled = (u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w.max(1));
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// The size of a photo as shown, its EXIF orientation applied, from its header.
fn upright_size(source: &Path) -> Result<(u32, u32), image::ImageError> {
    let mut decoder = image::ImageReader::open(source)?.with_guessed_format()?.into_decoder()?;
    let (w, h) = decoder.dimensions();
    Ok(match decoder.orientation()? {
        Orientation::Rotate90
        | Orientation::Rotate270
        | Orientation::Rotate90FlipH
        | Orientation::Rotate270FlipH => (h, w),
        _ => (w, h),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(local_path("foto%20kind.jpg?x=1"), Some("foto kind.jpg".into()));
        assert_eq!(local_path("https://example.org/a.jpg"), None);
        assert_eq!(local_path("data:image/png;base64,xx"), None);
        assert_eq!(
            normalise(Path::new("content/a/../b/./c.jpg")),
            Some(PathBuf::from("content/b/c.jpg"))
        );
        assert_eq!(normalise(Path::new("content/../../x.jpg")), None);
    }

    #[test]
    fn versions() {
        assert_eq!(resized_path("a/Toren.JPG", 800, "jpg"), "a/Toren-800w.JPG");
        assert_eq!(scaled_height(4000, 3000, 800), 600);
        assert_eq!(scaled_height(1001, 333, 800), 266);
        assert_eq!(scaled_height(5000, 1, 800), 1);
    }
}
