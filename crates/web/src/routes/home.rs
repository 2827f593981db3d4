//! The home page: what needs the person now, for each of their roles (`app::home`).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(dashboard))
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    page: Page,
    institution_name: String,
    home: qobe_app::home::Home,
    now: chrono::DateTime<chrono::Utc>,
    /// Oversees the CQI loop: sees others' overdue actions.
    oversees_cqi: bool,
    /// Works at the institution, so may own improvement actions.
    owns_actions: bool,
    email_verified: bool,
    two_factor: bool,
    /// The latest announcements to the person (not marked read by showing them here).
    announcements: Vec<qobe_app::learning::announcements::Shown>,
    /// Conversations with a message the person has not read.
    unread_messages: u64,
}

/// The term of the instructor's offerings to show.
#[derive(serde::Deserialize, Default)]
struct Wanted {
    #[serde(default, deserialize_with = "crate::forms::optional_number")]
    term: Option<i64>,
}

impl Dashboard {
    /// The term the instructor's offerings are shown for (0: none).
    fn teaching_term(&self) -> i64 {
        self.home.teaching.as_ref().and_then(|t| t.term.as_ref()).map_or(0, |t| t.id)
    }

    /// When the oldest program standing shown was worked out.
    fn standings_as_of(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.home.programs.iter().flatten().filter_map(|l| l.standing.as_ref().map(|s| s.computed_at)).min()
    }

    fn unread(&self) -> usize {
        self.announcements.iter().filter(|a| a.unread).count()
    }

    fn describe(&self, action: &str) -> &'static str {
        qobe_app::home::describe(action)
    }
}

async fn dashboard(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(wanted): Query<Wanted>,
) -> Result<Response, HtmlError> {
    if signed.actor.is_operator {
        return Ok(Redirect::to("/operator").into_response());
    }
    let app = &state.app;
    let (institution, _) = qobe_app::tenancy::current(app, &signed.actor).await?;
    let account = qobe_app::accounts::profile::own_account(app, &signed.actor).await?;
    let page = Dashboard {
        page: Page::new("Home", &signed.ctx),
        institution_name: institution.name,
        home: qobe_app::home::of(app, &signed.actor, wanted.term.map(qobe_domain::ids::TermId)).await?,
        now: app.now(),
        oversees_cqi: qobe_app::cqi::manages(&signed.actor),
        owns_actions: signed.actor.is_staff(),
        email_verified: account.email_verified_at.is_some(),
        two_factor: account.totp_enabled_at.is_some(),
        announcements: qobe_app::learning::announcements::mine(app, &signed.actor, 5, false).await?,
        unread_messages: qobe_app::messages::unread(app, &signed.actor).await?,
    };
    Ok(super::render(&page))
}
