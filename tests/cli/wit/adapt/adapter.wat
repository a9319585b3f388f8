;; The adapter: `print` forwards to `console.log` on the program's memory,
;; with a shadow stack the component initializes. `clock` would need
;; `console.now`, but nothing imports it, so the adapter is trimmed to
;; `print` and the component does not import `now`.
(module
  (import "env" "memory" (memory 0))
  (import "demo:host/console" "log" (func $log (param i32 i32)))
  (import "demo:host/console" "now" (func $now (result i64)))
  (global $__stack_pointer (mut i32) (i32.const 0))
  (func (export "print") (param i32 i32)
    (global.set $__stack_pointer (i32.sub (global.get $__stack_pointer) (i32.const 16)))
    ;; The frame keeps the length, as a real adapter's locals would be.
    (i32.store (global.get $__stack_pointer) (local.get 1))
    (call $log (local.get 0) (i32.load (global.get $__stack_pointer)))
    (global.set $__stack_pointer (i32.add (global.get $__stack_pointer) (i32.const 16))))
  (func (export "clock") (result i64)
    call $now))
