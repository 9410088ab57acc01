//! The OpenAPI 3.1 description of the REST API, served at `/api/v1/openapi.json`.
//! Every path listed here is exercised by the integration tests, so the document cannot
//! promise an endpoint the router does not have.

mod schemas;

use schemas::*;

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Every (method, path) the document describes.
pub const OPERATIONS: &[(&str, &str)] = &[
    ("post", "/session"),
    ("delete", "/session"),
    ("get", "/me"),
    ("get", "/openapi.json"),
    ("get", "/tokens"),
    ("post", "/tokens"),
    ("delete", "/tokens/{id}"),
    ("get", "/municipalities/{ags}/services"),
    ("get", "/municipalities/{ags}/services.csv"),
    ("post", "/municipalities/{ags}/services.csv"),
    ("post", "/municipalities/{ags}/services/bulk"),
    ("get", "/municipalities/{ags}/services/{ozg_id}"),
    ("put", "/municipalities/{ags}/services/{ozg_id}"),
    ("get", "/municipalities/{ags}/services/{ozg_id}/history"),
    ("get", "/municipalities/{ags}/services/{ozg_id}/annotations"),
    ("post", "/municipalities/{ags}/services/{ozg_id}/annotations"),
    ("get", "/municipalities/{ags}/progress"),
    ("get", "/cases"),
    ("post", "/cases"),
    ("post", "/cases/bulk"),
    ("get", "/cases/{id}"),
    ("patch", "/cases/{id}"),
    ("get", "/cases/{id}/messages"),
    ("post", "/cases/{id}/messages"),
    ("get", "/cases/{id}/attachments"),
    ("post", "/cases/{id}/attachments"),
    ("get", "/cases/{id}/attachments/{aid}"),
    ("post", "/cases/{id}/links"),
    ("post", "/cases/{id}/duplicate"),
    ("post", "/cases/{id}/confirm"),
    ("get", "/case-categories"),
    ("get", "/case-teams"),
    ("get", "/notifications"),
    ("post", "/notifications/read"),
    ("get", "/public/lagebild"),
    ("get", "/public/areas/{ars}/services"),
    ("get", "/public/services/{ozg_id}"),
    ("get", "/public/leika/{key}"),
    ("get", "/aggregates/lagebild"),
    ("get", "/aggregates/areas/{ars}/services"),
];

