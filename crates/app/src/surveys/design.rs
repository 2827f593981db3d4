//! Designing a survey: a blank one, one made from a template, the form and its outcome
//! mappings edited while it is a draft, and a copy of any survey as a new draft.

use qobe_domain::ids::{OfferingId, ProgramId, SurveyId};
use qobe_domain::surveys::{QuestionKind, SurveyForm, check_form};
use qobe_domain::validation::required_text;
use qobe_store::rows::Survey;
use qobe_store::surveys::{self as rows, NewSurvey, OutcomeLink};
use serde::Deserialize;

use super::templates::template;
use super::{Purpose, Status, form_of, managed, may_manage};
use crate::academics::outcomes::{Outcome, versions_for};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// A survey with its form and mappings, and the outcomes its questions may be mapped to.
pub struct SurveyView {
    pub survey: Survey,
    pub purpose: Purpose,
    pub status: Status,
    pub form: SurveyForm,
    pub links: Vec<OutcomeLink>,
    /// (`clo`/`plo`/`peo`, outcome) a rated question may be mapped to.
    pub outcomes: Vec<(&'static str, Outcome)>,
}

/// The outcomes a survey about this offering or program may give evidence for: the offering's
/// CLOs as they apply in its term; the program's PLOs and PEOs.
async fn outcomes_for(app: &App, actor: &Actor, survey: &Survey) -> AppResult<Vec<(&'static str, Outcome)>> {
    use qobe_store::academics::outcomes::{OutcomeOwner, all_versions};
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let terms = qobe_store::academics::terms::list(conn, institution).await?;
    let mut out = Vec::new();
    if let Some(offering) = survey.offering_id {
        let view = crate::academics::offerings::get(app, actor, OfferingId(offering)).await?;
        let all = all_versions(conn, institution, OutcomeOwner::CourseClos(view.course.id)).await?;
        out.extend(versions_for(&all, &terms, Some(&view.term)).into_iter().map(|o| ("clo", o)));
    }
    if let Some(program) = survey.program_id {
        let plos = all_versions(conn, institution, OutcomeOwner::ProgramPlos(program)).await?;
        out.extend(versions_for(&plos, &terms, None).into_iter().map(|o| ("plo", o)));
        let peos = all_versions(conn, institution, OutcomeOwner::ProgramPeos(program)).await?;
        out.extend(versions_for(&peos, &terms, None).into_iter().map(|o| ("peo", o)));
    }
    Ok(out)
}

pub async fn view(app: &App, actor: &Actor, id: SurveyId) -> AppResult<SurveyView> {
    let survey = managed(app, actor, id).await?;
    let maps = rows::outcome_maps(app.store.conn(), actor.institution()?, id).await?;
    let outcomes = outcomes_for(app, actor, &survey).await?;
    let links = maps
        .into_iter()
        .filter_map(|m| {
            let kind = outcomes.iter().map(|(k, _)| *k).find(|k| *k == m.outcome_kind)?;
            Some(OutcomeLink {
                question_key: m.question_key,
                row: usize::try_from(m.row_index).ok(),
                kind,
                outcome: m.outcome_id,
            })
        })
        .collect();
    Ok(SurveyView {
        purpose: Purpose::parse(&survey.purpose).unwrap_or(Purpose::General),
        status: Status::of(&survey),
        form: form_of(&survey)?,
        survey,
        links,
        outcomes,
    })
}

/// The surveys the actor manages, newest first.
pub async fn list(app: &App, actor: &Actor) -> AppResult<Vec<Survey>> {
    let all = rows::list(app.store.conn(), actor.institution()?).await?;
    let mut mine = Vec::new();
    for survey in all {
        let offering = survey.offering_id.map(OfferingId);
        let program = survey.program_id.map(ProgramId);
        if may_manage(app, actor, offering, program).await? {
            mine.push(survey);
        }
    }
    Ok(mine)
}

/// A new survey: what it is for, and the offering or program it is about. With `template`, its
/// form is made from the outcomes it is about; otherwise it starts with one empty section.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSurveyInput {
    /// `course_exit`, `graduating`, `alumni`, `employer` or `general`.
    #[schema(pattern = "enum:survey_purpose")]
    pub purpose: String,
    /// Required for a course exit survey.
    #[serde(default, deserialize_with = "qobe_domain::whole::optional")]
    pub offering: Option<i64>,
    /// Required for graduating-student, alumni and employer surveys.
    #[serde(default, deserialize_with = "qobe_domain::whole::optional")]
    pub program: Option<i64>,
    /// Make the form from the offering's CLOs or the program's PLOs or PEOs.
    #[serde(default)]
    pub template: bool,
    /// Blank: the template's title, or "Untitled survey".
    #[serde(default)]
    #[schema(max_length = 200)]
    pub title: String,
}

