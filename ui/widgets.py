"""Small shared widgets."""

from ui.filters import Filters
from ui.zone_widgets import download_list


def download_excel(
    df, name: str, f: Filters, key: str, sheet: str = "清单", notes: dict[str, str] | None = None
) -> None:
    """A download button for `df` (Chinese headers) as .xlsx, with the filter and `notes` on a
    说明 sheet (the one export helper, `download_list`, without the page's filter line)."""
    download_list(df, name, f, key, None, sheet, notes)
