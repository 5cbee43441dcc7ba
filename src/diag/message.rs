//! The catalogue of problems spiegel reports, in every language it speaks.
//!
//! Stages build a [`Message`] value with the facts of the problem (names, values,
//! counts); the text is written only when a diagnostic is shown, in the site's
//! language. Each variant names its Dutch, French and English text side by side in
//! [`Message::text`], so a message cannot be added without all three. Text quoted
//! from other programs (an operating system error, a YAML or template parser) is
//! kept as it came, after a lead sentence in the reader's language.

use super::{Lang, YamlDetail};

/// What went wrong, with the facts the text needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Message {
    // site.yaml
    CannotReadSettings {
        cause: String,
    },
    YamlSyntax {
        detail: YamlDetail,
    },
    FolderUsedTwice {
        folder: String,
    },
    InvalidSlug {
        value: String,
    },
    OneOfWithoutValues {
        field: String,
    },
    ReferenceWithoutKind {
        field: String,
    },
    NoKind {
        name: String,
        suggestion: Option<String>,
    },
    CleanUrlsNeedBaseUrl,
    KindFolderNotPlain {
        kind: String,
        folder: String,
    },
    NotAnOrigin {
        origin: String,
    },
    // content files
    NoContentFolder,
    FileNameNotUtf8,
    LinkOutsideSite,
    LinkLoop,
    CannotReadFile {
        cause: String,
    },
    FrontMatterNotClosed,
    /// A page's file is not what it was when the build read it.
    ChangedDuringBuild,
    NotUtf8Text,
    DuplicateSlug {
        slug: String,
        other: String,
    },
    TabIndentation,
    InvalidFrontMatter {
        detail: YamlDetail,
    },
    FrontMatterKeysPlain,
    FrontMatterNotMap,
    MoreUnknownValues {
        count: usize,
    },
    MissingField {
        field: String,
        label: String,
    },
    WrongType {
        field: String,
        expected: Expected,
        found: Found,
    },
    UnknownValue {
        value: String,
        field: String,
        suggestion: Option<String>,
    },
    // links
    MoreBrokenLinks {
        count: usize,
    },
    AmbiguousSlug {
        target: String,
    },
    NoPage {
        target: String,
        suggestion: Option<String>,
    },
    NoHeading {
        fragment: String,
        page: Option<String>,
        suggestion: Option<String>,
    },
    UnknownReference {
        kind: String,
        field: String,
        target: String,
        suggestion: Option<String>,
    },
    // theme and templates
    ThemeNotFound {
        theme: String,
    },
    LogoNotInStatic {
        logo: String,
    },
    TemplatesDoNotFit {
        detail: String,
    },
    CannotReadTemplate {
        cause: String,
    },
    KindTemplateMissing {
        kind: String,
        template: String,
    },
    TemplateError {
        detail: String,
    },
    /// The same problem on many pages, reported once.
    OnPages {
        message: Box<Message>,
        count: usize,
    },
    NoUiStrings {
        language: String,
    },
    NoUiString {
        key: String,
        file: String,
    },
    NotAColour {
        value: String,
    },
    LowContrast {
        colour: String,
        ratio: String,
        min: String,
        background: String,
    },
    BookTakesPlace {
        url: String,
        page: String,
    },
    SelectionAddress {
        url: String,
    },
    ListingTakesPlace {
        url: String,
        label: String,
    },
    // what makes a page hard to read
    SkippedHeading {
        level: usize,
        previous: usize,
    },
    ImageWithoutAlt,
    LinkWithoutTarget,
    LinkWithoutText,
    VagueLinkText {
        text: String,
    },
    // photos
    ImageOutsideSite {
        image: String,
    },
    ImageNotFound {
        image: String,
    },
    CannotReadImage {
        image: String,
        cause: String,
    },
    CannotReadPhoto {
        cause: String,
    },
    CannotProcessPhoto {
        cause: String,
    },
    // writing the site, the zip, new entries and starters
    WriteIntoSite,
    OutputIsFile,
    RefuseWrite {
        why: Refusal,
    },
    CannotDo {
        action: Action,
        cause: String,
    },
    OutputNotOurs,
    CannotWriteZip {
        cause: String,
    },
    ZipIntoSite {
        folder: String,
    },
    IsAFolder,
    IsAFile,
    TitleWithoutLetters {
        title: String,
    },
    CannotWriteEntry {
        cause: String,
    },
    AlreadyExists,
    NoStarter {
        language: String,
    },
    FolderNotEmpty,
    // the preview server
    CannotOpenSiteFolder {
        cause: String,
    },
    CannotListen {
        cause: String,
    },
    CannotStartServer {
        cause: String,
    },
    CannotWatch {
        cause: String,
    },
}

