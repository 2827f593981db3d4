//! Changing an offering's content: modules and items added, edited, ordered and deleted by those
//! who edit the offering (its instructors and academic administrators), each change audited.

use bytes::Bytes;
use futures_util::Stream;
use qobe_domain::FieldErrors;
use qobe_domain::ids::{ContentItemId, FileId, ModuleId, OfferingId};
use qobe_domain::learning::{self as rules, Completion, ItemKind};
use qobe_domain::validation::{optional_text, required_text};
use qobe_store::learning::{self as rows, ItemFields};
use serde::Deserialize;

use super::{ContentItem, ContentModule, viewer};
use crate::academics::terms::Moment;
use crate::files::{self, FileKind, Received};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// A module's title and whether students see it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModuleInput {
    #[schema(max_length = 200)]
    pub title: String,
    /// Shown to students (a draft module is not, nor anything in it).
    #[serde(default)]
    pub published: bool,
}

/// An item's fields. A page's text is Markdown; a link's address is `url`; a file is sent with
/// its upload (the page's form), and here only its title, description and rules change.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    /// `page` or `link` for a new item (a file comes with its upload); ignored when editing.
    #[serde(default)]
    #[schema(pattern = "enum:content_kind")]
    pub kind: String,
    #[schema(max_length = 200)]
    pub title: String,
    /// A page's Markdown, or a few words about a link or file.
    #[serde(default)]
    #[schema(max_length = 200000)]
    pub body: String,
    /// A link's address (`https://…`).
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub url: String,
    /// Shown to students once released.
    #[serde(default)]
    pub published: bool,
    /// Released to students from this moment (blank: at once), in the person's zone in a form.
    #[serde(default)]
    #[schema(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    pub available_from: Option<Moment>,
    /// Released only once the student has completed this item of the same offering.
    #[serde(default, deserialize_with = "qobe_domain::whole::optional")]
    pub after_item: Option<i64>,
    /// `view` (opening it completes it, the default) or `done` (the student marks it done).
    #[serde(default)]
    #[schema(pattern = "enum:content_completion")]
    pub completion: String,
}

/// The offering, if the actor edits its content.
async fn editing(app: &App, actor: &Actor, offering: OfferingId) -> AppResult<()> {
    let (_, viewer) = viewer(app, actor, offering).await?;
    if viewer.edits() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// A module of the institution the actor may see the content of (for a page to come back to).
pub async fn module_of(app: &App, actor: &Actor, id: ModuleId) -> AppResult<ContentModule> {
    let module = rows::module(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    viewer(app, actor, OfferingId(module.offering_id)).await?;
    Ok(module)
}

async fn module_to_edit(app: &App, actor: &Actor, id: ModuleId) -> AppResult<ContentModule> {
    let module = rows::module(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    editing(app, actor, OfferingId(module.offering_id)).await?;
    Ok(module)
}

async fn item_to_edit(app: &App, actor: &Actor, id: ContentItemId) -> AppResult<ContentItem> {
    let item = rows::item(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    editing(app, actor, OfferingId(item.offering_id)).await?;
    Ok(item)
}

fn module_title(input: &ModuleInput) -> AppResult<String> {
    required_text(&input.title, 200).map_err(|m| AppError::field("title", m))
}

pub async fn add_module(
    app: &App,
    actor: &Actor,
    offering: OfferingId,
    input: &ModuleInput,
    client: &ClientInfo,
) -> AppResult<ContentModule> {
    editing(app, actor, offering).await?;
    let title = module_title(input)?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let module = rows::insert_module(&tx, institution, offering, &title, input.published, app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "content.module_added").target(&title)).await?;
    qobe_store::commit(tx).await?;
    Ok(module)
}

pub async fn update_module(
    app: &App,
    actor: &Actor,
    id: ModuleId,
    input: &ModuleInput,
    client: &ClientInfo,
) -> AppResult<ContentModule> {
    let module = module_to_edit(app, actor, id).await?;
    let title = module_title(input)?;
    let tx = app.store.begin().await?;
    rows::update_module(&tx, actor.institution()?, id, &title, input.published, app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "content.module_changed").target(&title)).await?;
    qobe_store::commit(tx).await?;
    Ok(module)
}

/// Deletes a module with its items; their files go once this commits.
pub async fn delete_module(app: &App, actor: &Actor, id: ModuleId, client: &ClientInfo) -> AppResult<ContentModule> {
    let module = module_to_edit(app, actor, id).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    for item in rows::items_of_module(&tx, institution, id).await? {
        discard_files(&tx, app, actor, &item).await?;
    }
    rows::delete_module(&tx, institution, id).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "content.module_deleted").target(&module.title)).await?;
    qobe_store::commit(tx).await?;
    Ok(module)
}

