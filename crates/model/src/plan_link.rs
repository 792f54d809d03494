//! Plans flow down (issue 17): the level above's plan a commune's plan implements, the
//! proposal of tasks derived from it, and the signed publication a district sends its communes.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::plan_doc::ImportedTask;

/// The level above's plan a plan implements ("Thực hiện Kế hoạch số 39/KH-UBND ngày 20/03/2023
/// của UBND huyện Ia Pa"). Number and date identify the document whichever way it came (a
/// publication, or the document imported by hand); `plan_id` is the level above's own id,
/// known when it came as a publication.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParentLink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<Uuid>,
    #[serde(default)]
    pub number: Option<String>,
    /// ISO date of issue.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// The published version derived from (absent for an imported document).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
}

impl ParentLink {
    /// The same document of the level above: the same id, or the same number and date (the
    /// number compared without spaces and case: "39/KH-UBND" = "39/kh-ubnd ").
    pub fn same_plan(&self, other: &ParentLink) -> bool {
        if let (Some(a), Some(b)) = (self.plan_id, other.plan_id) {
            if a == b {
                return true;
            }
        }
        let key = |l: &ParentLink| -> Option<(String, String)> {
            let n: String =
                l.number.as_deref()?.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
            let d = l.date.as_deref()?.trim().to_string();
            (!n.is_empty() && !d.is_empty()).then_some((n, d))
        };
        matches!((key(self), key(other)), (Some(a), Some(b)) if a == b)
    }

    /// "Kế hoạch số 39/KH-UBND ngày 20/03/2023 của UBND huyện Ia Pa", for the plan's basis.
    pub fn basis_line(&self) -> String {
        let mut s = String::from("Kế hoạch");
        if let Some(n) = self.number.as_deref().filter(|n| !n.trim().is_empty()) {
            s.push_str(&format!(" số {}", n.trim()));
        }
        if let Some(d) = self.date.as_deref().and_then(vn_date) {
            s.push_str(&format!(" ngày {d}"));
        }
        if let Some(i) = self.issuer.as_deref().filter(|i| !i.trim().is_empty()) {
            s.push_str(&format!(" của {}", i.trim()));
        }
        if let Some(t) = self.title.as_deref().filter(|t| !t.trim().is_empty()) {
            s.push_str(&format!(" về {}", strip_title_word(t)));
        }
        s
    }
}

/// "2023-03-20" → "20/03/2023".
fn vn_date(iso: &str) -> Option<String> {
    let mut p = iso.trim().splitn(3, '-');
    let (y, m, d) = (p.next()?, p.next()?, p.next()?);
    (y.len() == 4 && m.len() == 2 && d.len() == 2).then(|| format!("{d}/{m}/{y}"))
}

/// A title "Kế hoạch thực hiện …" read after "Kế hoạch số … về": without its own "Kế hoạch".
fn strip_title_word(t: &str) -> String {
    let t = t.trim();
    let lower = t.to_lowercase();
    let rest = lower.strip_prefix("kế hoạch").map(|r| &t[t.len() - r.len()..]).unwrap_or(t);
    let rest = rest.trim_start();
    let rest_lower = rest.to_lowercase();
    rest_lower.strip_prefix("về ").map(|r| rest[rest.len() - r.len()..].to_string()).unwrap_or_else(|| rest.to_string())
}

/// Why a parent task is proposed to a commune.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    /// Its lead or coordinating units name the communes in general ("UBND các xã, thị trấn",
    /// "Công an cấp xã"): proposed and ticked.
    Communes,
    /// It names this commune ("UBND xã Chư Răng"): proposed and ticked.
    ThisCommune,
    /// It may concern communes ("các địa phương", or no unit and the text names the communes):
    /// proposed, not ticked.
    Possibly,
}

/// One task proposed for the commune's plan: the commune's version of a parent task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposedTask {
    pub concern: Concern,
    /// Ticked: goes into the plan unless the officer unticks it.
    pub selected: bool,
    /// The parent's units as written, for the officer to compare: "Chủ trì: Phòng Tư pháp;
    /// phối hợp: UBND các xã, thị trấn".
    pub parent_units: String,
    /// The task as the commune would hold it (units reworded, the commune's date), with its
    /// `parent_task`/`parent_ref` link.
    pub task: ImportedTask,
}

