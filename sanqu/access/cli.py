"""`python -m sanqu users add|list|remove`: the access list from the command line."""

import argparse
import sys

from sanqu.access import accessdb, users
from sanqu.access.identity import ROLES


def parser(sub) -> None:
    """The `users` subcommand and its actions, on the main parser's subparsers."""
    p = sub.add_parser("users", help="the access list: add, list, remove")
    actions = p.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add a user or change its role and districts")
    add.add_argument("id", help="the user id: the OIDC claim (email) or the proxy header's value")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--district", default=None, help="CODE[,CODE…] (county: required; viewer/screen: default city)")
    actions.add_parser("list", help="every user, role and scope")
    rm = actions.add_parser("remove", help="remove a user")
    rm.add_argument("id")


def run(args: argparse.Namespace) -> int:
    if args.action == "add":
        try:
            user = users.add(args.id, args.role, args.district)
        except users.UserError as err:
            print(err, file=sys.stderr)
            return 2
        print(f"已保存 {users.describe(user)}  ({accessdb.path()})")
        return 0
    if args.action == "list":
        rows = users.all_users()
        print(f"# {accessdb.path()}: {len(rows)} users")
        for user in rows:
            print(users.describe(user))
        return 0
    if users.remove(args.id):
        print(f"已删除 {args.id}")
        return 0
    print(f"没有用户 {args.id}", file=sys.stderr)
    return 1
