//! Build-time SVG drawing of a small directed graph of pages.
//!
//! What it is for: the site generator draws how its pages (for example the
//! twelve building blocks of a childcare organisation) link to each other,
//! either as the whole graph or as the neighbourhood of one page.
//!
//! What it takes: the pages as [`GraphNode`]s (slug, title, relative URL),
//! the links as [`GraphEdge`]s (directed, by index into the nodes) and
//! [`GraphOptions`] (accessible title, optional focus page, CSS prefix).
//!
//! What it hands on: [`render_svg`] returns one `<svg>` element as a string,
//! well-formed XML that can be inlined into an HTML5 page or saved as a file.
//! The same input always gives byte-identical output. The drawing:
//!
//! - places the nodes on an ellipse in the given order, clockwise from the
//!   top (or, with a focus, the focus page in the centre and its neighbours
//!   around it), sized from the label boxes so that no two boxes overlap;
//! - makes every node an `<a href>` with an `aria-label` and a `<title>`;
//!   the focus node has the class `P-focus`;
//! - draws a link both ways as one plain line (class `P-mutual`) and a
//!   one-way link as a line with an arrowhead (class `P-oneway`, marker
//!   `#P-arrow`) that ends at the border of the target box; lines between
//!   ring nodes bend gently inwards (and round the focus box, if any);
//! - embeds a `<style>` that, without JavaScript, highlights a hovered or
//!   keyboard-focused node's neighbours and links and dims the rest, and
//!   prints in black on white.
//!
//! Here `P` stands for the CSS prefix: every class and id is `P-…` (the
//! `<svg>` is `P-graph`, its title `#P-title`), so two drawings with
//! different prefixes can share one page. Colours come from CSS custom
//! properties with fallbacks, for the host page to set: `--graph-font`,
//! `--graph-text`, `--graph-node`, `--graph-node-border`,
//! `--graph-node-hover`, `--graph-focus`, `--graph-focus-border`,
//! `--graph-edge`, `--graph-edge-mutual`, `--graph-arrow`, `--graph-accent`
//! and `--graph-focus-ring`.

use std::collections::BTreeSet;
use std::f64::consts::PI;

/// One page of the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphNode {
    /// Page slug (lowercase letters, digits, hyphens); shown if the label is blank.
    pub id: String,
    /// Page title shown in the box; any text, escaped on output.
    pub label: String,
    /// Relative URL of the page, used as the node's link target.
    pub href: String,
}

/// One directed link between two pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphEdge {
    /// Index of the linking page in the node slice.
    pub from: usize,
    /// Index of the linked page in the node slice.
    pub to: usize,
}

/// How to draw the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphOptions<'a> {
    /// Accessible title of the drawing (the `<svg>`'s `<title>`).
    pub title: &'a str,
    /// `None` draws the whole graph; `Some(i)` draws node `i` in the centre
    /// with only the nodes linked to or from it. An index out of range is
    /// treated as `None`.
    pub focus: Option<usize>,
    /// Prefix of every class and id (for example `"bb"`). Characters other
    /// than ASCII letters, digits, `-` and `_` are dropped, and a `g` is put
    /// in front if what is left does not start with a letter or `_`.
    pub css_prefix: &'a str,
}

/// Font size of the labels, in user units.
const FONT: f64 = 15.0;
/// Estimated average width of one character of a label.
const CHAR_W: f64 = 7.9;
/// How much wider a bold label (the focus node's) is.
const BOLD_WIDER: f64 = 1.1;
/// Distance between two label lines.
const LINE_H: f64 = 19.0;
/// Inner padding of a box, left and right.
const PAD_X: f64 = 12.0;
/// Inner padding of a box, top and bottom.
const PAD_Y: f64 = 9.0;
/// Narrowest box.
const MIN_W: f64 = 84.0;
/// Most characters on one label line.
const MAX_CHARS: usize = 19;
/// Most lines of one label.
const MAX_LINES: usize = 3;
/// Least free space between two boxes.
const GAP: f64 = 36.0;
/// Least free space between the focus box and the boxes around it, so that
/// the links to and from the focus are long enough to read.
const CENTRE_GAP: f64 = 80.0;
/// How far a line between two ring nodes bends towards the centre: its
/// middle goes at most this fraction of the way there...
const INWARD: f64 = 0.35;
/// ...and at most this fraction of the line's length.
const BULGE: f64 = 0.12;
/// Least space between the focus box and a curve that goes round it.
const BEND_MARGIN: f64 = 14.0;
/// Space around the drawing inside the viewBox.
const MARGIN: f64 = 12.0;
/// Least distance of the ring from the centre, so that links stay visible.
const MIN_SCALE: f64 = 130.0;
/// Space between a box border and the start of a line.
const START_GAP: f64 = 2.0;
/// Space between a box border and the end of a line (the arrow tip).
const END_GAP: f64 = 3.0;
/// Width-to-height ratios of the ellipse that are tried; the one with the
/// least width plus half the height wins (width sets the text size on a page).
const ASPECTS: [f64; 5] = [1.0, 1.15, 1.3, 1.45, 1.6];

/// A node's box, centred on `(x, y)`.
#[derive(Debug, Clone)]
struct NodeBox {
    /// Index of the node in the caller's slice.
    node: usize,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    lines: Vec<String>,
}

/// A line to draw, by position in [`Layout::boxes`].
#[derive(Debug, Clone, Copy)]
struct Link {
    from: usize,
    to: usize,
    mutual: bool,
}

