//! The signature family's finding codes: number, name, severity, the
//! explanation `tlkc explain` prints, and how reports treat them.

use crate::checks::family::{Family, Reads};
use crate::findings::{Code, Diag, Handling, Severity, Text};

/// The signature family: the codes it owns and what it reads.
pub static FAMILY: Family = Family {
    name: "signature",
    about: "Are the digital signatures valid, unmodified, trusted and complete?",
    reads: &[
        Reads::Pdf,
        Reads::Document,
        Reads::Signatures,
        Reads::Ruleset,
        Reads::Config,
    ],
    owns: &[
        &SIG002, &SIG003, &SIG004, &SIG005, &SIG006, &SIG007, &SIG008,
    ],
    borrows: &[],
};

pub static SIG002: Diag = Diag {
    code: Code::Sig002,
    name: "signature-invalid",
    severity: Severity::Error,
    summary: Text {
        vi: "Chữ ký số không hợp lệ",
        en: "Digital signature invalid",
    },
    explain: Text {
        vi: "Chữ ký có trong tệp nhưng không xác thực được: giá trị băm của phần được ký không khớp (tệp bị sửa sau khi ký), chữ ký mật mã sai, hoặc dữ liệu CMS hỏng/giả mạo. Một chữ ký như vậy không chứng minh điều gì. Các chữ ký của một tệp hỏng cùng một nguyên nhân được báo một lần, nêu nguyên nhân và cách sửa: tệp bị chèn dữ liệu lạ trước phần đầu PDF (do tải xuống, sao chép lỗi; nếu bỏ phần đó đi chữ ký vẫn đúng thì chỉ cần tải lại bản gốc, không ký lại), tệp bị sửa hoặc lưu lại sau khi ký (nêu phần mềm lưu tệp), cấu trúc chữ ký hỏng, giá trị chữ ký sai, thuật toán yếu. Tệp đặt mật khẩu được báo ở PDF002. Chữ ký dùng thuật toán mà chính sách thuật toán của bộ tiêu chí không chấp nhận (mặc định: băm MD5 hoặc SHA-1 — trừ SHA-1 của hệ thống chứng thực Chính phủ —, khóa RSA dưới 2048 bit, đường cong elliptic dưới 256 bit) cũng không được tính; thông báo nêu thuật toán và thời điểm ký. tlkc.toml có thể nới chính sách ([algorithm_policy], bắt buộc ghi lý do).\nCách xử lý: lấy lại bản gốc đã ký từ hệ thống quản lý văn bản; với thuật toán yếu, ký lại bằng chứng thư và thuật toán hiện hành.",
        en: "A signature is present but does not verify: the digest of the signed bytes does not match (the file changed after signing), the cryptographic signature is wrong, or the CMS data is damaged or forged. Such a signature proves nothing. A file's signatures that fail for the same cause are reported once, with the cause and the fix: stray bytes before the PDF header (a broken download or copy; when the signatures verify with them skipped, download the original again, do not re-sign), the file edited or re-saved after signing (naming the software that saved it), a broken signature structure, a wrong signature value, a weak algorithm. A file that needs a password is reported by PDF002. A signature whose algorithm the ruleset's algorithm policy does not accept (by default: an MD5 or SHA-1 digest, except SHA-1 from the government PKI, an RSA key under 2048 bits, an elliptic curve under 256 bits) does not count either; the message names the algorithm and the signing time. A folder's tlkc.toml may relax the policy ([algorithm_policy], with a mandatory reason).\nFix: take the original signed file from the document system again; for a weak algorithm, sign again with a current certificate and algorithm.",
    },
    handling: Handling::PLAIN,
};

