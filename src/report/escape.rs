//! Escaping for the text formats: one implementation each, tested here.

/// Text or attribute content in HTML and XML.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// XML 1.0 text/attribute content: [`html`] plus dropping characters XML
/// cannot carry at all (control characters other than tab and newlines).
pub fn xml(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    html(&cleaned).replace('\n', "&#10;").replace('\r', "&#13;")
}

/// Percent-encode a `/`-separated relative path for a URI reference:
/// unreserved characters and `/` stay, everything else (spaces, Vietnamese
/// letters as UTF-8 bytes, `#`, `?`, `%`) is encoded.
pub fn uri_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Markdown table cell or list text: no raw HTML, no table breaks.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// GitHub workflow command message data.
pub fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub workflow command property value (`file=…,title=…`).
pub fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(xml("a\u{1}b\nc"), "ab&#10;c");
        assert_eq!(
            uri_path("1.2.1 Báo cáo/a#b.pdf"),
            "1.2.1%20B%C3%A1o%20c%C3%A1o/a%23b.pdf"
        );
        assert_eq!(markdown("a|b <i>"), "a\\|b &lt;i&gt;");
        assert_eq!(gh_data("50%\nx"), "50%25%0Ax");
        assert_eq!(gh_property("a:b,c"), "a%3Ab%2Cc");
    }
}
