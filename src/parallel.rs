//! Two jobs at once on two threads, for the loaders and for what the
//! reader derives from a large briefing: the one place that starts the
//! second thread, runs both jobs here when there is no second core or no
//! thread, and raises a panic of the second job again here. Whether a job
//! is large enough to be worth a thread is the caller's call. Also how many
//! cores there are, for the jobs that start threads of their own.

/// How many threads can run at once here (1 when it cannot be told).
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// `a()` here and `b()` on a second thread, at once; both here, one after
/// the other, when the machine has one core or no thread can start. A
/// panic on the second thread is raised again here.
pub(crate) fn on_two_threads<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if cores() < 2 {
        return (a(), b());
    }
    // Taken by the thread, or left here when it cannot start.
    let b = std::sync::Mutex::new(Some(b));
    let take = || b.lock().ok().and_then(|mut b| b.take());
    std::thread::scope(|scope| {
        let helper = std::thread::Builder::new()
            .spawn_scoped(scope, || take().map(|b| b()))
            .ok();
        let a = a();
        let b = match helper.map(std::thread::ScopedJoinHandle::join) {
            Some(Ok(Some(b))) => b,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            Some(Ok(None)) | None => take().expect("the second job ran nowhere else")(),
        };
        (a, b)
    })
}
