use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(gripe::main_with_env(std::env::args_os().collect()))
}

// Bulk commands (an import, scans of every file) make many small allocations on several
// threads; mimalloc takes about a quarter off their CPU time (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
