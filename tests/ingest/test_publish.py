"""Publishing an index: the link swap and which versions are kept (no model needed)."""

import os

from ingest.publish import new_version_dir, publish


def test_a_link_written_with_an_absolute_path_keeps_its_version_as_the_previous_one(tmp_path):
    """It was compared by its full path with folder names, so the previous version (which a
    reload may still be reading) was pruned at once."""
    index = tmp_path / "idx"
    first = new_version_dir(index)
    os.symlink(first.absolute(), index)  # as `ln -s "$PWD/.idx-v…" idx` writes it
    second = new_version_dir(index)
    publish(second, index)
    assert index.resolve() == second.resolve() and first.is_dir()
    third = new_version_dir(index)
    publish(third, index)
    assert not first.exists() and second.is_dir()  # two versions kept, as before
