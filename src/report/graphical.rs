//! A direct renderer for the findings of the human report. It writes exactly
//! what miette's `GraphicalReportHandler` (7.6, configured as in
//! [`super::human`]) writes for the shapes fzlint's findings have: a severity
//! header, the message, one snippet of an [`Excerpt`] with single-line labels,
//! and the help. It follows miette's own steps (same context reads, same
//! label order, same column arithmetic, same text wrapping) without its
//! allocations, trait objects and styling round trips, and it declines
//! (returns `false`) whenever a finding has a shape it does not cover —
//! several snippets, a label spanning lines, two labels at one offset, a
//! character whose display width it is not sure of — so that the caller hands
//! that finding to miette, which stays the reference. Unit tests render many
//! findings both ways and compare the bytes.

use super::excerpt::{Excerpt, Shown};
use super::human::HumanOptions;
use crate::finding::Severity;
use miette::GraphicalTheme;
use std::sync::OnceLock;

thread_local! {
    /// The width of the report being rendered on this thread, for [`words`].
    static WRAP_WIDTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Room for the widest indentation miette puts before wrapped text
/// (`  help: `), with some to spare.
const INDENT_ROOM: usize = 16;

/// Sets the width [`words`] measures lines against.
pub(super) fn set_wrap_width(width: usize) {
    WRAP_WIDTH.with(|w| w.set(width));
}

/// miette's word separator, made cheap for the usual case: a line that fits
/// the width whole is one word (all its words would land on one line
/// anyway, so the output is the same); longer lines are split by Unicode
/// line-breaking rules as before.
pub(super) fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let width = WRAP_WIDTH.with(|w| w.get());
    if textwrap::core::display_width(line) + INDENT_ROOM <= width {
        Box::new(std::iter::once(textwrap::core::Word::from(line)))
    } else {
        textwrap::WordSeparator::new().find_words(line)
    }
}

/// A text wrapped for one width and pair of indents.
struct Wrapped {
    termwidth: usize,
    initial: String,
    rest: String,
    lines: String,
}

thread_local! {
    /// Texts already wrapped on this thread: text → its wrappings. Many
    /// findings share their help, and a rule's message often differs only
    /// in a value. Keyed by the text alone, so that a lookup needs no key
    /// built for it.
    static WRAPPED: std::cell::RefCell<rustc_hash::FxHashMap<String, Vec<Wrapped>>> = Default::default();
}

/// Texts kept in [`WRAPPED`] before it is emptied.
const WRAPPED_MAX: usize = 512;

/// What miette's `wrap` writes for `text` with these indents, for a report
/// `termwidth` wide (textwrap, first fit, words broken, our separator).
///
/// A text that fits on its first line comes out as the indent and the text
/// without its trailing spaces: textwrap's first fit puts a word on the
/// current line while the widths so far, with the word's, fit; the widths of
/// the words and the whitespace between them add up to the width of the
/// text (no escape sequence can straddle two words when there is none), and
/// no word is broken when the whole text fits the narrower of the two lines.
/// Any other text goes through textwrap with miette's options.
fn fill(out: &mut String, text: &str, termwidth: usize, initial: &Indent, rest: &Indent) {
    let (initial, rest, indent_width) = (initial.0.as_str(), rest.0.as_str(), initial.1.max(rest.1));
    let width = termwidth.saturating_sub(2);
    if memchr::memchr2(b'\n', 0x1b, text.as_bytes()).is_none() {
        let trimmed = text.trim_end_matches(' ');
        let room = width.saturating_sub(indent_width);
        // No character is wider than its bytes or than 2 columns: a text
        // short enough in either measure fits without measuring its widths.
        if trimmed.len() <= room || 2 * trimmed.chars().count() <= room || text_width(trimmed) <= room {
            out.push_str(initial);
            out.push_str(trimmed);
            return;
        }
    }
    let same = |w: &Wrapped| w.termwidth == termwidth && w.initial == initial && w.rest == rest;
    let known = WRAPPED.with(|m| {
        let m = m.borrow();
        let w = m.get(text)?.iter().find(|w| same(w))?;
        out.push_str(&w.lines);
        Some(())
    });
    if known.is_some() {
        return;
    }
    set_wrap_width(termwidth);
    let opts = textwrap::Options::new(width)
        .initial_indent(initial)
        .subsequent_indent(rest)
        .break_words(true)
        .word_separator(textwrap::WordSeparator::Custom(words));
    let wrapped = textwrap::fill(text, opts);
    out.push_str(&wrapped);
    WRAPPED.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= WRAPPED_MAX {
            m.clear();
        }
        m.entry(text.to_string()).or_default().push(Wrapped {
            termwidth,
            initial: initial.to_string(),
            rest: rest.to_string(),
            lines: wrapped,
        });
    });
}

/// An indent and its display width (textwrap's).
type Indent = (String, usize);

fn indent(s: String) -> Indent {
    let w = textwrap::core::display_width(&s);
    (s, w)
}

/// textwrap's `display_width` of a text without escape sequences, quick for
/// the characters [`char_width`] knows (their widths are the same in
/// unicode-width 0.1, which miette uses, and 0.2, which textwrap uses).
fn text_width(s: &str) -> usize {
    let b = s.as_bytes();
    let (mut w, mut i) = (0, 0);
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if !(0x20..=0x7E).contains(&c) {
                return textwrap::core::display_width(s);
            }
            (w, i) = (w + 1, i + 1);
        } else {
            match wide_at(s, i) {
                (Some(n), len) => (w, i) = (w + n, i + len),
                (None, _) => return textwrap::core::display_width(s),
            }
        }
    }
    w
}

