//! The long explanation of every finding code (`tlkc explain CODE`,
//! docs/checks.md, SARIF rule help). One entry per [`Code`].
//!
//! `doc` is long on purpose: one exhaustive `match` arm per code, a pure table
//! (as ruff's `codes.rs`), so a new code does not compile until it is explained.

use crate::findings::{Code, Lang};

pub struct CodeDoc {
    pub summary_vi: &'static str,
    pub summary_en: &'static str,
    pub explain_vi: &'static str,
    pub explain_en: &'static str,
}

impl CodeDoc {
    pub fn summary(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.summary_vi,
            Lang::En => self.summary_en,
        }
    }
    pub fn explanation(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.explain_vi,
            Lang::En => self.explain_en,
        }
    }
}

pub fn doc(code: Code) -> CodeDoc {
    let (summary_vi, summary_en, explain_vi, explain_en) = match code {
        Code::Evd001 => (
            "Thiếu tài liệu kiểm chứng bắt buộc",
            "Required evidence missing",
            "Bộ tiêu chí yêu cầu một văn bản cho tiêu chí thành phần này nhưng thư mục không có văn bản nào khớp (loại văn bản và trích yếu), và hạn nộp đã qua (hoặc không có hạn). Hội đồng thẩm định chấm 0 điểm phần này.\nCách xử lý: tìm văn bản đã ban hành, ký số, đặt vào thư mục mang mã tiêu chí; nếu chưa ban hành, chuẩn bị giải trình.",
            "The ruleset asks for a document under this sub-criterion, none of the files filed there matches it (document type and title), and the deadline has passed (or there is none). The council scores this part 0.\nFix: find the issued, signed document and put it in the folder named after the code; if it was never issued, prepare an explanation (giải trình).",
        ),
        Code::Evd002 => (
            "Chưa đủ số văn bản yêu cầu",
            "Fewer documents than required",
            "Yêu cầu có nhiều văn bản (ví dụ báo cáo quý I, 6 tháng, quý III, năm) nhưng mới có một phần. Các kỳ chưa đến hạn không bị tính là thiếu.\nCách xử lý: bổ sung các kỳ còn thiếu được liệt kê trong thông báo.",
            "The requirement asks for several documents (e.g. the Q1, half-year, Q3 and annual reports) and only some are filed. Periods not yet due are not counted as missing.\nFix: add the missing periods listed in the message.",
        ),
        Code::Evd003 => (
            "Tệp không thuộc tiêu chí nào",
            "File assigned to no sub-criterion",
            "Tên thư mục và tên tệp không bắt đầu bằng mã tiêu chí có trong bộ tiêu chí, và tlkc.toml không gán tệp này. Tệp sẽ không được dùng làm minh chứng.\nCách xử lý: đặt tệp vào thư mục \"MÃ Tên tiêu chí\" (ví dụ \"1.3.1 Kế hoạch kiểm tra\") hoặc thêm [[assign]] path = \"…\" criteria = [\"…\"] vào tlkc.toml.",
            "Neither its folders nor its name start with a code of the ruleset, and tlkc.toml does not assign it. The file serves as evidence for nothing.\nFix: move it into a folder named \"CODE Title\" (e.g. \"1.3.1 Kế hoạch kiểm tra\") or add [[assign]] path = \"…\" criteria = [\"…\"] to tlkc.toml.",
        ),
        Code::Evd004 => (
            "Cùng một nội dung nộp hai lần",
            "Same content filed twice",
            "Hai đường dẫn có cùng SHA-256: cùng một tệp được sao chép. Điều này làm rối hồ sơ và dễ dẫn đến sửa một bản mà quên bản kia.\nCách xử lý: giữ một bản; nếu văn bản phục vụ nhiều tiêu chí, gán nó bằng [[assign]] criteria = [\"2.1.1\", \"2.1.3\"].",
            "Two paths have the same SHA-256: one file was copied. It clutters the upload and invites editing one copy but not the other.\nFix: keep one copy; when a document serves several criteria, assign it with [[assign]] criteria = [\"2.1.1\", \"2.1.3\"].",
        ),
        Code::Evd005 => (
            "Tệp minh chứng không phải PDF",
            "Evidence file is not a PDF",
            "TLKC nộp lên phần mềm chấm điểm là văn bản điện tử (PDF có chữ ký số). Tệp Word, Excel, ảnh… không có giá trị pháp lý như văn bản điện tử đã ký số.\nCách xử lý: nộp bản PDF đã ký số của văn bản.",
            "Evidence for scoring is electronic documents (digitally signed PDFs). Word, Excel or image files lack the legal value of a signed electronic document.\nFix: submit the signed PDF of the document.",
        ),
        Code::Evd006 => (
            "Tệp không khớp yêu cầu nào của tiêu chí",
            "File matches no requirement of its sub-criterion",
            "Tệp nằm trong thư mục của tiêu chí nhưng loại văn bản hoặc trích yếu không khớp yêu cầu TLKC nào. Có thể nộp nhầm tiêu chí, hoặc là tài liệu bổ trợ.\nCách xử lý: kiểm tra lại; tài liệu bổ trợ có thể giữ nguyên.",
            "The file is in the sub-criterion's folder but its type or title matches none of the requirements. It may belong elsewhere, or be supporting material.\nFix: check it; supporting material may stay.",
        ),
        Code::Evd007 => (
            "Khai báo gán tệp trong tlkc.toml không khớp",
            "tlkc.toml assignment unresolved",
            "Một mục [[assign]] trong tlkc.toml chỉ đến tệp không tồn tại hoặc mã tiêu chí không có trong bộ tiêu chí.\nCách xử lý: sửa đường dẫn (tương đối với thư mục TLKC) hoặc mã tiêu chí.",
            "An [[assign]] entry in tlkc.toml points at a file that does not exist, or names a code the ruleset lacks.\nFix: correct the path (relative to the evidence folder) or the code.",
        ),
        Code::Evd008 => (
            "Liên kết tượng trưng không được đi theo",
            "Symbolic link not followed",
            "tlkc không đi theo symlink: liên kết có thể trỏ ra ngoài thư mục hoặc tạo vòng lặp, và phần mềm chấm điểm chỉ nhận tệp thật.\nCách xử lý: thay liên kết bằng tệp thật.",
            "tlkc never follows symbolic links: they may point outside the folder or loop, and the scoring software takes real files only.\nFix: replace the link with the real file.",
        ),
        Code::Evd009 => (
            "Thư mục mang mã tiêu chí không có trong bộ tiêu chí",
            "Folder coded for a criterion the ruleset does not have",
            "Tên thư mục bắt đầu bằng một mã (ví dụ \"5.1.1 …\") mà bộ tiêu chí đang dùng không có. Các tệp trong đó vẫn được kiểm tra như mọi văn bản (PDF, số và ký hiệu, ngày tháng, chữ ký số) nhưng không được đối chiếu với yêu cầu TLKC nào và không tính điểm. Thường gặp khi bộ tiêu chí dựng sẵn chỉ có một phần bộ tiêu chí của tỉnh.\nCách xử lý: nhập bộ tiêu chí của tỉnh (`tlkc rules import`, xem docs/rules.md) hoặc sửa mã thư mục nếu gõ nhầm.",
            "The folder's name starts with a code (e.g. \"5.1.1 …\") that the ruleset in use does not have. Its files still get every document check (PDF, number, date, digital signature) but are matched against no evidence requirement and earn no points. Usual when the builtin ruleset holds only part of the province's set.\nFix: import the province's own set (`tlkc rules import`, see docs/rules.md), or correct the folder's code if it is a typo.",
        ),
        Code::Sig001 => (
            "Yêu cầu ký số nhưng văn bản không có chữ ký số",
            "Digital signature required but absent",
            "TLKC phải là văn bản điện tử có chữ ký số (Nghị định 30/2020/NĐ-CP, Điều 5). Bản giấy ký tay được quét lại không có giá trị như văn bản điện tử; Hội đồng CCHC tỉnh không chấm điểm (Đắk Glei 2022 mất 0,25 điểm tiêu chí 1.3.1 vì lý do này).\nCách xử lý: phát hành văn bản trên hệ thống quản lý văn bản với chữ ký số của người có thẩm quyền và của cơ quan, hoặc sao y điện tử có chữ ký số của cơ quan.",
            "Evidence must be electronic documents with digital signatures (Decree 30/2020, Art. 5). A scan of a hand-signed paper has no such value; the provincial council does not score it (Đắk Glei lost 0.25 points on 1.3.1 in 2022 for this).\nFix: issue the document through the document system with the competent person's and the organisation's digital signatures, or make an electronic copy signed by the organisation.",
        ),
        Code::Sig002 => (
            "Chữ ký số không hợp lệ",
            "Digital signature invalid",
            "Chữ ký có trong tệp nhưng không xác thực được: giá trị băm của phần được ký không khớp (tệp bị sửa sau khi ký), chữ ký mật mã sai, hoặc dữ liệu CMS hỏng/giả mạo. Một chữ ký như vậy không chứng minh điều gì. Chữ ký dùng thuật toán mà chính sách thuật toán của bộ tiêu chí không chấp nhận (mặc định: băm MD5 hoặc SHA-1 — trừ SHA-1 của hệ thống chứng thực Chính phủ —, khóa RSA dưới 2048 bit, đường cong elliptic dưới 256 bit) cũng không được tính; thông báo nêu thuật toán và thời điểm ký. tlkc.toml có thể nới chính sách ([algorithm_policy], bắt buộc ghi lý do).\nCách xử lý: lấy lại bản gốc đã ký từ hệ thống quản lý văn bản; với thuật toán yếu, ký lại bằng chứng thư và thuật toán hiện hành.",
            "A signature is present but does not verify: the digest of the signed bytes does not match (the file changed after signing), the cryptographic signature is wrong, or the CMS data is damaged or forged. Such a signature proves nothing. A signature whose algorithm the ruleset's algorithm policy does not accept (by default: an MD5 or SHA-1 digest, except SHA-1 from the government PKI, an RSA key under 2048 bits, an elliptic curve under 256 bits) does not count either; the message names the algorithm and the signing time. A folder's tlkc.toml may relax the policy ([algorithm_policy], with a mandatory reason).\nFix: take the original signed file from the document system again; for a weak algorithm, sign again with a current certificate and algorithm.",
        ),
        Code::Sig003 => (
            "Văn bản bị sửa sau khi ký hoặc chữ ký không phủ toàn bộ",
            "Modified after signing, or partial coverage",
            "Sau bản đã ký có bản cập nhật thay đổi nội dung trang, chú thích, trường biểu mẫu hoặc danh mục; hoặc vùng ký (ByteRange) không phủ toàn bộ văn bản. Những thay đổi hợp lệ (thêm chữ ký, dấu thời gian, DSS) và dấu vết của phần mềm ký số (dấu phiên bản /ITXT, /PieceInfo, /Perms của người ký sau, /NeedAppearances, siêu dữ liệu XMP) không bị báo; mục `changes` ghi rõ từng dấu vết. Mỗi đối tượng được xét theo vai trò nó có trong bản đã ký: nội dung trang đã ký (luồng nội dung, tài nguyên, phông chữ nhúng, chú thích, trang) mà bị sửa thì luôn bị báo, dù bản cập nhật gán cho nó vai trò được phép nào.\nCách xử lý: nộp đúng tệp đã ký, không chỉnh sửa sau khi ký.",
            "A later revision changes page content, annotations, form values or the catalog after the signature, or the signed byte range does not cover the whole document. Allowed later changes (more signatures, timestamps, DSS) and the signing software's own artefacts (an /ITXT version marker, /PieceInfo, a later signer's /Perms, /NeedAppearances, XMP metadata) are not reported; `changes` lists each artefact. Each object is judged by the role it had in the signed revision: signed page content (content streams, resources, embedded fonts, annotations, pages) that was rewritten is always reported, whatever allowed role the update gives it.\nFix: submit the signed file as signed, without later edits.",
        ),
        Code::Sig004 => (
            "Thiếu chữ ký của người có thẩm quyền hoặc của cơ quan",
            "Decree 30 signer set incomplete",
            "Văn bản điện tử có giá trị như bản gốc khi có chữ ký số của người có thẩm quyền và chữ ký số của cơ quan, tổ chức (Nghị định 30/2020/NĐ-CP, Điều 5, 13). Văn bản này chỉ có một trong hai. Bản sao điện tử (bản quét) chỉ cần chữ ký của cơ quan nên không bị báo.\nCách xử lý: văn thư ký số cơ quan (hoặc lãnh đạo ký số) trên hệ thống.",
            "An electronic document has the legal value of the original when signed by the competent person and by the organisation (Decree 30/2020, Art. 5, 13). This one has only one of the two. Electronic copies (scans) need only the organisation's signature and are not reported.\nFix: have the clerk apply the organisation's signature (or the leader sign) in the document system.",
        ),
        Code::Sig005 => (
            "Chứng thư số không tin cậy, hết hạn hoặc bị thu hồi",
            "Signer certificate not trusted, expired or revoked",
            "tlkc dựng chuỗi chứng thư từ chứng thư của người ký lên tới một chứng thư gốc tin cậy: các chứng thư của Ban Cơ yếu Chính phủ có sẵn trong tlkc (`tlkc trust list`) và chứng thư khai báo thêm (--trust-anchor, [trust] anchors trong tlkc.toml). Mỗi mắt xích phải khớp tên VÀ chữ ký số của tổ chức cấp; tổ chức cấp phải được phép cấp chứng thư (basic constraints, key usage). Báo lỗi khi: chứng thư tự cấp (tự ký); chứng thư mang tên một tổ chức chứng thực của Chính phủ nhưng không do tổ chức đó cấp (chữ ký không khớp khóa: giả mạo tên); chuỗi dẫn tới tổ chức chứng thực không ai khai báo; chứng thư trong chuỗi đã hết hạn hoặc chưa có hiệu lực tại thời điểm ký (giờ Việt Nam; chữ ký không ghi thời điểm thì xét tại ngày đánh giá as_of); hoặc chứng thư bị thu hồi trước thời điểm ký theo danh sách thu hồi (CRL) người dùng cung cấp (--crl, [trust] crls).\nCách xử lý: ký số lại bằng chứng thư số còn hiệu lực do Ban Cơ yếu Chính phủ cấp; nếu người ký dùng tổ chức chứng thực hợp pháp khác, khai báo chứng thư gốc của tổ chức đó trong [trust] anchors.",
            "tlkc builds the chain from the signer's certificate up to a trusted root: the Government Cipher Committee's certificates built into tlkc (`tlkc trust list`) and any declared ones (--trust-anchor, [trust] anchors in tlkc.toml). Each link must match by name AND verify under the issuer's key; each issuer must be allowed to issue certificates (basic constraints, key usage). The error is given for: a self-signed certificate; a certificate that carries the name of a government CA but was not issued by it (its signature does not verify under that CA's key: a copied name); a chain to a CA nobody declared; a certificate of the chain expired or not yet valid at the signing time (Vietnam time; for a signature without a time, at the evaluation date as_of); a certificate revoked before the signing time according to a revocation list (CRL) the user gave (--crl, [trust] crls).\nFix: sign again with a valid certificate issued by the Government Cipher Committee; if the signer uses another lawful certification authority, declare its root certificate in [trust] anchors.",
        ),
        Code::Sig006 => (
            "Chưa dựng được đủ chuỗi chứng thư: thiếu chứng thư của tổ chức chứng thực",
            "Certificate chain incomplete: a known CA's certificate is missing",
            "Chứng thư của người ký do một tổ chức chứng thực đã biết của Ban Cơ yếu Chính phủ cấp (ví dụ \"CA phục vụ các cơ quan Đảng G2\"), nhưng tlkc chưa có chứng thư của tổ chức đó và tệp PDF không kèm theo, nên không xác minh được chữ ký của tổ chức cấp. Đây không phải là chữ ký giả: chỉ là chưa đủ dữ liệu để kết luận, nên là cảnh báo, không phải lỗi.\nCách xử lý: kiểm tra chữ ký bằng phần mềm ký số của Ban Cơ yếu Chính phủ, hoặc lấy chứng thư của tổ chức chứng thực đó (trang ca.gov.vn) và khai báo trong [trust] anchors của tlkc.toml.",
            "The signer's certificate was issued by a known CA of the Government Cipher Committee (e.g. \"CA phục vụ các cơ quan Đảng G2\") whose certificate tlkc does not have and the PDF does not embed, so the issuer's signature cannot be verified. This is not a forgery, only a verdict that cannot be reached, hence a warning and not an error.\nFix: check the signature with the Government Cipher Committee's signing software, or obtain that CA's certificate (ca.gov.vn) and declare it in [trust] anchors of tlkc.toml.",
        ),
        Code::Sig007 => (
            "Chưa kiểm tra thu hồi chứng thư số",
            "Certificate revocation not checked",
            "tlkc không bao giờ truy cập mạng, nên chỉ kiểm tra thu hồi chứng thư khi người dùng cung cấp danh sách thu hồi (CRL) của tổ chức cấp. Không có CRL, một chứng thư đã bị thu hồi trước khi ký sẽ không bị phát hiện. Thông báo này xuất hiện một lần cho cả báo cáo.\nCách xử lý: trên máy có mạng, tải CRL của Ban Cơ yếu Chính phủ (địa chỉ ghi trong chứng thư, ví dụ http://ca.gov.vn/pki/pub/crl/cp.crl; xem docs/signatures.md), rồi chạy lại với --crl TỆP hoặc [trust] crls trong tlkc.toml.",
            "tlkc never goes online, so it checks revocation only with revocation lists (CRL) of the issuing CAs that the user provides. Without one, a certificate revoked before signing goes unnoticed. This note appears once per report.\nFix: on a connected machine, download the Government Cipher Committee's CRLs (the address is in the certificates, e.g. http://ca.gov.vn/pki/pub/crl/cp.crl; see docs/signatures.md) and run again with --crl FILE or [trust] crls in tlkc.toml.",
        ),
        Code::Sig008 => (
            "Chứng thư số bị thu hồi sau thời điểm ký",
            "Certificate revoked after signing",
            "Danh sách thu hồi (CRL) của tổ chức cấp liệt kê chứng thư của người ký, nhưng ngày thu hồi sau thời điểm ký: văn bản được ký khi chứng thư còn hiệu lực nên chữ ký vẫn có giá trị. Thông tin để biết.\nCách xử lý: không cần xử lý; văn bản mới phải ký bằng chứng thư mới.",
            "The issuing CA's revocation list (CRL) lists the signer's certificate, but revoked after the signing time: the document was signed while the certificate was valid, so the signature stands. For information.\nFix: nothing for this document; new documents must be signed with a new certificate.",
        ),
        Code::Doc001 => (
            "Không có số văn bản",
            "No document number",
            "Trang 1 có chữ nhưng không tìm thấy \"Số: …/…\", hoặc số để trống (bản dự thảo). Văn bản phát hành phải được cấp số theo thứ tự trong năm (Nghị định 30/2020/NĐ-CP, Điều 15).\nCách xử lý: nộp bản đã cấp số, không nộp dự thảo.",
            "Page 1 has text but no \"Số: …/…\" line, or the number is blank (a draft). An issued document is numbered in sequence within the year (Decree 30/2020, Art. 15).\nFix: submit the numbered issued document, not a draft.",
        ),
        Code::Doc002 => (
            "Số, ký hiệu sai thể thức",
            "Number/symbol malformed",
            "Số và ký hiệu theo Phụ lục I Nghị định 30/2020/NĐ-CP: số Ả Rập (dưới 10 thêm số 0), \"/\" giữa số và ký hiệu, \"-\" giữa các nhóm chữ viết tắt, chữ in hoa, không có khoảng trắng (ví dụ 1558/KH-UBND). Sai như 641/KH_UBND dễ bị trả lại.\nCách xử lý: kiểm tra lại văn bản gốc; nếu sai trên văn bản đã phát hành, ghi chú khi giải trình.",
            "Decree 30/2020, Appendix I: Arabic number (leading zero below 10), \"/\" between number and symbol, \"-\" between abbreviation groups, upper case, no spaces (e.g. 1558/KH-UBND). Errors such as 641/KH_UBND invite rejection.\nFix: check the original; if the issued document is wrong, mention it in the explanation.",
        ),
        Code::Doc003 => (
            "Viết tắt tên loại không khớp tên loại văn bản",
            "Type abbreviation disagrees with the title",
            "Ký hiệu văn bản bắt đầu bằng chữ viết tắt tên loại (Phụ lục III: KH = Kế hoạch, BC = Báo cáo…) nhưng tên loại in trên văn bản khác (ví dụ \"KẾ HOẠCH\" mà ký hiệu /BC-).\nCách xử lý: kiểm tra lại văn bản; có thể nộp nhầm văn bản.",
            "The symbol starts with a type abbreviation (Appendix III: KH = plan, BC = report…) that differs from the type name printed on the document (e.g. \"KẾ HOẠCH\" with /BC-).\nFix: check the document; the wrong file may have been filed.",
        ),
        Code::Doc004 => (
            "Hai văn bản khác nhau trùng số, ký hiệu trong năm",
            "Two documents share one number and symbol",
            "Số và ký hiệu văn bản là duy nhất trong một năm (Nghị định 30/2020/NĐ-CP, Điều 15). Hai tệp có nội dung khác nhau mang cùng số, ký hiệu cho thấy một tệp là dự thảo, bản sửa hoặc bị nhầm số.\nCách xử lý: giữ đúng bản đã phát hành.",
            "A number and symbol are unique within a year (Decree 30/2020, Art. 15). Two files with different content and the same number mean one is a draft, an edited copy or misnumbered.\nFix: keep only the issued version.",
        ),
        Code::Doc005 => (
            "Không đọc được ngày ban hành",
            "No issue date",
            "Trang 1 có chữ nhưng không có dòng \"Địa danh, ngày … tháng … năm …\" đọc được. Không có ngày thì không xác định được văn bản có đúng hạn không.\nCách xử lý: kiểm tra văn bản có ngày ban hành; nếu là dự thảo, nộp bản chính thức.",
            "Page 1 has text but no readable \"Place, ngày … tháng … năm …\" line. Without a date, timeliness cannot be judged.\nFix: check the document is dated; if it is a draft, submit the issued version.",
        ),
        Code::Doc006 => (
            "Ngày ban hành ngoài năm đánh giá",
            "Issue date outside the evaluated year",
            "Văn bản được ban hành ngoài năm đánh giá của bộ tiêu chí. Có thể nộp nhầm văn bản năm trước, hoặc văn bản hợp lệ ban hành đầu năm sau (ví dụ báo cáo năm).\nCách xử lý: kiểm tra văn bản có được tính cho năm đánh giá không.",
            "The document is dated outside the ruleset's evaluated year. It may be last year's document filed by mistake, or a valid one issued early the next year (e.g. an annual report).\nFix: check that it counts for the evaluated year.",
        ),
        Code::Doc007 => (
            "Dòng địa danh, ngày tháng chưa đúng thể thức",
            "Date line format",
            "Nghị định 30/2020/NĐ-CP, Phụ lục I: ngày dưới 10 và tháng 1, 2 viết thêm số 0 phía trước (ngày 05 tháng 02 năm 2022); các tháng khác không thêm (ngày 18 tháng 7 năm 2022).\nCách xử lý: lưu ý khi soạn thảo văn bản sau.",
            "Decree 30/2020, Appendix I: days below 10 and months 1 and 2 take a leading zero (ngày 05 tháng 02 năm 2022); other months do not (ngày 18 tháng 7 năm 2022).\nFix: mind it when drafting the next documents.",
        ),
        Code::Doc008 => (
            "Số hoặc ngày điền tay trên bản quét",
            "Number or day filled in by hand on a scan",
            "Trên bản quét có lớp chữ nhận dạng (OCR), số văn bản hoặc ngày để trống: thường là số, ngày được văn thư điền tay khi phát hành, lớp chữ OCR không đọc được chữ viết tay. Đây là thói quen bình thường, không phải lỗi thể thức.\nCách xử lý: đối chiếu bằng mắt số và ngày trên bản quét.",
            "On a scan with an OCR text layer the number or the day is blank: usually the clerk filled it in by hand when issuing, and OCR does not read handwriting. This is an ordinary habit, not a fault of form.\nFix: check the number and the day on the scan by eye.",
        ),
        Code::Doc009 => (
            "Ký hiệu không khớp cơ quan ban hành",
            "Symbol does not match the issuing body",
            "Nghị định 30/2020/NĐ-CP, Phụ lục I: ký hiệu văn bản gồm chữ viết tắt tên loại và chữ viết tắt tên cơ quan ban hành (hoặc tên cơ quan và đơn vị soạn thảo với công văn). Phần cơ quan trong ký hiệu không ứng với tên cơ quan ở góc trái phần đầu văn bản (không là chữ viết tắt của tên đó, cũng không có trong đó). tlkc chỉ báo khi tên cơ quan đọc được rõ ràng (bắt đầu bằng SỞ, BỘ, ỦY BAN, HỘI ĐỒNG, PHÒNG…).\nCách xử lý: kiểm tra lại số, ký hiệu; văn bản có thể bị cấp nhầm sổ hoặc lấy nhầm mẫu của cơ quan khác.",
            "Decree 30/2020, Appendix I: the symbol is the type abbreviation plus the issuing body's abbreviation (or the body and the drafting unit for a công văn). The body part of this symbol does not match the body named at the top left of the header (it is neither its abbreviation nor in it). tlkc only says so when the body's name reads clearly (starting with SỞ, BỘ, ỦY BAN, HỘI ĐỒNG, PHÒNG…).\nFix: check the number and symbol; the document may have been numbered in another body's register or made from another body's template.",
        ),
        Code::Due001 => (
            "Ban hành sau hạn",
            "Issued after its deadline",
            "Ngày ban hành của văn bản (hoặc ngày cơ quan ký số phát hành, nếu muộn hơn; theo giờ Việt Nam +07:00) sau hạn của yêu cầu. Báo cáo trễ hạn bị trừ điểm dù nội dung đầy đủ (Đắk Glei 2022: báo cáo CCHC quý I, quý III trễ hạn, mất 0,5 điểm tiêu chí 1.2.1).\nCách xử lý: không sửa được sau khi đã trễ; chuẩn bị giải trình với lý do và căn cứ.",
            "The document's date (or the day the organisation signed and released it, if later; in Vietnam time, +07:00) is after the requirement's deadline. Late reports lose points however complete (Đắk Glei 2022: Q1 and Q3 PAR reports late, 0.5 points lost on 1.2.1).\nFix: lateness cannot be undone; prepare an explanation with reasons and references.",
        ),
        Code::Due002 => (
            "Không xác định được ngày để so với hạn",
            "Deadline cannot be assessed",
            "Yêu cầu có hạn nộp nhưng văn bản không có ngày đọc được (bản quét) và không có chữ ký số của cơ quan ghi thời điểm ký.\nCách xử lý: người kiểm tra tự đối chiếu ngày trên văn bản với hạn.",
            "The requirement has a deadline but the document has no readable date (a scan) and no organisation signature with a signing time.\nFix: a person must compare the date on the document with the deadline.",
        ),
        Code::Due003 => (
            "Thiếu hạn nộp do địa phương quy định",
            "Local deadline missing",
            "Bộ tiêu chí để hạn nộp cho địa phương khai báo (ví dụ hạn của Sở Tài chính) nhưng tlkc.toml của thư mục chưa có mục [deadlines.KHÓA] date = \"YYYY-MM-DD\", basis = \"…\".\nCách xử lý: thêm hạn và văn bản căn cứ vào tlkc.toml.",
            "The ruleset leaves this deadline to the locality (e.g. set by the Department of Finance) but the folder's tlkc.toml has no [deadlines.KEY] date = \"YYYY-MM-DD\", basis = \"…\".\nFix: add the deadline and its basis to tlkc.toml.",
        ),
        Code::Pdf001 => (
            "Không đọc được tệp hoặc không phải PDF",
            "Unreadable or not a PDF",
            "Tệp rỗng, hỏng, tải về chưa hết, hoặc là loại tệp khác mang đuôi .pdf (Word, trang web báo lỗi, ảnh). Hội đồng thẩm định cũng sẽ không mở được.\nCách xử lý: tải lại hoặc xuất lại bản PDF từ hệ thống.",
            "The file is empty, damaged, incompletely downloaded, or another kind of file named .pdf (Word, an error web page, an image). The council will not be able to open it either.\nFix: download or export the PDF again.",
        ),
        Code::Pdf002 => (
            "PDF được đặt mật khẩu",
            "PDF is encrypted",
            "Tệp PDF yêu cầu mật khẩu để mở (mật khẩu người dùng; tlkc đã thử mật khẩu rỗng): không kiểm tra được nội dung, Hội đồng thẩm định cũng không mở được. Tệp chỉ có mật khẩu chủ sở hữu (mở được không cần mật khẩu) không thuộc lỗi này mà là PDF007.\nCách xử lý: bỏ mật khẩu, ký số lại và nộp.",
            "The PDF needs a password to open (a user password; tlkc tried the empty one): its content cannot be checked, and the council cannot open it either. A file with only an owner password (it opens without one) is not this error but PDF007.\nFix: remove the password, sign again and submit.",
        ),
        Code::Pdf003 => (
            "PDF không có lớp chữ (bản quét)",
            "No text layer (scan)",
            "Trang 1 chỉ có hình ảnh (hoặc lớp chữ không phải tiếng Việt, do máy quét nhận dạng sai): tlkc không đọc được số, ký hiệu, ngày ban hành từ lớp chữ nên không kiểm tra đầy đủ thể thức và thời hạn. Khi có Tesseract (gói tesseract-ocr, tesseract-ocr-vie), tlkc đọc trang 1 bằng OCR và chỉ giữ giá trị khớp đúng thể thức Nghị định 30: số và ngày viết tay thường bị bỏ, còn loại văn bản, cơ quan, tháng và năm được giữ.\nCách xử lý: nộp văn bản điện tử gốc; nếu là bản sao điện tử, kiểm tra bằng mắt số, ngày và chữ ký số của cơ quan.",
            "Page 1 is images only (or its text layer is not Vietnamese, a scanner's failed recognition): tlkc cannot read the number, symbol or date from text, so format and deadline are not fully checked. With Tesseract installed (tesseract-ocr, tesseract-ocr-vie) tlkc reads page 1 by OCR and keeps only values that fit the Decree 30 format exactly: a handwritten number or day is usually dropped, while the type, issuer, month and year are kept.\nFix: submit the original electronic document; for an electronic copy, check its number, date and organisation signature by eye.",
        ),
        Code::Pdf004 => (
            "Bản số hóa thấp hơn chuẩn PDF 1.4",
            "Digitised copy below PDF 1.4",
            "Nghị định 30/2020/NĐ-CP, Phụ lục I, Phần II: bản số hóa phải là PDF phiên bản 1.4 trở lên, ảnh màu, độ phân giải tối thiểu 200 dpi, tỷ lệ 100%.\nCách xử lý: số hóa lại bằng phần mềm tạo PDF từ 1.4 trở lên.",
            "Decree 30/2020, Appendix I, Part II: a digitised copy is PDF 1.4 or later, colour, at least 200 dpi, 100 % scale.\nFix: digitise again with software producing PDF 1.4 or later.",
        ),
        Code::Pdf005 => (
            "PDF quá phức tạp: vượt giới hạn an toàn",
            "PDF too complex: resource limit hit",
            "Khi đọc tệp, tlkc chạm một giới hạn an toàn (dung lượng giải nén, độ sâu lồng, số đối tượng, bộ nhớ dành cho ảnh quét, thời gian) để một tệp bất thường không làm treo cả lượt kiểm tra. Phần chưa đọc không được kiểm tra. Hết thời gian là chuyện của lượt chạy đó (máy đang bận): lượt kiểm tra sau đọc lại tệp.\nCách xử lý: xuất lại PDF; có thể nâng giới hạn trong [limits] của tlkc.toml nếu tệp là hợp lệ.",
            "While reading the file tlkc hit a safety limit (decompressed size, nesting depth, object count, memory for scan images, time) that keeps one abnormal file from stalling the run. What was not read was not checked. Running out of time belongs to that run (a busy machine): the next check reads the file again.\nFix: export the PDF again; raise the limit under [limits] in tlkc.toml if the file is legitimate.",
        ),
        Code::Pdf006 => (
            "Bản quét có độ phân giải dưới 200 dpi",
            "Scan below 200 dpi",
            "Nghị định 30/2020/NĐ-CP (Phụ lục I) yêu cầu bản số hóa từ văn bản giấy có độ phân giải tối thiểu 200 dpi. tlkc đo độ phân giải của ảnh quét phủ trang 1 (số điểm ảnh so với kích thước in trên trang, lấy chiều thấp hơn; dung sai 5 dpi cho lề cắt của máy quét). Bản quét thấp hơn có thể bị coi là không đọc rõ. Đây là thông tin, không phải cảnh báo: văn bản thật của cơ quan nhà nước cũng thường được quét dưới 200 dpi (2 trong 40 văn bản thật tlkc đã đối chiếu) và chưa thấy Hội đồng trừ điểm vì lý do này.\nCách xử lý: quét lại văn bản gốc ở 200 dpi trở lên (thường 300 dpi), ký số lại bản sao nếu cần.",
            "Decree 30/2020/NĐ-CP (Annex I) requires copies digitised from paper to be at least 200 dpi. tlkc measures the scan covering page 1 (pixels against its printed size on the page, the lower axis; 5 dpi of tolerance for scanner margins). A lower resolution may be judged illegible. This is information, not a warning: genuine state documents are often scanned below 200 dpi (2 of the 40 genuine documents tlkc is calibrated on) and no appraisal has been seen to deduct points for it.\nFix: scan the original again at 200 dpi or more (300 dpi is usual) and sign the copy again if needed.",
        ),
        Code::Pdf007 => (
            "PDF bị hạn chế quyền (mật khẩu chủ sở hữu)",
            "PDF restricted by an owner password",
            "Tệp mở được không cần mật khẩu nhưng được mã hóa với mật khẩu chủ sở hữu (owner password) cấm một số thao tác (in, sao chép nội dung, chỉnh sửa) theo cờ /P. Không mất điểm: Hội đồng thẩm định vẫn đọc được; nhưng người chấm có thể không in hoặc sao chép được.\nCách xử lý: nếu không có lý do hạn chế, xuất lại PDF không đặt mật khẩu rồi ký số.",
            "The file opens without a password but is encrypted with an owner password that forbids some actions (printing, copying content, changing) through its /P flags. No points are lost: the council can read it; but an assessor may be unable to print or copy from it.\nFix: if there is no reason for the restriction, export the PDF again without a password and sign it.",
        ),
        Code::Fix001 => (
            "Tệp đã nộp bị thay đổi sau khi nộp",
            "Submitted file changed since submission",
            "Tệp này thuộc lần nộp gần nhất (tlkc submit) nhưng nội dung (SHA-256) đã khác: bản lưu trong thư mục không còn là bản Hội đồng thẩm định nhận được, nên không chứng minh được đã nộp gì.\nCách xử lý: khôi phục bản đã nộp (tlkc export của lần nộp đó có bản sao), hoặc nếu sửa có chủ ý thì tải lên lại và chạy tlkc submit để ghi lần nộp mới.",
            "This file was part of the latest submission (tlkc submit) but its content (SHA-256) differs now: the folder no longer holds what the appraisal council received, so it cannot show what was submitted.\nFix: restore the submitted version (a tlkc export bag of that submission has a copy), or, if the change is intended, upload again and run tlkc submit to record a new submission.",
        ),
        Code::Fix002 => (
            "Tệp đã nộp không còn trong thư mục",
            "Submitted file missing",
            "Tệp này thuộc lần nộp gần nhất nhưng đã bị xóa, đổi tên hoặc di chuyển: hồ sơ lưu không còn đủ bản đã nộp.\nCách xử lý: khôi phục tệp về đúng đường dẫn, hoặc nếu thay đổi là có chủ ý thì nộp lại và chạy tlkc submit.",
            "This file was part of the latest submission but was deleted, renamed or moved: the folder no longer keeps everything that was submitted.\nFix: put the file back at its path, or, if the change is intended, submit again and run tlkc submit.",
        ),
        Code::Fix003 => (
            "Chỉ mục được ghi ở nơi khác: đã đọc lại mọi tệp",
            "Index written elsewhere: every file read again",
            "Chỉ mục .tlkc/tlkc.db của thư mục này được ghi cho một thư mục khác hoặc trên một máy khác (ví dụ thư mục của đơn vị gửi lên kèm .tlkc/, bản sao lưu được khôi phục, hoặc --db trỏ tới chỉ mục của thư mục khác). tlkc không tin mã băm và kết quả kiểm tra lưu trong đó: lần chạy này đã đọc, băm và kiểm tra lại mọi tệp, và từ nay chỉ mục thuộc về thư mục này. Nhật ký (các lần nộp trước) vẫn được giữ nguyên, nhưng các lần nộp ghi trước khi chỉ mục đổi chủ là của nơi khác: FIX001/FIX002 không so chúng với thư mục này, chỉ so với lần nộp sau đó.\nKhông cần xử lý; lần kiểm tra sau sẽ nhanh như bình thường.",
            "This folder's index (.tlkc/tlkc.db) was written for another folder or on another machine (a unit's folder received with its .tlkc/, a restored backup, or --db pointing at another folder's index). tlkc does not trust the hashes and facts stored in it: this run read, hashed and inspected every file again, and the index now belongs to this folder. The ledger (earlier submissions) is kept as it was, but submissions recorded before the index changed hands were made elsewhere: FIX001/FIX002 never compare this folder with them, only with later submissions.\nNothing to fix; the next check is as fast as usual.",
        ),
        Code::Cfg001 => (
            "Miễn trừ trong tlkc.toml hết hạn hoặc không khớp lỗi nào",
            "Waiver in tlkc.toml expired or unused",
            "Mục [[waiver]] trong tlkc.toml cho phép bỏ qua một phát hiện đã biết (ví dụ báo cáo trễ hạn đã có giải trình). Mục này đã hết hạn (until trước ngày đánh giá) nên không còn được áp dụng, hoặc không khớp phát hiện nào (mã, tiêu chí, đường dẫn) nên có thể đã lỗi thời hoặc gõ sai.\nCách xử lý: gia hạn hoặc xoá mục miễn trừ; kiểm tra lại code, criterion, path.",
            "A [[waiver]] in tlkc.toml accepts a known finding (e.g. a late report already explained). This one has expired (until is before the evaluation day) and no longer applies, or it matches no finding (code, criterion, path) and may be stale or mistyped.\nFix: extend or delete the waiver; check its code, criterion and path.",
        ),
        Code::Cfg002 => (
            "Số liệu hoặc điểm tự chấm trong tlkc.toml không được dùng",
            "Metric or manual score in tlkc.toml not used",
            "Mục [metrics] hoặc [manual] trong tlkc.toml ghi cho một mã không có trong bộ tiêu chí, hoặc cho tiêu chí mà phương pháp chấm không dùng đến nó (ví dụ [metrics] cho tiêu chí chấm theo nhiệm vụ, [manual] cho tiêu chí chấm theo tỷ lệ); hoặc có sổ theo dõi nhiệm vụ mà bộ tiêu chí không có tiêu chí chấm theo nhiệm vụ. Điểm ước tính không tính đến giá trị này.\nCách xử lý: kiểm tra lại mã tiêu chí (gõ sai?) và phương pháp chấm (`tlkc rules show`).",
            "A [metrics] or [manual] entry in tlkc.toml names an id the ruleset does not have, or a criterion whose scoring method does not read it ([metrics] for a tasks-scored criterion, [manual] for a ratio-scored one); or there is a task register but no tasks-scored unit in the ruleset. The estimate ignores the value.\nFix: check the criterion id (a typo?) and its scoring method (`tlkc rules show`).",
        ),
        Code::Tsk001 => (
            "Nhiệm vụ được giao hoàn thành trễ hạn",
            "Assigned task answered late",
            "Sổ theo dõi nhiệm vụ (tasks.csv hoặc [[task]] trong tlkc.toml) ghi một nhiệm vụ cấp trên giao có thời hạn; văn bản trả lời trong thư mục (văn bản trích dẫn số văn bản giao nhiệm vụ, ví dụ \"phúc đáp Công văn số 2291/UBND-NC\") được phát hành sau hạn. Ngày phát hành là ngày muộn hơn giữa dòng ngày tháng và chữ ký số của cơ quan (giờ Việt Nam), như DUE001. Tiêu chí chấm theo công thức (đúng hạn + hệ số × trễ hạn) / tổng số × điểm tối đa, nên mỗi nhiệm vụ trễ mất một phần điểm.\nCách xử lý: không sửa được ngày đã phát hành; chuẩn bị giải trình lý do trễ hạn và đôn đốc đơn vị tham mưu các nhiệm vụ còn lại.",
            "The task register (tasks.csv or [[task]] in tlkc.toml) lists a task assigned with a deadline; the reply in the folder (the document that cites the assigning document's number, e.g. \"phúc đáp Công văn số 2291/UBND-NC\") was released after it. The release date is the later of the date line and the organisation's signature in Vietnam time, as for DUE001. The criterion is scored (on time + weight × late) / total × max, so each late task costs part of the points.\nFix: a release date cannot be changed; prepare the explanation (giải trình) and chase the units advising on the remaining tasks.",
        ),
        Code::Tsk002 => (
            "Nhiệm vụ được giao quá hạn chưa có văn bản trả lời",
            "Assigned task past its deadline without a reply",
            "Hạn của nhiệm vụ đã qua (tính đến ngày đánh giá) mà thư mục không có văn bản nào trích dẫn số văn bản giao nhiệm vụ, và sổ theo dõi không chỉ ra tệp trả lời (cột reply). Nhiệm vụ chưa hoàn thành không được điểm.\nCách xử lý: nếu đã trả lời, đưa văn bản trả lời (PDF ký số) vào thư mục, hoặc ghi đường dẫn ở cột reply nếu văn bản không trích dẫn số; nếu chưa, hoàn thành ngay và chuẩn bị giải trình.",
            "The task's deadline has passed (as of the evaluation day) and no document in the folder cites the assigning document's number, nor does the register name a reply file (column reply). An unfinished task earns nothing.\nFix: if it was answered, add the signed reply PDF to the folder, or give its path in the reply column when its text does not cite the number; if not, answer now and prepare an explanation.",
        ),
        Code::Tsk003 => (
            "Văn bản trả lời trích dẫn nhiệm vụ không có trong sổ theo dõi",
            "Reply cites an assignment not in the register",
            "Một văn bản xếp vào tiêu chí chấm theo nhiệm vụ được giao trích dẫn số văn bản (ví dụ \"thực hiện Văn bản số 187/UBND-KTTH\") mà sổ theo dõi nhiệm vụ không có. Có thể sổ theo dõi còn thiếu nhiệm vụ, làm điểm ước tính sai.\nCách xử lý: thêm nhiệm vụ vào tasks.csv (số, ngày, cơ quan giao, nội dung, hạn) nếu đó là nhiệm vụ được giao.",
            "A document filed under the task-scored criterion cites a document number (e.g. \"thực hiện Văn bản số 187/UBND-KTTH\") that the task register does not list. The register may be missing a task, which skews the estimate.\nFix: add the task to tasks.csv (number, date, issuer, asked, deadline) if it is an assignment.",
        ),
        Code::Tsk004 => (
            "Một nhiệm vụ được ghi nhiều lần trong sổ theo dõi",
            "An assignment is listed more than once in the register",
            "Sổ theo dõi nhiệm vụ (tasks.csv hoặc [[task]] trong tlkc.toml) có nhiều dòng cùng một nhiệm vụ: cùng số văn bản giao (không kể khoảng trắng, gạch nối, chữ hoa/thường), cùng hạn và cùng tệp trả lời. tlkc chỉ tính nhiệm vụ đó một lần (dòng đầu tiên) để các dòng chép lặp không làm sai tỷ lệ nhiệm vụ hoàn thành đúng hạn; các dòng lặp được nêu tên.\nCách xử lý: xoá các dòng lặp; nếu văn bản đó thật sự giao hai việc khác nhau, ghi đúng hạn của từng việc.",
            "The task register (tasks.csv or [[task]] in tlkc.toml) has several rows for one assignment: the same assigning document number (spacing, dashes and case aside), the same deadline and the same reply file. tlkc counts it once (the first row) so that copied rows cannot skew the share of tasks answered on time; the repeated rows are named.\nFix: delete the repeated rows; if the document really assigned two different tasks, give each its own deadline.",
        ),
    };
    CodeDoc {
        summary_vi,
        summary_en,
        explain_vi,
        explain_en,
    }
}
