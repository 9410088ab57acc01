//! Formatted text written by people (legal texts, articles): a small tree of blocks and inline
//! parts made on the server from Markdown (`core::markdown`) and drawn here as Leptos views.
//! Nothing of it is ever inserted as HTML: every text is a text node, every link target was
//! checked when the tree was made.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A formatted text: its blocks in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RichText {
    pub blocks: Vec<Block>,
}

/// A block of a formatted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    /// A heading, level 2 to 6 (the page has the level-1 heading).
    Heading { level: u8, content: Vec<Inline> },
    Paragraph(Vec<Inline>),
    /// Text of a list item without a paragraph of its own (a tight list).
    Plain(Vec<Inline>),
    List { ordered: bool, start: Option<u64>, items: Vec<Vec<Block>> },
    Quote(Vec<Block>),
    Code(String),
    Rule,
    Table { head: Vec<Vec<Inline>>, rows: Vec<Vec<Vec<Inline>>> },
}

/// A part of a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    Code(String),
    /// A link; `href` is one the portal allows (http(s), mailto, tel, its own paths, anchors).
    Link { href: String, content: Vec<Inline> },
    /// An image from the portal's own paths, with its text alternative.
    Image { src: String, alt: String },
    Break,
}

impl RichText {
    /// The whole text without formatting (for summaries and search).
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            block_plain(b, &mut out);
        }
        out.trim().to_string()
    }
}

fn block_plain(b: &Block, out: &mut String) {
    match b {
        Block::Heading { content, .. } | Block::Paragraph(content) | Block::Plain(content) => inlines_plain(content, out),
        Block::List { items, .. } => items.iter().flatten().for_each(|b| block_plain(b, out)),
        Block::Quote(blocks) => blocks.iter().for_each(|b| block_plain(b, out)),
        Block::Code(code) => out.push_str(code),
        Block::Rule => {}
        Block::Table { head, rows } => head.iter().chain(rows.iter().flatten()).for_each(|c| {
            inlines_plain(c, out);
            out.push(' ');
        }),
    }
    out.push('\n');
}

fn inlines_plain(parts: &[Inline], out: &mut String) {
    for p in parts {
        match p {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) | Inline::Link { content: c, .. } => inlines_plain(c, out),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::Break => out.push(' '),
        }
    }
}

/// A formatted text, drawn inside `<div class=class>`.
#[component]
pub fn Rich(text: RichText, #[prop(into, optional)] class: Option<String>) -> impl IntoView {
    view! { <div class=class.unwrap_or_else(|| "rich-text".into())>{blocks(text.blocks)}</div> }
}

fn blocks(list: Vec<Block>) -> AnyView {
    list.into_iter().map(block).collect_view().into_any()
}

fn block(b: Block) -> AnyView {
    match b {
        Block::Heading { level, content } => {
            let c = inlines(content);
            match level {
                0..=2 => view! { <h2>{c}</h2> }.into_any(),
                3 => view! { <h3>{c}</h3> }.into_any(),
                4 => view! { <h4>{c}</h4> }.into_any(),
                5 => view! { <h5>{c}</h5> }.into_any(),
                _ => view! { <h6>{c}</h6> }.into_any(),
            }
        }
        Block::Paragraph(content) => view! { <p>{inlines(content)}</p> }.into_any(),
        Block::Plain(content) => inlines(content),
        Block::List { ordered: false, items, .. } => view! { <ul>{items.into_iter().map(|i| view! { <li>{blocks(i)}</li> }).collect_view()}</ul> }.into_any(),
        Block::List { ordered: true, start, items } => {
            let start = start.filter(|s| *s != 1).map(|s| s.to_string());
            view! { <ol start=start>{items.into_iter().map(|i| view! { <li>{blocks(i)}</li> }).collect_view()}</ol> }.into_any()
        }
        Block::Quote(inner) => view! { <blockquote>{blocks(inner)}</blockquote> }.into_any(),
        Block::Code(code) => view! { <pre><code>{code}</code></pre> }.into_any(),
        Block::Rule => view! { <hr/> }.into_any(),
        Block::Table { head, rows } => view! {
            <div class="table-scroll">
                <table>
                    <thead><tr>{head.into_iter().map(|c| view! { <th scope="col">{inlines(c)}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{inlines(c)}</td> }).collect_view()}</tr> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    }
}

fn inlines(parts: Vec<Inline>) -> AnyView {
    parts.into_iter().map(inline).collect_view().into_any()
}

fn inline(p: Inline) -> AnyView {
    match p {
        Inline::Text(t) => t.into_any(),
        Inline::Strong(c) => view! { <strong>{inlines(c)}</strong> }.into_any(),
        Inline::Emphasis(c) => view! { <em>{inlines(c)}</em> }.into_any(),
        Inline::Strikethrough(c) => view! { <del>{inlines(c)}</del> }.into_any(),
        Inline::Code(c) => view! { <code>{c}</code> }.into_any(),
        Inline::Link { href, content } => view! { <a href=href>{inlines(content)}</a> }.into_any(),
        Inline::Image { src, alt } => view! { <img src=src alt=alt/> }.into_any(),
        Inline::Break => view! { <br/> }.into_any(),
    }
}
