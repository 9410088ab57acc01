//! The schemas of the OpenAPI document: request and response bodies of the REST API.
use serde_json::{Value, json};

pub(super) fn err(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

pub(super) fn ok(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

pub(super) fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

pub(super) fn param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description, "schema": { "type": "string" } })
}

pub(super) fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

pub(super) fn stage_enum() -> Value {
    json!({ "type": "string", "enum": ["not_started", "planned", "in_progress", "pilot", "online", "discontinued"] })
}

pub(super) fn solution_enum() -> Value {
    json!({ "type": "string", "enum": ["efa", "state_service", "provider", "own"] })
}

pub(super) fn schemas() -> Value {
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
