//! Reading the compiled model form (written by `boto-model-compile`).
//!
//! botocore parses a service's JSON model when a client is first created and
//! resolves shapes from dictionaries as it goes. The embedded models are
//! compiled at build time instead; here a model is opened by checking a
//! fixed header, and each shape or operation is decoded from its record the
//! first time it is asked for (see `ServiceModel::shape`). Names are found by
//! binary search over sorted tables, so opening ec2 (thousands of shapes)
//! touches only a few pages. Every read is bounds-checked: a corrupt record
//! decodes as an error, never a panic.

use super::*;
use boto_model_compile::{bits::*, header, kind};
use std::borrow::Cow;
use std::sync::OnceLock;

/// A compiled model's bytes (static for embedded models) and its header.
///
/// The strings and records are either in `bytes` (a flat compiled model) or
/// packed (`boto_model_compile::pack`: `bytes` is the header and tables, the
/// rest LZ4 chunks unpacked one at a time when first read, then kept).
#[derive(Clone)]
pub(super) struct Bin {
    bytes: Bytes,
    h: [u32; header::FIELDS],
    packed: Option<Arc<PackedArea>>,
}

#[derive(Clone)]
enum Bytes {
    Static(&'static [u8]),
    Shared(Arc<[u8]>),
}

/// The chunks of a packed model's strings and records, each unpacked on
/// first use.
struct PackedArea {
    parts: boto_model_compile::pack::Packed<'static>,
    unpacked: Box<[OnceLock<Box<[u8]>>]>,
}

impl PackedArea {
    /// The unpacked chunk holding offset `rel` of the string data, and the
    /// chunk's start.
    fn chunk(&self, rel: u32) -> R<(&[u8], u32)> {
        let chunks = &self.parts.chunks;
        let i = chunks
            .partition_point(|c| c.start <= rel)
            .checked_sub(1)
            .ok_or(Corrupt)?;
        let slot = &self.unpacked[i];
        if slot.get().is_none() {
            let raw = self.parts.unpack_chunk(i).ok_or(Corrupt)?;
            // Another thread may have won the race; its bytes are the same.
            let _ = slot.set(raw.into_boxed_slice());
        }
        Ok((slot.get().ok_or(Corrupt)?, chunks[i].start))
    }
}

/// A decoding failure (the model bytes are not what the writer produced).
#[derive(Debug)]
pub(super) struct Corrupt;

type R<T> = Result<T, Corrupt>;

impl Bin {
    /// Checks the header and table bounds of a compiled model.
    pub(super) fn open(bytes: Cow<'static, [u8]>) -> Result<Bin, String> {
        let bytes = match bytes {
            Cow::Borrowed(b) => Bytes::Static(b),
            Cow::Owned(v) => Bytes::Shared(v.into()),
        };
        Self::check(bytes, None)
    }

    /// Opens a packed compiled model (`boto_model_compile::pack`) without
    /// unpacking its strings and records.
    pub(super) fn open_packed(packed: &'static [u8]) -> Result<Bin, String> {
        let parts = boto_model_compile::pack::split(packed).ok_or("not a packed compiled model")?;
        let head = parts.head;
        let unpacked = parts.chunks.iter().map(|_| OnceLock::new()).collect();
        Self::check(
            Bytes::Static(head),
            Some(Arc::new(PackedArea { parts, unpacked })),
        )
    }