/// The document.
pub fn build() -> Value {
    let ags = param("ags", "AGS der Kommune (bzw. Verbandsschlüssel einer Verbandsgemeinde)");
    let ozg = param("ozg_id", "OZG-ID der Leistung");
    let e401 = err("Nicht angemeldet oder API-Schlüssel ungültig");
    let e403 = err("Keine Berechtigung für diese Kommune");
    let e404 = err("Kommune oder Leistung nicht gefunden");
    let e422 = err("Ungültige Eingabe; Meldungen je Feld");
    let e429 = err("Zu viele Anfragen von dieser Adresse; Retry-After nennt die Wartezeit in Sekunden");
    let lagebild_params = vec![
        query("gebiet", "Land (2 Ziffern, Standard 15) oder Kreis (5 Ziffern)", json!({ "type": "string" })),
        query("themenfeld", "Themenfeld", json!({ "type": "string" })),
        query("lage", "Lebens- bzw. Unternehmenslage", json!({ "type": "string" })),
        query("fokus", "nur Fokusleistungen", json!({ "type": "boolean" })),
        query("ozg_id", "eine OZG-Leistung", json!({ "type": "string" })),
        query("format", "json oder csv", json!({ "type": "string", "enum": ["json", "csv"] })),
    ];
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "OZG-Portal Sachsen-Anhalt – REST-Schnittstelle",
            "version": "1",
            "description": "Leistungsregister der Kommunen und Beratungsfälle. Anmeldung über die Sitzung (Cookie nach POST /session) oder einen persönlichen API-Schlüssel (`Authorization: Bearer ozgp_…`, anzulegen unter »Mein Konto«). Feldnamen englisch, Werte als Codes, Meldungen deutsch."
        },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "bearerAuth": [] }, { "sessionCookie": [] }],
        "paths": {
            "/session": {
                "post": { "summary": "Anmelden", "security": [], "requestBody": { "required": true, "content": { "application/json": { "schema": {
                    "type": "object", "required": ["email", "password"], "properties": { "email": { "type": "string" }, "password": { "type": "string" } } } } } },
                    "responses": { "204": { "description": "Angemeldet; die Sitzung steht im Cookie" }, "401": e401.clone(), "422": e422.clone(), "429": err("Zu viele Versuche") } },
                "delete": { "summary": "Abmelden", "responses": { "204": { "description": "Abgemeldet" } } }
            },
            "/me": { "get": { "summary": "Angemeldete Person", "responses": { "200": ok("Person mit Rolle und Organisationen", r("Me")), "401": e401.clone() } } },
            "/openapi.json": { "get": { "summary": "Diese Beschreibung", "security": [], "responses": { "200": { "description": "OpenAPI 3.1" } } } },
            "/tokens": {
                "get": { "summary": "Eigene API-Schlüssel", "responses": { "200": ok("Liste (ohne die Schlüssel selbst)", json!({ "type": "array", "items": r("TokenInfo") })), "401": e401.clone() } },
                "post": { "summary": "API-Schlüssel anlegen (nur mit Sitzung)", "security": [{ "sessionCookie": [] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["name"],
                        "properties": { "name": { "type": "string", "maxLength": 100 }, "days": { "type": "integer", "minimum": 1, "maximum": 365, "default": 90 }, "scope": { "type": "string", "enum": ["read", "write"], "default": "read" } } } } } },
                    "responses": { "201": ok("Der Schlüssel (nur in dieser Antwort) und seine Angaben", json!({ "type": "object", "properties": { "token": { "type": "string" }, "info": r("TokenInfo") } })),
                        "401": e401.clone(), "403": err("Mit einem API-Schlüssel angemeldet"), "422": e422.clone() } }
            },
            "/tokens/{id}": { "delete": { "summary": "Eigenen API-Schlüssel widerrufen", "parameters": [param("id", "Kennung des Schlüssels")],
                "responses": { "204": { "description": "Widerrufen" }, "401": e401.clone(), "404": e404.clone() } } },
            "/municipalities/{ags}/services": { "get": {
                "summary": "Leistungen einer Kommune mit ihrem Stand",
                "parameters": [ags.clone(),
                    query("themenfeld", "Themenfeld", json!({ "type": "string" })),
                    query("lebenslage", "Lebens- bzw. Unternehmenslage", json!({ "type": "string" })),
                    query("stage", "Umsetzungsstand", stage_enum()),
                    query("maturity_model", "Reifegradmodell (mit maturity_level)", json!({ "type": "string", "enum": ["1.1", "2.0"] })),
                    query("maturity_level", "Reifegrad", json!({ "type": "integer" })),
                    query("solution_kind", "Lösung", solution_enum()),
                    query("focus", "nur Fokusleistungen", json!({ "type": "boolean" })),
                    query("q", "Suche nach Name, OZG-ID oder LeiKa-Schlüssel", json!({ "type": "string" }))],
                "responses": { "200": ok("Alle Leistungen des Katalogs, gefiltert", json!({ "type": "array", "items": r("ListItem") })), "401": e401.clone(), "403": e403.clone(), "404": e404.clone(), "422": e422.clone() }
            } },
            "/municipalities/{ags}/services.csv": {
                "get": { "summary": "Register als CSV (deutsche Spaltennamen, »;«, UTF-8 mit BOM)", "parameters": [ags.clone()],
                    "responses": { "200": { "description": "CSV", "content": { "text/csv": { "schema": { "type": "string" } } } }, "401": e401.clone(), "403": e403.clone(), "404": e404.clone() } },
                "post": { "summary": "CSV im Format des Exports einlesen: alle Zeilen oder keine", "parameters": [ags.clone()],
                    "requestBody": { "required": true, "content": { "text/csv": { "schema": { "type": "string" } } } },
                    "responses": { "200": ok("Was sich geändert hat", r("ImportReport")), "401": e401.clone(), "403": e403.clone(), "404": e404.clone(),
                        "409": err("Ein Eintrag wurde inzwischen geändert"), "422": err("Fehler mit Zeile und Spalte; nichts wurde gespeichert") } }
            },
            "/municipalities/{ags}/services/bulk": { "post": {
                "summary": "Sammeländerung", "parameters": [ags.clone()],
                "requestBody": { "required": true, "content": { "application/json": { "schema": r("BulkChange") } } },
                "responses": { "200": ok("Anzahl geänderter Leistungen", json!({ "type": "object", "properties": { "changed": { "type": "integer" } } })),
                    "401": e401.clone(), "403": e403.clone(), "404": e404.clone(), "409": err("Ein Eintrag wurde inzwischen geändert"), "422": e422.clone() }
            } },
            "/municipalities/{ags}/services/{ozg_id}": {
                "get": { "summary": "Ein Eintrag", "parameters": [ags.clone(), ozg.clone()],
                    "responses": { "200": ok("Der Eintrag (unerfasst: »nicht begonnen«, Version 0)", r("ServiceRecord")), "401": e401.clone(), "403": e403.clone(), "404": e404.clone() } },
                "put": { "summary": "Eintrag speichern", "parameters": [ags.clone(), ozg.clone()],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": r("ServiceRecordInput") } } },
                    "responses": { "200": ok("Gespeichert (oder unverändert bei doppelter Übermittlung)", r("ServiceRecord")),
                        "401": e401.clone(), "403": e403.clone(), "404": e404.clone(),
                        "409": err("Veraltete Version; die Meldung nennt die neueren Werte"), "422": e422.clone() } }
            },
            "/municipalities/{ags}/services/{ozg_id}/history": { "get": {
                "summary": "Verlauf eines Eintrags (neueste zuerst)", "parameters": [ags.clone(), ozg.clone()],
                "responses": { "200": ok("Änderungen mit Person, Organisation, Zeitpunkt, alt → neu", json!({ "type": "array", "items": r("HistoryEntry") })),
                    "401": e401.clone(), "403": e403.clone(), "404": e404.clone() }
            } },
            "/municipalities/{ags}/services/{ozg_id}/annotations": {
                "get": { "summary": "Anmerkungen der Landesberatung", "parameters": [ags.clone(), ozg.clone()],
                    "responses": { "200": ok("Anmerkungen", json!({ "type": "array", "items": r("Annotation") })), "401": e401.clone(), "403": e403.clone(), "404": e404.clone() } },
                "post": { "summary": "Anmerkung schreiben (Landesberatung)", "parameters": [ags.clone(), ozg.clone()],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["body"], "properties": { "body": { "type": "string" } } } } } },
                    "responses": { "201": { "description": "Gespeichert" }, "401": e401.clone(), "403": e403.clone(), "404": e404.clone(), "422": e422.clone() } }
            },
            "/municipalities/{ags}/progress": { "get": {
                "summary": "Digitalisierungsstand je Monat", "parameters": [ags, query("months", "Anzahl Monate (1–60, Standard 12)", json!({ "type": "integer" }))],
                "responses": { "200": ok("Je Monatsende: online und OZG-konform", r("Progress")), "401": e401.clone(), "403": e403.clone(), "404": e404.clone() }
            } },
            "/cases": {
                "get": { "summary": "Beratungsfälle im eigenen Bereich (Posteingang)", "parameters": [
                        query("view", "Ansicht", json!({ "type": "string", "enum": ["mine", "unassigned", "overdue", "due_soon", "waiting", "open", "all"], "default": "open" })),
                        query("status", "Status (mehrere durch Komma)", json!({ "type": "string" })),
                        query("priority", "Priorität (nur Landesberatung)", json!({ "type": "string" })),
                        query("category", "Kategorie-Code", json!({ "type": "string" })),
                        query("team", "Team-Kennung oder none", json!({ "type": "string" })),
                        query("owner", "Kennung der zuständigen Person, me oder none", json!({ "type": "string" })),
                        query("kreis", "Kreisschlüssel (5 Ziffern)", json!({ "type": "string" })),
                        query("municipality", "AGS bzw. Verbandsschlüssel", json!({ "type": "string" })),
                        query("ozg_id", "OZG-ID", json!({ "type": "string" })),
                        query("tag", "Schlagwort (nur Landesberatung)", json!({ "type": "string" })),
                        query("from", "angelegt ab (JJJJ-MM-TT)", json!({ "type": "string", "format": "date" })),
                        query("to", "angelegt bis (JJJJ-MM-TT)", json!({ "type": "string", "format": "date" })),
                        query("q", "Volltextsuche über Betreff, Beschreibung, Antworten (Landesberatung: auch interne Notizen)", json!({ "type": "string" })),
                        query("sort", "Sortierung", json!({ "type": "string", "enum": ["updated", "created", "due", "priority"] })),
                        query("page", "Seite (50 Fälle je Seite)", json!({ "type": "integer" }))],
                    "responses": { "200": ok("Eine Seite", r("CasePage")), "401": e401.clone(), "403": e403.clone(), "422": e422.clone() } },
                "post": { "summary": "Fall anlegen (Sachbearbeitung einer Kommune)",
                    "requestBody": { "required": true, "content": { "application/json": { "schema": r("NewCase") } } },
                    "responses": { "201": ok("Der neue Fall", r("Case")), "401": e401.clone(), "403": e403.clone(), "422": e422.clone() } }
            },
            "/cases/bulk": { "post": { "summary": "Sammelaktion (Landesberatung)",
                "requestBody": { "required": true, "content": { "application/json": { "schema": r("CaseBulk") } } },
                "responses": { "200": ok("Anzahl geänderter Fälle", json!({ "type": "object", "properties": { "changed": { "type": "integer" } } })),
                    "401": e401.clone(), "403": e403.clone(), "422": err("Mindestens ein Fall kann nicht geändert werden; keiner wurde geändert") } } },
            "/cases/{id}": {
                "get": { "summary": "Ein Fall mit Unterhaltung, Verlauf und Verknüpfungen", "parameters": [param("id", "Fallnummer")],
                    "responses": { "200": ok("Der Fall", r("CaseDetail")), "401": e401.clone(), "403": e403.clone(), "404": e404.clone() } },
                "patch": { "summary": "Status, Zuständigkeit, Team, Priorität, Schlagwörter ändern (Landesberatung)", "parameters": [param("id", "Fallnummer")],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": r("CasePatch") } } },
                    "responses": { "200": ok("Der geänderte Fall", r("Case")), "401": e401.clone(), "403": e403.clone(), "404": e404.clone(),
                        "409": err("Veraltete Version"), "422": err("Unzulässiger Statuswechsel oder ungültige Angabe") } }
            },
            "/cases/{id}/messages": {
                "get": { "summary": "Nachrichten (für Kommunen ohne interne Notizen)", "parameters": [param("id", "Fallnummer")],
                    "responses": { "200": ok("Nachrichten", json!({ "type": "array", "items": r("Message") })), "401": e401.clone(), "403": e403.clone(), "404": e404.clone() } },
                "post": { "summary": "Antwort schreiben; internal: true (interne Notiz) nur für die Landesberatung", "parameters": [param("id", "Fallnummer")],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["body"],
                        "properties": { "body": { "type": "string" }, "internal": { "type": "boolean", "default": false } } } } } },
                    "responses": { "201": ok("Die Nachricht", r("Message")), "401": e401.clone(), "403": e403.clone(), "404": e404.clone(),
                        "409": err("Fall geschlossen bzw. Frist zur Wiedereröffnung abgelaufen"), "422": e422.clone() } }
            },
            "/cases/{id}/attachments": {
                "get": { "summary": "Anhänge", "parameters": [param("id", "Fallnummer")],
                    "responses": { "200": ok("Anhänge", json!({ "type": "array", "items": r("Attachment") })), "401": e401.clone(), "403": e403.clone(), "404": e404.clone() } },
                "post": { "summary": "Dateien hochladen (multipart/form-data, Feld »datei«, bis 5 Dateien; »internal=true« nur Landesberatung). Geprüft werden Größe und Inhalt (PDF, Bilder, Office, Text, CSV).",
                    "parameters": [param("id", "Fallnummer")],
                    "requestBody": { "required": true, "content": { "multipart/form-data": { "schema": { "type": "object", "properties": { "datei": { "type": "string", "format": "binary" }, "internal": { "type": "boolean" } } } } } },
                    "responses": { "201": ok("Die gespeicherten Anhänge", json!({ "type": "array", "items": r("Attachment") })), "401": e401.clone(), "403": e403.clone(), "404": e404.clone(),
                        "409": err("Fall geschlossen"), "422": err("Zu groß oder nicht erlaubte Art; nichts gespeichert") } }
            },
            "/cases/{id}/attachments/{aid}": { "get": { "summary": "Anhang herunterladen (immer als Download)", "parameters": [param("id", "Fallnummer"), param("aid", "Kennung des Anhangs")],
                "responses": { "200": { "description": "Die Datei mit Content-Disposition: attachment" }, "401": e401.clone(), "403": e403.clone(), "404": e404.clone() } } },
            "/cases/{id}/links": { "post": { "summary": "Mit einem anderen Fall verknüpfen (Landesberatung)", "parameters": [param("id", "Fallnummer")],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["other"], "properties": { "other": { "type": "integer" } } } } } },
                "responses": { "204": { "description": "Verknüpft" }, "401": e401.clone(), "403": e403.clone(), "404": e404.clone(), "422": e422.clone() } } },
            "/cases/{id}/duplicate": { "post": { "summary": "Als Duplikat eines Falls derselben Kommune schließen (Landesberatung)", "parameters": [param("id", "Fallnummer")],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["of", "version"], "properties": { "of": { "type": "integer" }, "version": { "type": "integer" } } } } } },
                "responses": { "204": { "description": "Geschlossen" }, "401": e401.clone(), "403": e403.clone(), "404": e404.clone(), "409": err("Veraltete Version"), "422": e422.clone() } } },
            "/cases/{id}/confirm": { "post": { "summary": "Lösung bestätigen (Kommune): der Fall wird geschlossen", "parameters": [param("id", "Fallnummer")],
                "responses": { "204": { "description": "Geschlossen" }, "401": e401.clone(), "403": e403.clone(), "404": e404.clone(), "409": err("Fall ist nicht gelöst") } } },
            "/public/lagebild": { "get": { "summary": "Lagebild (offene Daten, ohne Anmeldung, begrenzt je Adresse): ein Land oder Kreis mit seinen Kreisen und Themenfeldern", "security": [],
                "parameters": lagebild_params.clone(),
                "responses": { "200": { "description": "JSON oder CSV (format=csv: deutsche Spalten, »;«, UTF-8 mit BOM, Definitionen und Datenstand in der Datei)",
                    "content": { "application/json": { "schema": r("Lagebild") }, "text/csv": { "schema": { "type": "string" } } } }, "404": e404.clone(), "422": e422.clone(), "429": e429.clone() } } },
            "/public/areas/{ars}/services": { "get": { "summary": "Kennzahlen je OZG-Leistung in einem Gebiet (seitenweise; CSV: alle Zeilen)", "security": [],
                "parameters": [param("ars", "Land (2) oder Kreis (5 Ziffern)"), query("page", "Seite", json!({ "type": "integer" })),
                    query("per_page", "Zeilen je Seite (1–1000, Standard 100)", json!({ "type": "integer" })), query("format", "json oder csv", json!({ "type": "string", "enum": ["json", "csv"] }))],
                "responses": { "200": ok("Eine Seite", r("ServicePage")), "404": e404.clone(), "422": e422.clone(), "429": e429.clone() } } },
            "/public/services/{ozg_id}": { "get": { "summary": "Eine OZG-Leistung im Land und in jedem Kreis", "security": [],
                "parameters": [param("ozg_id", "OZG-ID"), query("gebiet", "Land oder Kreis", json!({ "type": "string" })), query("format", "json oder csv", json!({ "type": "string" }))],
                "responses": { "200": ok("Lagebild der Leistung", r("Lagebild")), "404": e404.clone(), "429": e429.clone() } } },
            "/public/leika/{key}": { "get": { "summary": "Die OZG-Leistung eines LeiKa-Schlüssels im Land und in jedem Kreis", "security": [],
                "parameters": [param("key", "LeiKa-Schlüssel (14 Ziffern)"), query("format", "json oder csv", json!({ "type": "string" }))],
                "responses": { "200": ok("Lagebild der Leistung", r("Lagebild")), "404": e404.clone(), "422": e422.clone(), "429": e429.clone() } } },
            "/aggregates/lagebild": { "get": { "summary": "Lagebild über die Mitglieder des eigenen Spitzenverbands (Verbände; Landesberatung: alle Kommunen ohne Unterdrückung)",
                "parameters": lagebild_params,
                "responses": { "200": ok("Lagebild", r("Lagebild")), "401": e401.clone(), "403": e403.clone(), "422": e422.clone() } } },
            "/aggregates/areas/{ars}/services": { "get": { "summary": "Kennzahlen je OZG-Leistung über die Mitglieder des eigenen Verbands",
                "parameters": [param("ars", "Land (2) oder Kreis (5 Ziffern)"), query("page", "Seite", json!({ "type": "integer" })), query("per_page", "Zeilen je Seite", json!({ "type": "integer" })), query("format", "json oder csv", json!({ "type": "string" }))],
                "responses": { "200": ok("Eine Seite", r("ServicePage")), "401": e401.clone(), "403": e403.clone(), "422": e422.clone() } } },
            "/case-categories": { "get": { "summary": "Kategorien der Beratungsfälle",
                "responses": { "200": ok("Kategorien", json!({ "type": "array", "items": { "type": "object", "properties": { "code": { "type": "string" }, "label": { "type": "string" }, "active": { "type": "boolean" } } } })), "401": e401.clone() } } },
            "/case-teams": { "get": { "summary": "Teams der Landesberatung",
                "responses": { "200": ok("Teams", json!({ "type": "array", "items": { "type": "object" } })), "401": e401.clone(), "403": e403 } } },
            "/notifications": { "get": { "summary": "Eigene Benachrichtigungen (neueste 100)",
                "responses": { "200": ok("Benachrichtigungen", json!({ "type": "array", "items": { "type": "object" } })), "401": e401.clone() } } },
            "/notifications/read": { "post": { "summary": "Alle eigenen Benachrichtigungen als gelesen markieren",
                "responses": { "204": { "description": "Erledigt" }, "401": e401 } } }
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": { "type": "http", "scheme": "bearer", "description": "Persönlicher API-Schlüssel (ozgp_…)" },
                "sessionCookie": { "type": "apiKey", "in": "cookie", "name": "__Host-ozg_session" }
            },
            "schemas": schemas()
        }
    })
}

/// `GET /api/v1/openapi.json`
pub async fn document() -> Response {
    Json(build()).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_listed_operation_is_documented_and_nothing_else() {
        let doc = super::build();
        let paths = doc["paths"].as_object().cloned().unwrap_or_default();
        let mut documented = Vec::new();
        for (path, ops) in &paths {
            for method in ops.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                documented.push((method, path.clone()));
            }
        }
        let mut listed: Vec<(String, String)> = super::OPERATIONS.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
        documented.sort();
        listed.sort();
        assert_eq!(documented, listed);
        // Every $ref points at a defined schema.
        let text = doc.to_string();
        for part in text.split("#/components/schemas/").skip(1) {
            let name: String = part.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            assert!(doc["components"]["schemas"].get(&name).is_some(), "schema {name} is referenced but not defined");
        }
    }
}
