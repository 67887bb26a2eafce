#!/usr/bin/python3
"""Fail when a function of the library is longer than LIMIT lines without a reason.

A function is the house layout: its signature starts in column 0, its body opens with `{` in
column 0 and closes with `}` in column 0. Its length is the number of lines from the opening
to the closing brace. A function may be longer when a comment `/* long: REASON */` sits on one
of the five lines above its signature (a dispatch table written as a switch, say): the reason
is for the reader, so it must say something.

usage: longfuncs.py [--limit N] DIR_OR_FILE...
"""
import os
import re
import sys

LIMIT = 120
# Functions that may stay over the limit without a comment: none (give a reason instead).
ALLOWED = set()
NAME = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\s*\(')
REASON = re.compile(r'/\*\s*long:\s*\S.{8,}')


def functions(path):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    i = 0
    while i < len(lines):
        if lines[i] == '{':
            # the signature: back to the first line of the declaration
            j = i - 1
            while j > 0 and lines[j - 1].strip() and not lines[j - 1].rstrip().endswith(
                    (';', '}', '*/')) and not lines[j - 1].startswith(('#', '/', ' *')):
                j -= 1
            sig = ' '.join(lines[j:i])
            m = NAME.search(sig)
            k = i + 1
            while k < len(lines) and lines[k] != '}':
                k += 1
            if m and '=' not in sig.split('(')[0]:
                above = '\n'.join(lines[max(0, j - 5):j + 1])
                yield m.group(1), j + 1, k - i + 1, bool(REASON.search(above))
            i = k
        i += 1


def sources(args):
    for a in args:
        if os.path.isdir(a):
            for root, _, files in os.walk(a):
                for f in sorted(files):
                    if f.endswith('.c'):
                        yield os.path.join(root, f)
        else:
            yield a


def main(argv):
    limit = LIMIT
    if argv[:1] == ['--limit']:
        limit, argv = int(argv[1]), argv[2:]
    bad = 0
    for path in sorted(sources(argv)):
        for name, line, n, reason in functions(path):
            if n > limit:
                allowed = reason or name in ALLOWED
                print(f'{path}:{line}: {name}: {n} lines'
                      + (' (reason given)' if reason else ' (allowed for now)'
                         if allowed else f', more than {limit}'))
                bad += not allowed
    print(f'{bad} functions over {limit} lines without a reason')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
