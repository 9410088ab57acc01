//! `server import`: loads reference data with a progress bar and prints a summary.

use app::catalogue::service::import;
use app::catalogue::service::import::Summary;
use app::core::state::AppState;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

fn bar() -> ProgressBar {
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{msg:32} [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb
}

fn print_summary(summaries: &[Summary]) {
    println!(
        "{:<32} {:<18} {:>9} {:>9} {:>11} {:>15} {:>12}",
        "DATEI", "ART", "NEU", "GEÄNDERT", "UNVERÄNDERT", "NICHT IN DATEI", "ÜBERSPRUNGEN"
    );
    for s in summaries {
        println!(
            "{:<32} {:<18} {:>9} {:>9} {:>11} {:>15} {:>12}",
            s.file, s.kind, s.added, s.changed, s.unchanged, s.missing_from_file, s.skipped
        );
    }
    if summaries.iter().any(|s| s.skipped > 0) {
        println!("Übersprungen: LeiKa-Leistungen ohne Zuordnung zu einer OZG-Leistung.");
    }
    if summaries.iter().any(|s| s.missing_from_file > 0) {
        println!("Nicht in Datei: vorhandene Einträge, die die Datei nicht mehr enthält; sie bleiben erhalten.");
    }
}

/// Imports the shipped data (no paths) or the given files, in the order given.
pub async fn run(state: &AppState, paths: &[PathBuf]) -> anyhow::Result<()> {
    let pb = bar();
    let summaries = if paths.is_empty() {
        let mut progress = |name: &str, done: u64, total: u64| {
            if pb.message() != name {
                pb.set_message(name.to_string());
                pb.set_position(0);
            }
            pb.set_length(total);
            pb.set_position(done);
        };
        import::import_shipped(&state.db, &mut progress).await
    } else {
        let mut out = Vec::new();
        let mut result = Ok(());
        for path in paths {
            let name = path.display().to_string();
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => {
                    result = Err(import::ImportError { file: name, line: None, reason: format!("Datei nicht lesbar: {e}") });
                    break;
                }
            };
            pb.set_message(name.clone());
            pb.set_position(0);
            let mut progress = |done: u64, total: u64| {
                pb.set_length(total);
                pb.set_position(done);
            };
            match import::import_bytes(&state.db, &name, &bytes, &mut progress).await {
                Ok(s) => out.push(s),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        result.map(|()| out)
    };
    pb.finish_and_clear();
    match summaries {
        Ok(s) => {
            print_summary(&s);
            Ok(())
        }
        Err(e) => Err(anyhow::anyhow!("Import abgebrochen, nichts geändert: {e}")),
    }
}
