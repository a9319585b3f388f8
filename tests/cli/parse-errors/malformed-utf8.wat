(module
  (func (export "\ff\fe")))
