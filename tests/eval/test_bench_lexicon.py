"""The lexicon audit: each entry left out alone, and what its questions gain or lose without it."""

from types import SimpleNamespace

from eval.bench.lexicon import EntryCount, count_entry, left_out, table
from retriever import lexicon


def test_an_entry_is_left_out_inside_and_back_after_an_error_too():
    assert lexicon.widenings("my belly hurts after the shot") == {"belly": "abdominal abdomen", "shot": "injection"}
    with left_out("belly"):
        assert lexicon.widenings("my belly hurts after the shot") == {"shot": "injection"}
        assert lexicon.widenings("is my tummy sore") == {"tummy": "abdominal abdomen"}
    assert "belly" in lexicon.widenings("my belly hurts")
    from retriever.health_topics import missing_topics
    from retriever.tokenization import Vocabulary

    uterus = Vocabulary(["uterus"])
    with left_out("womb"):  # abstention no longer finds "womb" as the passages' "uterus"
        assert missing_topics(["womb"], uterus) == ["womb"]
    assert missing_topics(["womb"], uterus) == [] and "womb" in lexicon.LAY_TERMS
    try:
        with left_out("belly"):
            raise RuntimeError("a search failed")
    except RuntimeError:
        pass
    assert "belly" in lexicon.widenings("my belly hurts") and list(lexicon.LAY_TERMS)[0] == "belly"  # its place kept


def test_only_the_questions_using_an_entry_are_counted_before_and_after():
    questions = [SimpleNamespace(question=q) for q in ("my belly hurts", "belly pain at night", "is chemo safe")]

    def first_right(q):  # right first only while "belly" is read as abdominal; refused without it
        read = "belly" in lexicon.widenings(q.question)
        return read, not read

    count = count_entry("belly", questions, first_right)
    assert count == EntryCount("belly", questions=2, gained=0, lost=2, refused=2)


def test_the_table_puts_the_entries_that_hurt_first_and_sums_them():
    text = table([EntryCount("belly", 10, 0, 4, 0), EntryCount("gut", 8, 3, 1, -1), EntryCount("poo", 0, 0, 0, 0)])
    lines = text.splitlines()
    assert lines[2].startswith("| gut | 8 | 3 / 1 | -1 |") and lines[3].startswith("| belly | 10 | 0 / 4 | +0 |")
    assert lines[-1] == "| **all 2 entries, each alone** | 18 | 3 / 5 | -1 |"
