//! Vietnamese text typed with the legacy 8-bit fonts — TCVN3 (ABC, ".VnTime") and VNI
//! ("VNI-Times") — read as if it were Unicode: recognised so that the officer is told which
//! encoding it is, instead of importing gibberish.
//!
//! TCVN3 puts each toned vowel in one byte of 0xA1–0xFE, most of them symbols in Latin-1
//! ("Nh©n d©n", "c¸c"); VNI writes a plain vowel followed by a mark byte ("Nhaân daân").

/// Latin-1 symbols that TCVN3 uses for Vietnamese letters and that Unicode Vietnamese text
/// never has between letters.
fn tcvn3_symbol(c: char) -> bool {
    matches!(c, '\u{a1}'..='\u{bf}') && !matches!(c, '\u{a0}' | '\u{a7}' | '\u{ab}' | '\u{bb}' | '\u{b0}' | '\u{b7}')
        || matches!(c, '\u{d7}' | '\u{f7}')
}

/// Whether `c` after `prev` is a VNI mark. VNI writes "ô" as "oâ", "ă" as "aê", tones as
/// "ø ù û õ ï", "ư" as "ö": pairs and characters that Unicode Vietnamese never has (it writes
/// "hoàn", "quân" with precomposed letters, which are not counted).
fn vni_mark(prev: char, c: char) -> bool {
    let vowel = "aeiouyAEIOUY".contains(prev);
    match c {
        // Not Vietnamese letters at all.
        '\u{f8}' | '\u{fb}' | '\u{ef}' | '\u{e4}' | '\u{e5}' | '\u{eb}' | '\u{d8}' | '\u{db}' | '\u{cf}' | '\u{c4}'
        | '\u{c5}' | '\u{cb}' => vowel,
        // "ö"/"Ö" stand for "ư"/"Ư" after a consonant ("thöïc").
        '\u{f6}' | '\u{d6}' => prev.is_ascii_alphabetic(),
        // A circumflex or breve on a vowel that already is one ("aâ", "eâ", "oâ", "aê").
        '\u{e2}' | '\u{c2}' => matches!(prev, 'a' | 'e' | 'o' | 'A' | 'E' | 'O'),
        '\u{ea}' | '\u{ca}' => matches!(prev, 'a' | 'A'),
        _ => false,
    }
}

fn detect(chars: impl Iterator<Item = char>) -> Option<&'static str> {
    let (mut letters, mut symbols, mut vni, mut prev) = (0usize, 0usize, 0usize, ' ');
    for c in chars {
        if c.is_alphabetic() {
            letters += 1;
        }
        // Between two letters a symbol is a letter of TCVN3 ("c¸c").
        if tcvn3_symbol(c) && prev.is_alphabetic() {
            symbols += 1;
        }
        if vni_mark(prev, c) {
            vni += 1;
        }
        prev = c;
    }
    if letters < 20 {
        return None;
    }
    // Unicode Vietnamese has none of either; a legacy text has one every few words.
    if symbols * 100 >= letters {
        Some("TCVN3 (ABC)")
    } else if vni * 100 >= letters * 2 {
        Some("VNI")
    } else {
        None
    }
}

/// Text already decoded (from a .docx whose runs use a legacy font, or UTF-8 text).
pub fn detect_text(text: &str) -> Option<&'static str> {
    detect(text.chars().take(200_000))
}

/// Bytes that are not UTF-8, read as Windows-1252/Latin-1.
pub fn detect_bytes(bytes: &[u8]) -> Option<&'static str> {
    detect(bytes.iter().take(200_000).map(|b| char::from(*b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_vietnamese_is_not_legacy() {
        let t = "Ủy ban nhân dân xã Chư Răng ban hành Kế hoạch thực hiện Đề án 06 năm 2023 trên địa bàn xã; Công an xã chủ trì, phối hợp với các ban, ngành.";
        assert_eq!(detect_text(t), None);
    }

    #[test]
    fn tcvn3_and_vni_are_named() {
        // "Ủy ban nhân dân xã … các cơ quan" as typed with .VnTime (TCVN3).
        let tcvn3: Vec<u8> = b"\xa6y ban nh\xa9n d\xa9n x\xb7 Ch\xad R\xa8ng ban h\xb5nh K\xd5 ho\xb9ch th\xf9c hi\xd6n c\xb8c nhi\xd6m v\xf4 c\xf1a \xae\xd2 \xb8n".to_vec();
        assert_eq!(detect_bytes(&tcvn3), Some("TCVN3 (ABC)"));
        // The same with VNI-Times.
        let vni: Vec<u8> = b"U\xdby ban nhaa\xe2n da\xe2n xa\xf5 Ch\xf6 Ra\xeang ban ha\xf8nh Ke\xe1 hoa\xefch th\xf6\xefc hie\xe4n ca\xf9c nhie\xe4m vu\xef".to_vec();
        assert_eq!(detect_bytes(&vni), Some("VNI"));
    }
}