/// Everything placed: boxes, lines and the size of the viewBox.
#[derive(Debug, Clone)]
struct Layout {
    boxes: Vec<NodeBox>,
    links: Vec<Link>,
    /// Whether the first box is the focus node.
    focused: bool,
    /// Centre of the ring (and of the focus box, if any).
    centre: (f64, f64),
    width: f64,
    height: f64,
}

/// Draws the graph as one `<svg>` element; see the module documentation.
///
/// Duplicate edges, self-loops and edges with an index out of range are
/// ignored.
#[must_use]
pub fn render_svg(nodes: &[GraphNode], edges: &[GraphEdge], options: &GraphOptions<'_>) -> String {
    let p = sanitize_prefix(options.css_prefix);
    let layout = layout(nodes, edges, options.focus);
    let mut out = svg_open(&layout, &p, options.title);
    out.push_str(&style(&layout, &p));
    out.push_str(&defs(&p));
    out.push_str(&links_svg(&layout, &p));
    out.push_str(&nodes_svg(nodes, &layout, &p));
    out.push_str("</svg>\n");
    out
}

/// Places the nodes to show (all, or the focus and its neighbours).
fn layout(nodes: &[GraphNode], edges: &[GraphEdge], focus: Option<usize>) -> Layout {
    let set = edge_set(edges, nodes.len());
    let focus = focus.filter(|&f| f < nodes.len());
    let shown = shown_nodes(&set, nodes.len(), focus);
    let mut boxes: Vec<NodeBox> =
        shown.iter().map(|&i| node_box(i, &nodes[i], focus == Some(i))).collect();
    place(&mut boxes, focus.is_some());
    let links = links(&set, &shown);
    let focused = focus.is_some();
    let mut layout = Layout { boxes, links, focused, centre: (0.0, 0.0), width: 0.0, height: 0.0 };
    fit_view(&mut layout);
    layout
}

/// The distinct directed edges, without self-loops or bad indices.
fn edge_set(edges: &[GraphEdge], n: usize) -> BTreeSet<(usize, usize)> {
    edges
        .iter()
        .filter(|e| e.from != e.to && e.from < n && e.to < n)
        .map(|e| (e.from, e.to))
        .collect()
}

/// All node indices, or the focus followed by its neighbours in order.
fn shown_nodes(set: &BTreeSet<(usize, usize)>, n: usize, focus: Option<usize>) -> Vec<usize> {
    let Some(f) = focus else { return (0..n).collect() };
    let linked = |j: usize| set.contains(&(f, j)) || set.contains(&(j, f));
    std::iter::once(f).chain((0..n).filter(|&j| j != f && linked(j))).collect()
}

/// The lines between shown nodes; a pair linked both ways gives one line.
fn links(set: &BTreeSet<(usize, usize)>, shown: &[usize]) -> Vec<Link> {
    let pos = |i: usize| shown.iter().position(|&s| s == i);
    let mut out = Vec::new();
    for &(a, b) in set {
        let (Some(from), Some(to)) = (pos(a), pos(b)) else { continue };
        let mutual = set.contains(&(b, a));
        if !(mutual && a > b) {
            out.push(Link { from, to, mutual });
        }
    }
    out
}

/// The unplaced box of one node, sized from its wrapped label (wider if the
/// label is bold).
fn node_box(node: usize, n: &GraphNode, bold: bool) -> NodeBox {
    let lines = wrap(&display_label(n));
    let chars = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let char_w = if bold { CHAR_W * BOLD_WIDER } else { CHAR_W };
    let w = (chars as f64 * char_w + 2.0 * PAD_X).max(MIN_W);
    let h = lines.len() as f64 * LINE_H + 2.0 * PAD_Y;
    NodeBox { node, x: 0.0, y: 0.0, w, h, lines }
}

/// The label with runs of white space made single spaces, or the id if blank.
fn display_label(n: &GraphNode) -> String {
    let label = n.label.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.is_empty() {
        return n.id.clone();
    }
    label
}

