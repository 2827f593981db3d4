//! Where a person can go: the side navigation grouped by area (only what their roles open), the
//! way back up from a page (breadcrumbs), and an offering's own tabs. Built here once, so every
//! page shows the same navigation and a new area adds its entries in one place.

use qobe_app::academics::offerings::OfferingView;

use crate::context::NavUser;

/// One entry of a navigation.
#[derive(Clone, Debug)]
pub struct NavItem {
    pub label: &'static str,
    pub href: String,
    /// The name of its icon in `/assets/icons.svg`.
    pub icon: &'static str,
    /// The person is on this entry's page or one below it.
    pub current: bool,
    /// Addresses below which a page belongs to this entry, besides `href` itself.
    owns: Vec<String>,
}

impl NavItem {
    fn new(label: &'static str, href: &str, icon: &'static str) -> NavItem {
        NavItem { label, href: href.to_owned(), icon, current: false, owns: vec![href.to_owned()] }
    }

    /// Pages under `prefix` belong here too (an offering's marks belong to "Offerings").
    fn owning(mut self, prefix: &str) -> NavItem {
        self.owns.push(prefix.to_owned());
        self
    }

    /// How closely this entry claims `path`: the length of its longest address that `path` is, or
    /// lies under; `None` when it does not.
    fn claim(&self, path: &str) -> Option<usize> {
        self.owns
            .iter()
            .filter(|prefix| {
                path == prefix.as_str()
                    || (prefix.as_str() != "/"
                        && path.strip_prefix(prefix.as_str()).is_some_and(|rest| rest.starts_with(['/', '?'])))
            })
            .map(|prefix| prefix.len())
            .max()
    }
}

/// A group of the side navigation: an area, as people think of it.
#[derive(Clone, Debug)]
pub struct NavGroup {
    pub label: &'static str,
    pub items: Vec<NavItem>,
}

/// One step of the way back up.
#[derive(Clone, Debug)]
pub struct Crumb {
    pub label: String,
    pub href: String,
}

impl Crumb {
    pub fn new(label: impl Into<String>, href: impl Into<String>) -> Crumb {
        Crumb { label: label.into(), href: href.into() }
    }
}

/// The side navigation for `user` on the page at `path`, the entry that holds it marked.
pub fn groups(user: &NavUser, path: &str) -> Vec<NavGroup> {
    let mut groups = if user.is_operator { operator() } else { institution(user) };
    groups.retain(|g| !g.items.is_empty());
    mark(groups.iter_mut().flat_map(|g| g.items.iter_mut()), path);
    groups
}

