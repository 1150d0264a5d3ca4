//! aws-cli's `table` output (`awscli/formatter.py` TableFormatter and `awscli/table.py`).
//!
//! The result is laid out as sections: a title row, sorted column headers for
//! the scalar members, value rows, and nested sections (indented with `|`)
//! for members that are lists or objects. Column widths are scaled to the
//! widest section with Python's rounding, and when the table is wider than
//! the terminal, single-row sections are turned vertical, exactly as aws-cli
//! does, so the byte-for-byte output matches.

use super::{py_str, Style};
use boto_jmespath::Variable;

#[derive(Default, Debug)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    max_widths: Vec<usize>,
}

impl Section {
    fn update_widths(&mut self, row: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|s| text_len(s)).collect();
        } else {
            for (i, el) in row.iter().enumerate() {
                if let Some(w) = self.max_widths.get_mut(i) {
                    *w = (*w).max(text_len(el));
                } else {
                    self.max_widths.push(text_len(el));
                }
            }
        }
    }
    fn add_header(&mut self, headers: Vec<String>) {
        self.update_widths(&headers);
        self.headers = headers;
    }
    fn add_row(&mut self, row: Vec<String>) {
        self.update_widths(&row);
        self.rows.push(row);
    }

    fn column_widths(&self, padding: usize, max_width: Option<usize>) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let Some(max_width) = max_width else {
            return unscaled;
        };
        if unscaled.is_empty() {
            return unscaled;
        }
        let total: usize = unscaled.iter().sum();
        let scale = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| py_round(scale * *w as f64))
            .collect();
        let mut off_by: i64 = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let n = scaled.len();
            for k in 0..n {
                let i = if off_by < 0 { n - 1 - k } else { k };
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    fn total_width(&self, padding: usize, outer: usize) -> usize {
        let mut total: usize = self
            .column_widths(0, None)
            .iter()
            .map(|w| w + padding)
            .sum();
        total += 2 + 2 * outer;
        total.max(text_len(&self.title) + 2 + 2 * outer)
    }
}

/// Python 3's `round()`: halves go to the even neighbour.
fn py_round(x: f64) -> i64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        let t = x.trunc();
        if (t as i64) % 2 == 0 {
            t as i64
        } else {
            r as i64
        }
    } else {
        r as i64
    }
}

/// Display width: East Asian wide, full-width and ambiguous characters count 2.
pub fn text_len(s: &str) -> usize {
    s.chars().map(|c| if wide(c) { 2 } else { 1 }).sum()
}

fn wide(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD
        // Ambiguous (a common subset): Latin-1 symbols, Greek, Cyrillic, box drawing, misc.
        | 0xA1 | 0xA4 | 0xA7 | 0xA8 | 0xAA | 0xAD | 0xAE | 0xB0..=0xB4 | 0xB6..=0xBA | 0xBC..=0xBF
        | 0xC6 | 0xD0 | 0xD7 | 0xD8 | 0xDE..=0xE1 | 0xE6 | 0xE8..=0xEA | 0xEC | 0xED | 0xF0 | 0xF2 | 0xF3
        | 0xF7..=0xFA | 0xFC | 0xFE
        | 0x391..=0x3A9 | 0x3B1..=0x3C9 | 0x401 | 0x410..=0x44F | 0x451
        | 0x2010 | 0x2013..=0x2016 | 0x2018 | 0x2019 | 0x201C | 0x201D | 0x2020..=0x2022 | 0x2024..=0x2027
        | 0x2030 | 0x2032 | 0x2033 | 0x2035 | 0x203B | 0x203E | 0x2103 | 0x2116 | 0x2121 | 0x2122
        | 0x2160..=0x216B | 0x2190..=0x2199 | 0x2460..=0x24E9 | 0x2500..=0x257F | 0x25A0..=0x25FF
        | 0x2605 | 0x2606 | 0x2640 | 0x2642 | 0xE000..=0xF8FF | 0xFFFD
    )
}

struct Builder {
    sections: Vec<Section>,
}

impl Builder {
    fn cur(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let n = self.sections.len() - 1;
        &mut self.sections[n]
    }
    fn new_section(&mut self, title: &str, indent: usize) {
        self.sections.push(Section {
            title: title.to_string(),
            indent,
            ..Default::default()
        });
    }

