//! Uploading a file as a new item: the multipart body is read field by field and the file is
//! streamed into the file store as it arrives (never whole in memory), refused as soon as it
//! passes the institution's largest file or what is left of its quota. The form sends its
//! fields before the file, so the item's title and rules are known when the file arrives.

use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use axum::routing::post;
use qobe_app::AppError;
use qobe_app::files::Received;
use qobe_app::learning::content::{self, ItemInput};
use qobe_domain::entered::Entered;
use qobe_domain::ids::ModuleId;
use qobe_domain::learning::ItemKind;

use super::items::item_form;
use super::outline_at;
use crate::AppState;
use crate::context::SignedIn;
use crate::error::HtmlError;
use crate::forms::FormState;
use crate::routes::{done, render_with};

pub fn router() -> Router<AppState> {
    Router::new().route("/learning/modules/{id}/files", post(upload))
}

/// What the form sent: its fields, the file and its captions.
#[derive(Default)]
struct Sent {
    input: ItemInput,
    typed: FormState,
    file: Option<Received>,
    captions: Option<Received>,
}

impl Sent {
    fn text(&mut self, name: &str, value: String) {
        self.typed = std::mem::take(&mut self.typed).set(name, &value);
        match name {
            "title" => self.input.title = value,
            "body" => self.input.body = value,
            "published" => self.input.published = !value.is_empty(),
            "available_from" => self.input.available_from = Some(Entered::Text(value)),
            "after_item" => self.input.after_item = value.trim().parse().ok(),
            "completion" => self.input.completion = value,
            _ => {}
        }
    }

    /// Deletes what was received when the item is not made.
    async fn discard(self, state: &AppState) -> Result<(), AppError> {
        for received in [self.file, self.captions].into_iter().flatten() {
            qobe_app::files::drop_received(&state.app, received).await?;
        }
        Ok(())
    }
}

async fn read(
    state: &AppState,
    target: &content::UploadTarget,
    mut multipart: Multipart,
    sent: &mut Sent,
) -> Result<(), AppError> {
    let unreadable = |_| AppError::field("file", "could not be read whole: send the form again");
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) if !file_name.is_empty() && (name == "file" || name == "captions") => {
                let received = content::receive(&state.app, target, &name, &file_name, Box::pin(field)).await?;
                if name == "file" { sent.file = Some(received) } else { sent.captions = Some(received) }
            }
            // A file input left empty, or one the form does not have.
            Some(_) => {}
            None => {
                let value = field.text().await.map_err(unreadable)?;
                sent.text(&name, value);
            }
        }
    }
    Ok(())
}

async fn upload(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, HtmlError> {
    let module = ModuleId(id);
    let mut sent = Sent::default();
    let made = match content::upload_target(&state.app, &signed.actor, module).await {
        Ok(target) => match read(&state, &target, multipart, &mut sent).await {
            Ok(()) => match &sent.file {
                Some(file) => {
                    content::add_file(
                        &state.app,
                        &signed.actor,
                        &target,
                        file,
                        sent.captions.as_ref(),
                        &sent.input,
                        &signed.ctx.client,
                    )
                    .await
                }
                None => Err(AppError::field("file", "choose a file to upload")),
            },
            Err(err) => Err(err),
        },
        Err(err) => Err(err),
    };
    match made {
        Ok(item) => Ok(done(&state, &outline_at(item.offering_id, id), "File uploaded.")),
        Err(err) => {
            let typed = std::mem::take(&mut sent.typed);
            sent.discard(&state).await?;
            let kept = typed.absorb(err)?;
            let status = kept.status();
            let page = item_form(&state, &signed, module, ItemKind::File, None, kept).await?;
            Ok(render_with(status, &page))
        }
    }
}
