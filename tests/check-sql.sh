#!/bin/sh
# "Every SQL statement is prepared with bound parameters; no statement is
# built from data."  Checks the source for it:
#
#  1. Only the store, src/libcustodyclock/cc-store.c and the other
#     cc-store*.c files (one concern each), runs SQL (sqlite3_exec,
#     sqlite3_prepare*): every statement is in them, to be reviewed.
#     Nothing else includes their private header (whose helpers run SQL).
#  2. There, the SQL handed to sqlite3_exec, sqlite3_prepare*, and the
#     store's own prepare(), exec(), pragma_text() and query_int64() is a literal
#     (literals and literal macros, which the compiler will only join to
#     literals).  The only other things allowed: the wrappers' own `sql`
#     parameter (prepare() is a macro over prepare_cached()), the table of
#     migration literals, and the one PRAGMA that takes no parameters
#     (cc_store_set_max_pages(), an unsigned integer).
#  3. Nowhere in src/ is text with an SQL keyword built at run time:
#     g_strdup_printf() and friends may format SQL from integers only
#     (%d, %u, G_GINT64_FORMAT), and string joins (g_strconcat(),
#     g_string_append() …) may not hold SQL at all.
#
# Usage: check-sql.sh [SRCDIR]   (default: $CUSTODY_CLOCK_SOURCE_ROOT/src)
set -eu

src=${1:-${CUSTODY_CLOCK_SOURCE_ROOT:?}/src}
command -v perl >/dev/null 2>&1 || { echo "# skip: perl is not installed"; exit 77; }
[ -f "$src/libcustodyclock/cc-store.c" ] || { echo "not ok - no $src/libcustodyclock/cc-store.c"; exit 1; }

find "$src" -name '*.c' -o -name '*.h' | sort | perl -e '
use strict;
use warnings;

my $store = "libcustodyclock/cc-store*.c";
my $store_file = qr{/libcustodyclock/cc-store[^/]*\.c$};
my $keywords = qr/\b(?:SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|PRAGMA|ALTER|ATTACH|DETACH|VACUUM|REPLACE|BEGIN|COMMIT|ROLLBACK|SAVEPOINT)\b/;
my @failures;
my $n_calls = 0;

# Comments become spaces and the insides of string and character literals
# become "x", keeping every offset, so that parentheses and commas can be
# matched on the result and the original text read at the same places.
sub mask {
  my ($text) = @_;
  my $out = $text;
  my $len = length $text;
  my $i = 0;
  while ($i < $len) {
    my $c = substr ($text, $i, 1);
    my $d = substr ($text, $i, 2);
    if ($d eq "/*") {
      my $end = index ($text, "*/", $i + 2);
      $end = $len - 2 if $end < 0;
      for my $j ($i .. $end + 1) { substr ($out, $j, 1) = " " unless substr ($text, $j, 1) eq "\n"; }
      $i = $end + 2;
    } elsif ($d eq "//") {
      my $end = index ($text, "\n", $i);
      $end = $len if $end < 0;
      for my $j ($i .. $end - 1) { substr ($out, $j, 1) = " "; }
      $i = $end;
    } elsif ($c eq "\"" || $c eq "\x27") {
      my $j = $i + 1;
      while ($j < $len && substr ($text, $j, 1) ne $c) {
        substr ($out, $j, 1) = "x";
        if (substr ($text, $j, 1) eq "\\") { $j++; substr ($out, $j, 1) = "x" if $j < $len; }
        $j++;
      }
      $i = $j + 1;
    } else {
      $i++;
    }
  }
  return $out;
}

