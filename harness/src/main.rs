//! `session-account`: the command-line tool. See `session-account --help`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
