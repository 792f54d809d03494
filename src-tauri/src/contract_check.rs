//! Holds the shell to the contract: the commands registered in `generate_handler!` are exactly
//! the contract's, and each command function takes the request type named after it (so the
//! name the UI invokes, `C::NAME`, reaches a function that reads `C`).

use std::collections::BTreeSet;

use kehoach_model::contract::{all, snake_case};

/// The shell's sources, read at compile time.
const SOURCES: &[(&str, &str)] = &[
    ("main.rs", include_str!("main.rs")),
    ("backup.rs", include_str!("backup.rs")),
    ("devices.rs", include_str!("devices.rs")),
    ("publish.rs", include_str!("publish.rs")),
    ("report.rs", include_str!("report.rs")),
    ("rescue.rs", include_str!("rescue.rs")),
    ("rollup.rs", include_str!("rollup.rs")),
    ("sync.rs", include_str!("sync.rs")),
    ("tracking.rs", include_str!("tracking.rs")),
    ("update.rs", include_str!("update.rs")),
    ("upstream.rs", include_str!("upstream.rs")),
];

/// The names in main.rs's `generate_handler![…]`, without their module paths.
fn registered(main: &str) -> Vec<String> {
    let start = main.find("generate_handler![").expect("main.rs registers its commands") + "generate_handler![".len();
    let list = &main[start..start + main[start..].find(']').expect("the handler list ends")];
    list.split(',')
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .map(|n| n.rsplit("::").next().unwrap_or(n).to_string())
        .collect()
}

/// Every `#[tauri::command]` function of `src`: its name and the type of its `req` argument.
fn commands_of(src: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for part in src.split("#[tauri::command]").skip(1) {
        let sig = &part[..part.find('{').unwrap_or(part.len())];
        let name = sig.split("fn ").nth(1).and_then(|r| r.split(['(', '<']).next()).unwrap_or("").trim();
        let req = sig
            .split("req: cmd::")
            .nth(1)
            .map(|r| r.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>());
        out.push((name.to_string(), req));
    }
    out
}

#[test]
fn the_registered_commands_are_exactly_the_contracts() {
    let registered: Vec<String> = registered(SOURCES[0].1);
    let set: BTreeSet<&str> = registered.iter().map(String::as_str).collect();
    assert_eq!(set.len(), registered.len(), "a command is registered twice");
    let contract: BTreeSet<&str> = all().into_iter().map(|(_, name)| name).collect();
    let unregistered: Vec<_> = contract.difference(&set).collect();
    let undeclared: Vec<_> = set.difference(&contract).collect();
    assert!(unregistered.is_empty(), "in the contract but not in generate_handler!: {unregistered:?}");
    assert!(undeclared.is_empty(), "registered but not in the contract: {undeclared:?}");
}

#[test]
fn each_command_takes_the_request_named_after_it() {
    let mut seen = BTreeSet::new();
    for (file, src) in SOURCES {
        for (name, req) in commands_of(src) {
            let req = req.unwrap_or_else(|| panic!("{file}: command {name} takes no `req: cmd::…` argument"));
            assert_eq!(snake_case(&req), name, "{file}: command {name} takes cmd::{req}");
            seen.insert(name);
        }
    }
    let contract: BTreeSet<String> = all().into_iter().map(|(_, name)| name.to_string()).collect();
    assert_eq!(seen, contract, "the command functions found in the sources and the contract differ");
}

#[test]
fn the_checks_catch_a_mismatch() {
    let main = "generate_handler![\n a,\n m::b,\n ]";
    assert_eq!(registered(main), ["a", "b"]);
    let src = "#[tauri::command]\npub fn plan_detail(app: State<App>, req: cmd::ListPlans) -> Ans<cmd::ListPlans> {}";
    let found = commands_of(src);
    assert_eq!(found, [("plan_detail".to_string(), Some("ListPlans".to_string()))]);
    assert_ne!(snake_case("ListPlans"), "plan_detail");
}
