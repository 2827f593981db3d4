//! The rules a designed survey keeps: keys unique and well formed, scales of 3–10 points with a
//! label for every point or none, choices that are distinct and not blank, numeric ranges that
//! run upwards, and conditions that point only backwards, at a question whose answer their test
//! can read. A problem is named by the question (or section) it is about.

use std::collections::HashMap;

use super::{Condition, NO, Question, QuestionKind, SCALE_POINTS, SurveyForm, Test, YES};
use crate::FieldErrors;

/// Checks a whole form. Field names: `{key}.{part}` for a question (`q3.options`), and
/// `section{n}.{part}` (1-based) for a section.
pub fn check_form(form: &SurveyForm) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    if form.questions().next().is_none() {
        errors.refuse("questions", "add at least one question");
    }
    // Questions met so far, in order: a condition may only name one of these.
    let mut earlier: HashMap<&str, &Question> = HashMap::new();
    for (n, section) in form.sections.iter().enumerate() {
        let field = |part: &str| format!("section{}.{part}", n + 1);
        if section.title.trim().is_empty() {
            errors.refuse(&field("title"), "give the section a title");
        }
        if let Some(condition) = &section.show_if {
            check_condition(condition, &earlier, &field("show_if"), &mut errors);
        }
        for question in &section.questions {
            check_question(question, &mut errors);
            if let Some(condition) = &question.show_if {
                check_condition(condition, &earlier, &format!("{}.show_if", question.key), &mut errors);
            }
            if earlier.insert(question.key.as_str(), question).is_some() {
                errors.refuse(
                    &format!("{}.key", question.key),
                    format!("another question is already called {}", question.key),
                );
            }
        }
    }
    errors.into_result()
}

/// A key is what answers, conditions and mappings hold on to: short, plain, and not reused.
fn check_key(key: &str) -> Result<(), String> {
    if key.is_empty() || key.len() > 40 {
        return Err("a question's key is 1 to 40 characters".into());
    }
    if !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err("a question's key holds only letters, digits, - and _".into());
    }
    Ok(())
}

fn check_question(question: &Question, errors: &mut FieldErrors) {
    let field = |part: &str| format!("{}.{part}", question.key);
    if let Err(message) = check_key(&question.key) {
        errors.refuse(&field("key"), message);
    }
    if question.text.trim().is_empty() {
        errors.refuse(&field("text"), "write the question");
    } else if question.text.chars().count() > 1_000 {
        errors.refuse(&field("text"), "a question is at most 1,000 characters");
    }
    match &question.kind {
        QuestionKind::Scale { points, labels } => check_scale(*points, labels, &field, errors),
        QuestionKind::Matrix { rows, points, labels } => {
            check_scale(*points, labels, &field, errors);
            check_list(rows, 1, "rows", &field("rows"), errors);
        }
        QuestionKind::SingleChoice { options, .. } | QuestionKind::MultipleChoice { options, .. } => {
            check_list(options, 2, "options", &field("options"), errors);
        }
        QuestionKind::Ranking { options } => check_list(options, 2, "options", &field("options"), errors),
        QuestionKind::Numeric { min, max, .. } => {
            if min.is_some_and(|v| !v.is_finite()) || max.is_some_and(|v| !v.is_finite()) {
                errors.refuse(&field("range"), "the range's ends must be numbers");
            } else if let (Some(low), Some(high)) = (min, max)
                && low > high
            {
                errors.refuse(
                    &field("range"),
                    format!("the smallest number allowed ({low}) is above the largest ({high})"),
                );
            }
        }
        QuestionKind::Date | QuestionKind::ShortText | QuestionKind::LongText | QuestionKind::YesNo => {}
    }
}

fn check_scale(points: u8, labels: &[String], field: &dyn Fn(&str) -> String, errors: &mut FieldErrors) {
    if !SCALE_POINTS.contains(&points) {
        errors.add(&field("points"), format!("a scale has {} to {} points", SCALE_POINTS.start(), SCALE_POINTS.end()));
    } else if !labels.is_empty() && labels.len() != usize::from(points) {
        errors.refuse(
            &field("labels"),
            format!("name all {points} points, one label each, or none (they show as numbers); {} given", labels.len()),
        );
    } else if labels.iter().any(|l| l.trim().is_empty()) {
        errors.refuse(&field("labels"), "a point's label may not be blank");
    }
}