async fn discard_files(conn: &impl qobe_store::Conn, app: &App, actor: &Actor, item: &ContentItem) -> AppResult<()> {
    for file in [item.file_id, item.captions_file_id].into_iter().flatten() {
        files::discard(conn, app, Some(actor.institution()?), FileId(file)).await?;
    }
    Ok(())
}

/// An item's fields read and checked; `kind` is the item's own.
struct Checked {
    title: String,
    body: String,
    available_from: Option<chrono::DateTime<chrono::Utc>>,
    after: Option<ContentItemId>,
    completion: Completion,
}

async fn check(
    app: &App,
    actor: &Actor,
    offering: OfferingId,
    kind: ItemKind,
    input: &ItemInput,
    itself: Option<ContentItemId>,
) -> AppResult<Checked> {
    let mut errors = FieldErrors::new();
    let title = errors.check("title", required_text(&input.title, 200));
    // What the API's document can't say of a field alone is a refusal (409), not bad input.
    let body = match kind {
        ItemKind::Link => rules::link_address(&input.url).map_err(|m| errors.refuse("url", m)).ok(),
        ItemKind::Page => required_text(&input.body, 200_000)
            .map_err(|m| errors.refuse("body", if m == "is required" { "a page needs its text".to_owned() } else { m }))
            .ok(),
        ItemKind::File => errors.check("body", optional_text(&input.body, 2000).map(Option::unwrap_or_default)),
    };
    let typed = input.available_from.as_ref().map(Moment::text).unwrap_or_default();
    let available_from = match typed.trim() {
        "" => None,
        raw => crate::academics::parse_moment(&mut errors, "available_from", raw, actor.zone()),
    };
    let completion = match input.completion.trim() {
        "" => Some(Completion::View),
        raw => errors.check("completion", Completion::parse(raw)),
    };
    let after = match input.after_item {
        None => None,
        Some(id) if Some(ContentItemId(id)) == itself => {
            errors.refuse("after_item", "can't be the item itself");
            None
        }
        Some(id) => {
            let found = rows::item(app.store.conn(), actor.institution()?, ContentItemId(id)).await?;
            match found {
                Some(before) if before.offering_id == offering.0 => Some(ContentItemId(id)),
                _ => {
                    errors.refuse("after_item", "must be an item of this course's content");
                    None
                }
            }
        }
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let (Some(title), Some(body), Some(completion)) = (title, body, completion) else {
        return Err(AppError::field("title", "is required"));
    };
    Ok(Checked { title, body, available_from, after, completion })
}

fn fields<'a>(
    kind: ItemKind,
    checked: &'a Checked,
    input: &ItemInput,
    file: Option<i64>,
    captions: Option<i64>,
) -> ItemFields<'a> {
    ItemFields {
        kind: kind.as_str(),
        title: &checked.title,
        body: &checked.body,
        file,
        captions,
        published: input.published,
        available_from: checked.available_from,
        after: checked.after,
        completion: checked.completion.as_str(),
    }
}

