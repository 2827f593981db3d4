//! Student-CLO aggregation throughput against a plain loop that reads the same marks once and
//! sums them per student, in the same run. `cargo bench -p qobe-outcomes`; figures in
//! docs/performance.md.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qobe_outcomes::{Assessment, Item, Mapping, Mark, Offering, Plan, Policy, student_clo_scores};

/// `students` × 40 items in 6 assessments, 5 CLOs; every tenth item split over two CLOs;
/// 3% absent, 1% excused.
fn offering(students: usize) -> Offering {
    let assessments = (0..6)
        .map(|a| Assessment {
            id: a,
            name: format!("A{a}"),
            category: if a < 4 { "CIE".into() } else { "SEE".into() },
            weight: 1.0,
        })
        .collect();
    let items: Vec<Item> = (0..40)
        .map(|i| Item { id: i, label: format!("Q{i}"), assessment: (i as usize) % 6, max_marks: 10.0 })
        .collect();
    let mut mappings = Vec::new();
    for i in 0..40 {
        if i % 10 == 9 {
            mappings.push(Mapping { item: i, clo: i % 5, share: 0.5 });
            mappings.push(Mapping { item: i, clo: (i + 1) % 5, share: 0.5 });
        } else {
            mappings.push(Mapping { item: i, clo: i % 5, share: 1.0 });
        }
    }
    let mut o = Offering::new((0..5).collect(), assessments, items, mappings, (0..students as i64).collect())
        .unwrap_or_else(|e| panic!("bench offering: {e}"));
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for s in 0..students {
        for i in 0..40 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mark = match seed % 100 {
                0..=2 => Mark::Absent,
                3 => Mark::Excused,
                r => Mark::Score((r % 11) as f32),
            };
            o.set(s, i, mark).unwrap_or_else(|e| panic!("bench mark: {e}"));
        }
    }
    o
}

/// The floor: read every mark once and sum each student's row.
fn plain_sum(cells: &[f32], width: usize, out: &mut Vec<f32>) {
    out.clear();
    for row in cells.chunks_exact(width) {
        let mut sum = 0.0f32;
        for cell in row {
            sum += cell.max(0.0);
        }
        out.push(sum);
    }
}

fn aggregation(c: &mut Criterion) {
    // 250,000 students × 40 items = 10 million marks (40 MB), well beyond the caches.
    let offering = offering(250_000);
    let marks = offering.mark_count() as u64;
    let mut group = c.benchmark_group("student_clo");
    group.throughput(Throughput::Elements(marks));
    group.sample_size(20);
    let mut sums = Vec::new();
    group.bench_function("plain_sum_baseline", |b| {
        b.iter(|| plain_sum(black_box(offering.encoded_cells()), 40, &mut sums));
    });
    for (name, policy) in [("marks_based", Policy::pec()), ("percentage_by_assessment", percentage_policy())] {
        let plan = Plan::new(&policy, &offering);
        group.bench_function(name, |b| b.iter(|| black_box(plan.student_scores(black_box(&offering)))));
    }
    group.bench_function("marks_based_with_plan", |b| {
        b.iter(|| black_box(student_clo_scores(&Policy::pec(), black_box(&offering))));
    });
    group.finish();
}

fn percentage_policy() -> Policy {
    Policy {
        score: qobe_outcomes::ScoreMethod::PercentageBased { group_by: qobe_outcomes::GroupBy::Assessment },
        ..Policy::pec()
    }
}

criterion_group!(benches, aggregation);
criterion_main!(benches);