/// A style as the ANSI text miette's colours write before and after.
struct Paint {
    pre: String,
    post: String,
}

impl Paint {
    fn put(&self, out: &mut String, s: &str) {
        out.push_str(&self.pre);
        out.push_str(s);
        out.push_str(&self.post);
    }
}

macro_rules! paint {
    ($style:expr) => {
        Paint {
            pre: $style.prefix_formatter().to_string(),
            post: $style.suffix_formatter().to_string(),
        }
    };
}

/// miette's theme, with the styles turned into text once.
struct Theme {
    error: Paint,
    warning: Paint,
    advice: Paint,
    link: Paint,
    linum: Paint,
    highlights: Vec<Paint>,
    hbar: char,
    vbar: char,
    vbar_break: char,
    uarrow: char,
    ltop: char,
    lbot: char,
    rcross: char,
    underbar: char,
    underline: char,
    /// Per severity (error, warning, advice): the indents of the message's
    /// first and further lines.
    message_indents: [(Indent, Indent); 3],
    /// The indents of the help's lines.
    help_indents: (Indent, Indent),
}

impl Theme {
    fn of(t: GraphicalTheme) -> Theme {
        let s = &t.styles;
        let c = t.characters;
        let indents = |p: &Paint, icon: &str| {
            (
                indent(format!("  {}{}{} ", p.pre, icon, p.post)),
                indent(format!("  {}{}{} ", p.pre, c.vbar, p.post)),
            )
        };
        let (error, warning, advice, help) = (paint!(s.error), paint!(s.warning), paint!(s.advice), paint!(s.help));
        Theme {
            message_indents: [
                indents(&error, &c.error),
                indents(&warning, &c.warning),
                indents(&advice, &c.advice),
            ],
            help_indents: (
                indent(format!("{}  help: {}", help.pre, help.post)),
                indent(" ".repeat(8)),
            ),
            error,
            warning,
            advice,
            link: paint!(s.link),
            linum: paint!(s.linum),
            highlights: s.highlights.iter().map(|h| paint!(h)).collect(),
            hbar: c.hbar,
            vbar: c.vbar,
            vbar_break: c.vbar_break,
            uarrow: c.uarrow,
            ltop: c.ltop,
            lbot: c.lbot,
            rcross: c.rcross,
            underbar: c.underbar,
            underline: c.underline,
        }
    }

    fn get(color: bool) -> &'static Theme {
        static COLOR: OnceLock<Theme> = OnceLock::new();
        static PLAIN: OnceLock<Theme> = OnceLock::new();
        if color {
            COLOR.get_or_init(|| Theme::of(GraphicalTheme::unicode()))
        } else {
            PLAIN.get_or_init(|| Theme::of(GraphicalTheme::unicode_nocolor()))
        }
    }
}

/// The display width of a character as miette measures it (unicode-width
/// 0.1), for the characters whose width is the same in every unicode-width
/// version and which Chinese reports are made of; `None` for the rest.
#[inline]
fn char_width(c: char) -> Option<usize> {
    code_width(c as u32)
}

/// [`char_width`] of a code point.
#[inline]
const fn code_width(u: u32) -> Option<usize> {
    match u {
        0x20..=0x7E => Some(1),
        0x4E00..=0x9FFF => Some(2),
        u => rare_char_width(u),
    }
}

const fn rare_char_width(u: u32) -> Option<usize> {
    Some(match u {
        0xA0..=0xAC | 0xAE..=0xFF => 1,
        0x2010..=0x2027 | 0x2030..=0x203B | 0x2160..=0x217F | 0x2460..=0x249B => 1,
        0x3000..=0x3029 | 0x3041..=0x3096 | 0x30A0..=0x30FF => 2,
        0x3400..=0x4DBF | 0xFF01..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
        _ => return None,
    })
}

/// [`code_width`] of every code point of the Basic Multilingual Plane, 0
/// for `None` (no character it knows is 0 wide). Derived from [`code_width`].
static BMP_WIDTHS: [u8; 0x10000] = bmp_widths();

const fn bmp_widths() -> [u8; 0x10000] {
    let mut table = [0u8; 0x10000];
    let mut u = 0;
    while u < 0x10000 {
        if let Some(w) = code_width(u as u32) {
            table[u] = w as u8;
        }
        u += 1;
    }
    table
}

/// [`char_width`] of the non-ASCII character at byte `i` of `s` and its
/// length in bytes; quick for the three-byte characters (all of Chinese).
#[inline(always)]
fn wide_at(s: &str, i: usize) -> (Option<usize>, usize) {
    let b = s.as_bytes();
    // Lead bytes of U+5000..=U+9FFF, all CJK unified ideographs.
    if (0xE5..=0xE9).contains(&b[i]) {
        return (Some(2), 3);
    }
    if b[i] & 0xF0 == 0xE0 && i + 2 < b.len() {
        let u = ((b[i] as usize & 0x0F) << 12) | ((b[i + 1] as usize & 0x3F) << 6) | (b[i + 2] as usize & 0x3F);
        let w = BMP_WIDTHS[u];
        return (if w != 0 { Some(w as usize) } else { None }, 3);
    }
    match s[i..].chars().next() {
        Some(c) => (char_width(c), c.len_utf8()),
        None => (None, 1),
    }
}