pub async fn create(app: &App, actor: &Actor, input: &NewSurveyInput, client: &ClientInfo) -> AppResult<Survey> {
    let institution = actor.institution()?;
    let purpose = Purpose::parse(&input.purpose)
        .ok_or_else(|| AppError::field("purpose", "must be course_exit, graduating, alumni, employer or general"))?;
    let offering = input.offering.map(OfferingId);
    let program = input.program.map(ProgramId);
    match purpose {
        Purpose::CourseExit if offering.is_none() => {
            return Err(AppError::refused_field("offering", "choose the offering"));
        }
        Purpose::Graduating | Purpose::Alumni | Purpose::Employer if program.is_none() => {
            return Err(AppError::refused_field("program", "choose the program"));
        }
        _ => {}
    }
    if !may_manage(app, actor, offering, program).await? {
        return Err(AppError::Forbidden);
    }
    let (title, description, form, links) = if input.template && purpose != Purpose::General {
        let draft = Survey { offering_id: offering.map(|o| o.0), program_id: program.map(|p| p.0), ..blank_row() };
        let all = outcomes_for(app, actor, &draft).await?;
        let wanted = match purpose {
            Purpose::CourseExit => "clo",
            Purpose::Graduating => "plo",
            _ => "peo",
        };
        let outcomes: Vec<Outcome> = all.into_iter().filter(|(k, _)| *k == wanted).map(|(_, o)| o).collect();
        if outcomes.is_empty() {
            let whose = if wanted == "clo" { "The offering's course" } else { "The program" };
            return Err(AppError::refused_field(
                "template",
                format!("{whose} has no {}s yet: add them first, or start from a blank survey.", wanted.to_uppercase()),
            ));
        }
        let subject = subject_of(app, actor, offering, program).await?;
        let t = template(purpose, &subject, &outcomes);
        (t.title, t.description, t.form, t.links)
    } else {
        let form = SurveyForm {
            sections: vec![qobe_domain::surveys::Section {
                title: "Questions".into(),
                description: String::new(),
                show_if: None,
                questions: Vec::new(),
            }],
        };
        (String::new(), String::new(), form, Vec::new())
    };
    let title = match input.title.trim() {
        "" if title.is_empty() => "Untitled survey".to_owned(),
        "" => title,
        typed => required_text(typed, 200).map_err(|e| AppError::field("title", e))?,
    };
    let json = serde_json::to_string(&form).map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = app.store.begin().await?;
    let survey = rows::insert(
        &tx,
        institution,
        NewSurvey {
            title: &title,
            description: &description,
            purpose: purpose.as_str(),
            offering,
            program,
            anonymous: true,
            form: &json,
            by: actor.user_id,
        },
        app.now(),
    )
    .await?;
    rows::replace_outcome_maps(&tx, institution, SurveyId(survey.id), &links).await?;
    let target = survey.id.to_string();
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "surveys.created")
            .target(&target)
            .details(serde_json::json!({ "purpose": purpose.as_str(), "template": input.template })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(survey)
}

/// "EE-210 Digital Logic (Fall 2026)" or "BS Electrical Engineering".
async fn subject_of(
    app: &App,
    actor: &Actor,
    offering: Option<OfferingId>,
    program: Option<ProgramId>,
) -> AppResult<String> {
    if let Some(offering) = offering {
        let view = crate::academics::offerings::get(app, actor, offering).await?;
        return Ok(format!("{} {} ({})", view.course.code, view.course.title, view.term.name));
    }
    if let Some(program) = program {
        let row = qobe_store::structure::program(app.store.conn(), actor.institution()?, program)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(row.name);
    }
    Ok(String::new())
}

fn blank_row() -> Survey {
    let now = chrono::Utc::now();
    Survey {
        id: 0,
        institution_id: 0,
        title: String::new(),
        description: String::new(),
        purpose: String::new(),
        offering_id: None,
        program_id: None,
        anonymous: true,
        form: String::new(),
        status: Status::Draft.as_str().to_owned(),
        opens_at: None,
        closes_at: None,
        created_by: 0,
        created_at: now,
        updated_at: now,
    }
}

