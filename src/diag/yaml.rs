//! What the YAML parser says is wrong, in the writer's language.
//!
//! serde_yaml explains a YAML error in English ("mapping values are not allowed in this
//! context"). Front matter and `site.yaml` are written by people who are not
//! developers, so [`YamlDetail::parse`] recognises the explanations a typo usually
//! gives and the catalogue writes them in Dutch, French or English; anything else is
//! kept as the parser wrote it. The English text is always the parser's own.

use super::Lang;

/// The parser's explanation of a YAML error, recognised where it is a common one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YamlDetail {
    /// Where in the document, as serde_yaml names it (`html`, `kinds.method`), if it does.
    at: Option<String>,
    problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Problem {
    UnclosedList,
    UnclosedGroup,
    UnexpectedColon,
    UnexpectedEnd,
    MissingKey,
    MissingValue,
    BadCharacter,
    TooDeep,
    TooManyAliases,
    UnknownAnchor,
    Duplicate {
        key: String,
    },
    UnknownField {
        field: String,
        allowed: String,
        one_of: bool,
    },
    /// Not recognised: the parser's words.
    Other(String),
}

/// The fixed explanations of libyaml and serde_yaml, and what they stand for.
const FIXED: [(&str, Problem); 10] = [
    ("did not find expected ',' or ']'", Problem::UnclosedList),
    ("did not find expected ',' or '}'", Problem::UnclosedGroup),
    ("mapping values are not allowed in this context", Problem::UnexpectedColon),
    ("found unexpected end of stream", Problem::UnexpectedEnd),
    ("did not find expected key", Problem::MissingKey),
    ("did not find expected node content", Problem::MissingValue),
    ("found character that cannot start any token", Problem::BadCharacter),
    ("recursion limit exceeded", Problem::TooDeep),
    ("repetition limit exceeded", Problem::TooManyAliases),
    ("unknown anchor", Problem::UnknownAnchor),
];

impl YamlDetail {
    /// Recognises serde_yaml's message, its position (" at line L column C") removed.
    pub fn parse(message: &str) -> YamlDetail {
        let (at, rest) = match message.split_once(": ") {
            Some((at, rest)) if is_path(at) => (Some(at.to_string()), rest),
            _ => (None, message),
        };
        match recognise(rest) {
            Some(problem) => YamlDetail { at, problem },
            None => YamlDetail { at: None, problem: Problem::Other(message.to_string()) },
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        let text = self.problem.text(lang);
        match &self.at {
            Some(at) => format!("{at}: {text}"),
            None => text,
        }
    }
}

/// `html`, `kinds.method.fields`: a place serde_yaml puts before its message.
fn is_path(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
}

fn recognise(message: &str) -> Option<Problem> {
    if let Some((_, problem)) = FIXED.iter().find(|(text, _)| *text == message) {
        return Some(problem.clone());
    }
    if let Some(key) = message.strip_prefix("duplicate entry with key ") {
        return Some(Problem::Duplicate { key: key.trim_matches('"').to_string() });
    }
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once("`, expected ")?;
    let (allowed, one_of) = match expected.strip_prefix("one of ") {
        Some(list) => (list, true),
        None => (expected, false),
    };
    Some(Problem::UnknownField { field: field.into(), allowed: allowed.into(), one_of })
}

impl Problem {
    fn text(&self, lang: Lang) -> String {
        match self {
            Problem::UnclosedList => tr!(lang,
                nl("een lijst tussen [ ] wordt niet gesloten"),
                fr("une liste entre [ ] n'est pas fermée"),
                en("did not find expected ',' or ']'")),
            Problem::UnclosedGroup => tr!(lang,
                nl("een groep tussen {{ }} wordt niet gesloten"),
                fr("un groupe entre {{ }} n'est pas fermé"),
                en("did not find expected ',' or '}}'")),
            Problem::UnexpectedColon => tr!(lang,
                nl("hier staat een `:` waar YAML er geen verwacht"),
                fr("il y a ici un `:` que YAML n'attend pas"),
                en("mapping values are not allowed in this context")),
            Problem::UnexpectedEnd => tr!(lang,
                nl("de tekst houdt op terwijl er nog iets openstaat, zoals een aanhalingsteken"),
                fr("le texte s'arrête alors que quelque chose est resté ouvert, comme un guillemet"),
                en("found unexpected end of stream")),
            Problem::MissingKey => tr!(lang,
                nl("hier verwacht YAML een nieuwe `naam:`"),
                fr("YAML attend ici un nouveau `nom:`"),
                en("did not find expected key")),
            Problem::MissingValue => tr!(lang,
                nl("hier ontbreekt een waarde"),
                fr("une valeur manque ici"),
                en("did not find expected node content")),
            Problem::BadCharacter => tr!(lang,
                nl("met dit teken kan een waarde niet beginnen"),
                fr("une valeur ne peut pas commencer par ce caractère"),
                en("found character that cannot start any token")),
            Problem::TooDeep => tr!(lang,
                nl("er zit te veel in elkaar genest"),
                fr("les données sont imbriquées trop profondément"),
                en("recursion limit exceeded")),
            Problem::TooManyAliases => tr!(lang,
                nl("er worden te veel verwijzingen (*alias) herhaald"),
                fr("trop de renvois (*alias) sont répétés"),
                en("repetition limit exceeded")),
            Problem::UnknownAnchor => tr!(lang,
                nl("een verwijzing (*alias) naar een anker dat niet bestaat"),
                fr("un renvoi (*alias) vers une ancre qui n'existe pas"),
                en("unknown anchor")),
            Problem::Duplicate { key } => tr!(lang,
                nl("\"{key}\" staat er twee keer"),
                fr("« {key} » apparaît deux fois"),
                en("duplicate entry with key \"{key}\"")),
            Problem::UnknownField { field, allowed, one_of } => {
                let one = if *one_of { "one of " } else { "" };
                tr!(lang,
                    nl("onbekende naam `{field}`; mogelijk zijn: {allowed}"),
                    fr("nom inconnu `{field}` ; possibles : {allowed}"),
                    en("unknown field `{field}`, expected {one}{allowed}"))
            }
            Problem::Other(message) => message.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_parsers_own_text() {
        for message in [
            "did not find expected ',' or ']'",
            "did not find expected ',' or '}'",
            "mapping values are not allowed in this context",
            "found unexpected end of stream",
            "duplicate entry with key \"title\"",
            "unknown field `titel`, expected one of `title`, `language`",
            "html: unknown field `sanitise`, expected `sanitize`",
            "title: invalid type: sequence, expected a string",
            "did not find expected <document start>",
        ] {
            assert_eq!(YamlDetail::parse(message).text(Lang::En), message);
        }
    }

    #[test]
    fn common_problems_are_translated() {
        let cases = [
            (
                "found unexpected end of stream",
                "de tekst houdt op terwijl er nog iets openstaat, zoals een aanhalingsteken",
            ),
            ("duplicate entry with key \"title\"", "\"title\" staat er twee keer"),
            (
                "html: unknown field `sanitise`, expected `sanitize`",
                "html: onbekende naam `sanitise`; mogelijk zijn: `sanitize`",
            ),
            (
                "title: invalid type: sequence, expected a string",
                "title: invalid type: sequence, expected a string",
            ),
        ];
        for (message, dutch) in cases {
            assert_eq!(YamlDetail::parse(message).text(Lang::Nl), dutch);
        }
        let french = YamlDetail::parse("did not find expected ',' or ']'").text(Lang::Fr);
        assert_eq!(french, "une liste entre [ ] n'est pas fermée");
    }
}
