use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(gripe::main_with_env(std::env::args_os().collect()))
}
