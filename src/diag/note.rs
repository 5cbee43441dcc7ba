//! The catalogue of what spiegel tells the writer besides problems: what a build, a
//! check, `init`, `new` or the preview did, and the count that closes a list of
//! problems, in every language spiegel speaks.
//!
//! Like [`super::Message`], a [`Note`] holds the facts and is written out in the
//! site's language with [`Note::text`], its three languages side by side.

use super::Lang;

/// What happened, with the facts its text needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Closes the list of problems of a build or check.
    NothingWritten {
        problems: usize,
    },
    /// Closes the list of problems of a rebuild in the preview.
    StillServing {
        problems: usize,
    },
    /// The title of the preview's error overlay.
    OverlayTitle {
        problems: usize,
    },
    Checked {
        pages: usize,
    },
    Built {
        pages: usize,
        files: usize,
        written: usize,
        unchanged: usize,
        removed: usize,
        output: String,
        ms: u128,
    },
    Photos {
        processed: usize,
        cached: usize,
    },
    Open {
        path: String,
    },
    BuiltZip {
        pages: usize,
        files: usize,
        zip: String,
    },
    UnpackZip,
    WroteSite {
        organisation: String,
        dir: String,
        files: usize,
    },
    Next,
    WroteEntry {
        path: String,
    },
    Serving {
        root: String,
        url: String,
    },
    PublicAddress {
        bind: String,
    },
    Rebuilt {
        change: Change,
        rendered: usize,
        pages: usize,
        files: usize,
        ms: u128,
    },
    /// The preview's page for an address the site has no page for (without a 404.html).
    NotFound,
    /// `path` is HTML already, escaped.
    NoPageAt {
        path: String,
    },
    ToHome,
}

/// What a rebuild of the preview was for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    FirstBuild,
    One(String),
    Many(usize),
}

/// `n problem(s)` in `lang`.
fn problems(lang: Lang, n: usize) -> String {
    let one = n == 1;
    tr!(
        lang,
        nl("{n} {}", if one { "probleem" } else { "problemen" }),
        fr("{n} {}", if one { "problème" } else { "problèmes" }),
        en("{n} {}", if one { "problem" } else { "problems" })
    )
}

