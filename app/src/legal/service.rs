//! Reports of barriers (BITV 2.0 § 7): anyone may report without an account; the report is kept,
//! forwarded by mail to the configured address and confirmed to the sender who left an address;
//! administrators work them (offen → in Bearbeitung → erledigt). One client address may report
//! five times an hour (counted in the database, so across instances).

use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::barrier_report;
use crate::error::AppError;
use crate::legal::model::{looks_like_email, BarrierReport, ReportStatus};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Reports one client address may send per hour.
pub const PER_HOUR: u64 = 5;
pub const MAX_PAGE: usize = 500;
pub const MAX_DESCRIPTION: usize = 5000;
/// More links than this in a description read as spam.
pub const MAX_LINKS: usize = 3;

/// A report as the form sends it. `website` is a field people do not see: a filled one is spam.
#[derive(Debug, Clone, Default)]
pub struct NewReport {
    pub page: String,
    pub description: String,
    pub contact: String,
    pub website: String,
}

fn add(e: &mut BTreeMap<String, Vec<String>>, field: &str, message: &str) {
    e.entry(field.to_string()).or_default().push(message.to_string());
}

/// Checks, keeps and forwards a report; returns its id.
#[tracing::instrument(skip_all)]
pub async fn submit(db: &sea_orm::DatabaseConnection, config: &Config, r: NewReport, address: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let page = r.page.trim().to_string();
    let description = r.description.trim().to_string();
    let contact = r.contact.trim().to_string();
    let mut e = BTreeMap::new();
    if !r.website.trim().is_empty() || count_links(&description) > MAX_LINKS {
        add(&mut e, "beschreibung", "Die Meldung sieht nach automatisch erzeugter Werbung aus und wurde nicht angenommen. Bitte beschreiben Sie die Barriere mit eigenen Worten und höchstens drei Links.");
    }
    if page.chars().count() > MAX_PAGE {
        add(&mut e, "seite", "Die Seitenadresse darf höchstens 500 Zeichen lang sein.");
    }
    if description.is_empty() {
        add(&mut e, "beschreibung", "Bitte beschreiben Sie die Barriere.");
    } else if description.chars().count() > MAX_DESCRIPTION {
        add(&mut e, "beschreibung", "Die Beschreibung darf höchstens 5.000 Zeichen lang sein.");
    }
    if !contact.is_empty() && (contact.chars().count() > 254 || !looks_like_email(&contact)) {
        add(&mut e, "kontakt", "Bitte geben Sie eine gültige E-Mail-Adresse an oder lassen Sie das Feld leer.");
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let address_hash = hex::encode(Sha256::digest(rate_address(address).as_bytes()));
    let txn = crate::core::db::begin_write(db).await?;
    let recent = barrier_report::Entity::find()
        .filter(barrier_report::Column::AddressHash.eq(address_hash.clone()))
        .filter(barrier_report::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(&txn)
        .await?;
    if recent >= PER_HOUR {
        return Err(AppError::RateLimited("Von Ihrem Anschluss sind in der letzten Stunde schon fünf Meldungen eingegangen. Bitte versuchen Sie es später noch einmal.".into()));
    }
    let id = uuid::Uuid::now_v7().to_string();
    barrier_report::ActiveModel {
        id: Set(id.clone()),
        page: Set(page.clone()),
        description: Set(description.clone()),
        contact: Set(Some(contact.clone()).filter(|c| !c.is_empty())),
        status: Set(ReportStatus::Open),
        address_hash: Set(address_hash),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    if config.mail_enabled {
        let page_text = if page.is_empty() { "(nicht angegeben)".to_string() } else { page.clone() };
        if let Some(to) = &config.barrier_mail {
            let body = format!(
                "Über das OZG-Portal wurde eine Barriere gemeldet.\n\nSeite: {page_text}\nKontakt: {}\n\nBeschreibung:\n{description}\n\nBearbeiten: {}/verwaltung/barrieren\n",
                if contact.is_empty() { "(keiner angegeben)" } else { &contact },
                config.base_url.trim_end_matches('/')
            );
            crate::core::outbox::enqueue(&txn, to, "Gemeldete Barriere im OZG-Portal", &body).await?;
        }
        // The confirmation is a fixed text with the reference: the portal never mails what an
        // outsider wrote to an address an outsider chose.
        if !contact.is_empty() {
            let body = format!(
                "Guten Tag,\n\nvielen Dank für Ihre Meldung einer Barriere im OZG-Portal Sachsen-Anhalt. Wir haben sie erhalten und prüfen sie.\n\nIhre Vorgangsnummer: {id}\n\nWenn Sie diese Meldung nicht abgeschickt haben, können Sie diese Nachricht ignorieren.\n\nDiese Nachricht wurde automatisch erstellt.\n"
            );
            crate::core::outbox::enqueue(&txn, &contact, "Ihre Meldung einer Barriere ist eingegangen", &body).await?;
        }
    }
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(id)
}

/// The address a report is counted under: an IPv6 client by its /64 (one connection holds a
/// whole /64, so single addresses would be trivially rotated), an IPv4 client by its address.
pub fn rate_address(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(std::net::IpAddr::V6(v6)) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default(),
        _ => address.to_string(),
    }
}

/// Links in a text: anything with a scheme (`…://`, `mailto:`) or shaped like a host name
/// (`www.example.de`, `example.com/x`), whether or not it says "http".
pub fn count_links(text: &str) -> usize {
    text.split(|c: char| c.is_whitespace() || "<>()[]{}\"'«»„“,;".contains(c))
        .filter(|w| {
            let w = w.trim_matches(|c: char| ".:!?".contains(c)).to_lowercase();
            if w.contains("://") || w.starts_with("mailto:") || w.starts_with("www.") {
                return true;
            }
            let host = w.split(['/', '?', '#', '@']).find(|p| p.contains('.')).unwrap_or("");
            let labels: Vec<&str> = host.split('.').collect();
            labels.len() >= 2
                && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
                && labels.last().is_some_and(|t| t.chars().count() >= 2 && t.chars().all(char::is_alphabetic))
                && labels[..labels.len() - 1].iter().any(|l| l.chars().count() >= 2)
        })
        .count()
}

/// The reports, newest first (at most 500).
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<BarrierReport>, AppError> {
    let rows = barrier_report::Entity::find().order_by_desc(barrier_report::Column::CreatedAt).limit(500).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| BarrierReport {
            id: r.id,
            page: r.page,
            description: r.description,
            contact: r.contact,
            status: r.status,
            received: crate::core::time::format_berlin(r.created_at),
            changed: crate::core::time::format_berlin(r.updated_at),
        })
        .collect())
}

