//! Which of a plan's tasks the table shows, in what order, grouped by section. All tasks of
//! a plan are already loaded (a plan has tens to a few hundred), so filtering is done here
//! and a filter change costs no call to the core.

use std::cmp::Ordering;

use kehoach_model::{Task, TaskStatus};

/// What the officer narrowed the table to.
#[derive(Clone, Default, PartialEq)]
pub struct TaskFilters {
    pub status: Option<TaskStatus>,
    /// A unit named as lead, coordinating or monitoring unit.
    pub unit: Option<String>,
    pub overdue: bool,
    /// Deadline in the month of `today` (a YYYY-MM-DD).
    pub due_this_month: bool,
}

impl TaskFilters {
    pub fn is_empty(&self) -> bool {
        *self == TaskFilters::default()
    }

    pub fn keeps(&self, t: &Task, today: &str) -> bool {
        let month = today.get(..7).unwrap_or(today);
        self.status.is_none_or(|s| t.status == s)
            && self.unit.as_ref().is_none_or(|u| units(t).any(|n| n == u))
            && (!self.overdue || t.overdue)
            && (!self.due_this_month
                || (t.deadline.as_deref().is_some_and(|d| d.starts_with(month))
                    && !matches!(t.status, TaskStatus::Done | TaskStatus::CannotDo)))
    }
}

/// The order of the rows inside each section.
#[derive(Clone, Copy, Default, PartialEq)]
pub enum SortBy {
    /// The plan's numbering: 1.2 before 1.10.
    #[default]
    Number,
    /// The nearest deadline first; tasks without one last.
    Deadline,
    /// Not started, in progress, done, cannot do (the table's status order).
    Status,
}

impl SortBy {
    pub const ALL: [SortBy; 3] = [SortBy::Number, SortBy::Deadline, SortBy::Status];

    pub fn key(self) -> &'static str {
        match self {
            SortBy::Number => "number",
            SortBy::Deadline => "deadline",
            SortBy::Status => "status",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            SortBy::Number => "Số thứ tự",
            SortBy::Deadline => "Thời hạn",
            SortBy::Status => "Trạng thái",
        }
    }

    pub fn parse(s: &str) -> SortBy {
        SortBy::ALL.into_iter().find(|b| b.key() == s).unwrap_or_default()
    }
}

/// Every unit a task names, whatever its role.
fn units(t: &Task) -> impl Iterator<Item = &String> {
    t.lead.iter().chain(&t.coord).chain(&t.monitor)
}

/// The units named in a plan's tasks, for the unit filter.
pub fn unit_names(tasks: &[Task]) -> Vec<String> {
    let mut names: Vec<String> = tasks.iter().flat_map(units).cloned().collect();
    names.sort();
    names.dedup();
    names
}

/// "1.10" → [1, 10]: numbers compare as numbers, letters ("a", "II") by their text.
fn number_key(r: &Option<String>) -> Vec<(u64, String)> {
    r.as_deref()
        .unwrap_or("")
        .split(['.', ')', ' '])
        .filter(|p| !p.is_empty())
        .map(|p| (p.parse().unwrap_or(u64::MAX), p.to_string()))
        .collect()
}

fn status_rank(s: TaskStatus) -> usize {
    TaskStatus::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

fn compare(a: &Numbered, b: &Numbered, by: SortBy) -> Ordering {
    let (ia, ta) = a;
    let (ib, tb) = b;
    let first = match by {
        SortBy::Number => number_key(&ta.reference).cmp(&number_key(&tb.reference)),
        // None sorts after every date.
        SortBy::Deadline => match (&ta.deadline, &tb.deadline) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        SortBy::Status => status_rank(ta.status).cmp(&status_rank(tb.status)),
    };
    // Ties keep the plan's own order.
    first.then(ia.cmp(ib))
}

/// A task with its place in the plan.
type Numbered<'a> = (usize, &'a Task);

/// A section's name (none for tasks filed under no section) and its shown tasks.
pub type Section<'a> = (Option<String>, Vec<&'a Task>);

