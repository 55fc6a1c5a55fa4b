"""Demonstration sites (示范点): progress, status and stage computed from milestones.

Rules (documented here and shown on the pages):
- progress = milestones done ÷ all milestones of the site (a site with none: 0 %, status amber).
- status as of `today` (injectable):
  red   (逾期)  — a milestone is not done and its due date is before today;
  amber (预警)  — otherwise, a milestone not done is due within AMBER_DAYS (today included),
                  or the site has no milestones;
  green (正常)  — everything else.
- computed stage = the stage of the first milestone not done (命名 when all are done).
"""

import datetime as dt

import pandas as pd

from sanqu.db import Database
from sanqu.scope import Scope

AMBER_DAYS = 30
STATUS_LABELS = {"red": "逾期", "amber": "预警", "green": "正常"}
STAGES = ("培育", "建设", "验收", "命名")

SITES_SQL = """
WITH m AS (
    SELECT site_id, count(*) AS milestones, count(done) AS milestones_done,
           bool_or(done IS NULL AND due < $today) AS overdue,
           bool_or(done IS NULL AND due <= $today + to_days(CAST($amber AS INTEGER))) AS due_soon,
           arg_min(stage, seq) FILTER (WHERE done IS NULL) AS next_stage
    FROM milestones GROUP BY site_id
)
SELECT s.site_id, s.name, s.zone, s.district, s.entity_type, s.entity_id, s.leader_role,
       s.stage AS recorded_stage,
       CASE WHEN coalesce(m.milestones, 0) = 0 THEN $first_stage
            ELSE coalesce(m.next_stage, $last_stage) END AS stage,
       CASE WHEN coalesce(m.milestones, 0) = 0 THEN 'amber'
            WHEN m.overdue THEN 'red'
            WHEN m.due_soon THEN 'amber'
            ELSE 'green' END AS status,
       coalesce(m.milestones_done / m.milestones, 0.0) AS progress,
       coalesce(m.milestones_done, 0) AS milestones_done, coalesce(m.milestones, 0) AS milestones
FROM demo_sites s LEFT JOIN m USING (site_id)
WHERE list_contains($scope, s.district)
ORDER BY s.site_id
"""


def sites(db: Database, scope: Scope, today: dt.date) -> pd.DataFrame:
    """One row per demonstration site with computed status, progress and stage."""
    return db.query(SITES_SQL, scope, today=today, amber=AMBER_DAYS, first_stage=STAGES[0], last_stage=STAGES[-1])


def district_progress(db: Database, scope: Scope, today: dt.date) -> pd.DataFrame:
    """Per district: milestones done (numerator) over all milestones (denominator)."""
    df = sites(db, scope, today)
    g = df.groupby("district", as_index=False)[["milestones_done", "milestones"]].sum()
    return g.rename(columns={"milestones_done": "numerator", "milestones": "denominator"})
