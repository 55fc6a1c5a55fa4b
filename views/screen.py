"""大屏: the big-screen briefing (also any page's link with ?mode=screen)."""

from ui.screen import keep_filters, render

render(back=keep_filters())
