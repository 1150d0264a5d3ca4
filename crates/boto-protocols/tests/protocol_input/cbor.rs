//! CBOR bodies compared as decoded items (RFC 8949), the way botocore's
//! protocol tests compare parsed bodies.

/// A decoded CBOR item, compared the way botocore compares parsed bodies.
#[derive(Debug, Clone)]
enum Cbor {
    Int(i128),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Cbor>),
    Map(Vec<(Cbor, Cbor)>),
    Tag(u64, Box<Cbor>),
    Float(f64),
    Bool(bool),
    Null,
}

pub(super) fn cbor_equal(actual: &[u8], expected: &[u8]) -> Result<(), String> {
    let a = Cbor::decode_all(actual).map_err(|e| format!("actual does not decode: {e}"))?;
    let e = Cbor::decode_all(expected).map_err(|e| format!("expected does not decode: {e}"))?;
    if a.same(&e) {
        Ok(())
    } else {
        Err(format!("\n    expected {e:?}\n    actual   {a:?}"))
    }
}

impl Cbor {
    fn decode_all(b: &[u8]) -> Result<Cbor, String> {
        let mut pos = 0;
        let v = Self::item(b, &mut pos, 0)?.ok_or("unexpected break")?;
        if pos != b.len() {
            return Err(format!("{} trailing bytes", b.len() - pos));
        }
        Ok(v)
    }

    fn take<'a>(b: &'a [u8], pos: &mut usize, n: usize) -> Result<&'a [u8], String> {
        let s = b.get(*pos..*pos + n).ok_or("truncated")?;
        *pos += n;
        Ok(s)
    }

    /// One item; `None` for the break marker ending an indefinite-length item.
    fn item(b: &[u8], pos: &mut usize, depth: usize) -> Result<Option<Cbor>, String> {
        if depth > 64 {
            return Err("too deep".into());
        }
        let ib = Self::take(b, pos, 1)?[0];
        let (major, info) = (ib >> 5, ib & 31);
        if ib == 0xff {
            return Ok(None);
        }
        let arg = |pos: &mut usize| -> Result<Option<u64>, String> {
            Ok(Some(match info {
                0..=23 => info as u64,
                24 => Self::take(b, pos, 1)?[0] as u64,
                25 => u16::from_be_bytes(Self::take(b, pos, 2)?.try_into().unwrap()) as u64,
                26 => u32::from_be_bytes(Self::take(b, pos, 4)?.try_into().unwrap()) as u64,
                27 => u64::from_be_bytes(Self::take(b, pos, 8)?.try_into().unwrap()),
                31 => return Ok(None),
                _ => return Err(format!("bad additional info {info}")),
            }))
        };
        let next = |pos: &mut usize| -> Result<Cbor, String> {
            Self::item(b, pos, depth + 1)?.ok_or_else(|| "unexpected break".to_string())
        };
        Ok(Some(match major {
            0 => Cbor::Int(arg(pos)?.ok_or("indefinite int")? as i128),
            1 => Cbor::Int(-1 - arg(pos)?.ok_or("indefinite int")? as i128),
            2 | 3 => {
                let bytes = match arg(pos)? {
                    Some(n) => Self::take(b, pos, n as usize)?.to_vec(),
                    None => {
                        let mut all = Vec::new();
                        while let Some(chunk) = Self::item(b, pos, depth + 1)? {
                            match chunk {
                                Cbor::Bytes(c) => all.extend(c),
                                Cbor::Text(c) => all.extend(c.into_bytes()),
                                other => return Err(format!("bad chunk {other:?}")),
                            }
                        }
                        all
                    }
                };
                if major == 2 {
                    Cbor::Bytes(bytes)
                } else {
                    Cbor::Text(String::from_utf8(bytes).map_err(|e| e.to_string())?)
                }
            }
            4 => {
                let mut items = Vec::new();
                match arg(pos)? {
                    Some(n) => {
                        for _ in 0..n {
                            items.push(next(pos)?);
                        }
                    }
                    None => {
                        while let Some(i) = Self::item(b, pos, depth + 1)? {
                            items.push(i);
                        }
                    }
                }
                Cbor::Array(items)
            }
            5 => {
                let mut entries = Vec::new();
                match arg(pos)? {
                    Some(n) => {
                        for _ in 0..n {
                            let k = next(pos)?;
                            entries.push((k, next(pos)?));
                        }
                    }
                    None => {
                        while let Some(k) = Self::item(b, pos, depth + 1)? {
                            entries.push((k, next(pos)?));
                        }
                    }
                }
                Cbor::Map(entries)
            }
            6 => Cbor::Tag(arg(pos)?.ok_or("indefinite tag")?, Box::new(next(pos)?)),
            _ => match info {
                20 => Cbor::Bool(false),
                21 => Cbor::Bool(true),
                22 | 23 => Cbor::Null,
                25 => Cbor::Float(half(u16::from_be_bytes(
                    Self::take(b, pos, 2)?.try_into().unwrap(),
                ))),
                26 => Cbor::Float(
                    f32::from_be_bytes(Self::take(b, pos, 4)?.try_into().unwrap()) as f64,
                ),
                27 => Cbor::Float(f64::from_be_bytes(
                    Self::take(b, pos, 8)?.try_into().unwrap(),
                )),
                _ => return Err(format!("unsupported simple value {info}")),
            },
        }))
    }

    fn number(&self) -> Option<f64> {
        match self {
            Cbor::Int(i) => Some(*i as f64),
            Cbor::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// Python equality of the parsed values: maps unordered, `1 == 1.0`, NaN equal to NaN.
    fn same(&self, other: &Cbor) -> bool {
        match (self, other) {
            (Cbor::Int(a), Cbor::Int(b)) => a == b,
            (Cbor::Bytes(a), Cbor::Bytes(b)) => a == b,
            (Cbor::Text(a), Cbor::Text(b)) => a == b,
            (Cbor::Bool(a), Cbor::Bool(b)) => a == b,
            (Cbor::Null, Cbor::Null) => true,
            (Cbor::Tag(t, a), Cbor::Tag(u, b)) => t == u && a.same(b),
            (Cbor::Array(a), Cbor::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
            }
            (Cbor::Map(a), Cbor::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.iter().any(|(k2, v2)| k.same(k2) && v.same(v2)))
            }
            _ => match (self.number(), other.number()) {
                (Some(a), Some(b)) => a == b || (a.is_nan() && b.is_nan()),
                _ => false,
            },
        }
    }
}

fn half(h: u16) -> f64 {
    let exp = (h >> 10) & 0x1f;
    let mant = (h & 0x3ff) as f64;
    let v = match exp {
        0 => mant * 2f64.powi(-24),
        31 if mant == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (1.0 + mant / 1024.0) * 2f64.powi(e as i32 - 15),
    };
    if h & 0x8000 != 0 {
        -v
    } else {
        v
    }
}