    fn check(bytes: Bytes, packed: Option<Arc<PackedArea>>) -> Result<Bin, String> {
        let b = match &bytes {
            Bytes::Static(b) => *b,
            Bytes::Shared(b) => &b[..],
        };
        let base = boto_model_compile::MAGIC.len();
        if b.get(..base) != Some(&boto_model_compile::MAGIC[..]) {
            return Err("not a compiled model (bad magic)".into());
        }
        let mut h = [0u32; header::FIELDS];
        for (i, x) in h.iter_mut().enumerate() {
            *x = rd32(b, base + 4 * i).ok_or("truncated header")?;
        }
        let len = b.len();
        // Packed, `bytes` ends where the string data begins, and the chunks
        // hold the rest.
        let (whole, end) = match &packed {
            None => (h[header::LEN] as usize == len, len),
            Some(p) => {
                let tail = p.parts.chunks.last().map_or(0, |c| c.start + c.raw_len);
                let end = h[header::LEN] as usize;
                let ok = h[header::STRING_DATA] as usize == len
                    && u64::from(h[header::LEN]) == len as u64 + u64::from(tail);
                (ok, end)
            }
        };
        let table = |off: usize, n: usize| off.checked_add(n * 4).is_some_and(|end| end <= len);
        let (ns, no) = (h[header::N_SHAPES] as usize, h[header::N_OPS] as usize);
        let ok = whole
            && table(h[header::SHAPE_OFFSETS] as usize, ns)
            && table(h[header::SHAPE_NAMES] as usize, ns)
            && table(h[header::OP_OFFSETS] as usize, no)
            && table(
                h[header::OP_NAMES] as usize,
                2 * h[header::N_OP_NAMES] as usize,
            )
            && h[header::STRING_DATA] <= h[header::RECORDS]
            && h[header::RECORDS] as usize <= end;
        if !ok {
            return Err("compiled model tables out of bounds".into());
        }
        Ok(Bin { bytes, h, packed })
    }

