//! The shared vocabulary of every room: codes as enums, made by one macro.
//!
//! ```ignore
//! crate::vocabulary::code_enum! {
//!     /// The statuses of an application.
//!     pub enum Status {
//!         Received = ("eingegangen", "eingegangen"),
//!         Granted = ("bewilligt", "bewilligt"),
//!     }
//! }
//! assert_eq!(Status::from_code("bewilligt"), Some(Status::Granted));
//! ```
//!
//! Each enum gets `ALL` (in the order written), `code()` (what is stored, sent and put in
//! URLs), `label()` (German, what a person reads), `from_code()`, serde as its code, on the
//! server a sea-orm value (so it binds in a statement as its code) and an OpenAPI schema of
//! its codes. Rules about a code are methods on the enum, written beside it in its room.
//! Entities use the enum as a column type (a string column holding the code).

pub mod accounts;
pub mod audit;
pub mod announcements;
pub mod cases;
pub mod files;
pub mod funding;
pub mod gremien;
pub mod knowledge;
pub mod lagebild;
pub mod legal;
pub mod money;
pub mod notify;
pub mod paging;
pub mod register;
pub mod rollout;
pub mod services;
pub mod surveys;
pub mod usage;
pub mod webhooks;

/// Declares a code enum; see the module documentation.
macro_rules! code_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] #[cfg_attr(feature = "ssr", sea_orm(string_value = $code))] $variant),+
        }

        impl $name {
            /// Every code, in the order written.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code as it is stored and sent.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The German label.
            pub const fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }

            /// The enum of a stored or submitted code.
            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The enum of a cell a person wrote: its code or its label, in any ASCII case.
            pub fn from_text(text: &str) -> Option<$name> {
                let t = text.trim();
                $name::ALL.iter().copied().find(|v| v.code().eq_ignore_ascii_case(t) || v.label().eq_ignore_ascii_case(t))
            }

            /// The label of a stored code, or "unbekannt" for a code this version does not know.
            pub fn label_of(code: &str) -> &'static str {
                $name::from_code(code).map($name::label).unwrap_or("unbekannt")
            }
        }

        // The schema of its codes, written out: utoipa's derive does not see a `serde(rename)`
        // whose value comes from a macro and would document the variants' names.
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {
            fn name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use code_enum;

#[cfg(test)]
mod tests {
    crate::vocabulary::code_enum! {
        /// A test vocabulary.
        pub enum Light {
            Red = ("rot", "Rot"),
            Green = ("gruen", "Grün"),
        }
    }

    #[test]
    fn codes_labels_and_serde_agree() {
        assert_eq!(Light::ALL, &[Light::Red, Light::Green]);
        assert_eq!(Light::Green.code(), "gruen");
        assert_eq!(Light::Green.label(), "Grün");
        assert_eq!(Light::from_code("rot"), Some(Light::Red));
        assert_eq!(Light::from_code("Rot"), None);
        assert_eq!(serde_json::to_string(&Light::Green).expect("json"), "\"gruen\"");
        assert_eq!(serde_json::from_str::<Light>("\"rot\"").expect("json"), Light::Red);
        assert!(serde_json::from_str::<Light>("\"blau\"").is_err());
        assert_eq!(Light::Red.to_string(), "Rot");
        assert_eq!(Light::label_of("gruen"), "Grün");
        assert_eq!(Light::label_of("lila"), "unbekannt");
        assert_eq!(Light::from_text(" ROT "), Some(Light::Red));
        assert_eq!(Light::from_text("Grün"), Some(Light::Green));
    }

}