/// What `kehoach plan derive` prints and the derive screen starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeriveProposal {
    pub parent: ParentLink,
    /// A title for the commune's plan: "Kế hoạch thực hiện Kế hoạch số … của UBND huyện …".
    pub title: String,
    pub tasks: Vec<ProposedTask>,
    /// Parent tasks not proposed (they concern other levels or other communes), by number and
    /// text, so the officer can see nothing was lost.
    #[serde(default)]
    pub left_out: Vec<String>,
}

/// A plan as the level above publishes it to its communes (signed as a whole, see
/// [`SignedPublication`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    /// The format of this JSON; a commune refuses a newer one with a message.
    pub format: u32,
    /// The level above's plan id.
    pub plan_id: Uuid,
    /// 1 for the first publication, then one more for each amendment.
    pub version: u32,
    /// The publishing unit, e.g. "UBND huyện Ia Pa".
    pub unit: String,
    /// The publishing device and its Ed25519 key (hex): checked against the key the commune trusts.
    pub device: Uuid,
    pub public_key: String,
    /// RFC 3339.
    pub published_at: String,
    /// The communes it is addressed to (their ids); a commune not listed refuses it.
    pub communes: Vec<Uuid>,
    pub plan: PublishedPlan,
}

pub const PUBLICATION_FORMAT: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PublishedPlan {
    pub title: String,
    pub number: Option<String>,
    pub date: Option<String>,
    pub issuer: Option<String>,
    pub tasks: Vec<PublishedTask>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedTask {
    pub id: Uuid,
    pub task: ImportedTask,
}

impl Publication {
    pub fn link(&self) -> ParentLink {
        ParentLink {
            plan_id: Some(self.plan_id),
            number: self.plan.number.clone(),
            date: self.plan.date.clone(),
            issuer: self.plan.issuer.clone().or_else(|| Some(self.unit.clone())),
            title: Some(self.plan.title.clone()),
            version: Some(self.version),
        }
    }
}

/// A publication as it travels (hub, USB file) and as the commune keeps it: the exact JSON text
/// signed, and the Ed25519 signature (hex) of its bytes by the publishing device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedPublication {
    pub payload: String,
    pub signature: String,
}

/// A received plan of the level above, as the commune's screens list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpstreamPlan {
    pub publication: Publication,
    /// The commune's plans derived from it (any version).
    pub derived: Vec<Uuid>,
    /// Versions held, newest last.
    pub versions: Vec<u32>,
}

/// What changed between two published versions of a plan, task by task (matched by the level
/// above's task id).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanChanges {
    pub from_version: u32,
    pub to_version: u32,
    pub added: Vec<PublishedTask>,
    pub removed: Vec<PublishedTask>,
    /// (before, after): the same task whose time or date changed.
    pub redated: Vec<(PublishedTask, PublishedTask)>,
    /// (before, after): text or units changed, the date not.
    pub changed: Vec<(PublishedTask, PublishedTask)>,
}

impl PlanChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.redated.is_empty() && self.changed.is_empty()
    }
}

/// One task of the district's plan and which of its communes have taken it on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageRow {
    pub task_id: Uuid,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub text: String,
    /// Communes whose plan holds a task derived from it, with that task's status.
    pub communes: Vec<CommuneTaskState>,
    /// Of the communes the plan was published to.
    pub covered: u32,
    pub expected: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneTaskState {
    pub commune: Uuid,
    pub name: String,
    pub status: crate::TaskStatus,
    pub overdue: bool,
}

/// The district's view of one published plan across its communes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub plan_id: Uuid,
    pub title: String,
    pub version: u32,
    pub published_at: Option<String>,
    pub rows: Vec<CoverageRow>,
    pub communes: Vec<CommuneDerivation>,
}

/// Whether a commune has derived a plan from the published one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneDerivation {
    pub commune: Uuid,
    pub name: String,
    /// Its plan derived from this one, if any.
    pub plan: Option<Uuid>,
    /// The version it derived from or last carried changes from.
    pub version: Option<u32>,
    /// No plan derived a month (30 days) after the publication.
    pub flagged: bool,
}

impl DeriveProposal {
    /// The commune's plan made of the ticked tasks, linked to its parent, as `import_plan`
    /// stores it (the same path as an imported document).
    pub fn to_plan(&self) -> crate::ImportedPlan {
        crate::ImportedPlan {
            doc: crate::DocHeader {
                title: Some(self.title.clone()),
                basis: vec![self.parent.basis_line()],
                ..Default::default()
            },
            tasks: self.tasks.iter().filter(|t| t.selected).map(|t| t.task.clone()).collect(),
            parent: Some(self.parent.clone()),
            ..Default::default()
        }
    }
}

