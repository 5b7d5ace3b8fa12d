"""What an ingest reports: counts, time, the files skipped and the documents dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.sources import DocumentError


@dataclass
class BuildReport:
    documents: int = 0
    chunks: int = 0
    sentences: int = 0
    embedded: int = 0
    reused: int = 0
    reused_documents: int = 0
    seconds: float = 0.0
    index_dir: Path | None = None
    errors: list[DocumentError] = field(default_factory=list)
    # Documents the previous index served that this one does not: their files left the folder.
    dropped: tuple[str, ...] = ()
    replaced: bool = False  # an index was published before this one
    unchanged: bool = False  # the published index already was this one: nothing was published
    damaged: str = ""  # why the index published before cannot be served ("": it can, or there was none)

    def summary(self) -> str:
        rate = self.chunks / self.seconds if self.seconds else 0.0
        # A first index has no previous one to reuse from: only the texts its documents repeat.
        same = self.reused_documents
        before = self.replaced or self.unchanged
        reused = (f"texts repeated in the documents or already in the previous index; {same} unchanged "
                  f"document{'s' if same != 1 else ''}" if before else "texts the documents repeat")
        line = (f"indexed {self.documents} document{'s' if self.documents != 1 else ''} -> {self.chunks} chunks in "
                f"{self.seconds:.1f} s ({rate:.1f} chunks/s); embedded {self.embedded} texts, "
                f"reused {self.reused} vectors ({reused})")
        if self.errors:
            line += f"; skipped {len(self.errors)} bad file(s)"
        if self.unchanged:
            line += "\nthe published index already holds these documents as they are: nothing was published"
        if self.damaged and self.replaced:
            line += (f"\nthe index served before is damaged ({self.damaged}): nothing was reused from it, and "
                     "the version kept beside the new one to roll back to is that one; a reload to it is refused")
        if self.dropped:
            more = len(self.dropped) - 5
            names = ", ".join(self.dropped[:5]) + (f" and {more} more" if more > 0 else "")
            line += f"\nno longer indexed ({len(self.dropped)}, their files are not in the folder): {names}"
        return line
