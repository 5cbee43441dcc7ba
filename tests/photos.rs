//! Photos: published upright and without any metadata, resized (never upscaled) with
//! `srcset`, `width`, `height` and lazy loading; missing images are errors at their
//! line; processing is cached; `check` writes no cache.

mod support;

use std::fs;
use std::path::Path;

use image::{GenericImageView, ImageFormat, Rgb, RgbImage};
use support::{assert_all_links_resolve, TempSite};

/// The markers of a JPEG's segments before the image data.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], [0xFF, 0xD8], "a JPEG starts with SOI");
    let mut markers = Vec::new();
    let mut i = 2;
    while bytes[i + 1] != 0xDA {
        assert_eq!(bytes[i], 0xFF, "a segment at {i}");
        markers.push(bytes[i + 1]);
        i += 2 + usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
    }
    markers
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Asserts the JPEG has no EXIF, XMP, IPTC or comment: only JFIF and image segments.
fn assert_no_metadata(bytes: &[u8]) {
    for marker in jpeg_markers(bytes) {
        assert!(!(0xE1..=0xEF).contains(&marker) && marker != 0xFE, "metadata segment {marker:#x}");
    }
    for text in [&b"Exif"[..], b"SpiegelCam", b"Kinderopvang 3000", b"2025:03:14"] {
        assert!(!contains(bytes, text), "{}", String::from_utf8_lossy(text));
    }
}

fn colour_near(pixel: [u8; 3], want: [u8; 3]) -> bool {
    pixel.iter().zip(want).all(|(&p, w)| p.abs_diff(w) < 40)
}

#[test]
fn a_phone_photo_comes_out_upright_without_any_metadata() {
    let site = TempSite::fixture("photos");
    let source = fs::read(site.root().join("content/verhalen/gps-orientation.jpg")).unwrap();
    assert!(contains(&source, b"Exif") && contains(&source, b"SpiegelCam"), "the fixture has EXIF");
    assert!(jpeg_markers(&source).contains(&0xE1));
    site.build_ok();
    let published = fs::read(site.out().join("verhalen/gps-orientation.jpg")).unwrap();
    assert_no_metadata(&published);
    let photo = image::load_from_memory_with_format(&published, ImageFormat::Jpeg).unwrap();
    assert_eq!(photo.dimensions(), (80, 120), "turned upright");
    let at = |x, y| photo.to_rgb8().get_pixel(x, y).0;
    assert!(colour_near(at(10, 10), [30, 30, 220]), "blue top-left: {:?}", at(10, 10));
    assert!(colour_near(at(70, 10), [220, 30, 30]), "red top-right: {:?}", at(70, 10));
    assert!(colour_near(at(10, 110), [230, 220, 30]), "yellow bottom-left: {:?}", at(10, 110));
    assert!(colour_near(at(70, 110), [30, 200, 30]), "green bottom-right: {:?}", at(70, 110));
    let page = site.read("verhalen/toren/index.html");
    assert!(page.contains("<img src=\"../../verhalen/gps-orientation.jpg\" srcset=\"../../verhalen/gps-orientation.jpg 80w\" sizes=\"(min-width: 46rem) 43rem, 100vw\" width=\"80\" height=\"120\" alt=\"Twee peuters bouwen een toren van blokken\" title=\"De toren\" loading=\"lazy\" decoding=\"async\">"), "{page}");
    assert_all_links_resolve(&site.out());
}

fn write_image(path: &Path, width: u32, height: u32, format: ImageFormat) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let image =
        RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    image.save_with_format(path, format).unwrap();
}

