//! An item's pages: opened (a page's text, a file shown or offered, a link), its form to add or
//! edit, and the buttons that move, delete and mark it done; its files sent with ranges.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use qobe_app::learning::content::{self, ItemInput};
use qobe_app::learning::{self, Attached, ContentItem, Opened};
use qobe_domain::ids::{ContentItemId, ModuleId, OfferingId};
use qobe_domain::learning::{Completion, ItemKind};
use serde::Deserialize;

use super::{Direction, outline_at};
use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::download::{Show, send};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/learning/modules/{id}/new", get(new_item))
        .route("/learning/modules/{id}/items", post(add_item))
        .route("/learning/modules/{id}/order", post(order_items))
        .route("/learning/items/{id}", get(open).post(update_item))
        .route("/learning/items/{id}/edit", get(edit_item))
        .route("/learning/items/{id}/delete", post(delete_item))
        .route("/learning/items/{id}/move", post(move_item))
        .route("/learning/items/{id}/done", post(mark_done))
        .route("/learning/items/{id}/file", get(item_file))
        .route("/learning/items/{id}/captions", get(item_captions))
}

#[derive(Template)]
#[template(path = "learning/item.html")]
struct ItemPage {
    page: Page,
    opened: Opened,
    /// A page's text as HTML, sanitised.
    html: String,
}

impl ItemPage {
    /// A video link's player, to show in the page.
    fn embedded(&self) -> Option<String> {
        qobe_domain::learning::embed_address(&self.opened.item.body)
    }

    fn media(&self) -> &'static str {
        let kind = self.opened.file.as_ref().map_or("", |f| f.content_type.as_str());
        if kind.starts_with("video/") {
            "video"
        } else if kind.starts_with("audio/") {
            "audio"
        } else if kind.starts_with("image/") && learning::shown_inline(kind) {
            "image"
        } else if kind.starts_with("application/pdf") {
            "pdf"
        } else {
            ""
        }
    }

    fn size(&self) -> String {
        self.opened
            .file
            .as_ref()
            .map(|f| qobe_app::files::amount(u64::try_from(f.size).unwrap_or(0)))
            .unwrap_or_default()
    }

    fn asks_done(&self) -> bool {
        self.opened.viewer.is_student() && self.opened.completion == Completion::Done
    }
}

async fn open(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let opened = learning::open(&state.app, &signed.actor, ContentItemId(id)).await?;
    // A link's body is its address; a page's and a file's are Markdown.
    let html = if opened.kind == ItemKind::Link { String::new() } else { crate::markdown::to_html(&opened.item.body) };
    let staff = !opened.viewer.is_student();
    let page = Page::new(&opened.item.title, &signed.ctx).in_offering_as(&opened.offering, staff, true);
    Ok(render(&ItemPage { page, opened, html }))
}

/// How a file of an item is sent: shown in the page when its type can't run script, else saved.
async fn send_attached(
    state: &AppState,
    signed: &SignedIn,
    id: i64,
    which: Attached,
    headers: &HeaderMap,
) -> Result<Response, HtmlError> {
    let file = learning::file(&state.app, &signed.actor, ContentItemId(id), which).await?;
    let show = if learning::shown_inline(&file.content_type) { Show::Inline } else { Show::Attachment };
    send(state, &file, headers, show, 3600).await
}

