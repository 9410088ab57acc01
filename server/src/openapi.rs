//! The OpenAPI 3.1 description of the REST API, served at `/api/v1/openapi.json`.
//! Every path listed here is exercised by the integration tests, so the document cannot
//! promise an endpoint the router does not have.

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
];

fn err(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn ok(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description, "schema": { "type": "string" } })
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn stage_enum() -> Value {
    json!({ "type": "string", "enum": ["not_started", "planned", "in_progress", "pilot", "online", "discontinued"] })
}

fn solution_enum() -> Value {
    json!({ "type": "string", "enum": ["efa", "state_service", "provider", "own"] })
}

fn schemas() -> Value {
    json!({
        "Error": {
            "type": "object",
            "description": "Fehler mit deutscher Meldung; bei 422 die Meldungen je Feld.",
            "properties": {
                "error": { "type": "string" },
                "fields": { "type": ["object", "null"], "additionalProperties": { "type": "array", "items": { "type": "string" } } }
            },
            "required": ["error"]
        },
        "Me": {
            "type": "object",
            "properties": {
                "id": { "type": "string" }, "name": { "type": "string" }, "email": { "type": "string" },
                "role": { "type": "string", "enum": ["clerk", "advisor", "association", "admin"] },
                "organisations": { "type": "array", "items": { "type": "object" } },
                "is_demo": { "type": "boolean" }, "idle_timeout_secs": { "type": "integer" }
            }
        },
        "TokenInfo": {
            "type": "object",
            "properties": {
                "id": { "type": "string" }, "name": { "type": "string" },
                "prefix": { "type": "string", "description": "Die ersten Zeichen des Schlüssels." },
                "created_at": { "type": "string", "format": "date-time" },
                "expires_at": { "type": "string", "format": "date-time" },
                "last_used_at": { "type": ["string", "null"], "format": "date-time" },
                "revoked": { "type": "boolean" }
            }
        },
        "ServiceRecordInput": {
            "type": "object",
            "description": "Ein Eintrag des Leistungsregisters, wie er geschrieben wird. `version` ist die Version, auf der die Änderung beruht (0 für eine noch nicht erfasste Leistung); eine veraltete Version ergibt 409.",
            "required": ["offered", "responsibility", "stage", "version"],
            "properties": {
                "offered": { "type": "boolean" },
                "responsibility": { "type": "string", "enum": ["own", "other"] },
                "responsibility_note": { "type": ["string", "null"], "maxLength": 1000, "description": "Pflicht bei `other` (z. B. »Landkreis«)." },
                "stage": stage_enum(),
                "stage_dates": { "type": "object", "description": "Stand → Datum (JJJJ-MM-TT), an dem er erreicht wurde; in der Reihenfolge der Stände, nicht in der Zukunft.",
                    "propertyNames": stage_enum(), "additionalProperties": { "type": "string", "format": "date" } },
                "planned_go_live": { "type": ["string", "null"], "format": "date" },
                "maturity_model": { "type": ["string", "null"], "enum": ["1.1", "2.0", null] },
                "maturity_level": { "type": ["integer", "null"], "minimum": 0, "maximum": 7, "description": "0–4 im Modell 1.1, 0–7 im Modell 2.0." },
                "maturity_criteria": { "type": "object", "description": "Bewertung je Kriterium des Modells (Kurzname → Stufe, null = nicht erforderlich). Das niedrigste bewertete Kriterium bestimmt den Reifegrad.",
                    "additionalProperties": { "type": ["integer", "null"] } },
                "solution_kind": { "oneOf": [solution_enum(), { "type": "null" }] },
                "solution_name": { "type": ["string", "null"], "maxLength": 200, "description": "Bei `efa` Pflicht: die nachgenutzte EfA-Leistung." },
                "solution_provider": { "type": ["string", "null"], "maxLength": 200, "description": "Bei `efa` Pflicht: das bereitstellende Land." },
                "url": { "type": ["string", "null"], "format": "uri", "maxLength": 2000, "description": "Nur http(s)." },
                "contact": { "type": ["string", "null"], "maxLength": 300 },
                "note": { "type": ["string", "null"], "maxLength": 4000 },
                "version": { "type": "integer", "minimum": 0 }
            }
        },
        "ServiceRecord": {
            "allOf": [r("ServiceRecordInput"), {
                "type": "object",
                "properties": {
                    "municipality": { "type": "string", "description": "AGS bzw. Verbandsschlüssel" },
                    "ozg_id": { "type": "string" }, "service_name": { "type": "string" },
                    "updated_at": { "type": ["string", "null"], "format": "date-time" },
                    "updated_by": { "type": ["string", "null"] },
                    "acting_organisation": { "type": ["string", "null"], "description": "Für bzw. durch welche Organisation die letzte Änderung erfasst wurde." }
                }
            }]
        },
        "ListItem": {
            "type": "object",
            "properties": {
                "ozg_id": { "type": "string" }, "name": { "type": "string" }, "themenfeld": { "type": "string" }, "lebenslage": { "type": "string" },
                "focus": { "type": "boolean" }, "offered": { "type": "boolean" }, "responsibility": { "type": "string", "enum": ["own", "other"] },
                "stage": stage_enum(), "maturity_model": { "type": ["string", "null"] }, "maturity_level": { "type": ["integer", "null"] },
                "solution_kind": { "oneOf": [solution_enum(), { "type": "null" }] }, "version": { "type": "integer" }
            }
        },
        "HistoryEntry": {
            "type": "object",
            "properties": {
                "version": { "type": "integer" }, "changed_at": { "type": "string", "format": "date-time" },
                "user": { "type": ["string", "null"] }, "acting_organisation": { "type": ["string", "null"] },
                "changes": { "type": "array", "items": { "type": "object", "properties": {
                    "field": { "type": "string" }, "old": { "type": ["string", "null"] }, "new": { "type": ["string", "null"] } } } }
            }
        },
        "Annotation": {
            "type": "object",
            "properties": { "author": { "type": "string" }, "created_at": { "type": "string", "format": "date-time" }, "body": { "type": "string" } }
        },
        "BulkChange": {
            "type": "object",
            "description": "Eine Änderung für mehrere Leistungen: die gewählten OZG-IDs oder, ohne `ozg_ids`, alle Leistungen, die `filter` trifft. Alles oder nichts; je geänderter Leistung ein Eintrag im Verlauf.",
            "properties": {
                "ozg_ids": { "type": "array", "items": { "type": "string" } },
                "filter": { "type": "object" },
                "stage": stage_enum(), "solution_kind": solution_enum(),
                "solution_name": { "type": "string" }, "solution_provider": { "type": "string" },
                "planned_go_live": { "type": "string", "format": "date" }
            }
        },
        "ImportReport": {
            "type": "object", "properties": { "changed": { "type": "integer" }, "unchanged": { "type": "integer" } }
        },
        "Progress": {
            "type": "object",
            "description": "Stand je Monatsende aus dem Verlauf: Anteil der Leistungen des Katalogs, die online sind bzw. OZG-konform (Reifegrad ≥ 3 im Modell 1.1).",
            "properties": {
                "catalogue": { "type": "integer" },
                "months": { "type": "array", "items": { "type": "object", "properties": {
                    "month": { "type": "string", "description": "JJJJ-MM" },
                    "online": { "type": "integer" }, "compliant": { "type": "integer" } } } }
            }
        }
    })
}

