//! The `spiegel` binary: all behaviour lives in the library; see `spiegel::cli`.
//!
//! A build allocates millions of small strings and values (view models, template data,
//! search terms) on all cores; mimalloc serves them with about a third less CPU time than
//! the system allocator (BENCHMARKS.md). Without transparent huge pages (`no_thp`): on
//! Linux the kernel would zero whole 2 MiB pages for mimalloc's arenas.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    spiegel::cli::main()
}
