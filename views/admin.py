"""管理: the access list, share links and the audit trail (city administrators only)."""

import streamlit as st

from sanqu.access import tables
from sanqu.access.identity import ROLE_LABELS, ROLES
from sanqu.geography import DISTRICTS, district_name
from ui import admin
from ui.identity import current
from ui.layout import data_table

who = current()
if not who.is_admin:  # the page is only listed for them; a typed address gets nothing either
    st.error("无权访问：管理页仅对市级管理员开放。")
    st.stop()

st.title("管理")
st.caption("访问名单、分享链接与审计日志（保存在访问文件中，不在 git 里）。")
kind, text = st.session_state.pop("sq_admin_msg", (None, ""))
if kind == "error":
    st.error(text)
elif kind == "success":
    st.success(text)


def users_section() -> None:
    st.subheader("用户")
    data_table(admin.read(tables.users_table), "admin_users")
    with st.form("admin_add_user", clear_on_submit=True):
        cols = st.columns([2, 1, 3])
        user_id = cols[0].text_input("用户标识（登录邮箱或统一身份认证账号）", key="admin_user_id")
        role = cols[1].selectbox("角色", ROLES, format_func=lambda r: f"{ROLE_LABELS[r]}（{r}）", key="admin_user_role")
        codes = cols[2].multiselect(
            "区县（区县角色必选；只读、大屏不选即全市）",
            DISTRICTS,
            format_func=district_name,
            placeholder="选择区县",
            key="admin_user_codes",
        )
        if st.form_submit_button("添加或更新用户", icon=":material/person_add:"):
            admin.add_user(user_id, role, codes)
            st.rerun()
    ids = list(admin.read(tables.users_table)["用户"])
    cols = st.columns([3, 1], vertical_alignment="bottom")
    gone = cols[0].selectbox("删除用户", ids, index=None, placeholder="选择用户", key="admin_remove_id")
    cols[1].button("删除", on_click=admin.remove_user, args=(gone,), disabled=gone is None, key="admin_remove")


def links_section() -> None:
    st.subheader("分享链接")
    data_table(admin.links_table(), "admin_links")
    active = {x.id: f"{x.id} · {x.path}" for x in admin.active_links()}
    cols = st.columns([3, 1], vertical_alignment="bottom")
    chosen = cols[0].selectbox(
        "撤销分享链接", list(active), None, active.get, placeholder="选择有效的链接", key="admin_revoke_id"
    )
    cols[1].button("撤销", on_click=admin.revoke_link, args=(chosen,), disabled=chosen is None, key="admin_revoke")
    st.caption("命令行：python -m sanqu share --district 代码 --days 天数；share list；share revoke 编号")


def audit_section() -> None:
    st.subheader("审计日志")
    st.caption("最近 200 条：登录、拒绝访问、导出、分享链接的创建与使用、导入（命令行：python -m sanqu audit）")
    data_table(admin.read(tables.audit_table, 200), "admin_audit")


for key, section in (
    ("sq_admin_users", users_section),
    ("sq_admin_links", links_section),
    ("sq_admin_audit", audit_section),
):
    with st.container(key=key):
        section()
