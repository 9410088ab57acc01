//! The bytes of an attachment, apart from its metadata so lists stay cheap.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachment_blob")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub attachment_id: String,
    pub data: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
