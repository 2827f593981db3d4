//! API v1 for course content: an offering's modules and items as the caller sees them (a
//! student only what is published and released to them, with their completion and progress),
//! adding modules, pages and links, an item opened (a student's opening recorded), a student's
//! completion, and the class × item progress for staff. Files are uploaded through the page.

use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use qobe_app::learning::announcements::{self, AnnouncementInput, Shown};
use qobe_app::learning::content::{self, ItemInput, ModuleInput};
use qobe_app::learning::{self, ContentItem, ContentModule, Standing, progress};
use qobe_domain::ids::{ContentItemId, ModuleId, OfferingId};
use qobe_domain::learning::Progress;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiActor, Created, ErrorOut, created};
use crate::AppState;
use crate::download::{Show, send};
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/offerings/{id}/content", get(outline))
        .route("/offerings/{id}/content/modules", post(add_module))
        .route("/offerings/{id}/content/progress", get(class_progress))
        .route("/content/modules/{id}/items", post(add_item))
        .route("/content/items/{id}", get(open_item))
        .route("/content/items/{id}/completion", put(set_completion))
        .route("/content/items/{id}/file", get(item_file))
        .route("/offerings/{id}/announcements", get(class_announcements).post(announce))
        .route("/announcements", get(my_announcements))
}

#[derive(Serialize, ToSchema)]
pub struct ContentItemOut {
    pub id: i64,
    pub module_id: i64,
    /// `page`, `file` or `link`.
    pub kind: String,
    pub title: String,
    /// `view` (opening it completes it) or `done` (the student marks it done).
    pub completion: String,
    pub published: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_from: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_item: Option<i64>,
    /// For a student: whether they completed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
    /// Where a file item's bytes are downloaded (with the same session or token; ranges taken).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_url: Option<String>,
}

