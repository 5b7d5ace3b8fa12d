"""A small corpus of one-passage summaries that the scope tests search (`retriever.scope`)."""

from collections import Counter

from retriever.models import Chunk
from retriever.planning import Planner
from retriever.scope import CANCER_TYPE
from retriever.spelling import Speller

DOCS = {
    "colon": ("Colon Cancer Treatment", "Surgery to remove the colon is the most common treatment."),
    "pancreatic": ("Pancreatic Cancer Treatment", "A Whipple procedure removes the head of the pancreas."),
    "cohosh": ("Black Cohosh", "Black cohosh is a plant used for hot flashes at night."),
    "diet": ("Eating Well", "Some foods are hard to digest after a colostomy."),
    "ostomy": ("Colon Ostomy Care", "A colostomy bag is changed every few days."),
    "carcinoid": ("Anal Carcinoid Tumors", "A carcinoid tumor can grow in the lining; a blood analysis finds it."),
    "urethral": ("Urethral Cancer Treatment", "Bladder and/or prostate cancer may occur at the same time."),
    "support": ("Colon Cancer Support", "Support groups meet every week."),
    "urology": ("Urologic Care", "Bladder and/or prostate cancer may occur at the same time."),
    "merkel": ("Merkel Cell Carcinoma Treatment", "Merkel cell carcinoma is rarer than melanoma."),
    "herbs": ("Mistletoe Extracts", "Mistletoe extracts have been studied in the lab."),
    "hot": ("Hot Flashes and Night Sweats", "Hot flashes in men treated for prostate cancer may be eased."),
    "penile": ("Penile Cancer Treatment", "A doctor feels the penis and nearby lymph nodes for lumps."),
    "rectum": ("Rectum Care", "After rectal surgery the bowel heals in a few weeks."),
}
# A passage's own heading (the others': "Overview").
HEADINGS = {"urology": "Prostate cancer and the bladder", "penile": "Tests that examine the penis"}
# Summaries about a remedy or a symptom, not a cancer type (`scope.CANCER_TYPE`).
REMEDIES = {"cohosh", "diet", "herbs", "hot"}


def scope_chunks() -> list[Chunk]:
    return [Chunk(id=f"{d}#0", doc_id=d, source=f"{d}.md", title=title, url=f"https://example.org/{d}",
                  heading_path=[title, HEADINGS.get(d, "Overview")], section=HEADINGS.get(d, "Overview"), text=text,
                  tags=[] if d in REMEDIES else [CANCER_TYPE])
            for d, (title, text) in DOCS.items()]


def scope_planner(chunks: list[Chunk]) -> Planner:
    return Planner(Speller(Counter(w for c in chunks for w in (c.title + " " + c.text).lower().split())))