/// Adds a page or a link to a module.
pub async fn add_item(
    app: &App,
    actor: &Actor,
    module: ModuleId,
    input: &ItemInput,
    client: &ClientInfo,
) -> AppResult<ContentItem> {
    let module = module_to_edit(app, actor, module).await?;
    let kind = match ItemKind::parse(input.kind.trim()) {
        Ok(ItemKind::File) => return Err(AppError::refused_field("kind", "a file is added with its upload")),
        Ok(kind) => kind,
        // Optional when editing, so a new item without one is a refusal, not bad input.
        Err(_) => return Err(AppError::refused_field("kind", "choose page or link for a new item")),
    };
    let checked = check(app, actor, OfferingId(module.offering_id), kind, input, None).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let item =
        rows::insert_item(&tx, institution, &module, fields(kind, &checked, input, None, None), app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "content.item_added").target(&checked.title)).await?;
    qobe_store::commit(tx).await?;
    Ok(item)
}

/// Where an upload is going: checked before its bytes are read, so nothing is streamed in vain.
pub struct UploadTarget {
    module: ContentModule,
    room: files::Storage,
}

/// Checks that the actor may add a file to the module and finds the institution's room for it.
pub async fn upload_target(app: &App, actor: &Actor, module: ModuleId) -> AppResult<UploadTarget> {
    let module = module_to_edit(app, actor, module).await?;
    let room = files::storage(app, actor.institution()?).await?;
    if room.left() == 0 {
        return Err(AppError::TooLarge(format!(
            "The institution's storage is full ({} used). Delete files that are no longer needed, or ask your administrator for more space.",
            files::amount(room.used)
        )));
    }
    Ok(UploadTarget { module, room })
}

/// Streams a file into the store for a new item (`field` names the form's file input); a
/// refused file leaves nothing behind.
pub async fn receive<S, E>(app: &App, target: &UploadTarget, field: &str, name: &str, chunks: S) -> AppResult<Received>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let name = rules::safe_file_name(name);
    files::receive(app, target.room, FileKind::Content, field, &name, chunks).await
}

/// Adds a received file (and its captions, WebVTT) as an item of the target module. Without a
/// title, the file's name is its title.
pub async fn add_file(
    app: &App,
    actor: &Actor,
    target: &UploadTarget,
    file: &Received,
    captions: Option<&Received>,
    input: &ItemInput,
    client: &ClientInfo,
) -> AppResult<ContentItem> {
    if let Some(captions) = captions
        && !captions.content_type.starts_with("text/vtt")
    {
        return Err(AppError::field("captions", "must be a WebVTT file (it starts with WEBVTT)"));
    }
    let mut input = input.clone();
    if input.title.trim().is_empty() {
        input.title = file.name.chars().take(200).collect();
    }
    let offering = OfferingId(target.module.offering_id);
    let checked = check(app, actor, offering, ItemKind::File, &input, None).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let stored = files::record(&tx, app, institution, actor.user_id, FileKind::Content, file).await?;
    let captions = match captions {
        Some(captions) => {
            Some(files::record(&tx, app, institution, actor.user_id, FileKind::Content, captions).await?.0)
        }
        None => None,
    };
    let fields = fields(ItemKind::File, &checked, &input, Some(stored.0), captions);
    let item = rows::insert_item(&tx, institution, &target.module, fields, app.now()).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "content.file_added")
            .target(&checked.title)
            .details(serde_json::json!({ "file": file.name, "bytes": file.size, "type": file.content_type })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(item)
}

/// Changes an item's title, text or address, publishing and release rules.
pub async fn update_item(
    app: &App,
    actor: &Actor,
    id: ContentItemId,
    input: &ItemInput,
    client: &ClientInfo,
) -> AppResult<ContentItem> {
    let item = item_to_edit(app, actor, id).await?;
    let kind = ItemKind::parse(&item.kind).unwrap_or(ItemKind::Page);
    let checked = check(app, actor, OfferingId(item.offering_id), kind, input, Some(id)).await?;
    let tx = app.store.begin().await?;
    let fields = fields(kind, &checked, input, item.file_id, item.captions_file_id);
    rows::update_item(&tx, actor.institution()?, id, fields, app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "content.item_changed").target(&checked.title)).await?;
    qobe_store::commit(tx).await?;
    Ok(item)
}

