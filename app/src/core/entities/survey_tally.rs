//! How many Kommunen gave a value to a question of a survey (submitted answers only), kept in
//! the transaction of each submit and reopen.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_tally")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub survey_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub question_id: i64,
    /// The matrix row's OZG-ID; empty for every other question.
    #[sea_orm(primary_key, auto_increment = false)]
    pub ozg_id: String,
    /// »a« answered, »ja«/»nein«, »o<Option>«, »n<Zahl>«, »d<JJJJ-MM-TT>«.
    #[sea_orm(primary_key, auto_increment = false)]
    pub value_key: String,
    /// The kind of the Kommunen counted (an association's members are Kommunen of kinds).
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    pub n: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
