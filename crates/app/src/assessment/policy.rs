//! The institution's attainment policy: pick a preset, adjust its thresholds and targets, save
//! a new version (earlier versions stay, and approved snapshots keep the one they used).

use qobe_domain::FieldErrors;
use qobe_domain::roles::Permission;
use qobe_outcomes::{GroupBy, Policy, ScoreMethod, Treatment};
use qobe_store::assessment::policies;
use qobe_store::rows::AttainmentPolicy;

use super::evidence::policy_for;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

pub struct PolicyView {
    pub policy: Policy,
    pub versions: Vec<AttainmentPolicy>,
}

pub async fn current(app: &App, actor: &Actor) -> AppResult<PolicyView> {
    let institution = actor.require(Permission::ManageOutcomes)?;
    let conn = app.store.conn();
    let policy = policy_for(conn, institution, None).await?;
    let versions = policies::all(conn, institution).await?.into_iter().filter(|p| p.program_id.is_none()).collect();
    Ok(PolicyView { policy, versions })
}

/// The form: a preset and the numbers people most often change (percentages).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PolicyInput {
    pub preset: String,
    pub score: String,
    pub student_threshold: String,
    pub course_target: String,
    pub plo_threshold: String,
    pub cohort_target: String,
    pub absent: String,
    pub not_attempted: String,
    /// `pooled` (the default) or `mean_of_assessments`: how a component's level is formed when
    /// the preset blends components on levels.
    #[serde(default)]
    pub component_levels: String,
    /// `weighted_mean` (the default) or `top_two`: how survey answers become indirect attainment.
    #[serde(default)]
    pub indirect: String,
    /// The indirect (survey) evidence's share of the blend, as a percentage; the direct (marks)
    /// evidence has the rest. Blank keeps the preset's.
    #[serde(default)]
    pub indirect_weight: String,
}

fn percent(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<f64> {
    errors.check(
        field,
        raw.trim()
            .trim_end_matches('%')
            .parse::<f64>()
            .ok()
            .filter(|v| (0.0..=100.0).contains(v))
            .map(|v| v / 100.0)
            .ok_or_else(|| "must be a percentage from 0 to 100".to_owned()),
    )
}

fn treatment(raw: &str) -> Treatment {
    if raw == "exclude" { Treatment::Exclude } else { Treatment::Zero }
}

pub fn build(input: &PolicyInput) -> Result<Policy, AppError> {
    let mut errors = FieldErrors::new();
    let preset = Policy::presets().into_iter().find(|(key, _)| *key == input.preset).map(|(_, p)| p);
    if preset.is_none() {
        errors.add("preset", "choose one of the presets");
    }
    let student = percent(&mut errors, "student_threshold", &input.student_threshold);
    let plo = percent(&mut errors, "plo_threshold", &input.plo_threshold);
    let cohort = percent(&mut errors, "cohort_target", &input.cohort_target);
    let uses_levels = preset.as_ref().is_some_and(|p| p.levels.is_some());
    let course = if uses_levels {
        errors.check(
            "course_target",
            input
                .course_target
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| (0.0..=3.0).contains(v))
                .ok_or_else(|| "must be a level from 0 to 3".to_owned()),
        )
    } else {
        percent(&mut errors, "course_target", &input.course_target)
    };
    let (Some(mut policy), Some(student), Some(plo), Some(cohort), Some(course)) =
        (preset, student, plo, cohort, course)
    else {
        return Err(AppError::Invalid(errors));
    };
    policy.score = match input.score.as_str() {
        "percentage_by_assessment" => ScoreMethod::PercentageBased { group_by: GroupBy::Assessment },
        _ => ScoreMethod::MarksBased,
    };
    policy.student_threshold = student;
    policy.plo_threshold = plo;
    policy.cohort_target = cohort;
    policy.course_target = course;
    policy.marks.absent = treatment(&input.absent);
    policy.marks.not_attempted = treatment(&input.not_attempted);
    policy.component_levels = match input.component_levels.as_str() {
        "mean_of_assessments" => qobe_outcomes::ComponentLevels::MeanOfAssessments,
        _ => qobe_outcomes::ComponentLevels::Pooled,
    };
    if !input.indirect_weight.trim().is_empty() {
        let mut errors = FieldErrors::new();
        let share = percent(&mut errors, "indirect_weight", &input.indirect_weight);
        let Some(share) = share else { return Err(AppError::Invalid(errors)) };
        policy.blend = qobe_outcomes::DirectIndirect { direct: 1.0 - share, indirect: share };
    }
    policy.indirect.measure = match input.indirect.as_str() {
        "top_two" => qobe_outcomes::IndirectMeasure::TopPoints { top_points: 2 },
        _ => qobe_outcomes::IndirectMeasure::WeightedMean,
    };
    let problems = policy.problems();
    if !problems.is_empty() {
        return Err(AppError::Refused(problems));
    }
    Ok(policy)
}

