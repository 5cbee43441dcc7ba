//! Diagnostics: every problem a build finds, with its position in the source file.
//!
//! Stages never stop at the first problem: they push a [`Diagnostic`] into a
//! [`Diagnostics`] list and carry on, so that one run reports everything. A diagnostic
//! holds its place and a [`Message`] and [`Hint`] from the catalogue, not text: the
//! CLI, `check --format json` and the preview's error overlay write them out in the
//! site's [`Lang`], like a compiler does: `path:line:col: message`, the source line
//! with a caret, and a one-line hint saying what to do.

use std::fmt;
use std::path::{Path, PathBuf};

/// The text of a catalogue entry in `$lang`: `tr!(lang, nl(..), fr(..), en(..))`, each
/// part the arguments of a `format!`. It takes the three languages in this order, so
/// an entry without its Dutch, French or English text does not compile.
macro_rules! tr {
    ($lang:expr, nl($($nl:tt)+), fr($($fr:tt)+), en($($en:tt)+) $(,)?) => {
        match $lang {
            $crate::diag::Lang::Nl => format!($($nl)+),
            $crate::diag::Lang::Fr => format!($($fr)+),
            $crate::diag::Lang::En => format!($($en)+),
        }
    };
}

mod hint;
mod lang;
mod message;
mod note;
mod yaml;

pub use hint::Hint;
pub use lang::Lang;
pub use message::{Action, Expected, Found, Message, Refusal};
pub use note::{Change, Note};
pub use yaml::YamlDetail;

/// At most this many problems of one kind are listed for one file: a file with ten
/// thousand broken links needs the first few fixed, not a list that takes long to make.
pub const MAX_PER_FILE: usize = 100;

/// One problem at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
    /// Boxed, like the hint, so that a `Result<_, Diagnostic>` stays small.
    pub message: Box<Message>,
    /// What the writer can do about it.
    pub hint: Option<Box<Hint>>,
    /// The source line, shown under the message with a caret; of a long line only the
    /// part around the column.
    pub source_line: Option<String>,
    /// How many characters of the line come before `source_line`.
    pub source_skipped: usize,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, line: usize, col: usize, message: Message) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            col,
            message: Box::new(message),
            hint: None,
            source_line: None,
            source_skipped: 0,
        }
    }

    /// A problem with a file as a whole (unreadable, wrong name...).
    pub fn file(path: impl Into<PathBuf>, message: Message) -> Self {
        Diagnostic::new(path, 0, 0, message)
    }

    pub fn with_hint(mut self, hint: Hint) -> Self {
        self.hint = Some(Box::new(hint));
        self
    }

    /// Attaches the source line at `self.line` from the file's full text.
    pub fn with_source(self, text: &str) -> Self {
        let line = if self.line > 0 { text.lines().nth(self.line - 1) } else { None };
        self.with_source_line(line)
    }

    /// Keeps the part of `line` shown under the message: all of a short line, and of a
    /// long one (a whole file on one line) the part around the column, so that a
    /// thousand diagnostics on that line do not hold a thousand copies of it.
    fn with_source_line(mut self, line: Option<&str>) -> Self {
        const SHOWN: usize = 200;
        let Some(line) = line else { return self };
        let skip = if line.len() <= SHOWN { 0 } else { self.col.saturating_sub(1 + SHOWN / 2) };
        self.source_line = Some(line.chars().skip(skip).take(SHOWN).collect());
        self.source_skipped = skip;
        self
    }

    /// Like [`Diagnostic::with_source`], with the lines already found: for the many
    /// diagnostics of one file, without reading the file once per diagnostic.
    pub fn with_source_indexed(self, text: &str, lines: &LineIndex) -> Self {
        let line = lines.line_text(text, self.line);
        self.with_source_line(line)
    }

    /// `path:line:col: message` in `lang`, the first line of the shown diagnostic.
    pub fn headline(&self, lang: Lang) -> String {
        let path = display_path(&self.path);
        let message = self.message.text(lang);
        if self.line == 0 {
            format!("{path}: {message}")
        } else {
            format!("{path}:{}:{}: {message}", self.line, self.col)
        }
    }

    /// The hint in `lang`, if there is one.
    pub fn hint_text(&self, lang: Lang) -> Option<String> {
        self.hint.as_ref().map(|h| h.text(lang))
    }

    /// The whole diagnostic as shown in `lang`: headline, source line, hint.
    pub fn in_language(&self, lang: Lang) -> InLanguage<'_, Diagnostic> {
        InLanguage { item: self, lang }
    }
}

/// A diagnostic, or all of a run, to show in one language (it implements `Display`).
pub struct InLanguage<'a, T> {
    item: &'a T,
    lang: Lang,
}

fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