sub line_of { my ($text, $pos) = @_; return 1 + (substr ($text, 0, $pos) =~ tr/\n//); }

# The arguments of the call whose "(" is at $open: [start, end) offsets.
sub call_args {
  my ($masked, $open) = @_;
  my ($depth, $start, @args) = (0, $open + 1);
  for (my $i = $open; $i < length $masked; $i++) {
    my $c = substr ($masked, $i, 1);
    if ($c eq "(" || $c eq "[" || $c eq "{") { $depth++; }
    elsif ($c eq ")" || $c eq "]" || $c eq "}") {
      $depth--;
      if ($depth == 0) { push @args, [$start, $i]; return (\@args, $i); }
    } elsif ($c eq "," && $depth == 1) { push @args, [$start, $i]; $start = $i + 1; }
  }
  return (\@args, length $masked);
}

# The function around $pos: GNU style puts its name at the start of a line.
sub function_at {
  my ($masked, $pos) = @_;
  my $name = "";
  while ($masked =~ /^([A-Za-z_]\w*) \(/mg) { last if $-[0] > $pos; $name = $1; }
  return $name;
}

sub trim { my ($s) = @_; $s =~ s/^\s+|\s+$//g; return $s; }

while (my $file = <STDIN>) {
  chomp $file;
  open my $fh, "<", $file or die "$file: $!";
  my $text = do { local $/; <$fh> };
  close $fh;
  my $masked = mask ($text);
  (my $rel = $file) =~ s{.*/src/}{src/};
  my $is_store = $file =~ $store_file;

  # 1.: the helpers of the store (cc-store-private.h) run SQL: only the
  # store includes them.
  if (!$is_store) {
    while ($text =~ /^[ \t]*#[ \t]*include[ \t]*"cc-store-private\.h"/mg) {
      push @failures, "$rel:" . line_of ($text, $-[0]) . ": cc-store-private.h included outside $store: its helpers run SQL";
    }
  }

  # 1. and 2.: the calls that run SQL.
  my $runners = $is_store ? qr/\b(sqlite3_exec|sqlite3_prepare\w*|prepare|exec|pragma_text|query_int64)\s*\(/
                          : qr/\b(sqlite3_exec|sqlite3_prepare\w*)\s*\(/;
  while ($masked =~ /$runners/g) {
    my ($name, $at) = ($1, $-[0]);
    my $open = $+[0] - 1;
    my $line = line_of ($text, $at);
    pos ($masked) = $open + 1;
    next if substr ($masked, 0, $at) =~ /(?:^|\n)$/; # a definition, not a call
    if (!$is_store) {
      push @failures, "$rel:$line: $name() outside $store: every SQL statement belongs in the store (cc-store*.c)";
      next;
    }
    my ($args) = call_args ($masked, $open);
    next unless @$args >= 2;
    $n_calls++;
    my $sql = trim (substr ($text, $args->[1][0], $args->[1][1] - $args->[1][0]));
    my $function = function_at ($masked, $at);
    next if $sql =~ /^"/;
    next if $sql eq "sql" && $function =~ /^(prepare_cached|exec|pragma_text|query_int64|cc_store_set_max_pages)$/;
    next if $sql eq "migrations[version]" && $function eq "migrate";
    push @failures, "$rel:$line: $name() in $function() runs SQL that is not a literal: $sql";
  }

  # 3.: SQL text built at run time.
  while ($masked =~ /\b(g_strdup_printf|g_strdup_vprintf|g_string_printf|g_string_append_printf|g_string_prepend|g_string_append|g_string_new|g_strconcat|g_strjoin|g_snprintf|g_sprintf|snprintf|sprintf|asprintf)\s*\(/g) {
    my ($name, $at) = ($1, $-[0]);
    my $open = $+[0] - 1;
    my ($args, $close) = call_args ($masked, $open);
    pos ($masked) = $open + 1;
    my $call = substr ($text, $at, $close - $at + 1);
    my $literals = join "", ($call =~ /"((?:[^"\\]|\\.)*)"/g);
    next unless $literals =~ $keywords;
    my $line = line_of ($text, $at);
    if ($name !~ /printf$/) {
      push @failures, "$rel:$line: $name() joins text holding SQL: bind the values as parameters instead";
      next;
    }
    # Every conversion an integer: %d %u (with flags and length), or a
    # literal ending in "%" joined to G_GINT64_FORMAT and friends.
    my $bad = 0;
    for my $lit ($call =~ /"((?:[^"\\]|\\.)*)"/g) {
      (my $l = $lit) =~ s/%%//g;
      while ($l =~ /%([-+ #0-9.*]*)(hh|h|ll|l|j|z|t)?(.?)/g) {
        my $conv = $3;
        next if $conv =~ /^[diu]$/;
        next if $conv eq "" && $call =~ /"\s*G_G(U?INT64|SIZE|SSIZE)_FORMAT/;
        $bad = 1;
      }
    }
    push @failures, "$rel:$line: $name() formats SQL from something other than an integer: bind it as a parameter"
      if $bad;
  }
}

if ($n_calls < 20) {
  push @failures, "only $n_calls statements found in $store: is this checker still reading it right?";
}
for my $f (@failures) { print "not ok - $f\n"; }
print "ok - every one of $n_calls statements in $store is a literal with bound parameters\n" unless @failures;
exit (@failures ? 1 : 0);
'