    fn build(&mut self, title: Option<&str>, current: &Variable, indent: usize) -> bool {
        if !truthy(current) {
            return false;
        }
        if let Some(t) = title {
            self.new_section(t, indent);
        }
        match current {
            Variable::Array(items) => {
                if matches!(items.first(), Some(Variable::Object(_))) {
                    self.sub_table_from_list(items, indent, title.unwrap_or(""));
                } else {
                    for item in items {
                        match item {
                            Variable::Array(inner) if inner.iter().all(is_scalar) => {
                                self.cur().add_row(inner.iter().map(py_str).collect());
                            }
                            Variable::Array(_) | Variable::Object(_) => {
                                self.build(None, item, 0);
                            }
                            scalar => self.cur().add_row(vec![py_str(scalar)]),
                        }
                    }
                }
            }
            Variable::Object(_) => self.sub_table_from_dict(current, indent),
            _ => {}
        }
        true
    }

    fn sub_table_from_dict(&mut self, current: &Variable, indent: usize) {
        let Variable::Object(m) = current else { return };
        let (headers, more) = group_scalar_keys(current);
        if headers.len() == 1 {
            let k = &headers[0];
            let v = m.get(k).map(py_str).unwrap_or_default();
            self.cur().add_row(vec![k.clone(), v]);
        } else if !headers.is_empty() {
            let row = headers
                .iter()
                .map(|k| m.get(k).map(py_str).unwrap_or_default())
                .collect();
            self.cur().add_header(headers);
            self.cur().add_row(row);
        }
        for k in more {
            if let Some(v) = m.get(&k) {
                self.build(Some(&k), v, indent + 1);
            }
        }
    }

    fn sub_table_from_list(&mut self, items: &[Variable], indent: usize, title: &str) {
        let mut headers: Vec<String> = Vec::new();
        let mut more: Vec<String> = Vec::new();
        for item in items {
            let (h, m) = group_scalar_keys(item);
            for k in h {
                if !headers.contains(&k) {
                    headers.push(k);
                }
            }
            for k in m {
                if !more.contains(&k) {
                    more.push(k);
                }
            }
        }
        headers.sort();
        more.sort();
        self.cur().add_header(headers.clone());
        let mut first = true;
        for element in items {
            if !first && !more.is_empty() {
                self.new_section(title, indent);
                self.cur().add_header(headers.clone());
            }
            first = false;
            let Variable::Object(m) = element else {
                self.cur()
                    .add_row(headers.iter().map(|_| String::new()).collect());
                continue;
            };
            let row = headers
                .iter()
                .map(|h| m.get(h).map(py_str).unwrap_or_default())
                .collect();
            self.cur().add_row(row);
            for k in &more {
                if let Some(v) = m.get(k) {
                    self.build(Some(k), v, indent + 1);
                }
            }
        }
    }
}

fn truthy(v: &Variable) -> bool {
    match v {
        Variable::Null => false,
        Variable::Bool(b) => *b,
        Variable::Number(n) => n.as_f64() != 0.0,
        Variable::String(s) => !s.is_empty(),
        Variable::Array(a) => !a.is_empty(),
        Variable::Object(o) => !o.is_empty(),
    }
}

fn is_scalar(v: &Variable) -> bool {
    !matches!(v, Variable::Array(_) | Variable::Object(_))
}

fn group_scalar_keys(v: &Variable) -> (Vec<String>, Vec<String>) {
    let mut headers = Vec::new();
    let mut more = Vec::new();
    if let Variable::Object(m) = v {
        for (k, val) in m {
            if is_scalar(val) {
                headers.push(k.clone());
            } else {
                more.push(k.clone());
            }
        }
    }
    headers.sort();
    more.sort();
    (headers, more)
}

/// Formats a result as a table titled with the operation name (e.g. `ListBuckets`).
pub fn format(title: &str, v: &Variable, style: Style) -> String {
    let mut b = Builder {
        sections: Vec::new(),
    };
    if !b.build(Some(title), v, 0) {
        return String::new();
    }
    let width = if style.width == 0 { 80 } else { style.width };
    render(&mut b.sections, width, style.color)
}

fn max_width(sections: &[Section]) -> usize {
    sections
        .iter()
        .map(|s| s.total_width(4, s.indent))
        .max()
        .unwrap_or(0)
}

fn render(sections: &mut [Section], terminal: usize, color: bool) -> String {
    let mut maxw = max_width(sections);
    if maxw > terminal {
        for s in sections.iter_mut() {
            if s.rows.len() == 1 && !s.headers.is_empty() {
                let mut ns = Section {
                    title: s.title.clone(),
                    indent: s.indent,
                    ..Default::default()
                };
                let row = s.rows[0].clone();
                for (h, e) in s.headers.iter().zip(row) {
                    ns.add_row(vec![h.clone(), e]);
                }
                *s = ns;
            }
        }
        maxw = max_width(sections);
    }
    let mut out = String::new();
    out.push_str(&"-".repeat(maxw));
    out.push('\n');
    for s in sections.iter() {
        render_section(&mut out, s, maxw, color);
    }
    out
}

