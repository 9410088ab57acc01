//! The people of the demo beyond the five accounts one signs in with: clerks of further
//! Kommunen and further advisors who filed and worked the demo's cases (they have passwords
//! nobody knows), two open invitations and an advisor who left with cases still open.

use app::accounts::service::users::{self, NewUser};
use app::core::entities::organisation;
use app::core::session::CurrentUser;
use app::core::state::AppState;
use app::identity::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Who acts in the demo.
pub struct People {
    pub clerk: CurrentUser,
    pub advisor: CurrentUser,
    pub admin: CurrentUser,
    /// Every advisor who works cases (the demo advisor first), and the one who leaves.
    pub advisors: Vec<CurrentUser>,
    pub retired: CurrentUser,
    /// Every clerk with the Kommunen it files for as (organisation id, key); the demo clerks first.
    pub clerks: Vec<(CurrentUser, Vec<(String, String)>)>,
    /// The demo clerks' Kommunen (organisation id, key): Magdeburg, then the Verbandsgemeinde.
    pub clerk_orgs: Vec<(String, String)>,
}

/// The account with this e-mail address as the services see a signed-in person.
pub async fn current(db: &impl ConnectionTrait, email: &str) -> anyhow::Result<CurrentUser> {
    let u = users::find_by_email(db, email).await.map_err(crate::fail)?.ok_or_else(|| anyhow::anyhow!("Konto {email} fehlt"))?;
    Ok(CurrentUser {
        organisations: app::catalogue::service::orgs::of_user(db, &u.id).await?,
        role: Role::from_code(&u.role).ok_or_else(|| anyhow::anyhow!("unbekannte Rolle {}", u.role))?,
        id: u.id,
        name: u.name,
        email: u.email,
        is_demo: u.is_demo,
        manages_clerks: u.manages_clerks,
        session_hash: String::new(),
        via_token: false,
        read_only: false,
        versions: None,
    })
}

/// Creates a demo account nobody signs in with (unless it exists) and returns it.
async fn helper(state: &AppState, email: &str, name: &str, role: Role, org: &str) -> anyhow::Result<CurrentUser> {
    if users::find_by_email(&state.db, email).await.map_err(crate::fail)?.is_none() {
        let new = NewUser { email: email.into(), name: name.into(), role, org_keys: vec![org.into()], password: app::core::password::generate(), is_demo: true };
        users::create(&state.db, &state.hasher, None, new).await.map_err(|e| crate::fail(e).context(email.to_string()))?;
    }
    current(&state.db, email).await
}

/// Organisations of these kinds, the most populous first.
async fn largest(db: &impl ConnectionTrait, kind: &str, n: u64) -> anyhow::Result<Vec<organisation::Model>> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(kind))
        .filter(organisation::Column::Key.starts_with("15"))
        .order_by_desc(organisation::Column::Population)
        .order_by_asc(organisation::Column::Key)
        .limit(n)
        .all(db)
        .await?)
}

/// The demo's people; the five sign-in accounts must exist.
pub async fn ensure(state: &AppState) -> anyhow::Result<People> {
    let db = &state.db;
    let email = |role: Role, n: usize| super::ACCOUNTS.iter().filter(|a| a.2 == role).nth(n).map(|a| a.0).unwrap_or_default();
    let clerk = current(db, email(Role::Clerk, 0)).await?;
    let vg_clerk = current(db, email(Role::Clerk, 1)).await?;
    let advisor = current(db, email(Role::Advisor, 0)).await?;
    let admin = current(db, email(Role::Admin, 0)).await?;
    let mut advisors = vec![advisor.clone()];
    for (mail, name) in [("demo.beratung.recht@ozg-portal.example", "Demo Beratung Recht und Förderung"), ("demo.beratung.technik@ozg-portal.example", "Demo Beratung Technik")] {
        advisors.push(helper(state, mail, name, Role::Advisor, "LAND").await?);
    }
    let retired = helper(state, "demo.beratung.ehemalig@ozg-portal.example", "Demo Beratung (ausgeschieden)", Role::Advisor, "LAND").await?;

    let orgs_of = |u: &CurrentUser| u.organisations.iter().map(|o| (o.id.clone(), o.key.clone())).collect::<Vec<_>>();
    let mut vg_orgs = orgs_of(&vg_clerk);
    // The Verbandsgemeinde's clerk also files for its member Gemeinden.
    if let Some((vg_id, _)) = vg_orgs.first().cloned() {
        let members: Vec<(String, String)> = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .column(organisation::Column::Key)
            .filter(organisation::Column::VerbandId.eq(vg_id))
            .into_tuple()
            .all(db)
            .await?;
        vg_orgs.extend(members);
    }
    let clerk_orgs = orgs_of(&clerk).into_iter().chain(orgs_of(&vg_clerk)).collect();
    let mut clerks = vec![(clerk.clone(), orgs_of(&clerk)), (vg_clerk, vg_orgs)];
    let mut others = largest(db, "kreisfreie_stadt", 3).await?;
    others.extend(largest(db, "landkreis", 3).await?);
    others.extend(largest(db, "einheitsgemeinde", 4).await?);
    for o in others {
        if clerks.iter().any(|(_, orgs)| orgs.iter().any(|(id, _)| *id == o.id)) {
            continue;
        }
        let u = helper(state, &format!("demo.kommune.{}@ozg-portal.example", o.key), &format!("Demo Sachbearbeitung {}", o.name), Role::Clerk, &o.key).await?;
        clerks.push((u, vec![(o.id, o.key)]));
    }
    Ok(People { clerk, advisor, admin, advisors, retired, clerks, clerk_orgs })
}

/// Accounts that wait for an administrator: two invitations not yet accepted and the advisor
/// who left, deactivated with cases still open.
pub async fn accounts_waiting(state: &AppState, people: &People) -> anyhow::Result<()> {
    let db = &state.db;
    let err = crate::fail;
    for (mail, name, role, org) in [
        ("demo.eingeladen.kommune@ozg-portal.example", "Demo Eingeladene Sachbearbeitung", Role::Clerk, "15002000"),
        ("demo.eingeladen.beratung@ozg-portal.example", "Demo Eingeladene Beratung", Role::Advisor, "LAND"),
    ] {
        if users::find_by_email(db, mail).await.map_err(err)?.is_some() {
            continue;
        }
        let inv = app::accounts::service::manage::Invitation { email: mail.into(), name: name.into(), role, org_keys: vec![org.into()], manages_clerks: false };
        let (id, _) = app::accounts::service::manage::invite(state, &people.admin, inv).await.map_err(err)?;
        db.execute_raw(app::core::db::stmt(db.get_database_backend(), "UPDATE app_user SET is_demo = ? WHERE id = ?", vec![true.into(), id.into()])).await?;
    }
    users::deactivate(db, Some(&people.admin.id), &people.retired.id).await.map_err(err)?;
    Ok(())
}
