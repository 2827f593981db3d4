//! Course content's pages under `/learning/…`: an offering's modules and items (the outline),
//! an item opened, staff's forms to add, edit, order and delete, files uploaded as streams
//! ([`upload`]), downloads with ranges, and the class × item progress table.

mod announcements;
mod forums;
mod items;
mod upload;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::learning::content::{self, ModuleInput};
use qobe_app::learning::{Outline, Standing, copy, progress};
use qobe_domain::ids::{ModuleId, OfferingId};
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::export::{Format, download};
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/learning/offerings/{id}", get(show))
        .route("/learning/offerings/{id}/modules", post(add_module))
        .route("/learning/offerings/{id}/progress", get(progress_page))
        .route("/learning/offerings/{id}/copy", post(copy_content))
        .route("/learning/modules/{id}", post(update_module))
        .route("/learning/modules/{id}/delete", post(delete_module))
        .route("/learning/modules/{id}/move", post(move_module))
        .merge(announcements::router())
        .merge(forums::router())
        .merge(items::router())
        .merge(upload::router())
}

/// The outline's address, at a module.
pub(super) fn outline_at(offering: i64, module: i64) -> String {
    format!("/learning/offerings/{offering}#module-{module}")
}

#[derive(Template)]
#[template(path = "learning/content.html")]
struct ContentPage {
    page: Page,
    outline: Outline,
    /// Earlier offerings to copy from (staff who edit).
    sources: Vec<(i64, String, usize)>,
    form: FormState,
    /// The module whose forms come back with errors, and which form.
    failed: Option<(i64, &'static str, FormState)>,
    storage: Option<qobe_app::files::Storage>,
}

impl ContentPage {
    fn edits(&self) -> bool {
        self.outline.viewer.edits()
    }

    fn is_student(&self) -> bool {
        self.outline.viewer.is_student()
    }

    /// The form state for `which` form of a module: what was typed if it failed, else empty.
    fn module_form(&self, module: &i64, which: &str) -> FormState {
        match &self.failed {
            Some((id, form, state)) if id == module && *form == which => state.clone(),
            _ => FormState::new(),
        }
    }

    fn opened(&self, module: &i64) -> bool {
        self.failed.as_ref().is_some_and(|(id, _, _)| id == module)
    }

    fn amount(&self, bytes: &u64) -> String {
        qobe_app::files::amount(*bytes)
    }

    fn limit(&self) -> String {
        self.storage.map(|s| qobe_app::files::amount(s.per_file.min(s.left()))).unwrap_or_default()
    }
}

async fn content_page(
    state: &AppState,
    signed: &SignedIn,
    id: OfferingId,
    form: FormState,
    failed: Option<(i64, &'static str, FormState)>,
) -> Result<ContentPage, HtmlError> {
    let app = &state.app;
    let actor = &signed.actor;
    let outline = qobe_app::learning::outline(app, actor, id).await?;
    let edits = outline.viewer.edits();
    let sources = if edits {
        copy::sources(app, actor, id)
            .await?
            .into_iter()
            .map(|(v, n)| {
                (v.offering.id, format!("{} {} section {}", v.course.code, v.term.name, v.offering.section), n)
            })
            .collect()
    } else {
        Vec::new()
    };
    let storage = if edits { Some(qobe_app::files::storage(app, actor.institution()?).await?) } else { None };
    let title = format!("Content · {} {}", outline.offering.course.code, outline.offering.term.code);
    let staff = !outline.viewer.is_student();
    Ok(ContentPage {
        page: Page::new(&title, &signed.ctx).in_offering_as(&outline.offering, staff, true),
        outline,
        sources,
        form,
        failed,
        storage,
    })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    Ok(render(&content_page(&state, &signed, OfferingId(id), FormState::new(), None).await?))
}

async fn add_module(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<ModuleInput>,
) -> Result<Response, HtmlError> {
    match content::add_module(&state.app, &signed.actor, OfferingId(id), &form.input, &signed.ctx.client).await {
        Ok(module) => Ok(done(&state, &outline_at(id, module.id), "Module added.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&content_page(&state, &signed, OfferingId(id), kept, None).await?))
        }
    }
}

async fn update_module(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<ModuleInput>,
) -> Result<Response, HtmlError> {
    match content::update_module(&state.app, &signed.actor, ModuleId(id), &form.input, &signed.ctx.client).await {
        Ok(module) => Ok(done(&state, &outline_at(module.offering_id, id), "Module saved.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let module = qobe_app::learning::content::module_of(&state.app, &signed.actor, ModuleId(id)).await?;
            let page = content_page(
                &state,
                &signed,
                OfferingId(module.offering_id),
                FormState::new(),
                Some((id, "module", kept)),
            )
            .await?;
            Ok(render_invalid(&page))
        }
    }
}

async fn delete_module(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    let module = content::delete_module(&state.app, &signed.actor, ModuleId(id), &signed.ctx.client).await?;
    Ok(done(&state, &format!("/learning/offerings/{}", module.offering_id), "Module deleted with its items."))
}

/// `direction=up|down` from a move button.
#[derive(Deserialize)]
pub(super) struct Direction {
    direction: String,
}

impl Direction {
    pub(super) fn up(&self) -> bool {
        self.direction == "up"
    }
}

async fn move_module(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Submitted { input, .. }: Submitted<Direction>,
) -> Result<Response, HtmlError> {
    let module = content::move_module(&state.app, &signed.actor, ModuleId(id), input.up()).await?;
    Ok(done(&state, &outline_at(module.offering_id, id), "Module moved."))
}

#[derive(Deserialize)]
struct CopyFrom {
    #[serde(default, deserialize_with = "crate::forms::optional_number")]
    from: Option<i64>,
}

async fn copy_content(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<CopyFrom>,
) -> Result<Response, HtmlError> {
    let from = OfferingId(form.input.from.unwrap_or(-1));
    match copy::copy(&state.app, &signed.actor, OfferingId(id), from, &signed.ctx.client).await {
        Ok(count) => Ok(done(
            &state,
            &format!("/learning/offerings/{id}"),
            &format!("{count} items copied as draft modules: look them over and publish them."),
        )),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&content_page(&state, &signed, OfferingId(id), kept, None).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "learning/progress.html")]
struct ProgressPage {
    page: Page,
    table: progress::ProgressTable,
}

async fn progress_page(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(format): Query<Format>,
) -> Result<Response, HtmlError> {
    let table = progress::table(&state.app, &signed.actor, OfferingId(id)).await?;
    if let Some(file) = download(&state, &signed, &format, || table.report()).await? {
        return Ok(file);
    }
    let title = format!("Content progress · {} {}", table.offering.course.code, table.offering.term.code);
    let page = Page::new(&title, &signed.ctx).in_offering(&table.offering, true);
    Ok(render(&ProgressPage { page, table }))
}
