//! The languages spiegel speaks to the people who write a site's content, and how the
//! language of a site is found for its messages.
//!
//! Takes a site folder (or a language code); hands on a [`Lang`] that the message
//! catalogue ([`super::Message`], [`super::Hint`]) writes its texts in. A site whose
//! settings cannot be read still gets its messages in the language it names, when its
//! `language:` line can be found; else in Dutch.

use std::path::Path;

/// A language of the message catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Dutch, the default.
    #[default]
    Nl,
    Fr,
    En,
}

impl Lang {
    /// Every language, in the order the catalogue lists them.
    pub const ALL: [Lang; 3] = [Lang::Nl, Lang::Fr, Lang::En];

    /// The language of an ISO 639-1 code such as `fr` (also `fr-BE`, `FR`).
    pub fn from_code(code: &str) -> Option<Lang> {
        let base = code.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match base.as_str() {
            "nl" => Some(Lang::Nl),
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The language of the site in `root`: its `language:` setting, read even when the
    /// rest of `site.yaml` is broken; Dutch when there is none we speak.
    pub fn of_site(root: &Path) -> Lang {
        std::fs::read_to_string(root.join(crate::config::FILE_NAME))
            .ok()
            .and_then(|text| Lang::from_code(&language_setting(&text)?))
            .unwrap_or_default()
    }
}

/// The value of the top-level `language:` key: by YAML when the file parses, else from
/// the first line that sets it, so a typo elsewhere does not change the language.
fn language_setting(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Language {
        language: Option<String>,
    }
    if let Ok(Language { language }) = serde_yaml::from_str::<Language>(text) {
        return language;
    }
    text.lines().find_map(|line| {
        let value = line.strip_prefix("language:")?;
        let value = value.split(" #").next().unwrap_or(value).trim();
        Some(value.trim_matches(['"', '\'']).to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_language_of_broken_settings() {
        let cases = [
            ("language: fr\n", Some("fr")),
            ("title: x\nlanguage: \"en\" # English\n", Some("en")),
            ("title: [unclosed\nlanguage: fr  # comment\n", Some("fr")),
            ("kinds:\n  language: en\n", None),
            ("title: x\n", None),
        ];
        for (text, want) in cases {
            assert_eq!(language_setting(text).as_deref(), want, "{text}");
        }
        assert_eq!(Lang::from_code("fr-BE"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("de"), None);
    }
}
