//! API v1 for messages: the caller's conversations with the unread count, writing to people
//! within one's reach or to a class one teaches, a conversation read and replied to.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use qobe_app::messages::{self, MessageInput, ReplyInput};
use qobe_domain::ids::ConversationId;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiActor, Created, ErrorOut, created};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/messages", get(inbox).post(send))
        .route("/messages/{id}", get(conversation).post(reply_message))
}

#[derive(Serialize, ToSchema)]
pub struct ConversationOut {
    pub id: i64,
    pub subject: String,
    /// The others in it, or the class it was written to.
    pub with: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offering_id: Option<i64>,
    pub last_message_at: DateTime<Utc>,
    pub unread: bool,
}

#[derive(Serialize, ToSchema)]
pub struct InboxOut {
    pub conversations: Vec<ConversationOut>,
    /// How many conversations have a message the caller has not read.
    pub unread: u64,
}

/// The caller's conversations, latest first, with the unread count.
#[utoipa::path(get, path = "/api/v1/messages", tag = "discussion", responses((status = 200, body = InboxOut)), security(("bearer" = [])))]
pub async fn inbox(State(state): State<AppState>, ApiActor(actor, _): ApiActor) -> Result<Json<InboxOut>, ApiError> {
    let found = messages::inbox(&state.app, &actor, 200).await?;
    Ok(Json(InboxOut {
        conversations: found
            .conversations
            .into_iter()
            .map(|s| ConversationOut {
                id: s.conversation.id,
                subject: s.conversation.subject,
                with: s.with,
                offering_id: s.conversation.offering_id,
                last_message_at: s.conversation.last_message_at,
                unread: s.unread,
            })
            .collect(),
        unread: found.unread,
    }))
}

/// Writes to people (by email address, within the caller's reach) or to a class the caller
/// teaches.
#[utoipa::path(post, path = "/api/v1/messages", tag = "discussion", request_body = MessageInput, responses((status = 201, body = ConversationOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn send(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Json(input): Json<MessageInput>,
) -> Created<ConversationOut> {
    let conversation = messages::send(&state.app, &actor, &input).await?;
    let opened = messages::open(&state.app, &actor, ConversationId(conversation.id)).await?;
    created(ConversationOut {
        id: conversation.id,
        subject: conversation.subject,
        with: opened.with,
        offering_id: conversation.offering_id,
        last_message_at: conversation.last_message_at,
        unread: false,
    })
}

#[derive(Serialize, ToSchema)]
pub struct MessageOut {
    pub id: i64,
    pub sender: String,
    pub mine: bool,
    /// Markdown.
    pub body: String,
    pub sent_at: DateTime<Utc>,
    /// Came since the caller last read the conversation.
    pub new: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationDetailOut {
    pub id: i64,
    pub subject: String,
    pub with: String,
    pub messages: Vec<MessageOut>,
}

/// A conversation the caller is in, oldest message first; read from now on.
#[utoipa::path(get, path = "/api/v1/messages/{id}", tag = "discussion", params(("id" = i64, Path)), responses((status = 200, body = ConversationDetailOut)), security(("bearer" = [])))]
pub async fn conversation(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<ConversationDetailOut>, ApiError> {
    let opened = messages::open(&state.app, &actor, ConversationId(id)).await?;
    Ok(Json(ConversationDetailOut {
        id: opened.conversation.id,
        subject: opened.conversation.subject,
        with: opened.with,
        messages: opened
            .messages
            .into_iter()
            .map(|s| MessageOut {
                id: s.message.id,
                sender: s.sender,
                mine: s.mine,
                body: s.message.body,
                sent_at: s.message.sent_at,
                new: s.new,
            })
            .collect(),
    }))
}

/// Replies in a conversation the caller is in.
#[utoipa::path(post, path = "/api/v1/messages/{id}", tag = "discussion", params(("id" = i64, Path)), request_body = ReplyInput, responses((status = 201, body = MessageOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn reply_message(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<ReplyInput>,
) -> Created<MessageOut> {
    let sent = messages::reply(&state.app, &actor, ConversationId(id), &input).await?;
    created(MessageOut {
        id: sent.id,
        sender: actor.name.clone(),
        mine: true,
        body: sent.body,
        sent_at: sent.sent_at,
        new: false,
    })
}
