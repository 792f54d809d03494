//! The `kehoach` command on its own (for the tests and `cargo run -p kehoach-cli`); the shipped
//! program is the desktop app's binary, which runs the same `run_args` when given a subcommand.

fn main() -> std::process::ExitCode {
    kehoach_cli::run_args(std::env::args_os())
}
