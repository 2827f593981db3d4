//! A survey's responses summarised question by question, worked out once per survey and
//! number of responses and then kept in memory: the results page, the API, the downloads' PDF
//! and the attainment pages all read the same summaries, and 10,000 responses are not re-read
//! and re-parsed on every view.
//!
//! Why a count is a safe key: a submitted response is never changed (save-and-resume keeps a
//! draft with the participant, not among the responses), and a survey's form is fixed once it
//! is published — the form's text is part of the key all the same, so an edited draft cannot
//! be summarised with an old form. Every process keeps its own copy, so several web servers
//! behind one database each work it out once.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use qobe_domain::ids::{InstitutionId, SurveyId};
use qobe_domain::surveys::summary::{QuestionSummary, summarise};
use qobe_domain::surveys::{Answers, SurveyForm};
use qobe_store::rows::Survey;
use qobe_store::surveys as rows;

use crate::{App, AppError, AppResult};

/// The most surveys whose summaries are kept; the one read longest ago goes first.
const KEPT: usize = 32;

/// The summaries kept, shared by every request of this process.
#[derive(Default)]
pub struct Tallies {
    kept: Mutex<HashMap<(i64, i64), Kept>>,
    reads: std::sync::atomic::AtomicU64,
}

struct Kept {
    /// What the summaries were worked out from.
    responses: usize,
    form: u64,
    last_read: u64,
    summaries: Arc<Vec<QuestionSummary>>,
}

impl Tallies {
    /// Drops every kept summary (the benchmark measures the first view after a start this way).
    pub fn forget(&self) {
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clear();
    }

    fn get(&self, key: (i64, i64), responses: usize, form: u64) -> Option<Arc<Vec<QuestionSummary>>> {
        let read = self.reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut kept = self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = kept.get_mut(&key).filter(|k| k.responses == responses && k.form == form)?;
        entry.last_read = read;
        Some(entry.summaries.clone())
    }

    fn put(&self, key: (i64, i64), responses: usize, form: u64, summaries: Arc<Vec<QuestionSummary>>) {
        let read = self.reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut kept = self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if kept.len() >= KEPT
            && !kept.contains_key(&key)
            && let Some(oldest) = kept.iter().min_by_key(|(_, k)| k.last_read).map(|(key, _)| *key)
        {
            kept.remove(&oldest);
        }
        kept.insert(key, Kept { responses, form, last_read: read, summaries });
    }
}

fn form_hash(survey: &Survey) -> u64 {
    let mut hasher = DefaultHasher::new();
    survey.form.hash(&mut hasher);
    hasher.finish()
}

/// Every submitted response's answers, parsed.
async fn answers(app: &App, institution: InstitutionId, survey: &Survey) -> AppResult<Vec<Answers>> {
    rows::response_answers(app.store.conn(), institution, SurveyId(survey.id))
        .await?
        .iter()
        .map(|json| serde_json::from_str(json).map_err(|e| AppError::Internal(format!("survey response: {e}"))))
        .collect()
}

/// Each question's summary over the survey's `responses` submitted responses (the caller has
/// counted them, and has applied the anonymity rule).
pub async fn summaries(
    app: &App,
    institution: InstitutionId,
    survey: &Survey,
    form: &SurveyForm,
    responses: usize,
) -> AppResult<Arc<Vec<QuestionSummary>>> {
    let key = (institution.0, survey.id);
    let hash = form_hash(survey);
    if let Some(kept) = app.tallies.get(key, responses, hash) {
        return Ok(kept);
    }
    let answers = answers(app, institution, survey).await?;
    let summaries = Arc::new(summarise(form, &answers));
    // Counted again with the answers: a response submitted in between must not be kept under
    // the older count.
    if answers.len() == responses {
        app.tallies.put(key, responses, hash, summaries.clone());
    }
    Ok(summaries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(key: &str) -> Arc<Vec<QuestionSummary>> {
        Arc::new(vec![QuestionSummary {
            key: key.into(),
            text: key.into(),
            answered: 0,
            detail: qobe_domain::surveys::summary::Detail::Texts { answers: Vec::new() },
        }])
    }

    #[test]
    fn kept_summaries_answer_only_for_the_same_count_and_form() {
        let tallies = Tallies::default();
        tallies.put((1, 7), 10, 99, summary("a"));
        assert_eq!(tallies.get((1, 7), 10, 99).map(|s| s[0].key.clone()), Some("a".into()));
        assert!(tallies.get((1, 7), 11, 99).is_none(), "a new response makes them stale");
        assert!(tallies.get((1, 7), 10, 98).is_none(), "so does another form");
        assert!(tallies.get((2, 7), 10, 99).is_none(), "another institution's survey 7 is another survey");
    }

    #[test]
    fn the_survey_read_longest_ago_goes_first() {
        let tallies = Tallies::default();
        for survey in 0..KEPT as i64 {
            tallies.put((1, survey), 1, 1, summary("s"));
        }
        assert!(tallies.get((1, 0), 1, 1).is_some(), "survey 0 read again: survey 1 is now the oldest");
        tallies.put((1, 1000), 1, 1, summary("new"));
        assert!(tallies.get((1, 1), 1, 1).is_none());
        assert!(tallies.get((1, 0), 1, 1).is_some());
        assert!(tallies.get((1, 1000), 1, 1).is_some());
    }
}