pub static SIG003: Diag = Diag {
    code: Code::Sig003,
    name: "signature-modified-or-partial",
    severity: Severity::Error,
    summary: Text {
        vi: "Văn bản bị sửa sau khi ký hoặc chữ ký không phủ toàn bộ",
        en: "Modified after signing, or partial coverage",
    },
    explain: Text {
        vi: "Sau bản đã ký có bản cập nhật thay đổi nội dung trang, chú thích, trường biểu mẫu hoặc danh mục; hoặc vùng ký (ByteRange) không phủ toàn bộ văn bản. Những thay đổi hợp lệ (thêm chữ ký, dấu thời gian, DSS) và dấu vết của phần mềm ký số (dấu phiên bản /ITXT, /PieceInfo, /Perms của người ký sau, /NeedAppearances, siêu dữ liệu XMP) không bị báo; mục `changes` ghi rõ từng dấu vết. Mỗi đối tượng được xét theo vai trò nó có trong bản đã ký: nội dung trang đã ký (luồng nội dung, tài nguyên, phông chữ nhúng, chú thích, trang) mà bị sửa thì luôn bị báo, dù bản cập nhật gán cho nó vai trò được phép nào.\nCách xử lý: nộp đúng tệp đã ký, không chỉnh sửa sau khi ký.",
        en: "A later revision changes page content, annotations, form values or the catalog after the signature, or the signed byte range does not cover the whole document. Allowed later changes (more signatures, timestamps, DSS) and the signing software's own artefacts (an /ITXT version marker, /PieceInfo, a later signer's /Perms, /NeedAppearances, XMP metadata) are not reported; `changes` lists each artefact. Each object is judged by the role it had in the signed revision: signed page content (content streams, resources, embedded fonts, annotations, pages) that was rewritten is always reported, whatever allowed role the update gives it.\nFix: submit the signed file as signed, without later edits.",
    },
    handling: Handling::PLAIN,
};

pub static SIG004: Diag = Diag {
    code: Code::Sig004,
    name: "signer-set-incomplete",
    severity: Severity::Warning,
    summary: Text {
        vi: "Thiếu chữ ký của người có thẩm quyền hoặc của cơ quan",
        en: "Decree 30 signer set incomplete",
    },
    explain: Text {
        vi: "Văn bản điện tử có giá trị như bản gốc khi có chữ ký số của người có thẩm quyền và chữ ký số của cơ quan, tổ chức (Nghị định 30/2020/NĐ-CP, Điều 5, 13). Văn bản này chỉ có một trong hai. Bản sao điện tử (bản quét) chỉ cần chữ ký của cơ quan nên không bị báo.\nCách xử lý: văn thư ký số cơ quan (hoặc lãnh đạo ký số) trên hệ thống.",
        en: "An electronic document has the legal value of the original when signed by the competent person and by the organisation (Decree 30/2020, Art. 5, 13). This one has only one of the two. Electronic copies (scans) need only the organisation's signature and are not reported.\nFix: have the clerk apply the organisation's signature (or the leader sign) in the document system.",
    },
    handling: Handling::PLAIN,
};

pub static SIG005: Diag = Diag {
    code: Code::Sig005,
    name: "signer-untrusted",
    severity: Severity::Error,
    summary: Text {
        vi: "Chứng thư số không tin cậy, hết hạn hoặc bị thu hồi",
        en: "Signer certificate not trusted, expired or revoked",
    },
    explain: Text {
        vi: "tlkc dựng chuỗi chứng thư từ chứng thư của người ký lên tới một chứng thư gốc tin cậy: các chứng thư của Ban Cơ yếu Chính phủ có sẵn trong tlkc (`tlkc trust list`) và chứng thư khai báo thêm (--trust-anchor, [trust] anchors trong tlkc.toml). Mỗi mắt xích phải khớp tên VÀ chữ ký số của tổ chức cấp; tổ chức cấp phải được phép cấp chứng thư (ràng buộc cơ bản và mục đích sử dụng khóa của chứng thư). Báo lỗi khi: chứng thư tự cấp (tự ký); chứng thư mang tên một tổ chức chứng thực của Chính phủ nhưng không do tổ chức đó cấp (chữ ký không khớp khóa: giả mạo tên); chuỗi dẫn tới tổ chức chứng thực không ai khai báo; chứng thư trong chuỗi đã hết hạn hoặc chưa có hiệu lực tại thời điểm ký (giờ Việt Nam; chữ ký không ghi thời điểm thì xét tại ngày đánh giá as_of); hoặc chứng thư bị thu hồi trước thời điểm ký theo danh sách thu hồi (CRL) người dùng cung cấp (--crl, [trust] crls).\nCách xử lý: ký số lại bằng chứng thư số còn hiệu lực do Ban Cơ yếu Chính phủ cấp; nếu người ký dùng tổ chức chứng thực hợp pháp khác, khai báo chứng thư gốc của tổ chức đó trong [trust] anchors.",
        en: "tlkc builds the chain from the signer's certificate up to a trusted root: the Government Cipher Committee's certificates built into tlkc (`tlkc trust list`) and any declared ones (--trust-anchor, [trust] anchors in tlkc.toml). Each link must match by name AND verify under the issuer's key; each issuer must be allowed to issue certificates (basic constraints, key usage). The error is given for: a self-signed certificate; a certificate that carries the name of a government CA but was not issued by it (its signature does not verify under that CA's key: a copied name); a chain to a CA nobody declared; a certificate of the chain expired or not yet valid at the signing time (Vietnam time; for a signature without a time, at the evaluation date as_of); a certificate revoked before the signing time according to a revocation list (CRL) the user gave (--crl, [trust] crls).\nFix: sign again with a valid certificate issued by the Government Cipher Committee; if the signer uses another lawful certification authority, declare its root certificate in [trust] anchors.",
    },
    handling: Handling::PLAIN,
};