impl ContentItemOut {
    fn of(item: &ContentItem, completed: Option<bool>) -> ContentItemOut {
        ContentItemOut {
            id: item.id,
            module_id: item.module_id,
            kind: item.kind.clone(),
            title: item.title.clone(),
            completion: item.completion.clone(),
            published: item.published,
            available_from: item.available_from,
            after_item: item.after_item_id,
            completed,
            file_url: item.file_id.map(|_| format!("/api/v1/content/items/{}/file", item.id)),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ModuleOut {
    pub id: i64,
    pub title: String,
    pub published: bool,
    pub items: Vec<ContentItemOut>,
}

impl ModuleOut {
    fn of(module: &ContentModule, items: Vec<ContentItemOut>) -> ModuleOut {
        ModuleOut { id: module.id, title: module.title.clone(), published: module.published, items }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ContentOut {
    pub modules: Vec<ModuleOut>,
    /// For a student: items completed of every published item (released or not yet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
}

#[utoipa::path(get, path = "/api/v1/offerings/{id}/content", tag = "content", params(("id" = i64, Path)), responses((status = 200, body = ContentOut)), security(("bearer" = [])))]
pub async fn outline(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<ContentOut>, ApiError> {
    let outline = learning::outline(&state.app, &actor, OfferingId(id)).await?;
    let student = outline.viewer.is_student();
    let modules = outline
        .modules
        .iter()
        .map(|m| {
            let items = m
                .items
                .iter()
                .map(|i| {
                    let completed = match i.standing {
                        Standing::Open { completed } => Some(completed),
                        Standing::Staff { .. } => None,
                    };
                    ContentItemOut::of(&i.item, completed)
                })
                .collect();
            ModuleOut::of(&m.module, items)
        })
        .collect();
    Ok(Json(ContentOut { modules, progress: student.then_some(outline.progress) }))
}

#[utoipa::path(post, path = "/api/v1/offerings/{id}/content/modules", tag = "content", params(("id" = i64, Path)), request_body = ModuleInput, responses((status = 201, body = ModuleOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn add_module(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<ModuleInput>,
) -> Created<ModuleOut> {
    let module = content::add_module(&state.app, &actor, OfferingId(id), &input, &ctx.client).await?;
    created(ModuleOut::of(&module, Vec::new()))
}

#[utoipa::path(post, path = "/api/v1/content/modules/{id}/items", tag = "content", params(("id" = i64, Path)), request_body = ItemInput, responses((status = 201, body = ContentItemOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn add_item(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<ItemInput>,
) -> Created<ContentItemOut> {
    let item = content::add_item(&state.app, &actor, ModuleId(id), &input, &ctx.client).await?;
    created(ContentItemOut::of(&item, None))
}

#[derive(Serialize, ToSchema)]
pub struct OpenedOut {
    pub item: ContentItemOut,
    /// A page's Markdown, a link's address, a file's description.
    pub body: String,
}

/// An item the caller may see; a student's opening is recorded (completing a `view` item).
#[utoipa::path(get, path = "/api/v1/content/items/{id}", tag = "content", params(("id" = i64, Path)), responses((status = 200, body = OpenedOut)), security(("bearer" = [])))]
pub async fn open_item(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<OpenedOut>, ApiError> {
    Ok(Json(opened_out(&state, &actor, id).await?))
}

async fn opened_out(state: &AppState, actor: &qobe_app::Actor, id: i64) -> Result<OpenedOut, ApiError> {
    let opened = learning::open(&state.app, actor, ContentItemId(id)).await?;
    let completed = opened.viewer.is_student().then_some(opened.completed);
    Ok(OpenedOut { body: opened.item.body.clone(), item: ContentItemOut::of(&opened.item, completed) })
}

/// A file item's bytes, with single byte ranges (`Range: bytes=…` answers 206), sent as an
/// attachment unless its type can't run script.
#[utoipa::path(get, path = "/api/v1/content/items/{id}/file", tag = "content", params(("id" = i64, Path)), responses((status = 200, description = "The file's bytes"), (status = 206, description = "The range asked for")), security(("bearer" = [])))]
pub async fn item_file(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let file = learning::file(&state.app, &actor, ContentItemId(id), learning::Attached::File).await?;
    let show = if learning::shown_inline(&file.content_type) { Show::Inline } else { Show::Attachment };
    Ok(send(&state, &file, &headers, show, 3600).await.into_response())
}

/// A student's own completion of an item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletionIn {
    pub done: bool,
}

#[utoipa::path(put, path = "/api/v1/content/items/{id}/completion", tag = "content", params(("id" = i64, Path)), request_body = CompletionIn, responses((status = 200, body = OpenedOut), (status = 409, body = ErrorOut)), security(("bearer" = [])))]
pub async fn set_completion(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<CompletionIn>,
) -> Result<Json<OpenedOut>, ApiError> {
    learning::mark_done(&state.app, &actor, ContentItemId(id), input.done).await?;
    Ok(Json(opened_out(&state, &actor, id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct StudentProgressOut {
    pub name: String,
    pub registration: String,
    /// Per item, in `items` order: `completed`, `opened` or `not_started`.
    pub cells: Vec<String>,
    pub progress: Progress,
}

#[derive(Serialize, ToSchema)]
pub struct ClassProgressOut {
    pub items: Vec<ContentItemOut>,
    pub students: Vec<StudentProgressOut>,
}

#[utoipa::path(get, path = "/api/v1/offerings/{id}/content/progress", tag = "content", params(("id" = i64, Path)), responses((status = 200, body = ClassProgressOut)), security(("bearer" = [])))]
pub async fn class_progress(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<ClassProgressOut>, ApiError> {
    let table = progress::table(&state.app, &actor, OfferingId(id)).await?;
    let word = |cell: &progress::Cell| match cell {
        progress::Cell::Completed => "completed",
        progress::Cell::Opened => "opened",
        progress::Cell::NotStarted => "not_started",
    };
    Ok(Json(ClassProgressOut {
        items: table.items.iter().map(|i| ContentItemOut::of(i, None)).collect(),
        students: table
            .students
            .iter()
            .map(|s| StudentProgressOut {
                name: s.name.clone(),
                registration: s.registration.clone(),
                cells: s.cells.iter().map(|c| word(c).to_owned()).collect(),
                progress: s.progress,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct AnnouncementOut {
    pub id: i64,
    /// Left out for an announcement to the whole institution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offering_id: Option<i64>,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub author: String,
    pub posted_at: DateTime<Utc>,
    /// Not read by the caller before this call.
    pub unread: bool,
}

impl From<&Shown> for AnnouncementOut {
    fn from(s: &Shown) -> Self {
        AnnouncementOut {
            id: s.announcement.id,
            offering_id: s.announcement.offering_id,
            title: s.announcement.title.clone(),
            body: s.announcement.body.clone(),
            author: s.author.clone(),
            posted_at: s.announcement.posted_at,
            unread: s.unread,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AnnouncementsOut {
    pub announcements: Vec<AnnouncementOut>,
    /// How many of them the caller had not read before this call.
    pub unread: usize,
}

fn listed(list: &[Shown]) -> AnnouncementsOut {
    AnnouncementsOut {
        announcements: list.iter().map(AnnouncementOut::from).collect(),
        unread: list.iter().filter(|s| s.unread).count(),
    }
}

/// The offering's announcements, newest first (read from now on).
#[utoipa::path(get, path = "/api/v1/offerings/{id}/announcements", tag = "content", params(("id" = i64, Path)), responses((status = 200, body = AnnouncementsOut)), security(("bearer" = [])))]
pub async fn class_announcements(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<AnnouncementsOut>, ApiError> {
    Ok(Json(listed(&announcements::of_offering(&state.app, &actor, OfferingId(id)).await?)))
}

/// Posts an announcement to the offering's class; it is emailed to those who take them.
#[utoipa::path(post, path = "/api/v1/offerings/{id}/announcements", tag = "content", params(("id" = i64, Path)), request_body = AnnouncementInput, responses((status = 201, body = AnnouncementOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn announce(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<AnnouncementInput>,
) -> Created<AnnouncementOut> {
    let posted = announcements::post(&state.app, &actor, Some(OfferingId(id)), &input, &ctx.client).await?;
    created(AnnouncementOut {
        id: posted.id,
        offering_id: posted.offering_id,
        title: posted.title,
        body: posted.body,
        author: actor.name.clone(),
        posted_at: posted.posted_at,
        unread: false,
    })
}

/// Everything announced to the caller (their courses' and the institution's), newest first.
#[utoipa::path(get, path = "/api/v1/announcements", tag = "content", responses((status = 200, body = AnnouncementsOut)), security(("bearer" = [])))]
pub async fn my_announcements(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
) -> Result<Json<AnnouncementsOut>, ApiError> {
    Ok(Json(listed(&announcements::mine(&state.app, &actor, 100, true).await?)))
}
