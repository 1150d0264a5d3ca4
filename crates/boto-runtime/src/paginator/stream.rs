//! A pull-based async source as a [`futures_core::Stream`].
//!
//! [`Paginator::next_page`] and [`Search::next`] are plain async methods
//! borrowing `&mut self`; a `Stream` must own its state between polls. The
//! adapter owns the puller while idle and moves it into the in-flight future
//! while a page is being fetched, so no self-referential struct is needed.

use super::{Paginator, Search};
use crate::error::Error;
use crate::http::BoxFuture;
use boto_model::Value;

/// Something that yields values one `await` at a time.
pub(super) trait Pull: Send + 'static {
    fn pull(&mut self) -> BoxFuture<'_, Option<Result<Value, Error>>>;
}
impl Pull for Paginator {
    fn pull(&mut self) -> BoxFuture<'_, Option<Result<Value, Error>>> {
        Box::pin(self.next_page())
    }
}
impl Pull for Search {
    fn pull(&mut self) -> BoxFuture<'_, Option<Result<Value, Error>>> {
        Box::pin(self.next())
    }
}

type Pending<P> = BoxFuture<'static, (P, Option<Result<Value, Error>>)>;

/// A [`Pull`] as a `Stream`: owns the puller, or the future that has it.
pub(super) enum PullStream<P> {
    Idle(P),
    Busy(Pending<P>),
    Done,
}

impl<P: Pull + Unpin> futures_core::Stream for PullStream<P> {
    type Item = Result<Value, Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        loop {
            match std::mem::replace(this, PullStream::Done) {
                PullStream::Idle(mut p) => {
                    *this = PullStream::Busy(Box::pin(async move {
                        let r = p.pull().await;
                        (p, r)
                    }));
                }
                PullStream::Busy(mut fut) => match fut.as_mut().poll(cx) {
                    Poll::Pending => {
                        *this = PullStream::Busy(fut);
                        return Poll::Pending;
                    }
                    Poll::Ready((p, r)) => {
                        if r.is_some() {
                            *this = PullStream::Idle(p);
                        }
                        return Poll::Ready(r);
                    }
                },
                PullStream::Done => return Poll::Ready(None),
            }
        }
    }
}
