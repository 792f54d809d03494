//! The level above's plans on a commune PC, and sending plans down from a district PC (issue 17).

use uuid::Uuid;

use super::commands;

commands! {
    UpstreamPlans = "upstream_plans" {} -> Vec<crate::UpstreamPlan>;
    /// The commune's plan proposed from a received plan of the level above.
    DeriveProposal = "derive_proposal" { parent: Uuid } -> crate::DeriveProposal;
    /// The commune's plan proposed from the level above's document being imported.
    DeriveFromImported = "derive_from_imported" { plan: crate::ImportedPlan } -> crate::DeriveProposal;
    /// A plan of the level above from a file; `accept` trusts a first PC of the level above.
    ReceiveUpstreamFile = "receive_upstream_file" { path: String, accept: bool } -> crate::ReceiveOutcome;
    ReceiveUpstreamHub = "receive_upstream_hub" { accept: bool } -> crate::ReceiveOutcome;
    /// What a newer version of the level above's plan changes for the commune's plan `plan`.
    PlanAmendment = "plan_amendment" { plan: Uuid } -> Option<crate::Amendment>;
    CarryAmendment = "carry_amendment" { amendment: crate::Amendment } -> crate::Plan;
    PublishedPlans = "published_plans" {} -> Vec<crate::PublishedSummary>;
    /// Sends plan `plan` to every commune known here: through the hub when one is set, and to
    /// the file `path` when given.
    PublishPlan = "publish_plan" { plan: Uuid, path: Option<String> } -> crate::PublishOutcome;
    PlanCoverage = "plan_coverage" { plan: Uuid } -> crate::Coverage;
}
