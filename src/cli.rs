//! The command line: parses arguments with clap, runs the pipeline, prints what
//! happened, and turns the outcome into an exit code (0 ok, 1 content problems, 2 usage).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
        Command::Build { root, output, timings } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            run_build(&BuildOptions { root, output }, timings)
        }
        Command::Serve { root, port, bind, open } => run_serve(root, port, bind, open),
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

fn run_build(options: &BuildOptions, show_timings: bool) -> ExitCode {
    match build(options) {
        Ok(report) => {
            print_report(options, &report, show_timings);
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            ExitCode::from(1)
        }
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