/// The shown tasks, grouped by section in the order the sections first appear in the plan
/// (a task without one under `None`), each group sorted by `by`.
pub fn grouped<'a>(tasks: &'a [Task], f: &TaskFilters, by: SortBy, today: &str) -> Vec<Section<'a>> {
    // Each task with its place in the plan, which breaks ties in the sort.
    let mut groups: Vec<(Option<String>, Vec<Numbered>)> = Vec::new();
    for (i, t) in tasks.iter().enumerate().filter(|(_, t)| f.keeps(t, today)) {
        match groups.iter_mut().find(|(s, _)| *s == t.section) {
            Some((_, v)) => v.push((i, t)),
            None => groups.push((t.section.clone(), vec![(i, t)])),
        }
    }
    groups
        .into_iter()
        .map(|(s, mut v)| {
            v.sort_by(|a, b| compare(a, b, by));
            (s, v.into_iter().map(|(_, t)| t).collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn task(r: &str, section: &str, deadline: Option<&str>, status: TaskStatus) -> Task {
        Task {
            id: Uuid::now_v7(),
            plan_id: Uuid::nil(),
            reference: Some(r.into()),
            section: Some(section.into()).filter(|s: &String| !s.is_empty()),
            text: format!("Nhiệm vụ {r}"),
            lead: vec!["Công an xã".into()],
            coord: vec![],
            monitor: vec![],
            time_text: None,
            due: Default::default(),
            product: None,
            budget: None,
            due_by_level: vec![],
            status,
            status_reason: None,
            deadline: deadline.map(String::from),
            overdue: false,
            parent_task: None,
            parent_ref: None,
        }
    }

    fn refs<'a>(g: &[Section<'a>]) -> Vec<Vec<&'a str>> {
        g.iter().map(|(_, ts)| ts.iter().map(|t| t.reference.as_deref().unwrap()).collect()).collect()
    }

    #[test]
    fn sections_keep_the_plans_order_and_numbers_sort_as_numbers() {
        let ts = vec![
            task("2.10", "B", Some("2023-03-31"), TaskStatus::Done),
            task("1.1", "A", None, TaskStatus::NotStarted),
            task("2.9", "B", Some("2023-06-30"), TaskStatus::NotStarted),
            task("2.2", "B", None, TaskStatus::InProgress),
        ];
        let f = TaskFilters::default();
        let g = grouped(&ts, &f, SortBy::Number, "2023-06-15");
        assert_eq!(g.iter().map(|(s, _)| s.as_deref().unwrap()).collect::<Vec<_>>(), ["B", "A"]);
        assert_eq!(refs(&g), [vec!["2.2", "2.9", "2.10"], vec!["1.1"]]);
        assert_eq!(refs(&grouped(&ts, &f, SortBy::Deadline, "2023-06-15"))[0], ["2.10", "2.9", "2.2"]);
        assert_eq!(refs(&grouped(&ts, &f, SortBy::Status, "2023-06-15"))[0], ["2.9", "2.2", "2.10"]);
    }

    #[test]
    fn filters_by_unit_in_any_role_overdue_and_open_work_due_this_month() {
        let mut ts = vec![
            task("1", "", Some("2023-06-30"), TaskStatus::NotStarted),
            task("2", "", Some("2023-06-10"), TaskStatus::Done),
            task("3", "", Some("2023-05-31"), TaskStatus::InProgress),
            task("4", "", None, TaskStatus::NotStarted),
        ];
        ts[2].overdue = true;
        ts[3].monitor = vec!["Trạm Y tế xã".into()];
        let shown = |f: TaskFilters| refs(&grouped(&ts, &f, SortBy::Number, "2023-06-15")).concat();
        assert_eq!(shown(TaskFilters { due_this_month: true, ..Default::default() }), ["1"], "done work is not due");
        assert_eq!(shown(TaskFilters { overdue: true, ..Default::default() }), ["3"]);
        assert_eq!(shown(TaskFilters { unit: Some("Trạm Y tế xã".into()), ..Default::default() }), ["4"]);
        assert_eq!(shown(TaskFilters { status: Some(TaskStatus::Done), ..Default::default() }), ["2"]);
        assert_eq!(unit_names(&ts), ["Công an xã", "Trạm Y tế xã"]);
    }
}
