//! `tlkc trust list`: what signatures are judged against — the builtin
//! government CA certificates, the ones a folder or the command line adds,
//! and the known CAs whose certificate tlkc lacks.

use std::io::{self, Write};
use std::path::PathBuf;

use chrono::Utc;

use crate::findings::Lang;
use crate::inspect::signature::{bundle, summarise};

/// The builtin bundle (`None` when turned off) and the declared anchor
/// files with the certificates (DER) read from each.
pub fn list(
    builtin: Option<&bundle::Bundle>,
    declared: &[(PathBuf, Vec<Vec<u8>>)],
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let t = |vi: &str, en: &str| match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => en.to_string(),
    };
    let until = |d: Option<chrono::DateTime<Utc>>| {
        d.map(|d| crate::time::vi_date(d.with_timezone(&crate::time::VIETNAM).date_naive()))
            .unwrap_or_else(|| "?".into())
    };
    if let Some(b) = builtin {
        writeln!(
            out,
            "{}",
            t(
                "Chứng thư số có sẵn trong tlkc (Ban Cơ yếu Chính phủ). Gốc là điểm tin cậy; CA trung gian chỉ dùng để dựng chuỗi tới gốc.",
                "Certificates built into tlkc (Government Cipher Committee). Roots are trust anchors; intermediate CAs only complete chains to them."
            )
        )?;
        for c in &b.certificates {
            let role = match c.role {
                bundle::Role::Root => t("gốc", "root"),
                bundle::Role::Intermediate => t("CA trung gian", "intermediate CA"),
            };
            writeln!(out, "  {} [{role}]", c.name)?;
            writeln!(
                out,
                "      SHA-256 {}  {} {}",
                c.sha256,
                t("hiệu lực đến", "valid until"),
                until(Some(c.not_after))
            )?;
        }
        for m in &b.missing {
            writeln!(
                out,
                "{}",
                t(
                    &format!("Đã biết nhưng chưa có chứng thư: {} (cấp bởi {}; SHA-256 bắt đầu {}; công bố là {}). Chữ ký do CA này cấp mà tệp không kèm chứng thư của nó được báo \"chưa đủ chuỗi\" (SIG006), không phải \"không tin cậy\".", m.subject_cn, m.issuer_cn, m.sha256_prefix, m.published_as),
                    &format!("Known but not available: {} (issued by {}; SHA-256 starts {}; published as {}). Signatures it issued whose file does not embed it are \"chain incomplete\" (SIG006), not \"untrusted\".", m.subject_cn, m.issuer_cn, m.sha256_prefix, m.published_as),
                )
            )?;
        }
    } else {
        writeln!(
            out,
            "{}",
            t(
                "Không dùng chứng thư có sẵn của tlkc (--no-builtin-trust hoặc [trust] builtin = false).",
                "The builtin certificates are turned off (--no-builtin-trust or [trust] builtin = false)."
            )
        )?;
    }
    if !declared.is_empty() {
        writeln!(out, "{}", t("Khai báo thêm:", "Declared:"))?;
    }
    for (f, certs) in declared {
        for der in certs {
            let Some(c) = summarise(der) else { continue };
            writeln!(
                out,
                "  {} [{}] ({})",
                c.name,
                t("gốc khai báo", "declared anchor"),
                f.display()
            )?;
            writeln!(
                out,
                "      SHA-256 {}  {} {}",
                c.sha256,
                t("hiệu lực đến", "valid until"),
                until(c.not_after)
            )?;
        }
    }
    Ok(())
}
