//! The command line: parses arguments with clap, runs the pipeline, prints what
//! happened, and turns the outcome into an exit code (0 ok, 1 content problems, 2 usage).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::Diagnostics;
use crate::{build, BuildOptions, BuildReport};

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
        Command::Build { root, zip: Some(zip), .. } => match crate::build_zip(&root, &zip) {
            Ok(report) => {
                println!(
                    "built {} pages ({} files) into {}",
                    report.pages,
                    report.files,
                    zip.display()
                );
                println!("unpack it and open index.html in its folder, or upload the folder");
                ExitCode::SUCCESS
            }
            Err(diagnostics) => fail(&diagnostics),
        },
        Command::Build { root, output, timings, zip: None } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            run_build(&BuildOptions { root, output }, timings)
        }
        Command::Serve { root, port, bind, open } => run_serve(root, port, bind, open),
        Command::Check { root, format } => run_check(&root, format),
        Command::Init { dir, org, language } => run_init(&dir, &org, &language),
        Command::New { kind, title, root } => {
            match crate::new_entry::new_entry(&root, &kind, &title, &crate::new_entry::today()) {
                Ok(path) => {
                    println!("wrote {}", root.join(path).display());
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => fail(&diagnostics),
            }
        }
        Command::Generate { dir, pages, seed } => {
            match crate::generate::generate(&dir, pages, seed) {
                Ok(()) => {
                    println!("wrote {pages} entries and 12 building blocks into {}", dir.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{}: cannot write the site: {e}", dir.display());
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn run_serve(root: PathBuf, port: u16, bind: IpAddr, open: bool) -> ExitCode {
    if crate::serve::is_public(bind) {
        eprintln!(
            "warning: listening on {bind}: every device that can reach this computer can open the preview"
        );
    }
    let options = crate::serve::ServeOptions { root, bind, port, verbose: true };
    let server = match crate::serve::Server::start(&options) {
        Ok(server) => server,
        Err(d) => {
            eprint!("{d}");
            return ExitCode::from(1);
        }
    };
    let url = server.url();
    println!("serving {} at {url} (Ctrl-C stops)", options.root.display());
    if open {
        crate::serve::open_in_browser(&url);
    }
    server.wait();
    ExitCode::SUCCESS
}

fn fail(diagnostics: &Diagnostics) -> ExitCode {
    eprintln!("{diagnostics}");
    ExitCode::from(1)
}

fn run_check(root: &std::path::Path, format: Format) -> ExitCode {
    let result = crate::check(root);
    match format {
        Format::Json => println!("{}", check_json(&result)),
        Format::Text => match &result {
            Ok(pages) => println!("checked {pages} pages: no problems found"),
            Err(diagnostics) => eprintln!("{diagnostics}"),
        },
    }
    ExitCode::from(u8::from(result.is_err()))
}

/// `{"ok": bool, "pages": n|null, "problems": [{path, line, column, message, hint}]}`.
pub fn check_json(result: &Result<usize, Diagnostics>) -> String {
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
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    serde_json::json!({ "ok": result.is_ok(), "pages": pages, "problems": problems }).to_string()
}

fn run_init(dir: &std::path::Path, org: &str, language: &str) -> ExitCode {
    match crate::starter::init(dir, org, language) {
        Ok(files) => {
            println!("wrote a new site for {org} into {} ({files} files)", dir.display());
            println!("next:");
            println!("  cd {}", dir.display());
            println!("  spiegel build");
            ExitCode::SUCCESS
        }
        Err(d) => fail(&d.into()),
    }
}

fn run_build(options: &BuildOptions, show_timings: bool) -> ExitCode {
    match build(options) {
        Ok(report) => {
            print_report(options, &report, show_timings);
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics),
    }
}

fn print_report(options: &BuildOptions, report: &BuildReport, show_timings: bool) {
    let total = report.timings.total();
    println!(
        "built {} pages ({} files: {} written, {} unchanged, {} removed) into {} in {} ms",
        report.pages,
        report.files,
        report.written.written,
        report.written.unchanged,
        report.written.removed,
        options.output.display(),
        total.as_millis()
    );
    let photos = report.photos;
    if photos.processed + photos.cached > 0 {
        println!(
            "photos: {} processed, {} unchanged (from the cache)",
            photos.processed, photos.cached
        );
    }
    let index = options.output.join("index.html");
    println!("open {}", index.display());
    if show_timings {
        for (stage, duration) in &report.timings.stages {
            println!("  {stage:<10} {:>8.1} ms", duration.as_secs_f64() * 1000.0);
        }
        let per_second = report.pages as f64 / total.as_secs_f64().max(1e-9);
        println!("  {:<10} {per_second:>8.0} pages/s", "speed");
    }
}
