//! The command line: parses arguments with clap, runs the pipeline, prints what
//! happened, and turns the outcome into an exit code (0 ok, 1 content problems, 2 usage).
//!
//! What it prints for the writer (problems, and what a command did) is in the site's
//! language ([`Lang::of_site`]; for `init`, the new site's). Usage errors and `--help`
//! come from clap and stay in English, for the people who script spiegel.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::{Diagnostics, Lang, Note};
use crate::{build, BuildOptions, BuildReport};

/// `println!` without its panic: when the reader of the output has gone
/// (`spiegel check | head -1`), there is nothing left to tell, and no reason to crash.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!`, and with `no_newline` `eprint!`, without their panic; see [`say`].
macro_rules! say_err {
    (no_newline, $($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

#[derive(Debug, Parser)]
#[command(
    name = "spiegel",
    version,
    about = "Builds a searchable, cross-linked inspiration site from Markdown"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into a folder of static files.
    Build {
        /// The site folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; default ROOT/public.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
        /// Write the site as one zip file instead of a folder.
        #[arg(long, value_name = "FILE", conflicts_with = "output")]
        zip: Option<PathBuf>,
    },
    /// Check the site as `build` does, and for what makes pages hard to read; writes nothing.
    Check {
        /// The site folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `json` for editors and CI.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Start a new site in DIR from the built-in starter.
    Init {
        /// A new or empty folder.
        dir: PathBuf,
        /// The organisation's name, shown on every page.
        #[arg(long, default_value = "Mijn kinderopvang")]
        org: String,
        /// The site's language.
        #[arg(long, default_value = "nl", value_parser = crate::starter::LANGUAGES)]
        language: String,
    },
    /// Write a new entry of KIND, with the kind's front matter to fill in.
    New {
        /// The kind: its name, folder or label, e.g. `inspiration` or `methodieken`.
        kind: String,
        /// The entry's title; its file name is made from it.
        title: String,
        /// The site folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build the site into memory, serve it, and rebuild and reload on every change.
    Serve {
        /// The site folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 3030)]
        port: u16,
        /// The address to listen on. Anything but a loopback address lets other
        /// devices on the network see the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the browser once it is served.
        #[arg(long)]
        open: bool,
    },
    /// Write a large generated site, for benchmarks.
    #[command(hide = true)]
    Generate {
        /// The folder to write the site into.
        dir: PathBuf,
        /// How many entries, besides the twelve building blocks.
        #[arg(long, default_value_t = 1000)]
        pages: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// How `check` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Runs the CLI with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cli.command {
        Command::Build { root, zip: Some(zip), .. } => {
            let lang = Lang::of_site(&root);
            match crate::build_zip(&root, &zip) {
                Ok(report) => {
                    let (pages, files) = (report.pages, report.files);
                    let zip = zip.display().to_string();
                    say!("{}", Note::BuiltZip { pages, files, zip }.text(lang));
                    say!("{}", Note::UnpackZip.text(lang));
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => fail(&diagnostics, lang),
            }
        }
        Command::Build { root, output, timings, zip: None } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            run_build(&BuildOptions { root, output }, timings)
        }
        Command::Serve { root, port, bind, open } => run_serve(root, port, bind, open),
        Command::Check { root, format } => run_check(&root, format),
        Command::Init { dir, org, language } => run_init(&dir, &org, &language),
        Command::New { kind, title, root } => {
            let lang = Lang::of_site(&root);
            match crate::new_entry::new_entry(&root, &kind, &title, &crate::new_entry::today()) {
                Ok(path) => {
                    let path = root.join(path).display().to_string();
                    say!("{}", Note::WroteEntry { path }.text(lang));
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => fail(&diagnostics, lang),
            }
        }
        Command::Generate { dir, pages, seed } => {
            match crate::generate::generate(&dir, pages, seed) {
                Ok(()) => {
                    say!("wrote {pages} entries and 12 building blocks into {}", dir.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    say_err!("{}: cannot write the site: {e}", dir.display());
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn run_serve(root: PathBuf, port: u16, bind: IpAddr, open: bool) -> ExitCode {
    let lang = Lang::of_site(&root);
    if crate::serve::is_public(bind) {
        say_err!("{}", Note::PublicAddress { bind: bind.to_string() }.text(lang));
    }
    let options = crate::serve::ServeOptions { root, bind, port, verbose: true };
    let server = match crate::serve::Server::start(&options) {
        Ok(server) => server,
        Err(d) => {
            say_err!(no_newline, "{}", d.in_language(lang));
            return ExitCode::from(1);
        }
    };
    let (root, url) = (options.root.display().to_string(), server.url());
    say!("{}", Note::Serving { root, url: url.clone() }.text(lang));
    if open {
        crate::serve::open_in_browser(&url);
    }
    server.wait();
    ExitCode::SUCCESS
}

fn fail(diagnostics: &Diagnostics, lang: Lang) -> ExitCode {
    say_err!("{}", diagnostics.in_language(lang));
    ExitCode::from(1)
}

fn run_check(root: &std::path::Path, format: Format) -> ExitCode {
    let result = crate::check(root);
    let lang = Lang::of_site(root);
    match format {
        Format::Json => say!("{}", check_json(&result, lang)),
        Format::Text => match &result {
            Ok(pages) => say!("{}", Note::Checked { pages: *pages }.text(lang)),
            Err(diagnostics) => say_err!("{}", diagnostics.in_language(lang)),
        },
    }
    ExitCode::from(u8::from(result.is_err()))
}

/// `{"ok": bool, "pages": n|null, "problems": [{path, line, column, message, hint}]}`,
/// messages and hints in `lang`.
pub fn check_json(result: &Result<usize, Diagnostics>, lang: Lang) -> String {
    let (pages, problems) = match result {
        Ok(pages) => (Some(*pages), Vec::new()),
        Err(diagnostics) => (None, diagnostics.clone().into_sorted()),
    };
    let problems: Vec<serde_json::Value> = problems
        .iter()
        .map(|d| {
            serde_json::json!({
                "path": d.path.to_string_lossy().replace('\\', "/"),
                "line": d.line,
                "column": d.col,
                "message": d.message.text(lang),
                "hint": d.hint_text(lang),
            })
        })
        .collect();
    serde_json::json!({ "ok": result.is_ok(), "pages": pages, "problems": problems }).to_string()
}

fn run_init(dir: &std::path::Path, org: &str, language: &str) -> ExitCode {
    let lang = Lang::from_code(language).unwrap_or_default();
    match crate::starter::init(dir, org, language) {
        Ok(files) => {
            let (organisation, shown) = (org.to_string(), dir.display().to_string());
            say!("{}", Note::WroteSite { organisation, dir: shown.clone(), files }.text(lang));
            say!("{}", Note::Next.text(lang));
            say!("  cd {shown}");
            say!("  spiegel build");
            ExitCode::SUCCESS
        }
        Err(d) => fail(&d.into(), lang),
    }
}

fn run_build(options: &BuildOptions, show_timings: bool) -> ExitCode {
    let lang = Lang::of_site(&options.root);
    match build(options) {
        Ok(report) => {
            print_report(options, &report, show_timings, lang);
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics, lang),
    }
}

fn print_report(options: &BuildOptions, report: &BuildReport, show_timings: bool, lang: Lang) {
    let total = report.timings.total();
    let built = Note::Built {
        pages: report.pages,
        files: report.files,
        written: report.written.written,
        unchanged: report.written.unchanged,
        removed: report.written.removed,
        output: options.output.display().to_string(),
        ms: total.as_millis(),
    };
    say!("{}", built.text(lang));
    let photos = report.photos;
    if photos.processed + photos.cached > 0 {
        let (processed, cached) = (photos.processed, photos.cached);
        say!("{}", Note::Photos { processed, cached }.text(lang));
    }
    let path = options.output.join("index.html").display().to_string();
    say!("{}", Note::Open { path }.text(lang));
    if show_timings {
        let timings = &report.timings;
        let memory = timings.memory.iter().map(Some).chain(std::iter::repeat(None));
        let cpu = timings.cpu.iter().map(Some).chain(std::iter::repeat(None));
        for (((stage, duration), memory), cpu) in timings.stages.iter().zip(memory).zip(cpu) {
            let ms = duration.as_secs_f64() * 1000.0;
            let cpu = match cpu.copied().flatten() {
                Some(cpu) => format!(" {:>8.0} ms cpu", cpu.as_secs_f64() * 1000.0),
                None => String::new(),
            };
            match memory.copied().flatten() {
                Some((now, peak)) => {
                    let mib = |bytes: u64| bytes as f64 / 1_048_576.0;
                    let (now, peak) = (mib(now), mib(peak));
                    say!("  {stage:<18} {ms:>8.1} ms{cpu} {now:>7.0} MiB resident, peak {peak:.0} MiB")
                }
                None => say!("  {stage:<18} {ms:>8.1} ms{cpu}"),
            }
        }
        let per_second = report.pages as f64 / total.as_secs_f64().max(1e-9);
        say!("  {:<18} {per_second:>8.0} pages/s", "speed");
    }
}