/// Whether [`char_width`] knows every character of `s` but line feeds and tabs.
fn all_known(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if !(c == b'\n' || c == b'\t' || (0x20..=0x7E).contains(&c)) {
                return false;
            }
            i += 1;
        } else {
            let (w, n) = wide_at(s, i);
            if w.is_none() {
                return false;
            }
            i += n;
        }
    }
    true
}

const TAB_WIDTH: usize = 4;

/// miette's visual width of `text` (tabs to the next multiple of four).
fn visual_width(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut column, mut i) = (0, 0);
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            column += match c {
                b'\t' => TAB_WIDTH - column % TAB_WIDTH,
                0x20..=0x7E => 1,
                _ => 0,
            };
            i += 1;
        } else {
            let (w, n) = wide_at(text, i);
            column += w.unwrap_or(0);
            i += n;
        }
    }
    column
}

/// One line of a snippet (miette's `Line`).
struct Line<'a> {
    number: usize,
    offset: usize,
    length: usize,
    text: &'a str,
}

impl Line<'_> {
    fn span_line_only(&self, l: &Lab) -> bool {
        l.offset >= self.offset && l.offset + l.len <= self.offset + self.length
    }

    fn span_applies(&self, l: &Lab) -> bool {
        let spanlen = if l.len == 0 { 1 } else { l.len };
        (l.offset >= self.offset && l.offset < self.offset + self.length)
            || (l.offset < self.offset && l.offset + spanlen > self.offset + self.length)
            || (l.offset + spanlen > self.offset && l.offset + spanlen <= self.offset + self.length)
    }

    /// The visual column of a byte offset on this line (miette's `visual_offset`).
    fn visual_offset(&self, offset: usize, start: bool) -> Option<usize> {
        if offset < self.offset || offset > self.offset + self.length {
            return None;
        }
        let mut i = offset - self.offset;
        while i <= self.text.len() && !self.text.is_char_boundary(i) {
            if start {
                i -= 1;
            } else {
                i += 1;
            }
        }
        let width = visual_width(&self.text[..i.min(self.text.len())]);
        Some(if i > self.text.len() { width + 1 } else { width })
    }
}

/// A snippet's context: the span it was read for, and what miette's read
/// of it (one line around) gave: the bytes, the first line, the line count.
struct Context {
    offset: usize,
    len: usize,
    data: (usize, usize),
    line: usize,
    line_count: usize,
}

/// What miette's `read_span` of `input` (`str` or `[u8]`) gives for the
/// span at `offset`, `len` bytes long, with one line of context before and
/// after: (offset and length of the bytes read, first line, line count), or
/// `None` where it fails (a span past the end). The same steps as miette's
/// `context_info`, taking the bytes between line breaks in one stride.
fn read_context(input: &[u8], offset: usize, len: usize) -> Option<(usize, usize, usize, usize)> {
    // miette compares with both of these: they differ for an empty span.
    let end_incl = (offset + len).saturating_sub(1);
    let end_mark = offset + len.saturating_sub(1);
    let (mut line_count, mut start_line) = (0, 0);
    let mut before: Option<usize> = None;
    let mut current_line_start = 0;
    let mut end_lines = 0;
    let (mut post_span, mut post_span_got_newline) = (false, false);
    let mut i = 0;
    while i < input.len() {
        // The bytes up to the next line break only mark the span passed.
        let j = memchr::memchr2(b'\r', b'\n', &input[i..]).map_or(input.len(), |k| i + k);
        if j > i && j > end_incl {
            post_span = true;
        }
        i = j;
        if i == input.len() {
            break;
        }
        line_count += 1;
        if input[i] == b'\r' && input.get(i + 1) == Some(&b'\n') {
            i += 1;
        }
        if i < offset {
            if before.is_some() {
                start_line += 1;
            }
            before = Some(current_line_start);
        } else if i >= end_mark && post_span {
            if post_span_got_newline {
                end_lines += 1;
            } else {
                post_span_got_newline = true;
            }
            if end_lines >= 1 {
                i += 1;
                break;
            }
        }
        current_line_start = i + 1;
        if i >= end_incl {
            post_span = true;
            if end_lines >= 1 {
                i += 1;
                break;
            }
        }
        i += 1;
    }
    if i < end_incl {
        return None;
    }
    let start = before.unwrap_or(0);
    Some((start, i - start, start_line, line_count))
}

/// A label: a byte span of the excerpt, its text, its style.
struct Lab<'a> {
    offset: usize,
    len: usize,
    label: Option<&'a str>,
    primary: bool,
    paint: &'a Paint,
}

/// The decimal digits of `n`.
pub(super) fn digits(n: u64, buf: &mut [u8; 20]) -> &str {
    let (mut n, mut i) = (n, buf.len());
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("")
}

fn repeat(out: &mut String, c: char, n: usize) {
    // The characters repeated most, copied from runs of them.
    const SPACES: &str = "                                ";
    const LINES: &str = "────────────────────────────────";
    let (run, unit) = match c {
        ' ' => (SPACES, 1),
        '─' => (LINES, '─'.len_utf8()),
        _ => {
            for _ in 0..n {
                out.push(c);
            }
            return;
        }
    };
    let mut left = n;
    while left > 0 {
        let m = left.min(run.len() / unit);
        out.push_str(&run[..m * unit]);
        left -= m;
    }
}

