//! One time a Kommune submitted a Selbstcheck: its weighted total, its kind and size class at
//! that time (its comparison group), and whether it is the Kommune's latest.

use crate::vocabulary::surveys::SizeClass;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "selfcheck_take")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    pub organisation_id: String,
    pub kind: String,
    pub size_class: SizeClass,
    /// 0 to 100; none where no weighted section was scored.
    pub score: Option<f64>,
    pub latest: bool,
    pub taken_by: Option<String>,
    pub taken_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
