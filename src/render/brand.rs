//! The organisation's colours, checked for contrast: WCAG 2.1 relative luminance and
//! contrast ratio, and a lighter variant of the primary colour for dark mode.
//!
//! Takes `organisation.colours.primary` from the config; hands on a [`Brand`] for the
//! templates, or a diagnostic at its line in `site.yaml` when the colour is not a colour
//! or has too little contrast for text on the theme's backgrounds (or white text on it).

use serde::Serialize;

use crate::config::Config;
use crate::diag::{Diagnostic, Hint, Message};

/// The default theme's light backgrounds (`--surface` and `--bg` in style.css), on
/// which the primary colour is used for links and headings.
const LIGHT_BACKGROUNDS: [(&str, Rgb); 2] =
    [("#ffffff", Rgb(0xff, 0xff, 0xff)), ("#fbfaf7", Rgb(0xfb, 0xfa, 0xf7))];

/// The dark-mode backgrounds (`--bg` and `--surface` in style.css's dark block).
const DARK_BACKGROUNDS: [Rgb; 2] = [Rgb(0x17, 0x1a, 0x1c), Rgb(0x22, 0x27, 0x2a)];

/// WCAG 2.1 AA for normal text.
const MIN_CONTRAST: f64 = 4.5;

/// The colours templates put into the page's custom properties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Brand {
    /// The primary colour as `#rrggbb`.
    pub primary: String,
    /// The primary colour lightened until it reads on the dark-mode backgrounds.
    pub primary_dark: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rgb(u8, u8, u8);

impl Rgb {
    /// `#rgb` or `#rrggbb`, either case.
    fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            3 => {
                let d: Vec<u8> = hex.chars().filter_map(|c| channel(&c.to_string())).collect();
                Some(Rgb(d[0] * 17, d[1] * 17, d[2] * 17))
            }
            6 => Some(Rgb(channel(&hex[0..2])?, channel(&hex[2..4])?, channel(&hex[4..6])?)),
            _ => None,
        }
    }

    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance, WCAG 2.1.
    fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// `self` moved `amount` (0..=1) of the way towards `other`.
    fn mix(self, other: Rgb, amount: f64) -> Rgb {
        let m =
            |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * amount).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The ratio as people read it, never rounded up to the threshold: 4.47 → `4.4`.
fn ratio_text(ratio: f64) -> String {
    format!("{:.1}", (ratio * 10.0).floor() / 10.0)
}

/// The lowest contrast of `colour` on the light backgrounds, with that background's name.
fn worst_light_contrast(colour: Rgb) -> (f64, &'static str) {
    LIGHT_BACKGROUNDS
        .iter()
        .map(|&(name, bg)| (contrast(colour, bg), name))
        .fold((f64::INFINITY, ""), |worst, c| if c.0 < worst.0 { c } else { worst })
}

/// The first shade of `colour`, mixed towards `target` in steps of 1%, that `passes`.
fn nearest_passing(colour: Rgb, target: Rgb, passes: impl Fn(Rgb) -> bool) -> Rgb {
    (0..=100)
        .map(|step| colour.mix(target, f64::from(step) / 100.0))
        .find(|&c| passes(c))
        .unwrap_or(target)
}

/// Checks the site's primary colour and derives its dark-mode variant.
pub fn brand(config: &Config) -> Result<Brand, Diagnostic> {
    let text = &config.organisation.colours.primary;
    let at = |message: Message| {
        let (line, col) =
            value_position(&config.source_text, &["organisation", "colours", "primary"]);
        Diagnostic::new(crate::config::FILE_NAME, line, col, message)
            .with_source(&config.source_text)
    };
    let Some(primary) = Rgb::parse(text) else {
        return Err(at(Message::NotAColour { value: text.clone() }).with_hint(Hint::ColourForm));
    };
    let (ratio, background) = worst_light_contrast(primary);
    if ratio < MIN_CONTRAST {
        let black = Rgb(0, 0, 0);
        let fix = nearest_passing(primary, black, |c| worst_light_contrast(c).0 >= MIN_CONTRAST);
        return Err(at(Message::LowContrast {
            colour: primary.hex(),
            ratio: ratio_text(ratio),
            min: MIN_CONTRAST.to_string(),
            background: background.to_string(),
        })
        .with_hint(Hint::DarkerShade { colour: fix.hex() }));
    }
    let white = Rgb(0xff, 0xff, 0xff);
    let dark = nearest_passing(primary, white, |c| {
        DARK_BACKGROUNDS.iter().all(|&bg| contrast(c, bg) >= MIN_CONTRAST)
    });
    Ok(Brand { primary: primary.hex(), primary_dark: dark.hex() })
}