impl Note {
    /// The note in `lang`. One match over every note, so that the compiler refuses a
    /// note without its text; `tr!` refuses one without a language.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Note::NothingWritten { problems: n } => {
                let p = problems(lang, *n);
                let found = if *n == 1 { "trouvé" } else { "trouvés" };
                tr!(lang,
                    nl("{p} gevonden; er is niets geschreven."),
                    fr("{p} {found} ; rien n'a été écrit."),
                    en("{p} found; nothing was written."))
            }
            Note::StillServing { problems: n } => {
                let p = problems(lang, *n);
                let found = if *n == 1 { "trouvé" } else { "trouvés" };
                tr!(lang,
                    nl("{p} gevonden; je ziet nog de laatste goede versie."),
                    fr("{p} {found} ; l'aperçu montre encore la dernière bonne version."),
                    en("{p} found; still serving the last good build."))
            }
            Note::OverlayTitle { problems: n } => {
                let p = problems(lang, *n);
                tr!(lang,
                    nl("{p} in de site; je ziet de laatste goede versie."),
                    fr("{p} dans le site ; voici la dernière bonne version."),
                    en("{p} in the site; this is the last good build."))
            }
            Note::Checked { pages: n } => {
                let one = *n == 1;
                tr!(lang,
                    nl("{n} {} nagekeken: geen problemen gevonden", if one { "pagina" } else { "pagina's" }),
                    fr("{n} {} : aucun problème trouvé", if one { "page vérifiée" } else { "pages vérifiées" }),
                    en("checked {n} {}: no problems found", if one { "page" } else { "pages" }))
            }
            Note::Built { pages, files, written, unchanged, removed, output, ms } => {
                let one = *pages == 1;
                tr!(lang,
                    nl("{pages} {} gebouwd ({files} bestanden: {written} geschreven, {unchanged} ongewijzigd, {removed} verwijderd) in {output} in {ms} ms", if one { "pagina" } else { "pagina's" }),
                    fr("{pages} {} ({files} fichiers : {written} écrits, {unchanged} inchangés, {removed} supprimés) dans {output} en {ms} ms", if one { "page construite" } else { "pages construites" }),
                    en("built {pages} {} ({files} files: {written} written, {unchanged} unchanged, {removed} removed) into {output} in {ms} ms", if one { "page" } else { "pages" }))
            }
            Note::Photos { processed, cached } => tr!(lang,
                nl("foto's: {processed} verwerkt, {cached} ongewijzigd (uit de cache)"),
                fr("photos : {processed} traitées, {cached} inchangées (depuis le cache)"),
                en("photos: {processed} processed, {cached} unchanged (from the cache)")),
            Note::Open { path } => tr!(lang, nl("open {path}"), fr("ouvrez {path}"), en("open {path}")),
            Note::BuiltZip { pages, files, zip } => {
                let one = *pages == 1;
                tr!(lang,
                    nl("{pages} {} gebouwd ({files} bestanden) in {zip}", if one { "pagina" } else { "pagina's" }),
                    fr("{pages} {} ({files} fichiers) dans {zip}", if one { "page construite" } else { "pages construites" }),
                    en("built {pages} {} ({files} files) into {zip}", if one { "page" } else { "pages" }))
            }
            Note::UnpackZip => tr!(lang,
                nl("pak het uit en open index.html in de map, of zet de map online"),
                fr("décompressez-le et ouvrez index.html dans son dossier, ou mettez le dossier en ligne"),
                en("unpack it and open index.html in its folder, or upload the folder")),
            Note::WroteSite { organisation, dir, files } => tr!(lang,
                nl("een nieuwe site voor {organisation} staat in {dir} ({files} bestanden)"),
                fr("un nouveau site pour {organisation} a été écrit dans {dir} ({files} fichiers)"),
                en("wrote a new site for {organisation} into {dir} ({files} files)")),
            Note::Next => tr!(lang, nl("en nu:"), fr("ensuite :"), en("next:")),
            Note::WroteEntry { path } => tr!(lang,
                nl("{path} is geschreven"),
                fr("{path} a été écrit"),
                en("wrote {path}")),
            Note::Serving { root, url } => tr!(lang,
                nl("{root} is te zien op {url} (Ctrl-C stopt)"),
                fr("{root} est visible sur {url} (Ctrl-C pour arrêter)"),
                en("serving {root} at {url} (Ctrl-C stops)")),
            Note::PublicAddress { bind } => tr!(lang,
                nl("let op: spiegel luistert op {bind}: elk toestel dat deze computer bereikt, kan de voorvertoning openen"),
                fr("attention : spiegel écoute sur {bind} : tout appareil qui peut joindre cet ordinateur peut ouvrir l'aperçu"),
                en("warning: listening on {bind}: every device that can reach this computer can open the preview")),
            Note::NotFound => tr!(lang, nl("Niet gevonden"), fr("Page introuvable"), en("Not found")),
            Note::NoPageAt { path } => tr!(lang,
                nl("De site heeft geen pagina op <code>{path}</code>."),
                fr("Le site n'a pas de page à l'adresse <code>{path}</code>."),
                en("The site has no page at <code>{path}</code>.")),
            Note::ToHome => tr!(lang, nl("Naar de startpagina"), fr("Vers la page d'accueil"), en("To the home page")),
            Note::Rebuilt { change, rendered, pages, files, ms } => {
                let what = change.text(lang);
                tr!(lang,
                    nl("{what}: {rendered} van {pages} pagina's opnieuw gemaakt, {files} bestanden gewijzigd ({ms} ms)"),
                    fr("{what} : {rendered} pages sur {pages} refaites, {files} fichiers modifiés ({ms} ms)"),
                    en("{what}: rendered {rendered} of {pages} pages, {files} files changed ({ms} ms)"))
            }
        }
    }
}

impl Change {
    fn text(&self, lang: Lang) -> String {
        match self {
            Change::FirstBuild => {
                tr!(lang, nl("eerste versie"), fr("première version"), en("first build"))
            }
            Change::One(path) => {
                tr!(lang, nl("{path} gewijzigd"), fr("{path} modifié"), en("{path} changed"))
            }
            Change::Many(n) => tr!(
                lang,
                nl("{n} bestanden gewijzigd"),
                fr("{n} fichiers modifiés"),
                en("{n} files changed")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_page_is_one_page() {
        let built = |pages| Note::Built {
            pages,
            files: 9,
            written: 9,
            unchanged: 0,
            removed: 0,
            output: "public".into(),
            ms: 5,
        };
        assert!(built(1).text(Lang::Nl).starts_with("1 pagina gebouwd ("));
        assert!(built(2).text(Lang::Nl).starts_with("2 pagina's gebouwd ("));
        assert!(built(1).text(Lang::Fr).starts_with("1 page construite ("));
        assert!(built(1).text(Lang::En).starts_with("built 1 page ("));
        let zip = Note::BuiltZip { pages: 1, files: 3, zip: "site.zip".into() };
        assert_eq!(zip.text(Lang::Nl), "1 pagina gebouwd (3 bestanden) in site.zip");
    }
}
