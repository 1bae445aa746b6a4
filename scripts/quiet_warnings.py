"""Filters the library warnings out of Rasa's output, keeping its log lines and progress bars:
`rasa train ... 2>&1 | python scripts/quiet_warnings.py`.

Rasa 3.6 pins old libraries, which warn on every start about their own deprecations (pkg_resources,
pyparsing, SQLAlchemy 2.0, Keras, Click...), and its validator warns about things that are so by design
here (scripts/validate.sh says which). Dropped: deprecation and future warnings, and those by-design ones.
Every other warning is shown. Progress bars (redrawn with a carriage return) pass through as they are
drawn on a terminal; in a log file (CI) only each bar's last state is kept. Standard library only.
"""

from __future__ import annotations

import io
import re
import sys
import time
from typing import BinaryIO

WARNING = re.compile(rb"^(?:\x1b\[[0-9;]*m)*\S+\.py:\d+: (\w+): ")
NOISE = re.compile(rb"\w*(?:Deprecation|MovedIn20|FutureWarning|RemovedIn)\w*")
# What scripts/validate.sh accepts: a form's utter_ask_<slot> responses are used by the form, which the
# validator doesn't see; these intents are set only by the safety screen or a button.
BY_DESIGN = re.compile(
    rb"The utterance 'utter_ask_[a-z_]+' is not used in any story or rule"
    rb"|The intent '(?:immediate_danger|unclear_concern|everyday_or_concern|correct_field)' is listed in the domain"
    rb" file, but is not found"
)
LOG_EVERY = 30.0  # seconds between a progress bar's states in a log file
RESET = b"\x1b[0m"
LOG_LINE = re.compile(rb"^(?:\x1b\[[0-9;]*m)*(?:\d{4}-\d\d-\d\d |\[\d{4}-)")


def quiet(stream_in: io.BufferedReader, stream_out: BinaryIO) -> None:
    live = stream_out.isatty()
    logged = time.monotonic()
    dropping = False  # inside a dropped warning: its message's further lines and its source line
    line = b""
    while chunk := stream_in.read1(4096):
        line += chunk
        *complete, line = line.split(b"\n")
        for text in complete:
            if not live:
                text = text.rpartition(b"\r")[2]
            if dropping:  # Rasa colours its warnings and resets the colour at the start of the next line
                text = text.removeprefix(RESET)
            header = WARNING.match(text)
            if header:
                dropping = bool(NOISE.fullmatch(header.group(1)) or BY_DESIGN.search(text))
            elif dropping and (LOG_LINE.match(text) or not text.strip()):
                dropping = False
            elif dropping and text.startswith(b"  "):  # the source line ends a warning
                dropping = False
                continue
            if not dropping:
                stream_out.write(text + b"\n")
        # A progress bar being redrawn: on a terminal, show it now, not when its line ends; in a log, its
        # state every half minute, so a long step shows it is moving.
        if b"\r" in line and not dropping and not WARNING.match(line):
            drawn, _, line = line.rpartition(b"\r")
            if live:
                stream_out.write(drawn + b"\r")
            else:
                latest = drawn.rpartition(b"\r")[2]
                if latest and time.monotonic() - logged >= LOG_EVERY:
                    stream_out.write(latest + b"\n")
                    logged = time.monotonic()
                line = b"\r" + line  # the text after the last return is what is kept when the line ends
        stream_out.flush()
    if line and not dropping:
        stream_out.write(line)
        stream_out.flush()


if __name__ == "__main__":
    quiet(sys.stdin.buffer, sys.stdout.buffer)