/// Line and column of the value of a nested key in `site.yaml`, or of the nearest key.
fn value_position(text: &str, keys: &[&str]) -> (usize, usize) {
    let (line, col) = crate::config::locate(text, keys);
    let Some(source) = text.lines().nth(line.saturating_sub(1)) else { return (line, col) };
    let key = keys.last().copied().unwrap_or_default();
    let rest = &source[(col - 1).min(source.len())..];
    match rest.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
        Some(value) => {
            let skipped = key.chars().count() + 1 + value.chars().take_while(|c| *c == ' ').count();
            (line, col + skipped)
        }
        None => (line, col),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config(primary: &str) -> Config {
        let text = format!("title: X\norganisation:\n  colours:\n    primary: \"{primary}\"\n");
        crate::config::parse(&text, Path::new("site.yaml")).unwrap()
    }

    #[test]
    fn contrast_ratios_match_wcag() {
        let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
        assert_eq!(format!("{:.2}", contrast(black, white)), "21.00");
        assert_eq!(format!("{:.2}", contrast(Rgb(0x77, 0x77, 0x77), white)), "4.48");
        assert_eq!(ratio_text(4.499), "4.4");
        assert_eq!(Rgb::parse("#1F5"), Some(Rgb(0x11, 0xff, 0x55)));
        assert_eq!(Rgb::parse("1f5f7a"), None);
        assert_eq!(Rgb::parse("#1f5f7g"), None);
    }

    #[test]
    fn the_default_colour_passes_and_gets_a_dark_variant() {
        let brand = brand(&config("#1f5f7a")).unwrap();
        assert_eq!(brand.primary, "#1f5f7a");
        let dark = Rgb::parse(&brand.primary_dark).unwrap();
        for bg in DARK_BACKGROUNDS {
            assert!(contrast(dark, bg) >= MIN_CONTRAST, "{}", brand.primary_dark);
        }
    }

    #[test]
    fn a_light_colour_is_an_error_at_its_line_with_the_ratio() {
        let d = brand(&config("#88aacc")).unwrap_err();
        assert_eq!(
            d.headline(crate::diag::Lang::En),
            "site.yaml:4:14: primary colour #88aacc: contrast 2.3:1 is below 4.5:1 against the background #fbfaf7"
        );
        let Some(crate::diag::Hint::DarkerShade { colour: shade }) = d.hint.as_deref().cloned()
        else {
            panic!("{:?}", d.hint)
        };
        assert!(worst_light_contrast(Rgb::parse(&shade).unwrap()).0 >= MIN_CONTRAST, "{shade}");
    }

    #[test]
    fn a_non_colour_is_an_error() {
        let d = brand(&config("blauw")).unwrap_err();
        assert_eq!(d.headline(crate::diag::Lang::En), "site.yaml:4:14: \"blauw\" is not a colour");
    }

    #[test]
    fn backgrounds_match_the_default_theme() {
        let css = super::super::builtin::DEFAULT_THEME
            .iter()
            .find(|(p, _)| *p == "static/style.css")
            .map(|(_, t)| *t)
            .unwrap();
        for needle in ["--surface: #ffffff", "--bg: #fbfaf7", "--bg: #171a1c", "--surface: #22272a"]
        {
            assert!(css.contains(needle), "style.css must define {needle}");
        }
    }
}