pub async fn save(app: &App, actor: &Actor, input: &PolicyInput, client: &ClientInfo) -> AppResult<Policy> {
    let institution = actor.require(Permission::ManageOutcomes)?;
    let policy = build(input)?;
    let tx = app.store.begin().await?;
    let version = policies::latest(&tx, institution, None).await?.map(|p| p.version).unwrap_or(0) + 1;
    let json = serde_json::to_string(&policy).map_err(|e| AppError::Internal(e.to_string()))?;
    policies::insert(&tx, institution, None, version, &json, actor.user_id, app.now()).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "attainment.policy_saved")
            .target(&policy.name)
            .details(serde_json::json!({ "version": version, "policy": policy })),
    )
    .await?;
    crate::assessment::standing::queue_refresh(&tx, app, institution).await?;
    qobe_store::commit(tx).await?;
    Ok(policy)
}

/// A program's PLO settings as its page shows them: the figures in force and whether they are
/// the program's own.
pub struct ProgramPolicyView {
    pub settings: super::evidence::ProgramSettings,
    pub own: bool,
}

pub async fn program_settings(
    app: &App,
    actor: &Actor,
    program: qobe_domain::ids::ProgramId,
) -> AppResult<ProgramPolicyView> {
    super::program::program_of(app, actor, program).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let own = super::evidence::program_settings(conn, institution, program).await?;
    let settings = match own {
        Some(settings) => settings,
        None => super::evidence::ProgramSettings::of(&policy_for(conn, institution, None).await?),
    };
    Ok(ProgramPolicyView { settings, own: own.is_some() })
}

/// The program settings form, as typed: percentages and a weighting key.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProgramSettingsInput {
    pub plo_threshold: String,
    pub cohort_target: String,
    pub plo_weighting: String,
}

/// Saves a program's PLO threshold, cohort target and weighting as a new version; its program
/// reports follow them from now on.
pub async fn save_program_settings(
    app: &App,
    actor: &Actor,
    program: qobe_domain::ids::ProgramId,
    input: &ProgramSettingsInput,
    client: &ClientInfo,
) -> AppResult<super::evidence::ProgramSettings> {
    use qobe_outcomes::PloWeighting;
    let row = super::program::program_of(app, actor, program).await?;
    if !actor.can_for_program(Permission::ManageOutcomes, row.id, row.department_id) {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let mut errors = FieldErrors::new();
    let plo_threshold = percent(&mut errors, "plo_threshold", &input.plo_threshold);
    let cohort_target = percent(&mut errors, "cohort_target", &input.cohort_target);
    let weighting = match input.plo_weighting.as_str() {
        "equal" => Some(PloWeighting::Equal),
        "strength" => Some(PloWeighting::Strength),
        "credit_hours" => Some(PloWeighting::CreditHours),
        "strength_times_credits" => Some(PloWeighting::StrengthTimesCredits),
        _ => {
            errors.add("plo_weighting", "choose how CLO scores are weighted");
            None
        }
    };
    let (Some(plo_threshold), Some(cohort_target), Some(plo_weighting)) = (plo_threshold, cohort_target, weighting)
    else {
        return Err(AppError::Invalid(errors));
    };
    let settings = super::evidence::ProgramSettings { plo_threshold, cohort_target, plo_weighting };
    let tx = app.store.begin().await?;
    let version = policies::latest(&tx, institution, Some(program)).await?.map(|p| p.version).unwrap_or(0) + 1;
    let json = serde_json::to_string(&settings).map_err(|e| AppError::Internal(e.to_string()))?;
    policies::insert(&tx, institution, Some(program), version, &json, actor.user_id, app.now()).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "attainment.program_settings_saved")
            .target(&row.code)
            .details(serde_json::json!({ "version": version, "settings": settings })),
    )
    .await?;
    crate::assessment::standing::queue_refresh(&tx, app, institution).await?;
    qobe_store::commit(tx).await?;
    Ok(settings)
}
