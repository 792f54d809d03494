//! Diacritic folding for search: "Đăng ký khai sinh" → "dang ky khai sinh".
//! NFD strips the combining marks; "đ"/"Đ" is a letter of its own (no decomposition), so it
//! is mapped by hand.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

pub fn fold(s: &str) -> String {
    // Char by char rather than through the NFD stream: the marks are dropped anyway, so their
    // canonical order does not matter, and ASCII (most of any text) needs no table lookup.
    // Every task and note goes through here when it is indexed for search.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c == 'đ' || c == 'Đ' {
            out.push('d');
        } else {
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.push(d.to_lowercase().next().unwrap_or(d));
                }
            });
        }
    }
    out
}

/// NFC, trimmed: the form every text is stored in.
pub fn clean(s: &str) -> String {
    s.trim().nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fold as first written, through the NFD stream: the reference the fast form must equal.
    fn fold_by_nfd(s: &str) -> String {
        s.nfd()
            .filter(|c| !is_combining_mark(*c))
            .map(|c| match c {
                'đ' | 'Đ' => 'd',
                c => c.to_lowercase().next().unwrap_or(c),
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn equals_the_nfd_fold(s in "\\PC{0,40}", v in "[a-zA-ZàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵĐÀÁẢÃẠ ̣́̀]{0,40}") {
            proptest::prop_assert_eq!(fold(&s), fold_by_nfd(&s));
            proptest::prop_assert_eq!(fold(&v), fold_by_nfd(&v));
        }
    }

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("Công an xã"), "cong an xa");
        assert_eq!(fold("ỦY BAN NHÂN DÂN"), "uy ban nhan dan");
    }
}
