"""The big screen's figures set their layout whole (`screen_charts.finish`): merged as plotly's own
`update_layout` merges an update, so a figure is what it was when it was updated call by call."""

import plotly.graph_objects as go

from sanqu.reports import screen_charts as sc


def _by_updates(fig: go.Figure, *updates: dict) -> dict:
    for u in updates:
        fig.update_layout(u)
    return fig.to_plotly_json()["layout"]


def _by_merge(fig: go.Figure, *updates: dict) -> dict:
    layout = fig.layout.to_plotly_json()
    for u in updates:
        layout = sc.merged(layout, u)
    fig.layout = layout
    return fig.to_plotly_json()["layout"]


def test_merged_as_update_layout_merges():
    def start() -> go.Figure:
        fig = go.Figure(go.Bar(x=[1, 2], y=["甲", "乙"], orientation="h"))
        fig.update_layout(title=dict(text="旧", font=dict(size=10)), xaxis=dict(range=[0, 5], title="x"), bargap=0.1)
        fig.add_annotation(text="旧注", x=0, y=0)
        return fig

    updates = (
        dict(xaxis=dict(showgrid=False), yaxis=dict(type="category"), annotations=[dict(text="新注", x=1, y=1)]),
        dict(template="sanqu_dark", title=dict(text="新", x=0.5), font=dict(size=24), height=400, bargap=0.3),
    )
    got = _by_merge(start(), *updates)
    assert got == _by_updates(start(), *updates)
    assert got["xaxis"]["range"] == [0, 5] and got["xaxis"]["showgrid"] is False  # nested: merged, not replaced
    assert [a["text"] for a in got["annotations"]] == ["新注"]  # a list: replaced
    assert got["title"] == {"text": "新", "font": {"size": 10}, "x": 0.5}


def test_a_finished_figure_has_the_dark_look_and_its_own_layout():
    fig = sc.finish(go.Figure(), "标题", 300, 1.5, layout=dict(xaxis=dict(visible=False), bargap=0.2))
    layout = fig.to_plotly_json()["layout"]
    assert layout["height"] == 450 and layout["bargap"] == 0.2
    assert layout["xaxis"] == {"visible": False, "automargin": True}
    assert layout["template"]["layout"]["paper_bgcolor"] == "rgba(0,0,0,0)"
    assert layout["title"]["font"]["size"] == sc.SIZE_TITLE * 1.5
