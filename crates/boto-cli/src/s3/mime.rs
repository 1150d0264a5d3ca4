//! Content-Type guessing for uploads, as aws-cli does with Python's
//! `mimetypes.guess_type` (`guess_content_type` in `customizations/s3/utils.py`).
//!
//! The table is the common part of CPython's built-in `types_map`; unknown
//! extensions get no Content-Type (S3 then stores `binary/octet-stream`).

const TYPES: &[(&str, &str)] = &[
    ("aac", "audio/aac"),
    ("avi", "video/x-msvideo"),
    ("avif", "image/avif"),
    ("bin", "application/octet-stream"),
    ("bmp", "image/bmp"),
    ("c", "text/plain"),
    ("css", "text/css"),
    ("csv", "text/csv"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("eml", "message/rfc822"),
    ("eps", "application/postscript"),
    ("exe", "application/octet-stream"),
    ("flac", "audio/flac"),
    ("gif", "image/gif"),
    ("h", "text/plain"),
    ("htm", "text/html"),
    ("html", "text/html"),
    ("ico", "image/vnd.microsoft.icon"),
    ("ics", "text/calendar"),
    ("jpe", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("jpg", "image/jpeg"),
    ("js", "text/javascript"),
    ("json", "application/json"),
    ("m4a", "audio/mp4"),
    ("md", "text/markdown"),
    ("mjs", "text/javascript"),
    ("mov", "video/quicktime"),
    ("mp3", "audio/mpeg"),
    ("mp4", "video/mp4"),
    ("mpeg", "video/mpeg"),
    ("ogg", "audio/ogg"),
    ("otf", "font/otf"),
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("ppt", "application/vnd.ms-powerpoint"),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("ps", "application/postscript"),
    ("py", "text/x-python"),
    ("rtf", "application/rtf"),
    ("sh", "application/x-sh"),
    ("svg", "image/svg+xml"),
    ("tar", "application/x-tar"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("tsv", "text/tab-separated-values"),
    ("ttf", "font/ttf"),
    ("txt", "text/plain"),
    ("wasm", "application/wasm"),
    ("wav", "audio/x-wav"),
    ("webm", "video/webm"),
    ("webmanifest", "application/manifest+json"),
    ("webp", "image/webp"),
    ("woff", "font/woff"),
    ("woff2", "font/woff2"),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("xml", "text/xml"),
    ("yaml", "application/yaml"),
    ("yml", "application/yaml"),
    ("zip", "application/zip"),
];

/// The Content-Type for a file name, by extension (case-insensitive, like
/// `mimetypes` which retries lower-cased).
pub fn guess(filename: &str) -> Option<&'static str> {
    let base = filename.rsplit('/').next().unwrap_or(filename);
    let (stem, ext) = base.rsplit_once('.')?;
    if stem.is_empty() && !base[1..].contains('.') {
        // ".bashrc": a hidden file, not an extension (posixpath.splitext).
        return None;
    }
    let ext = ext.to_ascii_lowercase();
    // mimetypes' encodings_map: `x.tar.gz` is a gzip-encoded tar, `x.gz` has no type.
    if ["gz", "bz2", "xz", "br", "z"].contains(&ext.as_str()) {
        return guess(stem);
    }
    if ext == "tgz" {
        return Some("application/x-tar");
    }
    TYPES
        .binary_search_by(|(e, _)| e.cmp(&ext.as_str()))
        .ok()
        .map(|i| TYPES[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_by_extension() {
        assert!(
            TYPES.windows(2).all(|w| w[0].0 < w[1].0),
            "table must stay sorted"
        );
        assert_eq!(guess("a/b/index.html"), Some("text/html"));
        assert_eq!(guess("PHOTO.JPG"), Some("image/jpeg"));
        assert_eq!(guess("x.tar.gz"), Some("application/x-tar"));
        assert_eq!(guess("x.gz"), None);
        assert_eq!(guess("noext"), None);
        assert_eq!(guess(".bashrc"), None);
        assert_eq!(guess("x.unknownext"), None);
    }
}
