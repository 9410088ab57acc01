//! Pages of funding: the programmes with the applications (`list`), a programme's editor
//! (`programme`), an application and its form (`application`), the figures (`figures`).

pub mod application;
pub mod figures;
pub mod list;
pub mod programme;
