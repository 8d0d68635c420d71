"""Validate every signature of every file named in a NUL-separated list, in-process,
with pyHanko (the reference validator). Prints one JSON line: seconds per pass.

usage: python3 pyhanko_validate.py FILE_LIST ROOT_PEM [PASSES]
"""
import json
import sys
import time

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def one_pass(paths, root):
    sigs = errors = 0
    for p in paths:
        try:
            with open(p, "rb") as f:
                r = PdfFileReader(f, strict=False)
                for s in r.embedded_signatures:
                    vc = ValidationContext(trust_roots=[root], allow_fetching=False)
                    validate_pdf_signature(s, vc)
                    sigs += 1
        except Exception:  # broken files: pyHanko refuses them, as it should
            errors += 1
    return sigs, errors


def main():
    paths = [p for p in open(sys.argv[1], "rb").read().decode().split("\0") if p]
    root = load_cert_from_pemder(sys.argv[2])
    passes = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    times = []
    for _ in range(passes):
        t = time.perf_counter()
        sigs, errors = one_pass(paths, root)
        times.append(time.perf_counter() - t)
    print(json.dumps({"files": len(paths), "signatures": sigs, "errors": errors, "seconds": times}))


if __name__ == "__main__":
    main()