/// The document.
pub fn build() -> Value {
    let ags = param("ags", "AGS der Kommune (bzw. Verbandsschlüssel einer Verbandsgemeinde)");
    let ozg = param("ozg_id", "OZG-ID der Leistung");
    let e401 = err("Nicht angemeldet oder API-Schlüssel ungültig");
    let e403 = err("Keine Berechtigung für diese Kommune");
    let e404 = err("Kommune oder Leistung nicht gefunden");
    let e422 = err("Ungültige Eingabe; Meldungen je Feld");
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "OZG-Portal Sachsen-Anhalt – REST-Schnittstelle",
            "version": "1",
            "description": "Leistungsregister der Kommunen. Anmeldung über die Sitzung (Cookie nach POST /session) oder einen persönlichen API-Schlüssel (`Authorization: Bearer ozgp_…`, anzulegen unter »Mein Konto«). Feldnamen englisch, Werte als Codes, Meldungen deutsch."
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
                        "properties": { "name": { "type": "string", "maxLength": 100 }, "days": { "type": "integer", "minimum": 1, "maximum": 365, "default": 90 } } } } } },
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
                "responses": { "200": ok("Je Monatsende: online und OZG-konform", r("Progress")), "401": e401.clone(), "403": e403, "404": e404 }
            } }
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
