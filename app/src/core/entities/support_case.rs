//! A Beratungsfall: filed by a Kommune, worked by the Land's advisors.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "support_case")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: String,
    pub acting_org_id: Option<String>,
    pub created_by: String,
    pub subject: String,
    pub description: String,
    pub category_id: String,
    pub desired_date: Option<Date>,
    pub status: String,
    pub priority: String,
    pub team_id: Option<String>,
    pub owner_id: Option<String>,
    /// `,tag1,tag2,` so that one tag is found with `LIKE '%,tag,%'`.
    pub tags: String,
    pub duplicate_of: Option<i64>,
    pub version: i32,
    /// Changes only with what the Kommune sees (status, public messages and files).
    pub public_version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub last_activity_at: DateTimeUtc,
    pub last_public_activity_at: DateTimeUtc,
    pub first_response_at: Option<DateTimeUtc>,
    pub solved_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub paused_since: Option<DateTimeUtc>,
    pub paused_minutes: i32,
    pub response_due_at: DateTimeUtc,
    pub resolution_due_at: DateTimeUtc,
    pub response_breached_at: Option<DateTimeUtc>,
    pub resolution_breached_at: Option<DateTimeUtc>,
    pub idempotency_key: Option<String>,
    /// Demo data (`server demo`), removed with `server demo --remove` (migration m0018).
    pub demo: bool,
    /// The newest public answer of the Land (kept by a trigger on `case_message`, m0042).
    pub land_answered_at: Option<DateTimeUtc>,
    /// When the Kommune wrote again after the Land's answer: the follow-up timer's start
    /// (m0046); `None` until the Kommune first does.
    pub followup_since: Option<DateTimeUtc>,
    /// The paused business minutes counted when the follow-up began; pauses after it move its
    /// deadline.
    pub followup_paused_base: i32,
    pub followup_due_at: Option<DateTimeUtc>,
    /// The Land's public answer to the follow-up.
    pub followup_answered_at: Option<DateTimeUtc>,
    pub followup_breached_at: Option<DateTimeUtc>,
    /// The partner organisation (an EfA service's operator) the case is shared with, who answers
    /// in it as the Land does (m0050); `None` for a case of the Land alone.
    pub partner_org_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