/// Moves a report to another status (administrators), with an audit entry.
pub async fn set_status(db: &sea_orm::DatabaseConnection, actor: &str, id: &str, status: ReportStatus) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let Some(r) = barrier_report::Entity::find_by_id(id.to_string()).one(&txn).await? else { return Err(AppError::NotFound) };
    let mut a: barrier_report::ActiveModel = r.into();
    a.status = Set(status);
    a.updated_at = Set(crate::core::time::now());
    a.update(&txn).await?;
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::BarrierReportStatus, object: Some(id), detail: Some(status.label().to_string()), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_counted_by_any_host_like_shape() {
        assert_eq!(count_links("siehe www.beispiel.de und beispiel.com/x, auch HTTPS://a.b.de"), 3);
        assert_eq!(count_links("Schreiben Sie an mailto:a@b.de oder besuchen Sie spam.shop"), 2);
        assert_eq!(count_links("Der Knopf z.B. auf Seite 1.5 ist zu klein. Abs. 3 BITV."), 0);
    }

    #[test]
    fn an_ipv6_client_counts_by_its_64() {
        assert_eq!(rate_address("2001:db8:1:2:aaaa::1"), rate_address("2001:db8:1:2:ffff:1:2:3"));
        assert_ne!(rate_address("2001:db8:1:2::1"), rate_address("2001:db8:1:3::1"));
        assert_eq!(rate_address("192.0.2.7"), "192.0.2.7");
        assert_eq!(rate_address("::ffff:192.0.2.7"), "192.0.2.7");
    }
}