/// Options, rows: at least `fewest`, none blank, none twice (ignoring case).
fn check_list(list: &[String], fewest: usize, what: &str, field: &str, errors: &mut FieldErrors) {
    if list.len() < fewest {
        errors.refuse(field, format!("give at least {fewest} {what}"));
        return;
    }
    if list.iter().any(|o| o.trim().is_empty()) {
        errors.refuse(field, format!("none of the {what} may be blank"));
        return;
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(twice) = list.iter().find(|o| !seen.insert(o.trim().to_lowercase())) {
        errors.refuse(field, format!("\"{}\" is given twice", twice.trim()));
    }
}

/// A condition names a question met earlier (never this one or a later one, so a respondent
/// always sees what decides a question before it) and asks what that question's answer can say.
fn check_condition(condition: &Condition, earlier: &HashMap<&str, &Question>, field: &str, errors: &mut FieldErrors) {
    let Some(question) = earlier.get(condition.question.as_str()) else {
        errors.refuse(
            field,
            format!("a condition may only depend on a question asked before it; {} is not", condition.question),
        );
        return;
    };
    let problem = match (&condition.test, &question.kind) {
        (Test::Answered, _) => None,
        (Test::AnyOf { options }, _) if options.is_empty() => Some("choose at least one answer to compare with".into()),
        (
            Test::AnyOf { options },
            QuestionKind::SingleChoice { options: offered, .. } | QuestionKind::MultipleChoice { options: offered, .. },
        ) => options
            .iter()
            .find(|wanted| !offered.iter().any(|o| o == *wanted))
            .map(|missing| format!("\"{missing}\" is not one of {}'s options", question.key)),
        (Test::AnyOf { options }, QuestionKind::YesNo) => options
            .iter()
            .find(|o| o.as_str() != YES && o.as_str() != NO)
            .map(|other| format!("a yes/no answer is \"{YES}\" or \"{NO}\", not \"{other}\"")),
        (Test::AtLeast { value } | Test::AtMost { value }, QuestionKind::Scale { points, .. }) => {
            (!(1.0..=f64::from(*points)).contains(value))
                .then(|| format!("{}'s scale runs from 1 to {points}; {value} is off it", question.key))
        }
        (Test::AtLeast { value } | Test::AtMost { value }, QuestionKind::Numeric { .. }) => {
            (!value.is_finite()).then(|| "compare with a number".to_owned())
        }
        (test, kind) => Some(format!(
            "{} is a {} question: a condition cannot ask whether it is {}",
            question.key,
            kind.label().to_lowercase(),
            match test {
                Test::AnyOf { .. } => "one of some options",
                _ => "above or below a value",
            }
        )),
    };
    if let Some(problem) = problem {
        errors.refuse(field, problem);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::{Question, Section};

    pub(crate) fn question(key: &str, kind: QuestionKind) -> Question {
        Question {
            key: key.into(),
            text: format!("Question {key}"),
            help: String::new(),
            required: false,
            kind,
            show_if: None,
        }
    }

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    fn form(questions: Vec<Question>) -> SurveyForm {
        SurveyForm { sections: vec![Section { title: "About the course".into(), questions, ..Section::default() }] }
    }

    fn problems(form: &SurveyForm) -> Vec<String> {
        check_form(form)
            .err()
            .map(|e| e.0.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn every_kind_of_question_is_accepted_when_well_formed() {
        let good = form(vec![
            question("q1", QuestionKind::Scale { points: 5, labels: words(&["SD", "D", "N", "A", "SA"]) }),
            question("q2", QuestionKind::Scale { points: 10, labels: vec![] }),
            question("q3", QuestionKind::SingleChoice { options: words(&["Lab", "Lecture"]), other: true }),
            question(
                "q4",
                QuestionKind::MultipleChoice { options: words(&["Books", "Videos", "Notes"]), other: false },
            ),
            question("q5", QuestionKind::Matrix { rows: words(&["Pace", "Clarity"]), points: 4, labels: vec![] }),
            question("q6", QuestionKind::Ranking { options: words(&["A", "B", "C"]) }),
            question("q7", QuestionKind::Numeric { min: Some(0.0), max: Some(60.0), whole: true }),
            question("q8", QuestionKind::Date),
            question("q9", QuestionKind::ShortText),
            question("q10", QuestionKind::LongText),
            question("q11", QuestionKind::YesNo),
        ]);
        assert_eq!(problems(&good), Vec::<String>::new());
    }

    #[test]
    fn each_kind_refuses_what_it_cannot_ask() {
        let bad = form(vec![
            question("s2", QuestionKind::Scale { points: 2, labels: vec![] }),
            question("s11", QuestionKind::Scale { points: 11, labels: vec![] }),
            question("labels", QuestionKind::Scale { points: 5, labels: words(&["Low", "High"]) }),
            question("one", QuestionKind::SingleChoice { options: words(&["Only"]), other: false }),
            question("twice", QuestionKind::MultipleChoice { options: words(&["Yes", " yes"]), other: false }),
            question("blank", QuestionKind::Ranking { options: words(&["A", " "]) }),
            question("grid", QuestionKind::Matrix { rows: vec![], points: 5, labels: vec![] }),
            question("range", QuestionKind::Numeric { min: Some(10.0), max: Some(1.0), whole: false }),
            question("bad key!", QuestionKind::Date),
            Question { text: "  ".into(), ..question("empty", QuestionKind::YesNo) },
        ]);
        assert_eq!(
            problems(&bad),
            [
                "s2.points: a scale has 3 to 10 points",
                "s11.points: a scale has 3 to 10 points",
                "labels.labels: name all 5 points, one label each, or none (they show as numbers); 2 given",
                "one.options: give at least 2 options",
                "twice.options: \"yes\" is given twice",
                "blank.options: none of the options may be blank",
                "grid.rows: give at least 1 rows",
                "range.range: the smallest number allowed (10) is above the largest (1)",
                "bad key!.key: a question's key holds only letters, digits, - and _",
                "empty.text: write the question",
            ]
        );
        assert_eq!(problems(&SurveyForm::default()), ["questions: add at least one question"]);
    }

    #[test]
    fn a_condition_may_only_point_backwards_at_an_answer_it_can_read() {
        let when = |question: &str, test: Test| Some(Condition { question: question.into(), test });
        let choice =
            question("mode", QuestionKind::SingleChoice { options: words(&["Online", "On campus"]), other: false });
        let scale = question("rating", QuestionKind::Scale { points: 5, labels: vec![] });
        let text = question("comment", QuestionKind::ShortText);
        let ok = form(vec![
            choice.clone(),
            scale.clone(),
            text.clone(),
            Question {
                show_if: when("mode", Test::AnyOf { options: words(&["Online"]) }),
                ..question("a", QuestionKind::YesNo)
            },
            Question { show_if: when("rating", Test::AtMost { value: 2.0 }), ..question("b", QuestionKind::LongText) },
            Question { show_if: when("comment", Test::Answered), ..question("c", QuestionKind::YesNo) },
            Question {
                show_if: when("a", Test::AnyOf { options: words(&["yes"]) }),
                ..question("d", QuestionKind::Date)
            },
        ]);
        assert_eq!(problems(&ok), Vec::<String>::new());

        let bad = form(vec![
            Question { show_if: when("later", Test::Answered), ..question("first", QuestionKind::YesNo) },
            question("later", QuestionKind::YesNo),
            Question { show_if: when("itself", Test::Answered), ..question("itself", QuestionKind::YesNo) },
            choice,
            scale,
            text,
            Question {
                show_if: when("mode", Test::AnyOf { options: words(&["Hybrid"]) }),
                ..question("e", QuestionKind::Date)
            },
            Question { show_if: when("rating", Test::AtLeast { value: 6.0 }), ..question("f", QuestionKind::Date) },
            Question { show_if: when("comment", Test::AtLeast { value: 1.0 }), ..question("g", QuestionKind::Date) },
            Question {
                show_if: when("later", Test::AnyOf { options: words(&["maybe"]) }),
                ..question("h", QuestionKind::Date)
            },
            Question { show_if: when("mode", Test::AnyOf { options: vec![] }), ..question("i", QuestionKind::Date) },
        ]);
        assert_eq!(
            problems(&bad),
            [
                "first.show_if: a condition may only depend on a question asked before it; later is not",
                "itself.show_if: a condition may only depend on a question asked before it; itself is not",
                "e.show_if: \"Hybrid\" is not one of mode's options",
                "f.show_if: rating's scale runs from 1 to 5; 6 is off it",
                "g.show_if: comment is a short text question: a condition cannot ask whether it is above or below a value",
                "h.show_if: a yes/no answer is \"yes\" or \"no\", not \"maybe\"",
                "i.show_if: choose at least one answer to compare with",
            ]
        );
    }

    #[test]
    fn a_section_may_depend_on_an_earlier_section_and_keys_are_not_reused() {
        let mut two = form(vec![question("employed", QuestionKind::YesNo)]);
        two.sections.push(Section {
            title: "Your employer".into(),
            show_if: Some(Condition { question: "employed".into(), test: Test::AnyOf { options: words(&["yes"]) } }),
            questions: vec![question("employer", QuestionKind::ShortText), question("employed", QuestionKind::Date)],
            ..Section::default()
        });
        two.sections.push(Section {
            title: String::new(),
            show_if: Some(Condition { question: "nowhere".into(), test: Test::Answered }),
            questions: vec![question("last", QuestionKind::LongText)],
            ..Section::default()
        });
        assert_eq!(
            problems(&two),
            [
                "employed.key: another question is already called employed",
                "section3.title: give the section a title",
                "section3.show_if: a condition may only depend on a question asked before it; nowhere is not",
            ]
        );
    }
}
