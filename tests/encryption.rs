//! Encryption told as it is. The files are made here with lopdf's standard
//! security handler: owner-password-only files (they open without a
//! password) and user-password files, with AES-256 (V5/R6), AES-128 (V4/R4)
//! and RC4 (V2/R3). AES encryption draws a random IV, so the bytes differ
//! from run to run; the facts do not.

use std::collections::BTreeMap;
use std::sync::Arc;

use lopdf::encryption::crypt_filters::{Aes128CryptFilter, Aes256CryptFilter, CryptFilter};
use lopdf::{
    dictionary, Document, EncryptionState, EncryptionVersion, Object, Permissions, Stream,
};
use tlkc::findings::Code;

/// A one-page document with a Vietnamese-free text line (the point is the lock).
fn plain() -> Document {
    let mut doc = Document::with_version("1.7");
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let content = doc.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET".to_vec(),
    ));
    let pages = doc.new_object_id();
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::string_literal(b"0123456789abcdef".to_vec()),
            Object::string_literal(b"0123456789abcdef".to_vec()),
        ]),
    );
    doc
}

#[derive(Clone, Copy, Debug)]
enum Cipher {
    Rc4,
    Aes128,
    Aes256,
}

fn encrypted(cipher: Cipher, user: &str, owner: &str, permissions: Permissions) -> Vec<u8> {
    let mut doc = plain();
    let key = [7u8; 32];
    let filters = |f: Arc<dyn CryptFilter>| BTreeMap::from([(b"StdCF".to_vec(), f)]);
    let version = match cipher {
        Cipher::Rc4 => EncryptionVersion::V2 {
            document: &doc,
            owner_password: owner,
            user_password: user,
            key_length: 128,
            permissions,
        },
        Cipher::Aes128 => EncryptionVersion::V4 {
            document: &doc,
            encrypt_metadata: true,
            crypt_filters: filters(Arc::new(Aes128CryptFilter)),
            stream_filter: b"StdCF".to_vec(),
            string_filter: b"StdCF".to_vec(),
            owner_password: owner,
            user_password: user,
            permissions,
        },
        Cipher::Aes256 => EncryptionVersion::V5 {
            encrypt_metadata: true,
            crypt_filters: filters(Arc::new(Aes256CryptFilter)),
            file_encryption_key: &key,
            stream_filter: b"StdCF".to_vec(),
            string_filter: b"StdCF".to_vec(),
            owner_password: owner,
            user_password: user,
            permissions,
        },
    };
    let state = match EncryptionState::try_from(version) {
        Ok(s) => s,
        Err(e) => panic!("{cipher:?}: {e}"),
    };
    if let Err(e) = doc.encrypt(&state) {
        panic!("{cipher:?}: {e}");
    }
    let mut out = Vec::new();
    if let Err(e) = doc.save_to(&mut out) {
        panic!("{cipher:?}: {e}");
    }
    out
}

fn inspect(bytes: &[u8]) -> (tlkc::facts::FileFacts, Vec<Code>) {
    let facts = tlkc::inspect::inspect_bytes("x.pdf".into(), bytes, &Default::default());
    let mut out = Vec::new();
    tlkc::checks::pdf::check(&facts, &mut out);
    (facts, out.into_iter().map(|f| f.code).collect())
}

/// Owner password only: opens without one, so `encrypted` but not
/// `needs_password`, no PDF002, and PDF007 names what the owner forbade.
#[test]
fn owner_password_only_opens_and_names_its_restrictions() {
    let no_print_copy = Permissions::all() - Permissions::PRINTABLE - Permissions::COPYABLE;
    for cipher in [Cipher::Aes256, Cipher::Aes128, Cipher::Rc4] {
        let (facts, codes) = inspect(&encrypted(cipher, "", "owner-secret", no_print_copy));
        assert!(facts.pdf.encrypted, "{cipher:?}");
        assert!(!facts.pdf.needs_password, "{cipher:?}");
        assert!(facts.pdf.readable, "{cipher:?}: {:?}", facts.pdf.error);
        assert_eq!(facts.pdf.text_layer, Some(true), "{cipher:?}");
        assert_eq!(facts.pdf.restrictions, ["print", "copy"], "{cipher:?}");
        assert_eq!(codes, [Code::Pdf007], "{cipher:?}");
    }
    // All rights granted: encrypted, but nothing to report.
    let (facts, codes) = inspect(&encrypted(Cipher::Aes256, "", "owner", Permissions::all()));
    assert!(facts.pdf.encrypted && !facts.pdf.needs_password);
    assert!(facts.pdf.restrictions.is_empty());
    assert!(codes.is_empty(), "{codes:?}");
}

/// A user password: `needs_password`, PDF002, and nothing read.
#[test]
fn user_password_needs_a_password_and_is_pdf002() {
    for cipher in [Cipher::Aes256, Cipher::Aes128, Cipher::Rc4] {
        let (facts, codes) = inspect(&encrypted(
            cipher,
            "user-secret",
            "owner-secret",
            Permissions::all(),
        ));
        assert!(facts.pdf.encrypted, "{cipher:?}");
        assert!(facts.pdf.needs_password, "{cipher:?}");
        assert!(!facts.pdf.readable, "{cipher:?}");
        assert_eq!(codes, [Code::Pdf002], "{cipher:?}");
    }
}

#[test]
fn unencrypted_is_not_encrypted() {
    let mut doc = plain();
    let mut out = Vec::new();
    if let Err(e) = doc.save_to(&mut out) {
        panic!("{e}");
    }
    let (facts, codes) = inspect(&out);
    assert!(!facts.pdf.encrypted && !facts.pdf.needs_password);
    assert!(codes.is_empty(), "{codes:?}");
}
