//! Where a command's outcome goes. Every command gets exactly one answer, once its events are stored or
//! it is refused.

use super::LiveError;
use crate::domain::Event;
use tokio::sync::oneshot;

/// A command's outcome: its events (durably stored by then), or why it was refused.
pub type Outcome = Result<Vec<Event>, LiveError>;

/// The answer to one command.
pub enum Answer {
    /// Sent to a task that waits for it.
    Wait(oneshot::Sender<Outcome>),
    /// Handed to a function where the outcome is known (on the actor's thread). A socket writes its ack
    /// from there: its own task would otherwise wake once more per command only to write it.
    Call(Callback),
}

/// A function that takes a command's outcome. Dropped unanswered (its actor ended with the command still
/// in the mailbox), it is told [`LiveError::Closed`], as a waiting task would be. `Sync` because a node
/// that forwards the command to another keeps it in a map shared between threads until the reply.
pub struct Callback(Option<Box<dyn FnOnce(Outcome) + Send + Sync>>);

impl Answer {
    /// An answer a task awaits on the returned receiver.
    pub fn wait() -> (Answer, oneshot::Receiver<Outcome>) {
        let (sender, receiver) = oneshot::channel();
        (Answer::Wait(sender), receiver)
    }

    /// An answer given to `then`.
    pub fn call(then: impl FnOnce(Outcome) + Send + Sync + 'static) -> Answer {
        Answer::Call(Callback(Some(Box::new(then))))
    }

    pub fn give(self, outcome: Outcome) {
        match self {
            Answer::Wait(sender) => {
                let _ = sender.send(outcome);
            }
            Answer::Call(mut callback) => {
                if let Some(then) = callback.0.take() {
                    then(outcome);
                }
            }
        }
    }
}

impl Drop for Callback {
    fn drop(&mut self) {
        if let Some(then) = self.0.take() {
            then(Err(LiveError::Closed));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// What a callback heard: the number of events, or the error's text.
    type Heard = Arc<Mutex<Vec<Result<usize, String>>>>;

    fn recorder() -> (Heard, Answer) {
        let heard = Arc::new(Mutex::new(Vec::new()));
        let into = heard.clone();
        let answer = Answer::call(move |outcome| {
            into.lock().unwrap().push(outcome.map(|events| events.len()).map_err(|e| e.to_string()));
        });
        (heard, answer)
    }

    #[test]
    fn a_callback_hears_the_outcome_once() {
        let (heard, answer) = recorder();
        answer.give(Ok(Vec::new()));
        assert_eq!(*heard.lock().unwrap(), vec![Ok(0)]);
    }

    #[test]
    fn a_callback_dropped_unanswered_hears_that_the_session_closed() {
        let (heard, answer) = recorder();
        drop(answer);
        assert_eq!(*heard.lock().unwrap(), vec![Err(LiveError::Closed.to_string())]);
    }
}
