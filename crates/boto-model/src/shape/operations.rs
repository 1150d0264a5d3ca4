//! The operations of a compiled model, decoded one by one on first use.
//!
//! botocore builds an `OperationModel` per operation when asked; here each is
//! decoded from the compiled model once and kept, and [`Operations`] lets
//! callers index and iterate them like the slice they used to be.

use super::*;

/// The operations of a model, in model order, each decoded on first use.
/// Indexes and iterates like a slice (`ops[i]`, `ops.iter()`, `ops.len()`).
pub struct Operations {
    bin: compiled::Bin,
    cells: super::slots::Slots<Operation>,
}

impl std::fmt::Debug for Operations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Operations {
    pub(super) fn new(bin: compiled::Bin) -> Operations {
        Operations {
            cells: super::slots::Slots::new(bin.n_ops()),
            bin,
        }
    }
    /// Number of operations.
    pub fn len(&self) -> usize {
        self.cells.len()
    }
    /// Whether the model has no operations.
    pub fn is_empty(&self) -> bool {
        self.cells.len() == 0
    }
    /// The operation at index `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&Operation> {
        self.cells.get_or_init(i, || {
            self.bin.operation(i).unwrap_or_else(|_| Operation {
                name: "<corrupt model>".into(),
                http: HttpTrait {
                    method: "POST".into(),
                    request_uri: "/".into(),
                    response_code: None,
                },
                input: None,
                output: None,
                errors: Vec::new(),
                host_prefix: None,
                http_checksum: None,
                http_checksum_required: false,
                auth: Vec::new(),
                unsigned_payload: false,
                static_context_params: Vec::new(),
                operation_context_params: Vec::new(),
                request_compression: Vec::new(),
                endpoint_discovery_required: false,
                endpoint_discovery: false,
                endpoint_operation: false,
                idempotent: false,
                readonly: false,
                deprecated: false,
                documentation_url: None,
            })
        })
    }
    /// Every operation, in model order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &Operation> + DoubleEndedIterator + '_ {
        (0..self.len()).map(|i| &self[i])
    }
}

impl std::ops::Index<usize> for Operations {
    type Output = Operation;
    fn index(&self, i: usize) -> &Operation {
        match self.get(i) {
            Some(op) => op,
            None => panic!(
                "operation index {i} out of range ({} operations)",
                self.len()
            ),
        }
    }
}

impl<'a> IntoIterator for &'a Operations {
    type Item = &'a Operation;
    type IntoIter = Box<dyn Iterator<Item = &'a Operation> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}
