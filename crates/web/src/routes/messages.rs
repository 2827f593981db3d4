//! Messages: the inbox, a conversation with its reply form, and the form that writes to
//! people (picked from those one may write to, or searched for) or to a class one teaches.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::messages::{self, Contact, Inbox, MessageInput, Opened, ReplyInput};
use qobe_domain::ids::{ConversationId, OfferingId};
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_with};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/messages", get(inbox).post(send))
        .route("/messages/new", get(compose))
        .route("/messages/{id}", get(conversation).post(reply))
}

#[derive(Template)]
#[template(path = "messages/inbox.html")]
struct InboxPage {
    page: Page,
    inbox: Inbox,
}

async fn inbox(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let inbox = messages::inbox(&state.app, &signed.actor, 200).await?;
    Ok(render(&InboxPage { page: Page::new("Messages", &signed.ctx), inbox }))
}

#[derive(Template)]
#[template(path = "messages/compose.html")]
struct ComposePage {
    page: Page,
    form: FormState,
    contacts: Vec<Contact>,
    search: String,
    /// Writing to this class ("EE-201 Fall 2026 section A").
    class: Option<(i64, String)>,
}

#[derive(Deserialize, Default)]
struct ComposeQuery {
    #[serde(default)]
    to: String,
    #[serde(default, deserialize_with = "crate::forms::optional_number")]
    offering: Option<i64>,
    #[serde(default)]
    q: String,
}

async fn compose_page(
    state: &AppState,
    signed: &SignedIn,
    form: FormState,
    offering: Option<i64>,
    search: String,
) -> Result<ComposePage, HtmlError> {
    let class = match offering {
        Some(id) => {
            let (view, viewer) = qobe_app::learning::viewer(&state.app, &signed.actor, OfferingId(id)).await?;
            if !viewer.edits() {
                return Err(qobe_app::AppError::Forbidden.into());
            }
            Some((id, format!("{} {} section {}", view.course.code, view.term.name, view.offering.section)))
        }
        None => None,
    };
    let contacts =
        if class.is_some() { Vec::new() } else { messages::contacts(&state.app, &signed.actor, &search).await? };
    Ok(ComposePage { page: Page::new("New message", &signed.ctx), form, contacts, search, class })
}

async fn compose(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(query): Query<ComposeQuery>,
) -> Result<Response, HtmlError> {
    let form = FormState::new().set("to", &query.to);
    Ok(render(&compose_page(&state, &signed, form, query.offering, query.q).await?))
}

async fn send(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<MessageInput>,
) -> Result<Response, HtmlError> {
    match messages::send(&state.app, &signed.actor, &form.input).await {
        Ok(conversation) => Ok(done(&state, &format!("/messages/{}", conversation.id), "Message sent.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &compose_page(&state, &signed, kept, form.input.offering, String::new()).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "messages/conversation.html")]
struct ConversationPage {
    page: Page,
    opened: Opened,
    form: FormState,
}

impl ConversationPage {
    fn html(&self, text: &str) -> String {
        crate::markdown::to_html(text)
    }
}

async fn conversation_page(
    state: &AppState,
    signed: &SignedIn,
    id: i64,
    form: FormState,
) -> Result<ConversationPage, HtmlError> {
    let opened = messages::open(&state.app, &signed.actor, ConversationId(id)).await?;
    let page = Page::new(&opened.conversation.subject, &signed.ctx);
    Ok(ConversationPage { page, opened, form })
}

async fn conversation(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    Ok(render(&conversation_page(&state, &signed, id, FormState::new()).await?))
}

async fn reply(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<ReplyInput>,
) -> Result<Response, HtmlError> {
    match messages::reply(&state.app, &signed.actor, ConversationId(id), &form.input).await {
        Ok(sent) => Ok(done(&state, &format!("/messages/{id}#message-{}", sent.id), "Reply sent.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &conversation_page(&state, &signed, id, kept).await?))
        }
    }
}
