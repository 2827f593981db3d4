//! Charts drawn on the server as SVG: no script, crisp in print, and each one labelled for
//! screen readers (pages put the numbers in a table beside it too).

use std::fmt::Write;

/// One bar: a label, a value from 0 to 1 (or none), a target line, and where it links.
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub href: Option<String>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn percent(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}

/// Vertical bars of fractions (0–100 %) with each bar's target as a dashed line; a bar that
/// reaches its target is drawn in the "met" colour.
pub fn bar_chart(title: &str, bars: &[Bar]) -> String {
    // Few bars get wider slots (up to bars 72 wide), so a chart of three CLOs is not a sliver.
    let slot = (420.0 / bars.len().max(1) as f64).clamp(56.0, 92.0);
    let (left, top, height) = (44.0, 12.0, 180.0);
    let width = left + slot * bars.len().max(1) as f64 + 12.0;
    let total = top + height + 40.0;
    let y = |fraction: f64| top + height * (1.0 - fraction.clamp(0.0, 1.0));
    // A picture, unless its bars are links: then a group of them, each named by its tip.
    let role = if bars.iter().any(|b| b.href.is_some()) { "group" } else { "img" };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {width} {total}" width="{width}" height="{total}" role="{role}" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            svg,
            r#"<line x1="{left}" x2="{}" y1="{y}" y2="{y}" class="grid-line"/><text x="{}" y="{}" class="axis" text-anchor="end">{}%</text>"#,
            width - 8.0,
            left - 6.0,
            y(tick) + 4.0,
            (tick * 100.0) as i64,
            y = y(tick)
        );
    }
    for (i, bar) in bars.iter().enumerate() {
        let x = left + slot * i as f64 + 10.0;
        let bar_width = slot - 20.0;
        let met = matches!((bar.value, bar.target), (Some(v), Some(t)) if v + 1e-12 >= t);
        let tip = match (bar.value, bar.target) {
            (Some(v), Some(t)) => format!("{}: {} (target {})", bar.label, percent(v), percent(t)),
            (Some(v), None) => format!("{}: {}", bar.label, percent(v)),
            (None, _) => format!("{}: no evidence yet", bar.label),
        };
        if let Some(href) = &bar.href {
            // Named by what it shows first (its percentage, or a dash), then by its tip.
            let shown = bar.value.map(|v| format!("{:.0}%", v * 100.0)).unwrap_or_else(|| "—".to_owned());
            let _ = write!(svg, r#"<a href="{}" aria-label="{}">"#, escape(href), escape(&format!("{shown} — {tip}")));
        }
        if let Some(v) = bar.value {
            let _ = write!(
                svg,
                r#"<rect x="{x}" y="{}" width="{bar_width}" height="{}" class="{}"><title>{}</title></rect><text x="{}" y="{}" class="value" text-anchor="middle">{:.0}%</text>"#,
                y(v),
                (top + height - y(v)).max(0.5),
                match (bar.target, met) {
                    (None, _) => "bar plain",
                    (Some(_), true) => "bar met",
                    (Some(_), false) => "bar short",
                },
                escape(&tip),
                x + bar_width / 2.0,
                y(v) - 4.0,
                v * 100.0
            );
        } else {
            let _ = write!(
                svg,
                r#"<text x="{}" y="{}" class="axis" text-anchor="middle">—<title>{}</title></text>"#,
                x + bar_width / 2.0,
                top + height - 4.0,
                escape(&tip)
            );
        }
        if bar.href.is_some() {
            svg.push_str("</a>");
        }
        if let Some(t) = bar.target {
            let _ = write!(
                svg,
                r#"<line x1="{}" x2="{}" y1="{y}" y2="{y}" class="target"/>"#,
                x - 4.0,
                x + bar_width + 4.0,
                y = y(t)
            );
        }
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" class="label" text-anchor="middle">{}</text>"#,
            x + bar_width / 2.0,
            top + height + 16.0,
            escape(&bar.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One line of a line chart: a label and a value (0–1) per x position, gaps allowed.
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// Lines of fractions (0–100 %) over labelled x positions (terms), with a dashed target line.
/// Each series gets one of six line styles; its points carry a tooltip.
pub fn line_chart(title: &str, x_labels: &[String], series: &[Series], target: Option<f64>) -> String {
    let (left, top, height, step) = (44.0, 12.0, 180.0, 90.0);
    let width = left + step * x_labels.len().max(1) as f64 + 120.0;
    let total = top + height + 40.0;
    let y = |fraction: f64| top + height * (1.0 - fraction.clamp(0.0, 1.0));
    let x = |i: usize| left + step * i as f64 + step / 2.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {width} {total}" width="{width}" height="{total}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            svg,
            r#"<line x1="{left}" x2="{}" y1="{y}" y2="{y}" class="grid-line"/><text x="{}" y="{}" class="axis" text-anchor="end">{}%</text>"#,
            left + step * x_labels.len().max(1) as f64,
            left - 6.0,
            y(tick) + 4.0,
            (tick * 100.0) as i64,
            y = y(tick)
        );
    }
    for (i, label) in x_labels.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" class="label" text-anchor="middle">{}</text>"#,
            x(i),
            top + height + 16.0,
            escape(label)
        );
    }
    if let Some(t) = target {
        let _ = write!(
            svg,
            r#"<line x1="{left}" x2="{}" y1="{y}" y2="{y}" class="target"/>"#,
            left + step * x_labels.len().max(1) as f64,
            y = y(t)
        );
    }
    for (s, line) in series.iter().enumerate() {
        let points: Vec<String> =
            line.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x(i), y(v)))).collect();
        let style = s % 6;
        let _ = write!(svg, r#"<polyline class="series s{style}" points="{}"/>"#, points.join(" "));
        for (i, value) in line.values.iter().enumerate() {
            if let Some(v) = value {
                let tip =
                    format!("{} in {}: {}", line.label, x_labels.get(i).map(String::as_str).unwrap_or(""), percent(*v));
                let _ = write!(
                    svg,
                    r#"<circle class="point s{style}" cx="{:.1}" cy="{:.1}" r="3.5"><title>{}</title></circle>"#,
                    x(i),
                    y(*v),
                    escape(&tip)
                );
            }
        }
        let legend_y = top + 14.0 * s as f64 + 6.0;
        let legend_x = left + step * x_labels.len().max(1) as f64 + 12.0;
        let _ = write!(
            svg,
            r#"<line x1="{legend_x}" x2="{}" y1="{legend_y}" y2="{legend_y}" class="series s{style}"/><text x="{}" y="{}" class="label">{}</text>"#,
            legend_x + 18.0,
            legend_x + 24.0,
            legend_y + 4.0,
            escape(&line.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Score bands of the distribution chart, from deciles: 0–20 %, …, 80–100 %.
pub const BANDS: [&str; 5] = ["0–20%", "20–40%", "40–60%", "60–80%", "80–100%"];

/// Students per band from students per decile.
pub fn bands(deciles: &[usize; 10]) -> [usize; 5] {
    std::array::from_fn(|b| deciles[2 * b] + deciles[2 * b + 1])
}

/// One horizontal bar per row, split by how many students score in each band (see [`BANDS`]),
/// each bar the full width: how a cohort's students spread over the scale.
pub fn distribution_chart(title: &str, rows: &[(String, [usize; 5])]) -> String {
    let (left, top, width, row_height) = (64.0, 28.0, 420.0, 24.0);
    let total_width = left + width + 56.0;
    let total_height = top + row_height * rows.len().max(1) as f64 + 8.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {total_width} {total_height}" width="{total_width}" height="{total_height}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    for (b, band) in BANDS.iter().enumerate() {
        let x = left + b as f64 * 84.0;
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="6" width="10" height="10" class="band b{b}"/><text x="{}" y="15" class="label">{band}</text>"#,
            x + 14.0
        );
    }
    for (r, (label, counts)) in rows.iter().enumerate() {
        let y = top + row_height * r as f64;
        let n: usize = counts.iter().sum();
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" class="label" text-anchor="end">{}</text><text x="{}" y="{}" class="label">n = {n}</text>"#,
            left - 6.0,
            y + 14.0,
            escape(label),
            left + width + 6.0,
            y + 14.0
        );
        let mut x = left;
        for (b, count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            let w = width * *count as f64 / n as f64;
            let tip = format!("{label}: {count} of {n} students score {}", BANDS[b]);
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y}" width="{w:.1}" height="18" class="band b{b}"><title>{}</title></rect>"#,
                escape(&tip)
            );
            x += w;
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The chart's look for use outside a web page (PDFs), where the site's stylesheet is absent.
const STANDALONE_STYLE: &str = ".grid-line{stroke:#e3e6ea}.axis,.label{fill:#555;font:9px sans-serif}.value{fill:#222;font:bold 9px sans-serif}.bar.met{fill:#2e7d32}.bar.short{fill:#c62828}.bar.plain{fill:#1f5fbf}.target{stroke:#222;stroke-width:2;stroke-dasharray:4 3}.series{fill:none;stroke-width:2}.s0{stroke:#1f5fbf}.s1{stroke:#c2410c}.s2{stroke:#2e7d32}.s3{stroke:#6b21a8}.s4{stroke:#0e7490}.s5{stroke:#57534e}.b0{fill:#c62828}.b1{fill:#ef8a62}.b2{fill:#f3d36b}.b3{fill:#8cc58f}.b4{fill:#2e7d32}";

/// A chart made to stand alone: its styles embedded, for typesetting into a PDF.
pub fn standalone(svg: &str) -> String {
    match svg.find('>') {
        Some(end) => format!("{}<style>{STANDALONE_STYLE}</style>{}", &svg[..=end], &svg[end + 1..]),
        None => svg.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_coloured_by_target_and_labelled() {
        let svg = bar_chart(
            "CLO attainment",
            &[
                Bar { label: "CLO1".into(), value: Some(0.8), target: Some(0.6), href: Some("/x?a=1&b=2".into()) },
                Bar { label: "CLO2".into(), value: Some(0.4), target: Some(0.6), href: None },
                Bar { label: "CLO<3>".into(), value: None, target: Some(0.6), href: None },
            ],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"aria-label="CLO attainment""#));
        assert_eq!(svg.matches("bar met").count(), 1);
        assert_eq!(svg.matches("bar short").count(), 1);
        let shares = bar_chart("Answers", &[Bar { label: "Agree".into(), value: Some(0.5), target: None, href: None }]);
        assert!(shares.contains("bar plain") && !shares.contains("bar short"), "no target: neither met nor short");
        assert!(svg.contains("CLO1: 80.0% (target 60.0%)"));
        assert!(svg.contains("/x?a=1&amp;b=2"), "links are escaped");
        assert!(svg.contains("CLO&lt;3&gt;: no evidence yet"));
    }

    #[test]
    fn distribution_bars_fill_the_width_in_proportion() {
        let deciles = [1, 0, 0, 2, 0, 1, 0, 0, 4, 0];
        assert_eq!(bands(&deciles), [1, 2, 1, 0, 4]);
        let svg = distribution_chart("Spread", &[("PLO1".into(), bands(&deciles)), ("PLO2".into(), [0; 5])]);
        assert!(svg.contains("PLO1: 4 of 8 students score 80–100%"));
        assert!(svg.contains(r#"width="210.0""#), "half the students take half the width: {svg}");
        assert_eq!(svg.matches("<title>").count(), 4, "empty bands and rows draw nothing");
    }

    #[test]
    fn lines_skip_gaps_and_label_every_point() {
        let svg = line_chart(
            "Trend",
            &["2025FA".into(), "2026SP".into(), "2026FA".into()],
            &[Series { label: "CLO1".into(), values: vec![Some(0.5), None, Some(0.75)] }],
            Some(0.6),
        );
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("CLO1 in 2026FA: 75.0%"));
        assert_eq!(svg.matches("class=\"target\"").count(), 1);
    }
}
