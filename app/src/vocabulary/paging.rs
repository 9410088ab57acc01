//! Paging: which page of a list is shown, how many there are, and which rows it holds. Every
//! paged list (inbox, register, Wissensportal, audit log, roll-out) reckons with this one type.

/// One page of `total` rows, `per_page` to a page; pages count from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u64,
    pub pages: u64,
    pub per_page: u64,
    pub total: u64,
}

impl Paging {
    /// The page asked for, kept within the pages there are (an empty list has one page).
    pub fn of(asked: u64, per_page: u64, total: u64) -> Paging {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        Paging { page: asked.clamp(1, pages), pages, per_page, total }
    }

    /// The page number of a query value (`seite=3`); anything else is the first page.
    pub fn asked(value: Option<&str>) -> u64 {
        value.and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(1).max(1)
    }

    /// How many rows come before this page.
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.per_page
    }

    /// The rows of this page, counted from 1 (`first..=last`; `0..=0` for an empty list).
    pub fn rows(&self) -> (u64, u64) {
        if self.total == 0 {
            return (0, 0);
        }
        (self.offset() + 1, (self.offset() + self.per_page).min(self.total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_kept_within_the_list() {
        let p = Paging::of(3, 50, 120);
        assert_eq!((p.page, p.pages, p.offset(), p.rows()), (3, 3, 100, (101, 120)));
        assert_eq!(Paging::of(9, 50, 120).page, 3, "beyond the last page: the last");
        assert_eq!(Paging::of(0, 50, 120).page, 1);
        let empty = Paging::of(2, 20, 0);
        assert_eq!((empty.page, empty.pages, empty.rows()), (1, 1, (0, 0)));
        assert_eq!(Paging::asked(Some("x")), 1);
        assert_eq!(Paging::asked(Some(" 4")), 4);
        assert_eq!(Paging::asked(Some("0")), 1);
    }
}