#[test]
fn photos_are_resized_never_upscaled() {
    let site = TempSite::new();
    site.write(
        "content/_index.md",
        "# Home\n\n![Breed](breed.png) ![Middel](middel.jpg) ![Klein](/fotos/klein.jpg)\n",
    );
    write_image(&site.root().join("content/breed.png"), 2000, 1000, ImageFormat::Png);
    write_image(&site.root().join("content/middel.jpg"), 1000, 750, ImageFormat::Jpeg);
    write_image(&site.root().join("static/fotos/klein.jpg"), 600, 400, ImageFormat::Jpeg);
    let report = site.build_ok();
    assert_eq!((report.photos.processed, report.photos.cached), (3, 0));
    let size = |path: &str| image::image_dimensions(site.out().join(path)).unwrap();
    assert_eq!(size("breed.png"), (2000, 1000));
    assert_eq!(size("breed-800w.png"), (800, 400));
    assert_eq!(size("breed-1600w.png"), (1600, 800));
    assert_eq!(size("middel-800w.jpg"), (800, 600));
    assert_eq!(size("middel.jpg"), (1000, 750));
    assert_eq!(size("fotos/klein.jpg"), (600, 400));
    for absent in ["middel-1600w.jpg", "fotos/klein-800w.jpg"] {
        assert!(!site.out().join(absent).exists(), "{absent} would be upscaled");
    }
    let home = site.read("index.html");
    assert!(home.contains("<img src=\"breed-800w.png\" srcset=\"breed-800w.png 800w, breed-1600w.png 1600w\" sizes=\"(min-width: 46rem) 43rem, 100vw\" width=\"1600\" height=\"800\" alt=\"Breed\""), "{home}");
    assert!(home.contains(
        "<img src=\"middel-800w.jpg\" srcset=\"middel-800w.jpg 800w, middel.jpg 1000w\""
    ));
    assert!(home.contains("<img src=\"fotos/klein.jpg\" srcset=\"fotos/klein.jpg 600w\" sizes=\"(min-width: 46rem) 43rem, 100vw\" width=\"600\" height=\"400\" alt=\"Klein\" loading=\"lazy\""));
    assert_all_links_resolve(&site.out());
}

#[test]
fn every_published_photo_is_cleaned_even_when_no_page_shows_it() {
    let site = TempSite::fixture("photos");
    let photo = fs::read(site.root().join("content/verhalen/gps-orientation.jpg")).unwrap();
    fs::create_dir_all(site.root().join("static/fotos")).unwrap();
    fs::write(site.root().join("static/fotos/los.JPG"), &photo).unwrap();
    fs::write(site.root().join("content/verhalen/bijlage.jpeg"), &photo).unwrap();
    site.build_ok();
    for path in ["fotos/los.JPG", "verhalen/bijlage.jpeg"] {
        let published = fs::read(site.out().join(path)).unwrap();
        assert_no_metadata(&published);
        assert_eq!(image::load_from_memory(&published).unwrap().dimensions(), (80, 120), "{path}");
    }
}

#[test]
fn a_missing_image_is_an_error_at_its_line() {
    let site = TempSite::fixture("photos");
    site.write(
        "content/verhalen/toren.md",
        "---\ntitle: Toren\n---\n\nTekst.\n\n![Toren](gps-orientatie.jpg) en ![Logo](/logo.png)\n",
    );
    let problems = site.build_err();
    assert_eq!(
        problems,
        [
            "content/verhalen/toren.md:7:1: de afbeelding \"gps-orientatie.jpg\" is niet gevonden",
            "content/verhalen/toren.md:7:33: de afbeelding \"/logo.png\" is niet gevonden",
        ]
    );
    let diagnostics = spiegel::check(&site.root()).unwrap_err().into_sorted();
    let hint = diagnostics[0].hint_text(spiegel::diag::Lang::Nl).unwrap();
    assert!(hint.starts_with("er is geen bestand content/verhalen/gps-orientatie.jpg (bedoel je \"gps-orientation.jpg\"?)"), "{hint}");
}

#[test]
fn an_unchanged_photo_is_not_processed_again() {
    let site = TempSite::fixture("photos");
    assert!(spiegel::check(&site.root()).is_ok());
    assert!(!site.root().join(".spiegel-cache").exists(), "check writes no cache");
    let first = site.build_ok();
    assert_eq!((first.photos.processed, first.photos.cached), (1, 0));
    let cached: Vec<_> = fs::read_dir(site.root().join(".spiegel-cache/photos"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    // Had it been processed again, the output would not be these bytes.
    fs::write(&cached[0], b"from the cache").unwrap();
    let second = site.build_ok();
    assert_eq!((second.photos.processed, second.photos.cached), (0, 1));
    assert_eq!(
        fs::read(site.out().join("verhalen/gps-orientation.jpg")).unwrap(),
        b"from the cache"
    );
    // A changed photo is processed anew.
    write_image(
        &site.root().join("content/verhalen/gps-orientation.jpg"),
        90,
        60,
        ImageFormat::Jpeg,
    );
    let third = site.build_ok();
    assert_eq!((third.photos.processed, third.photos.cached), (1, 0));
    assert_eq!(
        image::image_dimensions(site.out().join("verhalen/gps-orientation.jpg")).unwrap(),
        (90, 60)
    );
}
