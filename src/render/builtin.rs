//! The default theme, built into the binary, so that a site without a `themes/default`
//! folder (a fresh `init`, a test fixture) still builds with the real default theme.
//!
//! Hands on the theme's files as (path under the theme folder, text) pairs: templates,
//! static files (CSS and the small scripts) and language files, all text. A test
//! checks that this list and `themes/default/` hold the same files.

/// Files of `themes/default/`, by path relative to that folder.
pub const DEFAULT_THEME: &[(&str, &str)] = &[
    ("i18n/en.yaml", include_str!("../../themes/default/i18n/en.yaml")),
    ("i18n/fr.yaml", include_str!("../../themes/default/i18n/fr.yaml")),
    ("i18n/nl.yaml", include_str!("../../themes/default/i18n/nl.yaml")),
    ("static/highlight.css", include_str!("../../themes/default/static/highlight.css")),
    ("static/lunch.js", include_str!("../../themes/default/static/lunch.js")),
    ("static/picker.js", include_str!("../../themes/default/static/picker.js")),
    ("static/print.js", include_str!("../../themes/default/static/print.js")),
    ("static/selection.js", include_str!("../../themes/default/static/selection.js")),
    ("static/style.css", include_str!("../../themes/default/static/style.css")),
    ("static/surprise.js", include_str!("../../themes/default/static/surprise.js")),
    ("templates/404.html", include_str!("../../themes/default/templates/404.html")),
    ("templates/_backlinks.html", include_str!("../../themes/default/templates/_backlinks.html")),
    ("templates/_card.html", include_str!("../../themes/default/templates/_card.html")),
    ("templates/_entry_head.html", include_str!("../../themes/default/templates/_entry_head.html")),
    ("templates/_facets.html", include_str!("../../themes/default/templates/_facets.html")),
    ("templates/_label.html", include_str!("../../themes/default/templates/_label.html")),
    ("templates/_meta.html", include_str!("../../themes/default/templates/_meta.html")),
    (
        "templates/_method_steps.html",
        include_str!("../../themes/default/templates/_method_steps.html"),
    ),
    ("templates/_panel.html", include_str!("../../themes/default/templates/_panel.html")),
    ("templates/_picker.html", include_str!("../../themes/default/templates/_picker.html")),
    ("templates/_properties.html", include_str!("../../themes/default/templates/_properties.html")),
    ("templates/_sequence.html", include_str!("../../themes/default/templates/_sequence.html")),
    ("templates/_source.html", include_str!("../../themes/default/templates/_source.html")),
    ("templates/base.html", include_str!("../../themes/default/templates/base.html")),
    ("templates/book.html", include_str!("../../themes/default/templates/book.html")),
    (
        "templates/building_block.html",
        include_str!("../../themes/default/templates/building_block.html"),
    ),
    ("templates/card.html", include_str!("../../themes/default/templates/card.html")),
    ("templates/home.html", include_str!("../../themes/default/templates/home.html")),
    ("templates/inspiration.html", include_str!("../../themes/default/templates/inspiration.html")),
    ("templates/kind_index.html", include_str!("../../themes/default/templates/kind_index.html")),
    ("templates/macros.html", include_str!("../../themes/default/templates/macros.html")),
    ("templates/method.html", include_str!("../../themes/default/templates/method.html")),
    ("templates/page.html", include_str!("../../themes/default/templates/page.html")),
    ("templates/search.html", include_str!("../../themes/default/templates/search.html")),
    ("templates/section.html", include_str!("../../themes/default/templates/section.html")),
    ("templates/selection.html", include_str!("../../themes/default/templates/selection.html")),
    ("templates/taxonomy.html", include_str!("../../themes/default/templates/taxonomy.html")),
    ("templates/vision.html", include_str!("../../themes/default/templates/vision.html")),
];

/// Asserts that `files` holds exactly the files of `folder` (relative to the crate),
/// with the same text: for the lists of files built into the binary.
#[cfg(test)]
pub(crate) fn assert_embedded_matches(folder: &str, files: &[(&str, &str)], list: &str) {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut on_disk: Vec<String> = walkdir::WalkDir::new(&folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(&folder).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    on_disk.sort();
    let mut built_in: Vec<String> = files.iter().map(|(p, _)| p.to_string()).collect();
    built_in.sort();
    assert_eq!(built_in, on_disk, "update {list} to list every file of {}", folder.display());
    for (path, text) in files {
        assert_eq!(&std::fs::read_to_string(folder.join(path)).unwrap(), text, "{path}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_the_theme_folder() {
        super::assert_embedded_matches(
            "themes/default",
            super::DEFAULT_THEME,
            "src/render/builtin.rs",
        );
    }
}