    fn b(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Static(b) => b,
            Bytes::Shared(b) => b,
        }
    }
    pub(super) fn n_shapes(&self) -> usize {
        self.h[header::N_SHAPES] as usize
    }
    pub(super) fn n_ops(&self) -> usize {
        self.h[header::N_OPS] as usize
    }
    fn word(&self, table: usize, i: usize) -> R<u32> {
        rd32(self.b(), self.h[table] as usize + 4 * i).ok_or(Corrupt)
    }
    /// A cursor at `at` bytes into the string data (records follow it).
    fn area(&self, at: usize) -> R<Cur<'_>> {
        Ok(match &self.packed {
            None => Cur {
                bin: self,
                rec: self.b(),
                p: (self.h[header::STRING_DATA] as usize)
                    .checked_add(at)
                    .ok_or(Corrupt)?,
            },
            Some(packed) => {
                let (rec, start) = packed.chunk(u32::try_from(at).map_err(|_| Corrupt)?)?;
                Cur {
                    bin: self,
                    rec,
                    p: at - start as usize,
                }
            }
        })
    }
    /// A cursor at the record `rel` bytes into the records area.
    fn record(&self, rel: u32) -> R<Cur<'_>> {
        let data = self.h[header::STRING_DATA] as usize;
        self.area(self.h[header::RECORDS] as usize - data + rel as usize)
    }
    fn str_at(&self, off: u64) -> R<&str> {
        std::str::from_utf8(self.bytes_at(off)?).map_err(|_| Corrupt)
    }

    /// The bytes of the string at `off`, not checked as UTF-8 (for
    /// comparisons, where only an exact match matters).
    fn bytes_at(&self, off: u64) -> R<&[u8]> {
        let mut c = self.area(usize::try_from(off).map_err(|_| Corrupt)?)?;
        let n = c.var()? as usize;
        let s = c.p;
        // A string ends before the records (flat) or its chunk (packed).
        let end = match &self.packed {
            None => self.h[header::RECORDS] as usize,
            Some(_) => c.rec.len(),
        };
        let bytes = c
            .rec
            .get(s..s.checked_add(n).ok_or(Corrupt)?.min(end))
            .ok_or(Corrupt)?;
        if bytes.len() != n {
            return Err(Corrupt);
        }
        Ok(bytes)
    }

    /// The name of shape `i` (the head of its record).
    fn shape_name(&self, i: usize) -> R<&str> {
        let mut c = self.record(self.word(header::SHAPE_OFFSETS, i)?)?;
        c.var()?;
        c.str()
    }

    /// The id of the shape called `name`.
    pub(super) fn shape_id(&self, name: &str) -> Option<ShapeId> {
        let (mut lo, mut hi) = (0, self.n_shapes());
        while lo < hi {
            let mid = (lo + hi) / 2;
            let id = self.word(header::SHAPE_NAMES, mid).ok()?;
            match self.shape_name(id as usize).ok()?.cmp(name) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    return ((id as usize) < self.n_shapes()).then_some(ShapeId(id))
                }
            }
        }
        None
    }

    /// The index of the operation called `name` (model name or snake_case).
    pub(super) fn op_index(&self, name: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.h[header::N_OP_NAMES] as usize);
        while lo < hi {
            let mid = (lo + hi) / 2;
            // Byte order is `str` order; an equal name is the same UTF-8.
            let s = self
                .bytes_at(u64::from(self.word(header::OP_NAMES, 2 * mid).ok()?))
                .ok()?;
            match s.cmp(name.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let i = self.word(header::OP_NAMES, 2 * mid + 1).ok()? as usize;
                    return (i < self.n_ops()).then_some(i);
                }
            }
        }
        None
    }

    /// Every lookup name of the operations (model and snake_case names).
    pub(super) fn op_names(&self) -> impl Iterator<Item = &str> {
        (0..self.h[header::N_OP_NAMES] as usize).filter_map(|i| {
            let off = self.word(header::OP_NAMES, 2 * i).ok()?;
            self.str_at(u64::from(off)).ok()
        })
    }

    pub(super) fn shape(&self, i: usize) -> R<Shape> {
        let mut c = self.record(self.word(header::SHAPE_OFFSETS, i)?)?;
        let k = c.var()?;
        let name = c.str()?.into();
        let traits = c.traits()?;
        let f = c.var()?;
        let min = if f & SH_MIN != 0 {
            Some(c.f64()?)
        } else {
            None
        };
        let max = if f & SH_MAX != 0 {
            Some(c.f64()?)
        } else {
            None
        };
        let pattern = c.opt_if(f & SH_PATTERN != 0)?;
        let enum_values = if f & SH_ENUM != 0 {
            c.list()?
        } else {
            Vec::new()
        };
        let kind = match k {
            kind::STRUCTURE => ShapeKind::Structure(Box::new(c.structure()?)),
            kind::LIST => ShapeKind::List {
                member: Box::new(c.reference("member")?),
            },
            kind::MAP => ShapeKind::Map {
                key: Box::new(c.reference("key")?),
                value: Box::new(c.reference("value")?),
            },
            kind::STRING => ShapeKind::String,
            kind::INTEGER => ShapeKind::Integer,
            kind::LONG => ShapeKind::Long,
            kind::FLOAT => ShapeKind::Float,
            kind::DOUBLE => ShapeKind::Double,
            kind::BIG_INTEGER => ShapeKind::BigInteger,
            kind::BIG_DECIMAL => ShapeKind::BigDecimal,
            kind::BOOLEAN => ShapeKind::Boolean,
            kind::BLOB => ShapeKind::Blob,
            kind::TIMESTAMP => ShapeKind::Timestamp,
            _ => return Err(Corrupt),
        };
        Ok(Shape {
            name,
            kind,
            min,
            max,
            enum_values,
            pattern,
            sensitive: f & SH_SENSITIVE != 0,
            streaming: traits.streaming,
            requires_length: f & SH_REQUIRES_LENGTH != 0,
            sparse: f & SH_SPARSE != 0,
            deprecated: traits.deprecated,
            traits,
        })
    }

    pub(super) fn operation(&self, i: usize) -> R<Operation> {
        let mut c = self.record(self.word(header::OP_OFFSETS, i)?)?;
        let name = c.str()?.into();
        let method = c.str()?.into();
        let request_uri = c.str()?.into();
        let f = c.var()?;
        let response_code = if f & OP_RESPONSE_CODE != 0 {
            Some(c.var()? as u16)
        } else {
            None
        };
        let input = (f & OP_INPUT != 0)
            .then(|| c.reference("input"))
            .transpose()?;
        let output = (f & OP_OUTPUT != 0)
            .then(|| c.reference("output"))
            .transpose()?;
        let n = c.var()?;
        let mut errors = Vec::with_capacity(n.min(64) as usize);
        for _ in 0..n {
            errors.push(c.shape_id()?);
        }
        let host_prefix = c.opt_if(f & OP_HOST_PREFIX != 0)?;
        let http_checksum = if f & OP_HTTP_CHECKSUM != 0 {
            let cf = c.var()?;
            Some(HttpChecksum {
                request_checksum_required: cf & CK_REQUEST_CHECKSUM_REQUIRED != 0,
                request_algorithm_member: c.opt()?.map(Into::into),
                request_validation_mode_member: c.opt()?.map(Into::into),
                response_algorithms: c.list()?,
            })
        } else {
            None
        };
        let auth = c.list()?;
        let n = c.var()?;
        let mut static_context_params = Vec::with_capacity(n.min(64) as usize);
        for _ in 0..n {
            let k = c.str()?.into();
            let v = serde_json::from_str(c.str()?).map_err(|_| Corrupt)?;
            static_context_params.push((k, v));
        }
        let n = c.var()?;
        let mut operation_context_params = Vec::with_capacity(n.min(64) as usize);
        for _ in 0..n {
            operation_context_params.push((c.str()?.into(), c.str()?.into()));
        }
        let request_compression = c.list()?;
        let documentation_url = c.opt_if(f & OP_DOCUMENTATION_URL != 0)?;
        Ok(Operation {
            name,
            http: HttpTrait {
                method,
                request_uri,
                response_code,
            },
            input,
            output,
            errors,
            host_prefix,
            http_checksum,
            http_checksum_required: f & OP_HTTP_CHECKSUM_REQUIRED != 0,
            auth,
            unsigned_payload: f & OP_UNSIGNED_PAYLOAD != 0,
            static_context_params,
            operation_context_params,
            request_compression,
            endpoint_discovery_required: f & OP_ENDPOINT_DISCOVERY_REQUIRED != 0,
            endpoint_discovery: f & OP_ENDPOINT_DISCOVERY != 0,
            endpoint_operation: f & OP_ENDPOINT_OPERATION != 0,
            idempotent: f & OP_IDEMPOTENT != 0,
            readonly: f & OP_READONLY != 0,
            deprecated: f & OP_DEPRECATED != 0,
            documentation_url,
        })
    }

    /// The metadata and `clientContextParams`.
    pub(super) fn metadata(&self) -> R<(Metadata, Json)> {
        let mut c = self.record(self.h[header::METADATA])?;
        let s = |c: &mut Cur| c.str().map(str::to_owned);
        let o = |c: &mut Cur| c.opt().map(|v| v.map(str::to_owned));
        let l = |c: &mut Cur| -> R<Vec<String>> {
            let n = c.var()?;
            (0..n).map(|_| c.str().map(str::to_owned)).collect()
        };
        let m = Metadata {
            api_version: s(&mut c)?,
            endpoint_prefix: s(&mut c)?,
            protocol: s(&mut c)?,
            protocols: l(&mut c)?,
            json_version: o(&mut c)?,
            target_prefix: o(&mut c)?,
            service_id: s(&mut c)?,
            service_full_name: s(&mut c)?,
            signing_name: o(&mut c)?,
            signature_version: o(&mut c)?,
            uid: o(&mut c)?,
            xml_namespace: o(&mut c)?,
            global_endpoint: o(&mut c)?,
            aws_query_compatible: c.var()? != 0,
            auth: l(&mut c)?,
            checksum_format: o(&mut c)?,
        };
        let ccp = match c.opt()? {
            None => Json::Null,
            Some(t) => serde_json::from_str(t).map_err(|_| Corrupt)?,
        };
        Ok((m, ccp))
    }
}

