//! Markdown written by people (administrators' legal texts, advisors' articles) becomes a
//! [`RichText`] tree with pulldown-cmark. The tree holds text and checked link targets only:
//! raw HTML in the Markdown is kept as visible text, links other than http(s), mailto, tel, the
//! portal's own paths and anchors lose their target, images only come from the portal's own
//! paths, headings start at level 2, and nesting deeper than [`MAX_DEPTH`] is flattened so that
//! no text can make drawing it recurse without end.

use crate::ui::rich::{Block, Inline, RichText};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag};

/// The deepest nesting of quotes, lists and emphasis kept; deeper parts join their parent.
pub const MAX_DEPTH: usize = 16;

/// Whether a link target is one the portal allows.
pub fn safe_link(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:"].iter().any(|p| u.starts_with(p)) || own_path(&u) || u.starts_with('#')
}

fn own_path(u: &str) -> bool {
    u.starts_with('/') && !u.starts_with("//") && !u.starts_with("/\\")
}

enum Kind {
    Root,
    Paragraph,
    Heading(u8),
    Quote,
    Code,
    Raw,
    List { ordered: bool, start: Option<u64> },
    Item,
    Table,
    TableHead,
    TableRow,
    Cell,
    Strong,
    Emphasis,
    Strike,
    Link(String),
    Image(String),
    /// Beyond the nesting limit or not supported: its content joins the parent.
    Transparent,
}

struct Frame {
    kind: Kind,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    items: Vec<Vec<Block>>,
    cells: Vec<Vec<Inline>>,
    head: Vec<Vec<Inline>>,
    rows: Vec<Vec<Vec<Inline>>>,
}

impl Frame {
    fn new(kind: Kind) -> Self {
        Frame { kind, blocks: Vec::new(), inlines: Vec::new(), items: Vec::new(), cells: Vec::new(), head: Vec::new(), rows: Vec::new() }
    }

    /// Loose inline parts before a block become a block of their own.
    fn flush(&mut self) {
        if !self.inlines.is_empty() {
            let parts = std::mem::take(&mut self.inlines);
            if parts.iter().any(|p| !matches!(p, Inline::Text(t) if t.trim().is_empty())) {
                self.blocks.push(Block::Plain(parts));
            }
        }
    }

    fn add_block(&mut self, b: Block) {
        self.flush();
        self.blocks.push(b);
    }

    fn text(&self) -> String {
        let mut s = String::new();
        for p in &self.inlines {
            inline_text(p, &mut s);
        }
        s
    }
}

fn inline_text(p: &Inline, out: &mut String) {
    match p {
        Inline::Text(t) | Inline::Code(t) => out.push_str(t),
        Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) | Inline::Link { content: c, .. } => c.iter().for_each(|p| inline_text(p, out)),
        Inline::Image { alt, .. } => out.push_str(alt),
        Inline::Break => out.push('\n'),
    }
}

