//! Canonical definitions: `canon lift` defines a component function, every
//! other definition a core function `(core func (;N;) (canon …))`.

use super::names::Space;
use super::Printer;
use crate::ast::*;

impl Printer<'_, '_> {
    pub(super) fn canon(&mut self, c: &Canon) {
        if let Canon::Lift { func, opts, ty } = c {
            self.w.start("func ");
            self.def_next(Space::Func);
            self.w.push(" ");
            self.type_use(Space::Type, *ty);
            self.w.push(" ");
            self.w.start("canon lift ");
            self.w.start("core func ");
            self.idx(Space::CoreFunc, *func);
            self.w.end();
            self.canon_opts(opts);
            self.w.end();
            self.w.end();
            return;
        }
        self.w.start("core func ");
        self.def_next(Space::CoreFunc);
        self.w.push(" ");
        match c {
            Canon::Lift { .. } => unreachable!("printed above"),
            Canon::Lower { func, opts } => {
                self.w.start("canon lower ");
                self.w.start("func ");
                self.idx(Space::Func, *func);
                self.w.end();
                self.canon_opts(opts);
            }
            Canon::Resource { op, ty } => {
                self.w.start(match op {
                    ResourceOp::New => "canon resource.new ",
                    ResourceOp::Drop => "canon resource.drop ",
                    ResourceOp::Rep => "canon resource.rep ",
                });
                self.idx(Space::Type, *ty);
            }
            Canon::TaskReturn { result, opts } => {
                self.w.start("canon task.return");
                if let Some(t) = result {
                    self.w.push(" ");
                    self.w.start("result ");
                    self.val_type(*t);
                    self.w.end();
                }
                self.canon_opts(opts);
            }
            Canon::Context { set, ty, slot } => {
                self.w.start(if *set {
                    "canon context.set"
                } else {
                    "canon context.get"
                });
                self.w.push(" ");
                self.core_val_type(*ty);
                self.w.push(" ");
                self.w.num(slot);
            }
            Canon::Async {
                op,
                ty,
                opts,
                is_async,
            } => {
                let (_, _, name, imm) = op.row();
                self.w.start(&format!("canon {name} "));
                self.idx(Space::Type, *ty);
                match imm {
                    AsyncImm::Opts => self.canon_opts(opts),
                    AsyncImm::AsyncFlag if *is_async => self.w.push(" async"),
                    _ => {}
                }
            }
            Canon::ErrorContext {
                debug_message,
                opts,
            } => {
                self.w.start(if *debug_message {
                    "canon error-context.debug-message"
                } else {
                    "canon error-context.new"
                });
                self.canon_opts(opts);
            }
            Canon::WaitableSet {
                poll,
                cancellable,
                memory,
            } => {
                self.w.start(if *poll {
                    "canon waitable-set.poll "
                } else {
                    "canon waitable-set.wait "
                });
                // wasm-tools has no text for the legacy flag; the reference
                // tests' keyword keeps it visible.
                if *cancellable {
                    self.w.push("cancellable ");
                }
                self.w.start("memory ");
                self.idx(Space::CoreMemory, *memory);
                self.w.end();
            }
            Canon::Flagged { op, flag } => {
                let (_, _, name) = op.row();
                self.w.start(&format!("canon {name}"));
                if *flag {
                    self.w.push(if *op == FlagOp::SubtaskCancel {
                        " async"
                    } else {
                        " cancellable"
                    });
                }
            }
            Canon::Plain(op) => {
                self.w.start(&format!("canon {}", op.row().2));
            }
            Canon::ThreadNewIndirect { func_ty, table } => {
                self.w.start("canon thread.new-indirect ");
                self.idx(Space::CoreType, *func_ty);
                self.w.push(" ");
                self.idx(Space::CoreTable, *table);
            }
            Canon::Spawn {
                op,
                shared,
                func_ty,
                table,
            } => {
                // wasmprinter's spellings (it cannot read the `shared` byte).
                self.w.start(match op {
                    SpawnOp::SpawnRef => "canon thread.spawn-ref ",
                    SpawnOp::SpawnIndirect => "canon thread.spawn-indirect ",
                    SpawnOp::AvailableParallelism => "canon thread.available_parallelism",
                });
                if *shared {
                    self.w.push("shared ");
                }
                match op {
                    SpawnOp::SpawnRef => self.idx(Space::CoreType, *func_ty),
                    SpawnOp::SpawnIndirect => {
                        self.idx(Space::CoreType, *func_ty);
                        self.w.push(" ");
                        self.idx(Space::CoreTable, *table);
                    }
                    SpawnOp::AvailableParallelism => {}
                }
            }
        }
        self.w.end();
        self.w.end();
    }

    fn canon_opts(&mut self, opts: &[CanonOpt]) {
        for o in opts {
            self.w.push(" ");
            let (kw, space, idx) = match *o {
                CanonOpt::StringEncoding(e) => {
                    self.w.push(match e {
                        StringEncoding::Utf8 => "string-encoding=utf8",
                        StringEncoding::Utf16 => "string-encoding=utf16",
                        StringEncoding::CompactUtf16 => "string-encoding=latin1+utf16",
                    });
                    continue;
                }
                CanonOpt::Async => {
                    self.w.push("async");
                    continue;
                }
                CanonOpt::Gc => {
                    self.w.push("gc");
                    continue;
                }
                CanonOpt::Memory(i) => ("memory ", Space::CoreMemory, i),
                CanonOpt::Realloc(i) => ("realloc ", Space::CoreFunc, i),
                CanonOpt::PostReturn(i) => ("post-return ", Space::CoreFunc, i),
                CanonOpt::Callback(i) => ("callback ", Space::CoreFunc, i),
                CanonOpt::CoreType(i) => ("core-type ", Space::CoreType, i),
            };
            self.w.start(kw);
            self.idx(space, idx);
            self.w.end();
        }
    }
}
