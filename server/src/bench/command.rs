//! `server bench …`: the measurements (meant for a release build). Each prints its figures.

use crate::ops::settings::Settings;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum BenchAction {
    /// Dauerprobe: »serve« wird mitten im Schreiben mit SIGKILL beendet und neu gestartet; jeder
    /// bestätigte Schreibvorgang muss danach in der Datenbank stehen (auf einer neuen
    /// SQLite-Datei oder mit --postgres auf einer leeren PostgreSQL-Datenbank)
    Durability {
        #[arg(long, default_value_t = 200)]
        cycles: usize,
        /// Schreiber je Art (Fälle, Antworten, Registereinträge)
        #[arg(long, default_value_t = 2)]
        writers: usize,
        /// postgres://… einer leeren Datenbank statt einer neuen SQLite-Datei
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Gleichzeitige Schreiber gegen einen Server: Schreibvorgänge je Sekunde, Dauer, keine 5xx,
    /// kein »database is locked«
    Writers {
        #[arg(long, default_value_t = 50)]
        clients: usize,
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// postgres://… einer leeren Datenbank statt einer neuen SQLite-Datei
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Lagebild bei bundesweitem Datenbestand: Antwortzeiten aus den Rollups neben der
    /// Live-Berechnung, Gleichheit beider, Durchsatz der öffentlichen Seite
    Lagebild {
        /// Durchgänge je Anfrage
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        /// Dauer der Durchsatzmessung je Ziel in Sekunden (0: keine)
        #[arg(long, default_value_t = 10)]
        load_seconds: u64,
    },
    /// Durchsatz der angemeldeten Seiten und API-Listen unter Last (nach »cases seed«): wrk auf
    /// CPU 1 gegen das Portal auf CPU 0, neben denselben Bytes als statische Datei, und p50/p99
    /// bei fester Rate
    Throughput {
        /// Dauer je Messung in Sekunden
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Feste Rate für p50/p99 (Anfragen je Sekunde)
        #[arg(long, default_value_t = 250)]
        rate: u32,
        /// Schreibvorgänge je Sekunde neben der Last, je Wert eine ganze Tabelle
        #[arg(long, value_delimiter = ',', default_value = "0,10,50")]
        writes: Vec<u32>,
        /// Nur die Anfragen, deren Bezeichnung diesen Text enthält (z. B. »Startseite«)
        #[arg(long)]
        nur: Option<String>,
    },
    /// Lastgenerator (von den Durchsatzmessungen auf eigener CPU gestartet): Anfragen/s an
    /// einen Pfad, geschlossen (so viele, wie das Portal beantwortet) oder mit fester Rate
    Load {
        #[arg(long)]
        port: u16,
        #[arg(long)]
        path: String,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Anfragen je Sekunde (0: so viele wie möglich, 32 Verbindungen)
        #[arg(long, default_value_t = 0)]
        rate: u32,
        /// Cookie-Kopfzeile (Sitzung)
        #[arg(long)]
        cookie: Option<String>,
    },
    /// Antwortzeiten von Anmeldungen allein und während größtmöglicher Sammeländerungen im Register
    Bulk {
        /// Anmeldungen je Messung (10 je Sekunde)
        #[arg(long, default_value_t = 100)]
        logins: usize,
    },
    /// Antwortzeiten des Posteingangs der Beratungsfälle und der Volltextsuche messen
    Cases {
        /// Durchgänge je Anfrage
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
    /// Suche im Wissensportal auf einer neuen Datenbank mit erzeugten Artikeln: Antwortzeiten der
    /// Suche (API und Seite) nach Wörtern, Themenfeld und OZG-Leistung und der Vorschläge beim
    /// Anlegen eines Falls
    Wissen {
        /// Anzahl erzeugter veröffentlichter Artikel
        #[arg(long, default_value_t = 10_000)]
        articles: usize,
        /// Durchgänge je Anfrage
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        /// postgres://… einer leeren Datenbank statt einer neuen SQLite-Datei
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Nutzungszahlen auf einer neuen Datenbank in bundesweitem Umfang (jede Gemeinde × die
    /// Fokusleistungen × Monate, als Monatsdateien der ZSK eingelesen): Importzeit und
    /// Antwortzeiten der Seite und der offenen Daten
    Nutzung {
        /// Gemeindeverzeichnis (CSV wie bei »national load«)
        #[arg(long, default_value = "data/gemeinden_deutschland.csv")]
        file: std::path::PathBuf,
        /// Monate
        #[arg(long, default_value_t = 24)]
        months: u32,
        /// Durchgänge je Anfrage
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        /// postgres://… einer leeren Datenbank statt einer neuen SQLite-Datei
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Roll-out und Förderung im Lagebild auf einer neuen Datenbank in bundesweitem Umfang (jede
    /// Kommune × ein EfA-Dienst je Fokusleistung, Förderanträge): Antwortzeiten der Seiten und
    /// offenen Daten
    Nachnutzung {
        /// Gemeindeverzeichnis (CSV wie bei »national load«)
        #[arg(long, default_value = "data/gemeinden_deutschland.csv")]
        file: std::path::PathBuf,
        /// Durchgänge je Anfrage
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        /// postgres://… einer leeren Datenbank statt einer neuen SQLite-Datei
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Abfragen in bundesweitem Umfang auf einer neuen Datenbank: 30 Fragen an jede Kommune, von
    /// jeder beantwortet; Antwortzeiten der Auswertung, der Exporte, des Antwortformulars und der
    /// veröffentlichten Ergebnisse, Durchsatz des Antwortformulars unter Schreiblast
    Abfragen {
        /// Gemeindeverzeichnis (CSV wie bei »national load«)
        #[arg(long, default_value = "data/gemeinden_deutschland.csv")]
        file: std::path::PathBuf,
        /// Durchgänge je Anfrage
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        /// Dauer der Durchsatzmessung je Seite in Sekunden
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Schreibvorgänge je Sekunde neben der Last
        #[arg(long, default_value_t = 10)]
        writes: u32,
        /// postgres://… einer leeren Datenbank statt einer neuen SQLite-Datei
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Antwortzeiten der Registerseiten einer Kommune (Übersicht, gefilterte Liste) messen
    Register {
        /// Anzahl gemessener Kommunen (gleichmäßig über alle mit Einträgen verteilt)
        #[arg(long, default_value_t = 100)]
        kommunen: usize,
        /// Durchgänge je Kommune und Anfrageart
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
}

fn debug_hint() {
    if cfg!(debug_assertions) {
        println!("Hinweis: Debug-Build – aussagekräftig sind nur Messungen mit »cargo run --release«.");
    }
}

pub async fn run(settings: &Settings, action: BenchAction) -> anyhow::Result<()> {
    match action {
        BenchAction::Durability { cycles, writers, postgres } => {
            debug_hint();
            crate::bench::durability::bench(postgres, cycles, writers).await
        }
        BenchAction::Writers { clients, seconds, postgres } => {
            debug_hint();
            crate::bench::writers::bench(clients, seconds, postgres).await
        }
        BenchAction::Register { kommunen, rounds } => {
            let state = settings.open().await?;
            debug_hint();
            crate::bench::register(&state, kommunen, rounds).await?;
            Ok(())
        }
        BenchAction::Bulk { logins } => {
            let state = settings.open().await?;
            crate::bench::bulk::run(&state, logins).await
        }
        BenchAction::Cases { rounds } => {
            let state = settings.open().await?;
            debug_hint();
            crate::bench::cases(&state, rounds).await?;
            Ok(())
        }
        BenchAction::Lagebild { rounds, load_seconds } => {
            let state = settings.open().await?;
            debug_hint();
            crate::bench::lagebild::run(&state, &settings.database_url, rounds, load_seconds).await?;
            Ok(())
        }
        BenchAction::Throughput { seconds, rate, writes, nur } => {
            let state = settings.open().await?;
            debug_hint();
            crate::bench::throughput::run(&state, &settings.database_url, seconds, rate, &writes, nur.as_deref()).await
        }
        BenchAction::Nutzung { file, months, rounds, postgres } => {
            debug_hint();
            crate::bench::usage::run(&file, months, rounds, postgres).await
        }
        BenchAction::Nachnutzung { file, rounds, postgres } => {
            debug_hint();
            crate::bench::rollout::run(&file, rounds, postgres).await
        }
        BenchAction::Abfragen { file, rounds, seconds, writes, postgres } => {
            debug_hint();
            crate::bench::surveys::run(&file, rounds, seconds, writes, postgres).await
        }
        BenchAction::Wissen { articles, rounds, postgres } => {
            debug_hint();
            crate::bench::knowledge::run(articles, rounds, postgres).await
        }
        BenchAction::Load { port, path, seconds, rate, cookie } => crate::bench::load::load(port, &path, seconds, rate, cookie).await,
    }
}
