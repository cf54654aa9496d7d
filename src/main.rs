/// A build allocates and frees many small strings on every thread; mimalloc does that
/// markedly faster than the system allocator (measured with callgrind, see bench/).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    ldr::cli::run()
}
