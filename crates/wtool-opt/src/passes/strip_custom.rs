//! strip-custom: removes custom sections — the name section too unless
//! `keep_names` — except those listed in `keep_sections`. Run by `-Os`/`-Oz`.

use crate::bodies::Bodies;
use crate::pass::{Pass, PassOptions, PassProperties};
use wtool_ast::Module;

/// See the module docs.
pub struct StripCustom;

impl Pass for StripCustom {
    fn name(&self) -> &'static str {
        "strip-custom"
    }
    fn description(&self) -> &'static str {
        "remove custom sections and the name section (unless kept by --keep-names/--keep-section)"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_customs: true,
            ..Default::default()
        }
    }
    fn run_with(&mut self, m: &mut Module, _: &mut Bodies, opts: &PassOptions) -> bool {
        // Bodies are not read.
        self.run(m, opts)
    }
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        let before = (m.customs.len(), m.names.is_some());
        let keep = |name: &str| {
            opts.keep_sections.iter().any(|k| k == name) || (name == "name" && opts.keep_names)
        };
        m.customs.retain(|c| keep(&c.name));
        if !keep("name") {
            m.names = None;
        }
        before != (m.customs.len(), m.names.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wtool_ast::{CustomPlace, CustomSection, Names, SectionId};

    fn custom(name: &str) -> CustomSection {
        CustomSection {
            name: name.into(),
            data: vec![1],
            place: CustomPlace::After(SectionId::Data),
        }
    }

    #[test]
    fn strips_unless_kept() {
        let base = Module {
            customs: vec![custom("name"), custom("producers"), custom("keep.me")],
            names: Some(Names {
                module: Some("m".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let mut m = base.clone();
        assert!(StripCustom.run(&mut m, &PassOptions::default()));
        assert!(m.customs.is_empty() && m.names.is_none());
        let mut m = base.clone();
        let opts = PassOptions {
            keep_names: true,
            keep_sections: vec!["keep.me".into()],
            ..Default::default()
        };
        assert!(StripCustom.run(&mut m, &opts));
        assert_eq!(
            m.customs
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["name", "keep.me"]
        );
        assert!(m.names.is_some());
        assert!(!StripCustom.run(&mut m, &opts));
    }
}
