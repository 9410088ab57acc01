//! The kinds of file the portal accepts as attachments (cases, Wissensportal articles), in words
//! for hints and messages; the server recognises each by its content (`core::files`).

pub const ACCEPTED: &str = "PDF, PNG, JPEG, GIF, Word, Excel, PowerPoint (auch OpenDocument), Text und CSV";
