//! Importing accounts from CSV for a first roll-out: every row is checked first, then all are
//! stored in one transaction (or none), then the invitations go out.
//!
//! Columns (`;`-separated, header row, UTF-8 with or without BOM):
//! `E-Mail;Name;Rolle;Organisationen;Ansprechperson` — the role as code (`clerk`, `advisor`,
//! `association`, `admin`) or German label, the organisations as keys separated by spaces or
//! commas, Ansprechperson `ja`/`nein` (may be left out).

use crate::access::policy::{AccountManager, account_manager, may_manage_account};
use crate::core::session::CurrentUser;
use crate::core::state::AppState;
use crate::error::AppError;
use crate::identity::Role;
use std::collections::{BTreeMap, BTreeSet};

use super::users::{self, NewUser};

/// Most rows in one file.
pub const MAX_ROWS: usize = 2_000;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub created: usize,
    /// Links to hand over when no mail server is configured (e-mail address, link).
    pub links: Vec<(String, String)>,
}

fn role_of(v: &str) -> Option<Role> {
    let v = v.trim();
    Role::from_code(&v.to_lowercase()).or_else(|| Role::ALL.into_iter().find(|r| r.label().eq_ignore_ascii_case(v)))
}

fn yes(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "" | "nein" | "n" | "no" | "0" | "false" => Some(false),
        "ja" | "j" | "yes" | "1" | "true" | "x" => Some(true),
        _ => None,
    }
}

/// Imports the file. Errors name the line (the header is line 1) and change nothing.
#[tracing::instrument(skip_all)]
pub async fn import(state: &AppState, actor: &CurrentUser, bytes: &[u8]) -> Result<Imported, AppError> {
    let m = account_manager(actor)?;
    let text = std::str::from_utf8(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes))
        .map_err(|_| AppError::field("", "Die Datei ist nicht in UTF-8 kodiert. Bitte speichern Sie sie als »CSV UTF-8«."))?;
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').has_headers(true).flexible(true).from_reader(text.as_bytes());
    let mut errors: Vec<String> = Vec::new();
    let mut rows: Vec<(NewUser, Vec<crate::core::entities::organisation::Model>, bool)> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut elsewhere: Vec<crate::core::entities::app_user::Model> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        if rows.len() + errors.len() >= MAX_ROWS {
            errors.push(format!("Die Datei hat mehr als {MAX_ROWS} Zeilen; bitte teilen Sie sie."));
            break;
        }
        let r = match record {
            Ok(r) => r,
            Err(_) => {
                errors.push(format!("Zeile {line}: nicht lesbar (Anführungszeichen oder Trennzeichen prüfen)."));
                continue;
            }
        };
        let get = |i: usize| crate::core::csv_out::restore(r.get(i).unwrap_or_default().trim()).to_string();
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let Some(role) = role_of(&get(2)) else {
            errors.push(format!("Zeile {line}: »{}« ist keine Rolle (clerk, advisor, association oder admin).", get(2)));
            continue;
        };
        let Some(manages) = yes(&get(4)) else {
            errors.push(format!("Zeile {line}: Ansprechperson »{}« ist weder ja noch nein.", get(4)));
            continue;
        };
        let new = NewUser {
            email: super::address::normalise_email(&get(0)),
            name: get(1),
            role,
            org_keys: get(3).split([' ', ',']).map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect(),
            password: String::new(),
            is_demo: false,
        };
        let mut field_errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut hidden = None;
        let orgs = users::validate(&state.db, &new, &mut field_errors).await?;
        if !seen.insert(new.email.clone()) {
            field_errors.entry("email".into()).or_default().push(format!("Die Adresse {} steht mehrfach in der Datei.", new.email));
        } else if let Some(existing) = super::manage::out_of_sight(&state.db, &m, &new.email).await? {
            // Outside the Ansprechperson's Kommunen: counted as invited, the holder is told.
            hidden = Some(existing);
        } else if users::find_by_email(&state.db, &new.email).await?.is_some() {
            field_errors.entry("email".into()).or_default().push(format!("Für {} besteht bereits ein Konto.", new.email));
        }
        if manages && (m != AccountManager::All || role != Role::Clerk) {
            field_errors.entry("manages".into()).or_default().push("Ansprechperson kann nur eine Sachbearbeitung sein, bestimmt von der Administration.".into());
        }
        let ids: Vec<String> = orgs.iter().map(|o| o.id.clone()).collect();
        if field_errors.is_empty() && !may_manage_account(&m, role, &ids, manages) {
            field_errors.entry("org".into()).or_default().push("Sie können nur Sachbearbeitungen Ihrer eigenen Kommune(n) anlegen.".into());
        }
        if field_errors.is_empty() {
            match hidden {
                Some(existing) => elsewhere.push(existing),
                None => rows.push((new, orgs, manages)),
            }
        } else {
            errors.extend(field_errors.into_values().flatten().map(|m| format!("Zeile {line}: {m}")));
        }
    }
    if !errors.is_empty() {
        let mut map = BTreeMap::new();
        map.insert(String::new(), errors);
        return Err(AppError::Validation(map));
    }
    if rows.is_empty() && elsewhere.is_empty() {
        return Err(AppError::field("", "Die Datei enthält keine Konten."));
    }
    let txn = crate::core::db::begin_write(&state.db).await?;
    for existing in &elsewhere {
        super::manage::notice_existing(state, &txn, actor, existing).await?;
    }
    let mut links = Vec::new();
    for (new, orgs, manages) in &rows {
        let id = users::insert(&txn, Some(&actor.id), new, orgs, String::new(), *manages).await?;
        if let Some(link) = super::manage::send_invitation(state, &txn, actor, &id, &new.email, &new.name).await? {
            links.push((new.email.clone(), link));
        }
    }
    crate::core::audit::record(
        &txn,
        crate::core::audit::Entry { actor: Some(&actor.id), action: crate::vocabulary::audit::AuditAction::UsersImported, detail: Some(format!("{} Konten", rows.len())), ..Default::default() },
    )
    .await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(Imported { created: rows.len() + elsewhere.len(), links })
}