fn level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 | HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The tree of a Markdown text.
pub fn parse(markdown: &str) -> RichText {
    let mut stack = vec![Frame::new(Kind::Root)];
    let mut depth = 0usize;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        // The root frame is never taken off (an unbalanced end is ignored), so there is a top.
        let nested = stack.len() > 1;
        let Some(top) = stack.last_mut() else { break };
        match event {
            Event::Start(tag) => {
                let nests = matches!(tag, Tag::BlockQuote(_) | Tag::List(_) | Tag::Emphasis | Tag::Strong | Tag::Strikethrough);
                let parent_transparent = matches!(top.kind, Kind::Transparent);
                let kind = if nests && depth >= MAX_DEPTH {
                    Kind::Transparent
                } else {
                    match tag {
                        Tag::Paragraph => Kind::Paragraph,
                        Tag::Heading { level: l, .. } => Kind::Heading(level(l)),
                        Tag::BlockQuote(_) => Kind::Quote,
                        Tag::CodeBlock(_) => Kind::Code,
                        Tag::HtmlBlock => Kind::Raw,
                        Tag::List(start) => Kind::List { ordered: start.is_some(), start },
                        Tag::Item if !parent_transparent => Kind::Item,
                        Tag::Table(_) => Kind::Table,
                        Tag::TableHead => Kind::TableHead,
                        Tag::TableRow => Kind::TableRow,
                        Tag::TableCell => Kind::Cell,
                        Tag::Strong => Kind::Strong,
                        Tag::Emphasis => Kind::Emphasis,
                        Tag::Strikethrough => Kind::Strike,
                        Tag::Link { dest_url, .. } => Kind::Link(if safe_link(&dest_url) { dest_url.trim().to_string() } else { "#".into() }),
                        Tag::Image { dest_url, .. } => Kind::Image(dest_url.trim().to_string()),
                        _ => Kind::Transparent,
                    }
                };
                if nests && !matches!(kind, Kind::Transparent) {
                    depth += 1;
                }
                stack.push(Frame::new(kind));
            }
            Event::End(_) if nested => {
                let Some(done) = stack.pop() else { break };
                if matches!(done.kind, Kind::Quote | Kind::List { .. } | Kind::Strong | Kind::Emphasis | Kind::Strike) {
                    depth -= 1;
                }
                let Some(parent) = stack.last_mut() else { break };
                close(done, parent);
            }
            Event::End(_) => {}
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) | Event::InlineMath(t) | Event::DisplayMath(t) => top.inlines.push(Inline::Text(t.to_string())),
            Event::Code(c) => top.inlines.push(Inline::Code(c.to_string())),
            Event::FootnoteReference(f) => top.inlines.push(Inline::Text(format!("[^{f}]"))),
            Event::TaskListMarker(done) => top.inlines.push(Inline::Text(if done { "☑ " } else { "☐ " }.into())),
            Event::SoftBreak => top.inlines.push(Inline::Text(" ".into())),
            Event::HardBreak => top.inlines.push(Inline::Break),
            Event::Rule => top.add_block(Block::Rule),
        }
    }
    let mut root = stack.swap_remove(0);
    root.flush();
    RichText { blocks: root.blocks }
}

