//! The frontend's protocol types, generated from the Rust types (`frontend/src/lib/protocol.ts`): what
//! clients send (`Command` with a request id, `Hello`), what the server answers (`ServerMsg`, `Code`)
//! and the `state` view. A test compares the generated text with the committed file, so a new field,
//! command or code cannot drift from the frontend; `SAMSYN_WRITE_TYPES=1 cargo test --lib typescript`
//! writes it anew.

use super::code::Code;
use super::messages::{Hello, ServerMsg};
use crate::domain::view::SessionView;
use crate::domain::Command;
use std::collections::BTreeMap;
use ts_rs::{Config, Dependency, TypeVisitor, TS};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/frontend/src/lib/protocol.ts");

/// Every declaration a root type needs, by name, each once.
struct Declarations<'a> {
    cfg: &'a Config,
    found: BTreeMap<String, String>,
}

impl TypeVisitor for Declarations<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Built-in types (numbers, strings, arrays, maps) have nothing to declare.
        if Dependency::from_ty::<T>(self.cfg).is_none() {
            return;
        }
        let name = T::ident(self.cfg);
        if self.found.contains_key(&name) {
            return;
        }
        self.found.insert(name, T::decl(self.cfg));
        T::visit_dependencies(self);
    }
}

/// The whole generated file.
fn generated() -> String {
    // JSON has one kind of number; every integer the protocol sends fits a double exactly.
    let cfg = Config::new().with_large_int("number");
    let mut declarations = Declarations { cfg: &cfg, found: BTreeMap::new() };
    declarations.visit::<Command>();
    declarations.visit::<Hello>();
    declarations.visit::<ServerMsg<'static>>();
    declarations.visit::<Code>();
    declarations.visit::<SessionView<'static>>();
    declarations.visit::<crate::domain::trend::Trend>();
    let mut text = String::from(
        "// Generated from Samsyn's Rust types by `SAMSYN_WRITE_TYPES=1 cargo test --lib typescript`; do not edit.\n\
         // A test fails when this file differs from what the server's types say.\n\n",
    );
    for declaration in declarations.found.values() {
        text.push_str("export ");
        text.push_str(declaration.trim_end());
        text.push_str("\n\n");
    }
    text.push_str(
        "/** Every error code, for checks that each has a message. */\nexport const CODES: readonly Code[] = [\n",
    );
    for code in Code::ALL {
        text.push_str(&format!("  '{}',\n", code.as_str()));
    }
    text.push_str("];\n");
    text
}

#[test]
fn the_frontends_protocol_types_are_the_servers() {
    let generated = generated();
    if std::env::var_os("SAMSYN_WRITE_TYPES").is_some() {
        std::fs::write(FILE, &generated).expect("write frontend/src/lib/protocol.ts");
        return;
    }
    let committed = std::fs::read_to_string(FILE).unwrap_or_default();
    assert!(
        committed == generated,
        "frontend/src/lib/protocol.ts differs from the server's types; run \
         `SAMSYN_WRITE_TYPES=1 cargo test --lib typescript` and commit it (then `npm run build` in frontend/)"
    );
}
