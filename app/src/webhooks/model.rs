//! The administrators' view of the webhooks.

use serde::{Deserialize, Serialize};

pub use crate::vocabulary::webhooks::WebhookEvent;

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryState {
    Waiting,
    Delivered,
    GivenUp,
}

impl DeliveryState {
    pub const fn label(self) -> &'static str {
        match self {
            DeliveryState::Waiting => "wartet",
            DeliveryState::Delivered => "zugestellt",
            DeliveryState::GivenUp => "aufgegeben",
        }
    }
}

/// A delivery with the receiver's last answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub id: i64,
    pub receiver_id: String,
    pub event: WebhookEvent,
    /// Berlin time.
    pub created_at: String,
    pub attempts: i32,
    pub state: DeliveryState,
    pub last_status: Option<i32>,
    pub last_answer: Option<String>,
}

/// A registered receiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiverRow {
    pub id: String,
    pub organisation: String,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub secret: String,
    pub waiting: u64,
    pub given_up: u64,
    /// Its newest delivery.
    pub last: Option<DeliveryRow>,
}

/// The page: receivers, allowed hosts, the newest deliveries, the organisations to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhooksPage {
    pub receivers: Vec<ReceiverRow>,
    pub hosts: Vec<String>,
    pub deliveries: Vec<DeliveryRow>,
    /// Partner organisations and the Land's units: (key, name).
    pub organisations: Vec<(String, String)>,
}