/// Most labels of a finding the direct renderer takes (a line's labels are
/// the bits of a `u64`).
const MAX_LABELS: usize = 64;

/// The set bits of `m`, lowest first.
fn bits(mut m: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let i = m.trailing_zeros() as usize;
            m &= m - 1;
            i
        })
    })
}

/// The set bits of `m`, highest first.
fn bits_down(mut m: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let i = 63 - m.leading_zeros() as usize;
            m &= !(1 << i);
            i
        })
    })
}

/// Appends what miette writes for `f` (whose spans point into `ex`) and
/// returns true, or appends nothing and returns false when the finding has a
/// shape this renderer leaves to miette.
pub fn render(out: &mut String, f: &Shown, ex: &Excerpt, opts: HumanOptions) -> bool {
    let start = out.len();
    if render_inner(out, f, ex, opts).is_some() {
        true
    } else {
        out.truncate(start);
        false
    }
}

fn render_inner(out: &mut String, f: &Shown, ex: &Excerpt, opts: HumanOptions) -> Option<()> {
    let text = ex.text.as_str();
    if !all_known(text) {
        return None;
    }
    let t = Theme::get(opts.color);
    let (sev, (initial, rest)) = match f.severity {
        Severity::Error => (&t.error, &t.message_indents[0]),
        Severity::Warning => (&t.warning, &t.message_indents[1]),
        Severity::Info => (&t.advice, &t.message_indents[2]),
    };

    // The labels in miette's order: by offset (two at one offset are left to
    // miette, whose unstable sort decides their order).
    let mut labels: Vec<Lab> = Vec::with_capacity(1 + f.labels.len());
    labels.push(Lab {
        offset: f.span.start,
        len: f.span.len(),
        label: f.label,
        primary: true,
        paint: &t.highlights[0],
    });
    for &(span, message) in &f.labels {
        labels.push(Lab {
            offset: span.start,
            len: span.len(),
            label: Some(message),
            primary: false,
            paint: &t.highlights[0],
        });
    }
    if labels.len() > MAX_LABELS {
        return None;
    }
    labels.sort_by_key(|l| l.offset);
    for (i, l) in labels.iter_mut().enumerate() {
        if l.offset + l.len > text.len() {
            return None;
        }
        l.paint = &t.highlights[i % t.highlights.len()];
    }
    if labels.windows(2).any(|w| w[0].offset == w[1].offset) {
        return None;
    }

    // The contexts, merged as miette merges them; one snippet only.
    let read = |offset: usize, len: usize| {
        let (data_off, data_len, line, line_count) = read_context(text.as_bytes(), offset, len)?;
        Some(Context {
            offset,
            len,
            data: (data_off, data_len),
            line,
            line_count,
        })
    };
    // (Only the last context can merge: it and the count are all that is kept.)
    let (mut last, mut contexts) = (None::<Context>, 0);
    for l in &labels {
        let right = read(l.offset, l.len)?;
        if let Some(left) = &last {
            if left.line + left.line_count >= right.line {
                let new_end = (left.offset + left.len).max(l.offset + l.len);
                if let Some(merged) = read(left.offset, new_end - left.offset) {
                    last = Some(merged);
                    continue;
                }
            }
        }
        last = Some(right);
        contexts += 1;
    }
    if contexts != 1 {
        return None;
    }
    let Context {
        offset: ctx_off,
        len: ctx_len,
        data: (data_off, data_len),
        line: data_line,
        ..
    } = last?;
    let primary = labels
        .iter()
        .find(|l| l.primary && ctx_off <= l.offset && l.offset + l.len <= ctx_off + ctx_len)?;

    // The lines of the context (miette's `get_lines`; without carriage
    // returns, each line ends at a line feed or at the end of the data, and
    // is numbered one after the previous, the first after the context's).
    let data = &text[data_off..data_off + data_len];
    let mut lines: Vec<Line> = Vec::with_capacity(8);
    let mut offset = data_off;
    for seg in data.split_inclusive('\n') {
        lines.push(Line {
            number: ex.first_line + data_line + lines.len() + 1,
            offset,
            length: seg.len(),
            text: seg.strip_suffix('\n').unwrap_or(seg),
        });
        offset += seg.len();
    }
    // Labels spanning lines need miette's gutter.
    let mut last_number = 0;
    for line in &lines {
        if labels.iter().any(|l| line.span_applies(l) && !line.span_line_only(l)) {
            return None;
        }
        last_number = line.number;
    }
    let linum_width = digits(last_number as u64, &mut [0; 20]).len();

    // Header and message.
    sev.put(out, f.rule);
    out.push_str("\n\n");
    fill(out, &f.message, opts.width, initial, rest);
    out.push('\n');

    // The snippet.
    repeat(out, ' ', linum_width + 2);
    out.push(t.ltop);
    out.push(t.hbar);
    out.push('[');
    out.push_str(&t.link.pre);
    let pline = ex.first_line + text[..primary.offset].bytes().filter(|&b| b == b'\n').count();
    out.push_str(ex.name);
    out.push(':');
    out.push_str(digits(pline as u64 + 1, &mut [0; 20]));
    out.push(':');
    out.push_str(digits(ex.column(primary.offset) as u64 + 1, &mut [0; 20]));
    out.push_str(&t.link.post);
    out.push_str("]\n");

    let no_linum = |out: &mut String| {
        out.push(' ');
        repeat(out, ' ', linum_width);
        out.push(' ');
        out.push(t.vbar_break);
        out.push(' ');
    };
    // Per label: the column of its bar on the current line.
    let mut vbars = [0usize; MAX_LABELS];
    for line in &lines {
        out.push(' ');
        out.push_str(&t.linum.pre);
        let mut buf = [0; 20];
        let number = digits(line.number as u64, &mut buf);
        repeat(out, ' ', linum_width.saturating_sub(number.len()));
        out.push_str(number);
        out.push_str(&t.linum.post);
        out.push(' ');
        out.push(t.vbar);
        out.push(' ');
        if memchr::memchr(b'\t', line.text.as_bytes()).is_some() {
            let mut column = 0;
            for c in line.text.chars() {
                if c == '\t' {
                    let w = TAB_WIDTH - column % TAB_WIDTH;
                    repeat(out, ' ', w);
                    column += w;
                } else {
                    out.push(c);
                    column += char_width(c).unwrap_or(0);
                }
            }
        } else {
            out.push_str(line.text);
        }
        out.push('\n');

        // The labels on this line, as bits.
        let single = (0..labels.len())
            .filter(|&i| line.span_applies(&labels[i]))
            .fold(0u64, |m, i| m | 1 << i);
        if single == 0 {
            continue;
        }
        no_linum(out);
        // Underlines.
        let mut highest = 0;
        for i in bits(single) {
            let hl = &labels[i];
            let start = line.visual_offset(hl.offset, true)?.max(highest);
            let end = if hl.len == 0 {
                start + 1
            } else {
                line.visual_offset(hl.offset + hl.len, false)?.max(start + 1)
            };
            let vbar = (start + end) / 2;
            out.push_str(&hl.paint.pre);
            repeat(out, ' ', start.saturating_sub(highest));
            repeat(out, t.underline, vbar - start);
            out.push(if hl.len == 0 {
                t.uarrow
            } else if hl.label.is_some() {
                t.underbar
            } else {
                t.underline
            });
            repeat(out, t.underline, end - vbar - 1);
            out.push_str(&hl.paint.post);
            highest = highest.max(end);
            vbars[i] = vbar;
        }
        out.push('\n');
        // Label texts, the rightmost first.
        for i in bits_down(single) {
            let hl = &labels[i];
            let Some(label) = hl.label else { continue };
            let parts = 1 + memchr::memchr_iter(b'\n', label.as_bytes()).count();
            for (k, part) in label.split('\n').enumerate() {
                no_linum(out);
                let mut curr = 1usize;
                for j in bits(single) {
                    let vbar = vbars[j];
                    if curr < vbar + 1 {
                        repeat(out, ' ', vbar + 1 - curr);
                        curr = vbar + 1;
                    }
                    if j != i {
                        let p = labels[j].paint;
                        out.push_str(&p.pre);
                        out.push(t.vbar);
                        out.push_str(&p.post);
                        curr += 1;
                    } else {
                        let p = hl.paint;
                        out.push_str(&p.pre);
                        if parts == 1 {
                            out.push(t.lbot);
                            out.push(t.hbar);
                            out.push(t.hbar);
                        } else if k == 0 {
                            out.push(t.lbot);
                            out.push(t.hbar);
                            out.push(t.rcross);
                        } else {
                            out.push_str("  ");
                            out.push(t.vbar);
                        }
                        out.push(' ');
                        p.put(out, part);
                        out.push_str(&p.post);
                        out.push('\n');
                        break;
                    }
                }
            }
        }
    }
    repeat(out, ' ', linum_width + 2);
    out.push(t.lbot);
    repeat(out, t.hbar, 4);
    out.push('\n');

    // The help.
    if let Some(help) = f.help {
        fill(out, help, opts.width, &t.help_indents.0, &t.help_indents.1);
        out.push('\n');
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, Label, WithSource};
    use crate::report::excerpt::excerpt;
    use crate::report::human::handler;
    use crate::source::Span;

    /// miette's rendering of `shown` (which points into `ex`), or `None` when miette fails.
    fn by_miette(shown: &Shown, ex: &Excerpt, opts: HumanOptions) -> Option<String> {
        let mut s = String::new();
        let shown = shown.to_finding();
        let diag = WithSource {
            finding: &shown,
            source: ex,
        };
        handler(opts).render_report(&mut s, &diag).ok().map(|_| s)
    }

    /// Renders `f` on `text` both ways; panics when the direct renderer
    /// writes anything other than miette. Returns whether it rendered.
    fn same(text: &str, f: &Finding, opts: HumanOptions) -> bool {
        let doc = crate::outline::parse(text);
        let (ex, shown) = excerpt(&doc, "report.txt", f);
        let mut direct = String::from("before");
        let ok = render(&mut direct, &shown, &ex, opts);
        if !ok {
            assert_eq!(direct, "before", "a declined finding leaves the output as it was");
            return false;
        }
        let reference = by_miette(&shown, &ex, opts).expect("miette renders what the direct renderer renders");
        assert_eq!(
            direct["before".len()..],
            reference,
            "\nfinding {f:?}\nwidth {} color {}\n--- direct:\n{}\n--- miette:\n{}",
            opts.width,
            opts.color,
            &direct["before".len()..],
            reference
        );
        true
    }

    /// A small deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[self.below(xs.len())]
        }
    }

    const LINES: &[&str] = &[
        "关于2024年法治政府建设情况的报告",
        "一、主要举措和成效",
        "（一）健全依法行政制度体系。全年制定规范性文件12件，备案审查率100%，清理文件35件。",
        "二是深入推进“放管服”改革，政务服务事项网上可办率达到98.5%以上，“一网通办”持续深化。",
        "",
        "abc def ghi",
        "三、存在的不足和原因",
        "\t缩进的一行，带有制表符\t和中间的制表符",
        "ＡＢＣ１２３全角字母与数字，以及①②③和Ⅰ、Ⅱ、Ⅲ",
        "半角标点,混排English words and 中文;还有……省略号——破折号",
        "很长的一行很长的一行很长的一行很长的一行很长的一行很长的一行很长的一行很长的一行很长的一行很长的一行很长的一行很长的一行",
        "x",
        "  前导空格与尾随空格  ",
        "含有表情😀的行与组合字符é的行",
        "日本語のかなカナも混ざる行",
        "2024年12月31日",
    ];

    const MESSAGES: &[&str] = &[
        "缺少必备部分“存在的不足和原因”",
        "短",
        "",
        "a message in English that is long enough to need wrapping at the narrow widths used here",
        "标题“（一）健全依法行政制度体系”下没有任何内容，这一句话写得很长很长，以便在较窄的宽度下需要折行显示，检验折行是否一致",
        "两行的\n消息",
        "尾随空格  ",
        "数字12345与英文mixed-with-hyphens-and-words在一起",
    ];

    const LABELS: &[&str] = &[
        "应在此部分之前补写",
        "这里",
        "",
        "两行\n标签",
        "a label",
        "很长的标签很长的标签很长的标签很长的标签很长的标签很长的标签",
    ];

    fn char_boundary(text: &str, at: usize) -> usize {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    fn random_span(rng: &mut Rng, doc: &crate::document::Document) -> Span {
        let text = doc.text.as_str();
        let line = rng.below(doc.lines.len());
        let b = doc.lines[line].span;
        let len = b.end - b.start;
        match rng.below(8) {
            0 => b,
            1 => Span::empty(b.start),
            2 => Span::empty(b.end),
            3 => Span::new(char_boundary(text, b.start + rng.below(len + 1)), b.end),
            4 => {
                // Across lines: the excerpt cuts it to its first line.
                let end = char_boundary(text, b.start + rng.below(text.len() - b.start + 1));
                Span::new(b.start, end.max(b.start))
            }
            _ => {
                let a = char_boundary(text, b.start + rng.below(len + 1));
                let e = char_boundary(text, a + rng.below(b.end - a + 1));
                Span::new(a, e.max(a))
            }
        }
    }

    #[test]
    fn random_findings_render_as_miette_renders_them() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut rendered, mut total) = (0, 0);
        for case in 0..3000 {
            let n = 1 + rng.below(7);
            let mut text = String::new();
            for i in 0..n {
                if i > 0 {
                    text.push('\n');
                }
                text.push_str(rng.pick(LINES));
            }
            if rng.below(4) == 0 {
                text.push('\n');
            }
            let doc = crate::outline::parse(&text);
            if doc.lines.is_empty() {
                continue;
            }
            let severity = [Severity::Error, Severity::Warning, Severity::Info][rng.below(3)];
            let mut f = Finding::new("some-rule", severity, random_span(&mut rng, &doc), rng.pick(MESSAGES));
            if rng.below(4) != 0 {
                f = f.label(rng.pick(LABELS));
            }
            for _ in 0..rng.below(4) {
                let s = random_span(&mut rng, &doc);
                f.labels.push(Label {
                    span: s,
                    message: rng.pick(LABELS).to_string(),
                });
            }
            match rng.below(4) {
                0 => {}
                1 => f = f.help(""),
                _ => f = f.help(rng.pick(MESSAGES)),
            }
            let width = [10, 20, 30, 40, 60, 80, 100, 120, 200][rng.below(9)];
            let opts = HumanOptions {
                color: case % 2 == 1,
                width,
            };
            total += 1;
            if same(&text, &f, opts) {
                rendered += 1;
            }
        }
        // The direct renderer must take the usual findings, not leave them all to miette.
        assert!(rendered * 10 > total * 6, "rendered {rendered} of {total}");
    }

    #[test]
    fn fill_writes_what_textwrap_writes_for_miette() {
        let long = "x".repeat(150);
        let mut texts: Vec<&str> = MESSAGES.to_vec();
        texts.extend(LINES);
        texts.extend([
            "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p",
            "  leading spaces",
            "trailing spaces     ",
            "   ",
            "全角　空格　的　文本，全角　空格　的　文本",
            "英文 words that are separated by spaces and more spaces   and more",
            long.as_str(),
            "带\u{1b}[31m转义\u{1b}[0m的文本",
        ]);
        let indents = [
            ("  × ", "  │ "),
            ("  ⚠ ", "  │ "),
            ("\u{1b}[36m  help: \u{1b}[0m", "        "),
            ("  \u{1b}[31m×\u{1b}[0m ", "  \u{1b}[31m│\u{1b}[0m "),
        ];
        for width in 0..130 {
            for text in &texts {
                for (initial, rest) in indents {
                    set_wrap_width(width);
                    let opts = textwrap::Options::new(width.saturating_sub(2))
                        .initial_indent(initial)
                        .subsequent_indent(rest)
                        .break_words(true)
                        .word_separator(textwrap::WordSeparator::Custom(words));
                    let reference = textwrap::fill(text, opts);
                    for _ in 0..2 {
                        let mut mine = String::new();
                        fill(&mut mine, text, width, &indent(initial.into()), &indent(rest.into()));
                        assert_eq!(mine, reference, "{text:?} at {width}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_character_width_the_renderer_knows_matches_miette() {
        let ranges = [
            (0x20u32, 0x7Eu32),
            (0xA0, 0xAC),
            (0xAE, 0xFF),
            (0x2010, 0x2027),
            (0x2030, 0x203B),
            (0x2160, 0x217F),
            (0x2460, 0x249B),
            (0x3000, 0x3029),
            (0x3041, 0x3096),
            (0x30A0, 0x30FF),
            (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF),
            (0xFF01, 0xFF60),
            (0xFFE0, 0xFFE6),
        ];
        let mut checked = 0;
        for (lo, hi) in ranges {
            let chars: Vec<char> = (lo..=hi).filter_map(char::from_u32).collect();
            // Each character alone before a label (its width moves the label),
            // in chunks to keep the test quick; and with a label on it.
            for chunk in chars.chunks(7) {
                for (i, c) in chunk.iter().enumerate() {
                    let mut text = String::new();
                    for _ in 0..=i {
                        text.push(*c);
                    }
                    let at = text.len();
                    text.push_str("标记");
                    let f = Finding::new("w", Severity::Warning, Span::new(at, text.len()), "m").label("x");
                    assert!(same(&text, &f, HumanOptions::default()), "U+{:04X}", *c as u32);
                    checked += 1;
                }
                let text: String = chunk.iter().collect();
                let f = Finding::new("w", Severity::Warning, Span::new(0, text.len()), "m").label("x");
                assert!(same(&text, &f, HumanOptions::default()));
            }
        }
        assert!(checked > 20_000);
    }

    #[test]
    fn the_known_widths_are_textwraps_and_unicode_widths() {
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            if let Some(w) = char_width(c) {
                let mut b = [0; 4];
                let s: &str = c.encode_utf8(&mut b);
                assert_eq!(w, textwrap::core::display_width(s), "U+{:04X}", c as u32);
                assert_eq!(Some(w), unicode_width::UnicodeWidthChar::width(c), "U+{:04X}", c as u32);
                assert_eq!(text_width(s), w);
            }
        }
        assert_eq!(
            text_width("中文 text，全角"),
            textwrap::core::display_width("中文 text，全角")
        );
        assert_eq!(text_width("表情😀"), textwrap::core::display_width("表情😀"));
        for s in LINES.iter().chain(MESSAGES).chain(LABELS) {
            assert_eq!(text_width(s), textwrap::core::display_width(s), "{s}");
        }
    }

    /// miette's read of `text` around a span, with one line of context either side.
    fn miette_context(text: &str, offset: usize, len: usize) -> Option<(usize, usize, usize, usize)> {
        use miette::SourceCode;
        let c = text.read_span(&miette::SourceSpan::from((offset, len)), 1, 1).ok()?;
        Some((c.span().offset(), c.span().len(), c.line(), c.line_count()))
    }

    #[test]
    fn read_context_reads_what_miette_reads() {
        // Every text of up to five pieces from a small alphabet, every span on it.
        let pieces = ["a", "中", "\n", "\r", "\r\n", "b"];
        let mut texts = vec![String::new()];
        let mut level = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for t in &level {
                for p in pieces {
                    next.push(format!("{t}{p}"));
                }
            }
            texts.extend(next.iter().cloned());
            level = next;
        }
        texts.extend(LINES.iter().map(|l| l.to_string()));
        texts.push(LINES.join("\n"));
        texts.push(LINES.join("\r\n") + "\n");
        let mut checked = 0;
        for t in &texts {
            for offset in 0..=t.len() + 1 {
                for len in 0..=t.len() + 2 - offset.min(t.len()) {
                    assert_eq!(
                        read_context(t.as_bytes(), offset, len),
                        miette_context(t, offset, len),
                        "{t:?} {offset} {len}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    /// The widths as they were measured before the quick paths: char by char.
    fn plain_text_width(s: &str) -> usize {
        let mut w = 0;
        for c in s.chars() {
            match char_width(c) {
                Some(n) => w += n,
                None => return textwrap::core::display_width(s),
            }
        }
        w
    }

    fn plain_visual_width(text: &str) -> usize {
        let mut column = 0;
        for c in text.chars() {
            column += if c == '\t' {
                TAB_WIDTH - column % TAB_WIDTH
            } else {
                char_width(c).unwrap_or(0)
            };
        }
        column
    }

    fn plain_all_known(text: &str) -> bool {
        !text.chars().any(|c| c != '\n' && c != '\t' && char_width(c).is_none())
    }

    #[test]
    fn digits_are_the_decimal_form() {
        for n in (0..2000).chain([9_999, 10_000, 123_456_789, u64::MAX]) {
            assert_eq!(digits(n, &mut [0; 20]), n.to_string());
        }
    }

    #[test]
    fn repeat_writes_the_character_n_times() {
        for c in [' ', '─', 'x', '😀'] {
            for n in 0..200 {
                let mut out = String::from("a");
                repeat(&mut out, c, n);
                assert_eq!(out, format!("a{}", c.to_string().repeat(n)));
            }
        }
    }

    #[test]
    fn quick_widths_are_the_char_by_char_widths_for_every_character() {
        let mut b = [0; 4];
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            let s: &str = c.encode_utf8(&mut b);
            assert_eq!(
                wide_at(s, 0).0.filter(|_| !c.is_ascii()),
                char_width(c).filter(|_| !c.is_ascii())
            );
            assert_eq!(text_width(s), plain_text_width(s), "U+{:04X}", c as u32);
            assert_eq!(visual_width(s), plain_visual_width(s), "U+{:04X}", c as u32);
            assert_eq!(all_known(s), plain_all_known(s), "U+{:04X}", c as u32);
            let mixed = format!("\t中{c}a\t，{c}");
            assert_eq!(text_width(&mixed), plain_text_width(&mixed), "U+{:04X}", c as u32);
            assert_eq!(visual_width(&mixed), plain_visual_width(&mixed), "U+{:04X}", c as u32);
            assert_eq!(all_known(&mixed), plain_all_known(&mixed), "U+{:04X}", c as u32);
        }
        for s in LINES.iter().chain(MESSAGES).chain(LABELS) {
            assert_eq!(text_width(s), plain_text_width(s), "{s}");
            assert_eq!(visual_width(s), plain_visual_width(s), "{s}");
            assert_eq!(all_known(s), plain_all_known(s), "{s}");
        }
    }

    #[test]
    fn widths_the_renderer_does_not_know_go_to_miette() {
        for text in ["😀表情", "e\u{301}组合", "\u{AD}软连字符", "控制\u{1b}[31m字符"] {
            let f = Finding::new("w", Severity::Warning, Span::new(0, text.len()), "m").label("x");
            let doc = crate::outline::parse(text);
            let (ex, shown) = excerpt(&doc, "r.txt", &f);
            let mut out = String::new();
            assert!(!render(&mut out, &shown, &ex, HumanOptions::default()), "{text}");
            assert!(out.is_empty());
        }
        // Carriage returns end lines in the document; whatever reaches the renderer renders as miette does.
        for text in ["回车\r行", "回车\r\n行\r\n", "\r\r\n"] {
            for at in 0..text.len() {
                if text.is_char_boundary(at) {
                    let f = Finding::new("w", Severity::Warning, Span::new(at, text.len()), "m").label("x");
                    same(text, &f, HumanOptions::default());
                }
            }
        }
    }

    #[test]
    fn the_usual_shapes_are_rendered_directly() {
        let text =
            "一、主要举措和成效\n全年制定规范性文件12件，备案审查率100%。\n三、2025年工作安排\n加强执法队伍建设。";
        let line = |n: usize| {
            let start: usize = text.split('\n').take(n).map(|l| l.len() + 1).sum();
            Span::new(start, start + text.split('\n').nth(n).unwrap().len())
        };
        let cases = [
            Finding::new("a", Severity::Error, line(2), "缺少必备部分").label("应在此部分之前补写"),
            Finding::new("b", Severity::Warning, line(1), "很长的消息".repeat(30)).help("补写".repeat(40)),
            Finding::new("c", Severity::Info, Span::empty(line(1).start), "空").help(""),
            Finding::new("d", Severity::Warning, line(0), "两处")
                .label("这一部分")
                .with_label(line(2), "那一部分"),
            Finding::new(
                "e",
                Severity::Warning,
                Span::new(line(1).start + 3, line(1).start + 9),
                "同一行",
            )
            .label("左")
            .with_label(Span::new(line(1).end - 3, line(1).end), "右"),
            Finding::new("f", Severity::Error, Span::empty(line(3).end), "行尾").label("这里"),
        ];
        for f in &cases {
            for width in [20, 60, 80, 100, 160] {
                for color in [false, true] {
                    assert!(same(text, f, HumanOptions { color, width }), "{f:?} {width} {color}");
                }
            }
        }
    }

    #[test]
    fn fixtures_and_seeds_render_as_miette_renders_them() {
        let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")];
        dirs.push(std::path::PathBuf::from("/work/shared/corpus/seeds"));
        let mut n = 0;
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_none_or(|x| x != "txt") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&p) else {
                    continue;
                };
                let Some(l) = crate::lint::lint_text(&text, &crate::lint::LintOptions::default()) else {
                    continue;
                };
                for f in &l.findings {
                    for (width, color) in [(100, false), (100, true), (60, false), (40, true)] {
                        let (ex, shown) = excerpt(&l.doc, "x.txt", f);
                        let mut direct = String::new();
                        if render(&mut direct, &shown, &ex, HumanOptions { color, width }) {
                            let reference = by_miette(&shown, &ex, HumanOptions { color, width }).unwrap();
                            assert_eq!(direct, reference, "{}: {f:?}", p.display());
                            n += 1;
                        }
                    }
                }
            }
        }
        assert!(n > 0);
    }
}
