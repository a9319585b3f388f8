//! strip-debug, strip-dwarf, strip-producers, strip-target-features: remove
//! the custom sections of one kind, as binaryen's passes of these names do.
//! (strip-custom, run by `-Os`/`-Oz`, removes every custom section.)

use crate::bodies::Bodies;
use crate::pass::{Pass, PassOptions, PassProperties};
use wtool_ast::Module;

/// Removes the custom sections `matches` accepts (and the decoded name
/// section when `names`).
fn strip(m: &mut Module, names: bool, matches: fn(&str) -> bool) -> bool {
    let before = (m.customs.len(), m.names.is_some());
    m.customs
        .retain(|c| !(matches(&c.name) || (names && c.name == "name")));
    if names {
        m.names = None;
    }
    before != (m.customs.len(), m.names.is_some())
}

fn is_dwarf(name: &str) -> bool {
    name.starts_with(".debug_")
}

const PROPERTIES: PassProperties = PassProperties {
    changes_bodies: false,
    changes_index_spaces: false,
    changes_locals: false,
    changes_customs: true,
    may_grow: false,
};

macro_rules! strip_pass {
    ($ty:ident, $name:literal, $desc:literal, $names:expr, $matches:expr) => {
        #[doc = $desc]
        pub struct $ty;

        impl Pass for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn description(&self) -> &'static str {
                $desc
            }
            fn properties(&self) -> PassProperties {
                PROPERTIES
            }
            fn run(&mut self, m: &mut Module, _: &PassOptions) -> bool {
                strip(m, $names, $matches)
            }
            fn run_with(&mut self, m: &mut Module, _: &mut Bodies, _: &PassOptions) -> bool {
                // Bodies are not read.
                strip(m, $names, $matches)
            }
        }
    };
}

strip_pass!(
    StripDebug,
    "strip-debug",
    "remove debug information: the name section, DWARF (.debug_*), sourceMappingURL, external_debug_info",
    true,
    |n| is_dwarf(n) || n == "sourceMappingURL" || n == "external_debug_info"
);
strip_pass!(
    StripDwarf,
    "strip-dwarf",
    "remove DWARF debug information (the .debug_* custom sections)",
    false,
    is_dwarf
);
strip_pass!(
    StripProducers,
    "strip-producers",
    "remove the producers custom section",
    false,
    |n| n == "producers"
);
strip_pass!(
    StripTargetFeatures,
    "strip-target-features",
    "remove the target_features custom section",
    false,
    |n| n == "target_features"
);

#[cfg(test)]
mod tests {
    use super::*;
    use wtool_ast::{CustomPlace, CustomSection, Names, SectionId};

    fn module() -> Module {
        let custom = |name: &str| CustomSection {
            name: name.into(),
            data: vec![1],
            place: CustomPlace::After(SectionId::Data),
        };
        Module {
            customs: [
                "name",
                ".debug_info",
                "producers",
                "target_features",
                "sourceMappingURL",
                "keep",
            ]
            .into_iter()
            .map(custom)
            .collect(),
            names: Some(Names {
                module: Some("m".into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn left(pass: &mut dyn Pass) -> (Vec<String>, bool) {
        let mut m = module();
        assert!(pass.run(&mut m, &PassOptions::default()));
        assert!(
            !pass.run(&mut m, &PassOptions::default()),
            "a second run changes nothing"
        );
        (
            m.customs.iter().map(|c| c.name.clone()).collect(),
            m.names.is_some(),
        )
    }

    #[test]
    fn each_removes_its_sections() {
        assert_eq!(
            left(&mut StripDebug),
            (
                vec!["producers".into(), "target_features".into(), "keep".into()],
                false
            )
        );
        let (rest, names) = left(&mut StripDwarf);
        assert!(!rest.contains(&".debug_info".to_string()) && rest.len() == 5 && names);
        let (rest, _) = left(&mut StripProducers);
        assert!(!rest.contains(&"producers".to_string()) && rest.len() == 5);
        let (rest, _) = left(&mut StripTargetFeatures);
        assert!(!rest.contains(&"target_features".to_string()) && rest.len() == 5);
    }
}
