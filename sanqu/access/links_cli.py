"""`python -m sanqu share …` (make, list, revoke share links) and `python -m sanqu audit`."""

import argparse
import getpass
import sys
from contextlib import closing

from sanqu import settings
from sanqu.access import accessdb, audit, clock, links

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8501"


def public_url() -> str:
    """The app's public address for links made outside a request (setting `public_url`)."""
    return settings.get("public_url").strip() or DEFAULT_PUBLIC_URL


def parser(sub) -> None:
    """The `share` and `audit` subcommands, on the main parser's subparsers."""
    p = sub.add_parser("share", help="make a signed, expiring share link; `share list`, `share revoke ID`")
    p.add_argument("--district", help="CODE[,CODE…]: the districts the link shows")
    p.add_argument("--days", type=float, help="days the link stays valid")
    p.add_argument("--path", default="/overview", help="the page and its parameters, e.g. '/map?layers=parks'")
    p.add_argument("--by", default=None, help="who made it (for the audit trail; default the system user)")
    actions = p.add_subparsers(dest="action")
    actions.add_parser("list", help="every share link with its status")
    rm = actions.add_parser("revoke", help="revoke a link by its id")
    rm.add_argument("id")
    a = sub.add_parser("audit", help="print the latest lines of the audit trail")
    a.add_argument("--limit", type=int, default=50)


def _create(args: argparse.Namespace) -> int:
    if not args.district or args.days is None:
        print("用法：python -m sanqu share --district CODE[,CODE…] --days N [--path '/map?…']", file=sys.stderr)
        return 2
    by = args.by or f"cli:{getpass.getuser()}"
    now = clock.now()
    codes = [c.strip() for c in args.district.split(",") if c.strip()]
    with closing(accessdb.connect()) as conn:
        try:
            link, tok = links.create(conn, codes, args.days, args.path, by, now)
        except ValueError as err:
            print(err, file=sys.stderr)
            return 2
        full = links.url(public_url(), link, tok)
        audit.record(conn, now, by, "cli", "link_created", f"{link.id} {link.path}", link.codes)
    print(full)
    print(
        f"编号 {link.id} · {links.granted(link.codes).label} · 有效至 {clock.shown(link.expires_at)}", file=sys.stderr
    )
    return 0


def _list() -> int:
    now = clock.now()
    with closing(accessdb.connect()) as conn:
        rows = links.list_links(conn)
    print(f"# {accessdb.path()}: {len(rows)} share links")
    for x in rows:
        print(
            f"{x.id}  {x.status(now)}  {links.granted(x.codes).label}  有效至 {clock.shown(x.expires_at)}  "
            f"打开 {x.uses} 次  {x.path}  由 {x.created_by} 创建于 {clock.shown(x.created_at)}"
        )
    return 0


def _revoke(link_id: str, by: str) -> int:
    now = clock.now()
    with closing(accessdb.connect()) as conn:
        if not links.revoke(conn, link_id, now):
            print(f"没有可撤销的分享链接 {link_id}（编号不存在或已撤销）", file=sys.stderr)
            return 1
        link = links.find(conn, link_id)
        audit.record(conn, now, by, "cli", "link_revoked", link_id, link.codes if link else "")
    print(f"已撤销 {link_id}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "audit":
        with closing(accessdb.connect()) as conn:
            entries = audit.latest(conn, args.limit)
        for entry in reversed(entries):  # oldest first, the newest last, as a log reads
            print(entry.line())
        return 0
    if args.action == "list":
        return _list()
    if args.action == "revoke":
        return _revoke(args.id, args.by or f"cli:{getpass.getuser()}")
    return _create(args)