/// What a front matter value should have been.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expected {
    Text,
    Date,
    TrueOrFalse,
    Number,
    List,
    ListOfWords,
    ListOfSlugs,
    OneValue,
}

/// What a front matter value was instead.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Found {
    Nothing,
    Bool(bool),
    Number(String),
    Text(String),
    List,
    Group,
}

/// Why a file is not written into the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Refusal {
    LeavesOutput,
    LinkOnTheWay,
}

/// What could not be done with a file, for [`Message::CannotDo`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Read,
    Write,
    CreateFolder,
    ReplaceFolder,
    ReadOutput,
    CreateOutput,
    RemoveOld,
}

/// ` (did you mean "x"?)`, or nothing without a suggestion.
pub(super) fn did_you_mean(lang: Lang, suggestion: &Option<String>) -> String {
    let Some(s) = suggestion else { return String::new() };
    tr!(
        lang,
        nl(" (bedoel je \"{s}\"?)"),
        fr(" (vouliez-vous dire « {s} » ?)"),
        en(" (did you mean \"{s}\"?)")
    )
}

/// `a, b or c` in `lang`.
pub(super) fn one_of(lang: Lang, items: &[String]) -> String {
    let or = tr!(lang, nl(" of "), fr(" ou "), en(" or "));
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}{or}{last}", rest.join(", ")),
        _ => items.join(""),
    }
}

