//! Who may do what with an organisation's things: pure rules over a membership's role, so every route
//! and command asks one exhaustive table and the authorization tests can walk all of it. Knows no
//! accounts, cookies or databases; the web edge finds out who is asking.

use serde::{Deserialize, Serialize};

/// A member's role in one organisation (DESIGN §2). A person may hold a different role in each of
/// several organisations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Members, settings and retention, and everything a facilitator may do.
    Admin,
    /// Creates and runs sessions, imports catalogues, keeps the living plan.
    Facilitator,
    /// Reads results, history, the trend and the plan.
    Viewer,
}

impl Role {
    /// The role by its stored name.
    pub fn parse(name: &str) -> Option<Role> {
        [Role::Admin, Role::Facilitator, Role::Viewer].into_iter().find(|role| role.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Facilitator => "facilitator",
            Role::Viewer => "viewer",
        }
    }
}

/// Something a person asks to do with an organisation's things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Sessions, occasions, summaries, the trend and the plan.
    ReadResults,
    /// Create a session, open its console, drive it.
    RunSession,
    /// Import, retire or delete a catalogue version.
    ManageCatalogues,
    /// Add, update or close actions of the living plan.
    KeepPlan,
    /// Invite, change and remove members; units; retention.
    ManageMembers,
}

/// Every action, for tests that walk the whole table.
pub const ACTIONS: [Action; 5] =
    [Action::ReadResults, Action::RunSession, Action::ManageCatalogues, Action::KeepPlan, Action::ManageMembers];

/// Whether a person with `role` in an organisation (`None`: not a member) may do `action` there.
pub fn allowed(role: Option<Role>, action: Action) -> bool {
    let Some(role) = role else { return false };
    match action {
        Action::ReadResults => true,
        Action::RunSession | Action::ManageCatalogues | Action::KeepPlan => match role {
            Role::Admin | Role::Facilitator => true,
            Role::Viewer => false,
        },
        Action::ManageMembers => match role {
            Role::Admin => true,
            Role::Facilitator | Role::Viewer => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stranger_may_do_nothing_and_each_role_what_it_is_for() {
        for action in ACTIONS {
            assert!(!allowed(None, action), "{action:?} for someone outside the organisation");
            assert!(allowed(Some(Role::Admin), action), "an admin may {action:?}");
        }
        let facilitator = ACTIONS.into_iter().filter(|a| allowed(Some(Role::Facilitator), *a)).collect::<Vec<_>>();
        assert_eq!(
            facilitator,
            [Action::ReadResults, Action::RunSession, Action::ManageCatalogues, Action::KeepPlan],
            "a facilitator runs sessions and keeps the plan, but not the members"
        );
        let viewer = ACTIONS.into_iter().filter(|a| allowed(Some(Role::Viewer), *a)).collect::<Vec<_>>();
        assert_eq!(viewer, [Action::ReadResults], "a viewer only reads");
    }

    #[test]
    fn a_role_reads_back_from_its_stored_name() {
        for role in [Role::Admin, Role::Facilitator, Role::Viewer] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::parse("owner"), None);
    }
}