async fn item_file(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, HtmlError> {
    send_attached(&state, &signed, id, Attached::File, &headers).await
}

async fn item_captions(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, HtmlError> {
    send_attached(&state, &signed, id, Attached::Captions, &headers).await
}

#[derive(Deserialize)]
struct Done {
    #[serde(default)]
    done: String,
}

async fn mark_done(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Submitted { input, .. }: Submitted<Done>,
) -> Result<Response, HtmlError> {
    let done_now = input.done != "no";
    learning::mark_done(&state.app, &signed.actor, ContentItemId(id), done_now).await?;
    let notice = if done_now { "Marked done." } else { "Marked not done." };
    Ok(done(&state, &format!("/learning/items/{id}"), notice))
}

#[derive(Template)]
#[template(path = "learning/item_form.html")]
pub(super) struct ItemFormPage {
    pub page: Page,
    pub kind: ItemKind,
    /// Where the form is sent.
    pub action: String,
    /// The item edited (`None` for a new one).
    pub item: Option<ContentItem>,
    /// The offering's other items, for "released after".
    pub others: Vec<(i64, String)>,
    pub form: FormState,
    pub completions: [Completion; 2],
    /// For a new file: the largest file that may be uploaded now.
    pub limit: String,
    pub back: String,
}

impl ItemFormPage {
    fn is(&self, kind: &str) -> bool {
        self.kind.as_str() == kind
    }
}

/// The form's page for a new item of `kind` in a module, or for editing `item`.
pub(super) async fn item_form(
    state: &AppState,
    signed: &SignedIn,
    module: ModuleId,
    kind: ItemKind,
    item: Option<ContentItem>,
    form: FormState,
) -> Result<ItemFormPage, HtmlError> {
    let app = &state.app;
    let actor = &signed.actor;
    let module = content::module_of(app, actor, module).await?;
    let outline = learning::outline(app, actor, OfferingId(module.offering_id)).await?;
    if !outline.viewer.edits() {
        return Err(qobe_app::AppError::Forbidden.into());
    }
    let others = outline
        .modules
        .iter()
        .flat_map(|m| &m.items)
        .filter(|i| item.as_ref().is_none_or(|it| it.id != i.item.id))
        .map(|i| (i.item.id, i.item.title.clone()))
        .collect();
    let (title, action) = match &item {
        Some(item) => (format!("Edit “{}”", item.title), format!("/learning/items/{}", item.id)),
        None if kind == ItemKind::File => {
            (format!("Upload a file to {}", module.title), format!("/learning/modules/{}/files", module.id))
        }
        None => (
            format!("New {} in {}", kind.label().to_lowercase(), module.title),
            format!("/learning/modules/{}/items", module.id),
        ),
    };
    let storage = qobe_app::files::storage(app, actor.institution()?).await?;
    Ok(ItemFormPage {
        page: Page::new(&title, &signed.ctx).in_offering(&outline.offering, true),
        kind,
        action,
        others,
        form,
        completions: Completion::ALL,
        limit: qobe_app::files::amount(storage.per_file.min(storage.left())),
        back: outline_at(module.offering_id, module.id),
        item,
    })
}

#[derive(Deserialize)]
struct NewKind {
    #[serde(default)]
    kind: String,
}

async fn new_item(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<NewKind>,
) -> Result<Response, HtmlError> {
    let kind = ItemKind::parse(&query.kind).unwrap_or(ItemKind::Page);
    let form =
        FormState::new().set("published", "on").set("completion", if kind == ItemKind::Page { "done" } else { "view" });
    Ok(render(&item_form(&state, &signed, ModuleId(id), kind, None, form).await?))
}

async fn add_item(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<ItemInput>,
) -> Result<Response, HtmlError> {
    match content::add_item(&state.app, &signed.actor, ModuleId(id), &form.input, &signed.ctx.client).await {
        Ok(item) => Ok(done(&state, &outline_at(item.offering_id, id), "Item added.")),
        Err(err) => {
            let kind = ItemKind::parse(form.input.kind.trim()).unwrap_or(ItemKind::Page);
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&item_form(&state, &signed, ModuleId(id), kind, None, kept).await?))
        }
    }
}

/// An item's stored fields as its form shows them.
fn item_fields(item: &ContentItem, page: &Page) -> FormState {
    let from = item
        .available_from
        .map(|at| at.with_timezone(&page.time_zone).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default();
    let mut form = FormState::new()
        .set("title", &item.title)
        .set("body", if item.kind == "link" { "" } else { &item.body })
        .set("url", if item.kind == "link" { &item.body } else { "" })
        .set("available_from", &from)
        .set("after_item", &item.after_item_id.map(|a| a.to_string()).unwrap_or_default())
        .set("completion", &item.completion);
    if item.published {
        form = form.set("published", "on");
    }
    form
}

async fn edit_item(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    let opened = learning::open(&state.app, &signed.actor, ContentItemId(id)).await?;
    let item = opened.item;
    let mut page =
        item_form(&state, &signed, ModuleId(item.module_id), opened.kind, Some(item.clone()), FormState::new()).await?;
    page.form = item_fields(&item, &page.page);
    Ok(render(&page))
}

async fn update_item(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<ItemInput>,
) -> Result<Response, HtmlError> {
    match content::update_item(&state.app, &signed.actor, ContentItemId(id), &form.input, &signed.ctx.client).await {
        Ok(item) => Ok(done(&state, &outline_at(item.offering_id, item.module_id), "Item saved.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let opened = learning::open(&state.app, &signed.actor, ContentItemId(id)).await?;
            let module = ModuleId(opened.item.module_id);
            Ok(render_invalid(&item_form(&state, &signed, module, opened.kind, Some(opened.item), kept).await?))
        }
    }
}

async fn delete_item(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    let item = content::delete_item(&state.app, &signed.actor, ContentItemId(id), &signed.ctx.client).await?;
    Ok(done(&state, &outline_at(item.offering_id, item.module_id), "Item deleted."))
}

async fn move_item(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Submitted { input, .. }: Submitted<Direction>,
) -> Result<Response, HtmlError> {
    let item = content::move_item(&state.app, &signed.actor, ContentItemId(id), input.up()).await?;
    Ok(done(&state, &format!("/learning/offerings/{}#item-{id}", item.offering_id), "Item moved."))
}

/// The order a drag leaves: `order=3,1,2` (item ids, this module's after the move).
#[derive(Deserialize)]
struct Order {
    order: String,
}

async fn order_items(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Submitted { input, .. }: Submitted<Order>,
) -> Result<Response, HtmlError> {
    let ids: Vec<ContentItemId> =
        input.order.split(',').filter_map(|i| i.trim().parse().ok()).map(ContentItemId).collect();
    content::order_items(&state.app, &signed.actor, ModuleId(id), &ids).await?;
    // The page's script sent it after a drag: the page already shows the order.
    if headers.get("x-requested-with").is_some_and(|v| v == "fetch") {
        return Ok(axum::http::StatusCode::NO_CONTENT.into_response());
    }
    let module = content::module_of(&state.app, &signed.actor, ModuleId(id)).await?;
    Ok(done(&state, &outline_at(module.offering_id, id), "Order saved."))
}