/// Breaks text into at most [`MAX_LINES`] lines of at most [`MAX_CHARS`].
fn wrap(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace().flat_map(chunks) {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= MAX_CHARS => {
                l.push(' ');
                l.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    shorten(lines)
}

/// Splits a word longer than a line into pieces that fit.
fn chunks(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    chars.chunks(MAX_CHARS).map(|c| c.iter().collect()).collect()
}

/// Keeps the first [`MAX_LINES`] lines, ending the last with `…` if cut.
fn shorten(mut lines: Vec<String>) -> Vec<String> {
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        let last = &mut lines[MAX_LINES - 1];
        let kept: String = last.chars().take(MAX_CHARS - 1).collect();
        *last = format!("{}…", kept.trim_end());
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Sets the box centres around (0, 0) on the most compact ellipse.
fn place(boxes: &mut [NodeBox], centred: bool) {
    let candidates = ASPECTS.iter().map(|&aspect| {
        let units = unit_positions(boxes.len(), centred, aspect);
        let scale = scale_for(&units, boxes, centred);
        (extent_cost(&units, scale, boxes), units, scale)
    });
    let best = candidates.min_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, units, scale)) = best {
        for (b, (ux, uy)) in boxes.iter_mut().zip(units) {
            b.x = ux * scale;
            b.y = uy * scale;
        }
    }
}

/// Positions on an ellipse of height 2 (and the centre first if `centred`),
/// starting at the top and going clockwise.
fn unit_positions(n: usize, centred: bool, aspect: f64) -> Vec<(f64, f64)> {
    let ring = if centred { n.saturating_sub(1) } else { n };
    let centre = if centred && n > 0 { Some((0.0, 0.0)) } else { None };
    let on_ring = (0..ring).map(|k| {
        let t = -PI / 2.0 + 2.0 * PI * k as f64 / ring as f64;
        (aspect * t.cos(), t.sin())
    });
    centre.into_iter().chain(on_ring).collect()
}

/// The least scale of the unit positions at which no two boxes overlap
/// (the first box being the centre one if `centred`).
fn scale_for(units: &[(f64, f64)], boxes: &[NodeBox], centred: bool) -> f64 {
    let mut scale: f64 = if boxes.len() > 1 { MIN_SCALE } else { 0.0 };
    for i in 0..boxes.len() {
        let gap = if centred && i == 0 { CENTRE_GAP } else { GAP };
        for j in i + 1..boxes.len() {
            let d = (units[i].0 - units[j].0, units[i].1 - units[j].1);
            scale = scale.max(pair_scale(d, &boxes[i], &boxes[j], gap));
        }
    }
    scale
}

/// The least scale at which two boxes, `d` apart at scale 1, are separated
/// (with `gap` between them) horizontally or vertically.
fn pair_scale(d: (f64, f64), a: &NodeBox, b: &NodeBox, gap: f64) -> f64 {
    let need =
        |sep: f64, dist: f64| if dist.abs() > 1e-9 { sep / dist.abs() } else { f64::INFINITY };
    let sx = need((a.w + b.w) / 2.0 + gap, d.0);
    let sy = need((a.h + b.h) / 2.0 + gap, d.1);
    let s = sx.min(sy);
    if !s.is_finite() {
        return 0.0;
    }
    s
}

/// Width plus half the height of the boxes placed at a scale.
fn extent_cost(units: &[(f64, f64)], scale: f64, boxes: &[NodeBox]) -> f64 {
    let placed = boxes.iter().zip(units).map(|(b, &(ux, uy))| rect(ux * scale, uy * scale, b));
    let (x0, y0, x1, y1) = bounds(placed);
    (x1 - x0) + (y1 - y0) / 2.0
}

/// Left, top, right and bottom of a box if centred on `(x, y)`.
fn rect(x: f64, y: f64, b: &NodeBox) -> [f64; 4] {
    [x - b.w / 2.0, y - b.h / 2.0, x + b.w / 2.0, y + b.h / 2.0]
}

/// Smallest and largest x and y covered by the rectangles.
fn bounds(rects: impl Iterator<Item = [f64; 4]>) -> (f64, f64, f64, f64) {
    let mut b = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for [l, t, r, bottom] in rects {
        b = (b.0.min(l), b.1.min(t), b.2.max(r), b.3.max(bottom));
    }
    if !b.0.is_finite() {
        return (0.0, 0.0, 0.0, 0.0);
    }
    b
}

/// Points along a curved line (as empty rectangles), so that the viewBox
/// can take them in; none for a straight line, which stays between boxes.
fn curve_points(layout: &Layout, link: &Link) -> Vec<[f64; 4]> {
    let route = link_route(layout, link);
    if route.1.is_none() {
        return Vec::new();
    }
    (0..=16).map(|k| route_point(&route, f64::from(k) / 16.0)).map(|(x, y)| [x, y, x, y]).collect()
}

/// A point of a route, `t` from 0 (start) to 1 (end).
fn route_point(&(s, c, e): &Route, t: f64) -> (f64, f64) {
    let c = c.unwrap_or(((s.0 + e.0) / 2.0, (s.1 + e.1) / 2.0));
    let (u, v, w) = ((1.0 - t) * (1.0 - t), 2.0 * (1.0 - t) * t, t * t);
    (u * s.0 + v * c.0 + w * e.0, u * s.1 + v * c.1 + w * e.1)
}

/// Sizes the viewBox (starting at (0, 0)) to the boxes and curves, with a
/// margin, and moves the drawing into its middle.
fn fit_view(layout: &mut Layout) {
    let curves: Vec<[f64; 4]> = layout.links.iter().flat_map(|l| curve_points(layout, l)).collect();
    let boxes = layout.boxes.iter().map(|b| rect(b.x, b.y, b));
    let (x0, y0, x1, y1) = bounds(boxes.chain(curves));
    layout.width = (x1 - x0 + 2.0 * MARGIN).ceil();
    layout.height = (y1 - y0 + 2.0 * MARGIN).ceil();
    let (dx, dy) = ((layout.width - (x1 - x0)) / 2.0 - x0, (layout.height - (y1 - y0)) / 2.0 - y0);
    for b in &mut layout.boxes {
        b.x += dx;
        b.y += dy;
    }
    layout.centre = (layout.centre.0 + dx, layout.centre.1 + dy);
}

/// Where the line from the centre of box `a` towards a point leaves `a`,
/// plus `gap` further on.
fn border_point(a: &NodeBox, toward: (f64, f64), gap: f64) -> (f64, f64) {
    let (dx, dy) = (toward.0 - a.x, toward.1 - a.y);
    let len = dx.hypot(dy).max(1e-9);
    let reach = |half: f64, d: f64| if d.abs() > 1e-9 { half / d.abs() } else { f64::INFINITY };
    let t = reach(a.w / 2.0, dx).min(reach(a.h / 2.0, dy)).min(1.0) + gap / len;
    (a.x + dx * t, a.y + dy * t)
}

/// Keeps the prefix a safe CSS identifier; see [`GraphOptions::css_prefix`].
fn sanitize_prefix(raw: &str) -> String {
    let clean: String =
        raw.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    match clean.chars().next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => clean,
        _ => format!("g{clean}"),
    }
}

