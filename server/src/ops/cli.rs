//! The command line: `serve`, `migrate`, `import`, `user`, `demo`.

use crate::fail;
use crate::ops::settings::Settings;
use app::identity::Role;
use app::core::state::AppState;
use clap::{Parser, Subcommand, ValueEnum};
use migrations::{Migrator, MigratorTrait};
use std::io::Read;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "server", version, about = "OZG-Portal Sachsen-Anhalt")]
pub struct Cli {
    /// Datenbank: sqlite://PFAD oder postgres://… (sonst DATABASE_URL, sonst sqlite://data/portal.sqlite)
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Portal starten (wendet ausstehende Migrationen an)
    Serve {
        /// Demo anlegen, falls die Datenbank keine echten Daten enthält: Demo-Konten (je Rolle eines, für die Beratung zwei,
        /// Passwörter einmalig ausgegeben) und Demo-Daten (Register, Beratungsfälle)
        #[arg(long)]
        demo: bool,
    },
    /// Datenbankmigrationen verwalten
    Migrate {
        #[arg(value_enum, default_value_t = MigrateAction::Up)]
        action: MigrateAction,
    },
    /// Referenzdaten importieren: ohne Pfad die mitgelieferten Daten, sonst die angegebenen Dateien
    Import { paths: Vec<PathBuf> },
    /// Nutzungszahlen der Zentralen Statistik-Komponente einlesen (CSV oder XLSX; alle Zeilen oder keine;
    /// ein schon eingelesener Monat wird ersetzt)
    UsageImport { file: PathBuf },
    /// Konten verwalten
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Konsistente Sicherung der laufenden Datenbank in eine neue Datei
    /// (SQLite: VACUUM INTO; PostgreSQL: pg_dump im Custom-Format)
    Backup { file: PathBuf },
    /// Sicherung in eine leere Datenbank zurückspielen (alle Instanzen vorher anhalten)
    Restore {
        file: PathBuf,
        /// Eine nicht leere Zieldatenbank ersetzen
        #[arg(long)]
        force: bool,
    },
    /// Bundesweiten Messdatenbestand laden
    National {
        #[command(subcommand)]
        action: NationalAction,
    },
    /// Beratungsfälle: Messdaten erzeugen
    Cases {
        #[command(subcommand)]
        action: CasesAction,
    },
    /// Lagebild-Kennzahlen (Rollups) verwalten
    Rollup {
        #[command(subcommand)]
        action: RollupAction,
    },
    /// Fristen prüfen und den E-Mail-Ausgang einmal bearbeiten (läuft in »serve« alle 30 s von selbst)
    Jobs,
    /// Messungen (in einem Release-Build ausführen)
    Bench {
        #[command(subcommand)]
        action: crate::bench::command::BenchAction,
    },
    /// Demo anlegen: Demo-Konten (je Rolle eines, für die Beratung zwei) und Demo-Daten – nur in einer Datenbank ohne echte Daten
    Demo {
        /// Bestehenden Demo-Konten neue Passwörter geben
        #[arg(long)]
        reset: bool,
        /// Zugangsdaten zusätzlich in diese Datei schreiben (Rolle;E-Mail;Passwort, Rechte 0600)
        #[arg(long)]
        credentials_file: Option<PathBuf>,
        /// Nur die Demo-Konten anlegen, keine Demo-Daten
        #[arg(long, conflicts_with = "remove")]
        accounts_only: bool,
        /// Die Demo vollständig entfernen: Demo-Daten und Demo-Konten mit allem, was sie hinterlassen haben
        #[arg(long, conflicts_with_all = ["reset", "credentials_file"])]
        remove: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum NationalAction {
    /// Alle Gemeinden Deutschlands × alle OZG-Leistungen als Registereinträge anlegen
    /// (≈ 6,1 Mio., mit Verlauf; nur für eine eigene Messdatenbank)
    Load {
        /// Gemeindeverzeichnis (CSV mit den Spalten ags, name, kind, kreis_ags, population, ars, area_ha)
        #[arg(long, default_value = "data/gemeinden_deutschland.csv")]
        file: PathBuf,
        /// Startwert des Zufallsgenerators (gleicher Wert, gleiche Daten)
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum RollupAction {
    /// Alle Kennzahlen aus Register und Kommunenverzeichnis neu berechnen (in einer Transaktion)
    Rebuild,
    /// Gespeicherte Kennzahlen jedes Gebiets mit der Live-Berechnung vergleichen
    Check,
}

#[derive(Subcommand, Debug)]
pub enum CasesAction {
    /// Beratungsfälle mit Nachrichten für Messungen erzeugen (nur für eine eigene Messdatenbank)
    Seed {
        /// Anzahl Fälle
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
        /// Anzahl Nachrichten insgesamt (gleichmäßig auf die Fälle verteilt)
        #[arg(long, default_value_t = 1_000_000)]
        messages: usize,
        /// Startwert des Zufallsgenerators
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
}


#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum MigrateAction {
    /// alle ausstehenden Migrationen anwenden
    Up,
    /// die letzte Migration zurücknehmen
    Down,
    /// Stand anzeigen
    Status,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum RoleArg {
    Clerk,
    Advisor,
    Association,
    Admin,
    Partner,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Clerk => Role::Clerk,
            RoleArg::Advisor => Role::Advisor,
            RoleArg::Association => Role::Association,
            RoleArg::Admin => Role::Admin,
            RoleArg::Partner => Role::Partner,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum UserAction {
    /// Konto anlegen
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Organisation: AGS bzw. Verbandsschlüssel der Kommune, LAND, SGSA, LKT oder der Schlüssel einer Partnerorganisation (mehrfach möglich)
        #[arg(long = "org")]
        orgs: Vec<String>,
        /// Passwort von der Standardeingabe lesen (sonst wird eines erzeugt und einmal ausgegeben)
        #[arg(long)]
        password_stdin: bool,
    },
    /// Passwort setzen (beendet alle Sitzungen des Kontos)
    SetPassword {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Rolle und Organisationen ändern (beendet alle Sitzungen und API-Schlüssel des Kontos)
    SetAccess {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Organisation: AGS bzw. Verbandsschlüssel der Kommune, LAND, SGSA, LKT oder der Schlüssel einer Partnerorganisation (mehrfach möglich)
        #[arg(long = "org")]
        orgs: Vec<String>,
    },
    /// Konto deaktivieren (beendet alle Sitzungen und API-Schlüssel)
    Deactivate {
        #[arg(long)]
        email: String,
    },
    /// Konto wieder aktivieren
    Reactivate {
        #[arg(long)]
        email: String,
    },
    /// Zweiten Faktor zurücksetzen (z. B. für die letzte Administration ohne Telefon); beendet alle Sitzungen
    ResetMfa {
        #[arg(long)]
        email: String,
    },
    /// Konten auflisten
    List,
}

fn read_password_stdin() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    Ok(s.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::from_env(cli.database_url.clone())?;
    match cli.command {
        Command::Serve { demo } => crate::ops::serve::serve(settings, demo).await,
        Command::Migrate { action } => {
            let db = app::core::db::connect(&settings.database_url).await?;
            match action {
                MigrateAction::Up => {
                    Migrator::up(&db, None).await?;
                    println!("Alle Migrationen sind angewendet.");
                }
                MigrateAction::Down => {
                    Migrator::down(&db, Some(1)).await?;
                    println!("Die letzte Migration wurde zurückgenommen.");
                }
                MigrateAction::Status => {
                    for m in Migrator::get_migration_with_status(&db).await? {
                        println!("{:<40} {:?}", m.name(), m.status());
                    }
                }
            }
            Ok(())
        }
        Command::Import { paths } => {
            let state = settings.open().await?;
            crate::ops::import::run(&state, &paths).await
        }
        Command::UsageImport { file } => {
            let state = settings.open().await?;
            let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let started = std::time::Instant::now();
            match app::usage::service::import_file(&state.db, &app::access::scope::Scope::Admin, None, &bytes, app::core::time::now()).await {
                Ok(done) => {
                    println!("{} Zahlen für {} eingelesen ({} ersetzt) in {:.1} s.", done.rows, done.months.join(", "), done.replaced, started.elapsed().as_secs_f64());
                    Ok(())
                }
                Err(app::usage::service::Refused::Problems(p)) => anyhow::bail!("{}: nichts eingelesen.\n{}", file.display(), p.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
                Err(app::usage::service::Refused::Other(e)) => anyhow::bail!("{}: {e}", file.display()),
            }
        }
        Command::User { action } => {
            let state = settings.open().await?;
            user(&state, action).await
        }
        Command::Bench { action } => crate::bench::command::run(&settings, action).await,
        Command::Backup { file } => crate::ops::backup::run(&settings.database_url, &file).await,
        Command::Restore { file, force } => crate::ops::backup::restore_and_report(&settings.database_url, &file, force).await,
        Command::National { action: NationalAction::Load { file, seed } } => {
            let state = settings.open().await?;
            let started = std::time::Instant::now();
            let (added, total, written) = crate::bench::national::load(&state, &file, seed).await?;
            println!(
                "{total} Gemeinden ({added} neu angelegt), {written} Registereinträge mit Verlauf geschrieben in {:.0} s.",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Cases { action: CasesAction::Seed { cases, messages, seed } } => {
            let state = settings.open().await?;
            let started = std::time::Instant::now();
            let (c, m) = crate::bench::cases_seed::seed(&state, cases, messages, seed).await?;
            println!("{c} Fälle mit {m} Nachrichten geschrieben in {:.0} s.", started.elapsed().as_secs_f64());
            // The deadline job catches up with the generated history here, as a running portal
            // would have done over time: measurements then see a portal at rest, not the backlog.
            let started = std::time::Instant::now();
            let (mut escalated, mut closed) = (0, 0);
            // Each run takes at most a batch per kind; the bound only guards against a job that
            // would never finish.
            for _ in 0..10_000 {
                let r = app::cases::service::jobs::run(&state.db, &state.config, app::core::time::now()).await.map_err(fail)?;
                escalated += r.escalated;
                closed += r.closed;
                if r.escalated + r.closed == 0 {
                    break;
                }
            }
            println!("Fristenprüfung nachgeholt in {:.0} s: {escalated} Fälle eskaliert, {closed} geschlossen.", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Rollup { action: RollupAction::Rebuild } => {
            let state = settings.open().await?;
            let started = std::time::Instant::now();
            app::rollups::rebuild(&state.db).await.map_err(fail)?;
            let txn = app::core::db::begin_write(&state.db).await?;
            app::rollout::service::rollup::rebuild(&txn).await.map_err(fail)?;
            txn.commit().await?;
            println!("Lagebild-Kennzahlen neu berechnet in {:.1} s.", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Rollup { action: RollupAction::Check } => {
            let state = settings.open().await?;
            let mut differing = 0;
            let areas = app::rollups::area_keys(&state.db).await.map_err(fail)?;
            for area in &areas {
                let live = app::rollups::live(&state.db, area).await.map_err(fail)?;
                let stored = app::rollups::stored(&state.db, area).await.map_err(fail)?;
                if live != stored {
                    differing += 1;
                    println!("Gebiet {area}: gespeicherte Kennzahlen weichen von der Live-Berechnung ab");
                }
            }
            println!("{} Gebiete geprüft, {differing} mit Abweichungen.", areas.len());
            if differing > 0 {
                anyhow::bail!("Kennzahlen weichen ab; »server rollup rebuild« berechnet sie neu.");
            }
            Ok(())
        }
        Command::Jobs => {
            let state = settings.open().await?;
            crate::ops::jobs::run_once(&state, settings.smtp.as_ref()).await;
            println!("Fristen geprüft{}.", if settings.smtp.is_some() { " und E-Mail-Ausgang bearbeitet" } else { " (kein SMTP-Server eingerichtet)" });
            Ok(())
        }
        Command::Demo { reset, credentials_file, accounts_only, remove } => {
            let state = settings.open().await?;
            if remove {
                let r = crate::ops::demo::remove::remove(&state).await?;
                println!("Demo entfernt: {} Registereinträge, {} Beratungsfälle, {} Konten. Die Kennzahlen sind neu berechnet.", r.records, r.cases, r.accounts);
                return Ok(());
            }
            if !accounts_only {
                let h = crate::ops::demo::fill::holdings(&state.db).await?;
                if h.real() {
                    anyhow::bail!(crate::ops::demo::fill::refusal(&h));
                }
            }
            let accounts = crate::ops::demo::ensure(&state, reset).await.map_err(|e| anyhow::anyhow!(e))?;
            if !accounts_only {
                crate::ops::demo::fill_and_report(&state).await?;
            }
            crate::ops::demo::print(&accounts);
            if let Some(path) = credentials_file {
                crate::ops::demo::write_credentials(&path, &accounts)?;
            }
            Ok(())
        }
    }
}

async fn user(state: &AppState, action: UserAction) -> anyhow::Result<()> {
    use app::accounts::service::users;
    match action {
        UserAction::Create { email, name, role, orgs, password_stdin } => {
            let (password, generated) =
                if password_stdin { (read_password_stdin()?, false) } else { (app::core::password::generate(), true) };
            let id = users::create(
                &state.db,
                &state.hasher,
                None,
                users::NewUser { email: email.clone(), name, role: role.into(), org_keys: orgs, password: password.clone(), is_demo: false },
            )
            .await
            .map_err(fail)?;
            println!("Konto angelegt: {email} (ID {id})");
            if generated {
                println!("Passwort (wird nur jetzt angezeigt): {password}");
            }
        }
        UserAction::SetPassword { email, password_stdin } => {
            let u = users::find_by_email(&state.db, &email).await.map_err(fail)?.ok_or_else(|| anyhow::anyhow!("Kein Konto mit der E-Mail-Adresse {email}"))?;
            let (password, generated) =
                if password_stdin { (read_password_stdin()?, false) } else { (app::core::password::generate(), true) };
            users::set_password(&state.db, &state.hasher, None, &u.id, &password).await.map_err(fail)?;
            println!("Passwort gesetzt für {email}; alle Sitzungen und API-Schlüssel dieses Kontos wurden beendet.");
            if generated {
                println!("Passwort (wird nur jetzt angezeigt): {password}");
            }
        }
        UserAction::SetAccess { email, role, orgs } => {
            let u = users::find_by_email(&state.db, &email).await.map_err(fail)?.ok_or_else(|| anyhow::anyhow!("Kein Konto mit der E-Mail-Adresse {email}"))?;
            users::change_access(&state.db, None, &u.id, role.into(), &orgs).await.map_err(fail)?;
            println!("Rolle und Organisationen von {email} geändert; alle Sitzungen und API-Schlüssel wurden beendet.");
        }
        UserAction::Deactivate { email } => {
            let u = users::find_by_email(&state.db, &email).await.map_err(fail)?.ok_or_else(|| anyhow::anyhow!("Kein Konto mit der E-Mail-Adresse {email}"))?;
            users::deactivate(&state.db, None, &u.id).await.map_err(fail)?;
            println!("Konto {email} deaktiviert; alle Sitzungen wurden beendet.");
        }
        UserAction::Reactivate { email } => {
            let u = users::find_by_email(&state.db, &email).await.map_err(fail)?.ok_or_else(|| anyhow::anyhow!("Kein Konto mit der E-Mail-Adresse {email}"))?;
            users::reactivate(&state.db, None, &u.id).await.map_err(fail)?;
            println!("Konto {email} wieder aktiviert.");
        }
        UserAction::ResetMfa { email } => {
            let u = users::find_by_email(&state.db, &email).await.map_err(fail)?.ok_or_else(|| anyhow::anyhow!("Kein Konto mit der E-Mail-Adresse {email}"))?;
            app::accounts::service::mfa::remove(&state.db, None, &u.id, app::vocabulary::audit::AuditAction::MfaReset).await.map_err(fail)?;
            println!("Zweiter Faktor von {email} zurückgesetzt; bei der nächsten Anmeldung wird er neu eingerichtet, wo er vorgeschrieben ist.");
        }
        UserAction::List => {
            println!("{:<40} {:<32} {:<12} {:<10} ORGANISATIONEN", "E-MAIL", "NAME", "ROLLE", "STATUS");
            for u in app::accounts::service::roster::list(&state.db).await.map_err(fail)? {
                println!(
                    "{:<40} {:<32} {:<12} {:<10} {}",
                    u.email,
                    u.name,
                    u.role.code(),
                    if u.active { "aktiv" } else { "inaktiv" },
                    u.organisations.join(", ")
                );
            }
        }
    }
    Ok(())
}