impl Message {
    /// The message in `lang`. One match over every message, so that the compiler
    /// refuses a message without its text; `tr!` refuses one without a language.
    pub fn text(&self, lang: Lang) -> String {
        use Message as M;
        match self {
            M::CannotReadSettings { cause } => tr!(lang,
                nl("de instellingen van de site zijn niet te lezen: {cause}"),
                fr("impossible de lire les réglages du site : {cause}"),
                en("cannot read the site settings: {cause}")),
            M::YamlSyntax { detail } => {
                let detail = detail.text(lang);
                tr!(lang,
                    nl("hier klopt de schrijfwijze niet: {detail}"),
                    fr("l'écriture n'est pas correcte ici : {detail}"),
                    en("{detail}"))
            }
            M::FolderUsedTwice { folder } => tr!(lang,
                nl("twee soorten gebruiken de map \"{folder}\""),
                fr("deux types de contenu utilisent le dossier « {folder} »"),
                en("two kinds use the folder \"{folder}\"")),
            M::InvalidSlug { value } => tr!(lang,
                nl("\"{value}\" is geen geldige slug"),
                fr("« {value} » n'est pas un slug valide"),
                en("\"{value}\" is not a valid slug")),
            M::OneOfWithoutValues { field } => tr!(lang,
                nl("het veld \"{field}\" is one_of, maar heeft geen waarden"),
                fr("le champ « {field} » est de type one_of, mais n'a pas de valeurs"),
                en("field \"{field}\" is one_of but has no values")),
            M::ReferenceWithoutKind { field } => tr!(lang,
                nl("het verwijsveld \"{field}\" zegt niet naar welke soort het verwijst"),
                fr("le champ de référence « {field} » n'indique pas vers quel type il renvoie"),
                en("reference field \"{field}\" does not say which kind it points at")),
            M::NoKind { name, suggestion } => tr!(lang,
                nl("er is geen soort \"{name}\"{}", did_you_mean(lang, suggestion)),
                fr("il n'y a pas de type « {name} »{}", did_you_mean(lang, suggestion)),
                en("no kind \"{name}\"{}", did_you_mean(lang, suggestion))),
            M::CleanUrlsNeedBaseUrl => tr!(lang,
                nl("clean_urls werkt alleen met een base_url"),
                fr("clean_urls a besoin d'une base_url"),
                en("clean_urls needs a base_url")),
            M::KindFolderNotPlain { kind, folder } => tr!(lang,
                nl("de map van de soort \"{kind}\" moet één mapnaam zijn, niet \"{folder}\""),
                fr("le dossier du type « {kind} » doit être un seul nom de dossier, pas « {folder} »"),
                en("the folder of kind \"{kind}\" must be one folder name, not \"{folder}\"")),
            M::NotAnOrigin { origin } => tr!(lang,
                nl("\"{origin}\" is geen origin (alleen schema en domein)"),
                fr("« {origin} » n'est pas une origine (schéma et domaine seulement)"),
                en("\"{origin}\" is not an origin")),
            M::NoContentFolder => tr!(lang,
                nl("er is geen map content"),
                fr("il n'y a pas de dossier content"),
                en("there is no content folder")),
            M::FileNameNotUtf8 => tr!(lang,
                nl("de bestandsnaam bevat tekens die spiegel niet kan lezen (geen UTF-8)"),
                fr("le nom du fichier contient des caractères illisibles (pas de l'UTF-8)"),
                en("the file name is not valid UTF-8")),
            M::LinkOutsideSite => tr!(lang,
                nl("deze snelkoppeling wijst naar een plek buiten de site"),
                fr("ce raccourci pointe en dehors du site"),
                en("this link points outside the site")),
            M::LinkLoop => tr!(lang,
                nl("deze snelkoppeling leidt terug naar een map waar ze zelf in staat"),
                fr("ce raccourci ramène vers un dossier qui le contient"),
                en("this link leads back into a folder that holds it")),
            M::CannotReadFile { cause } => tr!(lang,
                nl("het bestand is niet te lezen: {cause}"),
                fr("impossible de lire le fichier : {cause}"),
                en("cannot read the file: {cause}")),
            M::ChangedDuringBuild => tr!(lang,
                nl("het bestand veranderde terwijl de site werd gebouwd"),
                fr("le fichier a changé pendant la construction du site"),
                en("the file changed while the site was being built")),
            M::FrontMatterNotClosed => tr!(lang,
                nl("het blok met gegevens bovenaan (front matter) wordt nergens afgesloten"),
                fr("le bloc d'en-tête (front matter) n'est jamais fermé"),
                en("the front matter block is never closed")),
            M::NotUtf8Text => tr!(lang,
                nl("het bestand is geen UTF-8-tekst"),
                fr("le fichier n'est pas du texte UTF-8"),
                en("the file is not valid UTF-8 text")),
            M::DuplicateSlug { slug, other } => tr!(lang,
                nl("de slug \"{slug}\" komt twee keer voor: {other} heeft hem ook"),
                fr("le slug « {slug} » est en double : {other} l'a aussi"),
                en("duplicate slug \"{slug}\": {other} has it too")),
            M::TabIndentation => tr!(lang,
                nl("in de gegevens bovenaan springt een regel in met een tab"),
                fr("une ligne de l'en-tête est indentée avec une tabulation"),
                en("a tab is used for indentation in the front matter")),
            M::InvalidFrontMatter { detail } => {
                let detail = detail.text(lang);
                tr!(lang,
                    nl("de gegevens bovenaan kloppen niet: {detail}"),
                    fr("l'en-tête n'est pas valide : {detail}"),
                    en("invalid front matter: {detail}"))
            }
            M::FrontMatterKeysPlain => tr!(lang,
                nl("de namen in de gegevens bovenaan moeten gewone woorden zijn"),
                fr("les noms de l'en-tête doivent être de simples mots"),
                en("front matter keys must be plain words")),
            M::FrontMatterNotMap => tr!(lang,
                nl("de gegevens bovenaan moeten regels van de vorm `naam: waarde` zijn"),
                fr("l'en-tête doit être une suite de lignes `nom: valeur`"),
                en("front matter must be a list of `key: value` lines")),
            M::MoreUnknownValues { count } => tr!(lang,
                nl("nog {count} onbekende waarden staan niet in deze lijst"),
                fr("{count} autres valeurs inconnues ne sont pas listées"),
                en("{count} more unknown values are not listed")),
            M::MissingField { field, label } => tr!(lang,
                nl("het verplichte veld \"{field}\" ({label}) ontbreekt"),
                fr("le champ obligatoire « {field} » ({label}) manque"),
                en("missing required field \"{field}\" ({label})")),
            M::WrongType { field, expected, found } => tr!(lang,
                nl("\"{field}\" moet {} zijn, maar is {}", expected.text(lang), found.text(lang)),
                fr("« {field} » doit être {}, mais c'est {}", expected.text(lang), found.text(lang)),
                en("\"{field}\" must be {}, found {}", expected.text(lang), found.text(lang))),
            M::UnknownValue { value, field, suggestion } => tr!(lang,
                nl("\"{value}\" is geen bekende waarde voor \"{field}\"{}", did_you_mean(lang, suggestion)),
                fr("« {value} » n'est pas une valeur connue pour « {field} »{}", did_you_mean(lang, suggestion)),
                en("unknown value \"{value}\" for \"{field}\"{}", did_you_mean(lang, suggestion))),
            M::MoreBrokenLinks { count } => tr!(lang,
                nl("nog {count} kapotte links staan niet in deze lijst"),
                fr("{count} autres liens cassés ne sont pas listés"),
                en("{count} more broken links are not listed")),
            M::AmbiguousSlug { target } => tr!(lang,
                nl("\"{target}\" is niet duidelijk: meer dan één pagina heeft deze slug"),
                fr("« {target} » est ambigu : plusieurs pages ont ce slug"),
                en("\"{target}\" is ambiguous: more than one page has this slug")),
            M::NoPage { target, suggestion } => tr!(lang,
                nl("er is geen pagina \"{target}\"{}", did_you_mean(lang, suggestion)),
                fr("il n'y a pas de page « {target} »{}", did_you_mean(lang, suggestion)),
                en("no page \"{target}\"{}", did_you_mean(lang, suggestion))),
            M::NoHeading { fragment, page, suggestion } => {
                let page_nl = page.as_ref().map_or("deze pagina".into(), |p| format!("\"{p}\""));
                let page_fr = page.as_ref().map_or("cette page".into(), |p| format!("« {p} »"));
                let page_en = page.as_ref().map_or("this page".into(), |p| format!("\"{p}\""));
                tr!(lang,
                    nl("er is geen tussenkop \"#{fragment}\" op {page_nl}{}", did_you_mean(lang, suggestion)),
                    fr("il n'y a pas d'intertitre « #{fragment} » sur {page_fr}{}", did_you_mean(lang, suggestion)),
                    en("no heading \"#{fragment}\" on {page_en}{}", did_you_mean(lang, suggestion)))
            }
            M::UnknownReference { kind, field, target, suggestion } => tr!(lang,
                nl("er is geen pagina \"{target}\" voor \"{field}\"{}", did_you_mean(lang, suggestion)),
                fr("il n'y a pas de page « {target} » pour « {field} »{}", did_you_mean(lang, suggestion)),
                en("unknown {kind} \"{target}\"{}", did_you_mean(lang, suggestion))),
            M::ThemeNotFound { theme } => tr!(lang,
                nl("het thema \"{theme}\" bestaat niet: er is geen map themes/{theme}/templates"),
                fr("thème « {theme} » introuvable : il n'y a pas de dossier themes/{theme}/templates"),
                en("theme \"{theme}\" not found: there is no folder themes/{theme}/templates")),
            M::LogoNotInStatic { logo } => tr!(lang,
                nl("het logo \"{logo}\" staat niet in static/"),
                fr("le logo « {logo} » n'est pas dans static/"),
                en("the logo \"{logo}\" is not in static/")),
            M::TemplatesDoNotFit { detail } => tr!(lang,
                nl("de sjablonen passen niet bij elkaar: {detail}"),
                fr("les modèles ne vont pas ensemble : {detail}"),
                en("{detail}")),
            M::CannotReadTemplate { cause } => tr!(lang,
                nl("het sjabloon is niet te lezen: {cause}"),
                fr("impossible de lire le modèle : {cause}"),
                en("cannot read the template: {cause}")),
            M::KindTemplateMissing { kind, template } => tr!(lang,
                nl("de soort \"{kind}\" gebruikt het sjabloon \"{template}\", maar dat bestaat niet"),
                fr("le type « {kind} » utilise le modèle « {template} », qui n'existe pas"),
                en("kind \"{kind}\" uses template \"{template}\", which does not exist")),
            M::TemplateError { detail } => tr!(lang,
                nl("fout in het sjabloon: {detail}"),
                fr("erreur dans le modèle : {detail}"),
                en("template error: {detail}")),
            M::OnPages { message, count } => {
                let message = message.text(lang);
                tr!(lang,
                    nl("{message} (op {count} pagina's)"),
                    fr("{message} (sur {count} pages)"),
                    en("{message} (on {count} pages)"))
            }
            M::NoUiStrings { language } => tr!(lang,
                nl("het thema heeft geen teksten in de taal \"{language}\""),
                fr("le thème n'a pas de textes dans la langue « {language} »"),
                en("the theme has no UI strings for language \"{language}\"")),
            M::NoUiString { key, file } => tr!(lang,
                nl("de tekst \"{key}\" ontbreekt in {file}"),
                fr("le texte « {key} » manque dans {file}"),
                en("no UI string \"{key}\" in {file}")),
            M::NotAColour { value } => tr!(lang,
                nl("\"{value}\" is geen kleur"),
                fr("« {value} » n'est pas une couleur"),
                en("\"{value}\" is not a colour")),
            M::LowContrast { colour, ratio, min, background } => tr!(lang,
                nl("hoofdkleur {colour}: het contrast met de achtergrond {background} is {ratio}:1, minder dan {min}:1"),
                fr("couleur principale {colour} : le contraste avec le fond {background} est de {ratio}:1, moins que {min}:1"),
                en("primary colour {colour}: contrast {ratio}:1 is below {min}:1 against the background {background}")),
            M::BookTakesPlace { url, page } => tr!(lang,
                nl("de boekpagina {url} zou de plaats innemen van {page}"),
                fr("la page du livre {url} prendrait la place de {page}"),
                en("the book page {url} would take the place of {page}")),
            M::SelectionAddress { url } => tr!(lang,
                nl("het adres {url} is voor de pagina met de selectie van de lezer"),
                fr("l'adresse {url} est réservée à la page de sélection du lecteur"),
                en("the address {url} is the page of the reader's selection")),
            M::ListingTakesPlace { url, label } => tr!(lang,
                nl("deze pagina zou op {url} komen, waar het overzicht van \"{label}\" hoort"),
                fr("cette page serait à {url}, à la place de la liste « {label} »"),
                en("this page would be at {url}, where the listing of \"{label}\" goes")),
            M::SkippedHeading { level, previous } => {
                let skipped = previous + 1;
                tr!(lang,
                    nl("een kop van niveau {level} volgt op niveau {previous}: niveau {skipped} wordt overgeslagen"),
                    fr("un titre de niveau {level} suit le niveau {previous} : le niveau {skipped} est sauté"),
                    en("heading level {level} follows level {previous}: level {skipped} is skipped"))
            }
            M::ImageWithoutAlt => tr!(lang,
                nl("afbeelding zonder beschrijving (alt-tekst)"),
                fr("image sans texte alternatif"),
                en("image without alt text")),
            M::LinkWithoutTarget => tr!(lang,
                nl("link zonder bestemming"),
                fr("lien sans destination"),
                en("link without a target")),
            M::LinkWithoutText => tr!(lang,
                nl("link zonder tekst"),
                fr("lien sans texte"),
                en("link without text")),
            M::VagueLinkText { text } => tr!(lang,
                nl("de linktekst \"{text}\" zegt niet waar de link naartoe gaat"),
                fr("le texte du lien « {text} » ne dit pas où mène le lien"),
                en("link text \"{text}\" does not say where the link goes")),
            M::ImageOutsideSite { image } => tr!(lang,
                nl("de afbeelding \"{image}\" staat buiten content/ en static/"),
                fr("l'image « {image} » est en dehors de content/ et de static/"),
                en("the image \"{image}\" is outside content/ and static/")),
            M::ImageNotFound { image } => tr!(lang,
                nl("de afbeelding \"{image}\" is niet gevonden"),
                fr("image « {image} » introuvable"),
                en("image \"{image}\" not found")),
            M::CannotReadImage { image, cause } => tr!(lang,
                nl("de afbeelding \"{image}\" is niet te lezen: {cause}"),
                fr("impossible de lire l'image « {image} » : {cause}"),
                en("cannot read the image \"{image}\": {cause}")),
            M::CannotReadPhoto { cause } => tr!(lang,
                nl("de foto is niet te lezen: {cause}"),
                fr("impossible de lire la photo : {cause}"),
                en("cannot read the photo: {cause}")),
            M::CannotProcessPhoto { cause } => tr!(lang,
                nl("de foto kan niet verwerkt worden: {cause}"),
                fr("impossible de traiter la photo : {cause}"),
                en("cannot process the photo: {cause}")),
            M::WriteIntoSite => tr!(lang,
                nl("hier schrijft spiegel niet: in deze map staat de site zelf"),
                fr("spiegel refuse d'écrire ici : ce dossier contient le site lui-même"),
                en("refusing to write here: this folder holds the site itself")),
            M::OutputIsFile => tr!(lang,
                nl("de plek voor de site is een bestand, geen map"),
                fr("l'emplacement de sortie est un fichier, pas un dossier"),
                en("the output path is a file, not a folder")),
            M::RefuseWrite { why } => tr!(lang,
                nl("dit bestand schrijft spiegel niet: {}", why.text(lang)),
                fr("spiegel refuse d'écrire ce fichier : {}", why.text(lang)),
                en("refusing to write this file: {}", why.text(lang))),
            M::CannotDo { action, cause } => format!("{}: {cause}", action.text(lang)),
            M::OutputNotOurs => tr!(lang,
                nl("in de map voor de site staan al bestanden die niet van spiegel komen"),
                fr("le dossier de sortie contient déjà des fichiers que spiegel n'a pas écrits"),
                en("the output folder already holds files that spiegel did not write")),
            M::CannotWriteZip { cause } => tr!(lang,
                nl("het zip-bestand kan niet geschreven worden: {cause}"),
                fr("impossible d'écrire le fichier zip : {cause}"),
                en("cannot write the zip file: {cause}")),
            M::ZipIntoSite { folder } => tr!(lang,
                nl("spiegel schrijft de zip niet in de map {folder}/ van de site"),
                fr("spiegel refuse d'écrire le zip dans le dossier {folder}/ du site"),
                en("refusing to write the zip into the site's {folder}/ folder")),
            M::IsAFolder => tr!(lang, nl("is een map"), fr("est un dossier"), en("is a folder")),
            M::IsAFile => tr!(lang,
                nl("is een bestand, geen map"),
                fr("est un fichier, pas un dossier"),
                en("is a file, not a folder")),
            M::TitleWithoutLetters { title } => tr!(lang,
                nl("in de titel \"{title}\" staan geen letters of cijfers om een bestandsnaam van te maken"),
                fr("le titre « {title} » n'a ni lettres ni chiffres pour en faire un nom de fichier"),
                en("the title \"{title}\" has no letters or digits to make a file name from")),
            M::CannotWriteEntry { cause } => tr!(lang,
                nl("de nieuwe tekst kan niet geschreven worden: {cause}"),
                fr("impossible d'écrire la nouvelle fiche : {cause}"),
                en("cannot write the new entry: {cause}")),
            M::AlreadyExists => tr!(lang,
                nl("bestaat al; er is niets geschreven"),
                fr("existe déjà ; rien n'a été écrit"),
                en("already exists; nothing was written")),
            M::NoStarter { language } => tr!(lang,
                nl("er is geen startsite in de taal \"{language}\""),
                fr("il n'y a pas de site de départ dans la langue « {language} »"),
                en("no starter in language \"{language}\"")),
            M::FolderNotEmpty => tr!(lang,
                nl("de map is niet leeg; er is niets geschreven"),
                fr("le dossier n'est pas vide ; rien n'a été écrit"),
                en("the folder is not empty; nothing was written")),
            M::CannotOpenSiteFolder { cause } => tr!(lang,
                nl("de map van de site is niet te openen: {cause}"),
                fr("impossible d'ouvrir le dossier du site : {cause}"),
                en("cannot open the site folder: {cause}")),
            M::CannotListen { cause } => tr!(lang,
                nl("spiegel kan hier niet luisteren: {cause}"),
                fr("impossible d'écouter ici : {cause}"),
                en("cannot listen here: {cause}")),
            M::CannotStartServer { cause } => tr!(lang,
                nl("de voorvertoning kan niet starten: {cause}"),
                fr("impossible de démarrer l'aperçu : {cause}"),
                en("cannot start the preview: {cause}")),
            M::CannotWatch { cause } => tr!(lang,
                nl("spiegel kan de bestanden van de site niet volgen: {cause}"),
                fr("impossible de surveiller les fichiers du site : {cause}"),
                en("cannot watch the site's files: {cause}")),
        }
    }
}

