#!/usr/bin/env python3
# Finds user-facing text that is not marked for translation: a string
# literal with words in it, passed straight (without _(), C_(), N_() or
# g_dngettext()) as the message of a call that shows text to a person:
# printing, GError messages, the log, command-line usage errors and option
# summaries.  Together with check-po.sh (every marked string translated) it
# means a new English sentence cannot reach a Welsh desk unnoticed.
#
# A literal that is deliberately not translated carries the comment
# "/* not translated: why */" on the same line or the line above (the name
# of the program, a machine-readable line).
#
# Usage: check-i18n.py FILE…   (or --self-test)
import re
import sys

# Function name → index of the argument holding the message.
CALLS = {
    'g_print': 0,
    'g_printerr': 0,
    'g_message': 0,
    'g_warning': 0,
    'printf': 0,
    'puts': 0,
    'fprintf': 1,
    'fputs': 0,
    'g_set_error': 3,
    'g_set_error_literal': 3,
    'g_error_new': 2,
    'g_error_new_literal': 2,
    'g_prefix_error': 1,
    'g_prefix_error_literal': 1,
    'g_propagate_prefixed_error': 2,
    'cc_cli_usage_error': 1,
    'g_option_context_set_summary': 1,
    'g_option_context_set_description': 1,
    'notify_notification_new': 0,
}

# Words that are the same in every language: the programs' own names,
# option names (--month) and the log's field paths (data.suite).
NEUTRAL = re.compile(r'custody-clockd?|custody_event|stdin|stdout|--[a-z][a-z-]*|\bdata\.')
FORMAT = re.compile(r'%(?:\d+\$)?[-+ #0\']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|z|j|t)?[diouxXeEfgGcspn%]')
CALL = re.compile(r'\b(' + '|'.join(sorted(CALLS, key=len, reverse=True)) + r')\s*\(')


def strip_comments(text):
    """Blanks out comments, keeping line numbers and string literals."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def arguments(text, start):
    """The top-level arguments of the call whose '(' is at start."""
    depth, i, n = 0, start, len(text)
    args, current = [], start + 1
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            i = j + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                args.append((current, text[current:i]))
                return args
        elif c == ',' and depth == 1:
            args.append((current, text[current:i]))
            current = i + 1
        i += 1
    return args


def has_words(arg):
    literals = re.findall(r'"((?:[^"\\]|\\.)*)"', arg)
    joined = ''.join(literals)
    joined = re.sub(r'\\.', ' ', joined)
    joined = FORMAT.sub(' ', joined)
    joined = NEUTRAL.sub(' ', joined)
    return re.search(r'[A-Za-z]{2,}', joined) is not None


def check(path, source=None):
    if source is None:
        with open(path, encoding='utf-8') as f:
            source = f.read()
    lines = source.split('\n')
    text = strip_comments(source)
    problems = []
    for m in CALL.finditer(text):
        name = m.group(1)
        args = arguments(text, m.end() - 1)
        index = CALLS[name]
        if index >= len(args):
            continue
        offset, arg = args[index]
        stripped = arg.strip()
        if not stripped.startswith('"'):
            continue  # _ (…), a variable, a function call: not a bare literal
        if not has_words(stripped):
            continue
        line = text.count('\n', 0, offset + len(arg) - len(arg.lstrip())) + 1
        context = '\n'.join(lines[max(0, line - 3):line + 1])
        if 'not translated:' in context:
            continue
        problems.append((path, line, name, stripped.split('\n')[0][:70]))
    return problems


SELF_TEST = r'''
static void f (GError **error, int n)
{
  g_print (_ ("Marked\n"));
  g_print ("%s\n", text);
  g_printerr ("custody-clock: %s\n", message);
  g_set_error (error, Q, 1, _ ("marked %d"), n);
  /* not translated: a machine-readable line */
  g_print ("ok %d\n", n);
  g_set_error (error, Q, 1,
               "an unmarked sentence %d", n);
  g_message ("Another unmarked one");
  fprintf (stderr, "Unmarked too: %s\n", s);
  g_prefix_error (error, "%s: ", path);
}
'''


def main(argv):
    if argv[1:] == ['--self-test']:
        found = [(line, name) for _, line, name, _ in check('self-test.c', SELF_TEST)]
        expected = [(11, 'g_set_error'), (12, 'g_message'), (13, 'fprintf')]
        if found != expected:
            print(f'self-test: found {found}, expected {expected}')
            return 1
        print('ok: the check finds the three unmarked messages of its self-test and nothing else')
        return 0
    problems = []
    for path in argv[1:]:
        problems += check(path)
    for path, line, name, literal in problems:
        print(f'{path}:{line}: {name}() shows {literal} without _(): mark it for translation '
              '(or say why not with /* not translated: … */)')
    if problems:
        print(f'FAIL: {len(problems)} user-facing string(s) not marked for translation')
        return 1
    print(f'ok: {len(argv) - 1} files, every user-facing message is marked for translation')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
