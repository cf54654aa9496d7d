fn main() -> std::process::ExitCode {
    ldr::cli::run()
}