impl Expected {
    fn text(self, lang: Lang) -> String {
        let (nl, fr, en) = match self {
            Expected::Text => ("tekst", "du texte", "text"),
            Expected::Date => ("een datum", "une date", "a date"),
            Expected::TrueOrFalse => ("true of false", "true ou false", "true or false"),
            Expected::Number => ("een getal", "un nombre", "a number"),
            Expected::List => ("een lijst", "une liste", "a list"),
            Expected::ListOfWords => ("een lijst woorden", "une liste de mots", "a list of words"),
            Expected::ListOfSlugs => ("een lijst slugs", "une liste de slugs", "a list of slugs"),
            Expected::OneValue => ("één waarde", "une seule valeur", "one value"),
        };
        tr!(lang, nl("{nl}"), fr("{fr}"), en("{en}"))
    }
}

impl Found {
    fn text(&self, lang: Lang) -> String {
        match self {
            Found::Nothing => tr!(lang, nl("leeg"), fr("vide"), en("nothing")),
            Found::Bool(b) => b.to_string(),
            Found::Number(n) => {
                tr!(lang, nl("het getal {n}"), fr("le nombre {n}"), en("the number {n}"))
            }
            Found::Text(s) => tr!(lang, nl("\"{s}\""), fr("« {s} »"), en("\"{s}\"")),
            Found::List => tr!(lang, nl("een lijst"), fr("une liste"), en("a list")),
            Found::Group => tr!(
                lang,
                nl("een groep velden"),
                fr("un groupe de champs"),
                en("a group of fields")
            ),
        }
    }
}

