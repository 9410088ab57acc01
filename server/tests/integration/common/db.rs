//! Reading people and single values straight from the test database.

use crate::common::TestApp;
use app::core::session::CurrentUser;
use app::identity::Role;
use sea_orm::{ConnectionTrait, Statement};

pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let row = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(), sql.to_string())).await.expect("query").expect("row");
    row.try_get_by_index::<i64>(0).expect("number")
}

pub async fn text(app: &TestApp, sql: &str) -> String {
    let row = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(), sql.to_string())).await.expect("query").expect("row");
    row.try_get_by_index::<String>(0).expect("text")
}

pub async fn user_id(app: &TestApp, email: &str) -> String {
    app::accounts::service::users::find_by_email(&app.db, email).await.expect("db").expect("user").id
}

/// The signed-in user as the service sees it (for calling services with a fixed clock).
pub async fn current(app: &TestApp, email: &str) -> CurrentUser {
    let u = app::accounts::service::users::find_by_email(&app.db, email).await.expect("db").expect("user");
    CurrentUser {
        organisations: app::catalogue::service::orgs::of_user(&app.db, &u.id).await.expect("orgs"),
        role: Role::from_code(&u.role).expect("role"),
        id: u.id,
        name: u.name,
        email: u.email,
        is_demo: false,
        manages_clerks: u.manages_clerks,
        session_hash: String::new(),
        via_token: false,
        read_only: false,
        versions: None,
    }
}