/// Escapes text for XML text and attributes, dropping characters XML forbids.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'.. => {
                out.push(c)
            }
            _ => {}
        }
    }
    out
}

/// A coordinate with one decimal (never `-0.0`).
fn num(v: f64) -> String {
    // Adding 0.0 turns a negative zero into a positive one.
    format!("{:.1}", (v * 10.0).round() / 10.0 + 0.0)
}

/// The opening `<svg>` tag and its `<title>`.
fn svg_open(layout: &Layout, p: &str, title: &str) -> String {
    let (w, h) = (num(layout.width), num(layout.height));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{p}-graph\" viewBox=\"0 0 {w} {h}\" \
         width=\"100%\" style=\"max-width: {w}px; height: auto\" role=\"group\" \
         aria-labelledby=\"{p}-title\">\n<title id=\"{p}-title\">{}</title>\n",
        esc(title)
    )
}

/// Fixed part of the style sheet; `{p}` is replaced by the prefix.
const BASE_CSS: &str = "
.{p}-graph { font-family: var(--graph-font, system-ui, sans-serif); }
.{p}-edge { fill: none; stroke: var(--graph-edge, #a9b7b1); stroke-width: 1.6; }
.{p}-mutual { stroke: var(--graph-edge-mutual, #7f988e); stroke-width: 2.2; }
.{p}-arrowhead { fill: var(--graph-arrow, #7f988e); }
.{p}-arrowhead-hi { fill: var(--graph-accent, #b8693f); }
.{p}-box { fill: var(--graph-node, #f8f6f0); stroke: var(--graph-node-border, #7e9c90); stroke-width: 1.5; }
.{p}-focus .{p}-box { fill: var(--graph-focus, #dfece5); stroke: var(--graph-focus-border, #2f5d50); stroke-width: 2.5; }
.{p}-label { fill: var(--graph-text, #1f2d29); font-size: {font}px; }
.{p}-focus .{p}-label { font-weight: 600; }
.{p}-node, .{p}-edge { transition: opacity .15s, stroke .15s; }
.{p}-node:hover .{p}-box, .{p}-node:focus-visible .{p}-box { fill: var(--graph-node-hover, #fffdf8); stroke: var(--graph-accent, #b8693f); stroke-width: 2.5; }
.{p}-node:hover .{p}-label { text-decoration: underline; }
.{p}-node:focus { outline: none; }
.{p}-node:focus-visible { outline: 3px solid var(--graph-focus-ring, #1f5fbf); outline-offset: 3px; }
@media (prefers-reduced-motion: reduce) { .{p}-node, .{p}-edge { transition: none; } }
@media print {
.{p}-box, .{p}-focus .{p}-box { fill: #fff !important; stroke: #000 !important; }
.{p}-label { fill: #000 !important; }
.{p}-edge { stroke: #000 !important; }
.{p}-arrowhead, .{p}-arrowhead-hi { fill: #000 !important; }
.{p}-node, .{p}-edge { opacity: 1 !important; }
}
";

/// Per-node highlight rules: (what to select, declarations); `{i}` is the
/// hovered or focused node, `{p}` the prefix.
const HOVER_CSS: [(&str, &str); 5] = [
    (".{p}-edge:not(.{p}-adj-{i})", "opacity: .12;"),
    (".{p}-node:not(.{p}-n-{i}, .{p}-adj-{i})", "opacity: .4;"),
    (".{p}-edge.{p}-adj-{i}", "stroke: var(--graph-accent, #b8693f); stroke-width: 2.6;"),
    (".{p}-oneway.{p}-adj-{i}", "marker-end: url(#{p}-arrow-hi);"),
    (".{p}-node.{p}-adj-{i} .{p}-box", "stroke: var(--graph-accent, #b8693f); stroke-width: 2;"),
];

/// The embedded `<style>` element.
fn style(layout: &Layout, p: &str) -> String {
    let mut css = BASE_CSS.replace("{p}", p).replace("{font}", &FONT.to_string());
    for (target, decls) in HOVER_CSS {
        css.push_str(&hover_rule(layout, p, target, decls));
    }
    format!("<style>{css}</style>\n")
}

/// One highlight rule with a selector for every shown node.
fn hover_rule(layout: &Layout, p: &str, target: &str, decls: &str) -> String {
    if layout.boxes.is_empty() {
        return String::new();
    }
    let template =
        format!("svg.{{p}}-graph:has(.{{p}}-n-{{i}}:hover, .{{p}}-n-{{i}}:focus-visible) {target}");
    let selectors: Vec<String> = layout
        .boxes
        .iter()
        .map(|b| template.replace("{p}", p).replace("{i}", &b.node.to_string()))
        .collect();
    format!("{} {{ {} }}\n", selectors.join(",\n"), decls.replace("{p}", p))
}

/// The arrowhead markers, plain and highlighted.
fn defs(p: &str) -> String {
    let marker = |id: &str, class: &str| {
        format!(
            "<marker id=\"{p}-{id}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"11\" \
             markerHeight=\"11\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">\
             <path class=\"{p}-{class}\" d=\"M0,0 L10,5 L0,10 z\"/></marker>"
        )
    };
    format!("<defs>{}{}</defs>\n", marker("arrow", "arrowhead"), marker("arrow-hi", "arrowhead-hi"))
}

/// All lines, drawn below the nodes.
fn links_svg(layout: &Layout, p: &str) -> String {
    let lines: String = layout.links.iter().map(|l| link_svg(layout, l, p)).collect();
    format!("<g class=\"{p}-edges\">\n{lines}</g>\n")
}

/// One line as a path; a one-way line gets an arrowhead.
fn link_svg(layout: &Layout, link: &Link, p: &str) -> String {
    let (a, b) = (layout.boxes[link.from].node, layout.boxes[link.to].node);
    let (kind, marker) = if link.mutual {
        ("mutual", String::new())
    } else {
        ("oneway", format!(" marker-end=\"url(#{p}-arrow)\""))
    };
    let d = path_data(&link_route(layout, link));
    format!(
        "<path class=\"{p}-edge {p}-{kind} {p}-adj-{a} {p}-adj-{b}\" d=\"{d}\" fill=\"none\"{marker}/>\n"
    )
}

/// Start, optional control point of a curve, and end of a line.
type Route = ((f64, f64), Option<(f64, f64)>, (f64, f64));

/// The `d` attribute of a route: a straight line or a quadratic curve.
fn path_data(&(start, bend, end): &Route) -> String {
    let pt = |(x, y): (f64, f64)| format!("{},{}", num(x), num(y));
    match bend {
        Some(c) => format!("M{} Q{} {}", pt(start), pt(c), pt(end)),
        None => format!("M{} L{}", pt(start), pt(end)),
    }
}

/// Where a line starts and ends, clipped to both box borders (leaving room
/// for the arrowhead of a one-way line), and how it bends, if it does.
fn link_route(layout: &Layout, link: &Link) -> Route {
    let (a, b) = (&layout.boxes[link.from], &layout.boxes[link.to]);
    let bend = bend(layout, link);
    let start = border_point(a, bend.unwrap_or((b.x, b.y)), START_GAP);
    let end_gap = if link.mutual { START_GAP } else { END_GAP };
    (start, bend, border_point(b, bend.unwrap_or((a.x, a.y)), end_gap))
}

/// The control point of a curved line between two ring nodes, or `None`
/// for a straight one (a link of the focus node, or a line through the
/// centre). A line bends gently towards the centre (see [`INWARD`] and
/// [`BULGE`]), so that it keeps clear of the boxes it passes on the ring.
/// With a focus it bends less, or away from the centre, so that its middle,
/// and so all of it, passes the focus box with [`BEND_MARGIN`] to spare.
fn bend(layout: &Layout, link: &Link) -> Option<(f64, f64)> {
    if layout.focused && (link.from == 0 || link.to == 0) {
        return None;
    }
    let (a, b) = (&layout.boxes[link.from], &layout.boxes[link.to]);
    let mid = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    let (n, side) = chord_normal(layout.centre, a, b);
    let mut shift = (side * INWARD).min((b.x - a.x).hypot(b.y - a.y) * BULGE);
    if layout.focused {
        let o = &layout.boxes[0];
        shift = shift.min(side - (n.0.abs() * o.w / 2.0 + n.1.abs() * o.h / 2.0 + BEND_MARGIN));
    }
    (shift.abs() >= 0.5).then_some((mid.0 - n.0 * 2.0 * shift, mid.1 - n.1 * 2.0 * shift))
}

/// The unit normal of the line from box `a` to box `b` that points away
/// from `o`, and the distance of the line from `o`.
fn chord_normal(o: (f64, f64), a: &NodeBox, b: &NodeBox) -> ((f64, f64), f64) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx.hypot(dy).max(1e-9);
    let side = (-dy * (a.x - o.0) + dx * (a.y - o.1)) / len;
    let sign = if side < 0.0 { -1.0 } else { 1.0 };
    ((-dy / len * sign, dx / len * sign), side * sign)
}

/// All nodes, drawn above the lines.
fn nodes_svg(nodes: &[GraphNode], layout: &Layout, p: &str) -> String {
    let items: String = layout
        .boxes
        .iter()
        .enumerate()
        .map(|(pos, b)| node_svg(&nodes[b.node], b, &node_classes(layout, pos, p), p))
        .collect();
    format!("<g class=\"{p}-nodes\">\n{items}</g>\n")
}

/// Classes of the node at a position: its own, focus, and one per neighbour.
fn node_classes(layout: &Layout, pos: usize, p: &str) -> String {
    let focus = if layout.focused && pos == 0 { format!(" {p}-focus") } else { String::new() };
    let other = |l: &Link| match (l.from == pos, l.to == pos) {
        (true, _) => Some(l.to),
        (_, true) => Some(l.from),
        _ => None,
    };
    let adjacent: BTreeSet<usize> =
        layout.links.iter().filter_map(other).map(|q| layout.boxes[q].node).collect();
    let adj: String = adjacent.iter().map(|j| format!(" {p}-adj-{j}")).collect();
    format!("{p}-node {p}-n-{}{focus}{adj}", layout.boxes[pos].node)
}

/// One node: a link wrapping its box and label.
fn node_svg(node: &GraphNode, b: &NodeBox, classes: &str, p: &str) -> String {
    let label = esc(&display_label(node));
    format!(
        "<a href=\"{}\" class=\"{classes}\" aria-label=\"{label}\"><title>{label}</title>\
         <rect class=\"{p}-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\"/>{}</a>\n",
        esc(&node.href),
        num(b.x - b.w / 2.0),
        num(b.y - b.h / 2.0),
        num(b.w),
        num(b.h),
        label_svg(b, p)
    )
}

/// The label's lines, centred in the box. The lines are joined by a space, so that the
/// text a screen reader (and axe's label-content check) reads is the label, not
/// its words run together.
fn label_svg(b: &NodeBox, p: &str) -> String {
    let top = b.y - b.lines.len() as f64 * LINE_H / 2.0;
    let spans: Vec<String> = b
        .lines
        .iter()
        .enumerate()
        .map(|(k, line)| {
            let baseline = top + (k as f64 + 0.5) * LINE_H + 0.35 * FONT;
            format!("<tspan x=\"{}\" y=\"{}\">{}</tspan>", num(b.x), num(baseline), esc(line))
        })
        .collect();
    let spans = spans.join(" ");
    format!("<text class=\"{p}-label\" text-anchor=\"middle\">{spans}</text>")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLES: [&str; 12] = [
        "Vision & Values",
        "Leadership & Governance",
        "Safeguarding",
        "Staffing & Recruitment",
        "Training & Professional Development",
        "Early Learning Curriculum",
        "Health & Safety",
        "Parent Partnership",
        "Inclusion & SEND",
        "Premises & Environment",
        "Finance & Funding",
        "Quality Improvement",
    ];

    /// Mutual: 0-1, 2-3, 5-7. One-way: 1→3, 2→6, 8→2, 4→5, 11→1, 10→9.
    /// Also a duplicate (1→3 twice), a self-loop and an index out of range.
    const LINKS: [(usize, usize); 14] = [
        (0, 1),
        (1, 0),
        (1, 3),
        (1, 3),
        (2, 3),
        (3, 2),
        (2, 6),
        (8, 2),
        (4, 5),
        (5, 7),
        (7, 5),
        (11, 1),
        (10, 9),
        (6, 6),
    ];

    fn node(i: usize, label: &str) -> GraphNode {
        GraphNode {
            id: format!("block-{i}"),
            label: label.to_string(),
            href: format!("../block-{i}/"),
        }
    }

    fn sample() -> (Vec<GraphNode>, Vec<GraphEdge>) {
        let nodes = TITLES.iter().enumerate().map(|(i, t)| node(i, t)).collect();
        let mut edges: Vec<GraphEdge> =
            LINKS.iter().map(|&(from, to)| GraphEdge { from, to }).collect();
        edges.push(GraphEdge { from: 3, to: 99 });
        (nodes, edges)
    }

    fn render(focus: Option<usize>) -> String {
        let (nodes, edges) = sample();
        render_svg(&nodes, &edges, &GraphOptions { title: "Blocks", focus, css_prefix: "bb" })
    }

    /// The start tags of one element name, e.g. `tags(svg, "a")`.
    fn tags<'s>(svg: &'s str, name: &str) -> Vec<&'s str> {
        let open = format!("<{name} ");
        svg.match_indices(&open).map(|(i, _)| &svg[i..i + svg[i..].find('>').unwrap()]).collect()
    }

    /// The `<path>` tags of the lines between nodes.
    fn edge_tags(svg: &str) -> Vec<&str> {
        tags(svg, "path").into_iter().filter(|t| t.contains("-edge ")).collect()
    }

    /// A small well-formedness check: one root, balanced tags, quoted and
    /// unique attributes, no raw `<` or stray `&` in text or values.
    fn check_xml(xml: &str) -> Result<(), String> {
        let (mut stack, mut roots, mut rest) = (Vec::new(), 0, xml.trim());
        while !rest.is_empty() {
            let Some(after_lt) = rest.strip_prefix('<') else {
                let end = rest.find('<').unwrap_or(rest.len());
                if stack.is_empty() {
                    return Err("text outside the root".into());
                }
                check_text(&rest[..end])?;
                rest = &rest[end..];
                continue;
            };
            let end = after_lt.find('>').ok_or("unterminated tag")?;
            let tag = &after_lt[..end];
            rest = &after_lt[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                if stack.pop() != Some(name) {
                    return Err(format!("unbalanced </{name}>"));
                }
                continue;
            }
            roots += usize::from(stack.is_empty());
            let (body, empty) = tag.strip_suffix('/').map_or((tag, false), |b| (b, true));
            let name = check_start_tag(body)?;
            if !empty {
                stack.push(name);
            }
        }
        if !stack.is_empty() || roots != 1 {
            return Err("unclosed or many roots".into());
        }
        Ok(())
    }

    fn check_start_tag(body: &str) -> Result<&str, String> {
        let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
        let name = &body[..name_end];
        check_name(name)?;
        let (mut seen, mut rest) = (BTreeSet::new(), body[name_end..].trim_start());
        while !rest.is_empty() {
            let eq = rest.find('=').ok_or("attribute without value")?;
            check_name(&rest[..eq])?;
            if !seen.insert(&rest[..eq]) {
                return Err(format!("duplicate attribute {}", &rest[..eq]));
            }
            let value = rest[eq + 1..].strip_prefix('"').ok_or("unquoted attribute")?;
            let close = value.find('"').ok_or("unterminated attribute")?;
            check_text(&value[..close])?;
            let after = &value[close + 1..];
            if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
                return Err("attributes not separated".into());
            }
            rest = after.trim_start();
        }
        Ok(name)
    }

    fn check_name(name: &str) -> Result<(), String> {
        let mut chars = name.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c));
        if !(first_ok && rest_ok) {
            return Err(format!("bad name {name:?}"));
        }
        Ok(())
    }

    fn check_text(text: &str) -> Result<(), String> {
        if text.contains('<') {
            return Err(format!("raw < in {text:?}"));
        }
        for (i, _) in text.match_indices('&') {
            let entity = text[i + 1..].split(';').next().unwrap_or_default();
            let numeric = entity.strip_prefix('#').is_some_and(|n| {
                n.strip_prefix('x')
                    .map_or(!n.is_empty() && n.chars().all(|c| c.is_ascii_digit()), |h| {
                        !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit())
                    })
            });
            let named = ["amp", "lt", "gt", "quot", "apos"].contains(&entity);
            if !(numeric || named) || !text[i..].contains(';') {
                return Err(format!("stray & in {text:?}"));
            }
        }
        Ok(())
    }

    fn assert_no_overlap(layout: &Layout) {
        for (i, a) in layout.boxes.iter().enumerate() {
            assert!(a.x - a.w / 2.0 >= 0.0 && a.x + a.w / 2.0 <= layout.width, "box {i} outside");
            assert!(a.y - a.h / 2.0 >= 0.0 && a.y + a.h / 2.0 <= layout.height, "box {i} outside");
            for (j, b) in layout.boxes.iter().enumerate().skip(i + 1) {
                let apart_x = (a.x - b.x).abs() >= (a.w + b.w) / 2.0;
                let apart_y = (a.y - b.y).abs() >= (a.h + b.h) / 2.0;
                assert!(apart_x || apart_y, "boxes {i} and {j} overlap: {a:?} {b:?}");
            }
        }
    }

    #[test]
    fn checker_rejects_broken_xml() {
        assert!(check_xml("<a><b></a></b>").is_err());
        assert!(check_xml("<a x=1/>").is_err());
        assert!(check_xml("<a>&</a>").is_err());
        assert!(check_xml("<a x=\"1\" x=\"2\"/>").is_err());
        assert!(check_xml("<a/><b/>").is_err());
        assert_eq!(check_xml("<a x=\"&amp;&#39;\"><b/>t &lt;</a>"), Ok(()));
    }

    #[test]
    fn output_is_well_formed_xml() {
        for focus in [None, Some(2), Some(11), Some(99)] {
            let svg = render(focus);
            assert_eq!(check_xml(&svg), Ok(()), "focus {focus:?}");
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        }
        assert_eq!(
            check_xml(&render_svg(
                &[],
                &[],
                &GraphOptions { title: "", focus: None, css_prefix: "" }
            )),
            Ok(())
        );
    }

    #[test]
    fn svg_is_a_labelled_group() {
        let svg = render(None);
        let root = tags(&svg, "svg")[0];
        assert!(root.contains("role=\"group\"") && root.contains("aria-labelledby=\"bb-title\""));
        assert!(root.contains("width=\"100%\"") && root.contains("max-width"));
        assert!(svg.contains("<title id=\"bb-title\">Blocks</title>"));
    }

    #[test]
    fn every_node_is_one_link_with_href_and_label() {
        let svg = render(None);
        let links = tags(&svg, "a");
        assert_eq!(links.len(), 12);
        for (i, (a, title)) in links.iter().zip(TITLES).enumerate() {
            let label = esc(title);
            assert!(a.contains(&format!("href=\"../block-{i}/\"")), "{a}");
            assert!(a.contains(&format!("aria-label=\"{label}\"")), "{a}");
            assert!(a.contains(&format!(" bb-n-{i} ")) || a.contains(&format!(" bb-n-{i}\"")));
            assert!(svg.contains(&format!("<title>{label}</title>")));
        }
    }

    #[test]
    fn example_boxes_do_not_overlap() {
        let (nodes, edges) = sample();
        assert_no_overlap(&layout(&nodes, &edges, None));
        assert_no_overlap(&layout(&nodes, &edges, Some(2)));
    }

    #[test]
    fn boxes_never_overlap_for_1_to_40_nodes() {
        let labels = ["A", "Safeguarding", "Training & Professional Development", "x y", TITLES[1]];
        for n in 1..=40 {
            let nodes: Vec<GraphNode> = (0..n).map(|i| node(i, labels[i % labels.len()])).collect();
            let star: Vec<GraphEdge> = (1..n).map(|i| GraphEdge { from: i, to: 0 }).collect();
            assert_no_overlap(&layout(&nodes, &star, None));
            assert_no_overlap(&layout(&nodes, &star, Some(0)));
            assert_no_overlap(&layout(&nodes, &star, Some(n - 1)));
        }
    }

    #[test]
    fn mutual_lines_have_no_marker_and_one_way_lines_one() {
        let svg = render(None);
        let lines = edge_tags(&svg);
        let (mutual, oneway): (Vec<&str>, Vec<&str>) =
            lines.iter().partition(|l| l.contains("bb-mutual"));
        assert_eq!((mutual.len(), oneway.len()), (3, 6));
        assert!(mutual.iter().all(|l| !l.contains("marker")));
        assert!(oneway.iter().all(|l| l.matches("marker-end=\"url(#bb-arrow)\"").count() == 1));
        assert!(svg.contains("<marker id=\"bb-arrow\""));
    }

    #[test]
    fn one_way_lines_end_at_the_target_border() {
        let (nodes, edges) = sample();
        let layout = layout(&nodes, &edges, None);
        for link in layout.links.iter().filter(|l| !l.mutual) {
            let b = &layout.boxes[link.to];
            let route = link_route(&layout, link);
            let (x, y) = route.2;
            let outside = ((x - b.x).abs() - b.w / 2.0).max((y - b.y).abs() - b.h / 2.0);
            assert!(outside > 0.0 && outside <= END_GAP + 1e-9, "{outside}");
            assert!(render(None).contains(&format!("d=\"{}\"", path_data(&route))));
        }
    }

    #[test]
    fn lines_between_neighbours_go_round_the_focus() {
        for n in 3..=16 {
            let nodes: Vec<GraphNode> = (0..n).map(|i| node(i, TITLES[i % 12])).collect();
            let all: Vec<GraphEdge> =
                (0..n).flat_map(|from| (0..n).map(move |to| GraphEdge { from, to })).collect();
            let layout = layout(&nodes, &all, Some(0));
            let o = &layout.boxes[0];
            for link in layout.links.iter().filter(|l| l.from != 0 && l.to != 0) {
                let route = link_route(&layout, link);
                for (x, y) in (0..=100).map(|k| route_point(&route, f64::from(k) / 100.0)) {
                    let inside = (x - o.x).abs() < o.w / 2.0 && (y - o.y).abs() < o.h / 2.0;
                    assert!(!inside, "n={n} {route:?}");
                }
            }
            assert_eq!(
                check_xml(&render_svg(
                    &nodes,
                    &all,
                    &GraphOptions { title: "", focus: Some(0), css_prefix: "f" }
                )),
                Ok(())
            );
        }
    }

    #[test]
    fn labels_titles_and_hrefs_are_escaped() {
        let nodes = vec![
            GraphNode {
                id: "a".into(),
                label: "Tom & \"Jerry's\" <b>\u{1}".into(),
                href: "?a=1&b=\"2\"".into(),
            },
            node(1, "Plain"),
        ];
        let edges = [GraphEdge { from: 0, to: 1 }];
        let svg = render_svg(
            &nodes,
            &edges,
            &GraphOptions { title: "<T&'>", focus: None, css_prefix: "bb" },
        );
        assert_eq!(check_xml(&svg), Ok(()));
        let label = "Tom &amp; &quot;Jerry&#39;s&quot; &lt;b&gt;";
        assert!(svg.contains(&format!("aria-label=\"{label}\"")));
        assert!(svg.contains(&format!("<title>{label}</title>")));
        assert!(svg.contains("href=\"?a=1&amp;b=&quot;2&quot;\""));
        assert!(
            svg.contains("&lt;T&amp;&#39;&gt;") && !svg.contains("<b>") && !svg.contains('\u{1}')
        );
    }

    #[test]
    fn focus_mode_shows_only_the_neighbourhood() {
        let svg = render(Some(2));
        let shown = [2, 3, 6, 8];
        let links = tags(&svg, "a");
        assert_eq!(links.len(), shown.len());
        for (a, i) in links.iter().zip(shown) {
            assert!(a.contains(&format!("href=\"../block-{i}/\"")));
        }
        assert!(links[0].contains("bb-focus"));
        assert!(links[1..].iter().all(|a| !a.contains("bb-focus")));
        let lines = edge_tags(&svg);
        assert_eq!(lines.len(), 3);
        for class in lines.iter().flat_map(|l| l.split(' ')).filter(|c| c.starts_with("bb-adj-")) {
            let i: usize = class["bb-adj-".len()..].trim_matches('"').parse().unwrap();
            assert!(shown.contains(&i), "{class}");
        }
    }

    #[test]
    fn duplicates_self_loops_and_bad_indices_are_ignored() {
        let (nodes, edges) = sample();
        let layout = layout(&nodes, &edges, None);
        assert_eq!(layout.links.len(), 9);
        assert!(layout.links.iter().all(|l| l.from != l.to));
    }

    #[test]
    fn hover_rules_cover_every_node() {
        let svg = render(None);
        for i in 0..12 {
            assert!(svg.contains(&format!(
                ":has(.bb-n-{i}:hover, .bb-n-{i}:focus-visible) .bb-edge:not(.bb-adj-{i})"
            )));
        }
        let node3 = tags(&svg, "a")[3];
        assert!(node3.contains("bb-adj-1 bb-adj-2\""), "{node3}");
        assert!(svg.contains("@media print") && svg.contains("var(--graph-node, "));
    }

    #[test]
    fn output_is_byte_identical_twice() {
        assert_eq!(render(None), render(None));
        assert_eq!(render(Some(5)), render(Some(5)));
    }

    #[test]
    fn long_labels_wrap_to_at_most_three_lines() {
        let lines = wrap("The quite extraordinarily long title of a building block that goes on");
        assert_eq!(lines.len(), MAX_LINES);
        assert!(lines.iter().all(|l| l.chars().count() <= MAX_CHARS));
        assert!(lines[2].ends_with('…'));
        assert_eq!(wrap("Safeguarding"), ["Safeguarding"]);
        assert_eq!(wrap("   "), [""]);
    }

    #[test]
    fn prefix_is_sanitized() {
        assert_eq!(sanitize_prefix("bb"), "bb");
        assert_eq!(sanitize_prefix("2 <x>"), "g2x");
        assert_eq!(sanitize_prefix(""), "g");
        assert_eq!(num(-0.01), "0.0");
    }
}
