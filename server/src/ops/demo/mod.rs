//! The demo: accounts, one per role, and a plausible state of the portal at work (`fill`),
//! created only when asked for explicitly (`serve --demo` or `demo`) and removed with one command
//! (`demo --remove`, see `remove`). Everything is marked as demo data in the database and the
//! accounts also in the UI.

pub mod cases;
pub mod collab;
pub mod fill;
pub mod funding;
pub mod gremien;
pub mod links;
pub mod people;
pub mod remove;
pub mod rollout;
pub mod selfcheck;
pub mod services;
pub mod surveys;
pub mod usage;

use app::identity::Role;
use app::core::password;
use app::core::state::AppState;
use app::accounts::service::users;
use app::accounts::service::users::NewUser;

/// The demo partner's account: a person of the demo IT-Dienstleister, which operates two of
/// the demo's EfA services.
pub const PARTNER_EMAIL: &str = "demo.partner@ozg-portal.example";

/// One demo account: (e-mail, name, role, organisation key).
pub const ACCOUNTS: [(&str, &str, Role, &str); 8] = [
    ("demo.kommune@ozg-portal.example", "Demo Sachbearbeitung Magdeburg", Role::Clerk, "15003000"),
    ("demo.verbandsgemeinde@ozg-portal.example", "Demo Sachbearbeitung VG Beetzendorf-Diesdorf", Role::Clerk, "150815051"),
    // A second clerk of Magdeburg: a Kommune's people share one answer to a survey, one register.
    ("demo.kommune.vertretung@ozg-portal.example", "Demo Sachbearbeitung Magdeburg (Vertretung)", Role::Clerk, "15003000"),
    ("demo.beratung@ozg-portal.example", "Demo Beratung Land", Role::Advisor, "LAND"),
    // A second advisor: Wissensportal articles are published after a second person's review.
    ("demo.pruefung@ozg-portal.example", "Demo Beratung Land (zweite Prüfung)", Role::Advisor, "LAND"),
    ("demo.verband@ozg-portal.example", "Demo Städte- und Gemeindebund", Role::Association, "SGSA"),
    ("demo.admin@ozg-portal.example", "Demo Administration", Role::Admin, "LAND"),
    // A partner organisation's person: a member of a working group, nothing of a single Kommune.
    (PARTNER_EMAIL, "Demo IT-Dienstleister", Role::Partner, gremien::PARTNER_KEY),
];

/// A demo account with the password it was given now (`None`: it existed and was kept).
pub struct DemoAccount {
    pub email: &'static str,
    pub role: Role,
    pub password: Option<String>,
}

/// Creates missing demo accounts; with `reset`, gives existing ones a new password.
pub async fn ensure(state: &AppState, reset: bool) -> Result<Vec<DemoAccount>, String> {
    let mut out = Vec::new();
    gremien::ensure_partner(state).await?;
    for (email, name, role, org) in ACCOUNTS {
        let existing = users::find_by_email(&state.db, email).await.map_err(|e| e.to_string())?;
        let password = match existing {
            None => {
                let pw = password::generate();
                users::create(
                    &state.db,
                    &state.hasher,
                    None,
                    NewUser {
                        email: email.into(),
                        name: name.into(),
                        role,
                        org_keys: vec![org.into()],
                        password: pw.clone(),
                        is_demo: true,
                    },
                )
                .await
                .map_err(|e| format!("{email}: {}", e.summary().join(" ")))?;
                Some(pw)
            }
            Some(u) if reset => {
                if !u.is_demo {
                    return Err(format!("{email} ist kein Demo-Konto und wird nicht verändert"));
                }
                let pw = password::generate();
                users::set_password(&state.db, &state.hasher, None, &u.id, &pw)
                    .await
                    .map_err(|e| format!("{email}: {}", e.summary().join(" ")))?;
                Some(pw)
            }
            Some(_) => None,
        };
        out.push(DemoAccount { email, role, password });
    }
    Ok(out)
}

/// Fills the demo data (unless it is there) and says what it wrote.
pub async fn fill_and_report(state: &AppState) -> anyhow::Result<()> {
    println!("Demo-Daten anlegen (Register aller Kommunen mit Verlauf, Beratungsfälle) …");
    let started = std::time::Instant::now();
    match fill::fill(state).await? {
        Some(f) => println!(
            "Demo-Daten angelegt in {:.0} s: {} Registereinträge mit {} Verlaufseinträgen für {} Kommunen, {} Beratungsfälle mit {} Nachrichten und {} Anlagen, {} Anmerkungen, {} Wissensartikel, {} Termine, eine Mitteilung, {} Anbindungen an EfA-Dienste, {} Förderanträge, {} Abfragen und {} Gremien.",
            started.elapsed().as_secs_f64(),
            f.records,
            f.history,
            f.kommunen,
            f.cases,
            f.messages,
            f.attachments,
            f.annotations,
            f.articles,
            f.events,
            f.connections,
            f.applications,
            f.surveys,
            f.gremien
        ),
        None => println!("Die Demo-Daten bestehen bereits."),
    }
    Ok(())
}

/// `serve --demo`: the demo accounts and data, unless the database holds real data (then the
/// portal starts without the demo and says why).
pub async fn serve_demo(state: &AppState) -> anyhow::Result<()> {
    let h = fill::holdings(&state.db).await?;
    if h.real() {
        eprintln!("Hinweis: Demo nicht angelegt. {}", fill::refusal(&h));
        return Ok(());
    }
    let accounts = ensure(state, false).await.map_err(|e| anyhow::anyhow!("Demo-Konten: {e}"))?;
    fill_and_report(state).await?;
    print(&accounts);
    Ok(())
}

/// Prints the demo accounts; passwords appear only when they were just set.
pub fn print(accounts: &[DemoAccount]) {
    println!();
    println!("DEMO-KONTEN (nur zum Ausprobieren; Passwörter werden nur dieses eine Mal angezeigt):");
    for a in accounts {
        match &a.password {
            Some(pw) => println!("  {:<28} {:<44} Passwort: {pw}", a.role.label(), a.email),
            None => println!("  {:<28} {:<44} (besteht bereits – Passwort zurücksetzen mit »server demo --reset«)", a.role.label(), a.email),
        }
    }
    println!();
}

/// Writes `role;email;password` lines (mode 0600) for scripted use, e.g. the browser tests.
pub fn write_credentials(path: &std::path::Path, accounts: &[DemoAccount]) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    opts.mode(0o600);
    let mut f = opts.open(path)?;
    for a in accounts {
        if let Some(pw) = &a.password {
            writeln!(f, "{};{};{}", a.role.code(), a.email, pw)?;
        }
    }
    Ok(())
}
