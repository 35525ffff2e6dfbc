use std::process::ExitCode;

/// jemalloc (BENCHMARKS.md: the scans run a fifth faster than with the system allocator).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read at its start: freed pages go back to the system at once instead of
/// after ten seconds, which keeps a scan's peak memory at what it holds, not what it has freed.
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static ALLOCATOR_OPTIONS: &[u8; 34] = b"dirty_decay_ms:0,muzzy_decay_ms:0\0";

fn main() -> ExitCode {
    ExitCode::from(gripe::main_with_env(std::env::args_os().collect()))
}