impl fmt::Display for InLanguage<'_, Diagnostic> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (d, lang) = (self.item, self.lang);
        writeln!(f, "{}", d.headline(lang))?;
        if let Some(source) = &d.source_line {
            let number = d.line.to_string();
            let pad = " ".repeat(number.len());
            let shown: String = source.chars().take(200).collect();
            let caret_at = d.col.saturating_sub(1 + d.source_skipped).min(shown.chars().count());
            let lead: String =
                shown.chars().take(caret_at).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {shown}")?;
            writeln!(f, "{pad} | {lead}^")?;
        }
        if let Some(hint) = d.hint_text(lang) {
            let label = tr!(lang, nl("tip:"), fr("conseil :"), en("hint:"));
            writeln!(f, "  = {label} {hint}")?;
        }
        Ok(())
    }
}

/// All problems of one run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Every problem, sorted, and a closing count, to show in `lang`.
    pub fn in_language(&self, lang: Lang) -> InLanguage<'_, Diagnostics> {
        InLanguage { item: self, lang }
    }

    /// Sorted by file and position, duplicates removed: parallel stages push in any order.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort();
        self.0.dedup();
        self.0
    }

    /// `Ok(value)` when nothing was reported, else the diagnostics.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for InLanguage<'_, Diagnostics> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sorted = self.item.clone().into_sorted();
        for d in &sorted {
            write!(f, "{}", d.in_language(self.lang))?;
        }
        write!(f, "{}", Note::NothingWritten { problems: sorted.len() }.text(self.lang))
    }
}

/// Maps byte offsets in a text to 1-based line and character column.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// (line, col) of the character at `char_index` in `text`, as YAML errors count
    /// their place; past the end, the end of the text.
    pub fn position_of_char(text: &str, char_index: usize) -> (usize, usize) {
        let offset = text.char_indices().nth(char_index).map_or(text.len(), |(i, _)| i);
        LineIndex::new(text).position(text, offset)
    }

    /// The text of 1-based `line`, without its line end (as `str::lines` gives it).
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> Option<&'t str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map_or(text.len(), |&next| next - 1);
        let line = text.get(start..end.max(start))?;
        (start < text.len()).then(|| line.strip_suffix('\r').unwrap_or(line))
    }

    /// (line, col) of `offset` in `text`, both 1-based; col counts characters.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let end = offset.min(text.len());
        let col = text.get(start..end).map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_positions() {
        let text = "ab\ncdë\nf";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), (1, 1));
        assert_eq!(index.position(text, 3), (2, 1));
        assert_eq!(index.position(text, 7), (2, 4)); // after the two-byte ë
        assert_eq!(index.position(text, 8), (3, 1));
    }

    #[test]
    fn long_lines_show_the_part_around_the_column() {
        let line = format!("{}[[x]]{}", "a".repeat(5000), "b".repeat(5000));
        let d = Diagnostic::new("a.md", 1, 5001, no_page()).with_source(&line);
        let shown = d.source_line.as_deref().unwrap();
        assert_eq!(shown.chars().count(), 200);
        assert_eq!(&shown[100..105], "[[x]]");
        assert!(
            d.in_language(Lang::Nl).to_string().contains(&format!("\n  | {}^\n", " ".repeat(100))),
            "{d:?}"
        );
    }

    #[test]
    fn line_texts_match_str_lines() {
        for text in ["", "a", "a\n", "a\r\nb\r\n", "\n\nc", "x\ny\rz\n\n"] {
            let index = LineIndex::new(text);
            let want: Vec<&str> = text.lines().collect();
            let got: Vec<&str> =
                (1..=want.len() + 1).map_while(|n| index.line_text(text, n)).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    fn no_page() -> Message {
        Message::NoPage { target: "x".into(), suggestion: Some("xy".into()) }
    }

    #[test]
    fn renders_like_a_compiler_in_each_language() {
        let d = Diagnostic::new("content/a.md", 2, 3, no_page())
            .with_hint(Hint::CheckWikiSpelling)
            .with_source("one\nab[[x]]\n");
        let source = "\n  |\n2 | ab[[x]]\n  |   ^\n";
        let cases = [
            (Lang::Nl, "er is geen pagina \"x\" (bedoel je \"xy\"?)", "tip: kijk de spelling na; "),
            (
                Lang::Fr,
                "il n'y a pas de page « x » (vouliez-vous dire « xy » ?)",
                "conseil : vérifiez l'orthographe ; ",
            ),
            (Lang::En, "no page \"x\" (did you mean \"xy\"?)", "hint: check the spelling; "),
        ];
        for (lang, message, hint) in cases {
            let shown = d.in_language(lang).to_string();
            let want = format!("content/a.md:2:3: {message}{source}  = {hint}");
            assert!(shown.starts_with(&want), "{shown}\nwanted {want}");
        }
    }

    #[test]
    fn counts_the_problems_in_each_language() {
        let mut all = Diagnostics::new();
        all.push(Diagnostic::file("a.md", Message::NotUtf8Text));
        let ends = [
            (Lang::Nl, "1 probleem gevonden; er is niets geschreven."),
            (Lang::Fr, "1 problème trouvé ; rien n'a été écrit."),
            (Lang::En, "1 problem found; nothing was written."),
        ];
        for (lang, end) in ends {
            assert!(all.in_language(lang).to_string().ends_with(end), "{lang:?}");
        }
    }
}