fn center(text: &str, length: usize, left: &str, right: &str, text_length: usize) -> String {
    let char_start = (length / 2) as i64 - (text_length / 2) as i64 - 1;
    let cs = char_start.max(0) as usize;
    let so_far = text_len(left) + char_start.max(0) as usize + text_length;
    let right_spaces = (length as i64 - text_len(right) as i64 - so_far as i64).max(0) as usize;
    format!(
        "{left}{}{text}{}{right}",
        " ".repeat(cs),
        " ".repeat(right_spaces)
    )
}

fn align_left(text: &str, length: usize, left: &str, right: &str, text_length: usize) -> String {
    let computed = text_length + 2 + text_len(left) + text_len(right);
    let padding = if length >= computed { 2 } else { 0 };
    let so_far = left.chars().count() + padding + text_length;
    let fill = (length as i64 - so_far as i64 - right.chars().count() as i64).max(0) as usize;
    format!(
        "{left}{}{text}{}{right}",
        " ".repeat(padding),
        " ".repeat(fill)
    )
}

fn line_break(widths: &[usize]) -> String {
    let mut s = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            s.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2))));
        } else {
            s.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1))));
        }
    }
    s
}

const BRIGHT_BLUE: &str = "\x1b[1m\x1b[34m";
const DIM_YELLOW: &str = "\x1b[2m\x1b[33m";
const RESET: &str = "\x1b[0m";

fn render_section(out: &mut String, s: &Section, max_width: usize, color: bool) {
    let bar = if color {
        format!("{DIM_YELLOW}|{RESET}")
    } else {
        "|".to_string()
    };
    let ind = bar.repeat(s.indent);
    let mut write = |line: &str| {
        out.push_str(&ind);
        out.push_str(line);
        out.push_str(&ind);
        out.push('\n');
    };
    let width = max_width.saturating_sub(s.indent * 2);
    if !s.title.is_empty() {
        write(&center(&s.title, width, "|", "|", text_len(&s.title)));
        if s.headers.is_empty() && s.rows.is_empty() {
            write(&format!("+{}+", "-".repeat(width.saturating_sub(2))));
        }
    }
    if !s.headers.is_empty() {
        let widths = s.column_widths(4, Some(width));
        let mut cur = String::new();
        for (i, (w, h)) in widths.iter().zip(&s.headers).enumerate() {
            cur.push_str(&center(
                h,
                *w,
                if i == 0 { "|" } else { "" },
                "|",
                text_len(h),
            ));
        }
        write(&line_break(&widths));
        write(&cur);
    }
    if !s.rows.is_empty() {
        let widths = s.column_widths(4, Some(width));
        if widths.is_empty() {
            return;
        }
        write(&line_break(&widths));
        for row in &s.rows {
            let mut cur = String::new();
            for (i, (w, e)) in widths.iter().zip(row).enumerate() {
                let styled = if color {
                    format!("{BRIGHT_BLUE}{e}{RESET}")
                } else {
                    e.clone()
                };
                cur.push_str(&align_left(
                    &styled,
                    *w,
                    if i == 0 { "|" } else { "" },
                    "|",
                    text_len(e),
                ));
            }
            write(&cur);
        }
        write(&line_break(&widths));
    }
}