/// One question (or grid row) mapped to an outcome, as the designer sends it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkInput {
    pub question: String,
    /// A grid's row, from 0; leave out for a rating scale.
    #[serde(default, deserialize_with = "qobe_domain::whole::optional_fitting")]
    #[schema(minimum = 0, maximum = 1000)]
    pub row: Option<usize>,
    /// `clo`, `plo` or `peo`.
    #[schema(pattern = "enum:outcome_kind")]
    pub outcome_kind: String,
    #[serde(deserialize_with = "qobe_domain::whole::number")]
    pub outcome: i64,
}

/// A draft's design as edited: its words, whether it is anonymous, the form, the mappings.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignInput {
    #[schema(max_length = 200)]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: String,
    pub anonymous: bool,
    pub form: SurveyForm,
    #[serde(default)]
    pub links: Vec<LinkInput>,
}

/// Saves a draft's design; a published survey's form no longer changes (its answers would stop
/// meaning what they meant).
pub async fn save(app: &App, actor: &Actor, id: SurveyId, input: &DesignInput, client: &ClientInfo) -> AppResult<()> {
    let view = view(app, actor, id).await?;
    if view.status != Status::Draft {
        return Err(AppError::Refused(vec![
            "A published survey's questions cannot change: copy it to make a new version.".into(),
        ]));
    }
    let mut errors = qobe_domain::FieldErrors::new();
    let title = errors.check("title", required_text(&input.title, 200));
    if input.description.chars().count() > 2000 {
        errors.add("description", "must be at most 2000 characters");
    }
    errors.take(check_form(&input.form));
    let links = checked_links(&input.form, &input.links, &view.outcomes, &mut errors);
    errors.into_result().map_err(AppError::Invalid)?;
    let title = title.unwrap_or_default();
    let institution = actor.institution()?;
    let json = serde_json::to_string(&input.form).map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = app.store.begin().await?;
    rows::save_design(
        &tx,
        institution,
        id,
        rows::Design { title: &title, description: input.description.trim(), anonymous: input.anonymous, form: &json },
        app.now(),
    )
    .await?;
    rows::replace_outcome_maps(&tx, institution, id, &links).await?;
    let target = id.to_string();
    audit::record(&tx, app, client, audit::Entry::by(actor, "surveys.designed").target(&target)).await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// The mappings, each to a rated question (and an existing grid row) and an outcome the survey
/// may give evidence for.
fn checked_links(
    form: &SurveyForm,
    links: &[LinkInput],
    allowed: &[(&'static str, Outcome)],
    errors: &mut qobe_domain::FieldErrors,
) -> Vec<OutcomeLink> {
    let mut out = Vec::new();
    for (at, link) in links.iter().enumerate() {
        let field = format!("links.{at}");
        let rows = match form.question(&link.question).map(|q| &q.kind) {
            Some(QuestionKind::Scale { .. }) => 0,
            Some(QuestionKind::Matrix { rows, .. }) => rows.len(),
            Some(_) => {
                errors.refuse(&field, format!("{} is not a rating question", link.question));
                continue;
            }
            None => {
                errors.refuse(&field, format!("there is no question {}", link.question));
                continue;
            }
        };
        if (rows == 0) != link.row.is_none() || link.row.is_some_and(|r| r >= rows) {
            errors.refuse(&field, "name a row of the grid (from 0), and only for a grid");
            continue;
        }
        let Some((kind, _)) = allowed.iter().find(|(k, o)| *k == link.outcome_kind && o.id == link.outcome) else {
            errors.refuse(&field, "map to one of this survey's own CLOs, PLOs or PEOs");
            continue;
        };
        let link = OutcomeLink { question_key: link.question.clone(), row: link.row, kind, outcome: link.outcome };
        if !out.contains(&link) {
            out.push(link);
        }
    }
    out
}

/// A new draft with the survey's form, mappings and settings.
pub async fn copy(app: &App, actor: &Actor, id: SurveyId, client: &ClientInfo) -> AppResult<Survey> {
    let view = view(app, actor, id).await?;
    let institution = actor.institution()?;
    let title = format!("Copy of {}", view.survey.title);
    let title: String = title.chars().take(200).collect();
    let tx = app.store.begin().await?;
    let copy = rows::insert(
        &tx,
        institution,
        NewSurvey {
            title: &title,
            description: &view.survey.description,
            purpose: &view.survey.purpose,
            offering: view.survey.offering_id.map(OfferingId),
            program: view.survey.program_id.map(ProgramId),
            anonymous: view.survey.anonymous,
            form: &view.survey.form,
            by: actor.user_id,
        },
        app.now(),
    )
    .await?;
    rows::replace_outcome_maps(&tx, institution, SurveyId(copy.id), &view.links).await?;
    let target = copy.id.to_string();
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "surveys.copied").target(&target).details(serde_json::json!({ "from": id.0 })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(copy)
}
