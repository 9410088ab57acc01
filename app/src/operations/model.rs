//! Dead letters as the administrators' page shows them.

use serde::{Deserialize, Serialize};

/// A mail given up after its last attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub attempts: i32,
    /// The relay's last answer (or why it was not reached).
    pub last_error: Option<String>,
    /// Queued, `TT.MM.JJJJ HH:MM`.
    pub created: String,
    /// Given up, `TT.MM.JJJJ HH:MM`.
    pub dead: String,
}
