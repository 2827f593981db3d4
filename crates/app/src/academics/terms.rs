//! Terms and their windows.

use qobe_domain::FieldErrors;
use qobe_domain::academics::TermWindows;
use qobe_domain::entered::Entered;
use qobe_domain::ids::TermId;
use qobe_domain::roles::Permission;
use qobe_domain::validation::required_text;
use qobe_store::academics::terms::{self, TermFields};
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::Term;

use super::{duplicate, parse_moment};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// A new or edited term, as the term form and `POST /api/v1/terms` send it. Moments are RFC 3339
/// date-times from the API (`2026-09-01T00:00:00Z`) or the institution's local time from the
/// form. Registration opens before it closes, then add/drop and withdrawal close in turn, and
/// withdrawal closes by the end of the term; teaching starts before it ends, before marks entry
/// closes and before results are published. A term that breaks one of these is refused (409, the
/// field named).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TermIn)]
pub struct TermInput {
    #[schema(max_length = 20)]
    pub code: String,
    #[schema(max_length = 100)]
    pub name: String,
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    pub registration_opens_at: Moment,
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    pub registration_closes_at: Moment,
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    pub starts_at: Moment,
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    pub add_drop_closes_at: Moment,
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    pub withdrawal_closes_at: Moment,
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    pub ends_at: Moment,
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    pub marks_entry_closes_at: Moment,
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    pub results_published_at: Moment,
    /// Credit hours a student must register for (default 0); at most `max_credits`.
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = 0, maximum = 60)]
    pub min_credits: Option<Entered<f64>>,
    /// Credit hours a student may register for (default 21).
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = 0, maximum = 60)]
    pub max_credits: Option<Entered<f64>>,
}

/// A moment of a term's calendar, as entered.
pub type Moment = Entered<chrono::DateTime<chrono::Utc>>;

struct ValidTerm {
    code: String,
    name: String,
    windows: TermWindows,
    min_credits: f64,
    max_credits: f64,
}

fn validate(input: &TermInput, zone: chrono_tz::Tz) -> Result<ValidTerm, AppError> {
    let mut errors = FieldErrors::new();
    let code = errors.check("code", qobe_domain::validation::code(&input.code));
    let name = errors.check("name", required_text(&input.name, 100));
    let mut at = |field: &str, entered: &Moment| parse_moment(&mut errors, field, &entered.text(), zone);
    let starts_at = at("starts_at", &input.starts_at);
    let ends_at = at("ends_at", &input.ends_at);
    let registration_opens_at = at("registration_opens_at", &input.registration_opens_at);
    let registration_closes_at = at("registration_closes_at", &input.registration_closes_at);
    let add_drop_closes_at = at("add_drop_closes_at", &input.add_drop_closes_at);
    let withdrawal_closes_at = at("withdrawal_closes_at", &input.withdrawal_closes_at);
    let marks_entry_closes_at = at("marks_entry_closes_at", &input.marks_entry_closes_at);
    let results_published_at = at("results_published_at", &input.results_published_at);
    let credits = |entered: &Option<Entered<f64>>, default: f64| -> Result<f64, String> {
        let raw = entered.as_ref().map(Entered::text).unwrap_or_default();
        if raw.trim().is_empty() {
            return Ok(default);
        }
        raw.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| (0.0..=60.0).contains(v))
            .ok_or_else(|| "must be a number from 0 to 60".into())
    };
    let min_credits = errors.check("min_credits", credits(&input.min_credits, 0.0));
    let max_credits = errors.check("max_credits", credits(&input.max_credits, 21.0));
    if let (Some(min), Some(max)) = (min_credits, max_credits)
        && min > max
    {
        errors.refuse("max_credits", "must not be less than the minimum");
    }
    errors.clone().into_result()?;
    let (
        Some(code),
        Some(name),
        Some(starts_at),
        Some(ends_at),
        Some(registration_opens_at),
        Some(registration_closes_at),
        Some(add_drop_closes_at),
        Some(withdrawal_closes_at),
        Some(marks_entry_closes_at),
        Some(results_published_at),
        Some(min_credits),
        Some(max_credits),
    ) = (
        code,
        name,
        starts_at,
        ends_at,
        registration_opens_at,
        registration_closes_at,
        add_drop_closes_at,
        withdrawal_closes_at,
        marks_entry_closes_at,
        results_published_at,
        min_credits,
        max_credits,
    )
    else {
        return Err(AppError::Invalid(errors));
    };
    let windows = TermWindows {
        starts_at,
        ends_at,
        registration_opens_at,
        registration_closes_at,
        add_drop_closes_at,
        withdrawal_closes_at,
        marks_entry_closes_at,
        results_published_at,
    };
    windows.validate().map_err(|(field, message)| AppError::refused_field(field, message))?;
    Ok(ValidTerm { code, name, windows, min_credits, max_credits })
}

