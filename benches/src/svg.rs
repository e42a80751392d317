//! A hand-written SVG chart (no plotting dependency): panels of horizontal grouped bars, one
//! group per workload, one bar per series, each bar scaled to the largest value in its group so
//! workloads of very different speeds share one axis ("share of the best").

use std::fmt::Write;

/// One bar group: a label and one value per series (`None`: the series did not run).
#[derive(Clone, Debug)]
pub struct Group {
    /// The group's label (a workload).
    pub label: String,
    /// One value per series.
    pub values: Vec<Option<f64>>,
}

/// One panel of groups under a title (e.g. one thread count).
#[derive(Clone, Debug)]
pub struct Panel {
    /// The panel's title.
    pub title: String,
    /// Its groups, top to bottom.
    pub groups: Vec<Group>,
}

/// Bar colours by series index; the first series (ours) gets the strong red.
const PALETTE: [&str; 10] = [
    "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#bcbd22",
    "#7f7f7f", "#17becf",
];

const LABEL_W: f64 = 250.0;
const BAR_W: f64 = 260.0;
const VALUE_W: f64 = 60.0;
const PANEL_W: f64 = LABEL_W + BAR_W + VALUE_W + 20.0;
const BAR_H: f64 = 8.0;
const GROUP_GAP: f64 = 10.0;
const TOP: f64 = 70.0;

/// Renders `panels` side by side; `series` names the bars (legend), `unit` labels values.
pub fn render(title: &str, series: &[&str], unit: &str, panels: &[Panel]) -> String {
    let groups = panels.iter().map(|p| p.groups.len()).max().unwrap_or(0);
    let group_h = BAR_H * series.len() as f64 + GROUP_GAP;
    let legend_h = 20.0 * series.len().div_ceil(4) as f64 + 10.0;
    let height = TOP + groups as f64 * group_h + legend_h + 20.0;
    let width = PANEL_W * panels.len().max(1) as f64 + 20.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="11">"##
    );
    let _ = writeln!(svg, r##"<rect width="100%" height="100%" fill="white"/>"##);
    let _ = writeln!(
        svg,
        r##"<text x="10" y="22" font-size="15" font-weight="bold">{}</text>"##,
        escape(title)
    );
    let _ = writeln!(
        svg,
        r##"<text x="10" y="40" fill="#555">bar length: share of the fastest map in each workload; numbers: {}</text>"##,
        escape(unit)
    );
    for (p, panel) in panels.iter().enumerate() {
        let x0 = 10.0 + p as f64 * PANEL_W;
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="13" font-weight="bold">{}</text>"##,
            x0 + LABEL_W,
            TOP - 12.0,
            escape(&panel.title)
        );
        for (g, group) in panel.groups.iter().enumerate() {
            let y0 = TOP + g as f64 * group_h;
            let _ = writeln!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
                x0 + LABEL_W - 6.0,
                y0 + BAR_H * series.len() as f64 / 2.0 + 4.0,
                escape(&group.label)
            );
            let best = group.values.iter().flatten().copied().fold(0.0, f64::max);
            for (s, value) in group.values.iter().enumerate() {
                let y = y0 + s as f64 * BAR_H;
                let Some(v) = *value else { continue };
                let w = if best > 0.0 { v / best * BAR_W } else { 0.0 };
                let colour = PALETTE[s % PALETTE.len()];
                let _ = writeln!(
                    svg,
                    r##"<rect x="{:.1}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{colour}"><title>{}: {v:.2}</title></rect>"##,
                    x0 + LABEL_W,
                    BAR_H - 1.0,
                    escape(series.get(s).copied().unwrap_or("?"))
                );
                let _ = writeln!(
                    svg,
                    r##"<text x="{:.1}" y="{:.1}" font-size="8" fill="#333">{v:.2}</text>"##,
                    x0 + LABEL_W + w + 3.0,
                    y + BAR_H - 1.5
                );
            }
        }
    }
    let legend_y = TOP + groups as f64 * group_h + 10.0;
    for (s, name) in series.iter().enumerate() {
        let x = 10.0 + LABEL_W + (s % 4) as f64 * 170.0;
        let y = legend_y + (s / 4) as f64 * 20.0;
        let colour = PALETTE[s % PALETTE.len()];
        let _ = writeln!(
            svg,
            r##"<rect x="{x:.1}" y="{y:.1}" width="12" height="12" fill="{colour}"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            x + 16.0,
            y + 10.0,
            escape(name)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// Escapes text for SVG.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_bars_legend_and_escapes() {
        let panel = Panel {
            title: "1 thread".to_owned(),
            groups: vec![Group {
                label: "lookup 8 B".to_owned(),
                values: vec![Some(10.0), None, Some(5.0)],
            }],
        };
        let svg = render("t", &["ours", "Mutex<BTreeMap>", "x"], "Mops/s", &[panel]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert!(svg.contains("Mutex&lt;BTreeMap&gt;"));
        assert!(
            svg.contains(r##"width="260.0""##),
            "the best bar is full width"
        );
        assert!(
            svg.contains(r##"width="130.0""##),
            "half the best is half width"
        );
        assert_eq!(
            svg.matches("<title>").count(),
            2,
            "a missing value draws no bar"
        );
    }
}
