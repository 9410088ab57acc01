//! The names of the browser assets as the build left them: with content hashes
//! (`ozg-portal.<hash>.css`) when the build wrote its hash file beside the server binary, plain
//! otherwise. Read once; hashed names let browsers keep the files for a year without asking
//! again, since a new build brings new names.

use std::sync::OnceLock;

/// The build's output name (the `name` of the Leptos metadata in `Cargo.toml`).
pub const OUTPUT_NAME: &str = "ozg-portal";
/// The hash file cargo-leptos writes beside the server binary.
pub const HASH_FILE: &str = "hash.txt";

/// The asset file names of this build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    /// Whether the names carry content hashes.
    pub hashed: bool,
    pub css: String,
    pub js: String,
    pub wasm: String,
}

impl Assets {
    /// Names from the hash file's text (`js: …`, `wasm: …`, `css: …` lines); plain names
    /// when the text is missing or incomplete.
    pub fn from_hash_file(text: Option<&str>) -> Assets {
        let plain = Assets { hashed: false, css: format!("{OUTPUT_NAME}.css"), js: format!("{OUTPUT_NAME}.js"), wasm: format!("{OUTPUT_NAME}.wasm") };
        let Some(text) = text else { return plain };
        let hash = |kind: &str| {
            text.lines().filter_map(|l| l.split_once(':')).find(|(k, _)| k.trim() == kind).map(|(_, h)| h.trim().to_string()).filter(|h| !h.is_empty())
        };
        match (hash("css"), hash("js"), hash("wasm")) {
            (Some(c), Some(j), Some(w)) => Assets {
                hashed: true,
                css: format!("{OUTPUT_NAME}.{c}.css"),
                js: format!("{OUTPUT_NAME}.{j}.js"),
                wasm: format!("{OUTPUT_NAME}.{w}.wasm"),
            },
            _ => plain,
        }
    }
}

/// This build's assets (the hash file beside the running binary, read once).
pub fn current() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let path = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join(HASH_FILE)));
        let text = path.and_then(|p| std::fs::read_to_string(p).ok());
        Assets::from_hash_file(text.as_deref())
    })
}

/// The stylesheet's address.
pub fn css_href() -> String {
    format!("/pkg/{}", current().css)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_come_from_the_hash_file_and_plain_names_without_it() {
        let a = Assets::from_hash_file(Some("js: Ab-1\nwasm: Cd_2\ncss: Ef3\n"));
        assert!(a.hashed);
        assert_eq!((a.css.as_str(), a.js.as_str(), a.wasm.as_str()), ("ozg-portal.Ef3.css", "ozg-portal.Ab-1.js", "ozg-portal.Cd_2.wasm"));
        let p = Assets::from_hash_file(None);
        assert!(!p.hashed);
        assert_eq!(p.css, "ozg-portal.css");
        assert!(!Assets::from_hash_file(Some("js: x\n")).hashed, "an incomplete file means plain names");
    }
}
