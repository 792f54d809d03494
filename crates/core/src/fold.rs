//! Diacritic folding for search: "Đăng ký khai sinh" → "dang ky khai sinh".
//! NFD strips the combining marks; "đ"/"Đ" is a letter of its own (no decomposition), so it
//! is mapped by hand.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c.to_lowercase().next().unwrap_or(c),
        })
        .collect()
}

/// NFC, trimmed: the form every text is stored in.
pub fn clean(s: &str) -> String {
    s.trim().nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("Công an xã"), "cong an xa");
        assert_eq!(fold("ỦY BAN NHÂN DÂN"), "uy ban nhan dan");
    }
}
