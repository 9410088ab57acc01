//! Entry point of the `server` binary.

use clap::Parser;
use tracing_subscriber::EnvFilter;

// Many small allocations freed on other threads than they were made on (request handling,
// the database driver's worker, bulk loads): mimalloc handles these without glibc's arena locks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keeps the kernel from backing the process's memory with transparent huge pages also where
/// the system enables them for every process (`always`): mimalloc's `no_thp` only stops it from
/// asking for them. Resident memory then follows what the portal uses.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and changes only a flag of this
    // process; a failure (an old kernel) leaves the default, which is harmless.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Two arenas for the C allocator, which SQLite's own memory (page cache, statements, sorting)
/// comes from: glibc gives every thread that allocates its own arena, up to eight per core, and
/// each SQLite connection runs on a thread of its own, so each kept its freed memory apart.
/// Measured in the throughput benchmark: 10–20 MiB less resident memory in most of its rows, at
/// the same rates.
fn few_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt takes two integers and only changes how glibc's malloc picks arenas; it
    // runs before the database connections start their threads. A refusal (returns 0) leaves
    // the default.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    no_huge_pages();
    few_malloc_arenas();
    let cli = server::ops::cli::Cli::parse();
    let json = std::env::var("LOG_FORMAT").is_ok_and(|v| v.trim() == "json");
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    if json {
        tracing_subscriber::fmt().json().with_env_filter(filter).with_writer(std::io::stderr).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    }
    match server::ops::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Fehler: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
