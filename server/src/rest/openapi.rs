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
        "AreaFigures": {
            "type": "object",
            "description": "Kennzahlen eines Gebiets für eine Auswahl des Katalogs; null = unterdrückt (weniger Kommunen als der Schwellenwert). Definitionen: Feld »definitions« der Antwort.",
            "properties": {
                "area": { "type": "string", "description": "ARS: Land (2), Kreis (5) oder Verbandsgemeinde (9 Ziffern); bei Verbänden mit :gem bzw. :lk" },
                "name": { "type": "string" }, "level": { "type": "string", "enum": ["land", "kreis", "vg"] },
                "kommunen": { "type": "integer" }, "population": { "type": "integer" }, "suppressed": { "type": "boolean" },
                "services": { "type": "integer" }, "flaechendeckend": { "type": ["integer", "null"] }, "mindestens_eine": { "type": ["integer", "null"] },
                "responsible": { "type": ["integer", "null"] }, "online": { "type": ["integer", "null"] },
                "reifegrad_2": { "type": ["integer", "null"] }, "reifegrad_3": { "type": ["integer", "null"] },
                "model_11": { "type": ["array", "null"], "items": { "type": "integer" } },
                "model_20": { "type": ["array", "null"], "items": { "type": "integer" } },
                "stale_kommunen": { "type": ["integer", "null"], "description": "Kommunen ohne Registeränderung seit 90 Tagen" }, "stages": { "type": ["array", "null"], "items": { "type": "integer" } },
                "efa": { "type": ["integer", "null"] }, "population_responsible": { "type": ["integer", "null"] }, "population_online": { "type": ["integer", "null"] },
                "data_date": { "type": "string", "format": "date-time" }
            }
        },
        "TrendPoint": {
            "type": "object",
            "description": "Kennzahlen zum Ende eines Monats; null = unterdrückt (jede Leistung der Auswahl stand in diesem Monat für weniger Kommunen als der Schwellenwert)",
            "properties": {
                "month": { "type": "string", "description": "JJJJ-MM" }, "suppressed": { "type": "boolean" },
                "responsible": { "type": ["integer", "null"] }, "online": { "type": ["integer", "null"] },
                "flaechendeckend": { "type": ["integer", "null"] }, "mindestens_eine": { "type": ["integer", "null"] },
                "reifegrad_2": { "type": ["integer", "null"] }, "reifegrad_3": { "type": ["integer", "null"] }, "efa": { "type": ["integer", "null"] },
                "population_responsible": { "type": ["integer", "null"] }, "population_online": { "type": ["integer", "null"] },
                "stages": { "type": ["array", "null"], "items": { "type": "integer" } },
                "model_11": { "type": ["array", "null"], "items": { "type": "integer" } },
                "model_20": { "type": ["array", "null"], "items": { "type": "integer" } }
            }
        },
        "Lagebild": {
            "type": "object",
            "properties": {
                "counted_over": { "type": "string" }, "selection": { "type": "string" }, "suppression_threshold": { "type": "integer" },
                "data_date": { "type": "string" }, "area": { "$ref": "#/components/schemas/AreaFigures" },
                "parts": { "type": "array", "items": { "$ref": "#/components/schemas/AreaFigures" } },
                "themenfelder": { "type": "array", "items": { "type": "object", "properties": { "themenfeld": { "type": "string" }, "figures": { "$ref": "#/components/schemas/AreaFigures" } } } },
                "definitions": { "type": "array", "items": { "type": "object", "properties": { "term": { "type": "string" }, "definition": { "type": "string" } } } },
                "trend": { "type": ["object", "null"], "description": "Dieselben Kennzahlen zum Ende jedes der letzten 12 Monate für dieses Gebiet und diese Auswahl (null: kein Verlauf berechnet oder Gebiet unterdrückt)",
                    "properties": { "computed_at": { "type": "string", "format": "date-time", "description": "Stand der Berechnung" },
                        "points": { "type": "array", "items": { "$ref": "#/components/schemas/TrendPoint" } } } },
                "cases": { "type": ["object", "null"], "description": "Beratungsfälle der letzten 12 Monate: Anzahlen und Dauern (Arbeitsstunden)" },
                "services": { "type": "array", "description": "Jede OZG-Leistung einer engeren Auswahl", "items": { "type": "object" } },
                "efa": { "type": "array", "description": "Nachgenutzte EfA-Leistungen: OZG-Leistung, EfA-Leistung, Kommunen (null = weniger als der Schwellenwert), Kreise", "items": { "type": "object" } }
            }
        },
        "ServicePage": {
            "type": "object",
            "properties": {
                "area": { "type": "string" }, "name": { "type": "string" }, "data_date": { "type": "string" }, "page": { "type": "integer" },
                "per_page": { "type": "integer" }, "pages": { "type": "integer" }, "total": { "type": "integer" },
                "items": { "type": "array", "items": { "type": "object", "properties": {
                    "ozg_id": { "type": "string" }, "name": { "type": "string" }, "themenfeld": { "type": "string" }, "suppressed": { "type": "boolean" },
                    "responsible": { "type": ["integer", "null"] }, "online": { "type": ["integer", "null"] }, "flaechendeckend": { "type": ["boolean", "null"] },
                    "reifegrad_2": { "type": ["integer", "null"] }, "reifegrad_3": { "type": ["integer", "null"] }, "efa": { "type": ["integer", "null"] },
                    "population_responsible": { "type": ["integer", "null"] }, "population_online": { "type": ["integer", "null"] } } } }
            }
        },
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
                "revoked": { "type": "boolean" },
                "scope": { "type": "string", "enum": ["read", "write"], "description": "read: nur GET und HEAD; write: alles, was die Person darf." }
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
        "SlaTimer": {
            "type": "object",
            "description": "Eine Servicezeit, gezählt in Arbeitszeit (Standard Mo–Fr 08:00–16:00 Europe/Berlin, ohne Feiertage in Sachsen-Anhalt); angehalten, solange der Fall auf die Kommune wartet.",
            "properties": {
                "kind": { "type": "string", "enum": ["first_response", "resolution"] }, "label": { "type": "string" },
                "due_at": { "type": "string", "format": "date-time" },
                "state": { "type": "string", "enum": ["running", "paused", "met", "breached"] },
                "remaining_minutes": { "type": ["integer", "null"], "description": "verbleibende Arbeitsminuten (negativ: überschritten)" },
                "stopped_at": { "type": ["string", "null"], "format": "date-time" }, "breached": { "type": "boolean" }
            }
        },
        "Case": {
            "type": "object",
            "description": "Ein Beratungsfall. Für Kommunen sind priority, team, owner_id, tags und sla leer.",
            "properties": {
                "id": { "type": "integer" }, "subject": { "type": "string" }, "category": { "type": "string" }, "category_label": { "type": "string" },
                "description": { "type": "string" }, "ozg_ids": { "type": "array", "items": { "type": "string" } },
                "municipality": { "type": "string", "description": "AGS bzw. Verbandsschlüssel" }, "municipality_name": { "type": "string" },
                "status": r("CaseStatus"), "priority": { "type": ["string", "null"], "enum": ["low", "normal", "high", "urgent", null] },
                "team": { "type": ["string", "null"] }, "owner_id": { "type": ["string", "null"] }, "tags": { "type": "array", "items": { "type": "string" } },
                "version": { "type": "integer" }, "duplicate_of": { "type": ["integer", "null"] }, "desired_date": { "type": ["string", "null"] },
                "created_at": { "type": "string" }, "updated_at": { "type": "string" }, "unread": { "type": "boolean" },
                "sla": { "type": "array", "items": r("SlaTimer") }
            }
        },
        "CaseStatus": { "type": "string", "enum": ["new", "triage", "in_progress", "waiting", "solved", "closed"],
            "description": "new → triage → in_progress ⇄ waiting → solved → closed; solved → in_progress (wiedereröffnet). Eine Antwort der Kommune setzt waiting und solved (bis 14 Tage) auf in_progress." },
        "CasePage": { "type": "object", "properties": {
            "cases": { "type": "array", "items": r("Case") }, "total": { "type": "integer" },
            "total_capped": { "type": "boolean", "description": "Bei Volltextsuche werden Treffer nur bis 200 gezählt; true: es sind mehr" }, "page": { "type": "integer" },
            "pages": { "type": "integer" }, "per_page": { "type": "integer" } } },
        "Message": { "type": "object", "properties": {
            "id": { "type": "string" }, "body": { "type": "string" }, "internal": { "type": "boolean" }, "author": { "type": "string" },
            "author_side": { "type": "string", "enum": ["kommune", "land", "system"] }, "created_at": { "type": "string" } } },
        "Attachment": { "type": "object", "properties": {
            "id": { "type": "string" }, "filename": { "type": "string" }, "content_type": { "type": "string" }, "size": { "type": "integer" },
            "created_at": { "type": "string" }, "uploaded_by": { "type": "string" } } },
        "CaseDetail": { "type": "object", "properties": {
            "case": r("Case"), "messages": { "type": "array", "items": r("Message") },
            "events": { "type": "array", "items": { "type": "object", "properties": { "at": { "type": "string" }, "actor": { "type": "string" }, "kind": { "type": "string" }, "text": { "type": "string" } } } },
            "links": { "type": "array", "items": { "type": "object" } }, "attachments": { "type": "array", "items": r("Attachment") },
            "transitions": { "type": "array", "items": r("CaseStatus") }, "may_reply": { "type": "boolean" }, "advisor_view": { "type": "boolean" } } },
        "NewCase": { "type": "object", "required": ["subject", "category", "description"], "properties": {
            "subject": { "type": "string", "maxLength": 200 }, "category": { "type": "string", "description": "Code aus /case-categories" },
            "description": { "type": "string" }, "ozg_ids": { "type": "array", "items": { "type": "string" } },
            "municipality": { "type": "string", "description": "Nur nötig, wenn die Person für mehrere Kommunen handelt (Verbandsgemeinde)" },
            "desired_date": { "type": "string", "format": "date" },
            "idempotency_key": { "type": "string", "description": "Wiederholte Übermittlung mit demselben Schlüssel legt keinen zweiten Fall an" } } },
        "CasePatch": { "type": "object", "required": ["version"], "properties": {
            "version": { "type": "integer" }, "status": r("CaseStatus"), "owner_id": { "type": "string", "description": "\"\" entfernt die Zuständigkeit" },
            "priority": { "type": "string", "enum": ["low", "normal", "high", "urgent"] }, "team": { "type": "string" },
            "tags": { "type": "array", "items": { "type": "string" } } } },
        "CaseBulk": { "type": "object", "description": "ids oder filter (dieselben Felder wie die Filter von GET /cases); alle Fälle oder keiner.", "properties": {
            "ids": { "type": "array", "items": { "type": "integer" } }, "filter": { "type": "object" }, "status": r("CaseStatus"),
            "owner_id": { "type": "string" }, "priority": { "type": "string" }, "team": { "type": "string" }, "add_tag": { "type": "string" },
            "reply": { "type": "string", "description": "dieselbe öffentliche Antwort an jeden Fall" } } },
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
