//! A survey's form as plain data: sections (each a page for the respondent) holding questions of
//! the kinds a survey needs, each optionally shown only when an earlier answer matches. The
//! rules that a designed form must keep ([`design`]) and that an answer must keep ([`answers`])
//! live here, with no I/O, so the pages, the API and the tests apply the same ones.

pub mod answers;
pub mod design;
pub mod summary;

use serde::{Deserialize, Serialize};

pub use answers::{Answer, Answers, answer_fields, check_response, parse_answers, visible_questions};
pub use design::check_form;

/// The fewest and most points a rating scale has.
pub const SCALE_POINTS: std::ops::RangeInclusive<u8> = 3..=10;

/// The longest free text a short or long text answer may be.
pub const SHORT_TEXT_MAX: usize = 200;
pub const LONG_TEXT_MAX: usize = 5_000;

/// A survey's questions, section by section, in the order a respondent meets them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyForm {
    pub sections: Vec<Section>,
}

impl SurveyForm {
    /// Every question in order, with the index of its section.
    pub fn questions(&self) -> impl Iterator<Item = (usize, &Question)> {
        self.sections.iter().enumerate().flat_map(|(s, section)| section.questions.iter().map(move |q| (s, q)))
    }

    /// The question with `key`.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.key == key)
    }
}

/// A page of the survey: a title, an introduction, its questions, and when it is shown.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub show_if: Option<Condition>,
    pub questions: Vec<Question>,
}

/// One question. `key` names it for good (answers, conditions and outcome mappings refer to it),
/// whatever its text or place becomes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub key: String,
    pub text: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub required: bool,
    pub kind: QuestionKind,
    #[serde(default)]
    pub show_if: Option<Condition>,
}

/// What kind of answer a question asks for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum QuestionKind {
    /// A rating or Likert scale of `points` points (3–10), lowest first; `labels` names every
    /// point, or is empty (the points are shown as numbers).
    Scale {
        #[cfg_attr(feature = "openapi", schema(minimum = 3, maximum = 10))]
        #[serde(deserialize_with = "crate::whole::fitting")]
        points: u8,
        labels: Vec<String>,
    },
    /// One of `options`; with `other`, a typed answer instead.
    SingleChoice {
        options: Vec<String>,
        other: bool,
    },
    /// Any of `options` (and a typed one with `other`).
    MultipleChoice {
        options: Vec<String>,
        other: bool,
    },
    /// Each of `rows` rated on one scale of `points` points.
    Matrix {
        rows: Vec<String>,
        #[cfg_attr(feature = "openapi", schema(minimum = 3, maximum = 10))]
        #[serde(deserialize_with = "crate::whole::fitting")]
        points: u8,
        labels: Vec<String>,
    },
    /// `options` put in order, most preferred first.
    Ranking {
        options: Vec<String>,
    },
    /// A number, optionally between `min` and `max`, optionally whole.
    Numeric {
        min: Option<f64>,
        max: Option<f64>,
        whole: bool,
    },
    /// A calendar date.
    Date,
    ShortText,
    LongText,
    YesNo,
}

impl QuestionKind {
    /// The question's answer can carry an outcome's indirect evidence (a scale, a matrix row).
    pub fn is_rated(&self) -> bool {
        matches!(self, QuestionKind::Scale { .. } | QuestionKind::Matrix { .. })
    }

    /// The words people read for the kind, in the designer.
    pub fn label(&self) -> &'static str {
        match self {
            QuestionKind::Scale { .. } => "Rating scale",
            QuestionKind::SingleChoice { .. } => "One choice",
            QuestionKind::MultipleChoice { .. } => "Several choices",
            QuestionKind::Matrix { .. } => "Grid of ratings",
            QuestionKind::Ranking { .. } => "Ranking",
            QuestionKind::Numeric { .. } => "Number",
            QuestionKind::Date => "Date",
            QuestionKind::ShortText => "Short text",
            QuestionKind::LongText => "Long text",
            QuestionKind::YesNo => "Yes or no",
        }
    }
}

/// A rated question an outcome's indirect evidence is read from: a scale, or one row of a grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatedQuestion {
    pub key: String,
    /// A grid's row, from 0.
    pub row: Option<usize>,
}

/// As people read it: `q3`, or `q4 row 2` (rows counted from 1).
impl std::fmt::Display for RatedQuestion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.row {
            Some(row) => write!(f, "{} row {}", self.key, row + 1),
            None => f.write_str(&self.key),
        }
    }
}

/// Show a question or section only when an earlier question's answer passes `test`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub question: String,
    pub test: Test,
}

/// What an earlier answer must be.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "is", rename_all = "snake_case", deny_unknown_fields)]
pub enum Test {
    /// Answered at all.
    Answered,
    /// A choice question's answer includes one of these options (by text); a yes/no question's
    /// is "yes" or "no".
    AnyOf {
        options: Vec<String>,
    },
    /// A scale's point, or a number, is at least / at most this.
    AtLeast {
        value: f64,
    },
    AtMost {
        value: f64,
    },
}

/// The answer a yes/no question's condition names.
pub const YES: &str = "yes";
pub const NO: &str = "no";
