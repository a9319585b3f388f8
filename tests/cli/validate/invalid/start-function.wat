(module
  (func $main (param i32))
  (start $main))