impl PlanChanges {
    /// What changed from `old` to `new` (two versions of one published plan), matching tasks by
    /// the level above's id. A task whose time or date changed is re-dated; one whose text or
    /// units changed, its date not, is changed.
    pub fn between(old: &Publication, new: &Publication) -> PlanChanges {
        let find = |list: &[PublishedTask], id: Uuid| list.iter().find(|t| t.id == id).cloned();
        let mut out = PlanChanges { from_version: old.version, to_version: new.version, ..Default::default() };
        for t in &new.plan.tasks {
            match find(&old.plan.tasks, t.id) {
                None => out.added.push(t.clone()),
                Some(before) => {
                    let (a, b) = (&before.task, &t.task);
                    if a.due != b.due || a.time_text != b.time_text || a.due_by_level != b.due_by_level {
                        out.redated.push((before.clone(), t.clone()));
                    } else if a.text != b.text || a.lead != b.lead || a.coord != b.coord || a.reference != b.reference {
                        out.changed.push((before.clone(), t.clone()));
                    }
                }
            }
        }
        out.removed = old.plan.tasks.iter().filter(|t| find(&new.plan.tasks, t.id).is_none()).cloned().collect();
        out
    }
}

/// A change of the level above's plan as one commune's plan meets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Redated,
    /// Text or units changed, not the date: shown, carried by hand.
    Changed,
}

impl ChangeKind {
    pub fn label_vi(self) -> &'static str {
        match self {
            ChangeKind::Added => "Nhiệm vụ mới",
            ChangeKind::Removed => "Cấp trên bỏ nhiệm vụ",
            ChangeKind::Redated => "Đổi thời hạn",
            ChangeKind::Changed => "Sửa nội dung",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmendmentItem {
    pub kind: ChangeKind,
    pub parent_task: Uuid,
    #[serde(rename = "ref")]
    pub parent_ref: Option<String>,
    pub text: String,
    /// The time before and after, as written (re-dated).
    pub before: Option<String>,
    pub after: Option<String>,
    /// The commune's task that implements it, if any.
    pub commune_task: Option<Uuid>,
    /// An added task as the commune would hold it, when it concerns the commune.
    pub proposed: Option<ImportedTask>,
    /// Ticked by default: an added task that concerns the commune, a re-dated one it carries.
    /// A removal is never ticked by default: deleting the commune's task is the officer's call.
    pub selected: bool,
}

/// What a new version of the level above's plan changes for one of the commune's derived plans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amendment {
    /// The commune's plan.
    pub plan_id: Uuid,
    pub parent_plan: Uuid,
    pub from_version: u32,
    pub to_version: u32,
    pub items: Vec<AmendmentItem>,
}

/// What the officer carries into the commune's plan, in one commit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Carry {
    pub to_version: u32,
    pub add: Vec<ImportedTask>,
    pub redate: Vec<Redate>,
    pub remove: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Redate {
    pub task_id: Uuid,
    pub time_text: Option<String>,
    pub due: crate::Due,
    #[serde(default)]
    pub due_by_level: Vec<crate::LevelDue>,
}

/// One publication as the commune's screen reports receiving it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceivedPlan {
    pub plan_id: Uuid,
    pub version: u32,
    pub unit: String,
    pub title: String,
    /// False when this version was held already.
    pub new: bool,
    pub changes: Option<PlanChanges>,
}

/// What "Nhận kế hoạch cấp trên" did: what was received, a first PC of the level above waiting
/// for the officer's acceptance (with its fingerprint, in the message), what was refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReceiveOutcome {
    pub received: Vec<ReceivedPlan>,
    pub needs_trust: Option<String>,
    pub refused: Vec<String>,
}

/// One of the district's own plans, as its "Gửi kế hoạch xuống các xã" panel lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedSummary {
    pub plan: crate::Plan,
    /// The last version this PC published, when it did.
    pub version: Option<u32>,
    pub published_at: Option<String>,
    /// How many communes it was sent to.
    pub communes: u32,
}

/// What "Gửi xuống các xã" did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishOutcome {
    pub version: u32,
    pub communes: u32,
    /// Communes the hub keeps it for (when sent through the hub).
    pub hub_communes: Option<u32>,
    /// Why the hub could not take it (the file, when asked for, is written all the same).
    pub hub_error: Option<String>,
    pub file: Option<String>,
}