pub async fn create(app: &App, actor: &Actor, input: &TermInput, client: &ClientInfo) -> AppResult<Term> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let v = validate(input, actor.zone())?;
    let fields = TermFields {
        code: &v.code,
        name: &v.name,
        windows: &v.windows,
        min_credits: v.min_credits,
        max_credits: v.max_credits,
    };
    let tx = app.store.begin().await?;
    let term = terms::insert(&tx, institution, fields, app.now())
        .await
        .map_err(duplicate("code", "Another term already uses that code."))?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "academics.term_created").target(&term.code)).await?;
    qobe_store::commit(tx).await?;
    Ok(term)
}

pub async fn update(app: &App, actor: &Actor, id: TermId, input: &TermInput, client: &ClientInfo) -> AppResult<()> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let v = validate(input, actor.zone())?;
    let fields = TermFields {
        code: &v.code,
        name: &v.name,
        windows: &v.windows,
        min_credits: v.min_credits,
        max_credits: v.max_credits,
    };
    let tx = app.store.begin().await?;
    if !terms::update(&tx, institution, id, fields)
        .await
        .map_err(duplicate("code", "Another term already uses that code."))?
    {
        return Err(AppError::NotFound);
    }
    audit::record(&tx, app, client, audit::Entry::by(actor, "academics.term_updated").target(&v.code)).await?;
    Ok(qobe_store::commit(tx).await?)
}

/// Every member of the institution may see its terms.
pub async fn list(app: &App, actor: &Actor) -> AppResult<Vec<Term>> {
    search(app, actor, "").await
}

/// Terms whose code or name contains `text`, most recent first.
pub async fn search(app: &App, actor: &Actor, text: &str) -> AppResult<Vec<Term>> {
    Ok(terms::matching(app.store.conn(), actor.institution()?, text).await?)
}

pub async fn get(app: &App, actor: &Actor, id: TermId) -> AppResult<Term> {
    terms::get(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)
}

/// The form values of a stored term, for editing, in the reader's time zone.
pub fn input_of(term: &Term, zone: chrono_tz::Tz) -> TermInput {
    let windows = terms::windows(term);
    TermInput {
        code: term.code.clone(),
        name: term.name.clone(),
        min_credits: Some(term.min_credits.into()),
        max_credits: Some(term.max_credits.into()),
        ..typed(&windows, zone)
    }
}

/// The windows as a form shows them: local date-times, minutes only.
fn typed(windows: &TermWindows, zone: chrono_tz::Tz) -> TermInput {
    // As the form's local date-time fields show them.
    let at =
        |t: &chrono::DateTime<chrono::Utc>| Moment::Text(t.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string());
    TermInput {
        starts_at: at(&windows.starts_at),
        ends_at: at(&windows.ends_at),
        registration_opens_at: at(&windows.registration_opens_at),
        registration_closes_at: at(&windows.registration_closes_at),
        add_drop_closes_at: at(&windows.add_drop_closes_at),
        withdrawal_closes_at: at(&windows.withdrawal_closes_at),
        marks_entry_closes_at: at(&windows.marks_entry_closes_at),
        results_published_at: at(&windows.results_published_at),
        ..TermInput::default()
    }
}

/// What the new-term form starts with: the term after the latest one, its windows placed as
/// the latest term's were (same length, registration and deadlines at the same distances),
/// starting on the first Monday after a two-week break; with no term yet, a 16-week term from the next
/// Monday with the usual windows. Everything can be changed before saving.
pub async fn suggested(app: &App, actor: &Actor) -> AppResult<TermInput> {
    let terms = terms::list(app.store.conn(), actor.institution()?).await?;
    let zone = actor.zone();
    let latest = terms.iter().max_by_key(|t| t.starts_at);
    let windows = match latest {
        Some(last) => {
            let previous = terms::windows(last);
            let start = first_monday_after(last.ends_at + chrono::Duration::days(14), zone);
            previous.shifted(start - last.starts_at)
        }
        None => TermWindows::usual(first_monday_after(app.now(), zone)),
    };
    let (min, max) = latest.map_or((9.0, 21.0), |t| (t.min_credits, t.max_credits));
    Ok(TermInput { min_credits: Some(min.into()), max_credits: Some(max.into()), ..typed(&windows, zone) })
}

/// 08:00 local time on the first Monday strictly after `moment`.
fn first_monday_after(moment: chrono::DateTime<chrono::Utc>, zone: chrono_tz::Tz) -> chrono::DateTime<chrono::Utc> {
    use chrono::{Datelike, TimeZone};
    let local = moment.with_timezone(&zone).date_naive();
    let ahead = 7 - local.weekday().num_days_from_monday() as i64;
    let monday = local + chrono::Duration::days(ahead);
    let eight = monday.and_hms_opt(8, 0, 0).unwrap_or_default();
    zone.from_local_datetime(&eight).earliest().map(|t| t.to_utc()).unwrap_or_else(|| eight.and_utc())
}
