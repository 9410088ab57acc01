//! An advisor's start page: their own and their teams' open cases by timer, unassigned cases,
//! cases new since their last sign-in and cases not yet looked at, each counted with the inbox's
//! own filters and linking to that filtered inbox.

use crate::cases::model::CaseFilter;
use crate::core::session::CurrentUser;
use crate::core::state::AppState;
use crate::error::AppError;
use crate::start::model::Need;

/// (label, filter, link) of each line.
fn lines(user: &CurrentUser, teams: &[(String, String)]) -> Vec<(String, CaseFilter, String)> {
    let f = |view: &str| CaseFilter { view: Some(view.into()), ..Default::default() };
    let mut out = vec![
        ("Ihre offenen Fälle".to_string(), f("mine"), "/faelle?ansicht=mine".to_string()),
        ("davon mit überschrittener Servicezeit".into(), CaseFilter { owner: Some("me".into()), ..f("overdue") }, "/faelle?ansicht=overdue&zustaendig=me".into()),
        ("davon in den nächsten 4 Arbeitsstunden fällig".into(), CaseFilter { owner: Some("me".into()), ..f("due_soon") }, "/faelle?ansicht=due_soon&zustaendig=me".into()),
    ];
    for (id, name) in teams {
        out.push((format!("Offene Fälle des Teams {name}"), CaseFilter { team: Some(id.clone()), ..f("open") }, format!("/faelle?ansicht=open&team={id}")));
        out.push((format!("davon mit überschrittener Servicezeit ({name})"), CaseFilter { team: Some(id.clone()), ..f("overdue") }, format!("/faelle?ansicht=overdue&team={id}")));
    }
    out.push(("Fälle ohne Zuständigkeit".into(), f("unassigned"), "/faelle?ansicht=unassigned".into()));
    out.push((
        "Neu seit Ihrer letzten Anmeldung".into(),
        CaseFilter { since: Some(crate::cases::service::inbox::SINCE_LAST_SIGN_IN.into()), ..f("all") },
        format!("/faelle?ansicht=all&seit={}", crate::cases::service::inbox::SINCE_LAST_SIGN_IN),
    ));
    out.push(("Neue, noch nicht gesichtete Fälle".into(), CaseFilter { status: Some("new".into()), ..Default::default() }, "/faelle?status=new".into()));
    let _ = user;
    out
}

/// The advisor's lines, each with the number of cases behind its link.
pub async fn needs(st: &AppState, user: &CurrentUser) -> Result<Vec<Need>, AppError> {
    use crate::core::entities::case_team;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let teams: Vec<(String, String)> = case_team::Entity::find()
        .filter(case_team::Column::LeadUserId.eq(user.id.clone()))
        .filter(case_team::Column::Active.eq(true))
        .order_by_asc(case_team::Column::Name)
        .all(&st.db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let scope = crate::access::scope::Scope::of(Some(user));
    let now = crate::core::time::now();
    let mut out = Vec::new();
    for (label, filter, href) in lines(user, &teams) {
        let count = crate::cases::service::inbox::total(&st.db, &scope, user, &filter, now).await?;
        out.push(Need { label, count, href });
    }
    Ok(out)
}
