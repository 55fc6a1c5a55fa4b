"""数据上报: templates, upload, the report and the marked workbook, preview, 发布, versions and 回滚.

Layout only: reading, checking, merging and publishing are `sanqu.publish.intake`."""

import pandas as pd
import streamlit as st

from sanqu.geography import district_name
from sanqu.ingest import marked, report, template
from sanqu.ingest.registers import REGISTERS
from sanqu.publish import intake, versions
from ui import access_log, identity
from ui.layout import page

TYPES = ["xlsx", "xls", "xlsm", "csv"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def allowed() -> list[str]:
    who = identity.current()
    if not intake.may_upload(who.role, who.read_only):
        st.error("无权访问：数据上报只对市、区县管理员开放。")
        st.stop()
    if who.scope.township:  # registers are sent in per county: a township's account cannot replace its county's
        st.error("无权访问：台账按区县上报，乡镇范围的账号不能上报。")
        st.stop()
    return intake.district_choices(who.role, who.scope.codes)


def label(code: str) -> str:
    return "全市（按文件中的区县）" if code == intake.CITY_WIDE else f"{district_name(code)}（{code}）"


def templates() -> None:
    with st.expander("下载填报模板", icon=":material/description:"):
        st.caption(
            "每个台账一个工作表，工作表名称即台账名称；编码和日期列已设为文本格式，选项列有下拉列表，填表说明见最后一页。"
        )
        st.download_button(
            "下载全部台账模板（一个工作簿）",
            template.workbook(list(REGISTERS)),
            "台账模板_全部.xlsx",
            XLSX,
            key="sq_tpl_all",
        )
        reg = st.selectbox("单个台账", REGISTERS, format_func=lambda r: r.label, key="sq_tpl_one")
        st.download_button(f"下载「{reg.label}」模板", template.workbook([reg]), template.file_name(reg), XLSX)


def upload_form(choices: list[str]) -> None:
    district = st.selectbox("上报单位", choices, format_func=label, key="sq_up_district")
    files = st.file_uploader(
        "上传台账文件（.xlsx / .xls / .csv，可多选；或一个每个台账一个工作表的工作簿）",
        type=TYPES,
        accept_multiple_files=True,
        key="sq_up_files",
        on_change=lambda: st.session_state.pop("sq_up_result", None),  # a report is of the files it read
    )
    limit = st.get_option("server.maxUploadSize")
    st.caption(f"可把文件拖放到上方；每个文件不超过 {limit} MB；支持 .xlsx、.xls、.xlsm、.csv")
    if st.button("校验", type="primary", disabled=not files, key="sq_up_check"):
        with st.status("正在读取和校验…", expanded=True) as status:
            result = intake.check([(f.name, f.getvalue()) for f in files or []], district or None, status.write)
            headline = None
            if result.ok:
                status.write("计算发布前后的覆盖率…")
                headline = intake.headline_preview(result)
            status.update(label="校验完成", state="complete" if result.ok else "error", expanded=False)
        st.session_state["sq_up_result"], st.session_state["sq_up_headline"] = result, headline


def part_report(part) -> None:
    with st.container(border=True):  # file names and values are data: st.text / st.dataframe only
        if part.ok:
            st.badge("通过", color="green")
        else:
            st.badge("未通过", color="red")
        st.text(report.title(part))
        st.text(report.balance(part))
        for n in part.notices:
            st.text(n)
        kinds = report.kinds(part.problems)
        if kinds:
            st.dataframe(pd.DataFrame(kinds, columns=["问题类别", "处数"]), hide_index=True)
            st.dataframe(report.table([part]), hide_index=True, key=f"sq_up_problems_{id(part)}")


def results(result: intake.Intake) -> None:
    st.subheader("校验报告")
    if result.ok:
        st.success("全部文件通过校验。")
    else:
        st.error("有文件未通过校验：请下载标注了错误的文件，改正后重新上传。数据尚未发布。")
    for part in result.parts:
        part_report(part)
    if result.problems:
        st.warning("与现有数据的冲突（须先处理）")
        st.dataframe(report.table([], result.problems), hide_index=True)
    for i, (name, data) in enumerate(result.files):
        if any(p.source.file == name and p.problems for p in result.parts):
            out_name, out = marked.marked(name, data, result.parts)
            st.text(f"{name}：标注了错误的工作簿（错误单元格标红，末列为错误说明）")
            st.download_button("下载标注错误的文件", out, out_name, XLSX, key=f"sq_up_marked_{i}")


def preview(result: intake.Intake) -> None:
    if result.merged is None or not result.ok:
        return
    st.subheader("发布预览")
    if result.merged.changes.empty:
        st.info("与当前数据相比没有变化。")
    else:
        st.dataframe(result.merged.changes, hide_index=True, key="sq_up_changes")
    headline = st.session_state.get("sq_up_headline")
    if headline is not None:
        st.caption("最新季度的覆盖率，发布前 → 发布后")
        st.dataframe(headline, hide_index=True, key="sq_up_headline_table")
    if st.button("发布", type="primary", key="sq_up_publish"):
        with st.status("正在发布…", expanded=True) as status:
            try:
                version = intake.publish(result, identity.current().user_id, status.write)
            except Exception as err:  # noqa: BLE001 - the store stays as it was; say why
                status.update(label="发布失败，数据未改变", state="error")
                st.text(str(err))
                return
            status.update(label=f"已发布：版本 {version.number}", state="complete", expanded=False)
        rows = sum(p.rows_in - len(p.bad_rows()) for p in result.parts if p.register is not None)
        access_log.published(identity.current(), version.what, version.files, version.district, rows)
        st.session_state.pop("sq_up_result", None)
        st.success(f"已发布版本 {version.number}（共 {version.total:,} 行）。各页面已使用新数据。")


def history() -> None:
    st.subheader("发布记录")
    found = versions.history()
    if not found:
        st.caption("尚无发布记录。")
        return
    rows = [
        {
            "版本": v.number,
            "时间": v.when,
            "操作人": v.who,
            "操作": v.what,
            "区县": label(v.district) if v.district else "",
            "文件": "、".join(v.files),
            "行数": v.total,
            "校验和": v.checksum[7:23],
        }
        for v in found
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="sq_up_versions")
    who = identity.current()
    if intake.may_roll_back(who.role, who.read_only):
        number = st.selectbox("回滚到版本", [v.number for v in found[1:]], key="sq_up_rollback_to")
        if number is not None and st.button("回滚", key="sq_up_rollback"):
            with st.status(f"正在回滚到版本 {number}…"):
                v = versions.rollback(number, who.user_id)
            access_log.published(who, v.what, v.files, v.district, v.total)
            st.success(f"已回滚到版本 {number}（新版本 {v.number}）。")


choices = allowed()
page("数据上报")
templates()
upload_form(choices)
current = st.session_state.get("sq_up_result")
if current is not None:
    results(current)
    preview(current)
history()
