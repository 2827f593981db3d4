//! Survey forms made from what the product already holds: a course exit survey from an
//! offering's CLOs, a graduating-student survey from a program's PLOs, and alumni and employer
//! surveys from its PEOs. Each outcome gets one five-point agreement item mapped to it.

use qobe_domain::surveys::{Question, QuestionKind, Section, SurveyForm};
use qobe_store::surveys::OutcomeLink;

use super::Purpose;
use crate::academics::outcomes::Outcome;

/// The agreement scale accreditation surveys use, lowest point first.
pub const AGREEMENT: [&str; 5] = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"];

fn agreement() -> QuestionKind {
    QuestionKind::Scale { points: 5, labels: AGREEMENT.iter().map(|l| (*l).to_owned()).collect() }
}

fn question(key: &str, text: String, required: bool, kind: QuestionKind) -> Question {
    Question { key: key.to_owned(), text, help: String::new(), required, kind, show_if: None }
}

/// A template's form and the outcome each of its items is mapped to.
pub struct Template {
    pub title: String,
    pub description: String,
    pub form: SurveyForm,
    pub links: Vec<OutcomeLink>,
}

/// The form for `purpose` over `outcomes` (CLOs, PLOs or PEOs as the purpose says), for the
/// course or program named `subject`.
pub fn template(purpose: Purpose, subject: &str, outcomes: &[Outcome]) -> Template {
    let (kind, stem, title, heading, intro) = match purpose {
        Purpose::CourseExit => (
            "clo",
            "This course enabled me to",
            format!("Course exit survey: {subject}"),
            "What you learned",
            "How far do you agree that the course enabled you to do each of these?",
        ),
        Purpose::Graduating => (
            "plo",
            "My program enabled me to",
            format!("Graduating-student survey: {subject}"),
            "What you can do as a graduate",
            "How far do you agree that your program enabled you to do each of these?",
        ),
        Purpose::Alumni => (
            "peo",
            "Since graduating, I have been able to",
            format!("Alumni survey: {subject}"),
            "Your career since graduating",
            "How far do you agree with each statement about your work since graduating?",
        ),
        Purpose::Employer | Purpose::General => (
            "peo",
            "Graduates of this program whom we employ",
            format!("Employer survey: {subject}"),
            "Our graduates at work",
            "How far do you agree with each statement about the graduates of this program you employ?",
        ),
    };
    let mut questions = Vec::new();
    let mut links = Vec::new();
    for (at, outcome) in outcomes.iter().enumerate() {
        let key = format!("{kind}{}", at + 1);
        let wording = if outcome.text.is_empty() { &outcome.title } else { &outcome.text };
        let text = format!("{stem}: {} ({})", lower_first(wording.trim_end_matches('.')), outcome.code);
        questions.push(question(&key, text, true, agreement()));
        links.push(OutcomeLink { question_key: key, row: None, kind, outcome: outcome.id });
    }
    let mut sections =
        vec![Section { title: heading.to_owned(), description: intro.to_owned(), show_if: None, questions }];
    let about = match purpose {
        Purpose::Alumni => vec![
            question("graduated", "In which year did you graduate?".into(), false, year()),
            question(
                "employed",
                "Are you employed in a field related to your degree?".into(),
                false,
                QuestionKind::YesNo,
            ),
        ],
        Purpose::Employer => vec![
            question("organisation", "Your organisation".into(), false, QuestionKind::ShortText),
            question("graduates", "How many of our graduates do you employ?".into(), false, count()),
        ],
        _ => Vec::new(),
    };
    let mut closing = about;
    closing.push(question(
        "comments",
        "What should we keep, and what should we change?".into(),
        false,
        QuestionKind::LongText,
    ));
    sections.push(Section {
        title: "About you and your comments".into(),
        description: String::new(),
        show_if: None,
        questions: closing,
    });
    let description =
        "Your answers help the department judge how well its outcomes are achieved and what to improve.".into();
    Template { title, description, form: SurveyForm { sections }, links }
}

fn year() -> QuestionKind {
    QuestionKind::Numeric { min: Some(1950.0), max: Some(2100.0), whole: true }
}

fn count() -> QuestionKind {
    QuestionKind::Numeric { min: Some(0.0), max: None, whole: true }
}

/// "Design a circuit" reads well after "enabled me to:"; an acronym stays as it is.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(text[first.len_utf8()..].chars()).collect()
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(id: i64, code: &str, text: &str) -> Outcome {
        Outcome {
            id,
            parent_id: 1,
            lineage_id: id,
            version: 1,
            effective_term_id: None,
            code: code.into(),
            title: String::new(),
            text: text.into(),
            retired: false,
            taxonomy_level: None,
            framework_key: None,
            framework_code: None,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_course_exit_survey_has_one_mapped_agreement_item_per_clo_and_passes_the_form_rules() {
        let clos = [outcome(7, "CLO1", "Design a combinational circuit."), outcome(9, "CLO2", "Use HDL tools")];
        let t = template(Purpose::CourseExit, "EE-210 Digital Logic", &clos);
        qobe_domain::surveys::check_form(&t.form).unwrap();
        let items: Vec<&Question> = t.form.sections[0].questions.iter().collect();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].text, "This course enabled me to: design a combinational circuit (CLO1)");
        assert!(items.iter().all(|q| q.kind.is_rated() && q.required));
        assert_eq!(t.links[1], OutcomeLink { question_key: "clo2".into(), row: None, kind: "clo", outcome: 9 });
    }

    #[test]
    fn alumni_and_employer_surveys_ask_about_peos_and_about_the_respondent() {
        let peos = [outcome(3, "PEO1", "Practise engineering ethically")];
        for purpose in [Purpose::Alumni, Purpose::Employer] {
            let t = template(purpose, "BS EE", &peos);
            qobe_domain::surveys::check_form(&t.form).unwrap();
            assert_eq!(t.links.iter().map(|l| l.kind).collect::<Vec<_>>(), vec!["peo"]);
            assert_eq!(t.form.sections[1].questions.len(), 3, "{purpose:?}");
        }
        assert_eq!(lower_first("HDL tools"), "HDL tools");
    }
}
