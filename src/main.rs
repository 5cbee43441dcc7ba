//! The `spiegel` binary: all behaviour lives in the library; see `spiegel::cli`.

fn main() -> std::process::ExitCode {
    spiegel::cli::main()
}