/// Marks the one entry that claims `path` most closely.
fn mark<'a>(items: impl Iterator<Item = &'a mut NavItem>, path: &str) {
    let mut best: Option<(usize, &'a mut NavItem)> = None;
    for item in items {
        if let Some(length) = item.claim(path)
            && best.as_ref().is_none_or(|(longest, _)| length > *longest)
        {
            best = Some((length, item));
        }
    }
    if let Some((_, item)) = best {
        item.current = true;
    }
}

fn operator() -> Vec<NavGroup> {
    vec![NavGroup {
        label: "Platform",
        items: vec![
            NavItem::new("Institutions", "/operator", "building"),
            NavItem::new("Platform audit log", "/admin/audit", "shield"),
        ],
    }]
}

fn institution(user: &NavUser) -> Vec<NavGroup> {
    let mut home = vec![
        NavItem::new("Home", "/", "home"),
        NavItem::new("Announcements", "/learning/announcements", "inbox"),
        NavItem::new("Messages", "/messages", "user"),
    ];
    if user.is_student {
        home.push(NavItem::new("Registration", "/registration", "calendar"));
        home.push(NavItem::new("My results", "/my/results", "award"));
        home.push(NavItem::new("My outcomes", "/my/outcomes", "target"));
        home.push(NavItem::new("Surveys", "/surveys", "list"));
    }
    let mut courses = vec![
        NavItem::new("Offerings", "/academics/offerings", "layers")
            .owning("/assessment/offerings")
            .owning("/results/offerings")
            .owning("/registration/offerings")
            .owning("/cqi/offerings")
            .owning("/learning/offerings")
            .owning("/learning/items")
            .owning("/learning/modules")
            .owning("/learning/threads")
            .owning("/learning/posts")
            .owning("/assignments")
            .owning("/quizzes"),
        NavItem::new("Course catalogue", "/academics/courses", "book").owning("/assessment/courses"),
    ];
    if user.can_use_rubrics {
        courses.push(NavItem::new("Rubrics", "/assessment/rubrics", "grid"));
    }
    let mut quality = Vec::new();
    if !user.is_student {
        quality.push(
            NavItem::new("Reports", "/reports", "chart")
                .owning("/assessment/programs")
                .owning("/academics/programs")
                .owning("/documents")
                .owning("/results/students"),
        );
        quality.push(NavItem::new("Improvement (CQI)", "/cqi", "loop"));
        quality.push(NavItem::new("Surveys", "/surveys", "list"));
    }
    if user.can_approve_results {
        quality.push(NavItem::new("Approvals", "/results/approvals", "check"));
    }
    let mut registration = Vec::new();
    if user.can_manage_registrations {
        if !user.is_student {
            registration.push(NavItem::new("Registration", "/registration", "calendar"));
        }
        registration.push(NavItem::new("Requests", "/registration/requests", "inbox"));
        registration.push(NavItem::new("Bulk enrolment", "/registration/bulk", "upload"));
    }
    vec![
        NavGroup { label: "Home", items: home },
        NavGroup { label: "Courses", items: courses },
        NavGroup { label: "Outcomes and quality", items: quality },
        NavGroup { label: "Registration office", items: registration },
        NavGroup { label: "Administration", items: administration(user) },
    ]
}

fn administration(user: &NavUser) -> Vec<NavItem> {
    let mut items = Vec::new();
    if user.can_view_users {
        items.push(NavItem::new("People", "/admin/users", "users"));
    }
    if user.can_manage_structure {
        items.push(
            NavItem::new("Structure", "/admin/structure", "building")
                .owning("/admin/faculties")
                .owning("/admin/departments")
                .owning("/admin/programs"),
        );
        items.push(NavItem::new("Terms", "/academics/terms", "calendar"));
        items.push(NavItem::new("Cohorts", "/academics/cohorts", "users").owning("/academics/curricula"));
        items.push(NavItem::new("Grading scheme", "/admin/grading", "award"));
    }
    if user.can_manage_policy {
        items.push(NavItem::new("Attainment policy", "/admin/attainment-policy", "target"));
    }
    if user.can_manage_structure || user.can_import_clos {
        items.push(NavItem::new("Import", "/academics/import", "upload"));
    }
    if user.can_manage_settings {
        items.push(NavItem::new("Settings", "/admin/settings", "settings").owning("/admin/oneroster"));
    }
    if user.can_view_audit {
        items.push(NavItem::new("Audit log", "/admin/audit", "shield"));
        items.push(NavItem::new("Sign-ins", "/admin/logins", "key"));
    }
    items
}

/// The way back up from the page at `path`: home, then the navigation entry that holds the
/// page when the page is below it.
pub fn trail(groups: &[NavGroup], path: &str) -> Vec<Crumb> {
    let current = groups.iter().flat_map(|g| &g.items).find(|item| item.current);
    match current {
        Some(item) if item.href == "/" => Vec::new(),
        Some(item) if item.href == path => vec![Crumb::new("Home", "/")],
        Some(item) => vec![Crumb::new("Home", "/"), Crumb::new(item.label, item.href.clone())],
        None => vec![Crumb::new("Home", "/")],
    }
}

/// An offering's own navigation: its name and the tabs its viewer may open.
#[derive(Clone, Debug)]
pub struct CourseNav {
    /// "EE-201 Circuits II".
    pub title: String,
    /// "Fall 2026 · section A".
    pub detail: String,
    /// The offering's own page.
    pub home: String,
    pub tabs: Vec<NavItem>,
}

impl CourseNav {
    /// `staff` opens the assessment tabs; `learner` (its students and staff) its content.
    pub fn new(view: &OfferingView, staff: bool, learner: bool, path: &str) -> CourseNav {
        let id = view.offering.id;
        let home = format!("/academics/offerings/{id}");
        let mut tabs = vec![NavItem { owns: Vec::new(), ..NavItem::new("Home", &home, "home") }];
        if learner {
            let content = format!("/learning/offerings/{id}");
            tabs.push(NavItem::new("Content", &content, "book").owning("/learning/items").owning("/learning/modules"));
            tabs.push(NavItem::new("Announcements", &format!("{content}/announcements"), "inbox"));
            tabs.push(
                NavItem::new("Forum", &format!("{content}/forum"), "list")
                    .owning("/learning/threads")
                    .owning("/learning/posts"),
            );
            tabs.push(
                NavItem::new("Assignments", &format!("/assignments/offerings/{id}"), "upload").owning("/assignments"),
            );
            tabs.push(NavItem::new("Quizzes", &format!("/quizzes/offerings/{id}"), "check").owning("/quizzes"));
        }
        if staff {
            let assessed = format!("/assessment/offerings/{id}");
            tabs.push(
                NavItem::new("Assessment plan", &format!("{assessed}/plan"), "list")
                    .owning(&format!("{assessed}/assessments"))
                    .owning(&format!("{assessed}/items"))
                    .owning(&format!("{assessed}/rubric")),
            );
            tabs.push(NavItem::new("Marks", &format!("{assessed}/marks"), "edit"));
            tabs.push(NavItem::new("CLO attainment", &format!("{assessed}/attainment"), "target"));
            tabs.push(NavItem::new("Grades", &format!("/results/offerings/{id}/grades"), "award"));
            tabs.push(NavItem::new("Course file", &format!("{assessed}/course-file"), "folder"));
        }
        if path == home {
            tabs[0].current = true;
        } else {
            mark(tabs.iter_mut(), path);
        }
        CourseNav {
            title: format!("{} {}", view.course.code, view.course.title),
            detail: format!("{} · section {}", view.term.name, view.offering.section),
            home,
            tabs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(student: bool, admin: bool) -> NavUser {
        NavUser {
            name: "Someone".into(),
            is_operator: false,
            can_manage_users: admin,
            can_view_users: admin,
            can_view_audit: admin,
            can_manage_structure: admin,
            can_manage_registrations: admin,
            can_approve_results: admin,
            can_manage_settings: admin,
            can_manage_policy: admin,
            can_use_rubrics: admin,
            can_import_clos: admin,
            is_student: student,
            is_staff: !student,
            roles: Vec::new(),
        }
    }

    fn labels(groups: &[NavGroup]) -> Vec<&'static str> {
        groups.iter().flat_map(|g| g.items.iter().map(|i| i.label)).collect()
    }

    fn current(groups: &[NavGroup]) -> Vec<&'static str> {
        groups.iter().flat_map(|g| g.items.iter().filter(|i| i.current).map(|i| i.label)).collect()
    }

    #[test]
    fn a_student_sees_their_studies_and_nothing_of_administration() {
        let groups = groups(&person(true, false), "/my/results");
        let shown = labels(&groups);
        assert!(shown.contains(&"My results") && shown.contains(&"Offerings"), "{shown:?}");
        for hidden in ["People", "Reports", "Settings", "Audit log", "Requests", "Rubrics"] {
            assert!(!shown.contains(&hidden), "{hidden} is not a student's: {shown:?}");
        }
        assert_eq!(current(&groups), ["My results"]);
        assert!(groups.iter().all(|g| !g.items.is_empty()), "no empty group");
    }

    #[test]
    fn the_closest_entry_holds_the_page() {
        let admin = person(false, true);
        assert_eq!(current(&groups(&admin, "/assessment/offerings/7/marks")), ["Offerings"]);
        assert_eq!(current(&groups(&admin, "/registration/requests/3")), ["Requests"]);
        assert_eq!(current(&groups(&admin, "/registration")), ["Registration"]);
        assert_eq!(current(&groups(&admin, "/admin/departments/4")), ["Structure"]);
        assert_eq!(current(&groups(&admin, "/")), ["Home"]);
        assert!(current(&groups(&admin, "/profile")).is_empty(), "the profile is in the person's menu");
        // A prefix is a whole segment: /cqi does not hold /cqiz.
        assert!(current(&groups(&admin, "/cqiz")).is_empty());
        let back = trail(&groups(&admin, "/cqi/findings/2"), "/cqi/findings/2");
        let shown: Vec<&str> = back.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(shown, ["Home", "Improvement (CQI)"]);
        assert_eq!(trail(&groups(&admin, "/cqi"), "/cqi").len(), 1, "the entry's own page is not a step back");
    }
}
