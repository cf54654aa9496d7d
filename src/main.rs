/// A build allocates and frees many small strings on every thread; mimalloc does that
/// markedly faster than the system allocator (measured with callgrind, see bench/).
/// Version 3, not 2: 2 holds less memory and is as fast for a one-off build, but made the
/// preview's edits at 10,000 footprints a third slower (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    ldr::cli::run()
}
