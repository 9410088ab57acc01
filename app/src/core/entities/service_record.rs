//! The current state of one OZG-Leistung in one Kommune.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_record")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: String,
    pub ozg_id: String,
    pub offered: bool,
    pub responsibility: String,
    pub responsibility_note: Option<String>,
    pub stage: String,
    /// JSON object: stage code → ISO date the stage was reached.
    pub stage_dates: String,
    pub planned_go_live: Option<Date>,
    pub maturity_model: Option<String>,
    pub maturity_level: Option<i16>,
    /// JSON object: criterion code → level or null ("nicht erforderlich").
    pub maturity_criteria: Option<String>,
    pub solution_kind: Option<String>,
    pub solution_name: Option<String>,
    pub solution_provider: Option<String>,
    pub url: Option<String>,
    pub contact: Option<String>,
    pub note: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<String>,
    pub acting_org_id: Option<String>,
    /// Demo data (`server demo`), removed with `server demo --remove` (migration m0018).
    pub demo: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