impl Refusal {
    fn text(self, lang: Lang) -> String {
        match self {
            Refusal::LeavesOutput => tr!(
                lang,
                nl("het pad leidt uit de map voor de site"),
                fr("son chemin sort du dossier de sortie"),
                en("its path leads out of the output folder")
            ),
            Refusal::LinkOnTheWay => tr!(
                lang,
                nl("onderweg staat een snelkoppeling in de map voor de site"),
                fr("le dossier de sortie contient un raccourci sur le chemin"),
                en("the output folder holds a link on its way")
            ),
        }
    }
}

impl Action {
    fn text(self, lang: Lang) -> String {
        let (nl, fr, en) = match self {
            Action::Read => {
                ("het bestand is niet te lezen", "impossible de lire le fichier", "cannot read")
            }
            Action::Write => (
                "het bestand kan niet geschreven worden",
                "impossible d'écrire le fichier",
                "cannot write",
            ),
            Action::CreateFolder => (
                "de map kan niet gemaakt worden",
                "impossible de créer le dossier",
                "cannot create the folder",
            ),
            Action::ReplaceFolder => (
                "de map kan niet vervangen worden",
                "impossible de remplacer le dossier",
                "cannot replace the folder",
            ),
            Action::ReadOutput => (
                "de map voor de site is niet te lezen",
                "impossible de lire le dossier de sortie",
                "cannot read the output folder",
            ),
            Action::CreateOutput => (
                "de map voor de site kan niet gemaakt worden",
                "impossible de créer le dossier de sortie",
                "cannot create the output folder",
            ),
            Action::RemoveOld => (
                "het oude bestand kan niet verwijderd worden",
                "impossible de supprimer l'ancien fichier",
                "cannot remove the old file",
            ),
        };
        tr!(lang, nl("{nl}"), fr("{fr}"), en("{en}"))
    }
}
