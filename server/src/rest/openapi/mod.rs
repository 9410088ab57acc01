//! The OpenAPI 3.1 description of the REST API, served at `/api/v1/openapi.json`, derived from
//! the handlers' `#[utoipa::path]` attributes and the request and response types (`ToSchema`):
//! a field added to a type appears in the document. Tests prove that the document and the
//! router name the same operations and that real answers match the documented schemas.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The document's frame; operations and schemas come from the handlers and types.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "OZG-Portal Sachsen-Anhalt – REST-Schnittstelle",
        version = "1",
        description = "Leistungsregister der Kommunen, Beratungsfälle, Lagebild, Wissensportal, Termine, Nachnutzung und Förderung, Anbindungen an EfA-Dienste mit ihren Störungen und Anforderungen, Ergebnisse der Abfragen, Beschlüsse der Gremien. Anmeldung über die Sitzung (Cookie nach POST /session) oder einen persönlichen API-Schlüssel (`Authorization: Bearer ozgp_…`, anzulegen unter »Mein Konto«). Feldnamen englisch, Werte als Codes, Meldungen deutsch. Fehler antworten immer mit dem Schema »Error«."
    ),
    servers((url = "/api/v1")),
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    modifiers(&SecuritySchemes),
    paths(
        crate::rest::create_session,
        crate::rest::delete_session,
        crate::rest::me,
        document,
        crate::rest::list_tokens,
        crate::rest::create_token,
        crate::rest::revoke_token,
        crate::rest::register::list,
        crate::rest::register::read,
        crate::rest::register::write,
        crate::rest::register::history,
        crate::rest::register::export_csv,
        crate::rest::register::import_csv,
        crate::rest::register::bulk,
        crate::rest::register::list_annotations,
        crate::rest::register::add_annotation,
        crate::rest::register::progress,
        crate::rest::cases::list,
        crate::rest::cases::create,
        crate::rest::cases::bulk,
        crate::rest::cases::read,
        crate::rest::cases::patch,
        crate::rest::cases::messages,
        crate::rest::cases::add_message,
        crate::rest::cases::list_attachments,
        crate::rest::cases::upload,
        crate::rest::cases::download,
        crate::rest::cases::link,
        crate::rest::cases::duplicate,
        crate::rest::cases::confirm,
        crate::rest::cases::categories,
        crate::rest::cases::teams,
        crate::rest::cases::notifications,
        crate::rest::cases::notifications_read,
        crate::rest::public::public_lagebild,
        crate::rest::public::public_services,
        crate::rest::public::public_service,
        crate::rest::public::public_leika,
        crate::rest::public::aggregates_lagebild,
        crate::rest::public::aggregates_services,
        crate::rest::knowledge::search,
        crate::rest::knowledge::read,
        crate::rest::events::list,
        crate::rest::events::read,
        crate::rest::rollout::overview,
        crate::rest::rollout::rollout,
        crate::rest::rollout::funding,
        crate::rest::usage::usage,
        crate::rest::surveys::published,
        crate::rest::surveys::public_results,
        crate::rest::surveys::results,
        crate::rest::decisions::published,
        crate::rest::connections::list,
        crate::rest::connections::read,
        crate::rest::connections::step,
        crate::rest::connections::item,
        crate::rest::connections::dates,
        crate::rest::connections::reports,
        crate::rest::connections::file_report,
        crate::rest::connections::report,
        crate::rest::connections::join_report,
        crate::rest::connections::answer_report,
        crate::rest::connections::applications,
        crate::rest::connections::application,
    )
)]
pub struct ApiDoc;

/// The two ways to sign in: a personal API token, or the session cookie.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearerAuth",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("Persönlicher API-Schlüssel (ozgp_…)")).build()),
        );
        components.add_security_scheme("sessionCookie", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("__Host-ozg_session"))));
    }
}

/// The document as JSON (built once).
pub fn build() -> Value {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()).clone()
}

/// Every (method, path) the document describes, method in lower case.
pub fn operations() -> Vec<(String, String)> {
    let doc = build();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in ["get", "put", "post", "delete", "patch"] {
            if item.get(method).is_some() {
                out.push((method.to_string(), path.clone()));
            }
        }
    }
    out.sort();
    out
}

/// `GET /api/v1/openapi.json`
#[utoipa::path(get, path = "/openapi.json", tag = "Anmeldung", summary = "Diese Beschreibung", security(()),
    responses((status = 200, description = "OpenAPI 3.1", body = Object)))]
pub async fn document() -> Response {
    Json(build()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (method, path) of every `.route(…)` in the REST modules' source, methods read from the
    /// handler chain (`get(a).post(b)`).
    fn routed() -> Vec<(String, String)> {
        let sources = [
            include_str!("../mod.rs"),
            include_str!("../register.rs"),
            include_str!("../cases.rs"),
            include_str!("../public.rs"),
            include_str!("../knowledge.rs"),
            include_str!("../events.rs"),
            include_str!("../rollout.rs"),
            include_str!("../surveys.rs"),
            include_str!("../decisions.rs"),
            include_str!("../connections.rs"),
            include_str!("../usage.rs"),
        ];
        let mut out = Vec::new();
        for src in sources {
            for part in src.split(".route(").skip(1) {
                // The call's text up to its closing parenthesis.
                let mut depth = 1;
                let end = part.char_indices().find(|&(_, c)| {
                    depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    depth == 0
                });
                let call = &part[..end.map(|(i, _)| i).unwrap_or(part.len())];
                let Some(path) = call.split('"').nth(1) else { continue };
                for method in ["get", "put", "post", "delete", "patch"] {
                    let called = call.match_indices(&format!("{method}(")).any(|(i, _)| i == 0 || !call.as_bytes()[i - 1].is_ascii_alphanumeric() && call.as_bytes()[i - 1] != b'_');
                    if called {
                        out.push((method.to_string(), path.to_string()));
                    }
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn the_document_names_exactly_the_operations_the_router_has() {
        let routed = routed();
        assert!(routed.len() >= 40, "the route parser found {} routes", routed.len());
        assert_eq!(operations(), routed);
    }

    #[test]
    fn every_reference_resolves_and_every_error_answer_uses_the_error_schema() {
        let doc = build();
        assert_eq!(doc["openapi"], "3.1.0");
        let text = doc.to_string();
        for part in text.split("#/components/schemas/").skip(1) {
            let name: String = part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.').collect();
            assert!(doc["components"]["schemas"].get(&name).is_some(), "schema {name} is referenced but not defined");
        }
        for (method, path) in operations() {
            let responses = doc["paths"][&path][&method]["responses"].as_object().cloned().unwrap_or_default();
            assert!(responses.keys().any(|s| s.starts_with('2')), "{method} {path} documents a success");
            for (status, r) in responses.iter().filter(|(s, _)| s.starts_with('4')) {
                assert_eq!(r["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error", "{method} {path} {status}");
            }
        }
    }

    #[test]
    fn a_field_of_a_type_is_a_field_of_the_document() {
        let doc = build();
        let input = &doc["components"]["schemas"]["ServiceRecordInput"]["properties"];
        for f in ["offered", "responsibility", "stage", "stage_dates", "planned_go_live", "maturity_model", "maturity_level", "solution_kind", "url", "note", "version"] {
            assert!(input[f].is_object(), "ServiceRecordInput.{f}");
        }
        assert!(doc["components"]["schemas"]["Lagebild"]["properties"]["themenfelder"].is_object());
        assert!(doc["components"]["securitySchemes"]["bearerAuth"].is_object());
    }
}
