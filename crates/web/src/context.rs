//! Per-request context the middleware resolves once: the session, the CSRF token, the client
//! and a flash notice; and the extractors handlers use to ask for them.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use qobe_app::accounts::SessionState;
use qobe_app::{Actor, ClientInfo};
use qobe_domain::roles::Role;

/// What the middleware learned about the request.
#[derive(Clone, Debug)]
pub struct RequestContext {
    pub session: Option<SessionState>,
    /// The token forms must echo: the session's, or the pre-sign-in cookie's.
    pub csrf: String,
    pub client: ClientInfo,
    pub flash: Option<String>,
    /// The address's path, for the navigation to mark where the person is.
    pub path: String,
}

/// Any visitor, signed in or not.
pub struct Visitor(pub RequestContext);

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .map(Visitor)
            .ok_or_else(|| axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

/// A fully signed-in person. Sends others to the sign-in page, and people with a pending
/// obligation (new terms, required two-factor setup) to the page that settles it.
pub struct SignedIn {
    pub actor: Actor,
    pub ctx: RequestContext,
}

/// Pages a person with a pending obligation may still open.
fn exempt(path: &str) -> bool {
    path.starts_with("/consent")
        || path.starts_with("/legal")
        || path == "/logout"
        || path.starts_with("/security/two-factor")
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Visitor(ctx) = Visitor::from_request_parts(parts, state).await?;
        let path = parts.uri.path().to_owned();
        let Some(session) = ctx.session.clone() else {
            let next = parts.uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
            let target =
                format!("/login?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>());
            return Err(Redirect::to(&target).into_response());
        };
        if session.two_factor_pending {
            return Err(Redirect::to("/login/two-factor").into_response());
        }
        if !exempt(&path)
            && let Some(owed) = qobe_app::Obligation::of(&session.actor)
        {
            return Err(Redirect::to(owed.page()).into_response());
        }
        Ok(SignedIn { actor: session.actor, ctx })
    }
}

/// Navigation facts the layout needs.
#[derive(Clone, Debug)]
pub struct NavUser {
    pub name: String,
    pub is_operator: bool,
    pub can_manage_users: bool,
    pub can_view_users: bool,
    pub can_view_audit: bool,
    pub can_manage_structure: bool,
    pub can_manage_registrations: bool,
    /// Holds a grant that approves results somewhere (a head of department, an admin).
    pub can_approve_results: bool,
    pub can_manage_settings: bool,
    pub can_manage_policy: bool,
    pub can_use_rubrics: bool,
    pub can_import_clos: bool,
    pub is_student: bool,
    /// Works at the institution: sees the design system's page.
    pub is_staff: bool,
    pub roles: Vec<&'static str>,
}

/// What every page template gets: title, CSRF token, notice, and who is signed in.
#[derive(Clone, Debug)]
pub struct Page {
    pub title: String,
    pub csrf: String,
    pub flash: Option<String>,
    /// The notice reports something that did not happen (a refusal), not a success.
    pub flash_is_alert: bool,
    pub user: Option<NavUser>,
    /// Times are shown in the signed-in person's time zone.
    pub time_zone: chrono_tz::Tz,
    /// The side navigation: the areas the person's roles open, where they are marked.
    pub nav: Vec<crate::nav::NavGroup>,
    /// The way back up from this page (the page itself not included).
    pub trail: Vec<crate::nav::Crumb>,
    /// On an offering's pages: the course's name and its tabs.
    pub course: Option<crate::nav::CourseNav>,
    path: String,
}

impl Page {
    /// A moment in the reader's time zone, e.g. `2026-11-24 17:05 PKT`.
    pub fn local(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        at.with_timezone(&self.time_zone).format("%Y-%m-%d %H:%M %Z").to_string()
    }

    pub fn local_opt(&self, at: &Option<chrono::DateTime<chrono::Utc>>) -> String {
        at.as_ref().map(|t| self.local(t)).unwrap_or_else(|| "—".to_owned())
    }

    pub fn new(title: &str, ctx: &RequestContext) -> Page {
        let user = ctx.session.as_ref().filter(|s| !s.two_factor_pending).map(|s| nav_user(&s.actor));
        let time_zone = ctx.session.as_ref().map(|s| s.actor.zone()).unwrap_or(chrono_tz::UTC);
        let (flash, flash_is_alert) =
            match ctx.flash.as_deref().map(|f| f.strip_prefix('!').map_or((f, false), |rest| (rest, true))) {
                Some((text, alert)) => (Some(text.to_owned()), alert),
                None => (None, false),
            };
        let nav = user.as_ref().map(|u| crate::nav::groups(u, &ctx.path)).unwrap_or_default();
        let trail = if nav.is_empty() { Vec::new() } else { crate::nav::trail(&nav, &ctx.path) };
        Page {
            title: title.to_owned(),
            csrf: ctx.csrf.clone(),
            flash,
            flash_is_alert,
            user,
            time_zone,
            nav,
            trail,
            course: None,
            path: ctx.path.clone(),
        }
    }

    /// A page for nobody in particular (an error before the request was read).
    pub fn bare(title: &str) -> Page {
        Page {
            title: title.to_owned(),
            csrf: String::new(),
            flash: None,
            flash_is_alert: false,
            user: None,
            time_zone: chrono_tz::UTC,
            nav: Vec::new(),
            trail: Vec::new(),
            course: None,
            path: String::new(),
        }
    }

    /// One of an offering's pages: the course navigation above it, and the way back through the
    /// offerings and the offering. `staff` opens the teaching tabs.
    pub fn in_offering(self, offering: &qobe_app::academics::offerings::OfferingView, staff: bool) -> Page {
        self.in_offering_as(offering, staff, staff)
    }

    /// Like [`Page::in_offering`], for a page a student may open too: `learner` when the viewer
    /// studies in the offering (or is its staff), which offers its content.
    pub fn in_offering_as(
        mut self,
        offering: &qobe_app::academics::offerings::OfferingView,
        staff: bool,
        learner: bool,
    ) -> Page {
        let course = crate::nav::CourseNav::new(offering, staff, learner, &self.path);
        if course.home != self.path {
            let label = format!("{} {}", offering.course.code, offering.term.code);
            self.trail.push(crate::nav::Crumb::new(label, course.home.clone()));
        }
        self.course = Some(course);
        self
    }
}

fn nav_user(actor: &Actor) -> NavUser {
    let mut roles: Vec<&'static str> = Vec::new();
    for role in Role::ALL {
        if actor.has_role(role) {
            roles.push(role.label());
        }
    }
    if actor.is_operator {
        roles.push("Platform operator");
    }
    use qobe_app::authz;
    NavUser {
        name: actor.name.clone(),
        is_operator: actor.is_operator,
        can_manage_users: authz::manage_users(actor),
        can_view_users: authz::view_users(actor),
        can_view_audit: authz::view_audit(actor) || actor.is_operator,
        can_manage_structure: authz::manage_structure(actor),
        can_manage_registrations: authz::manage_registrations(actor),
        can_approve_results: authz::approves_anywhere(actor),
        can_manage_settings: authz::manage_settings(actor),
        can_manage_policy: authz::manage_policy(actor),
        can_use_rubrics: authz::use_rubrics(actor),
        can_import_clos: authz::import_clos(actor),
        is_student: authz::register(actor),
        is_staff: authz::staff(actor),
        roles,
    }
}