fn rd32(b: &[u8], p: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(p..p.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// A cursor over one record (strings are looked up in the model's head).
struct Cur<'b> {
    bin: &'b Bin,
    rec: &'b [u8],
    p: usize,
}

impl<'b> Cur<'b> {
    fn var(&mut self) -> R<u64> {
        let b = self.rec;
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let x = *b.get(self.p).ok_or(Corrupt)?;
            self.p += 1;
            v |= u64::from(x & 0x7f) << shift;
            if x & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Corrupt)
    }
    fn f64(&mut self) -> R<f64> {
        let b = self.rec.get(self.p..self.p + 8).ok_or(Corrupt)?;
        self.p += 8;
        Ok(f64::from_le_bytes(b.try_into().map_err(|_| Corrupt)?))
    }
    fn str(&mut self) -> R<&'b str> {
        let off = self.var()?;
        self.bin.str_at(off)
    }
    fn opt(&mut self) -> R<Option<&'b str>> {
        match self.var()? {
            0 => Ok(None),
            n => self.bin.str_at(n - 1).map(Some),
        }
    }
    /// A string present when `on` (a bit of the record's flags).
    fn opt_if(&mut self, on: bool) -> R<Option<Box<str>>> {
        Ok(if on { Some(self.str()?.into()) } else { None })
    }
    fn list(&mut self) -> R<Vec<Box<str>>> {
        let n = self.var()?;
        let mut out = Vec::with_capacity(n.min(1024) as usize);
        for _ in 0..n {
            out.push(self.str()?.into());
        }
        Ok(out)
    }
    fn shape_id(&mut self) -> R<ShapeId> {
        let id = self.var()?;
        if id >= self.bin.n_shapes() as u64 {
            return Err(Corrupt);
        }
        Ok(ShapeId(id as u32))
    }
    fn reference(&mut self, name: &str) -> R<MemberRef> {
        Ok(MemberRef {
            name: name.into(),
            target: self.shape_id()?,
            traits: self.traits()?,
        })
    }
    fn traits(&mut self) -> R<RefTraits> {
        let f = self.var()?;
        let on = |bit| f & bit != 0;
        let location = if on(TR_LOCATION) {
            Some(match self.var()? {
                1 => Location::Uri,
                2 => Location::QueryString,
                3 => Location::Header,
                4 => Location::Headers,
                5 => Location::StatusCode,
                _ => return Err(Corrupt),
            })
        } else {
            None
        };
        let location_name = self.opt_if(on(TR_LOCATION_NAME))?;
        let query_name = self.opt_if(on(TR_QUERY_NAME))?;
        let xml_namespace = if on(TR_XML_NAMESPACE) {
            let prefix = self.opt()?.map(str::to_owned);
            let uri = self.str()?.to_owned();
            Some(Box::new(XmlNamespace { prefix, uri }))
        } else {
            None
        };
        let timestamp_format = if on(TR_TIMESTAMP_FORMAT) {
            Some(match self.var()? {
                0 => TimestampFormat::Iso8601,
                1 => TimestampFormat::Rfc822,
                2 => TimestampFormat::UnixTimestamp,
                _ => return Err(Corrupt),
            })
        } else {
            None
        };
        Ok(RefTraits {
            location,
            location_name,
            query_name,
            xml_namespace,
            xml_attribute: on(TR_XML_ATTRIBUTE),
            flattened: on(TR_FLATTENED).then_some(on(TR_FLATTENED_TRUE)),
            timestamp_format,
            jsonvalue: on(TR_JSONVALUE),
            host_label: on(TR_HOST_LABEL),
            idempotency_token: on(TR_IDEMPOTENCY_TOKEN),
            event_payload: on(TR_EVENT_PAYLOAD),
            streaming: on(TR_STREAMING),
            context_param: self.opt_if(on(TR_CONTEXT_PARAM))?,
            result_wrapper: self.opt_if(on(TR_RESULT_WRAPPER))?,
            deprecated: on(TR_DEPRECATED),
        })
    }
    fn structure(&mut self) -> R<StructureShape> {
        let n = self.var()?;
        let mut members = Vec::with_capacity(n.min(1024) as usize);
        for _ in 0..n {
            let name = self.str()?;
            members.push(self.reference(name)?);
        }
        let required = self.list()?;
        let payload = self.opt()?.map(Into::into);
        let f = self.var()?;
        let on = |bit| f & bit != 0;
        let error = if on(ST_ERROR) {
            let code = self.opt()?.map(str::to_owned);
            let http_status = if on(ST_ERROR_STATUS) {
                Some(self.var()? as u16)
            } else {
                None
            };
            Some(ErrorTraits {
                code,
                http_status,
                sender_fault: on(ST_ERROR_SENDER_FAULT),
            })
        } else {
            None
        };
        Ok(StructureShape {
            members,
            required,
            payload,
            union: on(ST_UNION),
            document: on(ST_DOCUMENT),
            exception: on(ST_EXCEPTION),
            fault: on(ST_FAULT),
            error,
            event: on(ST_EVENT),
            eventstream: on(ST_EVENTSTREAM),
            wrapper: on(ST_WRAPPER),
            retryable_throttling: on(ST_RETRYABLE).then_some(on(ST_RETRYABLE_THROTTLING)),
        })
    }
}
