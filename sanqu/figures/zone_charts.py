"""The 工业园区 page's organisation tree, a plotly treemap in the "sanqu" template (Vega-Lite has no
treemap). The zone pages' other charts are Vega-Lite specs (`vega_zone`, `vega_community`)."""

import pandas as pd
import plotly.graph_objects as go

from sanqu.figures import charts  # noqa: F401  (registers the "sanqu" template)
from sanqu.figures.plotly_text import escape, figure

TREE_TEXT = 15  # px: the treemap's labels (the page's body text is 14-16 px)
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


@figure
def org_tree(tree: pd.DataFrame, root_label: str, height: int = 560, note: str | None = None) -> go.Figure:
    """The organisation tree as a treemap (click a box to drill down); size = covered enterprises;
    `note` (what the tree leaves out) above it."""
    labels = tree["name"].where(tree["org_id"] != "root", root_label)
    level = tree["level"].where(tree["org_id"] != "root", "")
    fig = go.Figure(
        go.Treemap(
            ids=tree["org_id"],
            parents=tree["parent"],
            labels=labels,
            values=tree["enterprises"],
            branchvalues="total",
            maxdepth=3,
            customdata=pd.DataFrame({"level": level, "members": tree["members"], "form": tree["form"]}).to_numpy(),
            texttemplate="%{label}<br>%{value:,} 家企业",
            textfont=dict(size=TREE_TEXT),
            insidetextfont=dict(size=TREE_TEXT),
            hovertemplate="%{label}<br>%{customdata[0]} %{customdata[2]}<br>覆盖企业 %{value:,} 家"
            "<br>党员 %{customdata[1]:,} 名<extra></extra>",
            marker=dict(colorscale=[[0, "#fbe3e1"], [1, "#c8161d"]], colors=tree["enterprises"], line=dict(width=1)),
            root=dict(color="#f6f6f6"),
            pathbar=dict(visible=True),
        )
    )
    # one readable size in every box; a box too small for it shows no text (hover still does)
    fig.update_layout(
        template="sanqu",
        height=height,
        margin=dict(l=0, r=0, t=30, b=0),
        uniformtext=dict(minsize=TREE_TEXT, mode="hide"),
    )
    if note:
        fig.update_layout(
            margin=dict(t=60),
            title=dict(text=escape(note), font=dict(size=13), x=0, xanchor="left"),
        )
    return fig
