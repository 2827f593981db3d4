//! Properties that hold for any evidence and policy.

use proptest::prelude::*;

use super::close;
use crate::*;

fn policy_strategy() -> impl Strategy<Value = Policy> {
    let treatment = prop_oneof![Just(Treatment::Zero), Just(Treatment::Exclude)];
    let score = prop_oneof![
        Just(ScoreMethod::MarksBased),
        Just(ScoreMethod::PercentageBased { group_by: GroupBy::Assessment }),
        (0.0..1.0f64).prop_map(|w| ScoreMethod::PercentageBased {
            group_by: GroupBy::Category {
                weights: vec![
                    CategoryWeight { category: "CIE".into(), weight: w },
                    CategoryWeight { category: "SEE".into(), weight: 1.0 - w },
                ],
            },
        }),
    ];
    (score, treatment.clone(), treatment.clone(), treatment.clone(), treatment, 0.0..1.0f64).prop_map(
        |(score, absent, excused, not_attempted, missing, threshold)| Policy {
            score,
            marks: MarkTreatment { absent, excused, not_attempted, missing },
            student_threshold: threshold,
            ..Policy::pec()
        },
    )
}

fn mark_strategy() -> impl Strategy<Value = (u8, f32)> {
    (0u8..6, 0.0..=1.0f32)
}