pub static SIG006: Diag = Diag {
    code: Code::Sig006,
    name: "signer-chain-incomplete",
    severity: Severity::Warning,
    summary: Text {
        vi: "Chưa dựng được đủ chuỗi chứng thư: thiếu chứng thư của tổ chức chứng thực",
        en: "Certificate chain incomplete: a known CA's certificate is missing",
    },
    explain: Text {
        vi: "Chứng thư của người ký do một tổ chức chứng thực đã biết của Ban Cơ yếu Chính phủ cấp (ví dụ \"CA phục vụ các cơ quan Đảng G2\"), nhưng tlkc chưa có chứng thư của tổ chức đó và tệp PDF không kèm theo, nên không xác minh được chữ ký của tổ chức cấp. Đây không phải là chữ ký giả: chỉ là chưa đủ dữ liệu để kết luận, nên là cảnh báo, không phải lỗi.\nCách xử lý: kiểm tra chữ ký bằng phần mềm ký số của Ban Cơ yếu Chính phủ, hoặc lấy chứng thư của tổ chức chứng thực đó (trang ca.gov.vn) và khai báo trong [trust] anchors của tlkc.toml.",
        en: "The signer's certificate was issued by a known CA of the Government Cipher Committee (e.g. \"CA phục vụ các cơ quan Đảng G2\") whose certificate tlkc does not have and the PDF does not embed, so the issuer's signature cannot be verified. This is not a forgery, only a verdict that cannot be reached, hence a warning and not an error.\nFix: check the signature with the Government Cipher Committee's signing software, or obtain that CA's certificate (ca.gov.vn) and declare it in [trust] anchors of tlkc.toml.",
    },
    handling: Handling::PLAIN,
};

pub static SIG007: Diag = Diag {
    code: Code::Sig007,
    name: "revocation-not-checked",
    severity: Severity::Info,
    summary: Text {
        vi: "Chưa kiểm tra thu hồi chứng thư số",
        en: "Certificate revocation not checked",
    },
    explain: Text {
        vi: "tlkc không bao giờ truy cập mạng, nên chỉ kiểm tra thu hồi chứng thư khi người dùng cung cấp danh sách thu hồi (CRL) của tổ chức cấp. Không có CRL, một chứng thư đã bị thu hồi trước khi ký sẽ không bị phát hiện. Thông báo này xuất hiện một lần cho cả báo cáo.\nCách xử lý: trên máy có mạng, tải CRL của Ban Cơ yếu Chính phủ (địa chỉ ghi trong chứng thư, ví dụ http://ca.gov.vn/pki/pub/crl/cp.crl; xem docs/signatures.md), rồi chạy lại với --crl TỆP hoặc [trust] crls trong tlkc.toml.",
        en: "tlkc never goes online, so it checks revocation only with revocation lists (CRL) of the issuing CAs that the user provides. Without one, a certificate revoked before signing goes unnoticed. This note appears once per report.\nFix: on a connected machine, download the Government Cipher Committee's CRLs (the address is in the certificates, e.g. http://ca.gov.vn/pki/pub/crl/cp.crl; see docs/signatures.md) and run again with --crl FILE or [trust] crls in tlkc.toml.",
    },
    handling: Handling::PLAIN,
};

pub static SIG008: Diag = Diag {
    code: Code::Sig008,
    name: "signer-revoked-after-signing",
    severity: Severity::Info,
    summary: Text {
        vi: "Chứng thư số bị thu hồi sau thời điểm ký",
        en: "Certificate revoked after signing",
    },
    explain: Text {
        vi: "Danh sách thu hồi (CRL) của tổ chức cấp liệt kê chứng thư của người ký, nhưng ngày thu hồi sau thời điểm ký: văn bản được ký khi chứng thư còn hiệu lực nên chữ ký vẫn có giá trị. Thông tin để biết.\nCách xử lý: không cần xử lý; văn bản mới phải ký bằng chứng thư mới.",
        en: "The issuing CA's revocation list (CRL) lists the signer's certificate, but revoked after the signing time: the document was signed while the certificate was valid, so the signature stands. For information.\nFix: nothing for this document; new documents must be signed with a new certificate.",
    },
    handling: Handling::PLAIN,
};
