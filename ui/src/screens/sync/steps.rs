//! What the sync screen's panels share: one busy bar and one message line (an [`Action`]),
//! and the status asked again after every step, whether it worked or not (a failed sync
//! shows its error in the status).

use std::future::Future;

use yew::prelude::*;

use crate::screens::Action;

#[derive(Clone, PartialEq)]
pub struct Steps {
    pub action: Action,
    /// Moved after every step: the screen re-reads the status.
    pub reload: UseStateHandle<u32>,
}

impl Steps {
    /// Runs `step` as [`Action::run`] does, then has the status read again.
    pub fn run(&self, step: impl Future<Output = Result<Option<String>, String>> + 'static) {
        let reload = self.reload.clone();
        self.action.run(
            async move {
                let outcome = step.await;
                reload.set(*reload + 1);
                outcome
            },
            || {},
        );
    }

    pub fn busy(&self) -> bool {
        *self.action.busy
    }
}
