//! `tlkc trust list`: what signatures are judged against — the builtin
//! government CA certificates, the ones a folder or the command line adds,
//! and the known CAs whose certificate tlkc lacks.

use super::*;
use crate::cli::{TrustCommand, TrustListArgs};
use crate::inspect::signature::bundle;

pub(super) fn trust_cmd(cmd: TrustCommand, lang: Lang) -> Result<Exit> {
    match cmd {
        TrustCommand::List(args) => list(args, lang),
    }
}

fn list(args: TrustListArgs, lang: Lang) -> Result<Exit> {
    let mut declared = named(&args.trust_anchors, "--trust-anchor");
    let mut builtin = !args.no_builtin_trust;
    if let Some(dir) = &args.dir {
        let config = FolderConfig::load_dir(dir)?;
        let at = config
            .trust_anchors_at
            .clone()
            .unwrap_or_else(|| "tlkc.toml".into());
        declared.extend(
            config
                .trust_anchors
                .iter()
                .map(|a| (dir.join(a), at.clone())),
        );
        builtin &= !config.no_builtin_trust;
    }
    let bundle = if builtin {
        Some(bundle::bundle().map_err(anyhow::Error::msg)?)
    } else {
        None
    };
    let mut certs = Vec::new();
    for (f, named_at) in &declared {
        let t = crate::run::trust_anchors(&[(f.clone(), named_at.clone())], &[], false, None)?;
        certs.push((f.clone(), t.certs_der));
    }
    crate::report::trust::list(bundle, &certs, lang, &mut std::io::stdout().lock())?;
    Ok(Exit::Ready)
}
