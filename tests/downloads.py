"""What AppTest's download buttons offer: the file of an eager button (its media address) or
of a deferred one (its file made now, as a press in the browser makes it)."""

from streamlit.runtime.media_file_manager import MediaFileManager


class Manager(MediaFileManager):
    """AppTest's media file manager, remembered so that a test can read what a button offers."""

    last: "Manager | None" = None

    def __init__(self, storage):
        super().__init__(storage)
        Manager.last = self


def offered(button) -> bytes:
    """The bytes behind a download button of the last AppTest run (the `media` fixture of conftest in use)."""
    assert Manager.last is not None, "the media fixture is not in use"
    url = button.proto.url
    if not url:
        assert button.proto.deferred_file_id, f"download button {button.proto.label!r} offers nothing"
        url = Manager.last.execute_deferred(button.proto.deferred_file_id)
    return Manager.last._storage.get_file(url.rsplit("/", 1)[-1]).content  # noqa: SLF001


def is_download(button) -> bool:
    """An enabled download button (eager or made on press)."""
    return bool(button.proto.url or button.proto.deferred_file_id)
