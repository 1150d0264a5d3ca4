//! Model documentation (a small HTML dialect) to wrapped terminal text.
//!
//! botocore's docs use `<p>`, lists, `<code>`, links, `<note>`/`<important>`
//! and a few inline tags. Help must read well in a terminal without a pager
//! or a browser, so this renders paragraphs and bullet lists, keeps link text,
//! decodes entities, and wraps to a width; unknown tags are dropped rather
//! than shown.

/// One rendered block: a paragraph or a list item.
struct Block {
    text: String,
    bullet: bool,
    depth: usize,
}

/// Renders `html` as text wrapped to `width`, each line prefixed by `indent` spaces.
pub fn to_text(html: &str, indent: usize, width: usize) -> String {
    let blocks = blocks(html);
    let mut out = String::new();
    for b in blocks {
        let text = b.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        let extra = if b.bullet {
            2 + 2 * b.depth.saturating_sub(1)
        } else {
            0
        };
        let first = if b.bullet {
            format!("{}* ", " ".repeat(extra.saturating_sub(2)))
        } else {
            String::new()
        };
        let lines = wrap(&text, width.saturating_sub(indent + extra).max(20));
        for (i, l) in lines.iter().enumerate() {
            out.push_str(&" ".repeat(indent));
            if i == 0 {
                out.push_str(&first);
            } else {
                out.push_str(&" ".repeat(extra));
            }
            out.push_str(l);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

fn blocks(html: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = vec![Block {
        text: String::new(),
        bullet: false,
        depth: 0,
    }];
    let mut depth = 0usize;
    let mut in_li = false;
    let mut rest = html;
    let new_block = |blocks: &mut Vec<Block>, bullet: bool, depth: usize| {
        if blocks
            .last()
            .is_some_and(|b| b.text == "Note: " || b.text == "Important: ")
        {
            return;
        }
        if blocks.last().is_some_and(|b| b.text.trim().is_empty()) {
            blocks.pop();
        }
        blocks.push(Block {
            text: String::new(),
            bullet,
            depth,
        });
    };
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut blocks, rest);
            break;
        };
        push_text(&mut blocks, &rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            push_text(&mut blocks, &rest[lt..]);
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name != "li" && (name != "p" || closing) {
            in_li = false;
        }
        match (name.as_str(), closing) {
            ("ul" | "ol", false) => depth += 1,
            ("ul" | "ol", true) => {
                depth = depth.saturating_sub(1);
                new_block(&mut blocks, false, 0);
            }
            ("li", false) => {
                new_block(&mut blocks, true, depth.max(1));
                in_li = true;
            }
            ("p", false) if in_li => in_li = false,
            (
                "p" | "div" | "br" | "note" | "important" | "h1" | "h2" | "h3" | "h4" | "dt" | "dd"
                | "pre",
                _,
            ) => {
                new_block(&mut blocks, false, 0);
                if !closing && name == "note" {
                    push_text(&mut blocks, "Note: ");
                }
                if !closing && name == "important" {
                    push_text(&mut blocks, "Important: ");
                }
            }
            ("code", _) => push_text(&mut blocks, "`"),
            _ => {}
        }
    }
    blocks.retain(|b| !b.text.trim().is_empty());
    blocks
}

fn push_text(blocks: &mut [Block], text: &str) {
    if let Some(b) = blocks.last_mut() {
        b.text.push_str(&decode_entities(text));
    }
}

/// Decodes the HTML entities the models use.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &after[1..e];
            let c = match ent {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                    char::from_u32(u32::from_str_radix(&ent[2..], 16).ok()?)?
                }
                _ if ent.starts_with('#') => char::from_u32(ent[1..].parse().ok()?)?,
                _ => return None,
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Greedy word wrap (words longer than `width` get a line of their own).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_paragraphs_lists_and_code() {
        let html = "<p>Returns <code>Foo</code> &amp; bar.</p><ul><li><p>One</p></li><li>Two <a href=\"x\">link</a></li></ul><note><p>Careful.</p></note>";
        assert_eq!(
            to_text(html, 2, 80),
            "  Returns `Foo` & bar.\n\n  * One\n\n  * Two link\n\n  Note: Careful.\n\n"
        );
    }

    #[test]
    fn wraps_and_tolerates_broken_html() {
        let t = to_text("<p>aaa bbb ccc ddd</p>", 0, 20);
        assert_eq!(t, "aaa bbb ccc ddd\n\n");
        let t = to_text(&format!("<p>{}</p>", "word ".repeat(30)), 4, 40);
        assert!(t.lines().all(|l| l.len() <= 40), "{t}");
        assert_eq!(to_text("unclosed <b", 0, 80), "unclosed <b\n\n");
        assert_eq!(decode_entities("&#65;&#x42;&bogus;&"), "AB&bogus;&");
    }
}
