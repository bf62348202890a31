"""The demo's outgoing mail, caught on the machine (`tools/dev run`, `tools/dev mail`).

serve: an SMTP server on 127.0.0.1 (aiosmtpd) that delivers nothing: it keeps each message as
       <dir>/NNNN.eml and a line "NNNN  date  to  subject" in <dir>/index.txt, and prints that line.
list:  the index (who received what).
show:  the text of message NNNN (its plain part, or its HTML part as text), with its headers.
"""

import argparse
import email
import email.policy
import html
import re
import signal
import sys
import time
from pathlib import Path


def _number(folder):
    numbers = [int(p.stem) for p in folder.glob("*.eml") if p.stem.isdigit()]
    return max(numbers, default=0) + 1


class KeepMessages:
    """aiosmtpd handler: each message accepted is written to the folder, none is delivered."""

    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        number = _number(self.folder)
        (self.folder / f"{number:04d}.eml").write_bytes(envelope.content)
        line = (
            f"{number:04d}  {time.strftime('%Y-%m-%d %H:%M')}  to {', '.join(envelope.rcpt_tos)}  {message['subject']}"
        )
        with (self.folder / "index.txt").open("a") as index:
            index.write(line + "\n")
        print(f"[mail caught] {line}", flush=True)
        return "250 Message kept by the demo's mail sink"


def serve(folder, port):
    from aiosmtpd.controller import Controller  # noqa: PLC0415 (only the server needs it)

    controller = Controller(KeepMessages(folder), hostname="127.0.0.1", port=port)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        controller.stop()


def _text(message):
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    # without the invisible characters of the e-mail's preview text
    content = re.sub("[\u034f\u200b\u200c\u00ad]", "", part.get_content())
    if part.get_content_type() == "text/html":
        content = re.sub(r"<(br|/p|/div|/tr|/h\d|/li)[^>]*>", "\n", content, flags=re.I)
        content = html.unescape(re.sub(r"<[^>]+>", "", content))
    content = re.sub(r"\n\s*\n+", "\n\n", content)
    return content.strip()


def show(folder, number):
    path = folder / f"{int(number):04d}.eml"
    if not path.is_file():
        sys.exit(f"no message {number} in {folder} (tools/dev mail lists them)")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    for header in ("Date", "From", "To", "Subject"):
        print(f"{header}: {message[header]}")
    attachments = [part.get_filename() for part in message.iter_attachments()]
    if attachments:
        print(f"Attachments: {', '.join(name or '?' for name in attachments)}")
    print()
    print(_text(message))
    print(f"\n(the whole message: {path})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("serve", "list", "show"))
    parser.add_argument("number", nargs="?", help="show: the message number (first column of the list)")
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--port", type=int, default=8025)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    if args.command == "serve":
        serve(args.dir, args.port)
    elif args.command == "list":
        index = args.dir / "index.txt"
        print(index.read_text().rstrip() if index.is_file() else "No mail caught yet.")
    else:
        if not args.number:
            parser.error("show needs the message number (tools/dev mail lists them)")
        show(args.dir, args.number)


if __name__ == "__main__":
    main()