/// The terminal width of stdout, or `None` when it is not a terminal.
pub fn terminal_width() -> Option<usize> {
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    {
        #[repr(C)]
        struct WinSize {
            row: u16,
            col: u16,
            x: u16,
            y: u16,
        }
        extern "C" {
            fn ioctl(fd: i32, request: std::ffi::c_ulong, ...) -> i32;
        }
        #[cfg(target_os = "linux")]
        const TIOCGWINSZ: std::ffi::c_ulong = 0x5413;
        #[cfg(target_os = "macos")]
        const TIOCGWINSZ: std::ffi::c_ulong = 0x4008_7468;
        let mut ws = WinSize {
            row: 0,
            col: 0,
            x: 0,
            y: 0,
        };
        // SAFETY: TIOCGWINSZ writes one `struct winsize` (four u16) to the pointer we pass.
        let rc = unsafe { ioctl(1, TIOCGWINSZ, &mut ws as *mut WinSize) };
        if rc == 0 && ws.col > 0 {
            return Some(ws.col as usize);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::to_display;
    use boto_model::value;

    fn fmt(title: &str, v: Variable) -> String {
        format(
            title,
            &v,
            Style {
                color: false,
                width: 80,
            },
        )
    }

    /// Outputs of aws-cli's own `TableFormatter` (terminal width 80) for the same data.
    const GOLDEN: &[(&str, &str, &str)] = &[
        ("GetCallerIdentity", r#"{"Account": "123456789012"}"#, "-----------------------------\n|     GetCallerIdentity     |\n+----------+----------------+\n|  Account |  123456789012  |\n+----------+----------------+\n"),
        ("ListThings", r#"["a", "b"]"#, "------------\n|ListThings|\n+----------+\n|  a       |\n|  b       |\n+----------+\n"),
        ("Op", r#"{"A": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "B": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#, "---------------------------------------------------------------------------------\n|                                      Op                                       |\n+---+---------------------------------------------------------------------------+\n|  A|  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx   |\n|  B|  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx   |\n+---+---------------------------------------------------------------------------+\n"),
        ("DescribeInstances", r#"{"Reservations": [{"ReservationId": "r-1", "Instances": [{"InstanceId": "i-1", "State": {"Name": "running", "Code": 16}, "Tags": [{"Key": "Name", "Value": "web"}]}, {"InstanceId": "i-2", "State": {"Name": "stopped", "Code": 80}}]}]}"#, "---------------------------\n|    DescribeInstances    |\n+-------------------------+\n||     Reservations      ||\n|+-----------------------+|\n||     ReservationId     ||\n|+-----------------------+|\n||  r-1                  ||\n|+-----------------------+|\n|||      Instances      |||\n||+---------------------+||\n|||     InstanceId      |||\n||+---------------------+||\n|||  i-1                |||\n||+---------------------+||\n||||       State       ||||\n|||+-------+-----------+|||\n|||| Code  |   Name    ||||\n|||+-------+-----------+|||\n||||  16   |  running  ||||\n|||+-------+-----------+|||\n||||       Tags        ||||\n|||+--------+----------+|||\n||||   Key  |  Value   ||||\n|||+--------+----------+|||\n||||  Name  |  web     ||||\n|||+--------+----------+|||\n|||      Instances      |||\n||+---------------------+||\n|||     InstanceId      |||\n||+---------------------+||\n|||  i-2                |||\n||+---------------------+||\n||||       State       ||||\n|||+-------+-----------+|||\n|||| Code  |   Name    ||||\n|||+-------+-----------+|||\n||||  80   |  stopped  ||||\n|||+-------+-----------+|||\n"),
        ("Q", r#"[["a", 1], ["b", 2]]"#, "------------\n|     Q    |\n+----+-----+\n|  a |  1  |\n|  b |  2  |\n+----+-----+\n"),
        ("U", r#"{"Name": "日本語テキスト", "Size": 1.5, "Ok": true, "N": null}"#, "--------------------------------------------\n|                     U                    |\n+------+------------------+-------+--------+\n|   N  |      Name        |  Ok   | Size   |\n+------+------------------+-------+--------+\n|  None|  日本語テキスト  |  True |  1.5   |\n+------+------------------+-------+--------+\n"),
    ];

    #[test]
    fn matches_aws_cli_byte_for_byte() {
        for (title, json, expected) in GOLDEN {
            let j: serde_json::Value = serde_json::from_str(json).unwrap();
            let v = to_display(&boto_model::Value::from_json(&j));
            assert_eq!(&fmt(title, v), expected, "{title}");
        }
    }

    #[test]
    fn list_buckets_table() {
        let v = to_display(&value!({
            "Buckets": [{"Name": "bucket-one", "CreationDate": "2024-05-01T12:00:00+00:00"}],
            "Owner": {"DisplayName": "me", "ID": "abc123"}
        }));
        let expected = "\
-----------------------------------------------
|                 ListBuckets                 |
+---------------------------------------------+
||                  Buckets                  ||
|+----------------------------+--------------+|
||        CreationDate        |    Name      ||
|+----------------------------+--------------+|
||  2024-05-01T12:00:00+00:00 |  bucket-one  ||
|+----------------------------+--------------+|
||                   Owner                   ||
|+-------------------------+-----------------+|
||       DisplayName       |       ID        ||
|+-------------------------+-----------------+|
||  me                     |  abc123         ||
|+-------------------------+-----------------+|
";
        assert_eq!(fmt("ListBuckets", v), expected);
        assert_eq!(fmt("X", to_display(&value!({}))), "");
    }

    #[test]
    fn python_rounding() {
        assert_eq!(py_round(2.5), 2);
        assert_eq!(py_round(3.5), 4);
        assert_eq!(py_round(2.4), 2);
        assert_eq!(py_round(2.6), 3);
    }
}
