"""``python -m ingest SRC_DIR --index INDEX_DIR [--strict]``"""

from __future__ import annotations

import argparse
import codecs
import sys
from pathlib import Path

from ingest.indexing import IngestError, build_index
from ingest.loading import DocumentError
from ingest.publish import IngestLockedError, kept, sources_elsewhere
from ingest.sources import find_sources
from retriever.embedding import ModelError
from retriever.ranker import RankerError
from retriever.settings import SettingsProblem, read_settings

# Five times the largest of the 169 PDQ summaries the project carries (190 KB).
LARGE_FILE_BYTES = 1_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Index markdown documents for retrieval.",
                                     epilog="Exit status: 0 indexed; 1 indexed, but some files were skipped (each "
                                     "named); 2 nothing published (the previous index is kept); 130 interrupted. "
                                     "PDQ_* settings are read from the environment or .env (README, Settings).")
    parser.add_argument("src", type=_folder, help="folder of .md/.txt files with YAML front matter")
    parser.add_argument("--index", type=Path, default=None,
                        help="index folder to publish (default: $PDQ_INDEX_DIR or ./index)")
    parser.add_argument("--strict", action="store_true", help="stop at the first bad file")
    parser.add_argument("--model", default=None, help="sentence-transformers model name or path")
    parser.add_argument("--faiss-index", choices=["auto", "flat", "hnsw"], default=None,
                        help="dense index kind for this run (default: PDQ_FAISS_INDEX, auto: HNSW from "
                             "PDQ_HNSW_MIN_CHUNKS passages, else exact)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--unless-other", action="store_true",
                        help="leave the index as it is when it serves documents SRC does not hold "
                             "(scripts/serve.sh: an index built from another folder is not replaced by the seeds)")
    args = parser.parse_args(argv)

    overrides = {k: v for k, v in {"model": args.model, "faiss_index": args.faiss_index}.items() if v}
    index_dir = args.index
    try:
        settings = read_settings({name: f"--{name.replace('_', '-')}" for name in overrides}, **overrides)
        index_dir = args.index or settings.index_dir
        if args.unless_other and args.src.is_dir() and (elsewhere := sources_elsewhere(index_dir, args.src)) != []:
            held = ("an index whose manifest cannot be read" if elsewhere is None else
                    f"{len(elsewhere)} document(s) that {args.src} does not hold "
                    f"({', '.join(elsewhere[:3])}{', ...' if len(elsewhere) > 3 else ''})")
            print(f"{index_dir} serves {held}: left as it is. "
                  f"To index {args.src} into it anyway: python -m ingest {args.src} --index {index_dir}")
            return 0
        for note in large_files(args.src):
            print(note, file=sys.stderr)
        report = build_index(args.src, index_dir, settings, strict=args.strict,
                             progress=not args.quiet)
    except DocumentError as err:
        print(f"error: {err} (--strict: nothing indexed, {kept(index_dir)})", file=sys.stderr)
        return 2
    except (IngestError, IngestLockedError, ModelError, RankerError, SettingsProblem) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a folder it may not write, a full disk: one line, not a traceback
        print(f"error: {err.filename or index_dir or 'the index folder'}: {err.strerror or err}; nothing was "
              "published, the previous index (if any) is kept. Check that file's or folder's permissions and "
              "the free space, or name another index folder with --index", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # the link is swapped in one step: what it serves is whole either way
        print("interrupted: the index served is whole, the previous one or, if it was already published, "
              "the new one", file=sys.stderr)
        return 130
    for err in report.errors:
        print(f"skipped {err}", file=sys.stderr)
    print(report.summary())
    if report.replaced:
        print("A service already running on this index serves the new one after a reload: SIGHUP, or POST "
              "/admin/reload (README, Service).")
    if report.errors:
        print(f"error: {len(report.errors)} file(s) could not be ingested (listed above); "
              f"{_indexed(report.documents, report.unchanged)}", file=sys.stderr)
        return 1
    return 0


def _folder(text: str) -> Path:
    """SRC as given; an empty one is refused: read as ".", a script's unset "$DOCS" indexed the
    whole working folder, 179 files of code and notes, for 20 minutes (an operator's trial)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("it is empty; name the folder of summaries to index "
                                         "(python -m ingest seeds --index index); nothing was changed")
    return Path(text)


def large_files(src: Path) -> list[str]:
    """A note for each file far larger than a PDQ summary (the largest of the 169 is 190 KB):
    an operator's trial gave a 30 MB file, which ingest took 9 minutes over, with no word of it
    first. It is indexed all the same."""
    try:
        sizes = [(path, path.stat().st_size) for path in find_sources(src) if path.is_file()] if src.is_dir() else []
    except OSError:  # only advice: the ingest itself names what it cannot read
        return []
    return [f"note: {path} is {size / 2**20:.1f} MB, far larger than a PDQ summary; it is indexed, which may take "
            f"minutes (an index of its passages grows with it)" for path, size in sizes
            if size > LARGE_FILE_BYTES and _opens_as_text(path)]


def _opens_as_text(path: Path) -> bool:
    """Whether ``path`` begins as UTF-8 text (its first 4 KB): a large binary file is skipped,
    named on its own line, and the note that it "is indexed" contradicted that (an operator's
    trial). A file that fails later, or whose front matter is bad, is still noted first."""
    try:
        with path.open("rb") as f:
            codecs.getincrementaldecoder("utf-8")().decode(f.read(4096).removeprefix(b"\xef\xbb\xbf"))
    except (OSError, UnicodeDecodeError):
        return False
    return True


def _indexed(n: int, unchanged: bool = False) -> str:
    """What became of the files that were read: indexed, or already served as they are (then
    nothing was published, and "were indexed" read as if something had been)."""
    if unchanged:
        return "the other document is served as it was" if n == 1 else f"the other {n} are served as they were"
    return "the other document was indexed" if n == 1 else f"the other {n} were indexed"


if __name__ == "__main__":
    sys.exit(main())
