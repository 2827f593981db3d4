//! Copying content from an earlier offering of the same course: every module comes
//! across as a draft (to be looked over and published for the new class), release dates are
//! left behind (they belonged to the other term), "after" rules point at the copies, and each
//! file's bytes are copied, so deleting one offering's file never takes the other's.

use std::collections::HashMap;

use futures_util::StreamExt;
use qobe_domain::ids::{ContentItemId, FileId, OfferingId};
use qobe_store::learning::{self as rows, ItemFields};

use super::{ContentItem, viewer};
use crate::academics::offerings::{self, OfferingView};
use crate::files::{self, FileKind};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// Earlier offerings of the same course the actor may copy content from, newest first, with how
/// many items each has.
pub async fn sources(app: &App, actor: &Actor, into: OfferingId) -> AppResult<Vec<(OfferingView, usize)>> {
    let (target, _) = viewer(app, actor, into).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let course = qobe_domain::ids::CourseId(target.course.id);
    let others = qobe_store::academics::offerings::of_course(conn, institution, course).await?;
    let mut out = Vec::new();
    for view in offerings::views(app, actor, others).await? {
        if view.offering.id == into.0 || crate::assessment::access_to(actor, &view).is_none() {
            continue;
        }
        let items = rows::items(conn, institution, OfferingId(view.offering.id)).await?.len();
        if items > 0 {
            out.push((view, items));
        }
    }
    out.sort_by_key(|(view, _)| std::cmp::Reverse(view.term.starts_at));
    Ok(out)
}

/// Copies every module and item of `from` to the end of `into`'s content. Returns how many items.
pub async fn copy(
    app: &App,
    actor: &Actor,
    into: OfferingId,
    from: OfferingId,
    client: &ClientInfo,
) -> AppResult<usize> {
    let (target, target_viewer) = viewer(app, actor, into).await?;
    if !target_viewer.edits() {
        return Err(AppError::Forbidden);
    }
    let (source, _) = viewer(app, actor, from)
        .await
        .map_err(|_| AppError::field("from", "choose an offering of this course you teach"))?;
    if source.course.id != target.course.id || from == into {
        return Err(AppError::field("from", "choose an earlier offering of this course"));
    }
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let modules = rows::modules(conn, institution, from).await?;
    let items = rows::items(conn, institution, from).await?;
    let mut needed = 0u64;
    for item in &items {
        for file in [item.file_id, item.captions_file_id].into_iter().flatten() {
            needed += u64::try_from(files::find(app, Some(institution), FileId(file)).await?.size).unwrap_or(0);
        }
    }
    let room = files::storage(app, institution).await?;
    if needed > room.left() {
        return Err(AppError::TooLarge(format!(
            "Copying needs {} of storage and the institution has {} left. Delete files that are no longer needed, or ask your administrator for more space.",
            files::amount(needed),
            files::amount(room.left())
        )));
    }
    let tx = app.store.begin().await?;
    let mut copies: HashMap<i64, ContentItemId> = HashMap::new();
    let mut afters: Vec<(ContentItemId, i64)> = Vec::new();
    for module in &modules {
        let copy = rows::insert_module(&tx, institution, into, &module.title, false, app.now()).await?;
        for item in items.iter().filter(|i| i.module_id == module.id) {
            let file = match item.file_id {
                Some(id) => Some(copy_file(&tx, app, actor, FileId(id)).await?.0),
                None => None,
            };
            let captions = match item.captions_file_id {
                Some(id) => Some(copy_file(&tx, app, actor, FileId(id)).await?.0),
                None => None,
            };
            let new = rows::insert_item(&tx, institution, &copy, copied(item, file, captions, None), app.now()).await?;
            copies.insert(item.id, ContentItemId(new.id));
            if let Some(after) = item.after_item_id {
                afters.push((ContentItemId(new.id), after));
            }
        }
    }
    for (copy, after) in afters {
        if let (Some(new_after), Some(row)) = (copies.get(&after), rows::item(&tx, institution, copy).await?) {
            let fields = copied(&row, row.file_id, row.captions_file_id, Some(*new_after));
            rows::update_item(&tx, institution, copy, fields, app.now()).await?;
        }
    }
    let label = format!("{} {} section {}", source.course.code, source.term.code, source.offering.section);
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "content.copied").target(&label).details(serde_json::json!({ "items": copies.len() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(copies.len())
}

/// A copy's fields: the item's own, with the copy's files and "after" rule and no release date.
fn copied(
    item: &ContentItem,
    file: Option<i64>,
    captions: Option<i64>,
    after: Option<ContentItemId>,
) -> ItemFields<'_> {
    ItemFields {
        kind: &item.kind,
        title: &item.title,
        body: &item.body,
        file,
        captions,
        published: item.published,
        available_from: None,
        after,
        completion: &item.completion,
    }
}

/// A new file record with its own copy of the bytes, streamed through.
async fn copy_file(conn: &impl qobe_store::Conn, app: &App, actor: &Actor, id: FileId) -> AppResult<FileId> {
    let institution = actor.institution()?;
    let original = files::find(app, Some(institution), id).await?;
    let chunks = files::stream(app, &original, None).await?;
    let room = files::Storage { used: 0, quota: u64::MAX, per_file: u64::MAX };
    let received = files::receive(app, room, FileKind::Content, "from", &original.name, chunks.boxed()).await?;
    files::record(conn, app, institution, actor.user_id, FileKind::Content, &received).await
}