/// Up to 4 assessments, 8 items, 3 CLOs, 6 students; marks as (kind, fraction of max).
fn offering_strategy() -> impl Strategy<Value = Offering> {
    (1usize..4, 1usize..8, 1usize..4, 0usize..6).prop_flat_map(|(assessments, items, clos, students)| {
        (
            prop::collection::vec((0..assessments, 1u8..20), items),
            prop::collection::vec((0..items, 0..clos, 1u8..=4), 0..12),
            prop::collection::vec(mark_strategy(), items * students),
            Just((assessments, clos, students)),
        )
            .prop_map(|(item_specs, mapping_specs, marks, (assessments, clos, students))| {
                let assessments = (0..assessments)
                    .map(|a| Assessment {
                        id: a as i64,
                        name: format!("A{a}"),
                        category: if a % 2 == 0 { "CIE".into() } else { "SEE".into() },
                        weight: 1.0 + a as f64,
                    })
                    .collect();
                let items: Vec<Item> = item_specs
                    .iter()
                    .enumerate()
                    .map(|(i, (a, max))| Item {
                        id: i as i64,
                        label: format!("Q{i}"),
                        assessment: *a,
                        max_marks: f32::from(*max),
                    })
                    .collect();
                let mappings = mapping_specs
                    .iter()
                    .map(|(item, clo, quarter)| Mapping { item: *item, clo: *clo, share: f32::from(*quarter) / 4.0 })
                    .collect();
                let mut o = Offering::new(
                    (0..clos as i64).collect(),
                    assessments,
                    items.clone(),
                    mappings,
                    (0..students as i64).collect(),
                )
                .unwrap();
                for (cell, (kind, fraction)) in marks.iter().enumerate() {
                    let (student, item) = (cell / items.len(), cell % items.len());
                    let mark = match kind {
                        0 => Mark::Absent,
                        1 => Mark::Excused,
                        2 => Mark::NotAttempted,
                        3 => Mark::Missing,
                        _ => Mark::Score((fraction * items[item].max_marks * 4.0).round() / 4.0),
                    };
                    o.set(student, item, mark).unwrap();
                }
                o
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn scores_stay_in_range_and_equal_their_explanation(o in offering_strategy(), policy in policy_strategy()) {
        let scores = student_clo_scores(&policy, &o);
        for s in 0..o.students.len() {
            for c in 0..o.clos.len() {
                let fast = scores.get(s, c);
                if let Some(v) = fast {
                    prop_assert!((0.0..=1.0 + 1e-9).contains(&v), "score {v} out of range");
                }
                let why = explain_student_clo(&policy, &o, s, c);
                match (fast, why.score) {
                    (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-5, "fast {a} vs explained {b}"),
                    (None, None) => {}
                    other => prop_assert!(false, "fast and explained disagree: {other:?}"),
                }
                // Each group's sums are the sums of its contributions.
                for (g, part) in why.groups.iter().enumerate() {
                    let obtained: f64 = why.contributions.iter().filter(|c| c.group == g).map(|c| c.obtained).sum();
                    prop_assert!(close(obtained, part.obtained));
                }
            }
        }
    }

    #[test]
    fn an_item_mapped_to_no_clo_changes_nothing(o in offering_strategy(), policy in policy_strategy(), max in 1u8..50, score in 0.0..1.0f32) {
        let before = student_clo_scores(&policy, &o);
        let mut items = o.items.clone();
        items.push(Item { id: 999, label: "extra".into(), assessment: 0, max_marks: f32::from(max) });
        let mut wider = Offering::new(o.clos.clone(), o.assessments.clone(), items, o.mappings.clone(), o.students.clone()).unwrap();
        let last = wider.items.len() - 1;
        for s in 0..o.students.len() {
            for i in 0..o.items.len() {
                wider.set(s, i, o.mark(s, i)).unwrap();
            }
            wider.set(s, last, Mark::Score(score * f32::from(max))).unwrap();
        }
        prop_assert_eq!(student_clo_scores(&policy, &wider), before);
    }

    #[test]
    fn student_order_does_not_matter(o in offering_strategy(), policy in policy_strategy()) {
        let n = o.students.len();
        let reversed_ids: Vec<i64> = o.students.iter().rev().copied().collect();
        let mut reversed = Offering::new(o.clos.clone(), o.assessments.clone(), o.items.clone(), o.mappings.clone(), reversed_ids).unwrap();
        for s in 0..n {
            for i in 0..o.items.len() {
                reversed.set(n - 1 - s, i, o.mark(s, i)).unwrap();
            }
        }
        let (a, b) = (student_clo_scores(&policy, &o), student_clo_scores(&policy, &reversed));
        for s in 0..n {
            for c in 0..o.clos.len() {
                prop_assert_eq!(a.get(s, c), b.get(n - 1 - s, c));
            }
        }
        let (ca, cb) = (course_clos(&policy, &o, &a), course_clos(&policy, &reversed, &b));
        for (x, y) in ca.iter().zip(&cb) {
            prop_assert_eq!((x.overall.attaining, x.overall.students_with_evidence, x.met), (y.overall.attaining, y.overall.students_with_evidence, y.met));
            prop_assert!(x.overall.mean_score.zip(y.overall.mean_score).is_none_or(|(p, q)| (p - q).abs() < 1e-9));
        }
    }

    #[test]
    fn course_measures_are_consistent(o in offering_strategy(), policy in policy_strategy()) {
        let scores = student_clo_scores(&policy, &o);
        for (c, course) in course_clos(&policy, &o, &scores).iter().enumerate() {
            let m = &course.overall;
            prop_assert!(m.attaining <= m.students_with_evidence);
            prop_assert_eq!(m.students_with_evidence, scores.clo_column(c).flatten().count());
            if let Some(p) = m.percent_attaining {
                prop_assert!(close(p, m.attaining as f64 / m.students_with_evidence as f64));
            }
            prop_assert_eq!(course.met.is_some(), m.students_with_evidence > 0);
        }
    }

    #[test]
    fn rollups_stay_within_the_scores_and_order_matters_only_where_it_should(
        scores in prop::collection::vec(0.0..=1.0f64, 1..8),
        weight in 0.0..=1.0f64,
    ) {
        let (lo, hi) = scores.iter().fold((f64::MAX, f64::MIN), |(l, h), s| (l.min(*s), h.max(*s)));
        let levels = Slabs(vec![Slab { min: 0.5, level: 1 }, Slab { min: 0.8, level: 2 }]);
        let methods = [
            Rollup::Highest,
            Rollup::Latest,
            Rollup::Average,
            Rollup::NMastery { times: 2, mastery: 0.5 },
            Rollup::DecayingAverage { latest_weight: weight },
            Rollup::StandardDecayingAverage { new_weight: weight },
            Rollup::MostCommon { levels },
        ];
        let mut reordered = scores.clone();
        reordered.reverse();
        let turn = 1 % reordered.len();
        reordered.rotate_left(turn);
        for method in &methods {
            if let Some(v) = rollup(method, &scores) {
                prop_assert!(v >= lo - 1e-9 && v <= hi + 1e-9, "{method:?} gave {v} outside [{lo}, {hi}]");
            }
            let order_free = !matches!(method, Rollup::Latest | Rollup::DecayingAverage { .. } | Rollup::StandardDecayingAverage { .. });
            if order_free {
                let (a, b) = (rollup(method, &scores), rollup(method, &reordered));
                prop_assert!(a.zip(b).is_none_or(|(a, b)| close(a, b)) && a.is_some() == b.is_some(), "{method:?}: {a:?} vs {b:?}");
            }
        }
        prop_assert_eq!(rollup(&Rollup::Latest, &scores), scores.last().copied());
    }

    #[test]
    fn a_students_plo_is_the_weighted_mean_of_its_parts(
        evidence in prop::collection::vec((0i64..3, 0i64..3, 0i64..4, 0.0..=1.0f64, 1u8..=3, 1u8..=4), 1..10),
        weighting in prop_oneof![Just(PloWeighting::Equal), Just(PloWeighting::Strength), Just(PloWeighting::CreditHours), Just(PloWeighting::StrengthTimesCredits)],
    ) {
        let evidence: Vec<CloEvidence> = evidence
            .iter()
            .map(|(course, clo, term, score, strength, credits)| CloEvidence {
                course_id: *course,
                clo_id: *clo,
                term: *term,
                score: *score,
                strength: f64::from(*strength),
                credits: f64::from(*credits),
            })
            .collect();
        let policy = Policy { plo_weighting: weighting, ..Policy::pec() };
        let plo = student_plo(&policy, &evidence).unwrap();
        let total: f64 = plo.parts.iter().map(|p| p.weight).sum();
        let weighted: f64 = plo.parts.iter().map(|p| p.weight * p.score).sum();
        prop_assert!(close(plo.score, weighted / total));
        let (lo, hi) = plo.parts.iter().fold((f64::MAX, f64::MIN), |(l, h), p| (l.min(p.score), h.max(p.score)));
        prop_assert!(plo.score >= lo - 1e-9 && plo.score <= hi + 1e-9);
        let attempts: usize = plo.parts.iter().map(|p| p.attempts.len()).sum();
        prop_assert_eq!(attempts, evidence.len(), "every piece of evidence is used once");
    }
}