/// Hands a finished frame to its parent.
fn close(mut done: Frame, parent: &mut Frame) {
    let kind = std::mem::replace(&mut done.kind, Kind::Transparent);
    match kind {
        Kind::Paragraph => parent.add_block(Block::Paragraph(done.inlines)),
        Kind::Heading(level) => parent.add_block(Block::Heading { level, content: done.inlines }),
        Kind::Quote => {
            done.flush();
            parent.add_block(Block::Quote(done.blocks));
        }
        Kind::Code => parent.add_block(Block::Code(done.text())),
        Kind::Raw => {
            let text = done.text();
            if !text.trim().is_empty() {
                parent.add_block(Block::Paragraph(vec![Inline::Text(text.trim_end().to_string())]));
            }
        }
        Kind::List { ordered, start } => parent.add_block(Block::List { ordered, start, items: done.items }),
        Kind::Item => {
            done.flush();
            parent.items.push(done.blocks);
        }
        Kind::Table => parent.add_block(Block::Table { head: done.head, rows: done.rows }),
        Kind::TableHead => parent.head = done.cells,
        Kind::TableRow => parent.rows.push(done.cells),
        Kind::Cell => parent.cells.push(done.inlines),
        Kind::Strong => parent.inlines.push(Inline::Strong(done.inlines)),
        Kind::Emphasis => parent.inlines.push(Inline::Emphasis(done.inlines)),
        Kind::Strike => parent.inlines.push(Inline::Strikethrough(done.inlines)),
        Kind::Link(href) => parent.inlines.push(Inline::Link { href, content: done.inlines }),
        Kind::Image(src) => {
            let alt = done.text();
            let lower = src.to_ascii_lowercase();
            if own_path(&lower) {
                parent.inlines.push(Inline::Image { src, alt });
            } else if safe_link(&lower) {
                parent.inlines.push(Inline::Link { href: src, content: vec![Inline::Text(if alt.is_empty() { "Bild".into() } else { alt })] });
            } else {
                parent.inlines.push(Inline::Text(alt));
            }
        }
        Kind::Root | Kind::Transparent => {
            for b in done.blocks {
                parent.add_block(b);
            }
            parent.inlines.append(&mut done.inlines);
            parent.items.append(&mut done.items);
            parent.cells.append(&mut done.cells);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_links(t: &RichText) -> Vec<String> {
        fn walk_i(p: &[Inline], out: &mut Vec<String>) {
            for i in p {
                match i {
                    Inline::Link { href, content } => {
                        out.push(href.clone());
                        walk_i(content, out)
                    }
                    Inline::Image { src, .. } => out.push(src.clone()),
                    Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) => walk_i(c, out),
                    _ => {}
                }
            }
        }
        fn walk_b(b: &[Block], out: &mut Vec<String>) {
            for x in b {
                match x {
                    Block::Heading { content, .. } | Block::Paragraph(content) | Block::Plain(content) => walk_i(content, out),
                    Block::List { items, .. } => items.iter().for_each(|i| walk_b(i, out)),
                    Block::Quote(q) => walk_b(q, out),
                    Block::Table { head, rows } => head.iter().chain(rows.iter().flatten()).for_each(|c| walk_i(c, out)),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk_b(&t.blocks, &mut out);
        out
    }

    #[test]
    fn raw_html_stays_text_and_unsafe_targets_are_dropped() {
        let t = parse(
            "# Titel\n\n<script>alert(1)</script>\n\nText <img src=x onerror=alert(2)> [a](javascript:alert(3)) [b](https://example.org) [c](/impressum) [d](//evil.example) [e]( JAVASCRIPT:x) [f](data:text/html,x) [g](/\\evil.example)\n\n![svg](data:image/svg+xml,<svg/onload=alert(4)>) ![x](https://tracker.example/p.png) ![ok](/wissen/anhang/1)\n\n<svg onload=alert(5)>",
        );
        assert_eq!(t.blocks[0], Block::Heading { level: 2, content: vec![Inline::Text("Titel".into())] });
        assert_eq!(t.blocks[1], Block::Paragraph(vec![Inline::Text("<script>alert(1)</script>".into())]));
        let links = all_links(&t);
        assert_eq!(links, ["#", "https://example.org", "/impressum", "#", "#", "#", "#", "https://tracker.example/p.png", "/wissen/anhang/1"]);
        let plain = t.plain();
        assert!(plain.contains("<img src=x onerror=alert(2)>") && plain.contains("<svg onload=alert(5)>"), "{plain}");
    }

    #[test]
    fn lists_tables_and_emphasis_keep_their_shape() {
        let t = parse("1. **eins** und *zwei*\n2. `drei`\n\n- a\n  - b\n\n| A | B |\n|---|---|\n| 1 | ~~2~~ |\n\n> Zitat\n\n---");
        assert_eq!(
            t.blocks[0],
            Block::List {
                ordered: true,
                start: Some(1),
                items: vec![
                    vec![Block::Plain(vec![Inline::Strong(vec![Inline::Text("eins".into())]), Inline::Text(" und ".into()), Inline::Emphasis(vec![Inline::Text("zwei".into())])])],
                    vec![Block::Plain(vec![Inline::Code("drei".into())])],
                ],
            }
        );
        let Block::List { ordered: false, items, .. } = &t.blocks[1] else { panic!("{:?}", t.blocks[1]) };
        assert!(matches!(items[0][1], Block::List { .. }), "nested list: {items:?}");
        assert_eq!(
            t.blocks[2],
            Block::Table { head: vec![vec![Inline::Text("A".into())], vec![Inline::Text("B".into())]], rows: vec![vec![vec![Inline::Text("1".into())], vec![Inline::Strikethrough(vec![Inline::Text("2".into())])]]] }
        );
        assert_eq!(t.blocks[3], Block::Quote(vec![Block::Paragraph(vec![Inline::Text("Zitat".into())])]));
        assert_eq!(t.blocks[4], Block::Rule);
    }

    #[test]
    fn deep_nesting_is_flattened_not_followed() {
        fn depth(b: &[Block]) -> usize {
            b.iter()
                .map(|x| match x {
                    Block::Quote(q) => 1 + depth(q),
                    Block::List { items, .. } => 1 + items.iter().map(|i| depth(i)).max().unwrap_or(0),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        let t = parse(&format!("{}tief", ">".repeat(50_000)));
        assert!(depth(&t.blocks) <= MAX_DEPTH, "{}", depth(&t.blocks));
        assert_eq!(t.plain(), "tief");
        let lists = parse(&(0..200).map(|i| format!("{}- {i}\n", "  ".repeat(i))).collect::<String>());
        assert!(depth(&lists.blocks) <= MAX_DEPTH + 1);
        assert!(lists.plain().contains("199"));
        let stars = parse(&format!("{}x{}", "*_".repeat(5000), "_*".repeat(5000)));
        assert!(stars.plain().contains('x'));
    }
}