/// Deletes an item; its files go once this commits, and items released after it no longer wait.
pub async fn delete_item(app: &App, actor: &Actor, id: ContentItemId, client: &ClientInfo) -> AppResult<ContentItem> {
    let item = item_to_edit(app, actor, id).await?;
    let tx = app.store.begin().await?;
    discard_files(&tx, app, actor, &item).await?;
    rows::delete_item(&tx, actor.institution()?, id).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "content.item_deleted").target(&item.title)).await?;
    qobe_store::commit(tx).await?;
    Ok(item)
}

/// Moves an item one place up or down, across into the neighbouring module at a module's edge.
pub async fn move_item(app: &App, actor: &Actor, id: ContentItemId, up: bool) -> AppResult<ContentItem> {
    let item = item_to_edit(app, actor, id).await?;
    let institution = actor.institution()?;
    let offering = OfferingId(item.offering_id);
    let conn = app.store.conn();
    let modules = rows::modules(conn, institution, offering).await?;
    let all = rows::items(conn, institution, offering).await?;
    // The items in the order shown, each with its module.
    let mut order: Vec<(i64, i64)> = Vec::new();
    for module in &modules {
        order.extend(all.iter().filter(|i| i.module_id == module.id).map(|i| (module.id, i.id)));
    }
    let at = order.iter().position(|(_, i)| *i == item.id).ok_or(AppError::NotFound)?;
    let module_index = modules.iter().position(|m| m.id == item.module_id).ok_or(AppError::NotFound)?;
    let first_in_module = order.iter().position(|(m, _)| *m == item.module_id) == Some(at);
    let last_in_module = order.iter().rposition(|(m, _)| *m == item.module_id) == Some(at);
    let target_module = match (up, first_in_module, last_in_module) {
        (true, true, _) => module_index.checked_sub(1).and_then(|i| modules.get(i)),
        (false, _, true) => modules.get(module_index + 1),
        _ => modules.get(module_index),
    };
    let Some(target_module) = target_module else { return Ok(item) };
    let mut ids: Vec<ContentItemId> =
        order.iter().filter(|(m, i)| *m == target_module.id && *i != item.id).map(|(_, i)| ContentItemId(*i)).collect();
    let place = if target_module.id != item.module_id {
        if up { ids.len() } else { 0 }
    } else {
        // Not at the module's edge in this direction: one place within it.
        let within = order.iter().filter(|(m, _)| *m == item.module_id).position(|(_, i)| *i == item.id).unwrap_or(0);
        if up { within.saturating_sub(1) } else { within + 1 }
    };
    ids.insert(place, ContentItemId(item.id));
    let tx = app.store.begin().await?;
    rows::order_items(&tx, institution, target_module, &ids).await?;
    qobe_store::commit(tx).await?;
    Ok(item)
}

/// Puts a module's items in the order given (as dragging leaves them); items named from another
/// module move into it.
pub async fn order_items(app: &App, actor: &Actor, module: ModuleId, order: &[ContentItemId]) -> AppResult<()> {
    let module = module_to_edit(app, actor, module).await?;
    let tx = app.store.begin().await?;
    rows::order_items(&tx, actor.institution()?, &module, order).await?;
    Ok(qobe_store::commit(tx).await?)
}

/// Moves a module one place up or down.
pub async fn move_module(app: &App, actor: &Actor, id: ModuleId, up: bool) -> AppResult<ContentModule> {
    let module = module_to_edit(app, actor, id).await?;
    let institution = actor.institution()?;
    let offering = OfferingId(module.offering_id);
    let mut ids: Vec<ModuleId> =
        rows::modules(app.store.conn(), institution, offering).await?.iter().map(|m| ModuleId(m.id)).collect();
    let at = ids.iter().position(|m| m.0 == module.id).ok_or(AppError::NotFound)?;
    let to = if up { at.saturating_sub(1) } else { (at + 1).min(ids.len() - 1) };
    ids.swap(at, to);
    let tx = app.store.begin().await?;
    rows::order_modules(&tx, institution, offering, &ids).await?;
    qobe_store::commit(tx).await?;
    Ok(module)
}
