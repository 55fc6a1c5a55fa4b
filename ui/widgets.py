"""Small shared widgets."""

import streamlit as st

from sanqu import periods as quarters
from sanqu.export import to_excel
from ui.filters import Filters


def download_excel(df, name: str, f: Filters, key: str, sheet: str = "清单") -> None:
    """A download button for `df` (Chinese headers) as .xlsx, with the filter on a 说明 sheet."""
    about = {
        "内容": name,
        "范围": f.scope.label,
        "统计季度": quarters.label(f.period),
        "数据截至": f.data_date,
        "行数": str(len(df)),
    }
    if f.demo:
        about["数据性质"] = "演示数据（生成数据，非真实台账）"
    st.download_button(
        f"导出 Excel（{len(df):,} 行）",
        data=to_excel(df, sheet, about),
        file_name=f"{name}_{f.scope.key}_{f.period}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
    )
